package postgres

import (
	"testing"

	"github.com/openfront/openfront/internal/store"
	"github.com/openfront/openfront/internal/store/storetest"
)

func BenchmarkStore(b *testing.B) {
	storetest.Bench(b, func(t testing.TB) store.Store { return openFresh(t) })
}
