package care

import (
	"fmt"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/clinic"
)

// When a plan of care names no interval, a progress note (re-evaluation) is
// due every DefaultReevalVisits signed visits or DefaultReevalDays days,
// whichever comes first (issue #6).
const (
	DefaultReevalVisits = 10
	DefaultReevalDays   = 30
)

// PlanVisits is what has happened under one plan of care since its last
// progress note (or its start): counting is per plan, not per client.
type PlanVisits struct {
	Since string // YYYY-MM-DD: the last signed progress note's date, or the plan's start
	Count int    // signed daily notes since then
}

// ProgressDue says whether the next session under plan p must start with a
// progress note, and why: the plan's visit interval is reached, its day
// interval has passed, or the prescription it rests on has expired (or is
// not on file). today is the session's date (YYYY-MM-DD); ps are the
// client's prescriptions, newest first.
func ProgressDue(p *assess.Plan, v PlanVisits, today string, ps []Prescription) (bool, string) {
	visits, days := p.ReevalVisits, p.ReevalDays
	if visits == 0 && days == 0 {
		visits, days = DefaultReevalVisits, DefaultReevalDays
	}
	if p.PrescriptionID != 0 {
		var rx *Prescription
		for i := range ps {
			if ps[i].ID == p.PrescriptionID {
				rx = &ps[i]
			}
		}
		switch {
		case rx == nil:
			return true, "The prescription this plan of care rests on is not on file; write a progress note and ask the physician for a new one."
		case rx.ExpiresOn != "" && rx.ExpiresOn < today && InForce(ps, today) == nil:
			return true, fmt.Sprintf("The prescription expired on %s; write a progress note for the physician before treating further.", usDate(rx.ExpiresOn))
		}
	}
	if visits > 0 && v.Count >= visits {
		return true, fmt.Sprintf("%d visits since %s: the plan asks for a progress note every %d visits.", v.Count, usDate(v.Since), visits)
	}
	if days > 0 && v.Since != "" {
		from, err1 := time.Parse(clinic.DateLayout, v.Since)
		to, err2 := time.Parse(clinic.DateLayout, today)
		if err1 == nil && err2 == nil {
			if n := int(to.Sub(from).Hours() / 24); n >= days {
				return true, fmt.Sprintf("%d days since %s: the plan asks for a progress note every %d days.", n, usDate(v.Since), days)
			}
		}
	}
	return false, ""
}
