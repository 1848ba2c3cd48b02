package cli

import (
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/openfront/openfront/internal/edge"
)

// limitMemory sets the Go runtime's soft memory limit from the edge's
// memory budget (edge.MemoryLimit: the budget + 10 %, less the binary's
// own pages), unless GOMEMLIMIT says otherwise. Without a limit the
// collector lets the heap grow to twice what is live (bench/large.sh: 556
// MiB of RSS for a 256 MiB budget); with the budget + 10 % + 64 MiB, as
// before, the garbage filled that limit (359 MiB).
func limitMemory(cacheSize int64, logger *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" || cacheSize <= 0 {
		return
	}
	limit := edge.MemoryLimit(cacheSize)
	debug.SetMemoryLimit(limit)
	logger.Info("edge: Go memory limit set from the memory budget", "limit_bytes", limit)
}
