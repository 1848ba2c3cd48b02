package cli

import (
	"flag"
	"log/slog"
)

// defaultDiskCacheMax is the disk tier's size unless told: large enough
// for a working set many times the memory tier's, small enough to leave a
// shared disk room for the database, logs and snapshots.
const defaultDiskCacheMax = 10 << 30

// diskCacheFlags are --disk-cache and --disk-cache-size.
type diskCacheFlags struct {
	dir  string
	size int64 // -1: defaultDiskCacheSize
}

func (f *diskCacheFlags) register(fs *flag.FlagSet, where string) {
	fs.StringVar(&f.dir, "disk-cache", "", "folder of the disk cache tier under the memory cache (default: "+where+")")
	fs.Int64Var(&f.size, "disk-cache-size", -1, "byte budget of the disk cache tier, counted in file-system blocks; 0 turns it off "+
		"(default: 10 GiB or half the free space of its file system at start-up, whichever is smaller, so that a shared disk keeps room for the database, logs and snapshots)")
}

// resolve returns the folder and budget, dir being the command's default
// folder. A folder that cannot be made leaves the edge memory-only, as a
// failing disk does.
func (f *diskCacheFlags) resolve(dir string, logger *slog.Logger) (string, int64) {
	if f.dir != "" {
		dir = f.dir
	}
	if f.size == 0 {
		return "", 0
	}
	if err := privateDir(dir, logger); err != nil {
		logger.Error("disk cache: cannot make its folder; the edge caches in memory only", "dir", dir, "err", err)
		return "", 0
	}
	size := f.size
	if size < 0 {
		size = defaultDiskCacheMax
		if free, ok := freeBytes(dir); ok && free/2 < size {
			size = free / 2
		}
	}
	return dir, size
}
