package feed

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

func dist(id string, rev int64) cloudfront.Distribution {
	return cloudfront.Distribution{ID: id, Revision: rev, DomainName: id + ".example.net"}
}

func ids(s *Snapshot) (d, k []string) {
	for _, x := range s.Distributions {
		d = append(d, x.ID)
	}
	for _, x := range s.KeyPairs {
		k = append(k, x.ID)
	}
	return d, k
}

func TestMerge(t *testing.T) {
	base := &Snapshot{Revision: 5,
		Distributions: records(dist("A", 1), dist("B", 2), dist("C", 5)),
		KeyPairs:      []KeyPair{{ID: "K1"}, {ID: "K2"}},
	}
	tests := []struct {
		name      string
		s         *Snapshot
		d         Delta
		wantRev   int64
		wantDists []string
		wantKeys  []string
		err       bool
	}{
		{"full replaces", base, Delta{Revision: 9, Full: true,
			Distributions: []cloudfront.Distribution{dist("Z", 9), dist("D", 3)}},
			9, []string{"D", "Z"}, nil, false},
		{"full onto nil", nil, Delta{Revision: 2, Full: true, KeyPairs: []KeyPair{{ID: "K"}}},
			2, nil, []string{"K"}, false},
		{"upsert and delete", base, Delta{From: 5, Revision: 8,
			Distributions:        []cloudfront.Distribution{dist("B", 7), dist("E", 8)},
			DeletedDistributions: []string{"A", "nope"},
			KeyPairs:             []KeyPair{{ID: "K0"}},
			DeletedKeyPairs:      []string{"K2"}},
			8, []string{"B", "C", "E"}, []string{"K0", "K1"}, false},
		{"deleted then recreated in one delta", base, Delta{From: 5, Revision: 6,
			Distributions: []cloudfront.Distribution{dist("A", 6)}, DeletedDistributions: []string{"A"}},
			6, []string{"A", "B", "C"}, []string{"K1", "K2"}, false},
		{"wrong base", base, Delta{From: 4, Revision: 8}, 0, nil, nil, true},
		{"goes back", base, Delta{From: 5, Revision: 4}, 0, nil, nil, true},
		{"nil and from 0", nil, Delta{From: 0, Revision: 3, Distributions: []cloudfront.Distribution{dist("A", 3)}},
			3, []string{"A"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := clone(base)
			got, err := Merge(tt.s, &tt.d)
			if (err != nil) != tt.err {
				t.Fatalf("error = %v, want error %v", err, tt.err)
			}
			if !reflect.DeepEqual(base, before) {
				t.Fatal("Merge modified its input")
			}
			if err != nil {
				return
			}
			d, k := ids(got)
			if got.Revision != tt.wantRev || !reflect.DeepEqual(d, tt.wantDists) || !reflect.DeepEqual(k, tt.wantKeys) {
				t.Errorf("got revision %d, %v, %v; want %d, %v, %v", got.Revision, d, k, tt.wantRev, tt.wantDists, tt.wantKeys)
			}
		})
	}
	t.Run("upsert replaces the record", func(t *testing.T) {
		got, err := Merge(base, &Delta{From: 5, Revision: 6, Distributions: []cloudfront.Distribution{dist("B", 6)}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Distributions[1].Revision != 6 {
			t.Errorf("B has revision %d, want 6", got.Distributions[1].Revision)
		}
	})
}

func clone(s *Snapshot) *Snapshot {
	b, _ := EncodeSnapshotFile("x", s)
	_, c, _ := DecodeSnapshotFile(b)
	return c
}

var snapshotFileTests = []struct {
	name string
	body string
	err  bool
}{
	{"empty snapshot", `{"Version":1,"EdgeID":"e","Snapshot":{"Revision":0}}`, false},
	{"one distribution", `{"Version":1,"EdgeID":"e","Snapshot":{"Revision":3,"Distributions":[{"ID":"EDFDVBD6EXAMPLE","Revision":3}]}}`, false},
	{"other version", `{"Version":2,"Snapshot":{"Revision":3}}`, true},
	{"no snapshot", `{"Version":1}`, true},
	{"negative revision", `{"Version":1,"Snapshot":{"Revision":-3}}`, true},
	{"null distribution", `{"Version":1,"Snapshot":{"Revision":3,"Distributions":[{"ID":"A","Revision":3},null]}}`, true},
	{"truncated", `{"Version":1,"Snapshot":{"Revis`, true},
	{"garbage", "\x00\x01", true},
	{"empty file", ``, true},
}

func TestDecodeSnapshotFile(t *testing.T) {
	for _, tt := range snapshotFileTests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := DecodeSnapshotFile([]byte(tt.body))
			if (err != nil) != tt.err {
				t.Errorf("error = %v, want error %v", err, tt.err)
			}
		})
	}
	t.Run("round trip", func(t *testing.T) {
		s := &Snapshot{Revision: 9, Distributions: records(dist("A", 9)), KeyPairs: []KeyPair{{ID: "K", Active: true}}}
		b, err := EncodeSnapshotFile("edge-1", s)
		if err != nil {
			t.Fatal(err)
		}
		id, got, err := DecodeSnapshotFile(b)
		if err != nil || id != "edge-1" || !reflect.DeepEqual(got, s) {
			t.Errorf("round trip: %q, %+v, %v", id, got, err)
		}
	})
}

func FuzzDecodeSnapshotFile(f *testing.F) {
	for _, tt := range snapshotFileTests {
		f.Add([]byte(tt.body))
	}
	framed, _ := EncodeSnapshotFile("e", &Snapshot{Revision: 3, Distributions: records(dist("A", 3))})
	f.Add(framed)
	f.Add(framed[:len(framed)-1])
	f.Fuzz(func(t *testing.T, b []byte) {
		_, s, err := DecodeSnapshotFile(b)
		if err != nil {
			return
		}
		if s == nil || s.Revision < 0 {
			t.Fatalf("accepted %+v", s)
		}
		// Whatever loads must survive a merge and a save.
		if _, err := Merge(s, &Delta{From: s.Revision, Revision: s.Revision}); err != nil {
			t.Fatal(err)
		}
		if _, err := EncodeSnapshotFile("e", s); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	for _, content := range []string{"one", "two, longer"} {
		if err := writeFileAtomic(p, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d files in the directory, want 1 (temp files left behind)", len(entries))
	}
}
