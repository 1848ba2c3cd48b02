package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
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

// bootstrap makes sure an account with a working access key exists and
// that <data>/credentials holds it, and returns it. Later starts reuse the
// file when its key is still valid in the store. everyBucket grants a new
// account every bucket: serve's single-tenant quick start, where the
// operator's S3 key is the tenant's own (`openfront api` grants nothing).
func bootstrap(ctx context.Context, svc *controlplane.Service, dataDir string, everyBucket bool) (store.Account, credentials, error) {
	path := filepath.Join(dataDir, "credentials")
	if c, err := readCredentials(path); err == nil {
		if cred, err := svc.LookupCredential(ctx, c.AccessKeyID); err == nil && cred.Secret == c.SecretAccessKey && !cred.Disabled {
			return store.Account{ID: cred.AccountID}, c, nil
		}
	}
	var acct store.Account
	var key store.AccessKey
	err := svc.Store.View(ctx, func(tx store.Tx) error {
		as, err := tx.Accounts()
		if err != nil {
			return err
		}
		for _, a := range as {
			if a.Name == bootstrapAccountName && !a.Disabled {
				acct = a
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return acct, credentials{}, err
	}
	if acct.ID == "" {
		acct, key, err = svc.CreateAccount(ctx, "", bootstrapAccountName, grantEvery(everyBucket)...)
	} else {
		key, err = svc.CreateAccessKey(ctx, acct.ID)
	}
	if err != nil {
		return acct, credentials{}, fmt.Errorf("bootstrap account: %w", err)
	}
	c := credentials{AccessKeyID: key.ID, SecretAccessKey: key.Secret}
	if err := writeCredentials(path, c); err != nil {
		return acct, c, err
	}
	return acct, c, nil
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
