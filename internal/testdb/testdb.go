// Package testdb opens real, throw-away databases for tests: a fresh SQLite
// file per test, and a fresh schema in the PostgreSQL cluster the test script
// starts (FASCIA_TEST_POSTGRES). Every storage test runs once per engine.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/fascia-health/fascia/internal/store"
)

// PostgresDSN is the base DSN of the test cluster, or "" when there is none.
func PostgresDSN() string { return os.Getenv("FASCIA_TEST_POSTGRES") }

// Engines lists the engines to run on. Without a PostgreSQL cluster the
// postgres case is skipped, unless FASCIA_TEST_REQUIRE_POSTGRES=1 (set by the
// test script), where its absence fails the test.
func Engines() []store.Engine { return []store.Engine{store.SQLite, store.Postgres} }

// Each runs fn as a subtest on a fresh database of every engine.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// DSN returns a DSN for a fresh, empty database of engine e that is removed
// when the test ends.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "fascia-test.db")
	}
	base := PostgresDSN()
	if base == "" {
		if os.Getenv("FASCIA_TEST_REQUIRE_POSTGRES") == "1" {
			t.Fatal("FASCIA_TEST_POSTGRES is not set but PostgreSQL is required: run the tests through scripts/test")
		}
		t.Skip("no PostgreSQL (set FASCIA_TEST_POSTGRES, or run scripts/test)")
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a fresh, migrated database of engine e, closed when the test ends.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), DSN(t, e))
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { db.Close() })
	// A server has a secret key for the SMTP password (store/secret.go).
	key := make([]byte, store.KeySize)
	rand.Read(key)
	if err := db.SetSecretKey(key); err != nil {
		t.Fatal(err)
	}
	return db
}
