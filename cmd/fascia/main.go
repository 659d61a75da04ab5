// Command fascia is the Fascia practice system: the clinic server and the
// tools to run it (migrations, users, API tokens, audit verification).
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/fascia-health/fascia/internal/api"
	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/demo"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/web"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

const usage = `Fascia — practice software for medical massage therapists.

Usage: fascia <command> [flags]

Commands:
  demo           run a clinic server with a demo organisation (SQLite by default)
  serve          run the clinic server
  migrate        apply database migrations and exit
  user add       add a user (and, with --new-org, a new organisation)
  token create   print a new API token for a user
  audit verify   check the audit trail's hash chain; exits 1 if it was tampered with
  codes import   load a CMS ICD-10-CM order file as one fiscal year's code set
  units          billable units of procedure codes from their minutes (CMS 8-minute or AMA rule)
  version        print the version

Run "fascia <command> --help" for a command's flags.
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	if (cmd == "user" || cmd == "token" || cmd == "audit" || cmd == "codes") && len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	var err error
	switch cmd {
	case "demo":
		err = cmdServe(ctx, rest, stdout, stderr, true)
	case "serve":
		err = cmdServe(ctx, rest, stdout, stderr, false)
	case "migrate":
		err = cmdMigrate(ctx, rest, stdout, stderr)
	case "user add":
		err = cmdUserAdd(ctx, rest, stdout, stderr)
	case "token create":
		err = cmdTokenCreate(ctx, rest, stdout, stderr)
	case "audit verify":
		err = cmdAuditVerify(ctx, rest, stdout, stderr)
	case "codes import":
		err = cmdCodesImport(ctx, rest, stdout, stderr)
	case "units":
		err = cmdUnits(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "fascia", version())
		return 0
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "fascia: unknown command %q\n\n%s", strings.Join(args[:min(2, len(args))], " "), usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var ec exitCode
	if errors.As(err, &ec) {
		return int(ec)
	}
	if err != nil {
		fmt.Fprintln(stderr, "fascia:", errs.Message(err))
		if errs.Code(err) == errs.Internal {
			fmt.Fprintln(stderr, "  detail:", err)
		}
		return 1
	}
	return 0
}

type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func version() string {
	if Version != "dev" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return Version
}

func newFlags(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: fascia %s [flags]\n\n%s\n\nFlags:\n", name, help)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a command's flags. A wrong flag is the user's mistake,
// which the flag package has already printed with the usage: exit 2, not
// "something went wrong on our side".
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return exitCode(2)
	}
	return err
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, isDemo bool) error {
	name, help, defDB := "serve", "Runs the clinic server. A --db that is a file path is SQLite; postgres://… is PostgreSQL.\nEnvironment: FASCIA_DB, FASCIA_ADDR, FASCIA_BASE_URL, FASCIA_LOG_FORMAT, FASCIA_JOBS.", envOr("FASCIA_DB", "fascia.db")
	if isDemo {
		name, help, defDB = "demo", "Runs the clinic server with a demo organisation (\"Riverside Medical Massage\": two locations,\nsix staff, 40 clients), created on first start. Every demo user's password is\nFASCIA_DEMO_PASSWORD when set; otherwise a new one is made and printed at each start.", "fascia-demo.db"
	}
	fs := newFlags(name, help, stderr)
	dsn := fs.String("db", defDB, "database: a SQLite file path, or a postgres:// URL")
	addr := fs.String("addr", envOr("FASCIA_ADDR", "127.0.0.1:8080"), "address to listen on")
	logFormat := fs.String("log-format", envOr("FASCIA_LOG_FORMAT", "text"), "log format: text or json")
	secure := fs.Bool("secure-cookies", os.Getenv("FASCIA_SECURE_COOKIES") == "1", "mark cookies Secure (set when a TLS proxy is in front)")
	certFile := fs.String("tls-cert", os.Getenv("FASCIA_TLS_CERT"), "serve HTTPS with this certificate file")
	keyFile := fs.String("tls-key", os.Getenv("FASCIA_TLS_KEY"), "the certificate's key file")
	baseURL := fs.String("base-url", os.Getenv("FASCIA_BASE_URL"), "the address clients reach this server at, for links in e-mails (default: http://ADDR)")
	runJobs := fs.Bool("jobs", os.Getenv("FASCIA_JOBS") != "0", "run background jobs (e-mail reminders) in this process; any number of processes may")
	secretFile := fs.String("secret-key-file", os.Getenv("FASCIA_SECRET_KEY_FILE"), "file holding the key that keeps the SMTP password sealed, made when missing (default: beside a SQLite database; FASCIA_SECRET_KEY gives the key itself)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	start := time.Now()
	log := newLogger(stderr, *logFormat)
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer func() {
		db.Close()
		log.Info("database closed")
	}()
	if err := useSecretKey(db, *dsn, *secretFile, log); err != nil {
		return err
	}
	a := app.New(db, log)
	a.BaseURL = strings.TrimRight(*baseURL, "/")
	if a.BaseURL == "" {
		scheme := "http://"
		if *certFile != "" {
			scheme = "https://"
		}
		a.BaseURL = scheme + *addr
	}
	if isDemo {
		pw := os.Getenv("FASCIA_DEMO_PASSWORD")
		if pw == "" {
			pw = demo.NewPassword()
		}
		created, err := demo.Seed(ctx, a, pw, time.Now())
		if err != nil {
			return err
		}
		if created {
			log.Info("demo organisation created")
		}
		printDemo(stdout, *addr, pw)
	}
	srv, err := web.New(a, log, api.New(a, log))
	if err != nil {
		return err
	}
	web.TuneRuntime()
	srv.SecureCookies = *secure || *certFile != ""
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "cannot listen on %s: %v", *addr, err)
	}
	go assess.Warm() // the body chart's figures, off the first evaluation's path
	log.Info("fascia listening", "addr", "http://"+ln.Addr().String(), "engine", string(db.Engine), "version", version(), "startup_ms", time.Since(start).Milliseconds())

	// Sweep idle sessions so the table stays small.
	go func() {
		t := time.NewTicker(time.Minute)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if _, err := db.DeleteIdleSessions(ctx); err != nil && ctx.Err() == nil {
					log.Warn("idle session sweep failed", "err", err)
				}
			}
		}
	}()

	// Background work: e-mails and daily maintenance, from the jobs table.
	// Each job runs once whichever process claims it.
	if *runJobs {
		if err := a.ScheduleDailyJobs(ctx); err != nil {
			log.Warn("could not queue the daily jobs", "err", err)
		}
		host, _ := os.Hostname()
		r := &jobs.Runner{DB: db, Log: log, Worker: fmt.Sprintf("%s:%d:%d", host, os.Getpid(), time.Now().UnixNano()%1e6), Handlers: a.Handlers()}
		go func() {
			if err := r.Run(ctx); err != nil && ctx.Err() == nil {
				log.Error("job runner stopped", "err", err)
			}
		}()
	}

	errc := make(chan error, 1)
	go func() {
		if *certFile != "" {
			errc <- hs.ServeTLS(ln, *certFile, *keyFile)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("shutdown", "err", err)
	}
	return nil
}

func printDemo(w io.Writer, addr, pw string) {
	fmt.Fprintf(w, "\nFascia demo clinic: http://%s/\n\nSign in as any of these (password for all: %s):\n", addr, pw)
	for _, s := range demo.Staff {
		fmt.Fprintf(w, "  %-24s %s\n", s.Email, s.Role.Label())
	}
	fmt.Fprintf(w, "  %-24s %s\n", demo.Student.Email, "Therapist (a student: Maria Lopez co-signs her notes)")
	fmt.Fprintln(w)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "Applies pending database migrations and exits. (The server also applies them at start.)", stderr)
	dsn := fs.String("db", envOr("FASCIA_DB", "fascia.db"), "database: a SQLite file path, or a postgres:// URL")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(stdout, "database is up to date (%s)\n", db.Engine)
	return nil
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func cmdUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user add", "Adds a user. With --new-org, first creates the organisation and its first location,\nso a new clinic starts with: fascia user add --new-org \"My Clinic\" --org my-clinic --email me@example.com --name \"My Name\" --role owner\nThe password is FASCIA_PASSWORD when set, otherwise one is made and printed; the user must change it at first sign-in.", stderr)
	dsn := fs.String("db", envOr("FASCIA_DB", "fascia.db"), "database: a SQLite file path, or a postgres:// URL")
	email := fs.String("email", "", "the user's email (their sign-in)")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "therapist", "owner, therapist, front_desk or biller")
	orgSlug := fs.String("org", "", "the organisation's short name (slug); may be left out when there is only one")
	newOrg := fs.String("new-org", "", "create a new organisation with this name first")
	tz := fs.String("time-zone", "America/New_York", "with --new-org: the clinic's IANA time zone")
	var locs listFlag
	fs.Var(&locs, "location", "a location the user works at, by name (repeatable; created with --new-org)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(stderr, nil)))
	// Check everything about the user before writing anything, so a mistake
	// does not leave behind an organisation without users (whose slug would
	// then be taken when the command is run again, corrected).
	pw, printed := os.Getenv("FASCIA_PASSWORD"), false
	if pw == "" {
		pw, printed = demo.NewPassword(), true
	}
	if err := clinic.ValidatePassword(pw); err != nil {
		return explainFields(err)
	}
	probe := clinic.User{Email: *email, Name: *name, Role: clinic.Role(*role), LocationIDs: []int64{0}} // locations are checked below
	if err := probe.Validate(); err != nil {
		return explainFields(err)
	}
	if _, err := db.CredentialsByEmail(ctx, probe.Email); err == nil {
		return explainFields(&errs.Error{Code: errs.Conflict, Message: "A user with that email already exists.", Fields: map[string]string{"email": "This email is already in use."}})
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	var org *clinic.Organisation
	if *newOrg != "" {
		if len(locs) == 0 {
			locs = listFlag{"Main"}
		}
		org = &clinic.Organisation{Name: *newOrg, Slug: *orgSlug, TimeZone: *tz}
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			if err := db.CreateOrg(ctx, tx, org); err != nil {
				return err
			}
			for _, l := range locs {
				if err := db.CreateLocation(ctx, tx, &clinic.Location{OrgID: org.ID, Name: l, TimeZone: *tz}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return explainFields(err)
		}
	} else {
		if org, err = findOrg(ctx, db, *orgSlug); err != nil {
			return err
		}
	}
	all, err := db.Locations(ctx, org.ID)
	if err != nil {
		return err
	}
	u := &clinic.User{OrgID: org.ID, Email: *email, Name: *name, Role: clinic.Role(*role)}
	for _, want := range locs {
		found := false
		for _, l := range all {
			if strings.EqualFold(l.Name, want) {
				u.LocationIDs, found = append(u.LocationIDs, l.ID), true
			}
		}
		if !found {
			return errs.E(errs.Invalid, "No location named %q in %s.", want, org.Name)
		}
	}
	if len(u.LocationIDs) == 0 {
		for _, l := range all {
			u.LocationIDs = append(u.LocationIDs, l.ID)
		}
	}
	u.MustChangePassword = true
	err = a.CreateUserCLI(ctx, u, hash)
	if err != nil {
		return explainFields(err)
	}
	fmt.Fprintf(stdout, "added %s (%s) to %s [%s]\n", u.Email, u.Role.Label(), org.Name, org.Slug)
	if printed {
		fmt.Fprintf(stdout, "temporary password: %s (to be changed at first sign-in)\n", pw)
	}
	return nil
}

// explainFields adds the field messages to a validation error for the terminal.
func explainFields(err error) error {
	f := errs.FieldsOf(err)
	if len(f) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(errs.Message(err))
	for k, v := range f {
		b.WriteString("\n  --" + strings.ReplaceAll(k, "_", "-") + ": " + v)
	}
	return errs.E(errs.Code(err), "%s", b.String())
}

func findOrg(ctx context.Context, db *store.DB, slug string) (*clinic.Organisation, error) {
	if slug != "" {
		return db.OrgBySlug(ctx, slug)
	}
	orgs, err := db.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	switch len(orgs) {
	case 0:
		return nil, errs.E(errs.NotFound, "There is no organisation yet: add the first user with --new-org \"Clinic name\" --org short-name.")
	case 1:
		return &orgs[0], nil
	}
	return nil, errs.E(errs.Invalid, "There are %d organisations: say which with --org.", len(orgs))
}

func cmdTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token create", "Prints a new API token for a user. Keep it secret: it acts as that user in the API.", stderr)
	dsn := fs.String("db", envOr("FASCIA_DB", "fascia.db"), "database: a SQLite file path, or a postgres:// URL")
	email := fs.String("email", "", "the user the token acts as")
	name := fs.String("name", "", "what the token is for, e.g. \"billing export\"")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		fs.Usage()
		return errs.E(errs.Invalid, "--email and --name are required.")
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, slog.New(slog.NewTextHandler(stderr, nil)))
	tok, err := a.CreateTokenCLI(ctx, *email, *name)
	if err != nil {
		return explainFields(err)
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func cmdAuditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("audit verify", "Checks every entry of the audit trail against the hash chain. Exits 0 when intact,\n1 when any entry was altered, inserted or deleted (each problem is printed).", stderr)
	dsn := fs.String("db", envOr("FASCIA_DB", "fascia.db"), "database: a SQLite file path, or a postgres:// URL")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if v.OK() {
		fmt.Fprintf(stdout, "audit trail intact: %d entries\n", v.Count)
		return nil
	}
	fmt.Fprintf(stdout, "AUDIT TRAIL TAMPERED WITH: %d problem(s) in %d entries\n", len(v.Problems), v.Count)
	for _, p := range v.Problems {
		fmt.Fprintln(stdout, "  "+p.String())
	}
	return exitCode(1)
}

// useSecretKey gives the store the key that seals the SMTP password:
// FASCIA_SECRET_KEY, else the key file (made when missing), else for SQLite
// a key file beside the database. Every process of one PostgreSQL
// database needs the same key, so none is made up for PostgreSQL: without
// one, Fascia runs but cannot keep an SMTP password.
func useSecretKey(db *store.DB, dsn, keyFile string, log *slog.Logger) error {
	if v := os.Getenv("FASCIA_SECRET_KEY"); v != "" {
		k, err := store.ParseSecretKey(v)
		if err != nil {
			return fmt.Errorf("FASCIA_SECRET_KEY: %w", err)
		}
		log.Info("secret key", "from", "FASCIA_SECRET_KEY")
		return setKey(db, k, log)
	}
	if keyFile == "" && db.Engine == store.SQLite {
		keyFile = store.SQLitePath(dsn) + ".key"
	}
	if keyFile == "" {
		log.Warn("no secret key: set FASCIA_SECRET_KEY (the same on every server process) so that an SMTP password can be kept")
		return nil
	}
	k, made, err := store.KeyFile(keyFile)
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	if made {
		log.Info("secret key made; back it up, apart from the database", "file", keyFile)
	} else {
		log.Info("secret key", "file", keyFile)
	}
	return setKey(db, k, log)
}

// setKey gives the store its key and seals what was stored before sealing.
func setKey(db *store.DB, k []byte, log *slog.Logger) error {
	if err := db.SetSecretKey(k); err != nil {
		return err
	}
	n, err := db.SealStoredSecrets(context.Background())
	if n > 0 {
		log.Info("sealed stored SMTP passwords", "count", n)
	}
	return err
}
