package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDeps guards the import graph: imports point one way, and the edge's
// request path never links the database or an API version's codec.
func TestDeps(t *testing.T) {
	const mod = "github.com/openfront/openfront/"
	rules := []struct {
		pkg       string
		direct    bool // check direct imports only
		forbidden []string
		why       string
	}{
		{"internal/pathpattern", false, []string{mod}, "a leaf: matching only"},
		{"internal/cloudfront", false, []string{mod + "internal/store", mod + "internal/wire", "net/http", "encoding/xml", "database/sql"},
			"the model knows nothing of HTTP, XML or storage"},
		{"internal/wire/v20120701", false, []string{mod + "internal/store", mod + "internal/controlplane", "net/http", "database/sql"},
			"a codec converts bytes and model values, nothing else"},
		{"internal/controlplane", false, []string{mod + "internal/wire", mod + "internal/api", "encoding/xml"},
			"the operations are the same for every API version"},
		{"internal/edge", true, []string{mod + "internal/store", mod + "internal/wire", mod + "internal/controlplane"},
			"the edge serves from snapshots only"},
		{"internal/edge", false, []string{"database/sql", mod + "internal/store/sqlite", mod + "internal/store/postgres", mod + "internal/wire"},
			"an edge binary links no database and no API codec"},
	}
	for _, r := range rules {
		format := "{{join .Deps \"\\n\"}}"
		if r.direct {
			format = "{{join .Imports \"\\n\"}}"
		}
		out, err := exec.Command("go", "list", "-f", format, mod+r.pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range r.forbidden {
				if dep == f || strings.HasPrefix(dep, strings.TrimSuffix(f, "/")+"/") {
					t.Errorf("%s imports %s: %s", r.pkg, dep, r.why)
				}
			}
		}
	}
}
