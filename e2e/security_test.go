package e2e

// The security suite: each TestSecurity… test replays one attack from the
// multi-tenant security review against the real binary, and is named after
// what it protects. Helpers that several of them share live here; a test's
// own helpers live in its file.

import (
	"encoding/json"
	"os/exec"
	"testing"
)

// tenant adds an account to the store in data (through `openfront admin`,
// as an operator would) and returns a client that signs as it against the
// control plane at base.
func tenant(t *testing.T, data, base, name string) (accountID string, c *apiClient) {
	t.Helper()
	out, err := exec.Command(binary(t), "admin", "--data", data, "--json", "account", "create", "--name", name).Output()
	if err != nil {
		t.Fatalf("admin account create: %v", err)
	}
	var a struct {
		AccountID string `json:"account_id"`
		KeyID     string `json:"aws_access_key_id"`
		Secret    string `json:"aws_secret_access_key"`
	}
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("admin account create: %v: %s", err, out)
	}
	return a.AccountID, &apiClient{base: base, id: a.KeyID, secret: a.Secret}
}
