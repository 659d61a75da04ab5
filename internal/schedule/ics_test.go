package schedule

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// prop is a parsed content line: NAME;PARAMS:value, value unescaped when
// the property is TEXT.
type prop struct {
	name, params, raw string
}

// parseICS reads what Calendar wrote as a client would: it checks the
// line rules of RFC 5545 §3.1 (CRLF, at most 75 octets, folds inside no
// UTF-8 character), unfolds, and splits each line into name and value.
func parseICS(t testing.TB, b []byte) []prop {
	t.Helper()
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		t.Fatal("does not end in CRLF")
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	var unfolded []string
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line %d splits a UTF-8 character: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
			if len(unfolded) == 0 {
				t.Fatal("continuation line first")
			}
			unfolded[len(unfolded)-1] += l[1:]
			continue
		}
		unfolded = append(unfolded, l)
	}
	var out []prop
	for _, l := range unfolded {
		// The name ends at the first ';' or ':'; our parameters never
		// quote a ':' so the value starts at the first ':'.
		colon := strings.IndexByte(l, ':')
		if colon < 0 {
			t.Fatalf("no ':' in %q", l)
		}
		head := l[:colon]
		name, params, _ := strings.Cut(head, ";")
		out = append(out, prop{name, params, l[colon+1:]})
	}
	return out
}

// unescapeText reverses RFC 5545 §3.3.11, failing on an escape the RFC
// does not define and on an unescaped ',' or ';'.
func unescapeText(t testing.TB, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\':
			if i+1 == len(s) {
				t.Fatalf("trailing backslash in %q", s)
			}
			i++
			switch s[i] {
			case '\\', ';', ',':
				b.WriteByte(s[i])
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				t.Fatalf("unknown escape \\%c in %q", s[i], s)
			}
		case ';', ',':
			t.Fatalf("unescaped %c in %q", c, s)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// events groups the properties of each VEVENT by name.
func events(t testing.TB, ps []prop) (cal map[string]prop, evs []map[string]prop) {
	cal = map[string]prop{}
	var cur map[string]prop
	for _, p := range ps {
		switch {
		case p.name == "BEGIN" && p.raw == "VEVENT":
			cur = map[string]prop{}
		case p.name == "END" && p.raw == "VEVENT":
			evs = append(evs, cur)
			cur = nil
		case cur != nil:
			if _, dup := cur[p.name]; dup {
				t.Errorf("%s twice in one event", p.name)
			}
			cur[p.name] = p
		default:
			cal[p.name] = p
		}
	}
	return cal, evs
}

func TestCalendarInvitation(t *testing.T) {
	chi := zone(t, "America/Chicago")
	ev := Event{
		UID:         "appt-42@demo.fascia",
		Sequence:    3,
		Start:       time.Date(2026, 5, 4, 9, 0, 0, 0, chi),
		End:         time.Date(2026, 5, 4, 10, 0, 0, 0, chi),
		Stamp:       time.Date(2026, 5, 1, 12, 30, 15, 0, time.UTC),
		Summary:     "Medical massage, 60 min; with Tess",
		Description: "Bring comfortable clothes.\nCancel: https://demo.example/c/abc?x=1,2\\3",
		Location:    "Fascia Downtown, 12 Main St; Suite 4",
		URL:         "https://demo.example/a/42?t=x,y;z",
		Organizer:   "front@demo.example",
		Attendee:    "mailto:client@example.com",
	}
	b := Calendar("Fascia 1.0", "ignored", "REQUEST", []Event{ev})
	if !bytes.HasPrefix(b, []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")) {
		t.Errorf("starts %q", b[:min(len(b), 40)])
	}
	cal, evs := events(t, parseICS(t, b))
	if cal["METHOD"].raw != "REQUEST" {
		t.Errorf("METHOD = %q", cal["METHOD"].raw)
	}
	if _, ok := cal["X-WR-CALNAME"]; ok {
		t.Error("an invitation carries a feed's name")
	}
	if !strings.Contains(cal["PRODID"].raw, "Fascia 1.0") {
		t.Errorf("PRODID = %q", cal["PRODID"].raw)
	}
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	e := evs[0]
	for name, want := range map[string]string{
		"UID": "appt-42@demo.fascia", "SEQUENCE": "3",
		"DTSTART": "20260504T140000Z", "DTEND": "20260504T150000Z", "DTSTAMP": "20260501T123015Z",
		"STATUS":    "CONFIRMED",
		"URL":       "https://demo.example/a/42?t=x,y;z",
		"ORGANIZER": "mailto:front@demo.example",
		"ATTENDEE":  "mailto:client@example.com",
	} {
		if got := e[name].raw; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]string{"SUMMARY": ev.Summary, "DESCRIPTION": ev.Description, "LOCATION": ev.Location} {
		if got := unescapeText(t, e[name].raw); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if !strings.Contains(e["ATTENDEE"].params, "RSVP=FALSE") {
		t.Errorf("ATTENDEE params = %q", e["ATTENDEE"].params)
	}
}

func TestCalendarCancel(t *testing.T) {
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	ev := Event{UID: "appt-42@demo.fascia", Sequence: 4, Start: start, End: start.Add(time.Hour), Summary: "Massage",
		Organizer: "mailto:front@demo.example", Attendee: "client@example.com"}
	cal, evs := events(t, parseICS(t, Calendar("Fascia", "", "cancel", []Event{ev})))
	if cal["METHOD"].raw != "CANCEL" {
		t.Errorf("METHOD = %q", cal["METHOD"].raw)
	}
	if evs[0]["STATUS"].raw != "CANCELLED" {
		t.Errorf("STATUS = %q", evs[0]["STATUS"].raw)
	}
	if evs[0]["DTSTAMP"].raw != "20260504T140000Z" {
		t.Errorf("DTSTAMP without a stamp = %q, want the start", evs[0]["DTSTAMP"].raw)
	}
	if evs[0]["SEQUENCE"].raw != "4" || evs[0]["UID"].raw != ev.UID {
		t.Errorf("SEQUENCE %q UID %q: a cancellation must name the event it cancels", evs[0]["SEQUENCE"].raw, evs[0]["UID"].raw)
	}
}

func TestCalendarFeed(t *testing.T) {
	start := time.Date(2026, 3, 8, 14, 0, 0, 0, time.UTC)
	evs := []Event{
		{UID: "appt-1@demo.fascia", Start: start, End: start.Add(time.Hour), Summary: "A. Client"},
		{UID: "appt-2@demo.fascia", Start: start.Add(2 * time.Hour), End: start.Add(3 * time.Hour), Summary: "B. Client", Cancelled: true, Sequence: -2},
	}
	cal, got := events(t, parseICS(t, Calendar("Fascia", "Tess — Fascia, Downtown", "", evs)))
	if _, ok := cal["METHOD"]; ok {
		t.Error("a feed has no METHOD (RFC 5545 §3.7.2: only with iTIP)")
	}
	if n := unescapeText(t, cal["X-WR-CALNAME"].raw); n != "Tess — Fascia, Downtown" {
		t.Errorf("X-WR-CALNAME = %q", n)
	}
	if r := cal["REFRESH-INTERVAL"]; r.raw != "PT15M" || r.params != "VALUE=DURATION" {
		t.Errorf("REFRESH-INTERVAL = %+v", r)
	}
	if cal["X-PUBLISHED-TTL"].raw != "PT15M" {
		t.Errorf("X-PUBLISHED-TTL = %q", cal["X-PUBLISHED-TTL"].raw)
	}
	if len(got) != 2 {
		t.Fatalf("%d events", len(got))
	}
	if got[0]["STATUS"].raw != "CONFIRMED" || got[1]["STATUS"].raw != "CANCELLED" {
		t.Errorf("STATUS = %q, %q", got[0]["STATUS"].raw, got[1]["STATUS"].raw)
	}
	if got[1]["SEQUENCE"].raw != "0" {
		t.Errorf("negative sequence written as %q", got[1]["SEQUENCE"].raw)
	}
	for _, name := range []string{"DESCRIPTION", "LOCATION", "URL", "ORGANIZER", "ATTENDEE"} {
		if _, ok := got[0][name]; ok {
			t.Errorf("empty %s written", name)
		}
	}
	if c := Calendar("Fascia", "Empty", "", nil); !bytes.HasSuffix(c, []byte("X-PUBLISHED-TTL:PT15M\r\nEND:VCALENDAR\r\n")) {
		t.Errorf("empty feed:\n%s", c)
	}
}

// Long text with multi-octet characters folds at 75 octets without
// splitting a character, and unfolds to the same text.
func TestCalendarFolding(t *testing.T) {
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	cases := []string{
		strings.Repeat("é", 100),
		strings.Repeat("a", 74) + "€" + strings.Repeat("b", 200),
		strings.Repeat("🙂", 60) + "x",
		strings.Repeat("ab,", 70),
		strings.Repeat(`\`, 100),
		"Line one\nLine two\r\nLine three\rfour",
	}
	for _, s := range cases {
		b := Calendar("Fascia", "", "REQUEST", []Event{{UID: "u", Start: start, End: start, Summary: "x", Description: s}})
		_, evs := events(t, parseICS(t, b))
		want := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
		if got := unescapeText(t, evs[0]["DESCRIPTION"].raw); got != want {
			t.Errorf("round trip of %q gave %q", s, got)
		}
	}
}

func TestCalendarControls(t *testing.T) {
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	b := Calendar("Fascia\x00", "", "REQUEST\r\nX-EVIL:1", []Event{{UID: "u\r\nX-EVIL:2", Start: start, End: start,
		Summary: "a\x00b\x1bc\td\x7f", URL: "https://x.example/\r\nX-EVIL:3", Attendee: "a@b.example\r\nX-EVIL:4"}})
	ps := parseICS(t, b)
	for _, p := range ps {
		if strings.HasPrefix(p.name, "X-EVIL") {
			t.Errorf("injected property %q", p.name)
		}
	}
	cal, evs := events(t, ps)
	if cal["METHOD"].raw != "REQUESTX-EVIL1" {
		t.Errorf("METHOD = %q", cal["METHOD"].raw)
	}
	if got := unescapeText(t, evs[0]["SUMMARY"].raw); got != "abc\td" {
		t.Errorf("SUMMARY = %q, want controls dropped and the tab kept", got)
	}
	if got := evs[0]["URL"].raw; got != "https://x.example/X-EVIL:3" {
		t.Errorf("URL = %q", got)
	}
}

func FuzzCalendarText(f *testing.F) {
	for _, s := range []string{"", "plain", "a,b;c\\d\ne", strings.Repeat("é🙂", 40), "\r\n\r", "\xff\xfe", "tab\there"} {
		f.Add(s, s+s)
	}
	start := time.Date(2026, 5, 4, 14, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, summary, desc string) {
		b := Calendar("Fascia", summary, "", []Event{{UID: "u", Start: start, End: start, Summary: summary, Description: desc}})
		cal, evs := events(t, parseICS(t, b))
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		if got := unescapeText(t, cal["X-WR-CALNAME"].raw); got != cleanText(summary) {
			t.Errorf("name %q came back as %q", summary, got)
		}
		if got := unescapeText(t, evs[0]["SUMMARY"].raw); got != cleanText(summary) {
			t.Errorf("summary %q came back as %q", summary, got)
		}
		if desc != "" {
			if got := unescapeText(t, evs[0]["DESCRIPTION"].raw); got != cleanText(desc) {
				t.Errorf("description %q came back as %q", desc, got)
			}
		}
		// Text a person can type (valid UTF-8, LF line breaks, tabs) comes
		// back unchanged.
		typed := utf8.ValidString(summary) && !strings.ContainsFunc(summary, func(r rune) bool {
			return (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f
		})
		if typed && cleanText(summary) != summary {
			t.Errorf("cleanText changed typed text %q to %q", summary, cleanText(summary))
		}
	})
}
