package accesslog

import "context"

// Sink stores finished log files. Put must be atomic: a reader sees the
// whole file or nothing. The Writer calls Put from one background
// goroutine at a time per file but may call it concurrently for different
// files.
type Sink interface {
	// Put stores body (a gzip file) as key in bucket, a name as returned
	// by BucketName. Putting the same key again replaces the file.
	Put(ctx context.Context, bucket, key string, body []byte) error
}
