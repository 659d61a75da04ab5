package auth

import "time"

// Exhausted reports whether the next event for key at now would be refused,
// without counting one. Sign-in asks this first and counts only failures, so
// a clinic whose staff share one address is not throttled for signing in.
func (l *Limiter) Exhausted(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	tat, known := l.tat[key]
	if !known || tat.Before(now) {
		return false
	}
	return tat.Add(l.interval).Sub(now) > l.window
}
