package main

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestSmoke runs the harness's whole path (fill, sign-in, every page, cold
// start and memory) small: 2,000 clients, 4 connections, 1 s a page. It
// checks only that no request failed and that the figures hang together;
// how fast is for docs/benchmarks.md, never for a test.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("the load harness smoke test takes ~10 s")
	}
	engines := []store.Engine{store.SQLite}
	pg := testdb.PostgresDSN()
	switch {
	case pg != "":
		engines = append(engines, store.Postgres)
	case os.Getenv("FASCIA_TEST_REQUIRE_POSTGRES") == "1":
		t.Fatal("FASCIA_TEST_POSTGRES is not set but PostgreSQL is required: run the tests through scripts/test")
	default:
		t.Log("no PostgreSQL (FASCIA_TEST_POSTGRES): SQLite only")
	}
	var progress io.Writer
	if testing.Verbose() {
		progress = os.Stderr
	}
	cfg := config{
		Engines: engines, PG: pg, Clients: 2000, Batch: 500, Seed: 7, Conns: 4,
		Duration: time.Second, Warmup: 100 * time.Millisecond, Pages: allPages,
		Cold: true, ColdRuns: 1, IdleWait: 100 * time.Millisecond, IdleReqs: 6,
		WorkDir: t.TempDir(), Progress: progress,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := rep.Errors(); n > 0 {
		t.Fatalf("%d requests failed: %s", n, strings.Join(rep.ErrorSamples(), "; "))
	}
	if len(rep.Engines) != len(engines) {
		t.Fatalf("%d engine reports for %d engines", len(rep.Engines), len(engines))
	}
	for _, e := range rep.Engines {
		if e.Clients != cfg.Clients+40 {
			t.Errorf("%s: %d clients in the organisation, want %d (the demo's 40 and the fill's)", e.Engine, e.Clients, cfg.Clients+40)
		}
		if len(e.Results) != len(allPages) {
			t.Errorf("%s: %d results for %d pages", e.Engine, len(e.Results), len(allPages))
		}
		for _, r := range e.Results {
			if r.Requests == 0 || r.RPS <= 0 || r.BodyBytes == 0 {
				t.Errorf("%s %s: %d requests, %.1f req/s, %d bytes a body", e.Engine, r.Name, r.Requests, r.RPS, r.BodyBytes)
			}
			if !(0 < r.P50 && r.P50 <= r.P90 && r.P90 <= r.P99 && r.P99 <= r.Max) {
				t.Errorf("%s %s: percentiles out of order: p50 %v p90 %v p99 %v max %v", e.Engine, r.Name, r.P50, r.P90, r.P99, r.Max)
			}
		}
	}
	c := rep.Cold
	if c == nil || len(c.Starts) != 1 || c.Median <= 0 || len(c.RSSIdle) != 1 || c.RSSIdle[0] <= 0 || c.HWM[0] < c.RSSIdle[0] {
		t.Errorf("cold start report incomplete: %+v", c)
	}
	md := rep.Markdown()
	for _, want := range []string{"| sqlite | search page", "| sqlite | chart page", "bare net/http handler", "Cold start", "idle memory"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if pg != "" && !strings.Contains(md, "| postgres | chart page") {
		t.Errorf("the report lacks PostgreSQL:\n%s", md)
	}
}

func TestPercentile(t *testing.T) {
	var xs []time.Duration
	for i := 1; i <= 100; i++ {
		xs = append(xs, time.Duration(i))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50}, {0.9, 90}, {0.99, 99}, {1, 100}, {0.001, 1}} {
		if got := percentile(xs, c.q); got != c.want {
			t.Errorf("percentile(1..100, %v) = %v, want %v", c.q, got, c.want)
		}
	}
	if got := percentile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("percentile of one = %v", got)
	}
}

func TestFlags(t *testing.T) {
	var sink strings.Builder
	if _, _, err := parseFlags([]string{"--engine", "mysql"}, &sink); err == nil {
		t.Error("--engine mysql accepted")
	}
	if _, _, err := parseFlags([]string{"--engine", "postgres", "--pg", ""}, &sink); err == nil {
		t.Error("postgres without a DSN accepted")
	}
	if _, _, err := parseFlags([]string{"--pages", "search,nope"}, &sink); err == nil {
		t.Error("unknown page accepted")
	}
	c, out, err := parseFlags([]string{"--engine", "sqlite", "--clients", "500", "--pages", "chart,search", "--out", "x.md"}, &sink)
	if err != nil {
		t.Fatal(err)
	}
	if c.Clients != 500 || out != "x.md" || strings.Join(c.Pages, ",") != "chart,search" || c.Conns != 32 || c.Duration != 15*time.Second {
		t.Errorf("parsed %+v, out %q", c, out)
	}
}
