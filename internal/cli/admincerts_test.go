package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/certs/certstest"
)

func TestAdminCertificates(t *testing.T) {
	data := t.TempDir()
	admin := func(args ...string) (int, string, string) {
		return run(t, append([]string{"admin", "--data", data}, args...)...)
	}
	if code, _, errOut := admin("account", "create", "--id", "111122223333", "--name", "a"); code != 0 {
		t.Fatalf("account create: %d %s", code, errOut)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	c, k := certstest.Pair(t, "www", "www.example.com")
	_, otherK := certstest.Pair(t, "other", "other.example.com")
	oldC, oldK := certstest.PairValid(t, "old", time.Now().Add(-48*time.Hour), time.Now().Add(-time.Hour), "old.example.com")
	cert, key, wrongKey := write("c.pem", c), write("k.pem", k), write("o.pem", otherK)
	old, oldKey := write("old.pem", oldC), write("oldk.pem", oldK)

	code, out, errOut := admin("certificate", "import", "--account", "111122223333", "--cert", cert, "--key", key)
	arn := strings.TrimSpace(out)
	if code != 0 || !regexp.MustCompile(`^arn:aws:acm:us-east-1:111122223333:certificate/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(arn) {
		t.Fatalf("import: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		code    int
		outHas  string
		errHas  string
		outLack string
	}{
		{"key of another certificate", []string{"certificate", "import", "--account", "111122223333", "--cert", cert, "--key", wrongKey}, 1, "", "does not match", ""},
		{"expired (ACM imports only valid certificates)", []string{"certificate", "import", "--account", "111122223333", "--cert", old, "--key", oldKey}, 1, "", "expired", ""},
		{"unknown account", []string{"certificate", "import", "--account", "999999999999", "--cert", cert, "--key", key}, 1, "", "not found", ""},
		{"no key", []string{"certificate", "import", "--account", "111122223333", "--cert", cert}, 2, "", "", ""},
		{"list", []string{"certificate", "list"}, 0, arn + "  111122223333  www.example.com", "", "PRIVATE KEY"},
		{"list JSON keeps the key out", []string{"--json", "certificate", "list", "--account", "111122223333"}, 0, `"certificate_arn": "` + arn, "", "PRIVATE"},
		{"delete", []string{"certificate", "delete", arn}, 0, "ok", "", ""},
		{"delete twice", []string{"certificate", "delete", arn}, 1, "", "not found", ""},
		{"list after delete", []string{"certificate", "list"}, 0, "CERTIFICATE", "", arn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := admin(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.outHas) || !strings.Contains(errOut, tc.errHas) || (tc.outLack != "" && strings.Contains(out, tc.outLack)) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
}
