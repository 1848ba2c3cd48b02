package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

// secretVar registers a flag whose value is a secret as --name and as
// --name-file, which reads the value from a file: a command line is
// readable by every user of the machine (ps, /proc/PID/cmdline), a file
// of mode 0600 is not. OPENFRONT_<NAME> and OPENFRONT_<NAME>_FILE work
// too (a process's environment is readable by its owner only). Giving
// both forms is an error.
func secretVar(fs *flag.FlagSet, p *string, name, usage string) {
	fs.StringVar(p, name, "", usage+" (shows in process lists: prefer --"+name+"-file)")
	fs.Var(&secretFileFlag{base: name, target: p}, name+"-file", "file whose content is --"+name+" (keeps it out of process lists)")
}

// secretFileFlag is the --name-file half of a secretVar.
type secretFileFlag struct {
	base   string
	target *string
	path   string
}

func (f *secretFileFlag) String() string {
	if f == nil {
		return ""
	}
	return f.path
}

// Set reads the file now, so that a missing or empty one fails like any
// bad flag value. Surrounding white space (a final newline) is dropped.
func (f *secretFileFlag) Set(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return errors.New(path + " is empty")
	}
	*f.target, f.path = v, path
	return nil
}

// secretFiles returns the --name-file flags of fs, by the name of the
// flag they fill.
func secretFiles(fs *flag.FlagSet) map[string]*flag.Flag {
	out := map[string]*flag.Flag{}
	fs.VisitAll(func(f *flag.Flag) {
		if sf, ok := f.Value.(*secretFileFlag); ok {
			out[sf.base] = f
		}
	})
	return out
}

// checkSecretFlags refuses a secret given both ways. given holds the flags
// set on the command line or from the environment.
func checkSecretFlags(fs *flag.FlagSet, given map[string]bool) error {
	for base, f := range secretFiles(fs) {
		if given[base] && given[f.Name] {
			return fmt.Errorf("--%s and --%s exclude each other", base, f.Name)
		}
	}
	return nil
}
