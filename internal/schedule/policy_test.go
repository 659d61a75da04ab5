package schedule

import (
	"testing"
	"time"
)

func TestCancelFee(t *testing.T) {
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	p := Policy{CancelWindowHours: 24, LateCancelFeeCents: 4000}
	// 09:00 EDT on the day New York springs forward: 24 hours before it is
	// 08:00 EST the day before, not 09:00.
	dstStart := time.Date(2026, 3, 8, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		p     Policy
		start time.Time // start when zero
		at    time.Time
		late  bool
		fee   int64
	}{
		{"two days ahead", p, time.Time{}, start.Add(-48 * time.Hour), false, 0},
		{"exactly at the window", p, time.Time{}, start.Add(-24 * time.Hour), false, 0},
		{"a second inside the window", p, time.Time{}, start.Add(-24*time.Hour + time.Second), true, 4000},
		{"an hour before", p, time.Time{}, start.Add(-time.Hour), true, 4000},
		{"after the start", p, time.Time{}, start.Add(time.Minute), true, 4000},
		{"late but no fee set", Policy{CancelWindowHours: 24}, time.Time{}, start.Add(-time.Hour), true, 0},
		{"no window: before the start is in time", Policy{LateCancelFeeCents: 4000}, time.Time{}, start.Add(-time.Minute), false, 0},
		{"no window: after the start is late", Policy{LateCancelFeeCents: 4000}, time.Time{}, start.Add(time.Minute), true, 4000},
		{"a negative fee charges nothing", Policy{CancelWindowHours: 24, LateCancelFeeCents: -5}, time.Time{}, start.Add(-time.Hour), true, 0},
		{"across a DST change the window is in real hours", Policy{CancelWindowHours: 24, LateCancelFeeCents: 1}, dstStart,
			dstStart.Add(-24*time.Hour + time.Minute), true, 1},
	}
	for _, c := range cases {
		s := start
		if !c.start.IsZero() {
			s = c.start
		}
		late, fee := CancelFee(c.p, s, c.at)
		if late != c.late || fee != c.fee {
			t.Errorf("%s: got late=%v fee=%d, want late=%v fee=%d", c.name, late, fee, c.late, c.fee)
		}
	}
}

func TestNoShowFee(t *testing.T) {
	for _, c := range []struct{ set, want int64 }{{0, 0}, {2500, 2500}, {-1, 0}} {
		if got := NoShowFee(Policy{NoShowFeeCents: c.set}); got != c.want {
			t.Errorf("NoShowFee(%d) = %d, want %d", c.set, got, c.want)
		}
	}
}

func TestPolicyValidate(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(p *Policy)
		field string
	}{
		{"the default", func(p *Policy) {}, ""},
		{"everything at the top", func(p *Policy) {
			*p = Policy{ReminderHours: 168, CancelWindowHours: 168, LateCancelFeeCents: 100000, NoShowFeeCents: 100000, HorizonDays: 365, MinNoticeHours: 168, SlotStep: 60}
		}, ""},
		{"everything at the bottom", func(p *Policy) { *p = Policy{HorizonDays: 1, SlotStep: 5} }, ""},
		{"reminder negative", func(p *Policy) { p.ReminderHours = -1 }, "reminder_hours"},
		{"reminder over a week", func(p *Policy) { p.ReminderHours = 169 }, "reminder_hours"},
		{"window over a week", func(p *Policy) { p.CancelWindowHours = 169 }, "cancel_window_hours"},
		{"window negative", func(p *Policy) { p.CancelWindowHours = -1 }, "cancel_window_hours"},
		{"late fee negative", func(p *Policy) { p.LateCancelFeeCents = -1 }, "late_cancel_fee_cents"},
		{"late fee too high", func(p *Policy) { p.LateCancelFeeCents = 100001 }, "late_cancel_fee_cents"},
		{"no-show fee too high", func(p *Policy) { p.NoShowFeeCents = 100001 }, "no_show_fee_cents"},
		{"no-show fee negative", func(p *Policy) { p.NoShowFeeCents = -1 }, "no_show_fee_cents"},
		{"horizon zero", func(p *Policy) { p.HorizonDays = 0 }, "horizon_days"},
		{"horizon over a year", func(p *Policy) { p.HorizonDays = 366 }, "horizon_days"},
		{"notice negative", func(p *Policy) { p.MinNoticeHours = -1 }, "min_notice_hours"},
		{"notice over a week", func(p *Policy) { p.MinNoticeHours = 169 }, "min_notice_hours"},
		{"step 25", func(p *Policy) { p.SlotStep = 25 }, "slot_step"},
		{"step 0", func(p *Policy) { p.SlotStep = 0 }, "slot_step"},
		{"step 45", func(p *Policy) { p.SlotStep = 45 }, "slot_step"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := DefaultPolicy
			c.edit(&p)
			checkField(t, p.Validate(), c.field)
		})
	}
}
