package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/api"
	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/web"
)

// password is every demo user's password in the harness's databases.
const password = "load harness password 2718"

const owner = "owner@demo.test"

// Report is the outcome of a run.
type Report struct {
	Started time.Time
	Config  config
	Engines []*EngineReport
	Cold    *ColdReport // nil when not measured
	GoVer   string
	Procs   int
	// PGVersion is the server's version() when PostgreSQL was measured.
	PGVersion string
	loadStart string
}

// EngineReport is one engine's fill and pages.
type EngineReport struct {
	Engine     store.Engine
	Clients    int // clients in the organisation after the fill
	Fill       time.Duration
	FillMethod string
	Results    []Result
	sqlitePath string
	// a few request paths' arguments, for the cold-start process
	samplePrefixes, sampleIDs []string
}

// Errors counts failed requests over the whole run.
func (r *Report) Errors() int {
	n := 0
	for _, e := range r.Engines {
		for _, x := range e.Results {
			n += x.Errors
		}
	}
	return n
}

// ErrorSamples lists a few failures, to say what went wrong.
func (r *Report) ErrorSamples() []string {
	var out []string
	for _, e := range r.Engines {
		for _, x := range e.Results {
			for _, s := range x.ErrorSample {
				out = append(out, fmt.Sprintf("%s %s: %s", e.Engine, x.Name, s))
			}
		}
	}
	return out
}

func (c *config) logf(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "fascia-load: "+format+"\n", args...)
	}
}

// Run fills, serves and measures every engine of cfg in turn, then the cold
// start. A partial report is returned with an error when a phase fails.
func Run(ctx context.Context, cfg config) (*Report, error) {
	if cfg.Batch <= 0 {
		cfg.Batch = 2000
	}
	if cfg.Fill == "" {
		cfg.Fill = "bulk"
	}
	if cfg.Pages == nil {
		cfg.Pages = allPages
	}
	if cfg.PrefixLen <= 0 {
		cfg.PrefixLen = 3
	}
	if cfg.IdleReqs <= 0 {
		cfg.IdleReqs = 20
	}
	rep := &Report{Started: time.Now().UTC(), Config: cfg, GoVer: runtime.Version(), Procs: runtime.GOMAXPROCS(0), loadStart: loadavg()}
	dir := cfg.WorkDir
	if dir == "" {
		d, err := os.MkdirTemp("", "fascia-load-")
		if err != nil {
			return nil, err
		}
		dir = d
		if !cfg.KeepFiles {
			defer os.RemoveAll(d)
		}
	}
	var sqlitePath string
	var prefixes, ids []string
	for _, e := range cfg.Engines {
		er, err := runEngine(ctx, &cfg, e, dir, rep)
		if er != nil {
			rep.Engines = append(rep.Engines, er)
			if er.sqlitePath != "" {
				sqlitePath, prefixes, ids = er.sqlitePath, er.samplePrefixes, er.sampleIDs
			}
		}
		if err != nil {
			return rep, fmt.Errorf("%s: %w", e, err)
		}
	}
	if cfg.Cold && sqlitePath != "" {
		cr, err := coldStart(ctx, &cfg, sqlitePath, dir, prefixes, ids)
		rep.Cold = cr
		if err != nil {
			return rep, fmt.Errorf("cold start: %w", err)
		}
	}
	return rep, nil
}

// freshPostgres makes a new schema in base's database and returns a DSN
// whose search_path is that schema, and a function that drops it.
func freshPostgres(ctx context.Context, base string, keep bool) (string, string, func(), error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", "", nil, err
	}
	var version string
	if err := admin.QueryRowContext(ctx, "SELECT version()").Scan(&version); err != nil {
		admin.Close()
		return "", "", nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if i := strings.Index(version, " on "); i > 0 {
		version = version[:i]
	}
	b := make([]byte, 4)
	rand.Read(b)
	schema := "fascia_load_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		return "", "", nil, fmt.Errorf("create schema: %w", err)
	}
	drop := func() {
		if !keep {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		}
		admin.Close()
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), version, drop, nil
}

// target is what the request workers need to know about the running server.
type target struct {
	base    string   // http://127.0.0.1:port
	cookie  string   // "fascia_session=…"
	token   string   // API bearer token
	search  []string // paths of search pages, one per client (so common names come up often)
	chart   []string // paths of chart pages
	apiFind []string // paths of API searches
}

func runEngine(ctx context.Context, cfg *config, e store.Engine, dir string, rep *Report) (*EngineReport, error) {
	er := &EngineReport{Engine: e}
	var dsn string
	switch e {
	case store.SQLite:
		dsn = filepath.Join(dir, "fascia-load.db")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(dsn + suffix)
		}
		er.sqlitePath = dsn
	case store.Postgres:
		d, version, drop, err := freshPostgres(ctx, cfg.PG, cfg.KeepFiles)
		if err != nil {
			return nil, err
		}
		rep.PGVersion = version
		defer drop()
		dsn = d
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	log := slog.New(slog.DiscardHandler)
	a := app.New(db, log)

	cfg.logf("%s: seeding the demo organisation and adding %d clients", e, cfg.Clients)
	start := time.Now()
	ids, search, err := fill(ctx, cfg, a)
	if err != nil {
		return er, fmt.Errorf("fill: %w", err)
	}
	er.Fill = time.Since(start)
	er.FillMethod = fmt.Sprintf("store.CreateClient, %d clients and their client.create audit entries per transaction", cfg.Batch)
	if cfg.Fill == "bulk" {
		er.FillMethod = fmt.Sprintf("multi-row INSERTs of 500 (the rows store.CreateClient writes, checked against it), %d clients and their client.create audit entries per transaction", cfg.Batch)
	}
	if e == store.Postgres {
		// What autovacuum does within a minute of a bulk load; done here so
		// the plans do not depend on when its worker happened to run.
		if err := db.Tx(ctx, func(tx *sql.Tx) error { _, err := tx.ExecContext(ctx, "ANALYZE"); return err }); err != nil {
			return er, fmt.Errorf("analyze: %w", err)
		}
	}
	org, err := db.OrgBySlug(ctx, demo.Slug)
	if err != nil {
		return er, err
	}
	if er.Clients, err = db.CountClients(ctx, org.ID); err != nil {
		return er, err
	}
	cfg.logf("%s: %d clients in the organisation; fill took %s (%.0f clients/s)", e, er.Clients, er.Fill.Round(time.Millisecond), float64(cfg.Clients)/er.Fill.Seconds())

	srv, err := web.New(a, log, api.New(a, log))
	if err != nil {
		return er, err
	}
	web.TuneRuntime() // as fascia serve does
	base, stopSrv, err := serve(srv.Handler())
	if err != nil {
		return er, err
	}
	defer stopSrv()

	t := &target{base: base}
	if t.cookie, err = signIn(ctx, base, owner, password); err != nil {
		return er, err
	}
	if t.token, err = a.CreateTokenCLI(ctx, owner, "load harness"); err != nil {
		return er, err
	}
	for _, p := range search {
		t.search = append(t.search, "/clients?q="+url.QueryEscape(p))
		t.apiFind = append(t.apiFind, "/api/v1/clients?q="+url.QueryEscape(p))
	}
	for _, id := range ids {
		t.chart = append(t.chart, "/clients/"+strconv.FormatInt(id, 10))
	}
	for i := 0; i < 20; i++ {
		er.samplePrefixes = append(er.samplePrefixes, search[i*len(search)/20])
		er.sampleIDs = append(er.sampleIDs, strconv.FormatInt(ids[i*len(ids)/20], 10))
	}

	// The bare handler writes a body as large as a typical search page.
	size, err := probeSize(ctx, t, t.search[:min(len(t.search), 50)])
	if err != nil {
		return er, err
	}
	body := []byte(strings.Repeat("x", size))
	bareBase, stopBare, err := serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	if err != nil {
		return er, err
	}
	defer stopBare()

	type page struct {
		key   string
		name  string
		base  string
		paths []string
		hdr   http.Header
		conns int // 0 = cfg.Conns
	}
	cookie := http.Header{"Cookie": {t.cookie}}
	var heavy, heavyPDF []string
	if slices.Contains(cfg.Pages, "heavy") || slices.Contains(cfg.Pages, "heavy1") || slices.Contains(cfg.Pages, "evalpdf") {
		cfg.logf("%s: writing %d evaluations with %d marks each for one client", e, heavyEvaluations, heavyMarks)
		hid := ids[len(ids)/2]
		eid, err := heavyClient(ctx, a, hid)
		if err != nil {
			return er, fmt.Errorf("heavy client: %w", err)
		}
		heavy = []string{"/clients/" + strconv.FormatInt(hid, 10)}
		heavyPDF = []string{"/clients/" + strconv.FormatInt(hid, 10) + "/evaluations/" + strconv.FormatInt(eid, 10) + "/pdf"}
	}
	var pages []page
	for _, p := range []page{
		{"bare", "bare net/http handler (ceiling)", bareBase, []string{"/"}, nil, 0},
		{"search", "search page GET /clients?q=", base, t.search, cookie, 0},
		{"chart", "chart page GET /clients/{id}", base, t.chart, cookie, 0},
		{"api", "API search GET /api/v1/clients?q=", base, t.apiFind, http.Header{"Authorization": {"Bearer " + t.token}}, 0},
		{"heavy", "chart with 50 evaluations, 500 marks GET /clients/{id}", base, heavy, cookie, 0},
		{"heavy1", "chart with 50 evaluations, 500 marks, 1 connection GET /clients/{id}", base, heavy, cookie, 1},
		// A PDF is made for one person at a time: its figure is the time to make one.
		{"evalpdf", "evaluation PDF, 1 connection GET …/evaluations/{id}/pdf", base, heavyPDF, cookie, 1},
	} {
		if slices.Contains(cfg.Pages, p.key) {
			pages = append(pages, p)
		}
	}
	for i, p := range pages {
		conns := cfg.Conns
		if p.conns > 0 {
			conns = p.conns
		}
		cfg.logf("%s: %s: %s warm-up, %s measured at %d connections", e, p.name, cfg.Warmup, cfg.Duration, conns)
		res, err := measure(ctx, p.name, p.base, p.paths, p.hdr, conns, cfg.Warmup, cfg.Duration, cfg.Seed+int64(i))
		if err != nil {
			return er, err
		}
		er.Results = append(er.Results, res)
		cfg.logf("%s: %s: %.0f req/s, p50 %s, p99 %s, %d errors", e, p.name, res.RPS, ms(res.P50), ms(res.P99), res.Errors)
	}
	return er, nil
}

// fill seeds the demo organisation and adds cfg.Clients generated clients
// in transactions of cfg.Batch, each with its client.create audit entry as
// the app writes it. It returns the new clients' ids and, for each new
// client with a last name of at least cfg.PrefixLen letters, its first ones
// lower-cased: the search terms.
func fill(ctx context.Context, cfg *config, a *app.App) ([]int64, []string, error) {
	db := a.DB
	today := time.Now()
	if _, err := demo.Seed(ctx, a, password, today); err != nil {
		return nil, nil, err
	}
	org, err := db.OrgBySlug(ctx, demo.Slug)
	if err != nil {
		return nil, nil, err
	}
	locs, err := db.Locations(ctx, org.ID)
	if err != nil {
		return nil, nil, err
	}
	users, err := db.Users(ctx, org.ID)
	if err != nil {
		return nil, nil, err
	}
	var locIDs []int64
	places := map[int64]demo.Place{}
	for _, l := range locs {
		locIDs = append(locIDs, l.ID)
		if l.Name == "Round Rock" {
			places[l.ID] = demo.RoundRock
		} else {
			places[l.ID] = demo.Austin
		}
	}
	therapists := map[int64][]int64{}
	var ownerUser *clinic.User
	for i := range users {
		u := &users[i]
		if u.Role == clinic.RoleTherapist && u.Active {
			for _, l := range u.LocationIDs {
				therapists[l] = append(therapists[l], u.ID)
			}
		}
		if u.Email == owner {
			ownerUser = u
		}
	}
	if ownerUser == nil {
		return nil, nil, errors.New("the demo organisation has no owner " + owner)
	}
	cs := demo.Clients(cfg.Clients, cfg.Seed, locIDs, therapists, places, today)
	for i := range cs {
		cs[i].OrgID = org.ID
	}
	ids := make([]int64, 0, len(cs))
	prefixes := make([]string, 0, len(cs))
	for lo := 0; lo < len(cs); lo += cfg.Batch {
		hi := min(lo+cfg.Batch, len(cs))
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			first := lo
			if cfg.Fill == "bulk" {
				if lo == 0 {
					// The reference row for checkBulk, written by the store itself.
					if err := db.CreateClient(ctx, tx, &cs[0]); err != nil {
						return fmt.Errorf("client 0: %w", err)
					}
					first = 1
				}
				if err := bulkInsert(ctx, db, tx, cs[first:hi], 500); err != nil {
					return err
				}
			} else {
				for i := lo; i < hi; i++ {
					if err := db.CreateClient(ctx, tx, &cs[i]); err != nil {
						return fmt.Errorf("client %d (%s %s): %w", i, cs[i].FirstName, cs[i].LastName, err)
					}
				}
			}
			// Each with its audit entry, as app.CreateClient writes it.
			entries := make([]*audit.Entry, 0, hi-lo)
			for i := lo; i < hi; i++ {
				entries = append(entries, &audit.Entry{At: db.Now(), OrgID: org.ID, UserID: ownerUser.ID, Actor: ownerUser.Email, Action: audit.ClientCreate,
					RecordType: "client", RecordID: cs[i].ID, SourceIP: "127.0.0.1", Result: audit.OK, Detail: "via load harness"})
			}
			return db.AppendAudit(ctx, tx, entries...)
		})
		if err != nil {
			return nil, nil, err
		}
		for i := lo; i < hi; i++ {
			ids = append(ids, cs[i].ID)
			if r := []rune(strings.ToLower(cs[i].LastName)); len(r) >= cfg.PrefixLen {
				prefixes = append(prefixes, string(r[:cfg.PrefixLen]))
			}
		}
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
	}
	if cfg.Fill == "bulk" && len(cs) > 1 {
		var sample []clinic.Client
		for i := 1; i < len(cs); i += max(1, len(cs)/50) {
			sample = append(sample, cs[i])
		}
		if err := checkBulk(ctx, db, org.ID, &cs[0], sample); err != nil {
			return nil, nil, fmt.Errorf("bulk fill check: %w", err)
		}
	}
	if len(prefixes) == 0 {
		return nil, nil, fmt.Errorf("no generated last name has %d letters", cfg.PrefixLen)
	}
	return ids, prefixes, nil
}

// serve runs h on a fresh loopback listener with the timeouts of fascia serve.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(slog.DiscardHandler, slog.LevelWarn)}
	go hs.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// noRedirects is a client that shows every answer as it is.
func noRedirects(tr http.RoundTripper) *http.Client {
	return &http.Client{Transport: tr, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn posts the sign-in form and returns the session cookie as a Cookie header value.
func signIn(ctx context.Context, base, email, pw string) (string, error) {
	c := noRedirects(&http.Transport{DisableCompression: true})
	defer c.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/signin", strings.NewReader(url.Values{"email": {email}, "password": {pw}}.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/clients" {
		return "", fmt.Errorf("sign-in as %s: status %d, location %q", email, res.StatusCode, res.Header.Get("Location"))
	}
	for _, ck := range res.Cookies() {
		if ck.Name == web.SessionCookie && ck.Value != "" {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("sign-in as %s: no session cookie", email)
}

// probeSize fetches paths once each and returns the mean body size; any
// answer but 200 is an error, so a broken setup fails before the load.
func probeSize(ctx context.Context, t *target, paths []string) (int, error) {
	c := noRedirects(&http.Transport{DisableCompression: true})
	defer c.CloseIdleConnections()
	total := 0
	for _, p := range paths {
		req, err := http.NewRequestWithContext(ctx, "GET", t.base+p, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Cookie", t.cookie)
		res, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		n, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return 0, fmt.Errorf("GET %s: status %d", strings.SplitN(p, "?", 2)[0], res.StatusCode)
		}
		total += int(n)
	}
	return total / len(paths), nil
}
