package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/jobs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// syncBuffer is a log sink several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// clock is a test clock for db.Now, safe to read from the runner.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func fakeClock(db *store.DB) *clock {
	c := &clock{t: time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)}
	db.Now = c.now
	return c
}

func job(t *testing.T, db *store.DB, id int64) *store.Job {
	t.Helper()
	j, err := db.Job(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// counter counts executions per job.
type counter struct {
	mu sync.Mutex
	n  map[int64]int
}

func (c *counter) handler(ctx context.Context, j *store.Job) error {
	c.mu.Lock()
	c.n[j.ID]++
	c.mu.Unlock()
	time.Sleep(time.Millisecond) // a little work, so runners overlap
	return nil
}

// runAll starts one runner per handle in handles (several may share one)
// and waits until every one of n jobs is done, then stops them.
func runAll(t *testing.T, handles []*store.DB, n int, c *counter) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, db := range handles {
		r := &jobs.Runner{DB: db, Log: quiet, Worker: fmt.Sprintf("runner-%d", i), Poll: 5 * time.Millisecond,
			Handlers: map[string]jobs.Handler{"reminder": c.handler}}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := r.Run(ctx); err != nil {
				t.Errorf("runner %d: %v", i, err)
			}
		}()
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		counts, err := handles[0].JobCounts(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if counts[store.JobDone] == n {
			break
		}
		if time.Now().After(deadline) {
			cancel()
			wg.Wait()
			t.Fatalf("not all jobs done in time: %v", counts)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	wg.Wait()
}

func enqueueMany(t *testing.T, db *store.DB, n int) []int64 {
	t.Helper()
	ids := make([]int64, 0, n)
	for i := range n {
		j := &store.Job{OrgID: 1, Kind: "reminder", Payload: []byte(fmt.Sprintf(`{"n":%d}`, i))}
		if ok, err := db.EnqueueJob(context.Background(), nil, j); !ok || err != nil {
			t.Fatalf("enqueue %d: %v %v", i, ok, err)
		}
		ids = append(ids, j.ID)
	}
	return ids
}

func checkOnce(t *testing.T, ids []int64, c *counter) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		if c.n[id] != 1 {
			t.Errorf("job %d ran %d times", id, c.n[id])
		}
	}
	if len(c.n) != len(ids) {
		t.Errorf("%d distinct jobs ran, want %d", len(c.n), len(ids))
	}
}

func TestEachJobRunsOnceWithFourRunners(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		const n = 300
		ids := enqueueMany(t, db, n)
		c := &counter{n: map[int64]int{}}
		runAll(t, []*store.DB{db, db, db, db}, n, c)
		checkOnce(t, ids, c)
	})
}

// Two server processes on one database: each has its own store.DB (its own
// connections), and still no job runs twice.
func TestEachJobRunsOnceAcrossTwoProcesses(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
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
			const n = 300
			ids := enqueueMany(t, dbs[0], n)
			c := &counter{n: map[int64]int{}}
			runAll(t, []*store.DB{dbs[0], dbs[1], dbs[0], dbs[1]}, n, c)
			checkOnce(t, ids, c)
			// Both processes did some of the work.
			byWorker := map[string]int{}
			js, err := dbs[1].Jobs(context.Background(), store.JobFilter{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			for _, j := range js {
				if j.Status != store.JobDone || j.Attempts != 1 {
					t.Errorf("job %d: %s after %d attempts", j.ID, j.Status, j.Attempts)
				}
				byWorker[j.LockedBy]++ // cleared when done
			}
			if byWorker[""] != n {
				t.Errorf("locks left behind: %v", byWorker)
			}
		})
	}
}

func TestFailingJobBacksOffThenDies(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := fakeClock(db)
		logs := &syncBuffer{}
		calls := 0
		r := &jobs.Runner{DB: db, Log: slog.New(slog.NewTextHandler(logs, nil)), Worker: "w1",
			Backoff:  func(attempt int) time.Duration { return time.Duration(attempt) * time.Minute },
			Handlers: map[string]jobs.Handler{"reminder": func(ctx context.Context, j *store.Job) error { calls++; return errors.New("mail server unavailable") }}}
		if ok, err := jobs.Enqueue(ctx, db, nil, 1, "reminder", map[string]int{"appointment_id": 42}, time.Time{}, ""); !ok || err != nil {
			t.Fatal(ok, err)
		}
		id := mustOnlyJob(t, db)
		for attempt := 1; attempt <= store.DefaultMaxAttempts; attempt++ {
			if ran, err := r.RunOnce(ctx); !ran || err != nil {
				t.Fatalf("attempt %d: ran %v, %v", attempt, ran, err)
			}
			j := job(t, db, id)
			if j.Attempts != attempt || j.LastError != "mail server unavailable" {
				t.Fatalf("attempt %d: %+v", attempt, j)
			}
			if attempt == store.DefaultMaxAttempts {
				if j.Status != store.JobDead {
					t.Fatalf("after the last attempt: %s", j.Status)
				}
				break
			}
			wantRun := clk.now().Add(time.Duration(attempt) * time.Minute)
			if j.Status != store.JobFailed || !j.RunAt.Equal(wantRun) {
				t.Fatalf("attempt %d: %s, due %v; want failed, due %v", attempt, j.Status, j.RunAt, wantRun)
			}
			clk.add(time.Duration(attempt)*time.Minute - time.Second)
			if ran, _ := r.RunOnce(ctx); ran {
				t.Fatalf("attempt %d: retried before its backoff ended", attempt)
			}
			clk.add(time.Second)
		}
		clk.add(24 * time.Hour)
		if ran, _ := r.RunOnce(ctx); ran || calls != store.DefaultMaxAttempts {
			t.Fatalf("a dead job ran again (%d calls)", calls)
		}
		out := logs.String()
		for _, want := range []string{fmt.Sprintf("job_id=%d", id), "kind=reminder", "attempt=5", `err="mail server unavailable"`, "dead until an owner retries it"} {
			if !strings.Contains(out, want) {
				t.Errorf("log lacks %q:\n%s", want, out)
			}
		}
		// The owner sends it back; this time it works.
		if err := db.RetryJob(ctx, 1, id); err != nil {
			t.Fatal(err)
		}
		r.Handlers["reminder"] = func(context.Context, *store.Job) error { return nil }
		if ran, err := r.RunOnce(ctx); !ran || err != nil || job(t, db, id).Status != store.JobDone {
			t.Fatalf("after retry: %v %v %+v", ran, err, job(t, db, id))
		}
	})
}

func mustOnlyJob(t *testing.T, db *store.DB) int64 {
	t.Helper()
	js, err := db.Jobs(context.Background(), store.JobFilter{})
	if err != nil || len(js) != 1 {
		t.Fatalf("jobs %v, %v", js, err)
	}
	return js[0].ID
}

func TestPanicFailsTheJobNotTheRunner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		logs := &syncBuffer{}
		r := &jobs.Runner{DB: db, Log: slog.New(slog.NewTextHandler(logs, nil)), Handlers: map[string]jobs.Handler{
			"broken": func(context.Context, *store.Job) error { var m map[string]int; m["x"] = 1; return nil },
			"fine":   func(context.Context, *store.Job) error { return nil },
		}}
		jobs.Enqueue(ctx, db, nil, 0, "broken", nil, time.Now().Add(-time.Minute), "")
		jobs.Enqueue(ctx, db, nil, 0, "fine", nil, time.Time{}, "")
		for range 2 {
			if ran, err := r.RunOnce(ctx); !ran || err != nil {
				t.Fatalf("ran %v, %v", ran, err)
			}
		}
		js, _ := db.Jobs(ctx, store.JobFilter{})
		for _, j := range js {
			switch j.Kind {
			case "broken":
				if j.Status != store.JobFailed || !strings.Contains(j.LastError, "panic") {
					t.Errorf("panicking job: %s %q", j.Status, j.LastError)
				}
			case "fine":
				if j.Status != store.JobDone {
					t.Errorf("the job after the panic: %s", j.Status)
				}
			}
		}
		if !strings.Contains(logs.String(), "assignment to entry in nil map") {
			t.Errorf("the panic is not in the log:\n%s", logs.String())
		}
		// The worker name was made up once and is host:pid:random.
		if w := js[0].LockedBy; w != "" {
			t.Errorf("lock left: %q", w)
		}
	})
}

func TestExpiredLeaseIsTakenOverByARunner(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := fakeClock(db)
		jobs.Enqueue(ctx, db, nil, 0, "reminder", nil, time.Time{}, "")
		if _, err := db.ClaimJob(ctx, "crashed-process", 2*time.Minute, nil); err != nil {
			t.Fatal(err)
		}
		var seen []int
		r := &jobs.Runner{DB: db, Log: quiet, Worker: "survivor", Handlers: map[string]jobs.Handler{
			"reminder": func(_ context.Context, j *store.Job) error { seen = append(seen, j.Attempts); return nil }}}
		if ran, _ := r.RunOnce(ctx); ran {
			t.Fatal("took a job over while its lease held")
		}
		clk.add(2*time.Minute + time.Millisecond)
		if ran, err := r.RunOnce(ctx); !ran || err != nil {
			t.Fatalf("take-over: %v %v", ran, err)
		}
		if len(seen) != 1 || seen[0] != 2 {
			t.Fatalf("handler saw attempts %v, want [2]", seen)
		}
		if j := job(t, db, mustOnlyJob(t, db)); j.Status != store.JobDone {
			t.Fatalf("%+v", j)
		}
	})
}

func TestEnqueueDedupesAndEncodesPayload(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		type reminder struct {
			AppointmentID int64 `json:"appointment_id"`
		}
		for i, want := range []bool{true, false, false} {
			ok, err := jobs.Enqueue(ctx, db, nil, 9, "reminder", reminder{42}, time.Time{}, "reminder:42")
			if err != nil || ok != want {
				t.Fatalf("enqueue %d: %v %v, want %v", i, ok, err, want)
			}
		}
		var got reminder
		r := &jobs.Runner{DB: db, Log: quiet, Handlers: map[string]jobs.Handler{"reminder": func(_ context.Context, j *store.Job) error {
			return json.Unmarshal(j.Payload, &got)
		}}}
		if ran, err := r.RunOnce(ctx); !ran || err != nil || got.AppointmentID != 42 {
			t.Fatalf("ran %v, %v, payload %+v", ran, err, got)
		}
		if ran, _ := r.RunOnce(ctx); ran {
			t.Fatal("a duplicate ran")
		}
		if _, err := jobs.Enqueue(ctx, db, nil, 9, "reminder", func() {}, time.Time{}, ""); err == nil {
			t.Fatal("a payload that is not JSON was enqueued")
		}
	})
}

// A handler that overruns is stopped before its lease ends, so no second
// runner can start the same job while the first still works on it.
func TestHandlerIsStoppedBeforeTheLeaseEnds(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	ctx := context.Background()
	jobs.Enqueue(ctx, db, nil, 0, "slow", nil, time.Time{}, "")
	var left time.Duration
	r := &jobs.Runner{DB: db, Log: quiet, Lease: 300 * time.Millisecond, Handlers: map[string]jobs.Handler{"slow": func(ctx context.Context, j *store.Job) error {
		dl, _ := ctx.Deadline()
		left = time.Until(dl)
		<-ctx.Done()
		return ctx.Err()
	}}}
	start := time.Now()
	if ran, err := r.RunOnce(ctx); !ran || err != nil {
		t.Fatal(ran, err)
	}
	if took := time.Since(start); took >= 300*time.Millisecond || left > 270*time.Millisecond+10*time.Millisecond {
		t.Errorf("handler ran %s with %s to its deadline; lease 300ms", took, left)
	}
	j := job(t, db, mustOnlyJob(t, db))
	if j.Status != store.JobFailed || !strings.Contains(j.LastError, "stopped after") {
		t.Fatalf("%s %q", j.Status, j.LastError)
	}
}

// Stopping the server interrupts the running job and puts it back as due.
func TestShutdownPutsTheRunningJobBack(t *testing.T) {
	db := testdb.Open(t, store.SQLite)
	jobs.Enqueue(context.Background(), db, nil, 0, "long", nil, time.Time{}, "")
	started := make(chan struct{})
	r := &jobs.Runner{DB: db, Log: quiet, Poll: 10 * time.Millisecond, Handlers: map[string]jobs.Handler{"long": func(ctx context.Context, j *store.Job) error {
		close(started)
		<-ctx.Done()
		return ctx.Err()
	}}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	<-started
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	j := job(t, db, mustOnlyJob(t, db))
	if j.Status != store.JobFailed || j.RunAt.After(time.Now()) {
		t.Fatalf("after shutdown: %s, due %v", j.Status, j.RunAt)
	}
}

func TestDefaultBackoff(t *testing.T) {
	cases := []struct {
		attempt int
		base    time.Duration
	}{
		{1, 30 * time.Second},
		{2, time.Minute},
		{3, 2 * time.Minute},
		{5, 8 * time.Minute},
		{7, 32 * time.Minute},
		{8, time.Hour}, // 64 minutes, capped
		{30, time.Hour},
		{1000, time.Hour},
	}
	for _, c := range cases {
		seen := map[time.Duration]bool{}
		for range 50 {
			d := jobs.DefaultBackoff(c.attempt)
			lo, hi := c.base*9/10, c.base*11/10
			if d < lo || d > hi {
				t.Fatalf("attempt %d: %s, want %s ±10%%", c.attempt, d, c.base)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("attempt %d: only %d different waits in 50: no jitter", c.attempt, len(seen))
		}
	}
}
