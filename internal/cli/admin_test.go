package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// run runs the CLI in-process and returns its exit code and outputs.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestAdminAccountsAndKeys(t *testing.T) {
	data := t.TempDir()
	admin := func(args ...string) (int, string, string) {
		return run(t, append([]string{"admin", "--data", data}, args...)...)
	}
	code, out, errOut := admin("--json", "account", "create", "--id", "111122223333", "--name", "team")
	if code != 0 {
		t.Fatalf("account create: %d %s", code, errOut)
	}
	var acct accountJSON
	if err := json.Unmarshal([]byte(out), &acct); err != nil {
		t.Fatalf("account create JSON: %v\n%s", err, out)
	}
	if acct.AccountID != "111122223333" || acct.Name != "team" || !strings.HasPrefix(acct.AccessKeyID, "AKIA") ||
		len(acct.AccessKeyID) != 20 || len(acct.SecretAccessKey) != 40 {
		t.Fatalf("account create: %+v", acct)
	}
	cases := []struct {
		name    string
		args    []string
		code    int
		outHas  string
		outLack string
	}{
		{"duplicate account", []string{"account", "create", "--id", "111122223333"}, 1, "", ""},
		{"bad account id", []string{"account", "create", "--id", "12-34"}, 1, "", ""},
		{"list text", []string{"account", "list"}, 0, "111122223333  team", ""},
		{"list JSON hides nothing it should not", []string{"--json", "account", "list"}, 0, `"account_id": "111122223333"`, acct.SecretAccessKey},
		{"second key", []string{"key", "create", "--account", "111122223333"}, 0, "AKIA", ""},
		{"key for a missing account", []string{"key", "create", "--account", "999999999999"}, 1, "", ""},
		{"keys never show secrets again", []string{"key", "list"}, 0, acct.AccessKeyID, acct.SecretAccessKey},
		{"disable key", []string{"key", "disable", acct.AccessKeyID}, 0, "ok", ""},
		{"disabled key listed so", []string{"key", "list", "--account", "111122223333"}, 0, "disabled", ""},
		{"disable account", []string{"account", "disable", "111122223333"}, 0, "ok", ""},
		{"disabled account listed so", []string{"account", "list"}, 0, "disabled", ""},
		{"enable account", []string{"account", "enable", "111122223333"}, 0, "ok", ""},
		{"unknown id", []string{"key", "delete", "AKIANOTHERE"}, 1, "", ""},
		{"edge key", []string{"--json", "edge-key", "create"}, 0, `"feed_auth": "EK`, ""},
		{"edge list empty", []string{"edge", "list"}, 0, "EDGE", ""},
		{"delete unknown edge", []string{"edge", "delete", "edge-nope"}, 1, "", ""},
		{"unknown command", []string{"account", "frobnicate"}, 2, "", ""},
		{"delete account", []string{"account", "delete", "111122223333"}, 0, "ok", ""},
		{"deleted account's keys are gone", []string{"key", "list"}, 0, "", acct.AccessKeyID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := admin(c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errOut)
			}
			if c.outHas != "" && !strings.Contains(out, c.outHas) {
				t.Errorf("stdout lacks %q:\n%s", c.outHas, out)
			}
			if c.outLack != "" && strings.Contains(out, c.outLack) {
				t.Errorf("stdout has %q:\n%s", c.outLack, out)
			}
		})
	}
}

func TestAdminKeyPair(t *testing.T) {
	data := t.TempDir()
	code, out, errOut := run(t, "admin", "--data", data, "--json", "account", "create", "--name", "signer")
	if code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	var acct accountJSON
	json.Unmarshal([]byte(out), &acct)
	priv := data + "/signer.pem"
	code, out, errOut = run(t, "admin", "--data", data, "--json", "keypair", "create", "--account", acct.AccountID, "--private-key-out", priv)
	if code != 0 {
		t.Fatalf("keypair create: %d %s", code, errOut)
	}
	var kp keyPairJSON
	json.Unmarshal([]byte(out), &kp)
	if !strings.HasPrefix(kp.KeyPairID, "APKA") || !kp.Active {
		t.Fatalf("keypair: %+v", kp)
	}
	if code, out, _ = run(t, "admin", "--data", data, "keypair", "deactivate", kp.KeyPairID); code != 0 {
		t.Fatalf("deactivate: %d", code)
	}
	if _, out, _ = run(t, "admin", "--data", data, "keypair", "list"); !strings.Contains(out, "inactive") {
		t.Fatalf("list after deactivate:\n%s", out)
	}
}

func TestEnvironmentFlags(t *testing.T) {
	t.Setenv("OPENFRONT_DATA", t.TempDir())
	// admin reads --data from OPENFRONT_DATA: the account lands there.
	if code, _, errOut := run(t, "admin", "account", "create", "--name", "env"); code != 0 {
		t.Fatalf("%d %s", code, errOut)
	}
	if _, out, _ := run(t, "admin", "account", "list"); !strings.Contains(out, "env") {
		t.Fatalf("account not found through OPENFRONT_DATA:\n%s", out)
	}
	t.Setenv("OPENFRONT_LIMIT_CNAMES", "not-a-number")
	if code, _, _ := run(t, "serve", "--api-addr", "127.0.0.1:0"); code == 0 {
		t.Fatal("a bad OPENFRONT_LIMIT_CNAMES was accepted")
	}
}
