package schedule

import (
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// MaxRecurWeeks bounds a series: a plan of care is re-evaluated well within
// a year, and a longer series would mostly be cancelled later.
const MaxRecurWeeks = 52

// Recurrence describes a series in local time: on each of Weekdays at
// Minute (after local midnight), for Weeks weeks starting the week of First
// (dates before First are skipped), at most Count occurrences (0: no limit).
// Weeks run Monday to Sunday (ISO 8601), as a clinic's week does.
type Recurrence struct {
	Zone     *time.Location
	First    string // YYYY-MM-DD
	Weekdays []time.Weekday
	Minute   int
	Weeks    int
	Count    int
}

// Validate checks a series before its dates are generated.
func (r Recurrence) Validate() error {
	f := errs.FieldErrors{}
	if r.Zone == nil {
		f.Add("zone", "Choose the location, so the series has a time zone.")
	}
	if _, err := time.Parse(time.DateOnly, r.First); err != nil {
		f.Add("first", "Enter the first date as YYYY-MM-DD.")
	}
	if len(r.Weekdays) == 0 {
		f.Add("weekdays", "Choose at least one day of the week.")
	}
	for _, d := range r.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			f.Add("weekdays", "Choose days from Sunday to Saturday.")
		}
	}
	if r.Minute < 0 || r.Minute >= 1440 || r.Minute%5 != 0 {
		f.Add("minute", "Choose a time from 00:00 to 23:55, on a five-minute mark.")
	}
	if r.Weeks < 1 || r.Weeks > MaxRecurWeeks {
		f.Add("weeks", "Choose 1 to 52 weeks.")
	}
	if r.Count < 0 {
		f.Add("count", "Choose how many appointments, or 0 for every date.")
	}
	return f.Err()
}

// Starts lists the instants of the series in order, or nil when Validate
// fails. Each is Minute after local midnight of its date, so 09:00 stays
// 09:00 local across a daylight-saving change (the instants then lie 7
// days plus or minus an hour apart). A time that a change skips (02:30 on
// a spring-forward night) comes out as the instant Go's time.Date picks
// for it, an hour later or earlier.
func (r Recurrence) Starts() []time.Time {
	if r.Validate() != nil {
		return nil
	}
	first, _ := time.Parse(time.DateOnly, r.First)
	// Monday of First's week; the week offsets below count from Monday.
	monday := first.AddDate(0, 0, -isoIndex(first.Weekday()))
	days := make([]int, 0, 7)
	for _, d := range r.Weekdays {
		if i := isoIndex(d); !slices.Contains(days, i) {
			days = append(days, i)
		}
	}
	slices.Sort(days)
	var out []time.Time
	for w := 0; w < r.Weeks; w++ {
		for _, i := range days {
			day := monday.AddDate(0, 0, 7*w+i)
			if day.Before(first) {
				continue
			}
			y, m, d := day.Date()
			out = append(out, time.Date(y, m, d, 0, r.Minute, 0, 0, r.Zone))
			if r.Count > 0 && len(out) == r.Count {
				return out
			}
		}
	}
	return out
}

// isoIndex numbers weekdays from Monday (0) to Sunday (6).
func isoIndex(d time.Weekday) int { return (int(d) + 6) % 7 }

// DefaultWeekdays spreads perWeek visits over the week as a clinic would:
// 1 → Mon; 2 → Mon, Thu; 3 → Mon, Wed, Fri; 4 → Mon, Tue, Thu, Fri;
// 5 → Mon–Fri; 6 → Mon–Sat; 7 (or more) → every day; nil below 1.
func DefaultWeekdays(perWeek int) []time.Weekday {
	const (
		mo, tu, we, th, fr, sa, su = time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday
	)
	switch {
	case perWeek < 1:
		return nil
	case perWeek == 1:
		return []time.Weekday{mo}
	case perWeek == 2:
		return []time.Weekday{mo, th}
	case perWeek == 3:
		return []time.Weekday{mo, we, fr}
	case perWeek == 4:
		return []time.Weekday{mo, tu, th, fr}
	case perWeek == 5:
		return []time.Weekday{mo, tu, we, th, fr}
	case perWeek == 6:
		return []time.Weekday{mo, tu, we, th, fr, sa}
	}
	return []time.Weekday{mo, tu, we, th, fr, sa, su}
}
