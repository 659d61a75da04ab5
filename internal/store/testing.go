package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/schedule"
)

// ExecForTest runs raw SQL on the writer. It exists for tests that play an
// attacker with direct database access (tampering with the audit trail).
func (db *DB) ExecForTest(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, q, args...)
}

// FillStatementCacheForTest makes the read statement cache full, so the
// queries after it take the uncached path.
func (db *DB) FillStatementCacheForTest() { db.nstmts.Store(maxStmts) }

// QueryRowForTest reads one row on the writer, for tests that count rows.
func (db *DB) QueryRowForTest(ctx context.Context, q string, args ...any) *sql.Row {
	return db.w.QueryRowContext(ctx, q, args...)
}

// BulkAppointmentsForBench inserts appointments in large batches, with the
// claims of those that end after claimFrom, for benchmarks that need years
// of a clinic's calendar. It checks nothing: callers make valid rows.
func (db *DB) BulkAppointmentsForBench(ctx context.Context, as []schedule.Appointment, claimFrom time.Time) error {
	// SQLite looks "$N" parameters up in a list, so a statement with thousands
	// of them costs time quadratic in their number: batches stay small.
	batch := 40
	if db.Engine == Postgres {
		batch = 500
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		for i := 0; i < len(as); i += batch {
			end := min(i+batch, len(as))
			var b strings.Builder
			b.WriteString(`INSERT INTO appointments (org_id, location_id, therapist_id, room_id, client_id, service_id, starts_at, ends_at,
				buffer_before, buffer_after, status, source, created_at, updated_at) VALUES `)
			args := make([]any, 0, (end-i)*13)
			for j := i; j < end; j++ {
				a := &as[j]
				if j > i {
					b.WriteByte(',')
				}
				n := len(args)
				b.WriteString("(")
				for k := 1; k <= 13; k++ {
					if k > 1 {
						b.WriteByte(',')
					}
					if k == 4 { // the room may be NULL, whose type PostgreSQL cannot infer in a VALUES list
						b.WriteString("CAST($" + itoa(n+k) + " AS BIGINT)")
						continue
					}
					b.WriteString("$" + itoa(n+k))
				}
				b.WriteString(",$" + itoa(n+13) + ")")
				args = append(args, a.OrgID, a.LocationID, a.TherapistID, nullID(a.RoomID), a.ClientID, a.ServiceID, a.Start.UnixMilli(), a.End.UnixMilli(),
					a.BufferBefore, a.BufferAfter, a.Status, a.Source, now)
			}
			b.WriteString(" RETURNING id")
			rows, err := tx.QueryContext(ctx, b.String(), args...)
			if err != nil {
				return err
			}
			j := i
			for rows.Next() {
				if err := rows.Scan(&as[j].ID); err != nil {
					rows.Close()
					return err
				}
				j++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for i := range as {
			if as[i].End.After(claimFrom) {
				if err := db.claim(ctx, tx, &as[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// QueryForTest runs a query on the writer, for tests that look at plans.
func (db *DB) QueryForTest(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.w.QueryContext(ctx, q, args...)
}
