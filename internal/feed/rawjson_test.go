package feed

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
	"github.com/openfront/openfront/internal/testfill"
)

// filledSnapshot is a Snapshot with every member filled.
func filledSnapshot(t testing.TB) *Snapshot {
	var s Snapshot
	testfill.Value(reflect.ValueOf(&s).Elem(), 0)
	sortSnapshot(&s)
	return &s
}

// writeSnapshotBody writes s the way the client does, known being the
// records' JSON it has, and returns the file and the JSON it keeps.
func writeSnapshotBody(t *testing.T, s *Snapshot, known rawRecords) ([]byte, rawRecords) {
	t.Helper()
	body, raw, err := newSnapshotBody("edge-1", s, known)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), snapshotFileName)
	if err := writeSnapshotFile(p, body.header(), body); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b, raw
}

// capturedFile is s written by EncodeSnapshotFile and read back as an
// edge reads it at start: the snapshot and its records' JSON.
func capturedFile(t *testing.T, s *Snapshot) (*Snapshot, rawRecords) {
	t.Helper()
	b, err := EncodeSnapshotFile("edge-1", s)
	if err != nil {
		t.Fatal(err)
	}
	_, got, raw, err := decodeSnapshotFile(b, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != len(got.Distributions) {
		t.Fatalf("captured the JSON of %d records of %d", len(raw), len(got.Distributions))
	}
	return got, raw
}

func fleetSnapshot(n int) *Snapshot {
	s := &Snapshot{Revision: int64(n), KeyPairs: []KeyPair{{ID: "K1", AccountID: "1", PublicKeyPEM: "pem", Active: true}}}
	for i := range n {
		d := cloudfront.Distribution{ID: fmt.Sprintf("E%013d", i), AccountID: "233782389355", Revision: int64(i),
			DomainName: fmt.Sprintf("d%013d.cloudfront.localhost", i),
			Config: cloudfront.DistributionConfig{CallerReference: fmt.Sprint(i), Comment: "<&>\u2028", Enabled: true,
				Origins: []cloudfront.Origin{{ID: "o", DomainName: "127.0.0.1",
					Custom: &cloudfront.CustomOriginConfig{HTTPPort: 1025, HTTPSPort: 443, OriginProtocolPolicy: cloudfront.OriginHTTPOnly}}}}}
		s.Distributions = append(s.Distributions, own(&d))
	}
	return s
}

// TestSnapshotBodyDecodesAsEncodeSnapshotFile: a snapshot file written
// from pieces, with the records' JSON known or not, reads back as the
// file EncodeSnapshotFile writes of the same snapshot.
func TestSnapshotBodyDecodesAsEncodeSnapshotFile(t *testing.T) {
	filled := filledSnapshot(t)
	filledBack, filledRaw := capturedFile(t, filled)
	fleet := fleetSnapshot(50)
	fleetBack, fleetRaw := capturedFile(t, fleet)
	half := rawRecords{}
	for i, d := range fleetBack.Distributions {
		if i%2 == 0 {
			half[d.ID] = fleetRaw[d.ID]
		}
	}
	withNil := &Snapshot{Revision: 2, Distributions: []*cloudfront.Distribution{{ID: "A"}, nil}}
	for _, tc := range []struct {
		name  string
		s     *Snapshot
		known rawRecords
	}{
		{"zero", &Snapshot{}, nil},
		{"empty lists", &Snapshot{Revision: 3, Distributions: []*cloudfront.Distribution{}, KeyPairs: []KeyPair{}}, nil},
		{"every member, encoded", filled, nil},
		{"every member, as read", filledBack, filledRaw},
		{"fleet, encoded", fleet, nil},
		{"fleet, as read", fleetBack, fleetRaw},
		{"fleet, half as read", fleetBack, half},
		{"fleet, JSON of other records", fleet, fleetRaw},
		{"a nil record", withNil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := EncodeSnapshotFile("edge-1", tc.s)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := writeSnapshotBody(t, tc.s, tc.known)
			idW, sW, errW := DecodeSnapshotFile(want)
			idG, sG, errG := DecodeSnapshotFile(got)
			if (errW == nil) != (errG == nil) {
				t.Fatalf("read back: %v; EncodeSnapshotFile's: %v", errG, errW)
			}
			if idG != idW || !reflect.DeepEqual(sG, sW) {
				t.Errorf("reads as\n%+v\nEncodeSnapshotFile's as\n%+v\nfile: %s", sG, sW, got)
			}
		})
	}
}

// TestSnapshotBodyWritesEveryMember: every member of Snapshot, a member
// added later included, is written and read back (testfill fills it or
// fails).
func TestSnapshotBodyWritesEveryMember(t *testing.T) {
	s := filledSnapshot(t)
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		if v.Type().Field(i).IsExported() && v.Field(i).IsZero() {
			t.Fatalf("the filler left %s zero", v.Type().Field(i).Name)
		}
	}
	for _, known := range []string{"encoded", "as read"} {
		t.Run(known, func(t *testing.T) {
			in, raw := s, rawRecords(nil)
			if known == "as read" {
				in, raw = capturedFile(t, s)
			}
			b, _ := writeSnapshotBody(t, in, raw)
			_, got, err := DecodeSnapshotFile(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, s) {
				t.Errorf("reads as\n%+v\nwant\n%+v", got, s)
			}
		})
	}
}

// TestSnapshotBodyRecordReplaced: the JSON an edge keeps for a record is
// written only for that very record: one replaced under the same id (a
// new pointer) is written with its own content, one gone is forgotten.
func TestSnapshotBodyRecordReplaced(t *testing.T) {
	base, raw := capturedFile(t, fleetSnapshot(4))
	ids := func(s *Snapshot) []string { d, _ := distIDsAndNames(s); return d }
	for _, tc := range []struct {
		name string
		edit func(s *Snapshot)
	}{
		{"changed content", func(s *Snapshot) {
			d := *s.Distributions[1]
			d.Config.Comment = "replaced"
			d.Config.Aliases = []string{"www.example.com"}
			s.Distributions[1] = &d
		}},
		{"zeroed content", func(s *Snapshot) { s.Distributions[2] = &cloudfront.Distribution{ID: s.Distributions[2].ID} }},
		{"equal content", func(s *Snapshot) { d := *s.Distributions[0]; s.Distributions[0] = &d }},
		{"one gone, one new", func(s *Snapshot) {
			s.Distributions = append(s.Distributions[:3:3], &cloudfront.Distribution{ID: "EZZZZZZZZZZZZZ", Revision: 9})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := *base
			s.Distributions = append([]*cloudfront.Distribution(nil), base.Distributions...)
			tc.edit(&s)
			b, kept := writeSnapshotBody(t, &s, raw)
			_, got, err := DecodeSnapshotFile(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, &s) {
				t.Errorf("reads as\n%+v\nwant\n%+v", got, &s)
			}
			if len(kept) != len(s.Distributions) {
				t.Errorf("kept the JSON of %d records, want %d (%v)", len(kept), len(s.Distributions), ids(&s))
			}
			for _, d := range s.Distributions {
				if kept[d.ID].d != d {
					t.Errorf("%s: kept JSON for another record", d.ID)
				}
			}
		})
	}
}

func distIDsAndNames(s *Snapshot) ([]string, []string) {
	var ids, names []string
	for _, d := range s.Distributions {
		ids, names = append(ids, d.ID), append(names, d.DomainName)
	}
	return ids, names
}

// rawFeed answers the feed protocol with bodies[r] for a poll since
// revision r (bodies[0] is the full delta) and holds a poll past the
// last: a control plane that sends what the test says, as written.
func rawFeed(t *testing.T, bodies []string) string {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+PathRegister, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(RegisterResponse{ProtocolVersion: ProtocolVersion, PollWaitMillis: 60000, PollAcknowledges: true})
	})
	ok := func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("{}")) }
	mux.HandleFunc("POST "+PathAck, ok)
	mux.HandleFunc("POST "+PathHeartbeat, ok)
	mux.HandleFunc("GET "+PathChanges, func(w http.ResponseWriter, r *http.Request) {
		since, err := strconv.Atoi(r.URL.Query().Get("since"))
		if err != nil || since < 0 {
			http.Error(w, `{"Error":"since"}`, http.StatusBadRequest)
			return
		}
		if since >= len(bodies) {
			select {
			case <-r.Context().Done():
			case <-time.After(waitLimit):
			}
			return
		}
		w.Write([]byte(bodies[since]))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestSnapshotFileFromReceivedJSON: deltas as a control plane may send
// them, well formed or odd (a member twice, so that the JSON captured
// does not line up with the records; nulls; names in another case; an
// id twice; members this build does not know; invalid UTF-8), received
// by a real client over HTTP that rewrites its snapshot file at every
// revision: each file reads back as the snapshot the edge applied, and
// as what merging the deltas gives. Then a restart from the last file
// and one more delta; and the same with the deltas journalled before the
// restart, so that the rewrite after it has records replayed from the
// journal (no JSON kept) beside the file's.
func TestSnapshotFileFromReceivedJSON(t *testing.T) {
	bodies := []string{
		`{"Revision":1,"Full":true,"Distributions":[{"ID":"EA","Config":{"Comment":"a"}},{"ID":"EB","AccountID":"1"},{"ID":"EC"}],"KeyPairs":[]}`,
		`{"From":1,"Revision":2,"Distributions":[{"ID":"EB","AccountID":"2","Config":{"Comment":"b2"}}]}`,
		// The second list is decoded over the first: EB keeps the first's
		// AccountID, which its own JSON does not have.
		`{"From":2,"Revision":3,"Distributions":[{"ID":"EB","AccountID":"3","Config":{"Comment":"first"}}],"Distributions":[{"ID":"EB","Config":{"Comment":"second"}}]}`,
		`{"From":3,"Revision":4,"Distributions":[null,{"ID":"ED","Config":{"Comment":"after a null"}}],"Future":{"Distributions":[1]}}`,
		// Another spelling of the list, decoded over the first.
		`{"From":4,"Revision":5,"Distributions":[{"ID":"ED","Config":{"Comment":"first"}}],"DISTRIBUTIONS":[{"ID":"ED","AccountID":"9"}]}`,
		"{\"From\":5,\"Revision\":6,\"Distributions\":[{\"ID\":\"ED\",\"Config\":{\"Comment\":\"first\"}}],\"Distribution\u017f\":[{\"ID\":\"ED\",\"AccountID\":\"10\"}]}",
		`{"from":6,"revision":7,"distributions":[{"id":"EA","config":{"comment":"lower case"}}]}`,
		`{"From":7,"Revision":8,"Distributions":[{"ID":"EC","Config":{"Comment":"one"}},{"ID":"EC","Config":{"Comment":"two"}}]}`,
		"{\"From\":8,\"Revision\":9,\"Distributions\":[ {\"ID\":\"EE\", \"Future\":{\"x\":[1,2]},\n\"Config\":{\"Comment\":\"\xff\"}} ]}",
		`{"From":9,"Revision":10,"DeletedDistributions":["EA"],"Distributions":[{"ID":"EF","Comment":"x","Config":{"Comment":"\u2028<"}}]}`,
		// A full delta keeps both records of an id given twice.
		`{"Revision":11,"Full":true,"Distributions":[{"ID":"EX","Config":{"Comment":"one"}},{"ID":"EX","Config":{"Comment":"two"}}]}`,
		`{"From":11,"Revision":12,"Distributions":[{"ID":"EY"}]}`,
	}
	// What merging the deltas, decoded as the edge decodes them, gives.
	want := make([]*Snapshot, len(bodies))
	var s *Snapshot
	for i, b := range bodies {
		var d Delta
		if err := unmarshalJSON([]byte(b), &d); err != nil {
			t.Fatalf("body %d: %v", i, err)
		}
		var err error
		if s, err = merge(s, &d, true); err != nil { // as the client merges
			t.Fatalf("body %d: %v", i, err)
		}
		want[i] = s
	}
	for _, c := range []struct {
		rev                  int
		id, account, comment string
	}{{3, "EB", "3", "second"}, {5, "ED", "9", "first"}, {6, "ED", "10", "first"}} {
		d := findDistribution(want[c.rev-1].Distributions, c.id)
		if d == nil || d.AccountID != c.account || d.Config.Comment != c.comment {
			t.Fatalf("revision %d: %s decodes as %+v: the case tests nothing", c.rev, c.id, d)
		}
	}

	for _, mode := range []struct {
		name string
		// Phase one: the client receives bodies[:first] with this
		// journal limit; phase two, restarted, the rest of bodies[:last]
		// with a rewrite at every revision.
		first, last int
		limit       int64
	}{
		{"rewritten at every revision", len(bodies) - 1, len(bodies), -1},
		// A full delta, then deltas only journalled: the restart replays
		// them onto the file (records without their JSON), and the next
		// rewrite has both kinds.
		{"journalled, rewritten after a restart", 9, 10, 0},
	} {
		t.Run(mode.name, func(t *testing.T) {
			dir := t.TempDir()
			checking := mode.limit < 0
			rec := &recorder{}
			applier := applyThen(rec, func(s *Snapshot) {
				if !checking {
					return
				}
				// The file is written before Apply: it must hold s.
				b, err := os.ReadFile(filepath.Join(dir, snapshotFileName))
				if err != nil {
					t.Error(err)
					return
				}
				_, got, err := DecodeSnapshotFile(b)
				if err != nil {
					t.Errorf("revision %d: %v", s.Revision, err)
					return
				}
				if !reflect.DeepEqual(got, s) || !reflect.DeepEqual(got, want[s.Revision-1]) {
					t.Errorf("revision %d: the file reads as\n%+v\napplied\n%+v\nmerged\n%+v", s.Revision, got, s, want[s.Revision-1])
				}
			})
			c := &Client{BaseURL: rawFeed(t, bodies[:mode.first]), Auth: "e:secret", EdgeID: "edge-a", PriceClass: "All",
				StateDir: dir, journalLimit: mode.limit, Applier: applier}
			e := runClient(t, c)
			eventually(t, "phase one's deltas applied", func() bool { return c.Revision() == int64(mode.first) })
			e.stop()
			rec.mu.Lock()
			n := rec.applies
			rec.mu.Unlock()
			if n != mode.first {
				t.Fatalf("%d revisions applied, want %d", n, mode.first)
			}

			// Restarted: the JSON comes from the file this time (the
			// restored snapshot is applied before any rewrite).
			checking = false
			c2 := &Client{BaseURL: rawFeed(t, bodies[:mode.last]), Auth: "e:secret", EdgeID: "edge-a", PriceClass: "All",
				StateDir: dir, journalLimit: -1, Applier: applier}
			if !c2.Restore() || c2.Revision() != int64(mode.first) || len(c2.raw) == 0 {
				t.Fatalf("restored: revision %d, the JSON of %d records", c2.Revision(), len(c2.raw))
			}
			checking = true
			runClient(t, c2)
			eventually(t, "phase two's deltas applied", func() bool { return c2.Revision() == int64(mode.last) })
			rec.mu.Lock()
			n = rec.applies
			rec.mu.Unlock()
			if n != mode.last+1 { // and the restored snapshot
				t.Fatalf("%d applies, want %d", n, mode.last+1)
			}
		})
	}
}

// applyThen is rec's Apply followed by check.
type applyCheck struct {
	rec   *recorder
	check func(*Snapshot)
}

func applyThen(rec *recorder, check func(*Snapshot)) applyCheck { return applyCheck{rec, check} }

func (a applyCheck) Apply(s *Snapshot, invs []cloudfront.Invalidation) error {
	a.check(s)
	return a.rec.Apply(s, invs)
}

// runClient runs c until the test ends or the returned edge is stopped.
func runClient(t *testing.T, c *Client) *testEdge {
	ctx, cancel := context.WithCancel(context.Background())
	e := &testEdge{c: c, cancel: cancel, done: make(chan error, 1)}
	go func() { e.done <- c.Run(ctx) }()
	t.Cleanup(e.stop)
	return e
}

// TestSnapshotFileFromTheFeed: distributions created and replaced through
// the real feed; each snapshot file reads back as what the edge applied.
func TestSnapshotFileFromTheFeed(t *testing.T) {
	f := newTestFeed(t)
	dir := t.TempDir()
	a := startEdge(t, snapshotEveryRevision(f.newClient("edge-a", "100", dir)))
	for _, id := range []string{"EONEEXAMPLE", "ETWOEXAMPLE", "EONEEXAMPLE", "ETHREEEXAMPLE", "ETWOEXAMPLE"} {
		rev := f.putDistribution(id, cloudfront.PriceClassAll)
		eventually(t, id+" applied", func() bool { return a.c.Revision() == rev })
		b, err := os.ReadFile(filepath.Join(dir, snapshotFileName))
		if err != nil {
			t.Fatal(err)
		}
		_, got, err := DecodeSnapshotFile(b)
		if err != nil {
			t.Fatal(err)
		}
		if applied := a.rec.snapshot(); !reflect.DeepEqual(got, applied) {
			t.Fatalf("revision %d: the file reads as\n%+v\napplied\n%+v", rev, got, applied)
		}
	}
}

// TestDecodeDeltaKeepsRecordJSON: which delta bodies have their records'
// JSON kept, and that it is each element's text exactly (nil for an
// element that is not an object); a body whose list the decoder might
// take from another member keeps none.
func TestDecodeDeltaKeepsRecordJSON(t *testing.T) {
	const none = "none" // no JSON kept at all
	for _, tc := range []struct {
		name, body string
		want       []string // each record's JSON; "" for nil
	}{
		{"plain", `{"From":1,"Revision":2,"Distributions":[{"ID":"EA","Config":{"Comment":"a"}},{"ID":"EB"}]}`,
			[]string{`{"ID":"EA","Config":{"Comment":"a"}}`, `{"ID":"EB"}`}},
		{"white space", "{ \"Revision\" : 2 ,\n\"Distributions\" :\t[ {\"ID\" : \"EA\"} ,\r\n{ } ] }",
			[]string{`{"ID" : "EA"}`, `{ }`}},
		{"list first, members after", `{"Distributions":[{"ID":"EA"}],"Revision":2,"KeyPairs":[]}`, []string{`{"ID":"EA"}`}},
		{"strings that look like JSON", `{"Revision":2,"Distributions":[{"ID":"E\"]}","Config":{"Comment":"\\\\"}},{"ID":"}"}]}`,
			[]string{`{"ID":"E\"]}","Config":{"Comment":"\\\\"}}`, `{"ID":"}"}`}},
		{"a null element", `{"Revision":2,"Distributions":[null,{"ID":"EB"}]}`, []string{"", `{"ID":"EB"}`}},
		{"members this build does not know", `{"Future":{"Distributions":[{"ID":"X"}],"a":[1,"]"]},"Revision":2,"Distributions":[{"ID":"EA","New":[true,null,1e5]}]}`,
			[]string{`{"ID":"EA","New":[true,null,1e5]}`}},
		{"another member twice", `{"Revision":1,"Revision":2,"Distributions":[{"ID":"EA","ID":"EB"}]}`, []string{`{"ID":"EA","ID":"EB"}`}},
		{"invalid UTF-8", "{\"Revision\":2,\"Distributions\":[{\"ID\":\"E\xff\"}]}", []string{"{\"ID\":\"E\xff\"}"}},
		{"an empty list", `{"Revision":2,"Distributions":[]}`, nil},
		{"a null list", `{"Revision":2,"Distributions":null}`, nil},
		{"no list", `{"Revision":2}`, nil},
		{"the list twice", `{"Revision":2,"Distributions":[{"ID":"EA"}],"Distributions":[{"ID":"EB"}]}`, []string{none}},
		{"the list in another case too", `{"Distributions":[{"ID":"EA"}],"DISTRIBUTIONS":[{"ID":"EB"}]}`, []string{none}},
		{"the list in lower case", `{"distributions":[{"ID":"EA"}]}`, []string{none}},
		{"the list folded", "{\"Distribution\u017f\":[{\"ID\":\"EA\"}]}", []string{none}},
		{"the list with an underscore too", `{"Distributions":[{"ID":"EA"}],"Distri_butions":[]}`, []string{none}},
		{"the list again, its name escaped", `{"Distributions":[{"ID":"EA"}],"Distribution\u0073":[{"ID":"EB"}]}`, []string{none}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, raws, err := decodeDelta([]byte(tc.body), true)
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.want) == 1 && tc.want[0] == none {
				if raws != nil || len(d.Distributions) == 0 {
					t.Fatalf("kept %q for %d records, want none", raws, len(d.Distributions))
				}
				return
			}
			if len(raws) != len(tc.want) {
				t.Fatalf("kept %q, want %q", raws, tc.want)
			}
			for i, w := range tc.want {
				if w == "" && raws[i] != nil || string(raws[i]) != w {
					t.Errorf("record %d: kept %q, want %q", i, raws[i], w)
				}
			}
		})
	}
}

// TestSnapshotFileKeepsRecordJSON: the same for a snapshot file, whose
// list is a member of the member "Snapshot".
func TestSnapshotFileKeepsRecordJSON(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       map[string]string // the JSON kept by id
	}{
		{"plain", `{"Version":1,"EdgeID":"e","Snapshot":{"Revision":3,"Distributions":[{"ID":"EB"},{"ID":"EA","Config":{"Comment":"a"}}],"KeyPairs":[]}}`,
			map[string]string{"EA": `{"ID":"EA","Config":{"Comment":"a"}}`, "EB": `{"ID":"EB"}`}},
		{"snapshot first", `{"Snapshot":{"Distributions":[ {"ID":"EA"} ],"Revision":3},"Version":1}`, map[string]string{"EA": `{"ID":"EA"}`}},
		{"the list twice", `{"Version":1,"Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"}],"Distributions":[{"ID":"EB"}]}}`, nil},
		{"the snapshot in another case too", `{"Version":1,"Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"}]},"snapshot":{"Distributions":[{"Comment":"x"}]}}`, nil},
		{"the list at the top", `{"Version":1,"Distributions":[{"ID":"EX"}],"Snapshot":{"Revision":3,"Distributions":[{"ID":"EA"}]}}`, map[string]string{"EA": `{"ID":"EA"}`}},
		{"no records", `{"Version":1,"Snapshot":{"Revision":3,"Distributions":[]}}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, s, kept, err := decodeSnapshotFile([]byte(tc.body), true)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for id, r := range kept {
				if findDistribution(s.Distributions, id) != r.d {
					t.Errorf("%s: JSON kept for another record", id)
				}
				got[id] = string(r.json)
			}
			if len(got) != len(tc.want) || len(got) > 0 && !reflect.DeepEqual(got, tc.want) {
				t.Errorf("kept %q, want %q", got, tc.want)
			}
		})
	}
}

// TestScanRefusesMalformed: the scan ends, and keeps nothing, on bodies
// that are not JSON or not the plain form, whatever the decoder makes
// of them.
func TestScanRefusesMalformed(t *testing.T) {
	for _, body := range []string{
		``,
		` `,
		`[]`,
		`null`,
		`{}`,
		`{"Revision":2}`,
		`{"Distributions":[{}}`,
		`{"Distributions":[{},]}`,
		`{"Distributions":[`,
		`{"Distributions":[}`,
		`{"Distributions":[{}]`,
		`{"Distributions":[{}],}`,
		`{"Distributions" [{}]}`,
		`{"Distributions":[{"ID":"E}]}`,
		`{"Distributions":{}}`,
		`{"Distributions":"[{}]"}`,
		`{"Distributions":[{}] "Revision":1}`,
		`{Distributions:[{}]}`,
	} {
		sc := newScan([]byte(body))
		var raws [][]byte
		if sc.object(deltaMembers, "Distributions", func() (ok bool) { raws, ok = sc.records(); return ok }) {
			t.Errorf("%q: scanned, keeping %q", body, raws)
		}
	}
}

// TestReceivedRecordsShared: the records an edge decodes from a delta are
// the next snapshot's records, each in an allocation of its own, shared
// rather than copied again; of an id listed twice, the later is kept.
func TestReceivedRecordsShared(t *testing.T) {
	body := []byte(`{"From":1,"Revision":2,"Distributions":[{"ID":"EB"},{"ID":"EA"},null,{"ID":"EB","Config":{"Comment":"later"}}]}`)
	d, raws, err := decodeDelta(body, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Distributions) != 4 || len(raws) != 4 || d.Distributions[2] == nil || !reflect.DeepEqual(*d.Distributions[2], cloudfront.Distribution{}) {
		t.Fatalf("decoded %v, JSON %q: want four records, the null one zero as encoding/json leaves it", d.Distributions, raws)
	}
	base := &Snapshot{Revision: 1, Distributions: records(dist("EC", 1))}
	next, err := mergeRecords(base, &d.Delta, d.Distributions, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []*cloudfront.Distribution{d.Distributions[2], d.Distributions[1], d.Distributions[3], base.Distributions[0]}
	if !slices.Equal(next.Distributions, want) {
		t.Fatalf("merged %v, want the decoded records themselves %v", next.Distributions, want)
	}
	c := &Client{StateDir: t.TempDir()}
	c.rememberDelta(next, d, raws)
	if r := c.raw["EB"]; r.d != d.Distributions[3] || string(r.json) != `{"ID":"EB","Config":{"Comment":"later"}}` {
		t.Fatalf("JSON kept for EB: %q for %p, want the later record's", r.json, r.d)
	}
}
