package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/openfront/openfront/internal/cloudfront"
)

// BenchmarkCreateDistribution measures POST /distribution through HTTP on
// SQLite: signature check, decode, validation, one durable transaction.
func BenchmarkCreateDistribution(b *testing.B) {
	// The per-account limit is raised so the loop never reaches it.
	e := newTestEnv(b, withLimits(func(l *cloudfront.Limits) { l.DistributionsPerAccount = 1 << 30 }))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res := e.do("POST", "/2012-07-01/distribution", distConfig("ref", fmt.Sprintf("bench-%d", i)))
		if res.status != http.StatusCreated {
			b.Fatalf("create: %d %s", res.status, res.body)
		}
	}
}

// BenchmarkGetDistribution measures GET /distribution/{id} through HTTP on
// SQLite.
func BenchmarkGetDistribution(b *testing.B) {
	e := newTestEnv(b)
	res := e.do("POST", "/2012-07-01/distribution", distConfig())
	if res.status != http.StatusCreated {
		b.Fatalf("create: %d %s", res.status, res.body)
	}
	path := "/2012-07-01/distribution/" + firstID(res.body)
	b.ReportAllocs()
	for b.Loop() {
		if r := e.do("GET", path, ""); r.status != http.StatusOK {
			b.Fatalf("get: %d %s", r.status, r.body)
		}
	}
}
