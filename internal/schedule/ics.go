package schedule

import (
	"bytes"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is an appointment as a calendar event (RFC 5545 §3.6.1 VEVENT).
type Event struct {
	UID         string    // stable, e.g. "appt-42@demo.fascia"
	Sequence    int       // bump on every change (use the appointment's Version)
	Start, End  time.Time // written in UTC
	Stamp       time.Time // DTSTAMP: when this copy was made; the Start when zero
	Summary     string
	Description string
	Location    string
	URL         string
	Cancelled   bool   // STATUS:CANCELLED (and METHOD:CANCEL when the calendar is a cancellation)
	Organizer   string // mailto address for invitations, may be ""
	Attendee    string // mailto address for invitations, may be ""
}

// Calendar encodes events as a VCALENDAR (RFC 5545). method is "REQUEST"
// (an invitation e-mailed to a client), "CANCEL" (every event is then
// STATUS:CANCELLED, RFC 5546 §3.2.5), or "" for a subscribed feed: then
// the calendar is named name (NAME of RFC 7986 §5.1, and X-WR-CALNAME for
// the clients that predate it) and REFRESH-INTERVAL (RFC 7986 §5.7) and
// X-PUBLISHED-TTL suggest polling every 15 minutes.
//
// Times are written in UTC with the Z suffix (RFC 5545 §3.3.5 form 2),
// which every client reads correctly and needs no VTIMEZONE. A feed with
// no events is written without any: §3.4 asks for one component at least,
// but the common clients accept an empty feed, and a placeholder event
// would show up in the therapist's calendar.
func Calendar(prodName, name, method string, events []Event) []byte {
	var b bytes.Buffer
	method = token(method)
	line(&b, "BEGIN:VCALENDAR")
	line(&b, "VERSION:2.0")
	// PRODID §3.7.3: a globally unique identifier of the product.
	line(&b, "PRODID:-//Fascia//"+text(prodName)+"//EN")
	line(&b, "CALSCALE:GREGORIAN")
	if method != "" {
		line(&b, "METHOD:"+method)
	} else {
		if name != "" {
			line(&b, "NAME:"+text(name))
			line(&b, "X-WR-CALNAME:"+text(name))
		}
		line(&b, "REFRESH-INTERVAL;VALUE=DURATION:PT15M")
		line(&b, "X-PUBLISHED-TTL:PT15M")
	}
	for _, e := range events {
		stamp := e.Stamp
		if stamp.IsZero() {
			stamp = e.Start
		}
		line(&b, "BEGIN:VEVENT")
		line(&b, "UID:"+text(e.UID))
		line(&b, "DTSTAMP:"+utc(stamp))
		line(&b, "SEQUENCE:"+strconv.Itoa(max(e.Sequence, 0)))
		line(&b, "DTSTART:"+utc(e.Start))
		line(&b, "DTEND:"+utc(e.End))
		line(&b, "SUMMARY:"+text(e.Summary))
		if e.Description != "" {
			line(&b, "DESCRIPTION:"+text(e.Description))
		}
		if e.Location != "" {
			line(&b, "LOCATION:"+text(e.Location))
		}
		if u := uri(e.URL); u != "" {
			line(&b, "URL:"+u) // §3.8.4.6: a URI value, not TEXT, so not escaped
		}
		if e.Cancelled || method == "CANCEL" {
			line(&b, "STATUS:CANCELLED")
		} else {
			line(&b, "STATUS:CONFIRMED")
		}
		if o := mailto(e.Organizer); o != "" {
			line(&b, "ORGANIZER:"+o)
		}
		if a := mailto(e.Attendee); a != "" {
			line(&b, "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:"+a)
		}
		line(&b, "END:VEVENT")
	}
	line(&b, "END:VCALENDAR")
	return b.Bytes()
}

// line writes one content line ending in CRLF, folded per RFC 5545 §3.1:
// at most 75 octets a line, continuation lines starting with a space, and
// never inside a multi-octet UTF-8 character.
func line(b *bytes.Buffer, s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// cleanText is what a TEXT value can carry: valid UTF-8, line breaks as
// "\n", and no control characters other than tab (§3.3.11 TSAFE-CHAR
// excludes CONTROL).
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// text escapes a TEXT value per RFC 5545 §3.3.11: backslash, semicolon and
// comma are preceded by a backslash, and a line break is written "\n".
func text(s string) string {
	s = cleanText(s)
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// uri keeps a URI value on its line: no controls, no spaces.
func uri(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// mailto writes an address as the CAL-ADDRESS URI §3.3.3 expects.
func mailto(s string) string {
	s = uri(s)
	if s == "" {
		return ""
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		return "mailto:" + s[7:]
	}
	return "mailto:" + s
}

// token keeps the characters of an iana-token (§3.1): letters, digits, "-".
func token(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			return r
		}
		return -1
	}, s)
}
