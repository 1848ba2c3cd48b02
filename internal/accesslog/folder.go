package accesslog

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"strings"
)

// FolderSink writes each file to <Root>/<bucket>/<key>; slashes in the key
// become folders. Bucket and key come from distribution configs, so they
// are confined to Root: a bucket must be one plain path element and no key
// element may be "." or "..".
type FolderSink struct {
	Root string
	// Perm is the mode of new files; 0 means 0o644. Folders get 0o755.
	Perm os.FileMode
}

// Put writes body to a temporary file next to the target, syncs it and
// renames it into place, so readers never see a partial file.
func (s *FolderSink) Put(ctx context.Context, bucket, key string, body []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkFolderName(bucket, key); err != nil {
		return err
	}
	root, err := os.OpenRoot(s.Root)
	if err != nil {
		return fmt.Errorf("accesslog: log folder: %w", err)
	}
	defer root.Close()
	name := bucket + "/" + key
	dir := path.Dir(name)
	if err := root.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("accesslog: %w", err)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := dir + "/." + path.Base(name) + "." + hex.EncodeToString(rnd[:]) + ".tmp"
	perm := s.Perm
	if perm == 0 {
		perm = 0o644
	}
	f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("accesslog: %w", err)
	}
	_, err = f.Write(body)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = root.Rename(tmp, name)
	}
	if err != nil {
		root.Remove(tmp)
		return fmt.Errorf("accesslog: %w", err)
	}
	return nil
}

// checkFolderName refuses names that would leave the bucket's folder or
// that a file system cannot hold.
func checkFolderName(bucket, key string) error {
	if bucket == "" || bucket == "." || bucket == ".." || strings.ContainsAny(bucket, "/\\\x00") {
		return fmt.Errorf("accesslog: bucket name %q cannot be a folder", bucket)
	}
	if key == "" || strings.HasPrefix(key, "/") || strings.HasSuffix(key, "/") || strings.ContainsRune(key, 0) {
		return fmt.Errorf("accesslog: object key %q cannot be a file name", key)
	}
	for elem := range strings.SplitSeq(key, "/") {
		if elem == "." || elem == ".." {
			return fmt.Errorf("accesslog: object key %q has a . or .. element", key)
		}
	}
	return nil
}
