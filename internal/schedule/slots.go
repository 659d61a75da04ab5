package schedule

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Availability is one therapist's time at one location, for open-slot search.
type Availability struct {
	TherapistID int64
	Hours       []Hours     // weekly hours at THIS location (other locations' rows must be ignored by the caller)
	Exceptions  []Exception // at this location: the exceptions of a date replace that date's weekly hours wholly; Start==End means off that day
	TimeOff     []TimeOff
	Busy        []Interval // time already taken by their appointments anywhere (already widened by the buffers)
}

// SlotQuery is what a client or the front desk asks of OpenSlots.
type SlotQuery struct {
	Zone         *time.Location // the location's time zone
	From, To     time.Time      // the window searched (instants)
	Now          time.Time
	MinNotice    time.Duration // no slot starts before Now+MinNotice
	Step         int           // minutes between offered starts, aligned to local midnight (e.g. 15 → :00 :15 :30 :45)
	Minutes      int           // the service's length
	BufferBefore int           // minutes kept free before
	BufferAfter  int           // minutes kept free after
}

// span is a half-open interval of Unix seconds; the slot search works on
// these rather than on time.Time to keep its inner loop cheap.
type span struct{ s, e int64 }

func floorSec(t time.Time) int64 { return t.Unix() }

func ceilSec(t time.Time) int64 {
	if t.Nanosecond() != 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// dayNumber is the civil date y-m-d counted in days from 1970-01-01.
func dayNumber(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

// datedException is an Exception with its date parsed once.
type datedException struct {
	day        int64
	start, end int
}

// dayPlan answers "which minutes of this local date are working hours".
type dayPlan struct {
	weekly [7][]span // minutes after midnight, per weekday
	exc    []datedException
}

func newDayPlan(hours []Hours, exc []Exception) *dayPlan {
	p := &dayPlan{}
	for _, h := range hours {
		if h.Weekday < time.Sunday || h.Weekday > time.Saturday {
			continue
		}
		if s, e, ok := clampMinutes(h.Start, h.End); ok {
			p.weekly[h.Weekday] = append(p.weekly[h.Weekday], span{int64(s), int64(e)})
		}
	}
	for i := range p.weekly {
		p.weekly[i] = mergeSpans(p.weekly[i])
	}
	for _, x := range exc {
		d, err := time.Parse(time.DateOnly, x.Date)
		if err != nil {
			continue // an unreadable date cannot name a day; Validate keeps them out
		}
		p.exc = append(p.exc, datedException{dayNumber(d.Date()), x.Start, x.End})
	}
	return p
}

func clampMinutes(s, e int) (int, int, bool) {
	s, e = max(s, 0), min(e, 1440)
	return s, e, s < e
}

// minutes lists the working minutes of day dn (weekday wd), merged: the
// exceptions of the date when there are any, the weekly hours otherwise.
func (p *dayPlan) minutes(dn int64, wd time.Weekday) []span {
	var out []span
	found := false
	for _, x := range p.exc {
		if x.day != dn {
			continue
		}
		found = true
		if s, e, ok := clampMinutes(x.start, x.end); ok {
			out = append(out, span{int64(s), int64(e)})
		}
	}
	if !found {
		return p.weekly[wd]
	}
	return mergeSpans(out)
}

// mergeSpans sorts and joins overlapping or touching spans, in place.
func mergeSpans(v []span) []span {
	if len(v) < 2 {
		return v
	}
	slices.SortFunc(v, func(a, b span) int { return cmp.Compare(a.s, b.s) })
	out := v[:1]
	for _, x := range v[1:] {
		last := &out[len(out)-1]
		if x.s <= last.e {
			last.e = max(last.e, x.e)
			continue
		}
		out = append(out, x)
	}
	return out
}

// subtract removes the spans of cut (sorted, merged) from v (sorted, merged)
// in one merge walk.
func subtract(v, cut []span) []span {
	if len(cut) == 0 {
		return v
	}
	out := make([]span, 0, len(v))
	j := 0
	for _, x := range v {
		for j < len(cut) && cut[j].e <= x.s {
			j++
		}
		s := x.s
		for k := j; k < len(cut) && cut[k].s < x.e; k++ {
			if cut[k].s > s {
				out = append(out, span{s, cut[k].s})
			}
			s = max(s, cut[k].e)
		}
		if s < x.e {
			out = append(out, span{s, x.e})
		}
	}
	return out
}

// hoursSpans is the working time from the hours and exceptions alone (no
// time off) that lies in [from, to), in Unix seconds, sorted and merged.
// Hours are wall-clock minutes of each local date, so a 09:00 start is
// 09:00 local on either side of a daylight-saving change.
func hoursSpans(zone *time.Location, p *dayPlan, from, to int64) []span {
	if from >= to {
		return nil
	}
	fy, fm, fd := time.Unix(from, 0).In(zone).Date()
	ty, tm, td := time.Unix(to, 0).In(zone).Date()
	first, last := dayNumber(fy, fm, fd), dayNumber(ty, tm, td)
	var out []span
	for dn := first; dn <= last; dn++ {
		civil := time.Unix(dn*86400, 0).UTC()
		mins := p.minutes(dn, civil.Weekday())
		if len(mins) == 0 {
			continue
		}
		y, m, d := civil.Date()
		for _, x := range mins {
			s := time.Date(y, m, d, 0, int(x.s), 0, 0, zone).Unix()
			e := time.Date(y, m, d, 0, int(x.e), 0, 0, zone).Unix()
			s, e = max(s, from), min(e, to)
			if s < e {
				out = append(out, span{s, e})
			}
		}
	}
	return mergeSpans(out)
}

func timeOffSpans(off []TimeOff) []span {
	v := make([]span, 0, len(off))
	for _, o := range off {
		if s, e := floorSec(o.Start), ceilSec(o.End); s < e {
			v = append(v, span{s, e})
		}
	}
	return mergeSpans(v)
}

func busySpans(busy []Interval) []span {
	v := make([]span, 0, len(busy))
	for _, b := range busy {
		if s, e := floorSec(b.Start), ceilSec(b.End); s < e {
			v = append(v, span{s, e})
		}
	}
	return mergeSpans(v)
}

func toIntervals(v []span, zone *time.Location) []Interval {
	if len(v) == 0 {
		return nil
	}
	out := make([]Interval, len(v))
	for i, x := range v {
		out[i] = Interval{time.Unix(x.s, 0).In(zone), time.Unix(x.e, 0).In(zone)}
	}
	return out
}

// WorkingIntervals is the therapist's working time in [from, to): weekly
// hours per local date (with exceptions replacing a date's hours), minus
// time off. Sorted, merged, in zone (nil is UTC).
func WorkingIntervals(zone *time.Location, hours []Hours, exc []Exception, off []TimeOff, from, to time.Time) []Interval {
	if zone == nil {
		zone = time.UTC
	}
	v := hoursSpans(zone, newDayPlan(hours, exc), ceilSec(from), floorSec(to))
	return toIntervals(subtract(v, timeOffSpans(off)), zone)
}

// aligner finds the offered start times: instants whose local wall-clock
// time is a whole number of steps after local midnight. It keeps the zone
// offset of the current stretch (until a zone transition or midnight), so
// the search does one zone lookup per day rather than one per candidate,
// and a daylight-saving day offers the same 09:00, 09:15 … as any other.
type aligner struct {
	zone     *time.Location
	step     int64 // seconds
	from, to int64 // the stretch in which off and midnight hold
	off      int64 // zone offset in seconds
	midnight int64 // local midnight of the stretch, as an instant
}

// next is the first aligned instant at or after t.
func (a *aligner) next(t int64) int64 {
	for {
		if t < a.from || t >= a.to {
			a.load(t)
		}
		r := floorMod(t-a.midnight, a.step)
		if r == 0 {
			return t
		}
		c := t + a.step - r
		if c < a.to {
			return c
		}
		// No aligned instant is left in this stretch: the first one of the
		// next stretch is the answer.
		t = a.to
	}
}

func (a *aligner) load(t int64) {
	lt := time.Unix(t, 0).In(a.zone)
	_, off := lt.Zone()
	a.off = int64(off)
	sod := floorMod(t+a.off, 86400)
	a.midnight = t - sod
	a.from, a.to = a.midnight, a.midnight+86400
	start, end := lt.ZoneBounds()
	if !start.IsZero() && start.Unix() > a.from {
		a.from = start.Unix()
	}
	if !end.IsZero() && end.Unix() < a.to {
		a.to = end.Unix()
	}
}

// OpenSlots lists the start times where a session fits, sorted by start,
// then therapist ID. A start fits when
//   - it is a whole number of Steps after local midnight, within [From, To)
//     and not before Now+MinNotice;
//   - the session itself, [start, start+Minutes), lies within working time
//     (WorkingIntervals), and
//   - the session widened by its buffers, [start-BufferBefore,
//     end+BufferAfter), overlaps no Busy interval.
//
// The buffers are set-up and turnover time, not treatment: they must be
// free of other appointments but may fall outside working hours, so a
// 09:00–17:00 therapist can still be booked at 09:00 for a service with a
// 10-minute set-up. CheckFits applies the same rule at booking. A Step
// below the Grid is taken as the Grid; a zero Zone is UTC.
func OpenSlots(q SlotQuery, av []Availability) []Slot {
	if q.Minutes <= 0 || !q.To.After(q.From) {
		return nil
	}
	zone := q.Zone
	if zone == nil {
		zone = time.UTC
	}
	step := q.Step
	if step < int(Grid/time.Minute) {
		step = int(Grid / time.Minute)
	}
	dur := int64(q.Minutes) * 60
	before, after := int64(max(q.BufferBefore, 0))*60, int64(max(q.BufferAfter, 0))*60
	earliest := max(ceilSec(q.From), ceilSec(q.Now.Add(q.MinNotice)))
	limit := ceilSec(q.To) // starts are before this
	if earliest >= limit {
		return nil
	}
	al := aligner{zone: zone, step: int64(step) * 60}
	runs := make([][]rawSlot, 0, len(av))
	for i := range av {
		a := &av[i]
		// Working time up to the end of a session starting just before To.
		work := hoursSpans(zone, newDayPlan(a.Hours, a.Exceptions), earliest, limit+dur)
		work = subtract(work, timeOffSpans(a.TimeOff))
		busy := busySpans(a.Busy)
		var run []rawSlot
		j := 0
		for _, w := range work {
			t := max(w.s, earliest)
			for {
				t = al.next(t)
				if t >= limit || t+dur > w.e {
					break
				}
				lo, hi := t-before, t+dur+after
				for j < len(busy) && busy[j].e <= lo {
					j++
				}
				if j < len(busy) && busy[j].s < hi {
					// Taken: the next start that can fit begins after this
					// busy stretch and its buffer.
					t = max(t+1, busy[j].e+before)
					continue
				}
				run = append(run, rawSlot{t, a.TherapistID})
				t++
			}
		}
		if len(run) > 0 {
			runs = append(runs, run)
		}
	}
	all := mergeRuns(runs)
	if len(all) == 0 {
		return nil
	}
	out := make([]Slot, len(all))
	for i, r := range all {
		out[i] = Slot{TherapistID: r.id, Start: time.Unix(r.t, 0).In(zone), End: time.Unix(r.t+dur, 0).In(zone)}
	}
	return out
}

// rawSlot is a found start, kept free of pointers until the end so that
// merging the therapists' lists is a copy of plain words.
type rawSlot struct{ t, id int64 }

// mergeRuns merges runs sorted by start into one list sorted by start, then
// therapist ID, pairwise (n log k rather than a sort of everything).
func mergeRuns(runs [][]rawSlot) []rawSlot {
	if len(runs) == 0 {
		return nil
	}
	for len(runs) > 1 {
		next := make([][]rawSlot, 0, (len(runs)+1)/2)
		for i := 0; i < len(runs); i += 2 {
			if i+1 == len(runs) {
				next = append(next, runs[i])
				continue
			}
			next = append(next, merge2(runs[i], runs[i+1]))
		}
		runs = next
	}
	return runs[0]
}

func merge2(a, b []rawSlot) []rawSlot {
	out := make([]rawSlot, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if b[j].t < a[i].t || (b[j].t == a[i].t && b[j].id < a[i].id) {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// CheckFits explains why one proposed booking [start, end) does not fit a
// therapist's time at a location, or returns "" when it fits. The rule is
// OpenSlots': the session lies within working hours and outside time off;
// the session with its buffers overlaps nothing in a.Busy (leave the
// appointment being moved out of Busy). The text names no one, so it may
// be shown to the client as well as to staff.
func CheckFits(zone *time.Location, a Availability, start, end time.Time, bufBefore, bufAfter int) string {
	if zone == nil {
		zone = time.UTC
	}
	if !end.After(start) {
		return "the appointment must end after it starts"
	}
	s, e := floorSec(start), ceilSec(end)
	plan := newDayPlan(a.Hours, a.Exceptions)
	inHours := false
	for _, w := range hoursSpans(zone, plan, s-86400, e+86400) {
		if w.s <= s && e <= w.e {
			inHours = true
			break
		}
	}
	if !inHours {
		return "outside the therapist's hours (" + dayWords(zone, plan, start) + ")"
	}
	for _, o := range timeOffSpans(a.TimeOff) {
		if o.s < e && s < o.e {
			return "during the therapist's time off"
		}
	}
	lo, hi := s-int64(max(bufBefore, 0))*60, e+int64(max(bufAfter, 0))*60
	for _, b := range busySpans(a.Busy) {
		if b.s < hi && lo < b.e {
			if b.s < e && s < b.e {
				return "overlapping another appointment of the therapist"
			}
			return "too close to another appointment of the therapist (the set-up and turnover time around it must stay free)"
		}
	}
	return ""
}

// dayWords says the hours of the local date of t, e.g. "09:00–12:00 and
// 13:00–17:00 that day" or "not working that day".
func dayWords(zone *time.Location, p *dayPlan, t time.Time) string {
	y, m, d := t.In(zone).Date()
	dn := dayNumber(y, m, d)
	mins := p.minutes(dn, time.Unix(dn*86400, 0).UTC().Weekday())
	if len(mins) == 0 {
		return "not working that day"
	}
	parts := make([]string, len(mins))
	for i, x := range mins {
		parts[i] = Clock(int(x.s)) + "–" + Clock(int(x.e))
	}
	if len(parts) == 1 {
		return parts[0] + " that day"
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " that day"
}
