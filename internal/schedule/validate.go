package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Validate checks a service of the menu before it is stored.
func (s *Service) Validate() error {
	f := errs.FieldErrors{}
	s.Name = strings.TrimSpace(s.Name)
	switch {
	case s.Name == "":
		f.Add("name", "Give the service a name, such as “Medical massage, 60 minutes”.")
	case utf8.RuneCountInString(s.Name) > 200:
		f.Add("name", "Use at most 200 characters.")
	}
	if utf8.RuneCountInString(s.Description) > 4000 {
		f.Add("description", "Use at most 4,000 characters.")
	}
	if s.Minutes < 5 || s.Minutes > 480 || s.Minutes%5 != 0 {
		f.Add("minutes", "Choose a length from 5 to 480 minutes, in steps of 5.")
	}
	if !bufferOK(s.BufferBefore) {
		f.Add("buffer_before", "Choose 0 to 120 minutes, in steps of 5.")
	}
	if !bufferOK(s.BufferAfter) {
		f.Add("buffer_after", "Choose 0 to 120 minutes, in steps of 5.")
	}
	if s.PriceCents < 0 {
		f.Add("price_cents", "The price cannot be negative.")
	}
	for i := range s.Procedures {
		p := &s.Procedures[i]
		p.Code = strings.ToUpper(strings.TrimSpace(p.Code))
		if !ProcedureCode(p.Code) {
			f.Add("procedures", "Line "+strconv.Itoa(i+1)+": enter a five-character CPT or HCPCS code, such as 97140 or G0283.")
		} else if p.Units < 1 || p.Units > 8 {
			f.Add("procedures", "Line "+strconv.Itoa(i+1)+": bill 1 to 8 units.")
		}
	}
	for _, id := range s.Performers {
		if id <= 0 {
			f.Add("performers", "Choose therapists from the list.")
		}
	}
	return f.Err()
}

func bufferOK(m int) bool { return m >= 0 && m <= 120 && m%5 == 0 }

// ProcedureCode reports whether c has the shape of a procedure code: a CPT
// Category I code (five digits), a CPT Category II, III or PLA code (four
// digits and F, T or U), or a HCPCS Level II code (a letter and four digits).
// Whether the code exists is for the billing code set to say.
func ProcedureCode(c string) bool {
	if len(c) != 5 {
		return false
	}
	for i := 1; i < 4; i++ {
		if !digit(c[i]) {
			return false
		}
	}
	switch {
	case digit(c[0]) && digit(c[4]):
		return true
	case digit(c[0]) && (c[4] == 'F' || c[4] == 'T' || c[4] == 'U'):
		return true
	case c[0] >= 'A' && c[0] <= 'Z' && digit(c[4]):
		return true
	}
	return false
}

func digit(b byte) bool { return b >= '0' && b <= '9' }

// Validate checks a row of weekly hours.
func (h *Hours) Validate() error {
	f := errs.FieldErrors{}
	if h.Weekday < time.Sunday || h.Weekday > time.Saturday {
		f.Add("weekday", "Choose a day from Sunday to Saturday.")
	}
	spanErrors(f, h.Start, h.End)
	return f.Err()
}

// spanErrors checks a span of minutes after local midnight.
func spanErrors(f errs.FieldErrors, start, end int) {
	if start < 0 || start >= 1440 || start%5 != 0 {
		f.Add("start", "Choose a start from 00:00 to 23:55, on a five-minute mark.")
	}
	if end <= 0 || end > 1440 || end%5 != 0 {
		f.Add("end", "Choose an end from 00:05 to 24:00, on a five-minute mark.")
	} else if end <= start {
		f.Add("end", "End after the start.")
	}
}

// Validate checks an exception to the weekly hours. Start == End is a day
// off; it is stored as 00:00–00:00.
func (e *Exception) Validate() error {
	f := errs.FieldErrors{}
	if _, err := time.Parse(time.DateOnly, e.Date); err != nil {
		f.Add("date", "Enter a date as YYYY-MM-DD.")
	}
	if e.Start == e.End {
		e.Start, e.End = 0, 0
	} else {
		spanErrors(f, e.Start, e.End)
	}
	e.Reason = strings.TrimSpace(e.Reason)
	if utf8.RuneCountInString(e.Reason) > 200 {
		f.Add("reason", "Use at most 200 characters.")
	}
	return f.Err()
}

// Validate checks a period of time off.
func (t *TimeOff) Validate() error {
	f := errs.FieldErrors{}
	if t.Start.IsZero() {
		f.Add("start", "Enter when the time off starts.")
	}
	if t.End.IsZero() {
		f.Add("end", "Enter when the time off ends.")
	} else if !t.End.After(t.Start) {
		f.Add("end", "End after the start.")
	}
	t.Reason = strings.TrimSpace(t.Reason)
	if utf8.RuneCountInString(t.Reason) > 200 {
		f.Add("reason", "Use at most 200 characters.")
	}
	return f.Err()
}

// Validate checks a room before it is stored.
func (r *Room) Validate() error {
	f := errs.FieldErrors{}
	r.Name = strings.TrimSpace(r.Name)
	switch {
	case r.Name == "":
		f.Add("name", "Give the room a name, such as “Room 1”.")
	case utf8.RuneCountInString(r.Name) > 100:
		f.Add("name", "Use at most 100 characters.")
	}
	if r.LocationID <= 0 {
		f.Add("location_id", "Choose the location the room is at.")
	}
	return f.Err()
}

// Validate checks a package of the menu before it is stored.
func (p *Package) Validate() error {
	f := errs.FieldErrors{}
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.Name == "":
		f.Add("name", "Give the package a name, such as “10 sessions”.")
	case utf8.RuneCountInString(p.Name) > 200:
		f.Add("name", "Use at most 200 characters.")
	}
	if p.Sessions < 1 || p.Sessions > 100 {
		f.Add("sessions", "Choose 1 to 100 sessions.")
	}
	if p.ValidDays < 1 || p.ValidDays > 1825 {
		f.Add("valid_days", "Choose 1 to 1,825 days (five years).")
	}
	if p.PriceCents < 0 {
		f.Add("price_cents", "The price cannot be negative.")
	}
	if p.ServiceID < 0 {
		f.Add("service_id", "Choose a service from the list.")
	}
	return f.Err()
}

// ParseClock reads a time of day such as "09:00", "9:30" or "14:05" as
// minutes after midnight. "24:00" is accepted as the end of the day (1440).
func ParseClock(s string) (int, error) {
	bad := errs.E(errs.Invalid, "Enter a time of day such as 09:00 or 14:30.")
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 {
		return 0, bad
	}
	hh, mm := 0, 0
	for i := 0; i < len(h); i++ {
		if !digit(h[i]) {
			return 0, bad
		}
		hh = hh*10 + int(h[i]-'0')
	}
	for i := 0; i < 2; i++ {
		if !digit(m[i]) {
			return 0, bad
		}
		mm = mm*10 + int(m[i]-'0')
	}
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, bad
	}
	return hh*60 + mm, nil
}

// Clock writes minutes after midnight as "09:00"; 1440, the end of the day,
// is "24:00". Negative minutes are written as "00:00".
func Clock(min int) string {
	if min < 0 {
		min = 0
	}
	return fmt.Sprintf("%02d:%02d", min/60, min%60)
}
