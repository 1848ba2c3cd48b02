package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestAdminBucketGrants(t *testing.T) {
	data := t.TempDir()
	admin := func(args ...string) (int, string, string) {
		return run(t, append([]string{"admin", "--data", data}, args...)...)
	}
	if code, _, errOut := admin("account", "create", "--id", "111122223333", "--name", "a"); code != 0 {
		t.Fatalf("account create: %d %s", code, errOut)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		outHas  string
		outLack string
	}{
		{"grant to an account", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333"}, 0, "alogs   account 111122223333", ""},
		{"grant every bucket", []string{"bucket", "grant", "--bucket", "*", "--account", "111122223333"}, 0, "*", ""},
		{"grant twice", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333"}, 1, "", ""},
		{"grant to write", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333", "--write"}, 0, "alogs   account 111122223333  read and write", ""},
		{"grant to write twice", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333", "--write"}, 1, "", ""},
		{"list shows writes", []string{"bucket", "list", "--bucket", "alogs"}, 0, "read and write", ""},
		{"list JSON shows writes", []string{"--json", "bucket", "list", "--bucket", "alogs"}, 0, `"write": true`, ""},
		{"grant to read again", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333"}, 0, "alogs   account 111122223333  read", "write"},
		{"list after read again", []string{"bucket", "list", "--bucket", "alogs"}, 0, "read", "write"},
		{"revoke takes no --write", []string{"bucket", "revoke", "--bucket", "alogs", "--account", "111122223333", "--write"}, 2, "", ""},
		{"grant to a missing account", []string{"bucket", "grant", "--bucket", "alogs", "--account", "999999999999"}, 1, "", ""},
		{"grant to a missing OAI", []string{"bucket", "grant", "--bucket", "alogs", "--oai", "E404EXAMPLE"}, 1, "", ""},
		{"grant to both", []string{"bucket", "grant", "--bucket", "alogs", "--account", "111122223333", "--oai", "E1"}, 1, "", ""},
		{"grant to nobody", []string{"bucket", "grant", "--bucket", "alogs"}, 1, "", ""},
		{"grant without bucket", []string{"bucket", "grant", "--account", "111122223333"}, 2, "", ""},
		{"bad bucket name", []string{"bucket", "grant", "--bucket", "A_Logs", "--account", "111122223333"}, 1, "", ""},
		{"bucket name with a newline", []string{"bucket", "grant", "--bucket", "lo\ngs", "--account", "111122223333"}, 1, "", ""},
		{"list", []string{"bucket", "list"}, 0, "*       account 111122223333", ""},
		{"list one bucket", []string{"bucket", "list", "--bucket", "alogs"}, 0, "alogs", "*"},
		{"list JSON", []string{"--json", "bucket", "list"}, 0, `"bucket": "alogs"`, `"origin_access_identity_id"`},
		{"revoke", []string{"bucket", "revoke", "--bucket", "alogs", "--account", "111122223333"}, 0, "ok", ""},
		{"revoke twice", []string{"bucket", "revoke", "--bucket", "alogs", "--account", "111122223333"}, 1, "", ""},
		{"list after revoke", []string{"bucket", "list"}, 0, "*", "alogs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := admin(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.outHas) || (tc.outLack != "" && strings.Contains(out, tc.outLack)) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tc.code, out, errOut)
			}
		})
	}
	_, out, _ := admin("--json", "bucket", "list")
	var gs []bucketGrantJSON
	if err := json.Unmarshal([]byte(out), &gs); err != nil || len(gs) != 1 || gs[0].Bucket != "*" || gs[0].AccountID != "111122223333" {
		t.Fatalf("JSON list: %v %s", err, out)
	}
	// Deleting the account takes its grants with it.
	if code, _, errOut := admin("account", "delete", "111122223333"); code != 0 {
		t.Fatalf("account delete: %d %s", code, errOut)
	}
	if _, out, _ := admin("--json", "bucket", "list"); strings.TrimSpace(out) != "[]" {
		t.Fatalf("grants outlived their account: %s", out)
	}
}
