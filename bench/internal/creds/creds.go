// Package creds reads the bootstrap credentials the bench tools sign with.
package creds

import (
	"bufio"
	"errors"
	"os"
	"strings"
)

// Read reads the [default] profile's key of a shared credentials file.
func Read(path string) (id, secret string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "aws_access_key_id":
			id = strings.TrimSpace(v)
		case "aws_secret_access_key":
			secret = strings.TrimSpace(v)
		}
	}
	if id == "" || secret == "" {
		return "", "", errors.New(path + ": no aws_access_key_id / aws_secret_access_key")
	}
	return id, secret, sc.Err()
}
