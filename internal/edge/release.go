package edge

import (
	"runtime"
	"runtime/debug"
	"sync"
	"time"
)

// releaseQuiet is how long after the last Apply the edge hands the memory
// that applying freed back to the system.
const releaseQuiet = 2 * time.Second

// releaser returns freed memory to the system once snapshots stop
// arriving. Each revision merges, saves and compiles the whole snapshot
// (several KB per distribution, briefly), and the Go runtime keeps what
// it freed for a long while: an edge that followed a burst of changes
// held two to three times what its distributions need. A forced
// collection a couple of seconds after a burst, not after each revision,
// costs little (milliseconds with thousands of distributions) and is
// rare: configuration changes come in bursts, minutes or days apart.
type releaser struct {
	mu     sync.Mutex
	timer  *time.Timer
	closed bool
}

func (r *releaser) applied() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return
	}
	if r.timer == nil {
		r.timer = time.AfterFunc(releaseQuiet, release)
		return
	}
	r.timer.Reset(releaseQuiet)
}

// release collects twice before returning memory: the first collection
// only moves sync.Pool contents aside (the JSON encoder's buffer, as
// large as the snapshot file, among them), the second frees them.
func release() {
	runtime.GC()
	debug.FreeOSMemory()
}

func (r *releaser) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.timer != nil {
		r.timer.Stop()
	}
}
