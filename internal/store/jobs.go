package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Job statuses.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed" // failed, will be retried at RunAt
	JobDead    = "dead"   // failed MaxAttempts times; waits for an owner's retry
)

// JobStatuses lists the statuses in the order a job passes them.
var JobStatuses = []string{JobQueued, JobRunning, JobFailed, JobDone, JobDead}

// DefaultMaxAttempts is a job's number of tries unless it says otherwise.
const DefaultMaxAttempts = 5

// Job is a piece of background work. LastError is safe text written by the
// handler's author: never client health information.
type Job struct {
	ID          int64
	OrgID       int64 // 0: not one organisation's
	Kind        string
	Payload     []byte // JSON
	DedupeKey   string // non-empty: no second job with the same key is enqueued
	RunAt       time.Time
	Status      string
	Attempts    int
	MaxAttempts int
	LastError   string
	LockedBy    string
	LockedUntil time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	FinishedAt  time.Time
}

const jobCols = "id, org_id, kind, payload, dedupe_key, run_at, status, attempts, max_attempts, last_error, locked_by, locked_until, created_at, updated_at, finished_at"

func scanJob(row interface{ Scan(...any) error }) (*Job, error) {
	var j Job
	var payload string
	var runAt, lockedUntil, created, updated, finished int64
	if err := row.Scan(&j.ID, &j.OrgID, &j.Kind, &payload, &j.DedupeKey, &runAt, &j.Status, &j.Attempts, &j.MaxAttempts,
		&j.LastError, &j.LockedBy, &lockedUntil, &created, &updated, &finished); err != nil {
		return nil, err
	}
	j.Payload = []byte(payload)
	j.RunAt, j.LockedUntil, j.CreatedAt, j.UpdatedAt, j.FinishedAt = ms2t(runAt), ms2t(lockedUntil), ms2t(created), ms2t(updated), ms2t(finished)
	return &j, nil
}

// maxJobError bounds a stored error text; the log has the rest.
const maxJobError = 1000

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// EnqueueJob adds j (status queued; RunAt zero means now, MaxAttempts zero
// means DefaultMaxAttempts) and fills in its ID and times. It returns false,
// and no error, when a job with the same non-empty DedupeKey exists in any
// status. tx may be the caller's transaction, so a job is enqueued
// atomically with the change that causes it; nil runs on its own.
func (db *DB) EnqueueJob(ctx context.Context, tx *sql.Tx, j *Job) (bool, error) {
	f := errs.FieldErrors{}
	if strings.TrimSpace(j.Kind) == "" || len(j.Kind) > 100 {
		f.Add("kind", "A job needs a kind of at most 100 characters.")
	}
	if len(j.Payload) == 0 {
		j.Payload = []byte("{}")
	} else if !json.Valid(j.Payload) {
		f.Add("payload", "A job's payload must be JSON.")
	}
	if len(j.DedupeKey) > 200 {
		f.Add("dedupe_key", "A job's dedupe key may have at most 200 characters.")
	}
	if j.MaxAttempts < 0 {
		f.Add("max_attempts", "A job's number of attempts cannot be negative.")
	}
	if err := f.Err(); err != nil {
		return false, err
	}
	now := db.now()
	if j.MaxAttempts == 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	if j.RunAt.IsZero() {
		j.RunAt = ms2t(now)
	}
	j.Status, j.Attempts, j.LastError, j.LockedBy = JobQueued, 0, "", ""
	j.LockedUntil, j.FinishedAt = time.Time{}, time.Time{}
	j.CreatedAt, j.UpdatedAt = ms2t(now), ms2t(now)
	// ON CONFLICT DO NOTHING: the only unique constraint a new row can meet
	// is jobs_dedupe, so a duplicate key inserts nothing and returns no row.
	const q = `INSERT INTO jobs (org_id, kind, payload, dedupe_key, run_at, status, attempts, max_attempts, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $7, $7) ON CONFLICT DO NOTHING RETURNING id`
	args := []any{j.OrgID, j.Kind, string(j.Payload), j.DedupeKey, j.RunAt.UnixMilli(), j.MaxAttempts, now}
	var row *sql.Row
	if tx != nil {
		row = tx.QueryRowContext(ctx, q, args...)
	} else {
		row = db.w.QueryRowContext(ctx, q, args...)
	}
	err := row.Scan(&j.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, dbErr(err)
	}
	return true, nil
}

// jobDue is the condition of a claimable job at $1 (now): queued or failed
// and due, or running under a lease that ran out (its worker stopped). A
// running job was due when claimed, so run_at <= $1 holds for all three,
// which lets the claim walk jobs_due in order and stop at the first future job.
const jobDue = "status IN ('queued', 'failed', 'running') AND run_at <= $1 AND (status <> 'running' OR locked_until < $1)"

// claimSQL is the one statement that hands a job to a worker. The subquery
// picks the oldest due job; the UPDATE re-checks that it is still due, so
// two workers can never both mark the same job theirs. SQLite runs each
// write alone (one writer per database file), so the statement is atomic
// there as it is. PostgreSQL runs them side by side: FOR UPDATE SKIP LOCKED
// locks the chosen row and lets concurrent claims pass over it to the next
// job instead of waiting and then finding it taken; that clause is the only
// difference between the engines.
func claimSQL(e Engine, kinds int) string {
	filter := ""
	if kinds > 0 {
		filter = " AND kind IN (" + placeholders(4, kinds) + ")"
	}
	lock := ""
	if e == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = $3, updated_at = $1" +
		" WHERE id = (SELECT id FROM jobs WHERE " + jobDue + filter + " ORDER BY run_at, id LIMIT 1" + lock + ")" +
		" AND " + jobDue + " RETURNING " + jobCols
}

// ClaimJob hands the oldest due job of one of kinds (any kind when empty)
// to worker for lease: it is marked running with one more attempt. Each job
// goes to exactly one worker, across processes too. NotFound when none is
// due. A job whose worker stopped after its last allowed attempt is marked
// dead instead of being run again.
func (db *DB) ClaimJob(ctx context.Context, worker string, lease time.Duration, kinds []string) (*Job, error) {
	if worker == "" || lease <= 0 {
		return nil, errs.E(errs.Invalid, "Claiming a job needs a worker name and a lease.")
	}
	q := claimSQL(db.Engine, len(kinds))
	for range 10 {
		now := db.Now()
		args := []any{now.UnixMilli(), worker, now.Add(lease).UnixMilli()}
		for _, k := range kinds {
			args = append(args, k)
		}
		j, err := scanJob(db.w.QueryRowContext(ctx, q, args...))
		if errors.Is(err, sql.ErrNoRows) {
			// None claimed: none due, or the one chosen was taken between
			// the choice and the update. Look again only in the second case.
			var one int
			check := "SELECT 1 FROM jobs WHERE " + jobDue
			if len(kinds) > 0 {
				check += " AND kind IN (" + placeholders(2, len(kinds)) + ")"
			}
			cargs := append([]any{now.UnixMilli()}, args[3:]...)
			if err := db.queryRow(ctx, check+" LIMIT 1", cargs...).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				break
			} else if err != nil {
				return nil, dbErr(err)
			}
			continue
		}
		if err != nil {
			return nil, dbErr(err)
		}
		if j.Attempts > j.MaxAttempts {
			// Only a lease taken over gets here: every attempt has been
			// used, the last by a worker that never reported back.
			if _, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = 'dead', attempts = attempts - 1, last_error = $1, locked_by = '', locked_until = 0, updated_at = $2, finished_at = $2
				WHERE id = $3 AND status = 'running' AND locked_by = $4`,
				"The worker running the last attempt stopped before it finished (its lease expired).", now.UnixMilli(), j.ID, worker); err != nil {
				return nil, dbErr(err)
			}
			continue
		}
		return j, nil
	}
	return nil, errs.E(errs.NotFound, "No job is due.")
}

// finishing is the condition of a job that worker may still report on.
const finishing = "id = $1 AND status = 'running' AND locked_by = $2"

// FinishJob marks job id done. Only the worker holding it may: Conflict if
// its lease ran out and another worker took the job over.
func (db *DB) FinishJob(ctx context.Context, id int64, worker string) error {
	now := db.now()
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = 'done', last_error = '', locked_by = '', locked_until = 0, updated_at = $3, finished_at = $3
		WHERE `+finishing, id, worker, now)
	return db.jobReported(ctx, res, err, id)
}

// FailJob records that an attempt at job id failed with msg (safe text,
// never client health information): the job is retried from retryAt, or is
// dead when it has used all its attempts. Only the worker holding it may.
func (db *DB) FailJob(ctx context.Context, id int64, worker string, msg string, retryAt time.Time) error {
	now := db.now()
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET
		status = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'failed' END,
		run_at = CASE WHEN attempts >= max_attempts THEN run_at ELSE $3 END,
		finished_at = CASE WHEN attempts >= max_attempts THEN CAST($5 AS BIGINT) ELSE 0 END,
		last_error = $4, locked_by = '', locked_until = 0, updated_at = $5
		WHERE `+finishing, id, worker, retryAt.UnixMilli(), clip(msg, maxJobError), now)
	return db.jobReported(ctx, res, err, id)
}

func (db *DB) jobReported(ctx context.Context, res sql.Result, err error, id int64) error {
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	if _, err := db.Job(ctx, id); err != nil {
		return err
	}
	return errs.E(errs.Conflict, "This worker no longer holds the job: its lease ran out and another worker took it over.")
}

// Job returns job id; NotFound if there is none.
func (db *DB) Job(ctx context.Context, id int64) (*Job, error) {
	j, err := scanJob(db.queryRow(ctx, "SELECT "+jobCols+" FROM jobs WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "There is no such job.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	return j, nil
}

// JobFilter selects jobs for the queue page.
type JobFilter struct {
	OrgID  int64  // 0: all; otherwise that organisation's jobs and those of none
	Status string // "": any
	Limit  int    // default 100, at most 1000
}

// Jobs lists jobs, newest first.
func (db *DB) Jobs(ctx context.Context, f JobFilter) ([]Job, error) {
	q := "SELECT " + jobCols + " FROM jobs WHERE 1 = 1"
	var args []any
	if f.OrgID != 0 {
		args = append(args, f.OrgID)
		q += " AND org_id IN ($1, 0)"
	}
	if f.Status != "" {
		if !validJobStatus(f.Status) {
			return nil, errs.E(errs.Invalid, "Unknown job status %q.", f.Status)
		}
		args = append(args, f.Status)
		q += " AND status = $" + itoa(len(args))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q += " ORDER BY id DESC LIMIT " + itoa(limit)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, dbErr(err)
		}
		out = append(out, *j)
	}
	return out, dbErr(rows.Err())
}

func validJobStatus(s string) bool {
	for _, x := range JobStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// JobCounts counts jobs by status (every status present, 0 when none), for
// orgID's jobs and those of none, or all jobs when orgID is 0.
func (db *DB) JobCounts(ctx context.Context, orgID int64) (map[string]int, error) {
	q := "SELECT status, COUNT(*) FROM jobs"
	var args []any
	if orgID != 0 {
		q += " WHERE org_id IN ($1, 0)"
		args = append(args, orgID)
	}
	rows, err := db.query(ctx, q+" GROUP BY status", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	out := make(map[string]int, len(JobStatuses))
	for _, s := range JobStatuses {
		out[s] = 0
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, dbErr(err)
		}
		out[s] = n
	}
	return out, dbErr(rows.Err())
}

// RetryJob sends a dead job of orgID (or of no organisation; orgID 0: of
// any) back to the queue, due now with a fresh set of attempts; its last error stays until
// it next runs. NotFound if there is no such job for orgID; Conflict if it
// is not dead.
func (db *DB) RetryJob(ctx context.Context, orgID, id int64) error {
	now := db.now()
	res, err := db.w.ExecContext(ctx, `UPDATE jobs SET status = 'queued', attempts = 0, run_at = $3, finished_at = 0, updated_at = $3
		WHERE id = $1 AND (CAST($2 AS BIGINT) = 0 OR org_id IN ($2, 0)) AND status = 'dead'`, id, orgID, now)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	j, err := db.Job(ctx, id)
	if err != nil {
		return err
	}
	if orgID != 0 && j.OrgID != orgID && j.OrgID != 0 {
		return errs.E(errs.NotFound, "There is no such job.")
	}
	return errs.E(errs.Conflict, "Only a job that gave up can be retried; this one is %s.", j.Status)
}

// PruneJobs deletes done jobs finished before before; failed and dead ones
// stay for the owner to see.
func (db *DB) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, "DELETE FROM jobs WHERE status = 'done' AND finished_at < $1", before.UnixMilli())
	if err != nil {
		return 0, dbErr(err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
