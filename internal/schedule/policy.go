package schedule

import (
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// SlotSteps are the steps between offered start times an owner may choose;
// each divides an hour, so starts line up with the clock on every day.
var SlotSteps = []int{5, 10, 15, 20, 30, 60}

// CancelFee says whether a cancellation at `at` of an appointment starting
// at start is late under p, and the fee. It is late when made less than
// CancelWindowHours before the start (exactly on the boundary is in time);
// with a window of 0 only a cancellation after the start is late.
func CancelFee(p Policy, start, at time.Time) (late bool, feeCents int64) {
	deadline := start.Add(-time.Duration(max(p.CancelWindowHours, 0)) * time.Hour)
	if !at.After(deadline) {
		return false, 0
	}
	return true, max(p.LateCancelFeeCents, 0)
}

// NoShowFee is what a missed appointment is charged under p.
func NoShowFee(p Policy) int64 { return max(p.NoShowFeeCents, 0) }

// Validate checks an owner's scheduling settings; the field names are the
// JSON names of Policy.
func (p *Policy) Validate() error {
	f := errs.FieldErrors{}
	if p.ReminderHours < 0 || p.ReminderHours > 168 {
		f.Add("reminder_hours", "Choose 0 (no reminders) to 168 hours (a week).")
	}
	if p.CancelWindowHours < 0 || p.CancelWindowHours > 168 {
		f.Add("cancel_window_hours", "Choose 0 to 168 hours (a week).")
	}
	if p.LateCancelFeeCents < 0 || p.LateCancelFeeCents > 100000 {
		f.Add("late_cancel_fee_cents", "Choose a fee from $0 to $1,000.")
	}
	if p.NoShowFeeCents < 0 || p.NoShowFeeCents > 100000 {
		f.Add("no_show_fee_cents", "Choose a fee from $0 to $1,000.")
	}
	if p.HorizonDays < 1 || p.HorizonDays > 365 {
		f.Add("horizon_days", "Choose 1 to 365 days.")
	}
	if p.MinNoticeHours < 0 || p.MinNoticeHours > 168 {
		f.Add("min_notice_hours", "Choose 0 to 168 hours (a week).")
	}
	if !slices.Contains(SlotSteps, p.SlotStep) {
		f.Add("slot_step", "Choose 5, 10, 15, 20, 30 or 60 minutes.")
	}
	return f.Err()
}
