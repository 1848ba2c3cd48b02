// Package cli implements openfront's subcommands. Each has its own file,
// flag set and config struct; nothing here is global.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage: openfront <command> [flags]

commands:
  serve   control plane, config feed and one edge in one process
  api     control plane and config feed only (edges connect to it)
  edge    one edge server that follows a control plane's config feed
  admin   manage accounts, access keys, key pairs and edge keys
  request send one signed API request (like curl), e.g.
          openfront request POST /2012-07-01/distribution config.xml
  version print the version

Every flag can also be set with an OPENFRONT_* environment variable:
--api-addr is OPENFRONT_API_ADDR. Run "openfront <command> -h" for flags.
`

// Version is set at build time with -ldflags "-X .../cli.Version=...".
var Version = "dev"

// Run runs the subcommand named by args[0] and returns the exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "api":
		err = runAPI(ctx, args[1:], stdout, stderr)
	case "edge":
		err = runEdge(ctx, args[1:], stdout, stderr)
	case "admin":
		err = runAdmin(ctx, args[1:], stdout, stderr)
	case "request":
		err = runRequest(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "openfront", Version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "openfront: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	default:
		fmt.Fprintln(stderr, "openfront:", err)
		return 1
	}
}

var errUsage = errors.New("usage")

// parseFlags parses args, then fills every flag not given on the command
// line from OPENFRONT_<NAME> (upper case, '-' as '_').
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	given := map[string]bool{} // on the command line or from the environment
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	// A secret read from its file is not overwritten from the environment.
	skip := map[string]bool{}
	for base, f := range secretFiles(fs) {
		skip[base] = given[f.Name]
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || skip[f.Name] || err != nil {
			return
		}
		env := "OPENFRONT_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
			given[f.Name] = true
		}
	})
	if err != nil {
		return err
	}
	return checkSecretFlags(fs, given)
}
