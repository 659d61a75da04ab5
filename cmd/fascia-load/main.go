// Command fascia-load is Fascia's load harness. It fills the demo
// organisation with synthetic clients (demo.Clients), serves the real handler
// stack in-process on a loopback listener, and measures the client search
// page, the chart page and the API search at a fixed number of concurrent
// keep-alive connections, beside a bare net/http handler measured in the
// same run as the machine's ceiling. It can also time a cold start of the
// fascia binary on the filled SQLite database and read its idle memory.
//
//	go run ./cmd/fascia-load --engine both --pg postgres://… --out /tmp/bench.md
//
// Every figure is printed as a markdown table; docs/benchmarks.md records the
// results on the project's machine. The harness only ever talks to addresses
// on the loopback interface, and every phase is bounded in time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/fascia-health/fascia/internal/store"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is everything a run needs; the flags fill it, the test builds it.
type config struct {
	Engines []store.Engine
	PG      string // base DSN; each run works in a fresh schema of its database
	Clients int
	Batch   int    // clients per fill transaction
	Fill    string // "bulk" (multi-row INSERTs) or "store" (store.CreateClient per client)
	// PrefixLen is how many letters of a last name the searches send.
	PrefixLen int
	Seed      int64
	Conns     int
	Duration  time.Duration
	Warmup    time.Duration
	Pages     []string // of allPages, measured in that order

	Cold      bool   // time cold starts of the fascia binary on the SQLite database
	Fascia    string // a built fascia binary; "" builds one
	ColdRuns  int
	IdleWait  time.Duration // idle time before reading VmRSS
	IdleReqs  int           // requests made before the idle wait
	WorkDir   string        // where the SQLite file goes; "" is a temporary directory
	KeepFiles bool

	CPUProfile string

	Progress io.Writer // progress lines; nil is quiet
}

// allPages are the pages a run can measure.
var allPages = []string{"bare", "search", "chart", "api", "heavy", "heavy1", "evalpdf"}

func defaultPG() string {
	for _, k := range []string{"FASCIA_LOAD_POSTGRES", "FASCIA_TEST_POSTGRES"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

func parseFlags(args []string, stderr io.Writer) (config, string, error) {
	fs := flag.NewFlagSet("fascia-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: fascia-load [flags]

Fills the demo organisation with synthetic clients, serves Fascia's real
handler stack on a loopback listener in this process, and measures client
search (GET /clients?q=<3-letter prefix of a real last name>), the chart page
(GET /clients/{id}) and the API search, each at --conns concurrent keep-alive
connections for --duration after --warmup, beside a bare net/http handler that
writes a static body of the same size (the machine's ceiling). Any non-200
answer is an error, and any error makes the run exit 1.

With SQLite among the engines it also times the cold start of the fascia
binary on the filled database (exec to first 200 from /readyz, median of
--cold-runs) and reads its resident memory after a few requests and an idle
pause.

The PostgreSQL run works in a fresh schema of the --pg database, dropped at
the end.

Example (the figures in docs/benchmarks.md):
  go run ./cmd/fascia-load --engine both --pg postgres://postgres@127.0.0.1:5432/fascia_load?sslmode=disable --out /tmp/bench.md

Flags:
`)
		fs.PrintDefaults()
	}
	var c config
	engine := fs.String("engine", "sqlite", "database engine: sqlite, postgres or both")
	fs.StringVar(&c.PG, "pg", defaultPG(), "PostgreSQL DSN (default $FASCIA_LOAD_POSTGRES, else $FASCIA_TEST_POSTGRES)")
	fs.IntVar(&c.Clients, "clients", 100000, "clients to add to the demo organisation")
	fs.IntVar(&c.Batch, "batch", 2000, "clients per fill transaction")
	fs.StringVar(&c.Fill, "fill", "bulk", "how clients are added: bulk (multi-row INSERTs of the rows store.CreateClient writes, checked against it) or store (store.CreateClient for each)")
	fs.IntVar(&c.PrefixLen, "prefix", 3, "letters of a real last name each search sends")
	fs.Int64Var(&c.Seed, "seed", 1, "seed of the synthetic clients and of the request mix")
	fs.IntVar(&c.Conns, "conns", 32, "concurrent keep-alive connections")
	fs.DurationVar(&c.Duration, "duration", 15*time.Second, "measured time per page")
	fs.DurationVar(&c.Warmup, "warmup", 2*time.Second, "unmeasured load before each page's measurement")
	pages := fs.String("pages", strings.Join(allPages, ","), "what to measure, in this order: bare (a net/http handler writing a static body as large as a search page), search, chart, api (GET /api/v1/clients?q=), heavy (the chart of one client with 50 evaluations and 500 body-chart marks), heavy1 (the same at one connection), evalpdf (that client's newest evaluation as a PDF, one connection)")
	fs.BoolVar(&c.Cold, "cold", true, "time cold starts and idle memory of the fascia binary (needs sqlite among the engines)")
	fs.StringVar(&c.Fascia, "fascia", "", "a built fascia binary for the cold start (default: go build ./cmd/fascia into a temporary directory)")
	fs.IntVar(&c.ColdRuns, "cold-runs", 5, "cold starts to time (the median is reported)")
	fs.DurationVar(&c.IdleWait, "idle-wait", 2*time.Second, "idle pause before reading the fascia process's memory")
	fs.IntVar(&c.IdleReqs, "idle-requests", 20, "requests (sign-in, searches, charts) made to the fascia process before the idle pause")
	fs.StringVar(&c.WorkDir, "dir", "", "directory for the SQLite database (default: a temporary one)")
	fs.BoolVar(&c.KeepFiles, "keep", false, "keep the SQLite database and the PostgreSQL schema")
	out := fs.String("out", "", "also write the markdown report to this file")
	fs.StringVar(&c.CPUProfile, "cpuprofile", "", "write a CPU profile of the whole run (fill, server and load generator) to this file")
	if err := fs.Parse(args); err != nil {
		return c, "", err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return c, "", fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	for _, p := range strings.Split(*pages, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !slices.Contains(allPages, p) {
			return c, "", fmt.Errorf("--pages: unknown page %q (use %s)", p, strings.Join(allPages, ", "))
		}
		c.Pages = append(c.Pages, p)
	}
	if len(c.Pages) == 0 {
		return c, "", errors.New("--pages names no page")
	}
	switch *engine {
	case "sqlite":
		c.Engines = []store.Engine{store.SQLite}
	case "postgres":
		c.Engines = []store.Engine{store.Postgres}
	case "both":
		c.Engines = []store.Engine{store.SQLite, store.Postgres}
	default:
		return c, "", fmt.Errorf("--engine must be sqlite, postgres or both, not %q", *engine)
	}
	if (*engine == "postgres" || *engine == "both") && c.PG == "" {
		return c, "", errors.New("--pg (or FASCIA_LOAD_POSTGRES) is needed for PostgreSQL")
	}
	switch {
	case c.Clients < 20:
		return c, "", errors.New("--clients must be at least 20")
	case c.Conns < 1:
		return c, "", errors.New("--conns must be at least 1")
	case c.Duration <= 0:
		return c, "", errors.New("--duration must be positive")
	case c.Batch < 1:
		return c, "", errors.New("--batch must be at least 1")
	case c.Fill != "bulk" && c.Fill != "store":
		return c, "", errors.New("--fill must be bulk or store")
	case c.PrefixLen < 1:
		return c, "", errors.New("--prefix must be at least 1")
	case c.ColdRuns < 1:
		return c, "", errors.New("--cold-runs must be at least 1")
	}
	c.Progress = stderr
	return c, *out, nil
}

func run(args []string, stdout, stderr io.Writer) int {
	cfg, out, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "fascia-load:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			fmt.Fprintln(stderr, "fascia-load:", err)
			return 1
		}
		pprof.StartCPUProfile(f)
		defer func() { pprof.StopCPUProfile(); f.Close() }()
	}
	rep, err := Run(ctx, cfg)
	if rep != nil {
		md := rep.Markdown()
		fmt.Fprint(stdout, md)
		if out != "" {
			if werr := os.WriteFile(out, []byte(md), 0o644); werr != nil {
				fmt.Fprintln(stderr, "fascia-load:", werr)
				return 1
			}
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "fascia-load:", err)
		return 1
	}
	if n := rep.Errors(); n > 0 {
		fmt.Fprintf(stderr, "fascia-load: FAILED: %d request(s) did not answer 200\n", n)
		for _, s := range rep.ErrorSamples() {
			fmt.Fprintln(stderr, "  "+s)
		}
		return 1
	}
	return 0
}
