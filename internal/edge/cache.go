package edge

import (
	"net/http"
	"strings"
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
}

func (e *entry) fresh(now time.Time) bool { return now.Before(e.expires) }

// objectCache is a byte-bounded W-TinyLFU cache of entries by cache key.
type objectCache struct {
	c *otter.Cache[string, *entry]
}

func newObjectCache(budget int64) (*objectCache, error) {
	c, err := otter.New(&otter.Options[string, *entry]{
		MaximumWeight: uint64(budget),
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
	return &objectCache{c: c}, nil
}

// get looks key up without retaining it, so key may alias a reused buffer.
func (c *objectCache) get(key []byte) (*entry, bool) {
	return c.c.GetIfPresent(unsafe.String(unsafe.SliceData(key), len(key)))
}

func (c *objectCache) set(key string, e *entry) { c.c.Set(key, e) }

func (c *objectCache) delete(key string) { c.c.Invalidate(key) }

// purge removes every key that starts with one of prefixes.
func (c *objectCache) purge(prefixes []string) {
	if len(prefixes) == 0 {
		return
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
func (c *objectCache) close()               { c.c.StopAllGoroutines() }

// headerField is one header of an entry.
type headerField struct {
	key    string
	values []string
}

// seal prepares a complete entry for serving: its weight and its header
// fields. The entry must not change afterwards.
func seal(e *entry) {
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
