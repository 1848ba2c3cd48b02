package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/openfront/openfront/internal/auth"
)

// headerFlags collects repeated -H "Name: value" flags.
type headerFlags []string

func (h *headerFlags) String() string     { return strings.Join(*h, ", ") }
func (h *headerFlags) Set(v string) error { *h = append(*h, v); return nil }

// runRequest sends one signed API request, like curl with the 2012 AWS
// signature, so the API can be tried without an SDK:
//
//	openfront request POST /2012-07-01/distribution config.xml
func runRequest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("request", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: openfront request [flags] METHOD PATH [BODY-FILE | -]")
		fs.PrintDefaults()
	}
	endpoint := fs.String("endpoint", "http://127.0.0.1:8080", "the API's URL")
	credFile := fs.String("credentials", "./openfront-data/credentials", "shared-credentials file whose [default] profile signs the request")
	var headers headerFlags
	fs.Var(&headers, "H", `extra header, "Name: value" (repeatable), e.g. -H "If-Match: E2QWRUHAPOMQZL"`)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) < 2 || len(rest) > 3 {
		fs.Usage()
		return errUsage
	}
	c, err := readCredentials(*credFile)
	if err != nil {
		return fmt.Errorf("%s: %w", *credFile, err)
	}
	var body []byte
	if len(rest) == 3 {
		if rest[2] == "-" {
			body, err = io.ReadAll(os.Stdin)
		} else {
			body, err = os.ReadFile(rest[2])
		}
		if err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(rest[0]), strings.TrimRight(*endpoint, "/")+rest[1], strings.NewReader(string(body)))
	if err != nil {
		return err
	}
	for _, h := range headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok {
			return errors.New(`-H wants "Name: value"`)
		}
		req.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "text/xml")
	}
	auth.SignLegacy(req, c.AccessKeyID, c.SecretAccessKey, time.Now())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	fmt.Fprintln(stdout, res.Proto, res.Status)
	names := make([]string, 0, len(res.Header))
	for k := range res.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range res.Header[k] {
			fmt.Fprintf(stdout, "%s: %s\n", k, v)
		}
	}
	fmt.Fprintln(stdout)
	if _, err := io.Copy(stdout, res.Body); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	if res.StatusCode >= 400 {
		return fmt.Errorf("%s", res.Status)
	}
	return nil
}
