package accesslog

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

var folderNameTests = []struct {
	name, bucket, key string
	ok                bool
}{
	{"plain", "logs", "EDFDVBD6EXAMPLE.2012-10-02-21.A.gz", true},
	{"prefix folders", "logs", "a/b/E.2012-10-02-21.A.gz", true},
	{"dots in names", "my.logs", "example.com.E.gz", true},
	{"empty bucket", "", "k", false},
	{"bucket dotdot", "..", "k", false},
	{"bucket with slash", "a/b", "k", false},
	{"bucket with backslash", `a\b`, "k", false},
	{"key climbs out", "logs", "../other/k", false},
	{"key climbs inside", "logs", "a/../../k", false},
	{"key dot element", "logs", "./k", false},
	{"absolute key", "logs", "/etc/k", false},
	{"trailing slash", "logs", "dir/", false},
	{"NUL", "logs", "a\x00b", false},
	{"empty key", "logs", "", false},
}

func TestCheckFolderName(t *testing.T) {
	for _, tt := range folderNameTests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkFolderName(tt.bucket, tt.key); (err == nil) != tt.ok {
				t.Fatalf("checkFolderName(%q, %q) = %v", tt.bucket, tt.key, err)
			}
		})
	}
}

func TestFolderSinkPut(t *testing.T) {
	root := t.TempDir()
	s := &FolderSink{Root: root}
	ctx := context.Background()
	for _, tt := range folderNameTests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Put(ctx, tt.bucket, tt.key, []byte("body "+tt.name))
			if (err == nil) != tt.ok {
				t.Fatalf("Put(%q, %q) = %v", tt.bucket, tt.key, err)
			}
			if !tt.ok {
				return
			}
			got, err := os.ReadFile(filepath.Join(root, tt.bucket, filepath.FromSlash(tt.key)))
			if err != nil || string(got) != "body "+tt.name {
				t.Fatalf("read back %q, %v", got, err)
			}
		})
	}
	t.Run("replace", func(t *testing.T) {
		if err := s.Put(ctx, "logs", "r.gz", []byte("one")); err != nil {
			t.Fatal(err)
		}
		if err := s.Put(ctx, "logs", "r.gz", []byte("two")); err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(filepath.Join(root, "logs", "r.gz")); string(got) != "two" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("no temporary files left", func(t *testing.T) {
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".tmp" {
				t.Errorf("left behind: %s", p)
			}
			return nil
		})
	})
	t.Run("missing root", func(t *testing.T) {
		s := &FolderSink{Root: filepath.Join(root, "missing")}
		if err := s.Put(ctx, "logs", "k", nil); err == nil {
			t.Fatal("Put into a missing root succeeded")
		}
	})
}
