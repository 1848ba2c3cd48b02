package edge

import (
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"sync"
	"time"
)

// releaseQuiet is how long after the last Apply the edge hands the memory
// that applying freed back to the system.
const releaseQuiet = 2 * time.Second

// releaseAfter is how many bytes the process must have allocated since
// the last release before another is worth its forced collection.
const releaseAfter = 32 << 20

// releaser returns freed memory to the system once snapshots stop
// arriving. A full snapshot (a first start, an edge far behind) decodes
// and compiles every distribution, several KB each, and the Go runtime
// keeps what it freed for a long while: an edge that had followed one
// held two to three times what its distributions need. A forced
// collection a couple of seconds after such a burst costs milliseconds.
// An ordinary revision shares its unchanged records and allocates a few
// KB, so the release waits until enough was allocated to matter: forced
// after every delta, it was a sixth of a busy fleet's CPU.
type releaser struct {
	mu     sync.Mutex
	timer  *time.Timer
	closed bool
	// since is the process's allocation count at the last release.
	since uint64
}

func (r *releaser) applied() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || allocatedBytes()-r.since < releaseAfter {
		return
	}
	if r.timer == nil {
		r.timer = time.AfterFunc(releaseQuiet, r.release)
		return
	}
	r.timer.Reset(releaseQuiet)
}

// release collects twice before returning memory: the first collection
// only moves sync.Pool contents aside (the JSON encoder's buffer, as
// large as the snapshot file, among them), the second frees them.
func (r *releaser) release() {
	runtime.GC()
	debug.FreeOSMemory()
	r.mu.Lock()
	r.since = allocatedBytes()
	r.mu.Unlock()
}

// allocatedBytes is what the process has allocated on the heap since it
// started.
func allocatedBytes() uint64 {
	s := []rtmetrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	rtmetrics.Read(s)
	if s[0].Value.Kind() != rtmetrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func (r *releaser) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
}
