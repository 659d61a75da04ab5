package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/errs"
)

const (
	auditInsert = `INSERT INTO audit_log (seq, at, org_id, user_id, actor, action, record_type, record_id, source_ip, result, detail, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	auditHeadUpdate = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1"
)

// auditHeadQuery reads the chain's head. FOR UPDATE serialises appends
// across PostgreSQL connections and server processes; SQLite's single
// writer already does.
func auditHeadQuery(e Engine) string {
	if e == Postgres {
		return "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
	}
	return "SELECT seq, hash FROM audit_head WHERE id = 1"
}

// AppendAudit chains entries onto the trail inside tx, so a change and its
// audit entry commit together or not at all.
func (db *DB) AppendAudit(ctx context.Context, tx *sql.Tx, entries ...*audit.Entry) error {
	if len(entries) == 0 {
		return nil
	}
	prev := &audit.Entry{}
	if err := db.txQueryRow(ctx, tx, auditHeadQuery(db.Engine)).Scan(&prev.Seq, &prev.Hash); err != nil {
		return dbErr(err)
	}
	for _, e := range entries {
		if e.At.IsZero() {
			e.At = db.Now()
		}
		// An actor is whatever email was typed at sign-in: make it storable.
		e.Actor, e.Detail, e.SourceIP = cleanText(e.Actor), cleanText(e.Detail), cleanText(e.SourceIP)
		e.At = time.UnixMilli(e.At.UnixMilli()).UTC()
		if prev.Seq == 0 {
			audit.Chain(nil, e)
		} else {
			audit.Chain(prev, e)
		}
		if _, err := db.txExec(ctx, tx, auditInsert,
			e.Seq, e.At.UnixMilli(), e.OrgID, e.UserID, e.Actor, e.Action, e.RecordType, e.RecordID, e.SourceIP, e.Result, e.Detail, e.PrevHash, e.Hash); err != nil {
			return dbErr(err)
		}
		prev = e
	}
	if _, err := db.txExec(ctx, tx, auditHeadUpdate, prev.Seq, prev.Hash); err != nil {
		return dbErr(err)
	}
	return nil
}

// Audit records entries that go with no change (reads, sign-ins, denials).
// It returns once they are committed: concurrent callers share one
// transaction (group commit), so auditing every read costs one disk flush
// per batch rather than one per read.
func (db *DB) Audit(ctx context.Context, entries ...*audit.Entry) error {
	return db.audit.add(ctx, entries)
}

type auditReq struct {
	entries []*audit.Entry
	done    chan error
}

type auditBatcher struct {
	db     *DB
	reqs   chan auditReq
	wg     sync.WaitGroup
	closed chan struct{}
	once   sync.Once
}

func newAuditBatcher(db *DB) *auditBatcher {
	b := &auditBatcher{db: db, reqs: make(chan auditReq, 1024), closed: make(chan struct{})}
	b.wg.Add(1)
	go b.run()
	return b
}

func (b *auditBatcher) add(ctx context.Context, entries []*audit.Entry) error {
	r := auditReq{entries, make(chan error, 1)}
	select {
	case b.reqs <- r:
	case <-b.closed:
		return errs.E(errs.Unavailable, "the server is shutting down")
	case <-ctx.Done():
		return errs.Wrap(errs.Unavailable, ctx.Err(), "the request was cancelled")
	}
	// Wait even if ctx ends: the entry is on its way to disk and the caller
	// must not report success or failure before knowing which.
	return <-r.done
}

func (b *auditBatcher) run() {
	defer b.wg.Done()
	for {
		var batch []auditReq
		select {
		case r := <-b.reqs:
			batch = append(batch, r)
		case <-b.closed:
			// drain what is queued, then stop
			for {
				select {
				case r := <-b.reqs:
					batch = append(batch, r)
				default:
					b.commit(batch)
					return
				}
			}
		}
	more:
		for len(batch) < 256 {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		b.commit(batch)
	}
}

func (b *auditBatcher) commit(batch []auditReq) {
	if len(batch) == 0 {
		return
	}
	var all []*audit.Entry
	for _, r := range batch {
		all = append(all, r.entries...)
	}
	err := b.db.Tx(context.Background(), func(tx *sql.Tx) error {
		return b.db.AppendAudit(context.Background(), tx, all...)
	})
	for _, r := range batch {
		r.done <- err
	}
}

func (b *auditBatcher) close() {
	b.once.Do(func() { close(b.closed) })
	b.wg.Wait()
}

// AuditFilter narrows the trail for the owner's audit page and export.
type AuditFilter struct {
	OrgID      int64
	UserID     int64
	Action     string // exact action or a prefix ending in "." (e.g. "client.")
	RecordType string
	RecordID   int64
	From, To   time.Time // To is exclusive
	Limit      int
	BeforeSeq  int64 // for paging backwards from the newest
}

// ListAudit returns entries of one organisation, newest first.
func (db *DB) ListAudit(ctx context.Context, f AuditFilter) ([]audit.Entry, error) {
	if !storable(f.Action) || !storable(f.RecordType) {
		return nil, nil // no entry has such an action or record type
	}
	var where []string
	args := []any{f.OrgID}
	where = append(where, "org_id = $1")
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+itoa(len(args))))
	}
	if f.UserID != 0 {
		add("user_id = ?", f.UserID)
	}
	if f.Action != "" {
		if strings.HasSuffix(f.Action, ".") {
			add("action >= ?", f.Action)
			add("action < ?", f.Action[:len(f.Action)-1]+"/")
		} else {
			add("action = ?", f.Action)
		}
	}
	if f.RecordType != "" {
		add("record_type = ?", f.RecordType)
	}
	if f.RecordID != 0 {
		add("record_id = ?", f.RecordID)
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UnixMilli())
	}
	if f.BeforeSeq != 0 {
		add("seq < ?", f.BeforeSeq)
	}
	q := "SELECT seq, at, org_id, user_id, actor, action, record_type, record_id, source_ip, result, detail, prev_hash, hash FROM audit_log WHERE " +
		strings.Join(where, " AND ") + " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += " LIMIT " + itoa(f.Limit)
	}
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, dbErr(rows.Err())
}

func scanAudit(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	err := rows.Scan(&e.Seq, &at, &e.OrgID, &e.UserID, &e.Actor, &e.Action, &e.RecordType, &e.RecordID, &e.SourceIP, &e.Result, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = time.UnixMilli(at).UTC()
	return e, dbErr(err)
}

// VerifyAudit walks the whole trail in order and reports every break.
func (db *DB) VerifyAudit(ctx context.Context) (*audit.Verifier, error) {
	v := &audit.Verifier{}
	rows, err := db.query(ctx, "SELECT seq, at, org_id, user_id, actor, action, record_type, record_id, source_ip, result, detail, prev_hash, hash FROM audit_log ORDER BY seq")
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		v.Add(e)
	}
	if err := rows.Err(); err != nil {
		return nil, dbErr(err)
	}
	var headSeq int64
	var headHash string
	if err := db.queryRow(ctx, "SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
		return nil, dbErr(err)
	}
	v.Finish(headSeq, headHash)
	return v, nil
}
