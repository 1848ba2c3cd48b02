// Package diskcache keeps objects in files under a byte budget: one file
// per key, found again after a restart by scanning the folder.
//
// Layout: <dir>/<2 hex>/<sha256(key) hex> holds one object; <dir>/tmp
// holds files being written, which are renamed into place when whole, so
// a process killed mid-write leaves only a temporary file (deleted at the
// next Open), never a torn object under its final name.
//
// A file is a fixed header, the key, the caller's metadata and the body:
//
//	magic[8] keyLen u32 metaLen u32 bodyLen u64 headCRC u32 bodyCRC u32
//	key meta body
//
// headCRC (CRC-32C) covers the header's first 24 bytes, key and meta;
// bodyCRC the body. Open checks the length and headCRC of every file
// (a few KiB read each); the body's CRC is checked by Verify, which the
// caller runs before the first use of an object after it was indexed, so
// that start-up does not read the whole cache.
//
// The index is rebuilt from the files rather than persisted: 100,000
// files are scanned in about a second (README), and a rebuilt index
// cannot disagree with the files. Writes are not fsynced: losing a recent
// write to a power failure costs one origin fetch, and a file the kernel
// did not finish writing fails its length or checksum. Purges are made
// durable (the folders are fsynced), because a purged object must not
// come back.
package diskcache

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

const (
	magic      = "OFDC\x00\x00\x00\x01"
	headerSize = 32
	// maxKeyMeta bounds what a header may claim before anything is read:
	// a corrupt length must not make Open allocate gigabytes.
	maxKeyMeta = 1 << 20
	// maxPurgeLog is how many recent purges a Put is checked against.
	maxPurgeLog = 4096
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is a file whose length or checksum is wrong.
var ErrCorrupt = errors.New("diskcache: corrupt file")

// ErrPurged is a Put whose key a purge newer than its epoch removed.
var ErrPurged = errors.New("diskcache: purged while being written")

// ErrTooBig is a Put larger than the whole budget.
var ErrTooBig = errors.New("diskcache: object larger than the budget")

// Cache is safe for concurrent use.
type Cache struct {
	dir    string
	budget int64
	log    *slog.Logger

	mu     sync.Mutex
	items  map[string]*item
	lru    list.List // of *item, most recently used first
	used   int64     // bytes on disk: allocated blocks of every indexed file
	purges []purgeRec
	// forgotten is the newest epoch dropped from purges: a Put older than
	// it cannot be checked and is refused.
	forgotten int64
	nextID    uint64
	seq       atomic.Uint64 // temporary file names
	closed    bool
	indexLive bool // the index file read at Open is still there
}

type item struct {
	key      string
	path     string
	id       uint64
	disk     int64 // allocated bytes
	bodyOff  int64
	size     int64
	bodyCRC  uint32
	hits     int
	verified bool
	elem     *list.Element
}

type purgeRec struct {
	epoch    int64
	prefixes []string
}

// Object is one object found by Get. File is open on the object's file
// and stays valid if the file is replaced or deleted meanwhile; the
// caller owns it.
type Object struct {
	Key      string
	Meta     []byte
	File     *os.File
	Off      int64 // where the body starts in File
	Size     int64 // body length
	ID       uint64
	Hits     int  // Gets of this object since it was indexed, this one included
	Verified bool // the body's checksum was checked since it was indexed
	bodyCRC  uint32
}

// Open indexes the files under dir (creating it), deleting temporary,
// torn and corrupt ones, and evicts the least recently written files
// beyond budget.
func Open(dir string, budget int64, log *slog.Logger) (*Cache, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o700); err != nil {
		return nil, err
	}
	c := &Cache{dir: dir, budget: budget, log: log, items: map[string]*item{}}
	if !c.loadIndex() {
		if err := c.rebuild(); err != nil {
			return nil, err
		}
	}
	c.mu.Lock()
	c.evictLocked(0)
	c.mu.Unlock()
	return c, nil
}

// Stats are the index's totals.
func (c *Cache) Stats() (used int64, objects int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.items)
}

// Dir is the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// Budget is the byte budget.
func (c *Cache) Budget() int64 { return c.budget }

func (c *Cache) pathFor(key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	return filepath.Join(c.dir, h[:2], h)
}

type found struct {
	it    *item
	mtime time.Time
}

// rebuild scans the folder. Files are read by several goroutines: the
// time goes into waiting for open and read, not the CPU. They are ordered
// by modification time (the write) as the LRU's starting order.
func (c *Cache) rebuild() error {
	tmp := filepath.Join(c.dir, "tmp")
	if ents, err := os.ReadDir(tmp); err == nil {
		for _, e := range ents {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
	subs, err := os.ReadDir(c.dir)
	if err != nil {
		return err
	}
	paths := make(chan string, 256)
	var (
		mu      sync.Mutex
		all     []found
		dropped int
		wg      sync.WaitGroup
	)
	for range rebuildWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				it, mtime, err := readIndexEntry(p)
				if err == nil && c.pathFor(it.key) != p {
					err = ErrCorrupt
				}
				mu.Lock()
				if err != nil {
					c.log.Warn("disk cache: dropped a torn or corrupt file", "file", p, "err", err)
					os.Remove(p)
					dropped++
				} else {
					all = append(all, found{it, mtime})
				}
				mu.Unlock()
			}
		}()
	}
	for _, sd := range subs {
		if !sd.IsDir() || len(sd.Name()) != 2 {
			continue
		}
		sub := filepath.Join(c.dir, sd.Name())
		ents, err := os.ReadDir(sub)
		if err != nil {
			close(paths)
			wg.Wait()
			return err
		}
		for _, e := range ents {
			paths <- filepath.Join(sub, e.Name())
		}
	}
	close(paths)
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i].mtime.After(all[j].mtime) })
	for _, f := range all {
		c.addLocked(f.it, false)
	}
	c.log.Info("disk cache: index rebuilt from the files", "dir", c.dir, "objects", len(all), "bytes", c.used, "dropped", dropped)
	return nil
}

// rebuildWorkers read files at once during a rebuild.
const rebuildWorkers = 16

// addLocked indexes it, as the most recently used when front.
func (c *Cache) addLocked(it *item, front bool) {
	c.nextID++
	it.id = c.nextID
	if front {
		it.elem = c.lru.PushFront(it)
	} else {
		it.elem = c.lru.PushBack(it)
	}
	c.items[it.key] = it
	c.used += it.disk
}

// readIndexEntry reads and checks a file's header, key and meta, and its
// length.
func readIndexEntry(p string) (*item, time.Time, error) {
	f, err := os.Open(p)
	if err != nil {
		return &item{}, time.Time{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &item{}, time.Time{}, err
	}
	key, _, h, err := readHead(f, st.Size())
	if err != nil {
		return &item{}, time.Time{}, err
	}
	return &item{key: key, path: p, disk: allocated(st), bodyOff: h.bodyOff(), size: int64(h.bodyLen), bodyCRC: h.bodyCRC}, st.ModTime(), nil
}

type header struct {
	keyLen, metaLen  uint32
	bodyLen          uint64
	headCRC, bodyCRC uint32
}

func (h header) bodyOff() int64 { return headerSize + int64(h.keyLen) + int64(h.metaLen) }

// parseHeader reads the fixed header. size is the file's length, which
// must be exactly what the header describes.
func parseHeader(b []byte, size int64) (header, error) {
	if len(b) < headerSize || string(b[:8]) != magic {
		return header{}, ErrCorrupt
	}
	h := header{
		keyLen:  binary.LittleEndian.Uint32(b[8:]),
		metaLen: binary.LittleEndian.Uint32(b[12:]),
		bodyLen: binary.LittleEndian.Uint64(b[16:]),
		headCRC: binary.LittleEndian.Uint32(b[24:]),
		bodyCRC: binary.LittleEndian.Uint32(b[28:]),
	}
	if h.keyLen == 0 || int64(h.keyLen)+int64(h.metaLen) > maxKeyMeta || h.bodyLen > 1<<62 ||
		h.bodyOff()+int64(h.bodyLen) != size {
		return header{}, ErrCorrupt
	}
	return h, nil
}

func (h header) put(b []byte) {
	copy(b, magic)
	binary.LittleEndian.PutUint32(b[8:], h.keyLen)
	binary.LittleEndian.PutUint32(b[12:], h.metaLen)
	binary.LittleEndian.PutUint64(b[16:], h.bodyLen)
	binary.LittleEndian.PutUint32(b[24:], h.headCRC)
	binary.LittleEndian.PutUint32(b[28:], h.bodyCRC)
}

// readHead reads and checks the header, key and meta of a file of size
// bytes.
func readHead(f io.ReaderAt, size int64) (key string, meta []byte, h header, err error) {
	buf := make([]byte, 4096)
	n, err := f.ReadAt(buf, 0)
	if n < headerSize {
		if err == nil || err == io.EOF {
			err = ErrCorrupt
		}
		return "", nil, h, err
	}
	if h, err = parseHeader(buf[:n], size); err != nil {
		return "", nil, h, err
	}
	need := int(h.bodyOff())
	if need > n {
		more := make([]byte, need)
		copy(more, buf[:n])
		if _, err := f.ReadAt(more[n:], int64(n)); err != nil {
			return "", nil, h, ErrCorrupt
		}
		buf = more
	}
	buf = buf[:need]
	crc := crc32.Update(crc32.Checksum(buf[:24], crcTable), crcTable, buf[headerSize:])
	if crc != h.headCRC {
		return "", nil, h, ErrCorrupt
	}
	return string(buf[headerSize : headerSize+h.keyLen]), buf[headerSize+h.keyLen:], h, nil
}

// Get opens key's file and reads its metadata. It counts as a use for
// the LRU and the hit count.
func (c *Cache) Get(key string) (*Object, bool, error) {
	c.mu.Lock()
	it, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return nil, false, nil
	}
	c.lru.MoveToFront(it.elem)
	it.hits++
	hits, verified, id, p := it.hits, it.verified, it.id, it.path
	c.mu.Unlock()
	f, err := os.Open(p)
	if err != nil {
		c.remove(key, id)
		return nil, false, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		c.remove(key, id)
		return nil, false, err
	}
	k, meta, h, err := readHead(f, st.Size())
	if err == nil && k != key {
		err = ErrCorrupt
	}
	if err != nil {
		f.Close()
		c.remove(key, id)
		return nil, false, err
	}
	return &Object{Key: key, Meta: meta, File: f, Off: h.bodyOff(), Size: int64(h.bodyLen), ID: id,
		Hits: hits, Verified: verified, bodyCRC: h.bodyCRC}, true, nil
}

// Has reports whether key is indexed as the object id.
func (c *Cache) Has(key string, id uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	return ok && it.id == id
}

// Verify checks o's body against its checksum, reading it into dst when
// dst is not nil (len(dst) must be o.Size). A mismatch removes the file.
func (c *Cache) Verify(o *Object, dst []byte) error {
	h := crc32.New(crcTable)
	r := io.NewSectionReader(o.File, o.Off, o.Size)
	var err error
	if dst != nil {
		if _, err = io.ReadFull(r, dst); err == nil {
			h.Write(dst)
		}
	} else {
		buf := make([]byte, 256<<10)
		_, err = io.CopyBuffer(h, r, buf)
	}
	if err == nil && h.Sum32() != o.bodyCRC {
		err = ErrCorrupt
	}
	if err != nil {
		c.log.Warn("disk cache: dropped a corrupt file", "key", o.Key, "err", err)
		c.remove(o.Key, o.ID)
		return err
	}
	c.mu.Lock()
	if it, ok := c.items[o.Key]; ok && it.id == o.ID {
		it.verified = true
	}
	c.mu.Unlock()
	return nil
}

// Put writes an object of size body bytes, which write sends to the
// writer it is given. epoch is the purge epoch the object was fetched
// in: a purge since then that matches key makes Put return ErrPurged.
// It returns the object's id.
func (c *Cache) Put(key string, epoch int64, meta []byte, size int64, write func(io.Writer) error) (uint64, error) {
	total := headerSize + int64(len(key)) + int64(len(meta)) + size
	if roundBlock(total) > c.budget {
		return 0, ErrTooBig
	}
	if len(key)+len(meta) > maxKeyMeta || len(key) == 0 {
		return 0, fmt.Errorf("diskcache: key and meta of %d bytes", len(key)+len(meta))
	}
	tmp := filepath.Join(c.dir, "tmp", fmt.Sprintf("%d-%d", os.Getpid(), c.seq.Add(1)))
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	head := make([]byte, headerSize, headerSize+len(key)+len(meta))
	h := header{keyLen: uint32(len(key)), metaLen: uint32(len(meta)), bodyLen: uint64(size)}
	head = append(head, key...)
	head = append(head, meta...)
	if _, err := f.Write(head); err != nil {
		return 0, err
	}
	bw := &crcWriter{w: f}
	if err := write(bw); err != nil {
		return 0, err
	}
	if bw.n != size {
		return 0, fmt.Errorf("diskcache: wrote %d body bytes of %d", bw.n, size)
	}
	h.bodyCRC = bw.crc
	h.put(head)
	h.headCRC = crc32.Update(crc32.Checksum(head[:24], crcTable), crcTable, head[headerSize:])
	h.put(head)
	if _, err := f.WriteAt(head[:headerSize], 0); err != nil {
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	disk := max(allocated(st), roundBlock(total))
	p := c.pathFor(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, errors.New("diskcache: closed")
	}
	if c.purgedSinceLocked(key, epoch) {
		return 0, ErrPurged
	}
	if err := c.dropIndexLocked(); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return 0, err
	}
	if old, ok := c.items[key]; ok {
		c.dropLocked(old)
	}
	c.evictLocked(disk)
	if err := os.Rename(tmp, p); err != nil {
		return 0, err
	}
	ok = true
	it := &item{key: key, path: p, disk: disk, bodyOff: h.bodyOff(), size: size, bodyCRC: h.bodyCRC, verified: true}
	c.addLocked(it, true)
	return it.id, nil
}

func (c *Cache) purgedSinceLocked(key string, epoch int64) bool {
	if epoch < c.forgotten {
		return true
	}
	for i := range c.purges {
		if c.purges[i].epoch <= epoch {
			continue
		}
		for _, p := range c.purges[i].prefixes {
			if strings.HasPrefix(key, p) {
				return true
			}
		}
	}
	return false
}

// evictLocked removes least recently used files until extra more bytes
// fit the budget.
func (c *Cache) evictLocked(extra int64) {
	for c.used+extra > c.budget {
		back := c.lru.Back()
		if back == nil {
			return
		}
		it := back.Value.(*item)
		c.dropLocked(it)
		os.Remove(it.path)
	}
}

// dropLocked forgets it (its file is the caller's to remove or replace).
func (c *Cache) dropLocked(it *item) {
	c.lru.Remove(it.elem)
	delete(c.items, it.key)
	c.used -= it.disk
}

// Remove deletes key's file if it is still the object id (a file whose
// metadata the caller could not read).
func (c *Cache) Remove(key string, id uint64) { c.remove(key, id) }

// Delete deletes key's file.
func (c *Cache) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[key]; ok {
		c.dropLocked(it)
		os.Remove(it.path)
	}
}

// remove deletes key's file if it is still the object id.
func (c *Cache) remove(key string, id uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if it, ok := c.items[key]; ok && it.id == id {
		c.dropLocked(it)
		os.Remove(it.path)
	}
}

// Purge deletes every object whose key starts with one of prefixes and
// remembers the purge under epoch, so that a Put of an object fetched before it fails. The deletions are
// durable when Purge returns.
func (c *Cache) Purge(epoch int64, prefixes []string) error {
	if len(prefixes) == 0 {
		return nil
	}
	c.mu.Lock()
	c.purges = append(c.purges, purgeRec{epoch, prefixes})
	if len(c.purges) > maxPurgeLog {
		c.forgotten = max(c.forgotten, c.purges[0].epoch)
		c.purges = append(c.purges[:0:0], c.purges[1:]...)
	}
	dirs := map[string]bool{}
	var firstErr error
	for k, it := range c.items {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				c.dropLocked(it)
				if err := os.Remove(it.path); err != nil && !errors.Is(err, os.ErrNotExist) && firstErr == nil {
					firstErr = err
				}
				dirs[filepath.Dir(it.path)] = true
				break
			}
		}
	}
	c.mu.Unlock()
	for d := range dirs {
		if err := syncDir(d); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// Keys calls fn with every indexed key.
func (c *Cache) Keys(fn func(string)) {
	c.mu.Lock()
	keys := make([]string, 0, len(c.items))
	for k := range c.items {
		keys = append(keys, k)
	}
	c.mu.Unlock()
	for _, k := range keys {
		fn(k)
	}
}

func syncDir(d string) error {
	f, err := os.Open(d)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

type crcWriter struct {
	w   io.Writer
	crc uint32
	n   int64
}

func (w *crcWriter) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	w.crc = crc32.Update(w.crc, crcTable, p[:n])
	w.n += int64(n)
	return n, err
}

func roundBlock(n int64) int64 { return (n + 4095) &^ 4095 }
