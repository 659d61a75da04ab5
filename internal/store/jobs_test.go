package store_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// jobClock is a test clock: db.Now reads it and tests move it.
type jobClock struct{ t time.Time }

func (c *jobClock) now() time.Time               { return c.t }
func (c *jobClock) add(d time.Duration)          { c.t = c.t.Add(d) }
func (c *jobClock) at(d time.Duration) time.Time { return c.t.Add(d) }

func withClock(db *store.DB) *jobClock {
	c := &jobClock{t: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}
	db.Now = c.now
	return c
}

func enqueue(t *testing.T, db *store.DB, j *store.Job) bool {
	t.Helper()
	ok, err := db.EnqueueJob(context.Background(), nil, j)
	if err != nil {
		t.Fatalf("enqueue %s: %v", j.Kind, err)
	}
	return ok
}

func claim(t *testing.T, db *store.DB, worker string, kinds ...string) *store.Job {
	t.Helper()
	j, err := db.ClaimJob(context.Background(), worker, time.Minute, kinds)
	if errs.Code(err) == errs.NotFound {
		return nil
	}
	if err != nil {
		t.Fatalf("claim: %v", err)
	}
	return j
}

func jobByID(t *testing.T, db *store.DB, id int64) *store.Job {
	t.Helper()
	j, err := db.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestJobsEnqueueDedupe(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := withClock(db)
		first := &store.Job{OrgID: 7, Kind: "reminder", Payload: []byte(`{"appointment_id":42}`), DedupeKey: "reminder:42"}
		if !enqueue(t, db, first) || first.ID == 0 {
			t.Fatalf("first enqueue: %+v", first)
		}
		got := jobByID(t, db, first.ID)
		if got.Status != store.JobQueued || got.MaxAttempts != store.DefaultMaxAttempts || !got.RunAt.Equal(clock.t) ||
			string(got.Payload) != `{"appointment_id":42}` || got.OrgID != 7 || got.DedupeKey != "reminder:42" {
			t.Fatalf("stored %+v", got)
		}
		if enqueue(t, db, &store.Job{OrgID: 7, Kind: "reminder", DedupeKey: "reminder:42"}) {
			t.Fatal("a second job with the same dedupe key was enqueued")
		}
		// The key stays taken after the job is done: a reminder is sent once.
		j := claim(t, db, "w1")
		if err := db.FinishJob(ctx, j.ID, "w1"); err != nil {
			t.Fatal(err)
		}
		if enqueue(t, db, &store.Job{Kind: "reminder", DedupeKey: "reminder:42"}) {
			t.Fatal("the dedupe key was free again once the job was done")
		}
		// Without a key, every job is enqueued.
		for range 2 {
			if !enqueue(t, db, &store.Job{Kind: "report"}) {
				t.Fatal("a job without a dedupe key was refused")
			}
		}

		// A job enqueued in a transaction that rolls back is not there, and
		// its key is free.
		boom := errors.New("the appointment could not be saved")
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			if ok, err := db.EnqueueJob(ctx, tx, &store.Job{Kind: "reminder", DedupeKey: "reminder:43"}); !ok || err != nil {
				t.Fatalf("enqueue in tx: %v %v", ok, err)
			}
			return boom
		})
		if err != boom {
			t.Fatal(err)
		}
		if !enqueue(t, db, &store.Job{Kind: "reminder", DedupeKey: "reminder:43"}) {
			t.Fatal("a rolled-back job kept its dedupe key")
		}
		// Committed with the change: there.
		var inTx store.Job
		if err := db.Tx(ctx, func(tx *sql.Tx) error {
			inTx = store.Job{Kind: "reminder", DedupeKey: "reminder:44"}
			_, err := db.EnqueueJob(ctx, tx, &inTx)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if jobByID(t, db, inTx.ID).DedupeKey != "reminder:44" {
			t.Fatal("job committed with its transaction is missing")
		}

		for _, bad := range []store.Job{{Kind: ""}, {Kind: "x", Payload: []byte("{not json")}, {Kind: "x", MaxAttempts: -1}} {
			if _, err := db.EnqueueJob(ctx, nil, &bad); errs.Code(err) != errs.Invalid {
				t.Errorf("enqueue %+v: %v, want Invalid", bad, err)
			}
		}
	})
}

func TestJobsClaimOldestDueFirst(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		clock := withClock(db)
		later := &store.Job{Kind: "reminder", RunAt: clock.at(time.Hour)}
		recent := &store.Job{Kind: "reminder", RunAt: clock.at(-time.Minute)}
		oldest := &store.Job{Kind: "reminder", RunAt: clock.at(-2 * time.Minute)}
		other := &store.Job{Kind: "report", RunAt: clock.at(-3 * time.Minute)}
		for _, j := range []*store.Job{later, recent, oldest, other} {
			enqueue(t, db, j)
		}
		for _, want := range []*store.Job{oldest, recent} {
			j := claim(t, db, "w1", "reminder")
			if j == nil || j.ID != want.ID {
				t.Fatalf("claimed %+v, want job %d", j, want.ID)
			}
			if j.Status != store.JobRunning || j.Attempts != 1 || j.LockedBy != "w1" || !j.LockedUntil.Equal(clock.at(time.Minute)) {
				t.Fatalf("claimed job %+v", j)
			}
			if err := db.FinishJob(context.Background(), j.ID, "w1"); err != nil {
				t.Fatal(err)
			}
		}
		if j := claim(t, db, "w1", "reminder"); j != nil {
			t.Fatalf("claimed %d before it was due", j.ID)
		}
		if j := claim(t, db, "w1"); j == nil || j.ID != other.ID {
			t.Fatalf("with any kind: claimed %+v, want the report", j)
		}
		if err := db.FinishJob(context.Background(), other.ID, "w1"); err != nil {
			t.Fatal(err)
		}
		clock.add(time.Hour)
		if j := claim(t, db, "w2", "reminder", "report"); j == nil || j.ID != later.ID {
			t.Fatalf("once due: claimed %+v", j)
		}
	})
}

func TestJobsExpiredLeaseIsTakenOver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := withClock(db)
		job := &store.Job{Kind: "reminder"}
		enqueue(t, db, job)
		if j := claim(t, db, "crashed"); j == nil || j.ID != job.ID {
			t.Fatalf("first claim %+v", j)
		}
		clock.add(59 * time.Second)
		if j := claim(t, db, "w2"); j != nil {
			t.Fatal("a job was taken over while its lease held")
		}
		clock.add(2 * time.Second)
		j := claim(t, db, "w2")
		if j == nil || j.ID != job.ID || j.Attempts != 2 || j.LockedBy != "w2" {
			t.Fatalf("take-over: %+v", j)
		}
		// The first worker comes back: it may no longer report on the job.
		if err := db.FinishJob(ctx, job.ID, "crashed"); errs.Code(err) != errs.Conflict {
			t.Fatalf("finish by the old worker: %v", err)
		}
		if err := db.FailJob(ctx, job.ID, "crashed", "late", clock.t); errs.Code(err) != errs.Conflict {
			t.Fatalf("fail by the old worker: %v", err)
		}
		if err := db.FinishJob(ctx, job.ID, "w2"); err != nil {
			t.Fatal(err)
		}
		got := jobByID(t, db, job.ID)
		if got.Status != store.JobDone || !got.FinishedAt.Equal(clock.t) || got.LockedBy != "" {
			t.Fatalf("after finish: %+v", got)
		}
		if err := db.FinishJob(ctx, job.ID, "w2"); errs.Code(err) != errs.Conflict {
			t.Fatalf("finishing twice: %v", err)
		}
		if err := db.FinishJob(ctx, 999999, "w2"); errs.Code(err) != errs.NotFound {
			t.Fatalf("finishing a missing job: %v", err)
		}

		// A worker that stops during the last allowed attempt: the job is
		// dead, not run a sixth time.
		last := &store.Job{Kind: "reminder", MaxAttempts: 1}
		enqueue(t, db, last)
		if j := claim(t, db, "crashed"); j == nil || j.ID != last.ID {
			t.Fatalf("claim %+v", j)
		}
		clock.add(2 * time.Minute)
		if j := claim(t, db, "w2"); j != nil {
			t.Fatalf("job claimed again after its last attempt: %+v", j)
		}
		got = jobByID(t, db, last.ID)
		if got.Status != store.JobDead || got.Attempts != 1 || got.LastError == "" {
			t.Fatalf("after the lease of the last attempt ran out: %+v", got)
		}
	})
}

func TestJobsFailRetryDeadRetry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := withClock(db)
		job := &store.Job{OrgID: 3, Kind: "reminder", MaxAttempts: 3}
		enqueue(t, db, job)
		for attempt := 1; attempt <= 3; attempt++ {
			j := claim(t, db, "w1")
			if j == nil || j.ID != job.ID || j.Attempts != attempt {
				t.Fatalf("attempt %d: claimed %+v", attempt, j)
			}
			retry := clock.at(time.Duration(attempt) * time.Minute)
			if err := db.FailJob(ctx, j.ID, "w1", "mail server unavailable", retry); err != nil {
				t.Fatal(err)
			}
			got := jobByID(t, db, job.ID)
			if got.LastError != "mail server unavailable" || got.LockedBy != "" {
				t.Fatalf("attempt %d: %+v", attempt, got)
			}
			if attempt < 3 {
				if got.Status != store.JobFailed || !got.RunAt.Equal(retry) {
					t.Fatalf("attempt %d: status %s, run at %v; want failed, %v", attempt, got.Status, got.RunAt, retry)
				}
				if j := claim(t, db, "w1"); j != nil {
					t.Fatalf("attempt %d: retried before its time", attempt)
				}
				clock.add(time.Duration(attempt) * time.Minute)
			} else if got.Status != store.JobDead || got.FinishedAt.IsZero() {
				t.Fatalf("after the last attempt: %+v", got)
			}
		}
		clock.add(24 * time.Hour)
		if j := claim(t, db, "w1"); j != nil {
			t.Fatal("a dead job was claimed")
		}

		if err := db.RetryJob(ctx, 4, job.ID); errs.Code(err) != errs.NotFound {
			t.Fatalf("retry by another organisation: %v", err)
		}
		if err := db.RetryJob(ctx, 3, job.ID); err != nil {
			t.Fatal(err)
		}
		got := jobByID(t, db, job.ID)
		if got.Status != store.JobQueued || got.Attempts != 0 || !got.RunAt.Equal(clock.t) || !got.FinishedAt.IsZero() {
			t.Fatalf("after retry: %+v", got)
		}
		if err := db.RetryJob(ctx, 3, job.ID); errs.Code(err) != errs.Conflict {
			t.Fatalf("retrying a queued job: %v", err)
		}
		if j := claim(t, db, "w1"); j == nil || j.ID != job.ID || j.Attempts != 1 {
			t.Fatalf("claim after retry: %+v", j)
		}
	})
}

func TestJobsListCountPrune(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clock := withClock(db)
		var ids []int64
		for i, org := range []int64{1, 2, 0, 1, 1} {
			j := &store.Job{OrgID: org, Kind: "reminder", RunAt: clock.at(time.Duration(i) * time.Second)}
			enqueue(t, db, j)
			ids = append(ids, j.ID)
		}
		// Job 0 (org 1) done yesterday, job 1 (org 2) done now, job 2 (no org) dead.
		for _, step := range []struct {
			id   int64
			done bool
		}{{ids[0], true}, {ids[1], true}, {ids[2], false}} {
			j := claim(t, db, "w")
			if j == nil || j.ID != step.id {
				t.Fatalf("claim %+v, want %d", j, step.id)
			}
			if step.done {
				if err := db.FinishJob(ctx, j.ID, "w"); err != nil {
					t.Fatal(err)
				}
			} else {
				db.ExecForTest(ctx, "UPDATE jobs SET max_attempts = 1 WHERE id = $1", j.ID)
				if err := db.FailJob(ctx, j.ID, "w", "gave up", clock.t); err != nil {
					t.Fatal(err)
				}
			}
			clock.add(24 * time.Hour)
		}

		list := func(f store.JobFilter) []int64 {
			t.Helper()
			js, err := db.Jobs(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, j := range js {
				out = append(out, j.ID)
			}
			return out
		}
		eq := func(got, want []int64) bool {
			if len(got) != len(want) {
				return false
			}
			for i := range got {
				if got[i] != want[i] {
					return false
				}
			}
			return true
		}
		if got, want := list(store.JobFilter{OrgID: 1}), []int64{ids[4], ids[3], ids[2], ids[0]}; !eq(got, want) {
			t.Errorf("org 1 sees %v, want its own and org-less ones newest first %v", got, want)
		}
		if got, want := list(store.JobFilter{}), []int64{ids[4], ids[3], ids[2], ids[1], ids[0]}; !eq(got, want) {
			t.Errorf("all: %v, want %v", got, want)
		}
		if got, want := list(store.JobFilter{OrgID: 1, Status: store.JobDone}), []int64{ids[0]}; !eq(got, want) {
			t.Errorf("org 1 done: %v, want %v", got, want)
		}
		if got, want := list(store.JobFilter{Limit: 2}), []int64{ids[4], ids[3]}; !eq(got, want) {
			t.Errorf("limit 2: %v, want %v", got, want)
		}
		if _, err := db.Jobs(ctx, store.JobFilter{Status: "sleeping"}); errs.Code(err) != errs.Invalid {
			t.Errorf("unknown status: %v", err)
		}

		counts, err := db.JobCounts(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int{store.JobQueued: 2, store.JobRunning: 0, store.JobFailed: 0, store.JobDone: 1, store.JobDead: 1}
		for s, n := range want {
			if counts[s] != n {
				t.Errorf("org 1 count of %s: %d, want %d (all: %v)", s, counts[s], n, counts)
			}
		}
		if all, _ := db.JobCounts(ctx, 0); all[store.JobDone] != 2 {
			t.Errorf("all counts %v", all)
		}
		// An org-less dead job is on every owner's page, so any of them may retry it.
		if err := db.RetryJob(ctx, 2, ids[2]); err != nil {
			t.Errorf("retry of an org-less job: %v", err)
		}

		// Done jobs finished before the cut are deleted; others stay.
		n, err := db.PruneJobs(ctx, clock.at(-60*time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("pruned %d, %v; want 1", n, err)
		}
		if got, want := list(store.JobFilter{}), []int64{ids[4], ids[3], ids[2], ids[1]}; !eq(got, want) {
			t.Errorf("after prune: %v, want %v", got, want)
		}
	})
}
