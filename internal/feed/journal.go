package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/openfront/openfront/internal/buckets"
	"github.com/openfront/openfront/internal/cloudfront"
)

// The journal: the deltas an edge applied since its snapshot file was
// written, one record each, appended and synced before the edge applies
// and acknowledges the delta. Rewriting the whole snapshot file for every
// revision cost an edge about 15 ms with 2,000 distributions (JSON,
// SHA-256, two fsyncs) for a create that changes one; an append costs
// what the change weighs. The snapshot file is rewritten (compaction)
// when the journal outgrows it (by a slack of up to half its size drawn
// per edge, see defaultJournalLimit), after a full delta, and after a
// start-up that found the journal damaged, so a restart reads at most
// about 2.5 times the snapshot and compaction's cost per revision stays
// under the change's.
//
// A record is framed like the snapshot file, so a torn or altered record
// is detected rather than applied:
//
//	openfront-journal 1 <length> <sha256 hex>\n<JSON of length bytes>
//
// The JSON is a Delta: the body of the poll's answer as the edge received
// it (earlier builds wrote the delta encoded again, without its
// invalidations). Invalidations in a record are dropped when it is read:
// a purge is done once, never again at a restart. At start-up the records are replayed onto the
// snapshot file while each starts at the revision the previous one ended
// at; records the snapshot file already holds (a crash between writing it
// and emptying the journal) are skipped; the first bad record and all
// after it are dropped, and the edge registers at the last good revision.
const (
	journalFileName     = "feed-journal"
	prevJournalFileName = "feed-journal.prev"
	journalMagic        = "openfront-journal"
	journalVersion      = 1
	// journalMin is the journal size under which a small snapshot file is
	// not rewritten: rewriting it is cheap, but so is replaying this much.
	journalMin = 256 << 10
	// maxJournalRecord bounds one record's length, so a damaged length
	// field cannot make the edge allocate gigabytes.
	maxJournalRecord = maxDeltaBytes
)

// EncodeJournalRecord is the journal record of d, a delta that is not
// Full; its invalidations are left out.
func EncodeJournalRecord(d *Delta) ([]byte, error) { return journalRecord(d, nil) }

// journalRecord is the journal record of d with body, d's JSON as the
// edge received it, as the record's JSON (nil: d encoded without its
// invalidations). The received bytes are what the edge decoded d from,
// so a replay decodes the same delta, and the edge does not pay for
// encoding it again.
func journalRecord(d *Delta, body []byte) ([]byte, error) {
	if d.Full || d.Revision <= d.From || d.From < 0 {
		return nil, fmt.Errorf("feed: journal record from %d to %d (full %v)", d.From, d.Revision, d.Full)
	}
	if body == nil {
		r := *d
		r.Invalidations = nil
		var err error
		if body, err = json.Marshal(&r); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(body)
	header := journalMagic + " " + strconv.Itoa(journalVersion) + " " + strconv.Itoa(len(body)) + " " + hex.EncodeToString(sum[:]) + "\n"
	rec := make([]byte, 0, len(header)+len(body))
	return append(append(rec, header...), body...), nil
}

// DecodeJournalRecord reads the record at the start of b and reports how
// many bytes it took. Any error means b holds no whole, intact record
// there: a torn tail, or damage.
func DecodeJournalRecord(b []byte) (*Delta, int, error) {
	line, rest, ok := bytes.Cut(b, []byte("\n"))
	if !ok || len(line) > 200 {
		return nil, 0, errors.New("feed: journal record: no header line")
	}
	f := bytes.Split(line, []byte(" "))
	if len(f) != 4 || string(f[0]) != journalMagic {
		return nil, 0, errors.New("feed: journal record: not a journal record")
	}
	if string(f[1]) != strconv.Itoa(journalVersion) {
		return nil, 0, fmt.Errorf("feed: journal record: version %q, want %d", f[1], journalVersion)
	}
	n, err := strconv.Atoi(string(f[2]))
	if err != nil || n < 0 || n > maxJournalRecord || strconv.Itoa(n) != string(f[2]) {
		return nil, 0, fmt.Errorf("feed: journal record: length %q", f[2])
	}
	if len(rest) < n {
		return nil, 0, fmt.Errorf("feed: journal record: %d bytes of %d (torn)", len(rest), n)
	}
	body := rest[:n]
	want, err := hex.DecodeString(string(f[3]))
	if err != nil || len(want) != sha256.Size {
		return nil, 0, fmt.Errorf("feed: journal record: checksum %q", f[3])
	}
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], want) {
		return nil, 0, errors.New("feed: journal record: checksum mismatch")
	}
	var d Delta
	if err := unmarshalJSON(body, &d); err != nil {
		return nil, 0, fmt.Errorf("feed: journal record: %w", err)
	}
	if d.Full || d.From < 0 || d.Revision <= d.From {
		return nil, 0, fmt.Errorf("feed: journal record: from %d to %d (full %v)", d.From, d.Revision, d.Full)
	}
	// The edge purged these when it applied the delta; a restart must
	// not purge again what has been cached since.
	d.Invalidations = nil
	return &d, len(line) + 1 + n, nil
}

// journalState is what the journal on disk holds, as its writer knows it.
type journalState struct {
	// clean: the journal holds only whole records that chain from the
	// newest snapshot file's revision, so appending to it is safe.
	// Otherwise the next save rewrites the snapshot file and empties it.
	clean     bool
	size      int64 // bytes of good records
	snapBytes int64 // the newest snapshot file's size
	// f is the journal file, open for appending; nil until the first
	// append after a start or a rewrite of the snapshot file.
	f *os.File
}

// readJournal replays the journal in dir onto base. It returns the
// snapshot at the last record that chains, how many bytes the records
// up to there take, and whether the whole journal was good and applied
// (no torn tail, no record out of sequence, none skipped).
func replayJournal(b []byte, base *Snapshot) (snap *Snapshot, good int64, clean bool, err error) {
	var recs []*Delta
	cur := base.Revision
	clean = true
	off := 0
	for off < len(b) {
		d, n, derr := DecodeJournalRecord(b[off:])
		if derr != nil {
			err = fmt.Errorf("at byte %d: %w", off, derr)
			clean = false
			break
		}
		switch {
		case d.Revision <= cur && len(recs) == 0:
			clean = false // the snapshot file has it already
		case d.From == cur:
			recs = append(recs, d)
			cur = d.Revision
		default:
			err = fmt.Errorf("at byte %d: a record from revision %d to %d after revision %d", off, d.From, d.Revision, cur)
			clean = false
		}
		if err != nil {
			break
		}
		off += n
	}
	if len(recs) == 0 {
		return base, int64(off), clean, err
	}
	// base is a file's, sorted; the records chain from it, so merge
	// cannot fail.
	snap, merr := merge(base, composeDeltas(recs), true)
	if merr != nil {
		return base, 0, false, merr
	}
	return snap, int64(off), clean, err
}

// composeDeltas is one delta with the effect of ds applied in order
// (each From the previous Revision), so that a restart merges the whole
// journal once rather than copying the snapshot for every record.
func composeDeltas(ds []*Delta) *Delta {
	if len(ds) == 1 {
		return ds[0]
	}
	out := &Delta{From: ds[0].From, Revision: ds[len(ds)-1].Revision}
	dists, delDists := map[string]cloudfront.Distribution{}, map[string]bool{}
	keys, delKeys := map[string]KeyPair{}, map[string]bool{}
	grants, delGrants := map[string]buckets.Grant{}, map[string]bool{}
	certs, delCerts := map[string]Certificate{}, map[string]bool{}
	stores, delStores := map[string]KeyValueStore{}, map[string]bool{}
	for _, d := range ds {
		// Within a delta, Merge deletes first, then upserts.
		for _, id := range d.DeletedDistributions {
			delete(dists, id)
			delDists[id] = true
		}
		for _, x := range d.Distributions {
			dists[x.ID] = x
		}
		for _, id := range d.DeletedKeyPairs {
			delete(keys, id)
			delKeys[id] = true
		}
		for _, x := range d.KeyPairs {
			keys[x.ID] = x
		}
		for _, k := range d.DeletedBucketGrants {
			delete(grants, k)
			delGrants[k] = true
		}
		for _, x := range d.BucketGrants {
			grants[x.Key()] = x
		}
		for _, arn := range d.DeletedCertificates {
			delete(certs, arn)
			delCerts[arn] = true
		}
		for _, x := range d.Certificates {
			certs[x.ARN] = x
		}
		for _, id := range d.DeletedKeyValueStores {
			delete(stores, id)
			delStores[id] = true
		}
		for _, x := range d.KeyValueStores {
			stores[x.ID] = x
		}
	}
	for _, x := range dists {
		out.Distributions = append(out.Distributions, x)
	}
	for id := range delDists {
		out.DeletedDistributions = append(out.DeletedDistributions, id)
	}
	for _, x := range keys {
		out.KeyPairs = append(out.KeyPairs, x)
	}
	for id := range delKeys {
		out.DeletedKeyPairs = append(out.DeletedKeyPairs, id)
	}
	for _, x := range grants {
		out.BucketGrants = append(out.BucketGrants, x)
	}
	for k := range delGrants {
		out.DeletedBucketGrants = append(out.DeletedBucketGrants, k)
	}
	for _, x := range certs {
		out.Certificates = append(out.Certificates, x)
	}
	for arn := range delCerts {
		out.DeletedCertificates = append(out.DeletedCertificates, arn)
	}
	for _, x := range stores {
		out.KeyValueStores = append(out.KeyValueStores, x)
	}
	for id := range delStores {
		out.DeletedKeyValueStores = append(out.DeletedKeyValueStores, id)
	}
	return out
}

// appendJournal appends rec to the journal file and syncs it. The file
// stays open between revisions (an open and a close fewer per revision,
// on every edge) until the snapshot file is rewritten, which replaces it.
func (c *Client) appendJournal(rec []byte) error {
	if c.journal.f == nil {
		f, err := os.OpenFile(c.snapshotPath(journalFileName), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		c.journal.f = f
	}
	_, err := c.journal.f.Write(rec)
	if err == nil {
		err = c.journal.f.Sync()
	}
	if err != nil {
		c.closeJournal()
	}
	return err
}

// closeJournal closes the journal file kept open by appendJournal.
func (c *Client) closeJournal() {
	if c.journal.f != nil {
		c.journal.f.Close()
		c.journal.f = nil
	}
}
