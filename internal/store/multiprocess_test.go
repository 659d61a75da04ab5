package store_test

// Several `fascia serve` processes against one PostgreSQL (or, less usually,
// one SQLite file) must behave as one system. Each process has its own
// store.DB, so these tests open two handles on the same database and use
// them at once: the audit chain must stay one chain, a session made by one
// must be seen by the other, and optimistic locking must hold across them.

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// twoHandles opens the same fresh database twice, as two processes would.
func twoHandles(t *testing.T, e store.Engine) (*store.DB, *store.DB) {
	t.Helper()
	dsn := testdb.DSN(t, e)
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("open handle %d: %v", i, err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	return dbs[0], dbs[1]
}

type mpFixture struct {
	org  *clinic.Organisation
	loc  *clinic.Location
	user *clinic.User
}

func mpSetup(t *testing.T, db *store.DB) mpFixture {
	t.Helper()
	ctx := context.Background()
	var f mpFixture
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		f.org = &clinic.Organisation{Name: "Two Process Massage", Slug: "two-process"}
		if err := db.CreateOrg(ctx, tx, f.org); err != nil {
			return err
		}
		f.loc = &clinic.Location{OrgID: f.org.ID, Name: "Main"}
		if err := db.CreateLocation(ctx, tx, f.loc); err != nil {
			return err
		}
		f.user = &clinic.User{OrgID: f.org.ID, Email: "t@two.test", Name: "Tess", Role: clinic.RoleTherapist, LocationIDs: []int64{f.loc.ID}}
		return db.CreateUser(ctx, tx, f.user, "hash")
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestTwoHandlesShareOneAuditChain(t *testing.T) {
	const perHandle = 200 // half through the group-commit Audit, half through Tx+AppendAudit
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db1, db2 := twoHandles(t, e)
			f := mpSetup(t, db1)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for h, db := range []*store.DB{db1, db2} {
				for i := range perHandle {
					wg.Add(1)
					go func() {
						defer wg.Done()
						<-start
						id := int64(h*perHandle + i + 1) // 1…400, each once
						en := &audit.Entry{OrgID: f.org.ID, UserID: f.user.ID, Actor: f.user.Email, Action: audit.ClientRead,
							RecordType: "client", RecordID: id, SourceIP: fmt.Sprintf("10.0.%d.%d", h, i%250), Result: audit.OK}
						var err error
						if i%2 == 0 {
							err = db.Audit(ctx, en)
						} else {
							err = db.Tx(ctx, func(tx *sql.Tx) error { return db.AppendAudit(ctx, tx, en) })
						}
						if err != nil {
							t.Errorf("handle %d entry %d: %v", h+1, id, err)
						}
					}()
				}
			}
			close(start)
			wg.Wait()
			if t.Failed() {
				return
			}
			for h, db := range []*store.DB{db1, db2} {
				v, err := db.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if !v.OK() || v.Count != 2*perHandle {
					t.Fatalf("handle %d sees count %d, problems %v", h+1, v.Count, v.Problems)
				}
			}
			es, err := db2.ListAudit(ctx, store.AuditFilter{OrgID: f.org.ID})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 2*perHandle {
				t.Fatalf("%d entries listed", len(es))
			}
			seqs := make([]int, len(es))
			ids := map[int64]bool{}
			for i, en := range es {
				seqs[i] = int(en.Seq)
				ids[en.RecordID] = true
			}
			sort.Ints(seqs)
			for i, s := range seqs {
				if s != i+1 {
					t.Fatalf("sequence numbers are not 1…%d: position %d holds %d", len(seqs), i, s)
				}
			}
			if len(ids) != 2*perHandle {
				t.Fatalf("%d distinct entries of %d: some were lost or written twice", len(ids), 2*perHandle)
			}
		})
	}
}

func TestTwoHandlesShareSessions(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db1, db2 := twoHandles(t, e)
			f := mpSetup(t, db1)
			s := &store.Session{IDHash: "hash-of-a-session-id", UserID: f.user.ID, OrgID: f.org.ID}
			if err := db1.Tx(ctx, func(tx *sql.Tx) error { return db1.CreateSession(ctx, tx, s) }); err != nil {
				t.Fatal(err)
			}
			got, err := db2.SessionByHash(ctx, s.IDHash)
			if err != nil || got.UserID != f.user.ID || got.OrgID != f.org.ID || got.MFAOK {
				t.Fatalf("other handle: %+v, %v", got, err)
			}
			// The second factor given through one process counts in the other.
			if err := db2.Tx(ctx, func(tx *sql.Tx) error { return db2.MarkSessionMFA(ctx, tx, s.IDHash) }); err != nil {
				t.Fatal(err)
			}
			if got, err := db1.SessionByHash(ctx, s.IDHash); err != nil || !got.MFAOK {
				t.Fatalf("MFA mark not seen by the first handle: %+v, %v", got, err)
			}
			// Signing out through one ends the session for both.
			if err := db2.DeleteSession(ctx, s.IDHash); err != nil {
				t.Fatal(err)
			}
			if _, err := db1.SessionByHash(ctx, s.IDHash); errs.Code(err) != errs.Unauthorized {
				t.Fatalf("session still found through the first handle: %v", err)
			}
		})
	}
}

func TestTwoHandlesConcurrentEditsConflict(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			db1, db2 := twoHandles(t, e)
			f := mpSetup(t, db1)
			c := &clinic.Client{OrgID: f.org.ID, FirstName: "Ann", LastName: "Smith", DOB: "1971-04-09", PreferredLocationID: f.loc.ID}
			if err := db1.Tx(ctx, func(tx *sql.Tx) error { return db1.CreateClient(ctx, tx, c) }); err != nil {
				t.Fatal(err)
			}
			for round := range 5 {
				cur, err := db2.Client(ctx, f.org.ID, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				start := make(chan struct{})
				results := make([]error, 2)
				for i, db := range []*store.DB{db1, db2} {
					wg.Add(1)
					go func() {
						defer wg.Done()
						mine := *cur // both opened the same version
						mine.City = fmt.Sprintf("City%d-%d", round, i)
						<-start
						results[i] = db.Tx(ctx, func(tx *sql.Tx) error { return db.UpdateClient(ctx, tx, &mine) })
					}()
				}
				close(start)
				wg.Wait()
				ok, conflicts := 0, 0
				for _, err := range results {
					switch errs.Code(err) {
					case "":
						ok++
					case errs.Conflict:
						conflicts++
					default:
						t.Fatalf("round %d: unexpected error %v", round, err)
					}
				}
				if ok != 1 || conflicts != 1 {
					t.Fatalf("round %d: %d saved, %d conflicts; want exactly one of each", round, ok, conflicts)
				}
				for _, db := range []*store.DB{db1, db2} {
					got, err := db.Client(ctx, f.org.ID, c.ID)
					if err != nil || got.Version != cur.Version+1 {
						t.Fatalf("round %d: after the race %+v, %v", round, got, err)
					}
				}
			}
		})
	}
}

// Servers started together migrate the same empty database at once.
func TestConcurrentMigrate(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			ctx := context.Background()
			dsn := testdb.DSN(t, e)
			if e == store.SQLite {
				// Start from an existing, empty WAL file, as a server upgraded to a
				// version with a new migration would. (Two processes switching a
				// brand-new file to WAL at the same instant can get SQLITE_BUSY
				// from SQLite itself, whatever the busy timeout.)
				raw, err := sql.Open("sqlite", dsn)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := raw.Exec("PRAGMA journal_mode = WAL"); err != nil {
					t.Fatal(err)
				}
				raw.Close()
			}
			const n = 3
			var wg sync.WaitGroup
			start := make(chan struct{})
			dbs := make([]*store.DB, n)
			errors := make([]error, n)
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					dbs[i], errors[i] = store.Open(ctx, dsn)
				}()
			}
			close(start)
			wg.Wait()
			for i, db := range dbs {
				if db != nil {
					t.Cleanup(func() { db.Close() })
				}
				if errors[i] != nil {
					t.Errorf("open %d: %v", i, errors[i])
				}
			}
			if t.Failed() {
				return
			}
			driver := "sqlite"
			if e == store.Postgres {
				driver = "pgx"
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			rows, err := raw.QueryContext(ctx, "SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			applied := 0
			for rows.Next() {
				var v, k int
				if err := rows.Scan(&v, &k); err != nil {
					t.Fatal(err)
				}
				if k != 1 {
					t.Errorf("migration %d recorded %d times", v, k)
				}
				applied++
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if applied == 0 {
				t.Fatal("no migration recorded")
			}
			var heads int
			if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_head").Scan(&heads); err != nil || heads != 1 {
				t.Fatalf("audit_head rows: %d, %v", heads, err)
			}
			// Every handle works on the result.
			f := mpSetup(t, dbs[0])
			for i, db := range dbs {
				if err := db.Audit(ctx, &audit.Entry{OrgID: f.org.ID, Action: audit.SignIn, Result: audit.OK}); err != nil {
					t.Fatalf("handle %d: %v", i, err)
				}
			}
			if v, err := dbs[n-1].VerifyAudit(ctx); err != nil || !v.OK() || v.Count != n {
				t.Fatalf("trail: %+v, %v", v, err)
			}
		})
	}
}
