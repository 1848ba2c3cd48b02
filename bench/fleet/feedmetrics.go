package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// feedCounters is the control plane's feed counters (openfront_feed_*),
// summed over labels except the request operation's.
type feedCounters map[string]float64

// scrapeFeed reads the feed's counters from the control plane's
// /metrics; nil when it has none (a binary from before them).
func scrapeFeed(ctx context.Context, url string) feedCounters {
	if url == "" {
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	m := feedCounters{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "openfront_feed_") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		if i := strings.IndexByte(name, '{'); i >= 0 {
			if op, ok := strings.CutPrefix(name[i:], `{operation="`); ok {
				name = name[:i] + ":" + strings.TrimSuffix(op, `"}`)
			} else {
				name = name[:i]
			}
		}
		v, err := strconv.ParseFloat(value, 64)
		if err == nil {
			m[name] += v
		}
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// feedPerCreate formats what the feed did per create between a and b.
// cpTicks is the control plane's CPU over the same time.
func feedPerCreate(a, b feedCounters, creates, edges int, cpTicks int64) string {
	if a == nil || b == nil || creates == 0 {
		return "n/a (the control plane has no feed counters)"
	}
	d := func(name string) float64 { return (b[name] - a[name]) / float64(creates) }
	n := float64(max(edges, 1))
	polls := d("openfront_feed_requests_total:changes")
	s := fmt.Sprintf("wake-ups %.3f; polls %.1f (%.3f per edge); deltas sent %.1f (%.3f per edge), %.0f bytes; "+
		"acks %.2f, heartbeats %.2f; delta reads %.3f; ack flushes %.3f (%.1f edge rows)",
		d("openfront_feed_wakeups_total"), polls, polls/n, d("openfront_feed_deltas_sent_total"),
		d("openfront_feed_deltas_sent_total")/n, d("openfront_feed_delta_bytes_sent_total"),
		d("openfront_feed_requests_total:ack"), d("openfront_feed_requests_total:heartbeat"),
		d("openfront_feed_delta_reads_total"), d("openfront_feed_flushes_total"), d("openfront_feed_flushed_edges_total"))
	if p := polls * float64(creates); p > 0 {
		s += fmt.Sprintf("; control-plane CPU %.2f ms per create, %.3f ms per poll",
			float64(cpTicks)*1000/clockTicks/float64(creates), float64(cpTicks)*1000/clockTicks/p)
	}
	return s
}

// feedPerSecond formats the feed's requests and store writes per second
// between a and b, secs apart: what an idle fleet costs the control plane.
func feedPerSecond(a, b feedCounters, secs float64) string {
	if a == nil || b == nil || secs <= 0 {
		return "n/a (the control plane has no feed counters)"
	}
	d := func(name string) float64 { return (b[name] - a[name]) / secs }
	return fmt.Sprintf("polls %.2f, acks %.2f, heartbeats %.2f; ack flushes (write transactions) %.2f, edge rows written %.2f",
		d("openfront_feed_requests_total:changes"), d("openfront_feed_requests_total:ack"), d("openfront_feed_requests_total:heartbeat"),
		d("openfront_feed_flushes_total"), d("openfront_feed_flushed_edges_total"))
}
