package cli

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"github.com/openfront/openfront/internal/controlplane"
	"github.com/openfront/openfront/internal/feed"
	"github.com/openfront/openfront/internal/store"
)

const adminUsage = `usage: openfront admin [--data DIR] [--store DSN] [--json] <noun> <verb> [args]

  account create [--id 12DIGITS] [--name NAME]   an account and its first access key
  account list | disable ID | enable ID | delete ID
  key create --account ID                         another access key
  key list [--account ID] | disable ID | enable ID | delete ID
  keypair create --account ID [--public-key FILE] [--private-key-out FILE]
                                                  a CloudFront key pair for signed URLs
                                                  (without --public-key an RSA key is made)
  keypair list [--account ID] | activate ID | deactivate ID | delete ID
  bucket grant --bucket NAME|'*' (--account ID | --oai ID) [--write]
                                                  let an account (its OAIs read, its
                                                  distributions log) or one OAI (read)
                                                  use a bucket through the operator's S3 key;
                                                  --write: the OAIs write objects too
  bucket revoke --bucket NAME|'*' (--account ID | --oai ID)
  bucket list [--bucket NAME]
  certificate import --account ID --cert FILE --key FILE [--chain FILE]
                                                  a viewer certificate for the account's CNAMEs;
                                                  prints its ARN (ACMCertificateArn)
  certificate list [--account ID] | delete ARN
  edge-key create [--price-class 100|200|All]     an edge's credential: the key id is the edge's id
  edge-key list | delete ID                       keys and their edges; delete revokes and forgets the edge
  edge list | delete ID                           registered edges and their state; forget one
`

type adminCmd struct {
	svc    *controlplane.Service
	asJSON bool
	out    io.Writer
}

func runAdmin(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("admin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, adminUsage) }
	data := fs.String("data", "./openfront-data", "data folder (as for serve)")
	var dsn string
	secretVar(fs, &dsn, "store", "store (as for serve)")
	asJSON := fs.Bool("json", false, "print JSON instead of text")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) < 2 {
		fs.Usage()
		return errUsage
	}
	st, err := openStore(ctx, dsn, *data, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	a := &adminCmd{svc: &controlplane.Service{Store: st}, asJSON: *asJSON, out: stdout}
	noun, verb, vargs := rest[0], rest[1], rest[2:]
	switch noun + " " + verb {
	case "account create":
		return a.accountCreate(ctx, vargs, stderr)
	case "account list":
		return a.accountList(ctx)
	case "account disable", "account enable", "account delete":
		id, err := oneArg(vargs)
		if err != nil {
			return err
		}
		if verb == "delete" {
			return a.done(a.svc.DeleteAccount(ctx, id))
		}
		return a.done(a.svc.SetAccountDisabled(ctx, id, verb == "disable"))
	case "key create":
		return a.keyCreate(ctx, vargs, stderr)
	case "key list":
		return a.keyList(ctx, vargs, stderr)
	case "key disable", "key enable", "key delete":
		id, err := oneArg(vargs)
		if err != nil {
			return err
		}
		if verb == "delete" {
			return a.done(st.Update(ctx, func(tx store.Tx) error { return tx.DeleteAccessKey(id) }))
		}
		return a.done(a.svc.SetAccessKeyDisabled(ctx, id, verb == "disable"))
	case "keypair create":
		return a.keyPairCreate(ctx, vargs, stderr)
	case "keypair list":
		return a.keyPairList(ctx, vargs, stderr)
	case "keypair activate", "keypair deactivate", "keypair delete":
		id, err := oneArg(vargs)
		if err != nil {
			return err
		}
		if verb == "delete" {
			return a.done(a.svc.DeleteKeyPair(ctx, id))
		}
		return a.done(a.svc.SetKeyPairActive(ctx, id, verb == "activate"))
	case "bucket grant":
		return a.bucketGrant(ctx, vargs, stderr)
	case "bucket revoke":
		return a.bucketRevoke(ctx, vargs, stderr)
	case "bucket list":
		return a.bucketList(ctx, vargs, stderr)
	case "certificate import":
		return a.certificateImport(ctx, vargs, stderr)
	case "certificate list":
		return a.certificateList(ctx, vargs, stderr)
	case "certificate delete":
		return a.certificateDelete(ctx, vargs)
	case "edge-key create":
		return a.edgeKeyCreate(ctx, vargs, stderr)
	case "edge-key list":
		return a.edgeKeyList(ctx)
	case "edge-key delete":
		id, err := oneArg(vargs)
		if err != nil {
			return err
		}
		return a.done(a.edgeKeyDelete(ctx, id))
	case "edge list":
		return a.edgeList(ctx)
	case "edge delete":
		id, err := oneArg(vargs)
		if err != nil {
			return err
		}
		return a.done(st.Update(ctx, func(tx store.Tx) error { return tx.DeleteEdge(id) }))
	}
	fs.Usage()
	return errUsage
}

func oneArg(args []string) (string, error) {
	if len(args) != 1 {
		return "", fmt.Errorf("want exactly one id, got %d arguments", len(args))
	}
	return args[0], nil
}

func (a *adminCmd) done(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return errors.New("not found")
	}
	if err == nil && !a.asJSON {
		fmt.Fprintln(a.out, "ok")
	}
	return err
}

// print writes v as JSON, or the text rows as a table.
func (a *adminCmd) print(v any, header string, rows [][]any) error {
	if a.asJSON {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	tw := tabwriter.NewWriter(a.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

type accountJSON struct {
	AccountID       string    `json:"account_id"`
	Name            string    `json:"name"`
	Disabled        bool      `json:"disabled"`
	Created         time.Time `json:"created"`
	AccessKeyID     string    `json:"aws_access_key_id,omitempty"`
	SecretAccessKey string    `json:"aws_secret_access_key,omitempty"`
}

func (a *adminCmd) accountCreate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("account create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	id := fs.String("id", "", "12-digit account number (default: random)")
	name := fs.String("name", "", "account name")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	acct, key, err := a.svc.CreateAccount(ctx, *id, *name)
	if err != nil {
		return err
	}
	j := accountJSON{acct.ID, acct.Name, acct.Disabled, acct.Created, key.ID, key.Secret}
	return a.print(j, "ACCOUNT\tNAME\tACCESS KEY\tSECRET", [][]any{{acct.ID, acct.Name, key.ID, key.Secret}})
}

func (a *adminCmd) accountList(ctx context.Context) error {
	var as []store.Account
	if err := a.svc.Store.View(ctx, func(tx store.Tx) (err error) { as, err = tx.Accounts(); return }); err != nil {
		return err
	}
	js := []accountJSON{}
	var rows [][]any
	for _, x := range as {
		js = append(js, accountJSON{AccountID: x.ID, Name: x.Name, Disabled: x.Disabled, Created: x.Created})
		rows = append(rows, []any{x.ID, x.Name, state(!x.Disabled, "enabled", "disabled"), x.Created.Format(time.RFC3339)})
	}
	return a.print(js, "ACCOUNT\tNAME\tSTATE\tCREATED", rows)
}

func state(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

type keyJSON struct {
	AccessKeyID     string    `json:"aws_access_key_id"`
	SecretAccessKey string    `json:"aws_secret_access_key,omitempty"`
	AccountID       string    `json:"account_id"`
	Disabled        bool      `json:"disabled"`
	Created         time.Time `json:"created"`
}

func (a *adminCmd) keyCreate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("key create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "account id")
	if err := fs.Parse(args); err != nil || *account == "" {
		return errUsage
	}
	k, err := a.svc.CreateAccessKey(ctx, *account)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("account %s not found", *account)
	}
	if err != nil {
		return err
	}
	return a.print(keyJSON{k.ID, k.Secret, k.AccountID, k.Disabled, k.Created},
		"ACCESS KEY\tSECRET\tACCOUNT", [][]any{{k.ID, k.Secret, k.AccountID}})
}

func (a *adminCmd) keyList(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("key list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "only this account's keys")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	var ks []store.AccessKey
	if err := a.svc.Store.View(ctx, func(tx store.Tx) (err error) { ks, err = tx.AccessKeys(*account); return }); err != nil {
		return err
	}
	js := []keyJSON{}
	var rows [][]any
	for _, k := range ks {
		// Secrets are shown once, at creation.
		js = append(js, keyJSON{AccessKeyID: k.ID, AccountID: k.AccountID, Disabled: k.Disabled, Created: k.Created})
		rows = append(rows, []any{k.ID, k.AccountID, state(!k.Disabled, "enabled", "disabled"), k.Created.Format(time.RFC3339)})
	}
	return a.print(js, "ACCESS KEY\tACCOUNT\tSTATE\tCREATED", rows)
}

type keyPairJSON struct {
	KeyPairID string    `json:"key_pair_id"`
	AccountID string    `json:"account_id"`
	Active    bool      `json:"active"`
	Created   time.Time `json:"created"`
}

func (a *adminCmd) keyPairCreate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("keypair create", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "account id")
	pubFile := fs.String("public-key", "", "PEM RSA public key (default: generate a key pair)")
	privOut := fs.String("private-key-out", "", "where to write the generated private key (PEM, mode 0600)")
	if err := fs.Parse(args); err != nil || *account == "" {
		return errUsage
	}
	var pubPEM []byte
	if *pubFile != "" {
		b, err := os.ReadFile(*pubFile)
		if err != nil {
			return err
		}
		if blk, _ := pem.Decode(b); blk == nil {
			return errors.New("--public-key: not a PEM file")
		}
		pubPEM = b
	} else {
		if *privOut == "" {
			return errors.New("--private-key-out is required when generating a key pair")
		}
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
		if err := writeFileAtomic(*privOut, priv, 0o600); err != nil {
			return err
		}
		der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
		if err != nil {
			return err
		}
		pubPEM = pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	k, err := a.svc.CreateKeyPair(ctx, *account, string(pubPEM))
	if err != nil {
		return err
	}
	return a.print(keyPairJSON{k.ID, k.AccountID, k.Active, k.Created}, "KEY PAIR\tACCOUNT", [][]any{{k.ID, k.AccountID}})
}

func (a *adminCmd) keyPairList(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("keypair list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	account := fs.String("account", "", "only this account's key pairs")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	var ks []store.KeyPair
	if err := a.svc.Store.View(ctx, func(tx store.Tx) (err error) { ks, err = tx.KeyPairs(*account); return }); err != nil {
		return err
	}
	js := []keyPairJSON{}
	var rows [][]any
	for _, k := range ks {
		js = append(js, keyPairJSON{k.ID, k.AccountID, k.Active, k.Created})
		rows = append(rows, []any{k.ID, k.AccountID, state(k.Active, "active", "inactive")})
	}
	return a.print(js, "KEY PAIR\tACCOUNT\tSTATE", rows)
}

func (a *adminCmd) edgeList(ctx context.Context) error {
	var es []store.Edge
	if err := a.svc.Store.View(ctx, func(tx store.Tx) (err error) { es, err = tx.Edges(); return }); err != nil {
		return err
	}
	now := time.Now()
	js := []map[string]any{}
	var rows [][]any
	for _, e := range es {
		live := feed.Live(e, now, feed.DefaultTimeout)
		js = append(js, map[string]any{"edge_id": e.ID, "name": e.Name, "price_class": e.PriceClass,
			"live": live, "acked_revision": e.AckedRevision, "last_seen": e.LastSeen})
		rows = append(rows, []any{e.ID, e.Name, e.PriceClass, state(live, "live", "gone"), e.AckedRevision, e.LastSeen.Format(time.RFC3339)})
	}
	return a.print(js, "EDGE\tNAME\tPRICE CLASS\tSTATE\tREVISION\tLAST SEEN", rows)
}
