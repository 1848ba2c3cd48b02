package cli

import (
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct{ cache, want int64 }{
		{256 << 20, 256<<20 + 256<<20/10 + 64<<20},
		{1 << 30, 1<<30 + 1<<30/10 + 64<<20},
		{0, 64 << 20},
	} {
		if got := memoryLimit(tt.cache); got != tt.want {
			t.Errorf("memoryLimit(%d) = %d, want %d", tt.cache, got, tt.want)
		}
	}
}

// TestLimitMemoryHonoursGOMEMLIMIT: an operator's GOMEMLIMIT wins over
// the limit derived from the cache budget.
func TestLimitMemoryHonoursGOMEMLIMIT(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })
	log := slog.New(slog.DiscardHandler)

	t.Setenv("GOMEMLIMIT", "1GiB")
	limitMemory(256<<20, log)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", got)
	}

	t.Setenv("GOMEMLIMIT", "")
	limitMemory(256<<20, log)
	if got := debug.SetMemoryLimit(-1); got != memoryLimit(256<<20) {
		t.Errorf("limit %d, want %d", got, memoryLimit(256<<20))
	}
}
