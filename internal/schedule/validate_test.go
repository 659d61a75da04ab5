package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

func TestServiceValidate(t *testing.T) {
	ok := func() Service {
		return Service{Name: "Medical massage, 60 min", Minutes: 60, BufferBefore: 5, BufferAfter: 15, PriceCents: 9500,
			Procedures: []ProcedureLine{{Code: "97140", Units: 2}, {Code: "97124", Units: 2}}}
	}
	cases := []struct {
		name  string
		edit  func(s *Service)
		field string
	}{
		{"valid", func(s *Service) {}, ""},
		{"free, no procedures", func(s *Service) { s.PriceCents = 0; s.Procedures = nil }, ""},
		{"HCPCS code", func(s *Service) { s.Procedures = []ProcedureLine{{Code: "g0283", Units: 1}} }, ""},
		{"CPT category III code", func(s *Service) { s.Procedures = []ProcedureLine{{Code: "0552T", Units: 1}} }, ""},
		{"five minutes", func(s *Service) { s.Minutes = 5 }, ""},
		{"eight hours", func(s *Service) { s.Minutes = 480; s.BufferBefore, s.BufferAfter = 120, 120 }, ""},
		{"name missing", func(s *Service) { s.Name = "   " }, "name"},
		{"name 200 characters", func(s *Service) { s.Name = strings.Repeat("é", 200) }, ""},
		{"name 201 characters", func(s *Service) { s.Name = strings.Repeat("é", 201) }, "name"},
		{"no length", func(s *Service) { s.Minutes = 0 }, "minutes"},
		{"length off the grid", func(s *Service) { s.Minutes = 62 }, "minutes"},
		{"longer than eight hours", func(s *Service) { s.Minutes = 485 }, "minutes"},
		{"buffer before negative", func(s *Service) { s.BufferBefore = -5 }, "buffer_before"},
		{"buffer before off the grid", func(s *Service) { s.BufferBefore = 7 }, "buffer_before"},
		{"buffer after too long", func(s *Service) { s.BufferAfter = 125 }, "buffer_after"},
		{"negative price", func(s *Service) { s.PriceCents = -1 }, "price_cents"},
		{"four-digit code", func(s *Service) { s.Procedures[1].Code = "9714" }, "procedures"},
		{"letters in a CPT code", func(s *Service) { s.Procedures[0].Code = "97A40" }, "procedures"},
		{"HCPCS with two letters", func(s *Service) { s.Procedures[0].Code = "GG283" }, "procedures"},
		{"zero units", func(s *Service) { s.Procedures[0].Units = 0 }, "procedures"},
		{"nine units", func(s *Service) { s.Procedures[0].Units = 9 }, "procedures"},
		{"performer not a user", func(s *Service) { s.Performers = []int64{3, 0} }, "performers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := ok()
			c.edit(&s)
			checkField(t, s.Validate(), c.field)
		})
	}
	s := ok()
	s.Name = "  Relaxation  "
	s.Procedures[0].Code = " g0283 "
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Name != "Relaxation" || s.Procedures[0].Code != "G0283" {
		t.Errorf("not tidied: %q %q", s.Name, s.Procedures[0].Code)
	}
	s.Procedures[1].Units = 0
	if msg := errs.FieldsOf(s.Validate())["procedures"]; !strings.Contains(msg, "Line 2") {
		t.Errorf("procedures message %q does not say which line", msg)
	}
}

func TestHoursValidate(t *testing.T) {
	cases := []struct {
		name  string
		h     Hours
		field string
	}{
		{"a working day", Hours{Weekday: time.Tuesday, Start: 540, End: 1020}, ""},
		{"whole day", Hours{Weekday: time.Sunday, Start: 0, End: 1440}, ""},
		{"Saturday", Hours{Weekday: time.Saturday, Start: 600, End: 605}, ""},
		{"weekday 7", Hours{Weekday: 7, Start: 540, End: 1020}, "weekday"},
		{"weekday -1", Hours{Weekday: -1, Start: 540, End: 1020}, "weekday"},
		{"start negative", Hours{Start: -5, End: 60}, "start"},
		{"start off the grid", Hours{Start: 541, End: 1020}, "start"},
		{"end off the grid", Hours{Start: 540, End: 1021}, "end"},
		{"end past midnight", Hours{Start: 540, End: 1445}, "end"},
		{"end before start", Hours{Start: 600, End: 540}, "end"},
		{"empty", Hours{Start: 600, End: 600}, "end"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkField(t, c.h.Validate(), c.field) })
	}
}

func TestExceptionValidate(t *testing.T) {
	cases := []struct {
		name  string
		e     Exception
		field string
	}{
		{"other hours", Exception{Date: "2026-05-04", Start: 600, End: 840, Reason: "Training"}, ""},
		{"day off", Exception{Date: "2026-05-04"}, ""},
		{"day off written 9 to 9", Exception{Date: "2026-05-04", Start: 540, End: 540}, ""},
		{"no date", Exception{Start: 600, End: 840}, "date"},
		{"bad date", Exception{Date: "2026-13-01", Start: 600, End: 840}, "date"},
		{"US date", Exception{Date: "05/04/2026", Start: 600, End: 840}, "date"},
		{"end before start", Exception{Date: "2026-05-04", Start: 840, End: 600}, "end"},
		{"off the grid", Exception{Date: "2026-05-04", Start: 601, End: 840}, "start"},
		{"reason too long", Exception{Date: "2026-05-04", Reason: strings.Repeat("x", 201)}, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkField(t, c.e.Validate(), c.field) })
	}
	e := Exception{Date: "2026-05-04", Start: 540, End: 540}
	if e.Validate() != nil || e.Start != 0 || e.End != 0 {
		t.Errorf("a day off is stored as %d–%d, want 0–0", e.Start, e.End)
	}
}

func TestTimeOffValidate(t *testing.T) {
	s := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		o     TimeOff
		field string
	}{
		{"a week", TimeOff{Start: s, End: s.AddDate(0, 0, 7)}, ""},
		{"an hour", TimeOff{Start: s, End: s.Add(time.Hour), Reason: "Dentist"}, ""},
		{"no start", TimeOff{End: s}, "start"},
		{"no end", TimeOff{Start: s}, "end"},
		{"ends when it starts", TimeOff{Start: s, End: s}, "end"},
		{"ends before it starts", TimeOff{Start: s, End: s.Add(-time.Hour)}, "end"},
		{"reason too long", TimeOff{Start: s, End: s.Add(time.Hour), Reason: strings.Repeat("x", 201)}, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkField(t, c.o.Validate(), c.field) })
	}
}

func TestRoomValidate(t *testing.T) {
	cases := []struct {
		name  string
		r     Room
		field string
	}{
		{"valid", Room{Name: "Room 1", LocationID: 3}, ""},
		{"no name", Room{Name: " ", LocationID: 3}, "name"},
		{"long name", Room{Name: strings.Repeat("r", 101), LocationID: 3}, "name"},
		{"no location", Room{Name: "Room 1"}, "location_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkField(t, c.r.Validate(), c.field) })
	}
}

func TestPackageValidate(t *testing.T) {
	ok := Package{Name: "10 sessions", Sessions: 10, PriceCents: 85000, ValidDays: 365}
	cases := []struct {
		name  string
		edit  func(p *Package)
		field string
	}{
		{"valid", func(p *Package) {}, ""},
		{"one session, one day", func(p *Package) { p.Sessions, p.ValidDays = 1, 1 }, ""},
		{"a hundred sessions over five years", func(p *Package) { p.Sessions, p.ValidDays = 100, 1825 }, ""},
		{"no name", func(p *Package) { p.Name = "" }, "name"},
		{"no sessions", func(p *Package) { p.Sessions = 0 }, "sessions"},
		{"101 sessions", func(p *Package) { p.Sessions = 101 }, "sessions"},
		{"valid no days", func(p *Package) { p.ValidDays = 0 }, "valid_days"},
		{"over five years", func(p *Package) { p.ValidDays = 1826 }, "valid_days"},
		{"negative price", func(p *Package) { p.PriceCents = -100 }, "price_cents"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.edit(&p)
			checkField(t, p.Validate(), c.field)
		})
	}
}

func TestParseClock(t *testing.T) {
	cases := []struct {
		in   string
		want int
		ok   bool
	}{
		{"09:00", 540, true},
		{"9:30", 570, true},
		{"14:05", 845, true},
		{" 00:00 ", 0, true},
		{"23:59", 1439, true},
		{"24:00", 1440, true},
		{"24:05", 0, false},
		{"25:00", 0, false},
		{"9:60", 0, false},
		{"9", 0, false},
		{"9:5", 0, false},
		{"09:000", 0, false},
		{"009:00", 0, false},
		{"-1:00", 0, false},
		{"9.30", 0, false},
		{"9:30am", 0, false},
		{"", 0, false},
		{"٠٩:٠٠", 0, false}, // Arabic-Indic digits are not ASCII digits
	}
	for _, c := range cases {
		got, err := ParseClock(c.in)
		if c.ok && (err != nil || got != c.want) {
			t.Errorf("ParseClock(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
		if !c.ok && !errs.Is(err, errs.Invalid) {
			t.Errorf("ParseClock(%q) = %d, %v; want an invalid error", c.in, got, err)
		}
	}
}

func TestClock(t *testing.T) {
	for min, want := range map[int]string{0: "00:00", 5: "00:05", 540: "09:00", 845: "14:05", 1439: "23:59", 1440: "24:00", -5: "00:00"} {
		if got := Clock(min); got != want {
			t.Errorf("Clock(%d) = %q, want %q", min, got, want)
		}
		if min >= 0 {
			if back, err := ParseClock(want); err != nil || back != min {
				t.Errorf("ParseClock(Clock(%d)) = %d, %v", min, back, err)
			}
		}
	}
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"09:00", "9:30", "24:00", "23:59", "", "9:5", "٠٩:٠٠", "99:99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseClock(s)
		if err != nil {
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("ParseClock(%q): %v is not an invalid-input error", s, err)
			}
			return
		}
		if m < 0 || m > 1440 {
			t.Fatalf("ParseClock(%q) = %d, outside the day", s, m)
		}
		if back, err := ParseClock(Clock(m)); err != nil || back != m {
			t.Fatalf("ParseClock(%q) = %d, but Clock gives %q which reads as %d, %v", s, m, Clock(m), back, err)
		}
	})
}
