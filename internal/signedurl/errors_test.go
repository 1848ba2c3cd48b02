package signedurl

import (
	"encoding/xml"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// TestErrorTable keeps the one table complete and each body equal to its
// golden file (regenerate with -update, then review the diff).
func TestErrorTable(t *testing.T) {
	for _, c := range []Code{MissingKey, InvalidKey, MalformedPolicy, AccessDenied} {
		t.Run(string(c), func(t *testing.T) {
			msg, ok := messages[c]
			if !ok || msg == "" {
				t.Fatalf("no message for %s", c)
			}
			if strings.ContainsAny(string(c)+msg, `<>&"'`) {
				t.Fatalf("%s needs XML escaping, which Body does not do", c)
			}
			if c.Status() != http.StatusForbidden {
				t.Errorf("status %d", c.Status())
			}
			var doc struct {
				XMLName xml.Name `xml:"Error"`
				Code    string
				Message string
			}
			if err := xml.Unmarshal(c.Body(), &doc); err != nil || doc.Code != string(c) || doc.Message != msg {
				t.Errorf("body %q: %+v %v", c.Body(), doc, err)
			}
			golden := filepath.Join("testdata", string(c)+".xml")
			if *update {
				if err := os.WriteFile(golden, c.Body(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(want) != string(c.Body()) {
				t.Errorf("body\n%s\nwant (golden)\n%s", c.Body(), want)
			}
		})
	}
	if len(messages) != 4 {
		t.Errorf("%d codes in the table, want the 4 of spec §9.5", len(messages))
	}
}

func TestErrorIs(t *testing.T) {
	err := fail(InvalidKey, "x")
	if !errors.Is(err, InvalidKey) || errors.Is(err, AccessDenied) {
		t.Errorf("errors.Is on %v", err)
	}
	tests := []struct {
		err  error
		want Code
	}{
		{err, InvalidKey},
		{MissingKey, MissingKey},
		{errors.New("other"), AccessDenied},
		{Code("Nope"), AccessDenied},
		{&Error{Code: "Nope"}, AccessDenied},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			if got := CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf = %s, want %s", got, tt.want)
			}
		})
	}
	if string(Code("Nope").Body()) != string(AccessDenied.Body()) || Code("Nope").Message() != "Access denied" {
		t.Error("an unknown code does not fall back to AccessDenied")
	}
}
