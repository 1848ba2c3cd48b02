//go:build !unix

package diskcache

import "os"

// allocated is the file's size rounded up to a 4 KiB block.
func allocated(st os.FileInfo) int64 { return roundBlock(st.Size()) }
