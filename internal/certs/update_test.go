package certs

import (
	"crypto/tls"
	"fmt"
	"testing"
)

// TestSelectorUpdate: Update changes only the sites it names; of two
// sites naming one host the greater key serves it, and dropping it
// hands the host to the other; wildcards come and go with their sites.
// Sites are told apart by their ALPN lists (HttpVersion).
func TestSelectorUpdate(t *testing.T) {
	s := NewSelector(&tls.Config{})
	alpn := func(name string) string {
		c, err := s.GetConfigForClient(&tls.ClientHelloInfo{ServerName: name, SupportedVersions: []uint16{tls.VersionTLS13}})
		if err != nil {
			return err.Error()
		}
		if c == s.def.full {
			return "default"
		}
		return fmt.Sprint(c.NextProtos)
	}
	h1, h2 := "[http/1.1]", "[h2 http/1.1]"
	steps := []struct {
		name    string
		put     []Site
		removed []string
		want    map[string]string
	}{
		{"first sites", []Site{
			{Key: "A/0", Names: []string{"a.test"}, HTTPVersion: "http1.1"},
			{Key: "B/0", Names: []string{"b.test", "*.w.test"}, HTTPVersion: "http2"},
		}, nil, map[string]string{"a.test": h1, "b.test": h2, "x.w.test": h2, "c.test": "default"}},
		{"a greater key claims a.test", []Site{
			{Key: "C/0", Names: []string{"A.TEST"}, HTTPVersion: "http2"},
		}, nil, map[string]string{"a.test": h2, "b.test": h2}},
		{"a lesser key's claim changes nothing", []Site{
			{Key: "0/0", Names: []string{"a.test"}, HTTPVersion: "http1.1"},
		}, nil, map[string]string{"a.test": h2}},
		{"dropping the greater hands a.test back", nil, []string{"C/0"},
			map[string]string{"a.test": h1}},
		{"B's names change: its wildcard goes", []Site{
			{Key: "B/0", Names: []string{"b.test"}, HTTPVersion: "http1.1"},
		}, nil, map[string]string{"b.test": h1, "x.w.test": "default"}},
		{"every claim of a.test dropped", nil, []string{"A/0", "0/0", "no-such-key"},
			map[string]string{"a.test": "default", "b.test": h1}},
	}
	for _, st := range steps {
		s.Update(st.put, st.removed)
		for name, want := range st.want {
			if got := alpn(name); got != want {
				t.Errorf("%s: %s serves %s, want %s", st.name, name, got, want)
			}
		}
	}
}
