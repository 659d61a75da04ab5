// Package store is the SQL behind every Fascia service, on SQLite
// (modernc.org/sqlite) and PostgreSQL (pgx stdlib) with one set of SQL.
// Instants are stored as Unix milliseconds and clinical dates as
// 'YYYY-MM-DD' text so comparisons mean the same on both engines.
package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"

	"github.com/fascia-health/fascia/internal/errs"
)

// Engine names the database behind a DB.
type Engine string

const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

//go:embed migrations
var migrationsFS embed.FS

// DB holds the connections. On SQLite there is one writer connection beside
// a pool of readers (SQLite allows one writer at a time; queuing in Go is
// cheaper than busy retries). On PostgreSQL both are the same pool.
type DB struct {
	Engine Engine
	w      *sql.DB
	r      *sql.DB
	// Now is the clock; tests replace it.
	Now func() time.Time

	audit *auditBatcher

	// sealer seals the secrets the clinic gives Fascia to keep (secret.go);
	// nil until SetSecretKey.
	sealer cipher.AEAD

	// stmts caches prepared read statements by their SQL text: parsing the
	// SQL again for every query was a seventh of a search page's time.
	stmts  sync.Map // string → *sql.Stmt
	nstmts atomic.Int32
	// wstmts is the same for the hot statements of write transactions
	// (the audit chain's): prepared on the writer pool and bound to each
	// transaction's connection, where database/sql reuses them.
	wstmts map[string]*sql.Stmt // filled at Open, read-only after

	// SQLite only: the connection that checkpoints the WAL, and its loop.
	ck     *sql.DB
	ckStop chan struct{}
	ckDone chan struct{}
}

// checkpointEvery is how often the checkpointer copies the WAL into the
// database file (PASSIVE: it never waits for, nor blocks, readers or the
// writer). A commit is durable once in the WAL (synchronous=FULL); the
// checkpoint only keeps the WAL short.
const checkpointEvery = 500 * time.Millisecond

// walRestartFrames is the WAL length (in 4 kB pages, so 64 MB) past which
// the checkpointer makes the WAL start over.
const walRestartFrames = 16384

func (db *DB) checkpointer() {
	defer close(db.ckDone)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-db.ckStop:
			return
		case <-t.C:
			var busy, frames, done int
			if err := db.ck.QueryRow("PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &frames, &done); err != nil {
				continue
			}
			// Readers that never pause can keep the WAL from starting over;
			// past walRestartFrames, wait for them once (RESTART) so the
			// next commit writes from its start again.
			if frames > walRestartFrames && frames == done {
				db.ck.Exec("PRAGMA wal_checkpoint(RESTART)")
			}
		}
	}
}

// maxStmts bounds the statement cache; queries past it are not cached.
const maxStmts = 512

func (db *DB) stmt(ctx context.Context, q string) *sql.Stmt {
	if v, ok := db.stmts.Load(q); ok {
		return v.(*sql.Stmt)
	}
	if db.nstmts.Load() >= maxStmts {
		return nil
	}
	st, err := db.r.PrepareContext(ctx, q)
	if err != nil {
		return nil // the direct query reports the error
	}
	if v, loaded := db.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return v.(*sql.Stmt)
	}
	db.nstmts.Add(1)
	return st
}

// txStmt returns q bound to tx if q is one of the statements prepared at
// Open, or nil (then the caller runs q directly). They are prepared before
// any transaction: on SQLite the one writer connection is busy inside one.
func (db *DB) txStmt(ctx context.Context, tx *sql.Tx, q string) *sql.Stmt {
	if st := db.wstmts[q]; st != nil {
		return tx.StmtContext(ctx, st)
	}
	return nil
}

// prepareWrites prepares the hot statements of write transactions.
func (db *DB) prepareWrites(ctx context.Context) error {
	db.wstmts = map[string]*sql.Stmt{}
	for _, q := range []string{auditHeadQuery(db.Engine), auditInsert, auditHeadUpdate} {
		st, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare %q: %w", q, err)
		}
		db.wstmts[q] = st
	}
	return nil
}

// txExec runs a hot statement of a write transaction, prepared once.
func (db *DB) txExec(ctx context.Context, tx *sql.Tx, q string, args ...any) (sql.Result, error) {
	if st := db.txStmt(ctx, tx, q); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, q, args...)
}

// txQueryRow is txExec for a query of one row.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, q string, args ...any) *sql.Row {
	if st := db.txStmt(ctx, tx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, q, args...)
}

// query runs a read query on the reader pool through the statement cache.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if st := db.stmt(ctx, q); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return db.r.QueryContext(ctx, q, args...)
}

// queryRow is query for one row.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if st := db.stmt(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, q, args...)
}

// IsPostgresDSN reports whether dsn names a PostgreSQL database.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn (a file path for SQLite, postgres://… for PostgreSQL)
// and applies any pending migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db, err := open(dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.Engine == SQLite {
		// Gather index statistics where they are missing or stale, so the
		// planner knows a prefix range is narrower than a table walk.
		if _, err := db.w.ExecContext(ctx, "PRAGMA optimize=0x10002"); err != nil {
			db.Close()
			return nil, dbErr(err)
		}
	}
	if err := db.prepareWrites(ctx); err != nil {
		db.Close()
		return nil, dbErr(err)
	}
	db.audit = newAuditBatcher(db)
	if db.ck != nil {
		db.ckStop, db.ckDone = make(chan struct{}), make(chan struct{})
		go db.checkpointer()
	}
	return db, nil
}

// SQLitePath is the file a SQLite DSN names ("sqlite:" optional, the
// default fascia.db).
func SQLitePath(dsn string) string {
	if path := strings.TrimPrefix(dsn, "sqlite:"); path != "" {
		return path
	}
	return "fascia.db"
}

func open(dsn string) (*DB, error) {
	db := &DB{Now: time.Now}
	if IsPostgresDSN(dsn) {
		// Plan each query for its own values: a generic plan of a prepared
		// statement cannot tell a narrow prefix range from a wide one.
		if u, err := url.Parse(dsn); err == nil && !u.Query().Has("plan_cache_mode") {
			q := u.Query()
			q.Set("plan_cache_mode", "force_custom_plan")
			u.RawQuery = q.Encode()
			dsn = u.String()
		}
		p, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, errs.Wrap(errs.Unavailable, err, "cannot open the PostgreSQL database")
		}
		p.SetMaxOpenConns(32)
		p.SetMaxIdleConns(32)
		p.SetConnMaxIdleTime(5 * time.Minute)
		db.Engine, db.w, db.r = Postgres, p, p
		return db, nil
	}
	path := SQLitePath(dsn)
	// synchronous(FULL): a commit is on disk before it is acknowledged, so a
	// power loss cannot take back what a user was told was saved.
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(ON)", "busy_timeout(10000)", "synchronous(FULL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	ckq := q.Encode()
	// The writer never checkpoints: a checkpoint copies the WAL into the
	// database file and syncs it, and done inside a commit (SQLite's
	// default, every 1,000 pages) it held every waiting audit entry, and so
	// every page view, for tens of milliseconds. The checkpointer does it
	// beside the writer instead (checkpointer below).
	wq := url.Values{}
	for k, v := range q {
		wq[k] = v
	}
	wq.Add("_pragma", "wal_autocheckpoint(0)")
	w, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+wq.Encode())
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "cannot open the SQLite database")
	}
	ck, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+ckq)
	if err != nil {
		w.Close()
		return nil, errs.Wrap(errs.Unavailable, err, "cannot open the SQLite database")
	}
	ck.SetMaxOpenConns(1)
	ck.SetConnMaxLifetime(0)
	db.ck = ck
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(ON)")
	r, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?"+q.Encode())
	if err != nil {
		w.Close()
		ck.Close()
		return nil, errs.Wrap(errs.Unavailable, err, "cannot open the SQLite database")
	}
	n := max(8, runtime.NumCPU()*4)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	db.Engine, db.w, db.r = SQLite, w, r
	return db, nil
}

// Close flushes pending audit entries and closes the connections.
func (db *DB) Close() error {
	if db.audit != nil {
		db.audit.close()
	}
	db.stmts.Range(func(_, v any) bool {
		v.(*sql.Stmt).Close()
		return true
	})
	for _, st := range db.wstmts {
		st.Close()
	}
	if db.ckStop != nil {
		close(db.ckStop)
		<-db.ckDone
		db.ckStop = nil
	}
	var err error
	if db.ck != nil {
		// A last full checkpoint while the writer is idle (the writer's
		// close would do it too, but only if it is the last connection).
		db.ck.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		db.ck.Close()
	}
	if db.r != db.w {
		err = db.r.Close()
	}
	if e := db.w.Close(); e != nil {
		err = e
	}
	return err
}

// Ping checks the database answers, for /readyz.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.queryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return errs.Wrap(errs.Unavailable, err, "the database is not answering")
	}
	return nil
}

// Tx runs fn in a write transaction and commits if it returns nil.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return dbErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return dbErr(err)
	}
	return nil
}

func (db *DB) now() int64 { return db.Now().UnixMilli() }

// dbErr turns a driver error into an Internal one, keeping our own errors as they are.
func dbErr(err error) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return errs.Wrap(errs.Unavailable, err, "the request was cancelled or took too long")
	}
	return errs.Wrap(errs.Internal, err, "database error")
}

type migration struct {
	version int
	name    string
	sql     string
}

func (db *DB) migrations() ([]migration, error) {
	dir := "migrations/" + string(db.Engine)
	ents, err := fs.ReadDir(migrationsFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range ents {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", name)
		}
		b, err := migrationsFS.ReadFile(dir + "/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, name, string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies pending migrations, each in its own transaction. On
// PostgreSQL an advisory lock lets several servers start at once safely.
func (db *DB) Migrate(ctx context.Context) error {
	ms, err := db.migrations()
	if err != nil {
		return err
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "cannot connect to the database")
	}
	defer conn.Close()
	if db.Engine == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(74616)"); err != nil {
			return dbErr(err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(74616)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return dbErr(err)
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return dbErr(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return dbErr(err)
		}
		applied[v] = true
	}
	rows.Close()
	for _, m := range ms {
		if applied[m.version] {
			continue
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return dbErr(err)
		}
		// Another process may have applied it since we looked: SQLite has no
		// advisory lock, but its write transaction (BEGIN IMMEDIATE) makes
		// this check and the migration one step.
		var done int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", m.version).Scan(&done); err != nil {
			tx.Rollback()
			return dbErr(err)
		}
		if done > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", m.version, m.name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return dbErr(err)
		}
		if err := tx.Commit(); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// placeholders returns "$n, $n+1, …" for k values starting at n.
func placeholders(n, k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(n+i))
	}
	return b.String()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func ms2t(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

func itoa(n int) string { return strconv.Itoa(n) }
