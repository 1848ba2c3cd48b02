package edge

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/maypok86/otter/v2"
)

// maxWeight is the largest weight otter can account for one entry.
const maxWeight = 1<<32 - 1

// entryOverhead approximates the bookkeeping bytes of one cached object
// (entry struct, otter node, map slots), so many tiny objects still count.
const entryOverhead = 256

// entry is one cached response. It is immutable once stored: a refresh
// stores a new entry that shares body and header.
type entry struct {
	status int
	header http.Header // what viewers get, minus per-request headers
	// fields is header as a slice, set by seal: a hit copies it into the
	// response's map without iterating a map.
	fields  []headerField
	body    []byte
	stored  time.Time // fetched or last revalidated; Age counts from here
	expires time.Time
	etag    string
	lastMod string
	isError bool // 4xx/5xx: X-Cache "Error from cloudfront"
	private bool // Cache-Control no-store or private: one viewer's copy
	// compressed: the edge compressed body (compress.go), so the ETag
	// stays weak when a 304 renews it.
	compressed bool
	weight     uint32
	// parts: the entry describes a large object whose body is kept in
	// parts, each an entry of its own (parts.go); its own body is empty.
	parts *objectParts
	// file holds the body instead of body when the entry was read from the
	// disk tier (disk.go); such an entry never stays in the memory tier.
	file *fileBody
	// diskID is the disk tier's object this entry was promoted from: while
	// that file exists, evicting the entry from memory writes nothing.
	diskID uint64
	// epoch is the purge epoch the entry was cached in; the disk tier
	// refuses it if a purge since then matches its key.
	epoch int64
}

func (e *entry) fresh(now time.Time) bool { return now.Before(e.expires) }

// objectCache is a byte-bounded W-TinyLFU cache of entries by cache key,
// over an optional disk tier (disk.go): what memory evicts goes to disk
// when worth keeping, and a memory miss looks there.
type objectCache struct {
	c     *otter.Cache[string, *entry]
	disk  *diskTier // nil: memory only
	epoch *atomic.Int64
	// budget is the edge's memory budget; the memory tier gets the part
	// of it the rest of the process leaves (membudget.go).
	budget int64
	// fillMem counts the bodies arriving from origins.
	fillMem *memPool
	stop    chan struct{}
	// restPeak is the recent peak of the live heap beside the memory
	// tier, the fills and the disk queue (govern's alone).
	restPeak int64
}

func newObjectCache(budget int64, epoch *atomic.Int64, disk *diskTier) (*objectCache, error) {
	// epoch and disk are set before the governor starts: it reads them.
	oc := &objectCache{epoch: epoch, disk: disk, budget: budget,
		fillMem: newMemPool(fillBudget(budget)), stop: make(chan struct{})}
	c, err := otter.New(&otter.Options[string, *entry]{
		OnDeletion: func(ev otter.DeletionEvent[string, *entry]) {
			if ev.Cause == otter.CauseOverflow && oc.disk != nil {
				oc.disk.offer(ev.Key, ev.Value)
			}
		},
		MaximumWeight: uint64(memoryTierSize(budget, MemoryLimit(budget), 0)),
		Weigher: func(k string, e *entry) uint32 {
			w := uint64(e.weight) + uint64(len(k))
			if w > maxWeight {
				return maxWeight
			}
			return uint32(w)
		},
	})
	if err != nil {
		return nil, err
	}
	oc.c = c
	go oc.govern(oc.stop)
	return oc, nil
}

// get looks key up without retaining it, so key may alias a reused buffer.
// A memory miss looks in the disk tier; a memory hit costs nothing more.
func (c *objectCache) get(key []byte) (*entry, bool) {
	e, ok := c.c.GetIfPresent(unsafe.String(unsafe.SliceData(key), len(key)))
	if ok || c.disk == nil {
		return e, ok
	}
	e, promote := c.disk.get(key)
	if promote {
		c.c.Set(string(key), e)
	}
	return e, e != nil
}

// set caches e. With a disk tier, an entry heavier than the memory tier's
// per-object limit goes straight to disk, and an entry read from disk (a
// refreshed or stale-served copy) is brought into memory or rewritten.
func (c *objectCache) set(key string, e *entry) {
	if e.epoch == 0 {
		e.epoch = c.epoch.Load()
	}
	d := c.disk
	switch {
	case d == nil: // and so no entry has a file
	case e.file != nil:
		if m := d.intoMemory(e); m != nil {
			c.c.Set(key, m)
			return
		}
		c.c.Invalidate(key)
		d.offer(key, e)
		return
	case int64(e.weight) > d.memLimit && !d.off():
		c.c.Invalidate(key)
		d.offer(key, e)
		return
	}
	c.c.Set(key, e)
}

func (c *objectCache) delete(key string) {
	c.c.Invalidate(key)
	if c.disk != nil {
		c.disk.delete(key)
	}
}

// purge removes every key that starts with one of prefixes, from both
// tiers; the disk's deletions are durable when it returns.
func (c *objectCache) purge(prefixes []string) {
	if len(prefixes) == 0 {
		return
	}
	if c.disk != nil {
		c.disk.purge(c.epoch.Load(), prefixes)
	}
	for k := range c.c.Keys() {
		for _, p := range prefixes {
			if strings.HasPrefix(k, p) {
				c.c.Invalidate(k)
				break
			}
		}
	}
}

func (c *objectCache) weightedSize() uint64 { return c.c.WeightedSize() }
func (c *objectCache) len() int             { return c.c.EstimatedSize() }

// close writes what memory holds to the disk tier, so that a restart
// starts warm, and stops the cache's goroutines.
func (c *objectCache) close() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	if c.disk != nil {
		c.disk.close(c.c)
	}
	c.c.StopAllGoroutines()
}

// headerField is one header of an entry.
type headerField struct {
	key    string
	values []string
}

// seal prepares a complete entry for serving: its weight and its header
// fields. The entry must not change afterwards.
func seal(e *entry) {
	e.diskID = 0 // new headers: a file of the old ones is not this entry
	e.fields = make([]headerField, 0, len(e.header))
	for k, vs := range e.header {
		e.fields = append(e.fields, headerField{k, vs})
	}
	weigh(e)
}

// weigh sets e.weight from its body and headers.
func weigh(e *entry) {
	n := int64(len(e.body)) + entryOverhead + int64(len(e.etag)+len(e.lastMod))
	for k, vs := range e.header {
		n += int64(len(k)) + 16
		for _, v := range vs {
			n += int64(len(v)) + 16
		}
	}
	if n > maxWeight {
		n = maxWeight
	}
	e.weight = uint32(n)
}
