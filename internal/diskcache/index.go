package diskcache

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
)

// The index file is written by Close and read by the next Open; the first
// new file deletes it (dropIndexLocked), so that after a crash there is
// no index and Open rebuilds from the files. A rebuild opens every file
// (100,000 files took seconds on a loaded machine, README); the index is
// one sequential read.
//
//	indexMagic, then per object, most recently used first:
//	keyLen u32 key size u64 disk u64 bodyOff u64 bodyCRC u32
//	and a CRC-32C of everything before it.
const indexMagic = "OFDI\x00\x00\x00\x01"

func (c *Cache) indexPath() string { return filepath.Join(c.dir, "index") }

// indexLocked is the index file's content.
func (c *Cache) indexLocked() []byte {
	b := []byte(indexMagic)
	for e := c.lru.Front(); e != nil; e = e.Next() {
		it := e.Value.(*item)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(it.key)))
		b = append(b, it.key...)
		b = binary.LittleEndian.AppendUint64(b, uint64(it.size))
		b = binary.LittleEndian.AppendUint64(b, uint64(it.disk))
		b = binary.LittleEndian.AppendUint64(b, uint64(it.bodyOff))
		b = binary.LittleEndian.AppendUint32(b, it.bodyCRC)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
}

// Close writes the index and refuses later Puts. Gets still work.
func (c *Cache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	b := c.indexLocked()
	if c.used+roundBlock(int64(len(b))) > c.budget {
		// The index counts against the budget too.
		c.evictLocked(roundBlock(int64(len(b))))
		b = c.indexLocked()
	}
	tmp := filepath.Join(c.dir, "tmp", "index")
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync() // the index must not be renamed into place torn
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, c.indexPath())
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

var errIndex = errors.New("diskcache: bad index")

// dropIndexLocked deletes the index read at Open, durably, before the
// first new file: from then on it would not list every file, and a crash
// must make the next start rebuild. Deletions alone leave it usable: an
// object whose file is gone is a miss at Get.
func (c *Cache) dropIndexLocked() error {
	if !c.indexLive {
		return nil
	}
	if err := os.Remove(c.indexPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := syncDir(c.dir); err != nil {
		return err
	}
	c.indexLive = false
	return nil
}

// loadIndex reads and deletes the index. false: there is none, or it
// cannot be used, and the caller rebuilds.
func (c *Cache) loadIndex() bool {
	b, err := os.ReadFile(c.indexPath())
	if err != nil {
		return false
	}
	items, err := parseIndex(b)
	if err != nil {
		c.log.Warn("disk cache: index unreadable; rebuilding from the files", "err", err)
		return false
	}
	tmp := filepath.Join(c.dir, "tmp")
	if ents, err := os.ReadDir(tmp); err == nil {
		for _, e := range ents {
			os.Remove(filepath.Join(tmp, e.Name()))
		}
	}
	for _, it := range items {
		it.path = c.pathFor(it.key)
		c.addLocked(it, false)
	}
	c.indexLive = true
	c.log.Info("disk cache: index loaded", "dir", c.dir, "objects", len(items), "bytes", c.used)
	return true
}

func parseIndex(b []byte) ([]*item, error) {
	if len(b) < len(indexMagic)+4 || string(b[:len(indexMagic)]) != indexMagic {
		return nil, errIndex
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, crcTable) != sum {
		return nil, errIndex
	}
	var items []*item
	seen := map[string]bool{}
	for p := body[len(indexMagic):]; len(p) > 0; {
		if len(p) < 4 {
			return nil, errIndex
		}
		n := int(binary.LittleEndian.Uint32(p))
		if n == 0 || n > maxKeyMeta || len(p) < 4+n+28 {
			return nil, errIndex
		}
		it := &item{key: string(p[4 : 4+n])}
		q := p[4+n:]
		it.size = int64(binary.LittleEndian.Uint64(q))
		it.disk = int64(binary.LittleEndian.Uint64(q[8:]))
		it.bodyOff = int64(binary.LittleEndian.Uint64(q[16:]))
		it.bodyCRC = binary.LittleEndian.Uint32(q[24:])
		if it.size < 0 || it.disk < 0 || it.bodyOff < headerSize || seen[it.key] {
			return nil, errIndex
		}
		seen[it.key] = true
		items = append(items, it)
		p = q[28:]
	}
	return items, nil
}
