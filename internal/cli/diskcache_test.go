package cli

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
)

func TestDiskCacheFlags(t *testing.T) {
	def := filepath.Join(t.TempDir(), "cache")
	other := filepath.Join(t.TempDir(), "elsewhere")
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	free, _ := freeBytes(filepath.Dir(def))
	cases := []struct {
		name     string
		f        diskCacheFlags
		wantDir  string
		wantSize func(int64) bool
	}{
		{"defaults", diskCacheFlags{size: -1}, def, func(n int64) bool { return n > 0 && n <= defaultDiskCacheMax && n <= free/2+1 }},
		{"size 0 turns it off", diskCacheFlags{size: 0}, "", func(n int64) bool { return n == 0 }},
		{"explicit", diskCacheFlags{dir: other, size: 12345}, other, func(n int64) bool { return n == 12345 }},
		{"folder cannot be made: memory only", diskCacheFlags{dir: filepath.Join(file, "c"), size: -1}, "", func(n int64) bool { return n == 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, size := tc.f.resolve(def, slog.New(slog.DiscardHandler))
			if dir != tc.wantDir || !tc.wantSize(size) {
				t.Fatalf("resolve: %q, %d", dir, size)
			}
			if dir != "" {
				st, err := os.Stat(dir)
				if err != nil || st.Mode().Perm() != 0o700 {
					t.Errorf("folder %v, %v: want 0700 (tenants' objects)", st.Mode(), err)
				}
			}
		})
	}
}
