package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/store"
)

// certificateJSON is one certificate in `admin --json certificate …`
// output. The private key is never printed.
type certificateJSON struct {
	ARN       string    `json:"certificate_arn"`
	AccountID string    `json:"account_id"`
	Names     []string  `json:"names"`
	NotAfter  time.Time `json:"not_after"`
	Created   time.Time `json:"created"`
}

func certJSON(c store.Certificate) certificateJSON {
	return certificateJSON{c.ARN, c.AccountID, append([]string{}, c.Names...), c.NotAfter, c.Created}
}

// certificateImport reads --cert, --key and --chain, checks them and
// prints the new certificate's ARN (alone, so scripts can keep it).
func (a *adminCmd) certificateImport(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("certificate import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "account id that owns the certificate")
	certFile := fs.String("cert", "", "PEM certificate (the leaf only)")
	keyFile := fs.String("key", "", "PEM private key of --cert (unencrypted)")
	chainFile := fs.String("chain", "", "PEM intermediate certificates (optional)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || *account == "" || *certFile == "" || *keyFile == "" {
		return errUsage
	}
	read := func(name string) ([]byte, error) {
		if name == "" {
			return nil, nil
		}
		return os.ReadFile(name)
	}
	var pems [3][]byte
	for i, f := range []string{*certFile, *keyFile, *chainFile} {
		b, err := read(f)
		if err != nil {
			return err
		}
		pems[i] = b
	}
	c, err := a.svc.ImportCertificate(ctx, *account, pems[0], pems[1], pems[2])
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("account %s not found", *account)
	}
	if err != nil {
		return err
	}
	if a.asJSON {
		return a.print(certJSON(c), "", nil)
	}
	_, err = fmt.Fprintln(a.out, c.ARN)
	return err
}

func (a *adminCmd) certificateList(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("certificate list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "only this account's certificates")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var cs []store.Certificate
	if err := a.svc.Store.View(ctx, func(tx store.Tx) (err error) { cs, err = tx.Certificates(*account); return }); err != nil {
		return err
	}
	js := []certificateJSON{}
	var rows [][]any
	for _, c := range cs {
		js = append(js, certJSON(c))
		rows = append(rows, []any{c.ARN, c.AccountID, strings.Join(c.Names, ","), c.NotAfter.UTC().Format(time.RFC3339)})
	}
	return a.print(js, "CERTIFICATE\tACCOUNT\tNAMES\tNOT AFTER", rows)
}

func (a *adminCmd) certificateDelete(ctx context.Context, args []string) error {
	arn, err := oneArg(args)
	if err != nil {
		return err
	}
	err = a.svc.DeleteCertificate(ctx, arn)
	if errors.Is(err, controlplane.ErrCertificateInUse) {
		return err
	}
	return a.done(err)
}
