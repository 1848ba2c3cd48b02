package diskcache

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func put(t testing.TB, c *Cache, key string, epoch int64, body []byte) {
	t.Helper()
	if _, err := c.Put(key, epoch, []byte("meta:"+key), int64(len(body)), func(w io.Writer) error {
		_, err := w.Write(body)
		return err
	}); err != nil {
		t.Fatalf("Put %q: %v", key, err)
	}
}

// read returns key's meta and body, verified, or ok=false.
func read(t testing.TB, c *Cache, key string) (meta, body string, ok bool) {
	t.Helper()
	o, ok, _ := c.Get(key)
	if !ok {
		return "", "", false
	}
	defer o.File.Close()
	b := make([]byte, o.Size)
	if err := c.Verify(o, b); err != nil {
		return "", "", false
	}
	return string(o.Meta), string(b), true
}

func open(t testing.TB, dir string, budget int64) *Cache {
	t.Helper()
	c, err := Open(dir, budget, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// onDisk sums the allocated bytes of every file under dir, as du does.
func onDisk(t testing.TB, dir string) int64 {
	t.Helper()
	var n int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		n += st.Sys().(*syscall.Stat_t).Blocks * 512
		return nil
	})
	return n
}

func TestReopenFindsObjects(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 1<<20)
	put(t, c, "d1\x00/a", 0, []byte("alpha"))
	put(t, c, "d1\x00/b", 0, nil) // an empty body is an object too
	c = open(t, dir, 1<<20)
	for key, want := range map[string]string{"d1\x00/a": "alpha", "d1\x00/b": ""} {
		meta, body, ok := read(t, c, key)
		if !ok || body != want || meta != "meta:"+key {
			t.Errorf("%q after reopen: ok=%v meta %q body %q", key, ok, meta, body)
		}
	}
	if _, _, ok := read(t, c, "d1\x00/none"); ok {
		t.Error("an unknown key was found")
	}
}

// TestTornAndCorruptFiles: files damaged while the cache was closed are
// dropped, at Open when the length or the header's checksum is wrong, at
// the first Verify when the body's checksum is; a temporary file left by
// a killed write is deleted.
func TestTornAndCorruptFiles(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 1000)
	cases := []struct {
		name   string
		damage func(t *testing.T, path string)
		atOpen bool
	}{
		{"truncated", func(t *testing.T, p string) { os.Truncate(p, 5000) }, true},
		{"header only", func(t *testing.T, p string) { os.Truncate(p, headerSize) }, true},
		{"empty", func(t *testing.T, p string) { os.Truncate(p, 0) }, true},
		{"longer", func(t *testing.T, p string) {
			f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			f.Write([]byte("x"))
			f.Close()
		}, true},
		{"meta byte flipped", func(t *testing.T, p string) { flip(t, p, headerSize+3) }, true},
		{"length field flipped", func(t *testing.T, p string) { flip(t, p, 16) }, true},
		{"magic flipped", func(t *testing.T, p string) { flip(t, p, 0) }, true},
		{"body byte flipped", func(t *testing.T, p string) { flip(t, p, -100) }, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			c := open(t, dir, 1<<20)
			put(t, c, "k", 0, body)
			put(t, c, "other", 0, body)
			tc.damage(t, c.pathFor("k"))
			os.WriteFile(filepath.Join(dir, "tmp", "123-1"), body[:77], 0o600)
			c = open(t, dir, 1<<20)
			_, n := c.Stats()
			if tc.atOpen && n != 1 {
				t.Errorf("Open indexed %d objects, want 1 (the damaged one dropped)", n)
			}
			if _, _, ok := read(t, c, "k"); ok {
				t.Error("the damaged object was served")
			}
			if _, err := os.Stat(c.pathFor("k")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the damaged file is still there: %v", err)
			}
			if _, got, ok := read(t, c, "other"); !ok || got != string(body) {
				t.Error("the intact object was lost")
			}
			if ents, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(ents) != 0 {
				t.Errorf("temporary files left: %d", len(ents))
			}
		})
	}
}

// flip inverts the byte at off (from the end when negative).
func flip(t *testing.T, p string, off int64) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(b))
	}
	b[off] ^= 0xff
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBudgetUnderChurn writes five times the budget in objects of mixed
// sizes: the bytes the files take on disk (allocated blocks, as du counts
// them) never pass the budget, and the newest objects are the ones kept.
func TestBudgetUnderChurn(t *testing.T) {
	const budget = 1 << 20
	dir := t.TempDir()
	c := open(t, dir, budget)
	var written int64
	var last string
	for i := 0; written < 5*budget; i++ {
		size := []int{1, 900, 4096, 5000, 30000, 100000}[i%6]
		last = fmt.Sprintf("k%d", i)
		put(t, c, last, 0, bytes.Repeat([]byte{byte(i)}, size))
		written += int64(size)
		if got := onDisk(t, dir); i%4 == 0 && got > budget {
			t.Fatalf("after %d bytes written: %d bytes on disk, budget %d", written, got, budget)
		}
	}
	used, n := c.Stats()
	if got := onDisk(t, dir); used != got {
		t.Errorf("index counts %d bytes, disk has %d", used, got)
	}
	if _, _, ok := read(t, c, last); !ok || n < 10 {
		t.Errorf("the newest object is gone or few kept (%d)", n)
	}
	// A smaller budget at the next start evicts down to it.
	c = open(t, dir, budget/4)
	if got := onDisk(t, dir); got > budget/4 {
		t.Errorf("reopened with a quarter of the budget: %d bytes on disk", got)
	}
	if _, err := c.Put("huge", 0, nil, budget, func(w io.Writer) error { return nil }); !errors.Is(err, ErrTooBig) {
		t.Errorf("an object the size of the budget: %v, want ErrTooBig", err)
	}
}

func TestLRUKeepsWhatIsRead(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 64<<10)
	body := make([]byte, 8000) // two blocks each: eight fit
	for i := range 8 {
		put(t, c, fmt.Sprint(i), 0, body)
	}
	read(t, c, "0") // used: the LRU keeps it over 1
	put(t, c, "8", 0, body)
	if _, _, ok := read(t, c, "0"); !ok {
		t.Error("the object just read was evicted")
	}
	if _, _, ok := read(t, c, "1"); ok {
		t.Error("the least recently used object was kept")
	}
}

// TestPurge: a purge deletes by prefix, durably (a reopened cache does
// not find the objects), and a Put of an object fetched before a purge
// that matches it is refused.
func TestPurge(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 1<<20)
	for _, k := range []string{"d1\x00/a\x00", "d1\x00/a/b\x00", "d1\x00/b\x00", "d2\x00/a\x00"} {
		put(t, c, k, 0, []byte(k))
	}
	if err := c.Purge(5, []string{"d1\x00/a"}); err != nil {
		t.Fatal(err)
	}
	c = open(t, dir, 1<<20)
	want := map[string]bool{"d1\x00/a\x00": false, "d1\x00/a/b\x00": false, "d1\x00/b\x00": true, "d2\x00/a\x00": true}
	for k, kept := range want {
		if _, _, ok := read(t, c, k); ok != kept {
			t.Errorf("%q: found=%v after purge and reopen, want %v", k, ok, kept)
		}
	}
	c.Purge(7, []string{"d2\x00"})
	for _, tc := range []struct {
		key   string
		epoch int64
		err   error
	}{
		{"d2\x00/x", 6, ErrPurged}, // fetched before the purge
		{"d2\x00/x", 7, nil},       // in the purge's epoch: after it
		{"d3\x00/x", 0, nil},       // another prefix
	} {
		_, err := c.Put(tc.key, tc.epoch, nil, 1, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err })
		if !errors.Is(err, tc.err) {
			t.Errorf("Put %q at epoch %d: %v, want %v", tc.key, tc.epoch, err, tc.err)
		}
	}
	// Past the purge log, an old epoch cannot be checked: refused.
	for i := range maxPurgeLog + 1 {
		c.Purge(int64(100+i), []string{"zz"})
	}
	if _, err := c.Put("d9\x00/x", 50, nil, 0, func(io.Writer) error { return nil }); !errors.Is(err, ErrPurged) {
		t.Errorf("a Put older than the purge log: %v", err)
	}
}

// TestWriteFailure: a Put that cannot write leaves nothing behind and
// reports the error; what was there stays readable.
func TestWriteFailure(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 1<<20)
	put(t, c, "a", 0, []byte("alpha"))
	// The temporary folder replaced by a file: creating a file in it fails
	// (ENOTDIR), for root too.
	os.RemoveAll(filepath.Join(dir, "tmp"))
	os.WriteFile(filepath.Join(dir, "tmp"), nil, 0o600)
	_, err := c.Put("b", 0, nil, 1, func(w io.Writer) error { _, err := w.Write([]byte("b")); return err })
	if err == nil {
		t.Fatal("Put into a broken folder succeeded")
	}
	errBody := errors.New("origin body broke")
	os.Remove(filepath.Join(dir, "tmp"))
	os.Mkdir(filepath.Join(dir, "tmp"), 0o700)
	if _, err := c.Put("c", 0, nil, 10, func(w io.Writer) error { w.Write([]byte("ab")); return errBody }); !errors.Is(err, errBody) {
		t.Errorf("a failing body: %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(ents) != 0 {
		t.Errorf("a failed Put left %d temporary files", len(ents))
	}
	if _, body, ok := read(t, c, "a"); !ok || body != "alpha" {
		t.Error("the object written before the failure is gone")
	}
	// A folder that cannot be made fails Open.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(filepath.Join(file, "cache"), 1<<20, nil); err == nil {
		t.Error("Open under a file succeeded")
	}
}

// TestReplaceKeepsReaders: replacing or purging an object does not break
// a reader that has it open.
func TestReplaceKeepsReaders(t *testing.T) {
	c := open(t, t.TempDir(), 1<<20)
	put(t, c, "k", 0, []byte("old body"))
	o, ok, _ := c.Get("k")
	if !ok {
		t.Fatal("not found")
	}
	defer o.File.Close()
	put(t, c, "k", 0, []byte("new body, longer"))
	c.Purge(1, []string{"k"})
	b := make([]byte, o.Size)
	if _, err := o.File.ReadAt(b, o.Off); err != nil || string(b) != "old body" {
		t.Errorf("the open reader got %q, %v", b, err)
	}
}

func FuzzReadHead(f *testing.F) {
	dir := f.TempDir()
	c, _ := Open(dir, 1<<20, nil)
	put(f, c, "d1\x00/a", 0, []byte("body"))
	good, _ := os.ReadFile(c.pathFor("d1\x00/a"))
	f.Add(good)
	f.Add(good[:headerSize])
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, b []byte) {
		key, meta, h, err := readHead(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if h.bodyOff()+int64(h.bodyLen) != int64(len(b)) || !strings.HasPrefix(string(b[headerSize:]), key+string(meta)) {
			t.Fatalf("accepted a file that does not match its header: key %q", key)
		}
	})
}

// BenchmarkOpen100k measures start-up with 100,000 files (10,000 with
// -short): the index rebuilt from the files (after a crash) and read from
// the index file (after Close).
func BenchmarkOpen100k(b *testing.B) {
	files := 100_000
	if testing.Short() {
		files = 10_000
	}
	dir := b.TempDir()
	c := open(b, dir, 1<<40)
	body := make([]byte, 2000)
	for i := range files {
		put(b, c, fmt.Sprintf("d1\x00/object/%d\x00\x00\x00i", i), 0, body)
	}
	// Written back, as a cache's files are some seconds after their write:
	// Open's one fsync must not pay for the set-up's writes.
	syscall.Sync()
	for _, closed := range []bool{false, true} {
		b.Run(map[bool]string{false: "rebuild", true: "index"}[closed], func(b *testing.B) {
			for b.Loop() {
				if closed {
					b.StopTimer() // writing the index is the stop's cost
					c.Close()
					syscall.Sync()
					b.StartTimer()
				}
				c = open(b, dir, 1<<40)
			}
			if _, n := c.Stats(); n != files {
				b.Fatalf("indexed %d", n)
			}
		})
	}
}

// TestIndex: after Close, Open reads the index instead of the files and
// deletes it, so that a crash after that start rebuilds from the files
// (and finds what was written meanwhile); a damaged index is ignored.
func TestIndex(t *testing.T) {
	dir := t.TempDir()
	c := open(t, dir, 1<<20)
	put(t, c, "a", 0, []byte("alpha"))
	put(t, c, "b", 0, []byte("beta"))
	read(t, c, "a") // most recent
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Put("c", 0, nil, 0, func(io.Writer) error { return nil }); err == nil {
		t.Error("Put after Close succeeded")
	}
	c = open(t, dir, 1<<20)
	if c.lru.Front().Value.(*item).key != "a" {
		t.Error("the LRU order was not kept")
	}
	c.Purge(1, []string{"nothing"}) // deletions keep the index
	if _, err := os.Stat(filepath.Join(dir, "index")); err != nil {
		t.Fatalf("the index is gone before any new file: %v", err)
	}
	put(t, c, "c", 0, []byte("gamma")) // then a crash: no Close
	if _, err := os.Stat(filepath.Join(dir, "index")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the index is still there after a new file: %v", err)
	}
	c = open(t, dir, 1<<20)
	for k, want := range map[string]string{"a": "alpha", "b": "beta", "c": "gamma"} {
		if _, got, ok := read(t, c, k); !ok || got != want {
			t.Errorf("%q after a crash: %q, %v", k, got, ok)
		}
	}
	// Damaged while down: the file checks itself at Get and Verify.
	c.Close()
	flip(t, c.pathFor("b"), -1)
	os.Truncate(c.pathFor("c"), 40)
	c = open(t, dir, 1<<20)
	for k, want := range map[string]bool{"a": true, "b": false, "c": false} {
		if _, _, ok := read(t, c, k); ok != want {
			t.Errorf("%q damaged while down: found=%v", k, ok)
		}
	}
	c.Close()
	flip(t, filepath.Join(dir, "index"), 12)
	c = open(t, dir, 1<<20)
	if _, _, ok := read(t, c, "a"); !ok {
		t.Error("a damaged index lost the objects (no rebuild)")
	}
}

func FuzzParseIndex(f *testing.F) {
	dir := f.TempDir()
	c, _ := Open(dir, 1<<20, nil)
	put(f, c, "k1", 0, []byte("body"))
	put(f, c, "k2", 0, nil)
	c.Close()
	good, _ := os.ReadFile(filepath.Join(dir, "index"))
	f.Add(good)
	f.Add([]byte(indexMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := parseIndex(b)
		if err != nil {
			return
		}
		for _, it := range items {
			if it.key == "" || it.bodyOff < headerSize || it.size < 0 {
				t.Fatalf("accepted a bad item %+v", it)
			}
		}
	})
}
