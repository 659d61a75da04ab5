package auth

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestLimiterBurstAndRefill(t *testing.T) {
	l := NewLimiter(3, time.Minute) // one event per 20 s once the burst is spent
	for i := range 3 {
		if !l.Allow("1.2.3.4", t0) {
			t.Fatalf("event %d of the burst refused", i+1)
		}
	}
	if l.Allow("1.2.3.4", t0) {
		t.Fatal("fourth event at once allowed")
	}
	if l.Allow("1.2.3.4", t0.Add(19*time.Second)) {
		t.Fatal("allowed before a token refilled")
	}
	if !l.Allow("1.2.3.4", t0.Add(20*time.Second)) {
		t.Fatal("refused after a token refilled")
	}
	if l.Allow("1.2.3.4", t0.Add(20*time.Second)) {
		t.Fatal("one refilled token allowed twice")
	}
	// A full window after the last event the whole burst is back.
	later := t0.Add(20*time.Second + time.Minute)
	for i := range 3 {
		if !l.Allow("1.2.3.4", later) {
			t.Fatalf("event %d after full refill refused", i+1)
		}
	}
	if l.Allow("1.2.3.4", later) {
		t.Fatal("burst exceeded after refill")
	}
}

func TestLimiterKeysIndependent(t *testing.T) {
	l := NewLimiter(1, time.Minute)
	if !l.Allow("a", t0) || l.Allow("a", t0) {
		t.Fatal("key a: want one allowed, then refused")
	}
	if !l.Allow("b", t0) {
		t.Fatal("key b throttled by key a")
	}
}

func TestLimiterRefusalsNotCounted(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	for range 3 {
		l.Allow("k", t0)
	}
	for i := range 100 {
		if l.Allow("k", t0.Add(time.Duration(i)*100*time.Millisecond)) {
			t.Fatalf("attempt %d allowed while throttled", i)
		}
	}
	if !l.Allow("k", t0.Add(20*time.Second)) {
		t.Fatal("refused attempts pushed back the refill")
	}
}

func TestLimiterUnevenWindow(t *testing.T) {
	l := NewLimiter(7, time.Minute)
	n := 0
	for range 20 {
		if l.Allow("k", t0) {
			n++
		}
	}
	if n != 7 {
		t.Fatalf("burst = %d, want 7", n)
	}
}

func TestLimiterClockBackwards(t *testing.T) {
	l := NewLimiter(2, time.Minute)
	l.Allow("k", t0)
	l.Allow("k", t0)
	if l.Allow("k", t0.Add(-time.Hour)) {
		t.Fatal("an earlier time reset the bucket")
	}
	if !l.Allow("k", t0.Add(30*time.Second)) {
		t.Fatal("refused after refill")
	}
}

func TestLimiterForgetsRefilledKeys(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	for i := range 500 {
		l.Allow(fmt.Sprint("10.0.0.", i), t0)
	}
	l.Allow("busy", t0.Add(50*time.Second))
	l.Allow("busy", t0.Add(50*time.Second))
	if len(l.tat) != 501 {
		t.Fatalf("len = %d, want 501", len(l.tat))
	}
	// A window later the periodic sweep drops every refilled key.
	l.Allow("new", t0.Add(time.Minute))
	if len(l.tat) != 2 {
		t.Fatalf("after sweep len = %d, want 2 (busy and new)", len(l.tat))
	}
	if _, ok := l.tat["busy"]; !ok {
		t.Fatal("sweep dropped a key still throttled")
	}
}

func TestLimiterCap(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	l.maxKeys = 10
	for range 3 {
		l.Allow("heavy", t0)
	}
	for i := range 9 {
		l.Allow(fmt.Sprint("k", i), t0)
	}
	if len(l.tat) != 10 {
		t.Fatalf("len = %d, want 10", len(l.tat))
	}
	// The table is full of throttled keys; a new key makes room by dropping
	// the key nearest to refilled, never the exhausted one.
	now := t0.Add(time.Second)
	if !l.Allow("new", now) {
		t.Fatal("new key refused")
	}
	if len(l.tat) > 10 {
		t.Fatalf("len = %d, over the cap", len(l.tat))
	}
	if l.Allow("heavy", now) {
		t.Fatal("eviction freed the exhausted key")
	}
	for i := range 1000 {
		l.Allow(fmt.Sprint("flood", i), now.Add(time.Duration(i)*time.Millisecond))
		if len(l.tat) > 10 {
			t.Fatalf("len = %d after %d new keys, over the cap", len(l.tat), i+1)
		}
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(100, time.Hour)
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 1000 {
				if l.Allow("shared", t0) {
					allowed.Add(1)
				}
				l.Allow(fmt.Sprint(g, "-", i), t0)
			}
		})
	}
	wg.Wait()
	if n := allowed.Load(); n != 100 {
		t.Fatalf("allowed %d, want 100", n)
	}
}

func TestNewLimiterPanics(t *testing.T) {
	for _, c := range []struct {
		max    int
		window time.Duration
	}{{0, time.Minute}, {-1, time.Minute}, {5, 0}, {5, -time.Second}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewLimiter(%d, %v) did not panic", c.max, c.window)
				}
			}()
			NewLimiter(c.max, c.window)
		}()
	}
}

func TestExhaustedDoesNotCount(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	now := time.Unix(1_000_000, 0)
	for i := 0; i < 10; i++ {
		if l.Exhausted("a", now) {
			t.Fatal("peeking used up the allowance")
		}
	}
	for i := 0; i < 3; i++ {
		if !l.Allow("a", now) {
			t.Fatalf("event %d refused", i)
		}
	}
	if !l.Exhausted("a", now) {
		t.Fatal("not exhausted after max events")
	}
	if l.Exhausted("a", now.Add(time.Minute)) {
		t.Fatal("still exhausted after the window")
	}
}
