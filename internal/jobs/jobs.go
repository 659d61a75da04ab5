// Package jobs runs background work (reminders now, later claims and
// reports) from the jobs table: each server process runs a Runner, and the
// table hands every job to exactly one of them. A failed job is retried
// with backoff and, after its last attempt, waits as dead for an owner.
package jobs

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Handler does the work of one job. Its error is stored on the job and
// logged, so it must be safe text: never client health information.
type Handler func(ctx context.Context, j *store.Job) error

// Defaults of a Runner's zero fields.
const (
	DefaultPoll  = time.Second
	DefaultLease = 2 * time.Minute
)

// Runner claims due jobs of the kinds it has handlers for and runs them,
// one at a time. Run several (in one process or many) for more throughput.
type Runner struct {
	DB       *store.DB
	Log      *slog.Logger // default slog.Default()
	Worker   string       // unique name of this runner; default host:pid:random
	Handlers map[string]Handler
	Poll     time.Duration // wait when nothing is due; default 1s
	// Lease is how long a claimed job is this runner's; a handler gets a
	// tenth less, so it is stopped before another runner may take the job.
	Lease   time.Duration                   // default 2m
	Backoff func(attempt int) time.Duration // wait after failed attempt n; default DefaultBackoff

	once   sync.Once
	worker string
}

// DefaultBackoff waits 30s·2^(attempt-1), at most an hour, give or take 10%
// so that jobs failing together do not all come back in the same instant.
func DefaultBackoff(attempt int) time.Duration {
	d := time.Hour
	if attempt < 1 {
		attempt = 1
	}
	if attempt <= 8 { // 30s·2^7 = 64 min already passes the cap
		d = min(30*time.Second<<(attempt-1), time.Hour)
	}
	return time.Duration(float64(d) * (0.9 + 0.2*rand.Float64()))
}

func (r *Runner) name() string {
	r.once.Do(func() {
		r.worker = r.Worker
		if r.worker == "" {
			host, _ := os.Hostname()
			b := make([]byte, 4)
			crand.Read(b)
			r.worker = fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
		}
	})
	return r.worker
}

func (r *Runner) log() *slog.Logger {
	if r.Log != nil {
		return r.Log
	}
	return slog.Default()
}

func (r *Runner) lease() time.Duration {
	if r.Lease > 0 {
		return r.Lease
	}
	return DefaultLease
}

func (r *Runner) kinds() []string {
	ks := make([]string, 0, len(r.Handlers))
	for k := range r.Handlers {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Run runs due jobs until ctx ends, then returns nil. Errors of the queue
// itself (the database unreachable) are logged and retried after Poll.
func (r *Runner) Run(ctx context.Context) error {
	poll := r.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	for {
		ran, err := r.RunOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			r.log().Error("jobs: queue error", "worker", r.name(), "err", err)
		}
		if ran && err == nil {
			continue // more may be due: no pause while there is work
		}
		t := time.NewTimer(poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// RunOnce claims one due job and runs it, reporting false when none was
// due. A failing handler is recorded on the job (retry or dead), not
// returned; the error is the queue's own (claiming or recording failed).
func (r *Runner) RunOnce(ctx context.Context) (bool, error) {
	kinds := r.kinds()
	if len(kinds) == 0 {
		return false, nil
	}
	worker, lease := r.name(), r.lease()
	j, err := r.DB.ClaimJob(ctx, worker, lease, kinds)
	if errs.Is(err, errs.NotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	log := r.log().With("job_id", j.ID, "kind", j.Kind, "attempt", j.Attempts, "org_id", j.OrgID, "worker", worker)
	start := time.Now()
	herr := r.call(ctx, j, lease-lease/10, log)

	// Record the outcome even when ctx ended (shutdown) during the job.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if herr == nil {
		if err := r.DB.FinishJob(rctx, j.ID, worker); err != nil {
			return true, err
		}
		log.Info("jobs: done", "ms", time.Since(start).Milliseconds())
		return true, nil
	}
	now := r.DB.Now()
	retryAt := now.Add(r.backoff(j.Attempts))
	if ctx.Err() != nil {
		retryAt = now // stopped by shutdown, not by the job: due again at once
	}
	if err := r.DB.FailJob(rctx, j.ID, worker, herr.Error(), retryAt); err != nil {
		return true, err
	}
	if j.Attempts >= j.MaxAttempts {
		log.Error("jobs: failed for the last time; dead until an owner retries it", "err", herr)
	} else {
		log.Warn("jobs: failed; will retry", "err", herr, "retry_at", retryAt)
	}
	return true, nil
}

func (r *Runner) backoff(attempt int) time.Duration {
	if r.Backoff != nil {
		return r.Backoff(attempt)
	}
	return DefaultBackoff(attempt)
}

// call runs the handler of j with a timeout, turning a panic into an error
// so a broken handler fails its job instead of the server.
func (r *Runner) call(ctx context.Context, j *store.Job, timeout time.Duration, log *slog.Logger) (err error) {
	h := r.Handlers[j.Kind]
	if h == nil {
		return fmt.Errorf("no handler for jobs of kind %q", j.Kind)
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			log.Error("jobs: handler panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			err = errs.E(errs.Internal, "The job's handler failed unexpectedly (a panic); the server log has the details.")
		}
	}()
	if err := h(ctx, j); err != nil {
		if ctx.Err() == context.DeadlineExceeded && timeout > 0 {
			return fmt.Errorf("stopped after %s, before its lease ran out: %w", timeout, err)
		}
		return err
	}
	return nil
}

// Enqueue adds a job of kind for orgID (0: none) with payload encoded as
// JSON, due at runAt (zero: now). A non-empty dedupe key makes it the only
// job with that key: false, and no error, when one exists. tx may be the
// caller's transaction (nil: on its own).
func Enqueue(ctx context.Context, db *store.DB, tx *sql.Tx, orgID int64, kind string, payload any, runAt time.Time, dedupe string) (bool, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return false, errs.Wrap(errs.Internal, err, "The job's payload cannot be stored.")
	}
	return db.EnqueueJob(ctx, tx, &store.Job{OrgID: orgID, Kind: kind, Payload: b, RunAt: runAt, DedupeKey: dedupe})
}
