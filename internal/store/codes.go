package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// CodeSetInfo describes an imported ICD-10-CM code set.
type CodeSetInfo struct {
	FiscalYear int
	Source     string // the file it was imported from
	Count      int
	LoadedAt   time.Time
}

// codeBatch is how many rows go in one INSERT (5 values each, under both
// engines' limits on bound parameters). Measured on 95,524 codes: modernc
// SQLite is fastest with short statements, PostgreSQL with fewer round trips.
func (db *DB) codeBatch() int {
	if db.Engine == Postgres {
		return 500
	}
	return 20
}

// ReplaceCodeSet replaces the codes of fiscal year fy with entries, inside
// tx. loaded_at always moves forward, so servers that cache the set notice
// the change even when two imports fall in the same millisecond.
func (db *DB) ReplaceCodeSet(ctx context.Context, tx *sql.Tx, fy int, source string, entries []icd10.Entry) error {
	if len(entries) == 0 {
		return errs.E(errs.Invalid, "A code set needs at least one code.")
	}
	now := db.now()
	var prev int64
	err := tx.QueryRowContext(ctx, "SELECT loaded_at FROM icd10_sets WHERE fiscal_year = $1", fy).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return dbErr(err)
	}
	if now <= prev {
		now = prev + 1
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM icd10_codes WHERE fiscal_year = $1", fy); err != nil {
		return dbErr(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO icd10_sets (fiscal_year, source, code_count, loaded_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (fiscal_year) DO UPDATE SET source = excluded.source, code_count = excluded.code_count, loaded_at = excluded.loaded_at`,
		fy, cleanText(source), len(entries), now); err != nil {
		return dbErr(err)
	}
	// Full batches reuse one prepared statement; the last, shorter batch
	// gets its own.
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	size := db.codeBatch()
	args := make([]any, 0, size*5)
	for start := 0; start < len(entries); start += size {
		batch := entries[start:min(start+size, len(entries))]
		st, ok := stmts[len(batch)]
		if !ok {
			var q strings.Builder
			q.WriteString("INSERT INTO icd10_codes (fiscal_year, code, billable, short_title, long_title) VALUES ")
			for i := range batch {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(" + placeholders(i*5+1, 5) + ")")
			}
			var err error
			if st, err = tx.PrepareContext(ctx, q.String()); err != nil {
				return dbErr(err)
			}
			stmts[len(batch)] = st
		}
		args = args[:0]
		for _, e := range batch {
			args = append(args, fy, icd10.Key(e.Code.Code), b2i(e.Billable), cleanText(e.Short), cleanText(e.Title))
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// CodeSets lists the imported code sets, oldest year first.
func (db *DB) CodeSets(ctx context.Context) ([]CodeSetInfo, error) {
	rows, err := db.query(ctx, "SELECT fiscal_year, source, code_count, loaded_at FROM icd10_sets ORDER BY fiscal_year")
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []CodeSetInfo
	for rows.Next() {
		var c CodeSetInfo
		var at int64
		if err := rows.Scan(&c.FiscalYear, &c.Source, &c.Count, &at); err != nil {
			return nil, dbErr(err)
		}
		c.LoadedAt = ms2t(at)
		out = append(out, c)
	}
	return out, dbErr(rows.Err())
}

// CodeSet reads the codes of fiscal year fy, with when they were loaded;
// NotFound when none were imported for that year.
func (db *DB) CodeSet(ctx context.Context, fy int) (CodeSetInfo, []icd10.Entry, error) {
	var info CodeSetInfo
	var at int64
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return info, nil, dbErr(err)
	}
	defer tx.Rollback()
	// One read transaction, so the codes match the loaded_at read with them.
	err = tx.QueryRowContext(ctx, "SELECT fiscal_year, source, code_count, loaded_at FROM icd10_sets WHERE fiscal_year = $1", fy).
		Scan(&info.FiscalYear, &info.Source, &info.Count, &at)
	if err == sql.ErrNoRows {
		return info, nil, errs.E(errs.NotFound, "No ICD-10-CM code set was imported for FY%d.", fy)
	}
	if err != nil {
		return info, nil, dbErr(err)
	}
	info.LoadedAt = ms2t(at)
	rows, err := tx.QueryContext(ctx, "SELECT code, billable, short_title, long_title FROM icd10_codes WHERE fiscal_year = $1 ORDER BY code", fy)
	if err != nil {
		return info, nil, dbErr(err)
	}
	defer rows.Close()
	out := make([]icd10.Entry, 0, info.Count)
	for rows.Next() {
		var e icd10.Entry
		var b int
		if err := rows.Scan(&e.Code.Code, &b, &e.Short, &e.Title); err != nil {
			return info, nil, dbErr(err)
		}
		e.Code.Code = icd10.Format(e.Code.Code)
		e.Billable = b == 1
		out = append(out, e)
	}
	return info, out, dbErr(rows.Err())
}
