package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCrashDuringCreates kills `openfront serve` with SIGKILL in the middle
// of a burst of creates. After a restart every distribution that got a 201
// is there with the config it was created with, and every distribution
// there is a complete one (its config answers, its list entry matches).
func TestCrashDuringCreates(t *testing.T) {
	data := t.TempDir()
	apiAddr := freeAddr(t)
	args := []string{"serve", "--data", data, "--api-addr", apiAddr, "--edge-addr", freeAddr(t)}
	p := start(t, `^api: `, args...)
	id, secret := credentials(t, filepath.Join(data, "credentials"))
	c := &apiClient{base: "http://" + apiAddr, id: id, secret: secret}

	type ack struct{ ref, id string }
	var mu sync.Mutex
	var acked []ack
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				ref := fmt.Sprintf("crash-%d-%d", w, i)
				r, err := c.do(ctx, "POST", "/2012-07-01/distribution", distConfig(ref, "origin.example.com", 80, "PriceClass_All", true))
				if err != nil {
					return // the server is gone
				}
				if r.status == 201 {
					mu.Lock()
					acked = append(acked, ack{ref, field(idRE, r.body)})
					mu.Unlock()
				}
			}
		}(w)
	}
	// Let the burst run, then kill mid-flight.
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 40 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	p.kill()
	cancel()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no create was acknowledged before the kill")
	}

	start(t, `^api: `, args...)
	for _, a := range acked {
		r := c.must(t, "GET", "/2012-07-01/distribution/"+a.id+"/config", "")
		if r.status != 200 || !strings.Contains(r.body, "<CallerReference>"+a.ref+"</CallerReference>") ||
			!strings.Contains(r.body, "<Comment>"+a.ref+"</Comment>") {
			t.Errorf("acknowledged %s (%s) after restart: %d %s", a.id, a.ref, r.status, r.body)
		}
	}
	// Nothing half-written: every listed distribution reads back whole.
	listed := 0
	for marker := ""; ; {
		r := c.must(t, "GET", "/2012-07-01/distribution?Marker="+marker, "")
		if r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		for _, m := range summaryIDRE.FindAllStringSubmatch(r.body, -1) {
			listed++
			g := c.must(t, "GET", "/2012-07-01/distribution/"+m[1], "")
			if g.status != 200 || !strings.Contains(g.body, "</DistributionConfig></Distribution>") {
				t.Errorf("listed %s reads back %d %s", m[1], g.status, g.body)
			}
		}
		if !strings.Contains(r.body, "<IsTruncated>true</IsTruncated>") {
			break
		}
		marker = field(regexpNextMarker, r.body)
	}
	if listed < len(acked) {
		t.Errorf("listed %d distributions, %d were acknowledged", listed, len(acked))
	}
	t.Logf("%d creates acknowledged before SIGKILL, %d distributions after restart", len(acked), listed)
}
