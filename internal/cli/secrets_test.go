package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSecretFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "secret")
	if err := os.WriteFile(file, []byte("from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    string
		wantErr bool
	}{
		{"value", []string{"--token", "on-the-line"}, nil, "on-the-line", false},
		{"file, final newline dropped", []string{"--token-file", file}, nil, "from-file", false},
		{"environment", nil, map[string]string{"OPENFRONT_TOKEN": "from-env"}, "from-env", false},
		{"file from the environment", nil, map[string]string{"OPENFRONT_TOKEN_FILE": file}, "from-file", false},
		{"file beats the value's environment variable", []string{"--token-file", file}, map[string]string{"OPENFRONT_TOKEN": "from-env"}, "from-file", false},
		{"both on the command line", []string{"--token", "x", "--token-file", file}, nil, "", true},
		{"value and the file's environment variable", []string{"--token", "x"}, map[string]string{"OPENFRONT_TOKEN_FILE": file}, "", true},
		{"missing file", []string{"--token-file", filepath.Join(dir, "nope")}, nil, "", true},
		{"empty file", []string{"--token-file", empty}, nil, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			var got string
			secretVar(fs, &got, "token", "a token")
			err := parseFlags(fs, tt.args)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOpenStoreTightensModes: a data folder and database left with loose
// modes (an older version, a careless copy) are tightened, with a log line.
func TestOpenStoreTightensModes(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	st, err := openStore(context.Background(), "", data, nil)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db := filepath.Join(data, "openfront.db")
	for _, p := range []string{data, db} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var logs bytes.Buffer
	st, err = openStore(context.Background(), "", data, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for p, want := range map[string]os.FileMode{data: 0o700, db: 0o600, db + "-wal": 0o600, db + "-shm": 0o600} {
		fi, err := os.Stat(p)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) && p != data && p != db {
				continue
			}
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %#o, want %#o", p, fi.Mode().Perm(), want)
		}
	}
	if n := strings.Count(logs.String(), "tightened a mode"); n != 2 {
		t.Errorf("%d log lines about tightened modes, want 2:\n%s", n, logs.String())
	}
}
