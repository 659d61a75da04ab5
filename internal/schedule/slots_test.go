package schedule

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the machine's zoneinfo
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	z, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// at is a local wall-clock time, "2026-05-04 09:00", in z.
func at(t testing.TB, z *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, z)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// clocks writes slot starts as local "15:04" (or "15:04 MST" with zone names).
func clocks(z *time.Location, v []Slot, withZone bool) []string {
	out := make([]string, len(v))
	layout := "15:04"
	if withZone {
		layout = "15:04 MST"
	}
	for i, s := range v {
		out[i] = s.Start.In(z).Format(layout)
	}
	return out
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, " ")
}

// 2026-05-04 is a Monday.
func TestOpenSlots(t *testing.T) {
	z := zone(t, "America/Chicago")
	mon := []Hours{{Weekday: time.Monday, Start: 540, End: 720}} // 09:00–12:00
	day := func(s string) time.Time { return at(t, z, "2026-05-04 "+s) }
	base := SlotQuery{Zone: z, From: day("00:00"), To: at(t, z, "2026-05-05 00:00"), Step: 15, Minutes: 60}
	cases := []struct {
		name string
		q    func(q *SlotQuery)
		av   Availability
		want string // local starts
	}{
		{"free morning", nil, Availability{Hours: mon},
			"09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00"},
		{"session must end by the end of hours", func(q *SlotQuery) { q.Minutes = 170 }, Availability{Hours: mon},
			"09:00"},
		{"longer than the hours", func(q *SlotQuery) { q.Minutes = 185 }, Availability{Hours: mon}, ""},
		{"buffers may fall outside hours", func(q *SlotQuery) { q.BufferBefore, q.BufferAfter = 10, 15 }, Availability{Hours: mon},
			"09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00"},
		{"busy hour", nil, Availability{Hours: mon, Busy: []Interval{{day("10:00"), day("11:00")}}},
			"09:00 11:00"},
		{"busy hour, buffers keep their distance", func(q *SlotQuery) { q.BufferBefore, q.BufferAfter = 10, 15 },
			Availability{Hours: mon, Busy: []Interval{{day("10:30"), day("11:00")}}},
			"09:00 09:15"},
		{"buffer before reaches back into a busy time", func(q *SlotQuery) { q.BufferBefore = 10; q.Minutes = 30 },
			Availability{Hours: mon, Busy: []Interval{{day("09:00"), day("10:00")}}},
			"10:15 10:30 10:45 11:00 11:15 11:30"},
		{"busy unsorted and overlapping", func(q *SlotQuery) { q.Minutes = 30 },
			Availability{Hours: mon, Busy: []Interval{{day("11:00"), day("11:30")}, {day("09:10"), day("09:40")}, {day("09:30"), day("10:00")}}},
			"10:00 10:15 10:30 11:30"},
		{"busy elsewhere in the day", nil, Availability{Hours: mon, Busy: []Interval{{day("07:00"), day("09:00")}, {day("12:00"), day("13:00")}}},
			"09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00"},
		{"minimum notice", func(q *SlotQuery) { q.Now = day("09:20"); q.MinNotice = time.Hour },
			Availability{Hours: mon}, "10:30 10:45 11:00"},
		{"window starts off the step", func(q *SlotQuery) { q.From = day("09:07") },
			Availability{Hours: mon}, "09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00"},
		{"window ends: starts before To, session may run past it", func(q *SlotQuery) { q.To = day("10:00") },
			Availability{Hours: mon}, "09:00 09:15 09:30 09:45"},
		{"step 20 aligned to midnight", func(q *SlotQuery) { q.Step = 20; q.From = day("09:05") },
			Availability{Hours: mon}, "09:20 09:40 10:00 10:20 10:40 11:00"},
		{"time off", nil, Availability{Hours: mon, TimeOff: []TimeOff{{Start: day("09:30"), End: day("10:00")}}},
			"10:00 10:15 10:30 10:45 11:00"},
		{"exception replaces the day", nil,
			Availability{Hours: mon, Exceptions: []Exception{{Date: "2026-05-04", Start: 780, End: 900}}},
			"13:00 13:15 13:30 13:45 14:00"},
		{"two exceptions make the day", nil,
			Availability{Hours: mon, Exceptions: []Exception{{Date: "2026-05-04", Start: 840, End: 900}, {Date: "2026-05-04", Start: 480, End: 540}}},
			"08:00 14:00"},
		{"exception: day off", nil,
			Availability{Hours: mon, Exceptions: []Exception{{Date: "2026-05-04", Start: 0, End: 0}}}, ""},
		{"exception of another date", nil,
			Availability{Hours: mon, Exceptions: []Exception{{Date: "2026-05-11"}}},
			"09:00 09:15 09:30 09:45 10:00 10:15 10:30 10:45 11:00"},
		{"hours of another weekday", nil, Availability{Hours: []Hours{{Weekday: time.Tuesday, Start: 540, End: 720}}}, ""},
		{"split hours", func(q *SlotQuery) { q.Minutes = 30; q.Step = 30 },
			Availability{Hours: []Hours{{Weekday: time.Monday, Start: 540, End: 600}, {Weekday: time.Monday, Start: 780, End: 840}}},
			"09:00 09:30 13:00 13:30"},
		{"touching rows join", func(q *SlotQuery) { q.Minutes = 120; q.Step = 60 },
			Availability{Hours: []Hours{{Weekday: time.Monday, Start: 540, End: 600}, {Weekday: time.Monday, Start: 600, End: 720}}},
			"09:00 10:00"},
		{"no step given: every five minutes", func(q *SlotQuery) { q.Step = 0; q.Minutes = 165 },
			Availability{Hours: mon}, "09:00 09:05 09:10 09:15"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			q := base
			if c.q != nil {
				c.q(&q)
			}
			got := OpenSlots(q, []Availability{c.av})
			if g := clocks(z, got, false); !slices.Equal(g, split(c.want)) {
				t.Errorf("starts = %v, want %v", g, c.want)
			}
			for _, s := range got {
				if s.End.Sub(s.Start) != time.Duration(q.Minutes)*time.Minute {
					t.Errorf("slot %v–%v is not %d minutes", s.Start, s.End, q.Minutes)
				}
			}
		})
	}
}

func TestOpenSlotsNothingToSearch(t *testing.T) {
	z := zone(t, "UTC")
	av := []Availability{{Hours: []Hours{{Weekday: time.Monday, Start: 540, End: 720}}}}
	from := at(t, z, "2026-05-04 00:00")
	for name, q := range map[string]SlotQuery{
		"empty window":        {Zone: z, From: from, To: from, Step: 15, Minutes: 60},
		"window backwards":    {Zone: z, From: from, To: from.Add(-time.Hour), Step: 15, Minutes: 60},
		"no length":           {Zone: z, From: from, To: from.Add(24 * time.Hour), Step: 15},
		"notice past the end": {Zone: z, From: from, To: from.Add(24 * time.Hour), Now: from, MinNotice: 25 * time.Hour, Step: 15, Minutes: 60},
	} {
		if got := OpenSlots(q, av); len(got) != 0 {
			t.Errorf("%s: got %d slots, want none", name, len(got))
		}
	}
	if got := OpenSlots(SlotQuery{Zone: z, From: from, To: from.Add(24 * time.Hour), Step: 15, Minutes: 60}, nil); got != nil {
		t.Errorf("no therapists: got %v", got)
	}
}

func TestOpenSlotsOrderAcrossTherapists(t *testing.T) {
	z := zone(t, "Europe/Berlin")
	day := func(s string) time.Time { return at(t, z, "2026-05-04 "+s) }
	hours := func(s, e int) []Hours { return []Hours{{Weekday: time.Monday, Start: s, End: e}} }
	q := SlotQuery{Zone: z, From: day("00:00"), To: day("23:00"), Step: 30, Minutes: 60}
	got := OpenSlots(q, []Availability{
		{TherapistID: 7, Hours: hours(540, 660)},
		{TherapistID: 3, Hours: hours(570, 720), Busy: []Interval{{day("10:00"), day("10:30")}}},
		{TherapistID: 5, Hours: hours(600, 720)},
	})
	var g []string
	for _, s := range got {
		g = append(g, s.Start.Format("15:04")+"/"+string(rune('0'+s.TherapistID)))
	}
	want := []string{"09:00/7", "09:30/7", "10:00/5", "10:00/7", "10:30/3", "10:30/5", "11:00/3", "11:00/5"}
	if !slices.Equal(g, want) {
		t.Errorf("slots = %v, want %v", g, want)
	}
}

// A day with a daylight-saving change offers the same local times as any
// other, at the right instants.
func TestOpenSlotsDaylightSaving(t *testing.T) {
	ny := zone(t, "America/New_York")
	sun := func(h ...Hours) []Hours { return h }
	cases := []struct {
		name       string
		date       string
		hours      []Hours
		minutes    int
		step       int
		want       string // local starts with zone, comma-separated
		firstUTC   string
		totalHours float64 // elapsed time from the first start to the last end
	}{
		{"spring forward, morning", "2026-03-08", sun(Hours{Weekday: time.Sunday, Start: 540, End: 660}), 60, 15,
			"09:00 EDT, 09:15 EDT, 09:30 EDT, 09:45 EDT, 10:00 EDT", "2026-03-08T13:00:00Z", 2},
		{"fall back, morning", "2026-11-01", sun(Hours{Weekday: time.Sunday, Start: 540, End: 660}), 60, 15,
			"09:00 EST, 09:15 EST, 09:30 EST, 09:45 EST, 10:00 EST", "2026-11-01T14:00:00Z", 2},
		{"spring forward, through the skipped hour", "2026-03-08", sun(Hours{Weekday: time.Sunday, Start: 0, End: 240}), 30, 30,
			"00:00 EST, 00:30 EST, 01:00 EST, 01:30 EST, 03:00 EDT, 03:30 EDT", "2026-03-08T05:00:00Z", 3},
		{"fall back, through the repeated hour", "2026-11-01", sun(Hours{Weekday: time.Sunday, Start: 0, End: 240}), 30, 30,
			"00:00 EDT, 00:30 EDT, 01:00 EDT, 01:30 EDT, 01:00 EST, 01:30 EST, 02:00 EST, 02:30 EST, 03:00 EST, 03:30 EST", "2026-11-01T04:00:00Z", 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from := at(t, ny, c.date+" 00:00")
			q := SlotQuery{Zone: ny, From: from, To: from.AddDate(0, 0, 1), Step: c.step, Minutes: c.minutes}
			got := OpenSlots(q, []Availability{{Hours: c.hours}})
			if g := strings.Join(clocks(ny, got, true), ", "); g != c.want {
				t.Fatalf("starts = %v\nwant     %v", g, c.want)
			}
			if f := got[0].Start.UTC().Format(time.RFC3339); f != c.firstUTC {
				t.Errorf("first start = %s, want %s", f, c.firstUTC)
			}
			if h := got[len(got)-1].End.Sub(got[0].Start).Hours(); h != c.totalHours {
				t.Errorf("first start to last end = %vh, want %vh", h, c.totalHours)
			}
			for i := 1; i < len(got); i++ {
				if !got[i].Start.After(got[i-1].Start) {
					t.Errorf("starts out of order: %v then %v", got[i-1].Start, got[i].Start)
				}
			}
		})
	}
}

// Lord Howe Island moves its clocks by half an hour, so hourly starts must
// be found again after the change rather than carried across it.
func TestOpenSlotsHalfHourChange(t *testing.T) {
	lh := zone(t, "Australia/Lord_Howe")
	from := at(t, lh, "2026-04-05 00:00") // 02:00 +11 becomes 01:30 +1030
	got := OpenSlots(SlotQuery{Zone: lh, From: from, To: from.AddDate(0, 0, 1), Step: 60, Minutes: 60},
		[]Availability{{Hours: []Hours{{Weekday: time.Sunday, Start: 0, End: 240}}}})
	var g []string
	for _, s := range got {
		g = append(g, s.Start.In(lh).Format("15:04 -0700"))
	}
	want := []string{"00:00 +1100", "01:00 +1100", "02:00 +1030", "03:00 +1030"}
	if !slices.Equal(g, want) {
		t.Errorf("starts = %v, want %v", g, want)
	}
}

// A week of slots in New York across the spring change stays 09:00 local
// each day while the UTC instant moves by an hour.
func TestOpenSlotsWeekAcrossChange(t *testing.T) {
	ny := zone(t, "America/New_York")
	var hours []Hours
	for d := time.Sunday; d <= time.Saturday; d++ {
		hours = append(hours, Hours{Weekday: d, Start: 540, End: 600})
	}
	from := at(t, ny, "2026-03-05 00:00")
	got := OpenSlots(SlotQuery{Zone: ny, From: from, To: from.AddDate(0, 0, 7), Step: 60, Minutes: 60}, []Availability{{Hours: hours}})
	var utc []string
	for _, s := range got {
		if c := s.Start.In(ny).Format("15:04"); c != "09:00" {
			t.Errorf("slot at %s local, want 09:00", c)
		}
		utc = append(utc, s.Start.UTC().Format("01-02 15"))
	}
	want := []string{"03-05 14", "03-06 14", "03-07 14", "03-08 13", "03-09 13", "03-10 13", "03-11 13"}
	if !slices.Equal(utc, want) {
		t.Errorf("UTC starts = %v, want %v", utc, want)
	}
}

func TestWorkingIntervals(t *testing.T) {
	z := zone(t, "America/Chicago")
	d := func(s string) time.Time { return at(t, z, s) }
	week := []Hours{
		{Weekday: time.Monday, Start: 540, End: 720},
		{Weekday: time.Monday, Start: 720, End: 1020}, // touches: one interval 09–17
		{Weekday: time.Tuesday, Start: 480, End: 600},
		{Weekday: time.Tuesday, Start: 840, End: 1440}, // to midnight
		{Weekday: time.Wednesday, Start: 0, End: 60},   // joins Tuesday's
	}
	cases := []struct {
		name     string
		exc      []Exception
		off      []TimeOff
		from, to string
		want     []string
	}{
		{"a week", nil, nil, "2026-05-04 00:00", "2026-05-11 00:00",
			[]string{"05-04 09:00–05-04 17:00", "05-05 08:00–05-05 10:00", "05-05 14:00–05-06 01:00"}},
		{"clipped to the window", nil, nil, "2026-05-04 10:00", "2026-05-05 09:00",
			[]string{"05-04 10:00–05-04 17:00", "05-05 08:00–05-05 09:00"}},
		{"time off splits and trims", nil,
			[]TimeOff{{Start: d("2026-05-04 12:00"), End: d("2026-05-04 13:00")}, {Start: d("2026-05-05 09:00"), End: d("2026-05-05 16:00")}},
			"2026-05-04 00:00", "2026-05-06 00:00",
			[]string{"05-04 09:00–05-04 12:00", "05-04 13:00–05-04 17:00", "05-05 08:00–05-05 09:00", "05-05 16:00–05-06 00:00"}},
		{"exception replaces one date only", []Exception{{Date: "2026-05-05", Start: 600, End: 660}}, nil,
			"2026-05-04 00:00", "2026-05-07 00:00",
			[]string{"05-04 09:00–05-04 17:00", "05-05 10:00–05-05 11:00", "05-06 00:00–05-06 01:00"}},
		{"exception adds a Sunday", []Exception{{Date: "2026-05-10", Start: 600, End: 660}}, nil,
			"2026-05-10 00:00", "2026-05-11 00:00", []string{"05-10 10:00–05-10 11:00"}},
		{"time off over everything", nil, []TimeOff{{Start: d("2026-05-01 00:00"), End: d("2026-06-01 00:00")}},
			"2026-05-04 00:00", "2026-05-11 00:00", nil},
		{"empty window", nil, nil, "2026-05-04 12:00", "2026-05-04 12:00", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := WorkingIntervals(z, week, c.exc, c.off, d(c.from), d(c.to))
			var g []string
			for _, iv := range got {
				g = append(g, iv.Start.In(z).Format("01-02 15:04")+"–"+iv.End.In(z).Format("01-02 15:04"))
			}
			if !slices.Equal(g, c.want) {
				t.Errorf("got  %v\nwant %v", g, c.want)
			}
		})
	}
}

func TestWorkingIntervalsDaylightSaving(t *testing.T) {
	syd := zone(t, "Australia/Sydney")
	// 2026-04-05 is the Sunday Sydney leaves daylight time (03:00 → 02:00).
	h := []Hours{{Weekday: time.Sunday, Start: 0, End: 1440}, {Weekday: time.Monday, Start: 540, End: 1020}}
	got := WorkingIntervals(syd, h, nil, nil, at(t, syd, "2026-04-05 00:00"), at(t, syd, "2026-04-07 00:00"))
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	if d := got[0].End.Sub(got[0].Start); d != 25*time.Hour {
		t.Errorf("the long Sunday lasts %v, want 25h", d)
	}
	if s := got[1].Start.In(syd).Format("15:04 MST"); s != "09:00 AEST" {
		t.Errorf("Monday starts %s, want 09:00 AEST", s)
	}
	if d := got[1].End.Sub(got[1].Start); d != 8*time.Hour {
		t.Errorf("Monday lasts %v, want 8h", d)
	}
}

// naiveSlots is the rule of OpenSlots written the slow, obvious way: every
// minute of the window, checked against everything.
func naiveSlots(q SlotQuery, av []Availability) []Slot {
	var out []Slot
	earliest := q.From
	if n := q.Now.Add(q.MinNotice); n.After(earliest) {
		earliest = n
	}
	dur := time.Duration(q.Minutes) * time.Minute
	work := make([][]Interval, len(av))
	for i, a := range av {
		work[i] = WorkingIntervals(q.Zone, a.Hours, a.Exceptions, a.TimeOff, q.From, q.To.Add(dur))
	}
	for t := q.From.Truncate(time.Minute); t.Before(q.To); t = t.Add(time.Minute) {
		lt := t.In(q.Zone)
		if t.Before(earliest) || (lt.Hour()*60+lt.Minute())%q.Step != 0 {
			continue
		}
		for i, a := range av {
			inside := false
			for _, w := range work[i] {
				if !t.Before(w.Start) && !t.Add(dur).After(w.End) {
					inside = true
				}
			}
			lo, hi := t.Add(-time.Duration(q.BufferBefore)*time.Minute), t.Add(dur+time.Duration(q.BufferAfter)*time.Minute)
			for _, b := range a.Busy {
				if b.Start.Before(hi) && lo.Before(b.End) {
					inside = false
				}
			}
			if inside {
				out = append(out, Slot{a.TherapistID, t, t.Add(dur)})
			}
		}
	}
	slices.SortStableFunc(out, func(x, y Slot) int {
		if c := x.Start.Compare(y.Start); c != 0 {
			return c
		}
		return int(x.TherapistID - y.TherapistID)
	})
	return out
}

func TestOpenSlotsAgreesWithNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2026))
	for _, zn := range []string{"UTC", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Australia/Lord_Howe"} {
		z := zone(t, zn)
		for round := 0; round < 15; round++ {
			// Weeks around both New York changes and a plain one.
			start := []string{"2026-03-05 00:00", "2026-10-29 00:00", "2026-04-02 00:00", "2026-06-10 00:00"}[round%4]
			from := at(t, z, start).Add(time.Duration(rng.IntN(120)) * time.Minute)
			to := from.Add(time.Duration(2+rng.IntN(4)) * 24 * time.Hour)
			var av []Availability
			for th := int64(1); th <= 3; th++ {
				a := Availability{TherapistID: th}
				for d := time.Sunday; d <= time.Saturday; d++ {
					s := 5 * rng.IntN(200)
					a.Hours = append(a.Hours, Hours{Weekday: d, Start: s, End: s + 5*(1+rng.IntN(100))})
				}
				a.Exceptions = []Exception{{Date: from.In(z).AddDate(0, 0, 1).Format(time.DateOnly), Start: 5 * rng.IntN(100), End: 5 * (100 + rng.IntN(188))}}
				for i := 0; i < 12; i++ {
					b := from.Add(time.Duration(rng.IntN(6*24*60)) * time.Minute)
					a.Busy = append(a.Busy, Interval{b, b.Add(time.Duration(5+rng.IntN(120)) * time.Minute)})
				}
				o := from.Add(time.Duration(rng.IntN(3*24*60)) * time.Minute)
				a.TimeOff = []TimeOff{{Start: o, End: o.Add(time.Duration(rng.IntN(600)) * time.Minute)}}
				av = append(av, a)
			}
			q := SlotQuery{Zone: z, From: from, To: to, Now: from.Add(time.Duration(rng.IntN(600)) * time.Minute),
				MinNotice: time.Duration(rng.IntN(3)) * time.Hour, Step: SlotSteps[rng.IntN(len(SlotSteps))],
				Minutes: 5 * (1 + rng.IntN(24)), BufferBefore: 5 * rng.IntN(4), BufferAfter: 5 * rng.IntN(4)}
			got, want := OpenSlots(q, av), naiveSlots(q, av)
			if len(got) != len(want) {
				t.Fatalf("%s round %d: %d slots, naive %d", zn, round, len(got), len(want))
			}
			for i := range got {
				if got[i].TherapistID != want[i].TherapistID || !got[i].Start.Equal(want[i].Start) || !got[i].End.Equal(want[i].End) {
					t.Fatalf("%s round %d: slot %d = %v, naive %v", zn, round, i, got[i], want[i])
				}
			}
		}
	}
}

func TestCheckFits(t *testing.T) {
	z := zone(t, "America/New_York")
	d := func(s string) time.Time { return at(t, z, s) }
	a := Availability{
		Hours: []Hours{
			{Weekday: time.Monday, Start: 540, End: 1020},
			{Weekday: time.Tuesday, Start: 540, End: 720},
			{Weekday: time.Tuesday, Start: 780, End: 1020},
		},
		Exceptions: []Exception{{Date: "2026-05-11", Start: 0, End: 0}},
		TimeOff:    []TimeOff{{Start: d("2026-05-04 15:00"), End: d("2026-05-04 17:00")}},
		Busy:       []Interval{{d("2026-05-04 11:00"), d("2026-05-04 12:00")}},
	}
	cases := []struct {
		name       string
		start, end string
		bb, ba     int
		want       string
	}{
		{"fits", "2026-05-04 09:00", "2026-05-04 10:00", 0, 0, ""},
		{"fits with buffers outside hours", "2026-05-04 09:00", "2026-05-04 10:00", 15, 0, ""},
		{"back to back with the busy time", "2026-05-04 10:00", "2026-05-04 11:00", 0, 0, ""},
		{"before hours", "2026-05-04 08:30", "2026-05-04 09:30", 0, 0, "outside the therapist's hours (09:00–17:00 that day)"},
		{"runs past hours", "2026-05-05 16:30", "2026-05-05 17:30", 0, 0, "outside the therapist's hours (09:00–12:00 and 13:00–17:00 that day)"},
		{"over the lunch break", "2026-05-05 11:30", "2026-05-05 12:30", 0, 0, "outside the therapist's hours (09:00–12:00 and 13:00–17:00 that day)"},
		{"a day not worked", "2026-05-06 10:00", "2026-05-06 11:00", 0, 0, "outside the therapist's hours (not working that day)"},
		{"a date off by exception", "2026-05-11 10:00", "2026-05-11 11:00", 0, 0, "outside the therapist's hours (not working that day)"},
		{"time off", "2026-05-04 14:30", "2026-05-04 15:30", 0, 0, "during the therapist's time off"},
		{"overlapping", "2026-05-04 11:30", "2026-05-04 12:30", 0, 0, "overlapping another appointment of the therapist"},
		{"buffer after reaches the busy time", "2026-05-04 10:00", "2026-05-04 10:55", 0, 10, "too close to another appointment of the therapist (the set-up and turnover time around it must stay free)"},
		{"buffer before reaches the busy time", "2026-05-04 12:05", "2026-05-04 13:00", 10, 0, "too close to another appointment of the therapist (the set-up and turnover time around it must stay free)"},
		{"ends before it starts", "2026-05-04 10:00", "2026-05-04 10:00", 0, 0, "the appointment must end after it starts"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := CheckFits(z, a, d(c.start), d(c.end), c.bb, c.ba); got != c.want {
				t.Errorf("got %q\nwant %q", got, c.want)
			}
		})
	}
}

// CheckFits and OpenSlots apply one rule: every offered slot fits, and
// every start on the step that fits is offered.
func TestCheckFitsAgreesWithOpenSlots(t *testing.T) {
	z := zone(t, "America/New_York")
	d := func(s string) time.Time { return at(t, z, s) }
	a := Availability{
		TherapistID: 4,
		Hours:       []Hours{{Weekday: time.Sunday, Start: 480, End: 1080}},
		TimeOff:     []TimeOff{{Start: d("2026-03-08 12:10"), End: d("2026-03-08 12:50")}},
		Busy:        []Interval{{d("2026-03-08 09:20"), d("2026-03-08 10:05")}, {d("2026-03-08 15:00"), d("2026-03-08 15:30")}},
	}
	q := SlotQuery{Zone: z, From: d("2026-03-08 00:00"), To: d("2026-03-09 00:00"), Step: 5, Minutes: 45, BufferBefore: 10, BufferAfter: 5}
	offered := map[time.Time]bool{}
	for _, s := range OpenSlots(q, []Availability{a}) {
		offered[s.Start.UTC()] = true
	}
	if len(offered) == 0 {
		t.Fatal("no slots offered")
	}
	for s := q.From; s.Before(q.To); s = s.Add(5 * time.Minute) {
		why := CheckFits(z, a, s, s.Add(45*time.Minute), 10, 5)
		if (why == "") != offered[s.UTC()] {
			t.Errorf("%s: CheckFits says %q, offered=%v", s.In(z).Format("15:04"), why, offered[s.UTC()])
		}
	}
}

// BenchmarkOpenSlotsWeek10 is the benchmark without the database:
// a week of 15-minute starts for 10 therapists with 40 appointments each.
func BenchmarkOpenSlotsWeek10(b *testing.B) {
	z := zone(b, "America/New_York")
	from := at(b, z, "2026-03-02 00:00") // the week of the spring change
	rng := rand.New(rand.NewPCG(10, 40))
	var av []Availability
	for th := int64(1); th <= 10; th++ {
		a := Availability{TherapistID: th}
		for d := time.Monday; d <= time.Saturday; d++ {
			a.Hours = append(a.Hours, Hours{Weekday: d, Start: 480, End: 720}, Hours{Weekday: d, Start: 780, End: 1140})
		}
		a.Exceptions = []Exception{{Date: "2026-03-07", Start: 600, End: 840}}
		a.TimeOff = []TimeOff{{Start: from.Add(4*24*time.Hour + 13*time.Hour), End: from.Add(4*24*time.Hour + 18*time.Hour)}}
		// 40 one-hour appointments with 10-minute buffers on the 5-minute
		// grid of the six working days, in no particular order.
		for i := 0; i < 40; i++ {
			day := from.AddDate(0, 0, rng.IntN(6)).Format(time.DateOnly)
			s := at(b, z, day+" 08:00").Add(time.Duration(5*rng.IntN(120)) * time.Minute)
			a.Busy = append(a.Busy, Interval{s.Add(-10 * time.Minute), s.Add(70 * time.Minute)})
		}
		av = append(av, a)
	}
	q := SlotQuery{Zone: z, From: from, To: from.AddDate(0, 0, 7), Now: from, MinNotice: 2 * time.Hour,
		Step: 15, Minutes: 60, BufferBefore: 10, BufferAfter: 10}
	n := len(OpenSlots(q, av))
	if n == 0 {
		b.Fatal("no slots")
	}
	b.ReportAllocs()
	for b.Loop() {
		OpenSlots(q, av)
	}
	b.ReportMetric(float64(n), "slots")
}
