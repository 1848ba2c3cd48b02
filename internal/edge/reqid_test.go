package edge

import (
	"encoding/base64"
	"testing"
)

// TestDrawID checks that every request id is the padded base64url
// encoding of 40 bytes, as encoding/base64 writes it (so a canonical
// encoding: no stray bits in the last character), and that ids differ.
func TestDrawID(t *testing.T) {
	seen := map[string]bool{}
	lastChars := map[byte]bool{}
	for range 2000 {
		id := newPerRequest().reqID()
		raw, err := base64.URLEncoding.DecodeString(id)
		if err != nil || len(raw) != 40 {
			t.Fatalf("id %q: %d bytes, %v", id, len(raw), err)
		}
		if again := base64.URLEncoding.EncodeToString(raw); again != id {
			t.Fatalf("id %q is not canonical base64url (%q)", id, again)
		}
		if seen[id] {
			t.Fatalf("id %q drawn twice", id)
		}
		seen[id] = true
		lastChars[id[53]] = true
	}
	// The 40th byte's low 2 bits: all four values come up.
	if len(lastChars) != 4 {
		t.Fatalf("the 54th character took %d values, want 4", len(lastChars))
	}
}

func BenchmarkNewPerRequest(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		newPerRequest()
	}
}
