package edge

import "testing"

// sink keeps the test's allocations from being optimised away.
var sink []byte

// TestReleaseOnlyAfterMuchAllocated: an ordinary revision must not arm
// the forced collection (it cost a busy fleet a sixth of its CPU), a
// revision after a large allocation (a full snapshot) must.
func TestReleaseOnlyAfterMuchAllocated(t *testing.T) {
	var r releaser
	defer r.close()
	r.since = allocatedBytes()
	r.applied()
	if r.timer != nil {
		t.Fatal("an Apply that allocated little armed the release")
	}
	for i := 0; i < 2*releaseAfter/(1<<20); i++ {
		sink = make([]byte, 1<<20)
	}
	r.applied()
	if r.timer == nil {
		t.Fatal("an Apply after allocating 64 MiB did not arm the release")
	}
	r.release()
	if got := allocatedBytes() - r.since; got >= releaseAfter {
		t.Fatalf("release left since %d bytes behind", got)
	}
}
