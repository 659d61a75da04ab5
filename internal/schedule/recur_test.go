package schedule

import (
	"slices"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

func TestRecurrenceStarts(t *testing.T) {
	chi := zone(t, "America/Chicago")
	cases := []struct {
		name string
		r    Recurrence
		want []string // local "2006-01-02 Mon 15:04"
	}{
		{"twice a week for six weeks", Recurrence{Zone: chi, First: "2026-05-04", Weekdays: DefaultWeekdays(2), Minute: 600, Weeks: 6},
			[]string{
				"2026-05-04 Mon 10:00", "2026-05-07 Thu 10:00", "2026-05-11 Mon 10:00", "2026-05-14 Thu 10:00",
				"2026-05-18 Mon 10:00", "2026-05-21 Thu 10:00", "2026-05-25 Mon 10:00", "2026-05-28 Thu 10:00",
				"2026-06-01 Mon 10:00", "2026-06-04 Thu 10:00", "2026-06-08 Mon 10:00", "2026-06-11 Thu 10:00",
			}},
		{"first date mid-week skips the days before it", Recurrence{Zone: chi, First: "2026-05-06", Weekdays: []time.Weekday{time.Thursday, time.Monday}, Minute: 540, Weeks: 2},
			[]string{"2026-05-07 Thu 09:00", "2026-05-11 Mon 09:00", "2026-05-14 Thu 09:00"}},
		{"Sunday belongs to the week it ends", Recurrence{Zone: chi, First: "2026-05-04", Weekdays: []time.Weekday{time.Sunday}, Minute: 540, Weeks: 2},
			[]string{"2026-05-10 Sun 09:00", "2026-05-17 Sun 09:00"}},
		{"count caps the series", Recurrence{Zone: chi, First: "2026-05-04", Weekdays: DefaultWeekdays(3), Minute: 540, Weeks: 6, Count: 4},
			[]string{"2026-05-04 Mon 09:00", "2026-05-06 Wed 09:00", "2026-05-08 Fri 09:00", "2026-05-11 Mon 09:00"}},
		{"repeated weekdays count once", Recurrence{Zone: chi, First: "2026-05-04", Weekdays: []time.Weekday{time.Monday, time.Monday}, Minute: 540, Weeks: 2},
			[]string{"2026-05-04 Mon 09:00", "2026-05-11 Mon 09:00"}},
		{"across a year's end", Recurrence{Zone: chi, First: "2026-12-28", Weekdays: []time.Weekday{time.Friday}, Minute: 1435, Weeks: 2},
			[]string{"2027-01-01 Fri 23:55", "2027-01-08 Fri 23:55"}},
		{"invalid gives nothing", Recurrence{Zone: chi, First: "2026-05-04", Weekdays: DefaultWeekdays(2), Minute: 540, Weeks: 0}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range c.r.Starts() {
				got = append(got, s.In(chi).Format("2006-01-02 Mon 15:04"))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
}

// 09:00 local stays 09:00 local across a change, so the instants of a
// weekly series lie 7 days minus (spring) or plus (autumn) an hour apart.
func TestRecurrenceDaylightSaving(t *testing.T) {
	cases := []struct {
		zone, first string
		wd          time.Weekday
		wantUTC     []string
		gaps        []time.Duration
	}{
		{"America/New_York", "2026-03-02", time.Monday, // change on Sunday 2026-03-08
			[]string{"2026-03-02T14:00:00Z", "2026-03-09T13:00:00Z", "2026-03-16T13:00:00Z"},
			[]time.Duration{7*24*time.Hour - time.Hour, 7 * 24 * time.Hour}},
		{"America/New_York", "2026-10-26", time.Monday, // change on Sunday 2026-11-01
			[]string{"2026-10-26T13:00:00Z", "2026-11-02T14:00:00Z", "2026-11-09T14:00:00Z"},
			[]time.Duration{7*24*time.Hour + time.Hour, 7 * 24 * time.Hour}},
		{"Australia/Sydney", "2026-03-30", time.Monday, // daylight time ends Sunday 2026-04-05
			[]string{"2026-03-29T22:00:00Z", "2026-04-05T23:00:00Z", "2026-04-12T23:00:00Z"},
			[]time.Duration{7*24*time.Hour + time.Hour, 7 * 24 * time.Hour}},
		{"Australia/Sydney", "2026-09-28", time.Monday, // daylight time starts Sunday 2026-10-04
			[]string{"2026-09-27T23:00:00Z", "2026-10-04T22:00:00Z", "2026-10-11T22:00:00Z"},
			[]time.Duration{7*24*time.Hour - time.Hour, 7 * 24 * time.Hour}},
	}
	for _, c := range cases {
		t.Run(c.zone+" "+c.first, func(t *testing.T) {
			z := zone(t, c.zone)
			got := Recurrence{Zone: z, First: c.first, Weekdays: []time.Weekday{c.wd}, Minute: 540, Weeks: 3}.Starts()
			if len(got) != 3 {
				t.Fatalf("got %d starts", len(got))
			}
			for i, s := range got {
				if l := s.In(z).Format("15:04"); l != "09:00" {
					t.Errorf("start %d at %s local, want 09:00", i, l)
				}
				if u := s.UTC().Format(time.RFC3339); u != c.wantUTC[i] {
					t.Errorf("start %d = %s, want %s", i, u, c.wantUTC[i])
				}
				if i > 0 && s.Sub(got[i-1]) != c.gaps[i-1] {
					t.Errorf("gap %d = %v, want %v", i, s.Sub(got[i-1]), c.gaps[i-1])
				}
			}
		})
	}
}

func TestRecurrenceValidate(t *testing.T) {
	ok := Recurrence{Zone: time.UTC, First: "2026-05-04", Weekdays: []time.Weekday{time.Monday}, Minute: 540, Weeks: 6}
	cases := []struct {
		name  string
		edit  func(r *Recurrence)
		field string
	}{
		{"valid", func(r *Recurrence) {}, ""},
		{"52 weeks", func(r *Recurrence) { r.Weeks = 52 }, ""},
		{"no zone", func(r *Recurrence) { r.Zone = nil }, "zone"},
		{"bad date", func(r *Recurrence) { r.First = "2026-02-30" }, "first"},
		{"no date", func(r *Recurrence) { r.First = "" }, "first"},
		{"no weekdays", func(r *Recurrence) { r.Weekdays = nil }, "weekdays"},
		{"weekday out of range", func(r *Recurrence) { r.Weekdays = []time.Weekday{7} }, "weekdays"},
		{"minute negative", func(r *Recurrence) { r.Minute = -5 }, "minute"},
		{"minute off the grid", func(r *Recurrence) { r.Minute = 542 }, "minute"},
		{"minute past the day", func(r *Recurrence) { r.Minute = 1440 }, "minute"},
		{"no weeks", func(r *Recurrence) { r.Weeks = 0 }, "weeks"},
		{"53 weeks", func(r *Recurrence) { r.Weeks = 53 }, "weeks"},
		{"negative count", func(r *Recurrence) { r.Count = -1 }, "count"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := ok
			c.edit(&r)
			checkField(t, r.Validate(), c.field)
		})
	}
}

// checkField asserts err is nil (field "") or an Invalid error with a
// message for field.
func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Errorf("unexpected error: %v (%v)", err, errs.FieldsOf(err))
		}
		return
	}
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("error = %v, want invalid", err)
	}
	if msg := errs.FieldsOf(err)[field]; msg == "" {
		t.Errorf("no message for %q; fields: %v", field, errs.FieldsOf(err))
	}
}

func TestDefaultWeekdays(t *testing.T) {
	const mo, tu, we, th, fr, sa, su = time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday
	cases := []struct {
		n    int
		want []time.Weekday
	}{
		{-1, nil}, {0, nil},
		{1, []time.Weekday{mo}},
		{2, []time.Weekday{mo, th}},
		{3, []time.Weekday{mo, we, fr}},
		{4, []time.Weekday{mo, tu, th, fr}},
		{5, []time.Weekday{mo, tu, we, th, fr}},
		{6, []time.Weekday{mo, tu, we, th, fr, sa}},
		{7, []time.Weekday{mo, tu, we, th, fr, sa, su}},
		{10, []time.Weekday{mo, tu, we, th, fr, sa, su}},
	}
	for _, c := range cases {
		if got := DefaultWeekdays(c.n); !slices.Equal(got, c.want) {
			t.Errorf("DefaultWeekdays(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}
