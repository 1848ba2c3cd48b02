package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
)

// The data folder holds every secret (the database has every access key
// and edge key; the credentials file the bootstrap key): the folder is
// 0700 and the files in it 0600, whatever the umask, and looser modes
// found on a start are tightened, with a log line saying so.
const (
	privateDirMode  fs.FileMode = 0o700
	privateFileMode fs.FileMode = 0o600
)

// privateDir makes dir, or tightens it, to privateDirMode.
func privateDir(dir string, logger *slog.Logger) error {
	if err := os.MkdirAll(dir, privateDirMode); err != nil {
		return err
	}
	return tighten(dir, privateDirMode, logger)
}

// sqliteFiles are the files SQLite keeps for a database at path.
func sqliteFiles(path string) []string {
	return []string{path, path + "-wal", path + "-shm", path + "-journal"}
}

// privateSQLite creates the database file at path with privateFileMode
// if it does not exist (SQLite would create it 0644 less the umask, and
// its -wal and -shm files take the database's mode), and tightens it and
// the files beside it if they exist.
func privateSQLite(path string, logger *slog.Logger) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, privateFileMode)
	switch {
	case err == nil:
		// The umask may only have removed bits; set exactly.
		err = errors.Join(f.Chmod(privateFileMode), f.Close())
		if err != nil {
			return err
		}
	case !errors.Is(err, fs.ErrExist):
		return err
	}
	for _, p := range sqliteFiles(path) {
		if err := tighten(p, privateFileMode, logger); err != nil {
			return err
		}
	}
	return nil
}

// tighten removes from path's mode every bit mode lacks; a missing path
// is left alone.
func tighten(path string, mode fs.FileMode, logger *slog.Logger) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	was := st.Mode().Perm()
	if was&^mode == 0 {
		return nil
	}
	if err := os.Chmod(path, was&mode); err != nil {
		return fmt.Errorf("tightening the mode of %s: %w", path, err)
	}
	if logger != nil {
		logger.Warn("tightened a mode: the data folder holds secrets", "path", path,
			"was", fmt.Sprintf("%#o", was), "now", fmt.Sprintf("%#o", was&mode))
	}
	return nil
}
