package store

import (
	"context"
	"database/sql"
)

// ExecForTest runs raw SQL on the writer. It exists for tests that play an
// attacker with direct database access (tampering with the audit trail).
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, q, args...)
}

// FillStatementCacheForTest makes the read statement cache full, so the
// queries after it take the uncached path.
func (db *DB) FillStatementCacheForTest() { db.nstmts.Store(maxStmts) }
