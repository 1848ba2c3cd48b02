//go:build unix

package diskcache

import (
	"os"
	"syscall"
)

// allocated is what a file takes on disk: its allocated blocks, which
// count the file system's block rounding (a 1-byte file takes 4 KiB on
// most). Inodes and directory entries are not counted: file systems
// reserve them apart from data blocks.
func allocated(st os.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return max(int64(s.Blocks)*512, roundBlock(st.Size()))
	}
	return roundBlock(st.Size())
}
