package auth

import (
	"slices"
	"sync"
	"time"
)

// maxLimiterKeys bounds how many keys a Limiter remembers.
const maxLimiterKeys = 100_000

// A Limiter allows each key at most max events per window, in memory and safe
// for concurrent use. Sign-in uses one keyed by source address.
//
// It is a token bucket holding max tokens that refill at an even rate of max
// per window, kept in the GCRA form: one time per key, the "theoretical
// arrival time" at which the bucket would be full again. A key may therefore
// burst max times at once, and after that gets one more event every
// window/max. A key whose bucket has refilled is the same as a key never
// seen, so it is forgotten; when the table still reaches its cap, the keys
// nearest to full are dropped first.
type Limiter struct {
	mu        sync.Mutex
	window    time.Duration
	interval  time.Duration        // window / max: the cost of one event
	tat       map[string]time.Time // when each key's bucket is full again
	maxKeys   int
	lastSweep time.Time
}

// NewLimiter returns a Limiter allowing max events per window for each key.
// It panics if max or window is not positive.
func NewLimiter(max int, window time.Duration) *Limiter {
	if max <= 0 || window <= 0 {
		panic("auth: NewLimiter needs a positive max and window")
	}
	interval := window / time.Duration(max)
	if interval <= 0 {
		interval = 1
	}
	return &Limiter{
		window:   window,
		interval: interval,
		tat:      make(map[string]time.Time),
		maxKeys:  maxLimiterKeys,
	}
}

// Allow reports whether an event for key at time now is within the limit,
// and if so counts it. A refused event is not counted, so a key that keeps
// trying still regains one event every window/max. Times should come from
// one clock; a now earlier than a previous one is handled but not rewarded.
func (l *Limiter) Allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()

	if l.lastSweep.IsZero() {
		l.lastSweep = now
	} else if now.Sub(l.lastSweep) >= l.window {
		l.sweep(now)
	}

	tat, known := l.tat[key]
	if !known || tat.Before(now) {
		tat = now
	}
	next := tat.Add(l.interval)
	if next.Sub(now) > l.window {
		return false
	}
	if !known && len(l.tat) >= l.maxKeys {
		l.makeRoom(now)
	}
	l.tat[key] = next
	return true
}

// sweep forgets keys whose bucket is full again.
func (l *Limiter) sweep(now time.Time) {
	for k, t := range l.tat {
		if !t.After(now) {
			delete(l.tat, k)
		}
	}
	l.lastSweep = now
}

// makeRoom brings the table to 90% of its cap, so that it is not rebuilt on
// every new key while full. Refilled keys go first; if that is not enough,
// the keys nearest to refilled go next, which hands the fewest extra events
// to anyone.
func (l *Limiter) makeRoom(now time.Time) {
	l.sweep(now)
	target := l.maxKeys - l.maxKeys/10
	if target >= l.maxKeys {
		target = l.maxKeys - 1
	}
	excess := len(l.tat) - target
	if excess <= 0 {
		return
	}
	type entry struct {
		key string
		tat time.Time
	}
	all := make([]entry, 0, len(l.tat))
	for k, t := range l.tat {
		all = append(all, entry{k, t})
	}
	slices.SortFunc(all, func(a, b entry) int { return a.tat.Compare(b.tat) })
	for _, e := range all[:excess] {
		delete(l.tat, e.key)
	}
}
