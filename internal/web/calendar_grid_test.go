package web

// The calendar grid's rules, without a server: where a block goes on a
// daylight-saving day, how overlapping blocks share a column, and what a
// busy week costs to write.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/schedule"
)

func chicago(t testing.TB) *time.Location {
	z, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestCalLocalMin(t *testing.T) {
	z := chicago(t)
	for _, c := range []struct {
		at   string // local wall clock
		date string
		want int
	}{
		{"2026-03-08 09:00", "2026-03-08", 540}, // the spring-forward day: still the 09:00 line
		{"2026-11-01 09:00", "2026-11-01", 540}, // the fall-back day
		{"2026-11-01 00:30", "2026-11-01", 30},
		{"2026-11-02 00:00", "2026-11-01", 1440}, // the next day: the bottom
		{"2026-10-31 23:00", "2026-11-01", 0},    // the day before: the top
		{"2026-07-15 17:45", "2026-07-15", 1065},
	} {
		at, err := time.ParseInLocation("2006-01-02 15:04", c.at, z)
		if err != nil {
			t.Fatal(err)
		}
		if got := calLocalMin(at.UTC(), z, c.date); got != c.want {
			t.Errorf("calLocalMin(%s on %s) = %d, want %d", c.at, c.date, got, c.want)
		}
	}
}

func TestCalHoursWords(t *testing.T) {
	for _, c := range []struct {
		work [][2]int
		want string
	}{
		{nil, "Not working"},
		{[][2]int{{540, 1020}}, "9 AM–5 PM"},
		{[][2]int{{540, 750}, {810, 1020}}, "9 AM–12:30 PM, 1:30–5 PM"},
		{[][2]int{{420, 1200}}, "7 AM–8 PM"},
		{[][2]int{{480, 720}}, "8 AM–12 PM"},
		{[][2]int{{0, 1440}}, "12 AM–12 AM"},
	} {
		if got := calHoursWords(c.work); got != c.want {
			t.Errorf("calHoursWords(%v) = %q, want %q", c.work, got, c.want)
		}
	}
}

// calTokenRE finds, in order, a cluster (its top), a lane and a block (its
// top within the cluster, its height and its appointment).
var calTokenRE = regexp.MustCompile(`<div class="cal-cl t-(\d+) h-\d+">|<div class="cal-ln">|<a class="cal-a [^"]*\bt-(\d+) h-(\d+)" href="/appointments/(\d+)"`)

// TestCalGridLanes: appointments that overlap (as a location's week does)
// are put side by side, never on top of each other, and each stays at its
// own time.
func TestCalGridLanes(t *testing.T) {
	z := chicago(t)
	day := "2026-12-07"
	at := func(clock string) time.Time {
		v, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, z)
		return v.UTC()
	}
	appts := []schedule.Appointment{
		{ID: 1, TherapistID: 1, Start: at("09:00"), End: at("10:00"), BufferAfter: 15, Status: schedule.Booked, TherapistName: "Maria Lopez, LMT", ClientName: "A"},
		{ID: 2, TherapistID: 2, Start: at("09:30"), End: at("10:30"), Status: schedule.CheckedIn, TherapistName: "James Chen", ClientName: "B"},
		{ID: 3, TherapistID: 3, Start: at("10:00"), End: at("11:00"), Status: schedule.Booked, TherapistName: "Aisha Patel", ClientName: "C"},
		{ID: 4, TherapistID: 2, Start: at("10:45"), End: at("11:15"), Status: schedule.NoShow, TherapistName: "James Chen", ClientName: "D"},
		{ID: 5, TherapistID: 1, Start: at("13:00"), End: at("14:00"), Status: schedule.Completed, TherapistName: "Maria Lopez, LMT", ClientName: "E"},
	}
	c := &app.Calendar{Location: clinic.Location{ID: 1}, Zone: z, Day: "2026-12-07", Today: "2026-01-01", Appointments: appts,
		Available: map[int64][]schedule.Interval{}}
	for i := 0; i < 7; i++ {
		d, _ := time.Parse(clinic.DateLayout, c.Day)
		c.Days = append(c.Days, d.AddDate(0, 0, i).Format(clinic.DateLayout))
	}
	g := buildCalGrid(c, calQuery{Location: 1, View: "week", Day: c.Day}, time.Now())
	if g.start != 8*60 || g.end != 18*60 {
		t.Errorf("span %d–%d, want 08:00–18:00", g.start, g.end)
	}
	html := string(g.render(true))
	type box struct{ id, lane, top, bottom int }
	var boxes []box
	clusters, clusterTop, lane := 0, 0, -1
	for _, m := range calTokenRE.FindAllStringSubmatch(html, -1) {
		switch {
		case m[1] != "":
			clusters++
			clusterTop, _ = strconv.Atoi(m[1])
			lane = -1
		case m[4] == "":
			lane++
		default:
			top, _ := strconv.Atoi(m[2])
			h, _ := strconv.Atoi(m[3])
			id, _ := strconv.Atoi(m[4])
			boxes = append(boxes, box{id, lane, clusterTop + top, clusterTop + top + h})
		}
	}
	if clusters != 2 {
		t.Errorf("%d clusters, want 2 (09:00–11:15 and 13:00–14:00)", clusters)
	}
	if len(boxes) != len(appts) {
		t.Fatalf("%d blocks drawn, want %d", len(boxes), len(appts))
	}
	for _, b := range boxes {
		a := appts[b.id-1]
		wantTop := (calLocalMin(a.Start, z, day) - 8*60) / 5
		if b.top != wantTop || b.bottom-b.top != int(a.End.Sub(a.Start)/time.Minute)/5 {
			t.Errorf("appointment %d drawn at %d–%d, want from %d for its length", b.id, b.top, b.bottom, wantTop)
		}
		for _, o := range boxes {
			if o.id != b.id && o.lane == b.lane && o.top < b.bottom && b.top < o.bottom {
				t.Errorf("appointments %d and %d overlap in one lane", b.id, o.id)
			}
		}
	}
	// 1 (09:00–10:15 with its turnover), 2 (09:30–10:30) and 3 (10:00–11:00)
	// overlap: three lanes; 4 (10:45) takes the first lane free by then.
	lanes := map[int]int{}
	for _, b := range boxes {
		lanes[b.id] = b.lane
	}
	if lanes[1] != 0 || lanes[2] != 1 || lanes[3] != 2 || lanes[4] != 0 || lanes[5] != 0 {
		t.Errorf("lanes %v, want 1→0, 2→1, 3→2, 4→0 and 5 alone", lanes)
	}
	if !strings.Contains(html, `<span class="cal-a-ini">ML</span>`) {
		t.Errorf("the week's compact blocks do not carry the therapist's initials (ML for Maria Lopez, LMT)")
	}
	if !strings.Contains(html, `cal-a st-no-show`) || !strings.Contains(html, `cal-a st-checked-in`) || !strings.Contains(html, `cal-a st-completed`) {
		t.Errorf("statuses are not told apart")
	}
}

// calWeek is a week of a location with 20 therapists and about a thousand
// appointments, their hours and the grid that shows them.
func calWeek(b testing.TB) (*app.Calendar, calQuery) {
	z := chicago(b)
	c := &app.Calendar{Location: clinic.Location{ID: 1, Name: "Downtown"}, Zone: z, Day: "2026-12-07", Today: "2026-12-09",
		Available: map[int64][]schedule.Interval{}}
	d0, _ := time.ParseInLocation(clinic.DateLayout, c.Day, z)
	var id int64
	for th := int64(1); th <= 20; th++ {
		c.Therapists = append(c.Therapists, clinic.User{ID: th, Name: fmt.Sprintf("Therapist %d Name", th)})
		for day := 0; day < 7; day++ {
			d := d0.AddDate(0, 0, day)
			c.Available[th] = append(c.Available[th], schedule.Interval{Start: d.Add(8 * time.Hour), End: d.Add(18 * time.Hour)})
			if day == 6 {
				continue
			}
			// Eight or nine sessions a day, with turnover.
			for m := 8 * 60; m+60 <= 18*60; m += 70 + int(th%3)*5 {
				id++
				st := d.Add(time.Duration(m) * time.Minute)
				c.Appointments = append(c.Appointments, schedule.Appointment{ID: id, TherapistID: th, Start: st.UTC(), End: st.Add(time.Hour).UTC(),
					BufferAfter: 10, Status: schedule.Booked, Version: 1, ClientName: "Client Number " + strconv.FormatInt(id, 10),
					TherapistName: fmt.Sprintf("Therapist %d Name", th), ServiceName: "Medical massage, 60 minutes", RoomName: "Room 2"})
			}
		}
	}
	for i := 0; i < 7; i++ {
		c.Days = append(c.Days, d0.AddDate(0, 0, i).Format(clinic.DateLayout))
	}
	return c, calQuery{Location: 1, View: "week", Day: c.Day}
}

// BenchmarkCalendarWeekGrid is the grid of a 20-therapist location's week
// (about a thousand appointments): what the page adds to the reads.
func BenchmarkCalendarWeekGrid(b *testing.B) {
	c, q := calWeek(b)
	if len(c.Appointments) < 900 {
		b.Fatalf("only %d appointments", len(c.Appointments))
	}
	now := time.Date(2026, 12, 9, 16, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		g := buildCalGrid(c, q, now)
		_ = g.render(true)
	}
}

// BenchmarkCalendarDayGrid is one day of the same location, a column per therapist.
func BenchmarkCalendarDayGrid(b *testing.B) {
	c, q := calWeek(b)
	c.Days = c.Days[:1]
	q.View = "day"
	now := time.Date(2026, 12, 9, 16, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		g := buildCalGrid(c, q, now)
		_ = g.render(false)
	}
}
