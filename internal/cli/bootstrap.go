package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/store"
)

const bootstrapAccountName = "bootstrap"

// credentials is one profile of an AWS shared-credentials file.
type credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// bootstrapped is what a start has to say about the bootstrap account.
type bootstrapped struct {
	acct  store.Account
	fresh bool        // this start made it
	creds credentials // its key, only when fresh
	path  string      // <data>/credentials
}

// bootstrap makes the bootstrap account and its key on a store's first
// start, writes the key to <data>/credentials (mode 0600), and on any later
// start makes nothing: an account or key the operator disabled stays
// disabled, and the secret is shown by the first start only. everyBucket
// grants the new account every bucket: serve's single-tenant quick start,
// where the operator's S3 key is the tenant's own (`openfront api` grants
// nothing).
func bootstrap(ctx context.Context, svc *controlplane.Service, dataDir string, everyBucket bool) (bootstrapped, error) {
	b := bootstrapped{path: filepath.Join(dataDir, "credentials")}
	acct, key, fresh, err := svc.Bootstrap(ctx, bootstrapAccountName, grantEvery(everyBucket)...)
	if err != nil {
		return bootstrapped{}, fmt.Errorf("bootstrap account: %w", err)
	}
	b.acct, b.fresh = acct, fresh
	if !fresh {
		return b, nil
	}
	b.creds = credentials{AccessKeyID: key.ID, SecretAccessKey: key.Secret}
	if err := writeCredentials(b.path, b.creds); err != nil {
		return b, fmt.Errorf("writing the bootstrap credentials: %w", err)
	}
	return b, nil
}

// print tells where the credentials are; the first start shows them too.
func (b bootstrapped) print(w io.Writer) {
	switch {
	case b.path == "":
	case b.fresh:
		fmt.Fprintf(w, "account %s\naws_access_key_id = %s\naws_secret_access_key = %s\n(saved in %s)\n",
			b.acct.ID, b.creds.AccessKeyID, b.creds.SecretAccessKey, b.path)
	default:
		switch {
		case b.acct.Disabled:
			fmt.Fprintf(w, "account %s (disabled)\n", b.acct.ID)
		case b.acct.ID != "":
			fmt.Fprintf(w, "account %s\n", b.acct.ID)
		}
		if _, err := os.Stat(b.path); err == nil {
			fmt.Fprintf(w, "(saved in %s by the first start; the secret is not shown again)\n", b.path)
		} else {
			fmt.Fprintln(w, "(the first start of this store wrote the credentials elsewhere; 'openfront admin key create' makes keys)")
		}
	}
}

// grantEvery is the buckets a new bootstrap account gets: every one for
// serve, none for api.
func grantEvery(everyBucket bool) []string {
	if everyBucket {
		return []string{buckets.Every}
	}
	return nil
}

// readCredentials reads the [default] profile of a shared-credentials file.
func readCredentials(path string) (credentials, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return credentials{}, err
	}
	var c credentials
	section := ""
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			section = strings.Trim(line, "[] ")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "default" {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			c.AccessKeyID = strings.TrimSpace(v)
		case "aws_secret_access_key":
			c.SecretAccessKey = strings.TrimSpace(v)
		}
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return c, errors.New("no [default] credentials")
	}
	return c, nil
}

// writeCredentials writes the file atomically with mode 0600.
func writeCredentials(path string, c credentials) error {
	body := fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", c.AccessKeyID, c.SecretAccessKey)
	return writeFileAtomic(path, []byte(body), 0o600)
}

// writeFileAtomic writes via a temporary file, fsync and rename, so a crash
// leaves the old file or the new one.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
