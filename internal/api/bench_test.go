package api

import (
	"fmt"
	"net/http"
	"syscall"
	"testing"
	"time"

	"github.com/openfront/openfront/internal/cloudfront"
)

// BenchmarkCreateDistribution measures POST /distribution through HTTP on
// SQLite: signature check, decode, validation, one durable transaction,
// with none and with 4,000 of the account's distributions in place. The
// time is mostly the commit's fsync; cpu-µs/op is the process's CPU per
// create, which is what many edges on one machine leave the control
// plane short of.
func BenchmarkCreateDistribution(b *testing.B) {
	for _, existing := range []int{0, 4000} {
		b.Run(fmt.Sprintf("existing=%d", existing), func(b *testing.B) {
			// The per-account limit is raised so the loop never reaches it.
			e := newTestEnv(b, withLimits(func(l *cloudfront.Limits) { l.DistributionsPerAccount = 1 << 30 }))
			i := 0
			create := func() {
				i++
				res := e.do("POST", "/2012-07-01/distribution", distConfig("ref", fmt.Sprintf("bench-%d", i)))
				if res.status != http.StatusCreated {
					b.Fatalf("create: %d %s", res.status, res.body)
				}
			}
			for range existing {
				create()
			}
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				create()
			}
			b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
