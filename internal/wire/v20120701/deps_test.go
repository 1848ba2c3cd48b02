package v20120701

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDeps keeps the import graph pointing one way: the codec knows the
// model, the shared XML toolkit and shapes, and the standard library, nothing else
// of openfront.
func TestDeps(t *testing.T) {
	const module = "github.com/openfront/openfront/"
	allowed := map[string]bool{module + "internal/cloudfront": true, module + "internal/wire/xmlwire": true,
		module + "internal/wire/shapes": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.HasPrefix(path, module) && !allowed[path] || !strings.HasPrefix(path, module) && strings.Contains(first, ".") {
				t.Errorf("%s imports %s", name, path)
			}
		}
	}
}
