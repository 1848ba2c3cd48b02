package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/store"
)

// bucketGrantJSON is one grant in `admin --json bucket …` output.
type bucketGrantJSON struct {
	Bucket    string    `json:"bucket"`
	AccountID string    `json:"account_id,omitempty"`
	OAIID     string    `json:"origin_access_identity_id,omitempty"`
	Write     bool      `json:"write"`
	Created   time.Time `json:"created"`
}

// bucketGrantFlags parses --bucket NAME (--account ID | --oai ID), and
// --write where write is offered (grant).
func bucketGrantFlags(name string, args []string, stderr io.Writer, write bool) (buckets.Grant, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g buckets.Grant
	fs.StringVar(&g.Bucket, "bucket", "", `bucket name, or "*" for every bucket`)
	fs.StringVar(&g.AccountID, "account", "", "account id: its OAIs read the bucket and its distributions log into it")
	fs.StringVar(&g.OAIID, "oai", "", "origin access identity id: it reads the bucket")
	if write {
		fs.BoolVar(&g.Write, "write", false, "the OAIs also write objects (PUT, POST, DELETE) through the edge; without it, a grant made before is changed to read only")
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || g.Bucket == "" {
		return g, errUsage
	}
	return g, g.Validate()
}

func (a *adminCmd) bucketGrant(ctx context.Context, args []string, stderr io.Writer) error {
	g, err := bucketGrantFlags("bucket grant", args, stderr, true)
	if err != nil {
		return err
	}
	sg, err := a.svc.GrantBucket(ctx, g)
	switch {
	case errors.Is(err, store.ErrExists):
		return fmt.Errorf("%s is granted to %s already, to %s", g.Bucket, g.Principal(), g.Access())
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("%s not found", g.Principal())
	case err != nil:
		return err
	}
	return a.print(grantJSON(sg), "BUCKET\tGRANTED TO\tACCESS", [][]any{{sg.Bucket, sg.Principal(), sg.Access()}})
}

func (a *adminCmd) bucketRevoke(ctx context.Context, args []string, stderr io.Writer) error {
	g, err := bucketGrantFlags("bucket revoke", args, stderr, false)
	if err != nil {
		return err
	}
	if err := a.svc.RevokeBucket(ctx, g); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("%s is not granted to %s", g.Bucket, g.Principal())
		}
		return err
	}
	return a.done(nil)
}

func (a *adminCmd) bucketList(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("bucket list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bucket := fs.String("bucket", "", `only this bucket's grants ("*": the grants of every bucket)`)
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	gs, err := a.svc.BucketGrants(ctx, *bucket)
	if err != nil {
		return err
	}
	js := []bucketGrantJSON{}
	var rows [][]any
	for _, g := range gs {
		js = append(js, grantJSON(g))
		rows = append(rows, []any{g.Bucket, g.Principal(), g.Access(), g.Created.Format(time.RFC3339)})
	}
	return a.print(js, "BUCKET\tGRANTED TO\tACCESS\tCREATED", rows)
}

func grantJSON(g store.BucketGrant) bucketGrantJSON {
	return bucketGrantJSON{Bucket: g.Bucket, AccountID: g.AccountID, OAIID: g.OAIID, Write: g.Write, Created: g.Created}
}
