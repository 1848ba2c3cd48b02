package cli

import (
	"log/slog"
	"runtime/debug"
	"testing"

	"github.com/openfront/openfront/internal/edge"
)

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
	if got := debug.SetMemoryLimit(-1); got != edge.MemoryLimit(256<<20) {
		t.Errorf("limit %d, want %d", got, edge.MemoryLimit(256<<20))
	}
}
