package mail_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
	fmail "github.com/fascia-health/fascia/internal/mail"
)

const invite = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Fascia//Schedule//EN\r\nMETHOD:REQUEST\r\n" +
	"BEGIN:VEVENT\r\nUID:appt-42@demo.test\r\nDTSTAMP:20260302T150000Z\r\nDTSTART:20260310T150000Z\r\n" +
	"DTEND:20260310T160000Z\r\nSUMMARY:Medical massage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

var now = time.Date(2026, 3, 2, 9, 30, 0, 0, time.FixedZone("CST", -6*3600))

// part is one leaf of a parsed message.
type part struct {
	mediaType string
	params    map[string]string
	header    map[string][]string
	body      []byte
	parents   []string // enclosing multipart types, outermost first
}

// walk parses a MIME entity the way a mail client would, decoding
// quoted-printable (multipart.Reader does) and base64.
func walk(t *testing.T, header map[string][]string, body io.Reader, parents []string) []part {
	t.Helper()
	ct := first(header, "Content-Type")
	if ct == "" {
		ct = "text/plain"
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		t.Fatalf("Content-Type %q: %v", ct, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		var out []part
		for {
			p, err := r.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", mt, err)
			}
			out = append(out, walk(t, p.Header, p, append(append([]string{}, parents...), mt))...)
		}
		return out
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	if strings.EqualFold(first(header, "Content-Transfer-Encoding"), "base64") {
		if b, err = base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b))); err != nil {
			t.Fatalf("%s: base64: %v", mt, err)
		}
	}
	return []part{{mediaType: mt, params: params, header: header, body: b, parents: parents}}
}

func first(h map[string][]string, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func parse(t *testing.T, raw []byte) (*mail.Message, []part) {
	t.Helper()
	for i, line := range strings.Split(string(raw), "\r\n") {
		if len(line) > 998 {
			t.Fatalf("line %d is %d characters; RFC 5322 allows 998", i+1, len(line))
		}
		if strings.Contains(line, "\n") {
			t.Fatalf("line %d has a bare LF", i+1)
		}
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v\n%s", err, raw)
	}
	return msg, walk(t, msg.Header, msg.Body, nil)
}

func TestBuildInvitation(t *testing.T) {
	pdf := []byte("%PDF-1.4 not really a PDF \x00\x01\x02\xff")
	m := fmail.Message{
		To: "zoe@example.com", ToName: "Zoë Ångström",
		Subject:  "Reminder: your appointment on Tuesday, 10 March — 09:00",
		Text:     "Hello Zoë,\n\nSee you on Tuesday at 09:00.\nA line that ends in spaces   \n=equals= and dots\n.\n",
		HTML:     "<p>Hello Zoë,</p><p>See you on <b>Tuesday</b> at 09:00.</p>",
		Calendar: []byte(invite),
		Attachments: []fmail.Attachment{
			{Name: "directions.pdf", ContentType: "application/pdf", Data: pdf},
		},
		Headers: map[string]string{"Auto-Submitted": "auto-generated", "X-Fascia-Kind": "reminder"},
	}
	raw, err := fmail.Build("front@riverside.test", "Riverside Medical Massage, LLC", m, now, "<abc123@riverside.test>")
	if err != nil {
		t.Fatal(err)
	}
	msg, parts := parse(t, raw)
	h := msg.Header

	if d, err := h.Date(); err != nil || !d.Equal(now) {
		t.Errorf("Date %q parses to %v, %v; want %v", h.Get("Date"), d, err, now)
	}
	if got := h.Get("Message-Id"); got != "<abc123@riverside.test>" {
		t.Errorf("Message-ID %q", got)
	}
	if got := h.Get("Mime-Version"); got != "1.0" {
		t.Errorf("MIME-Version %q", got)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Name != "Riverside Medical Massage, LLC" || from.Address != "front@riverside.test" {
		t.Errorf("From %q parses to %+v, %v", h.Get("From"), from, err)
	}
	to, err := mail.ParseAddress(h.Get("To"))
	if err != nil || to.Name != "Zoë Ångström" || to.Address != "zoe@example.com" {
		t.Errorf("To %q parses to %+v, %v", h.Get("To"), to, err)
	}
	if !strings.Contains(h.Get("To"), "=?utf-8?") {
		t.Errorf("non-ASCII display name is not an RFC 2047 encoded-word: %q", h.Get("To"))
	}
	rawSubject := h.Get("Subject")
	if !strings.HasPrefix(rawSubject, "=?utf-8?q?") {
		t.Errorf("non-ASCII subject is not an encoded-word: %q", rawSubject)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(rawSubject)
	if err != nil || subject != m.Subject {
		t.Errorf("subject decodes to %q, %v; want %q", subject, err, m.Subject)
	}
	if h.Get("Auto-Submitted") != "auto-generated" || h.Get("X-Fascia-Kind") != "reminder" {
		t.Errorf("extra headers: %q %q", h.Get("Auto-Submitted"), h.Get("X-Fascia-Kind"))
	}
	if mt, _, _ := mime.ParseMediaType(h.Get("Content-Type")); mt != "multipart/mixed" {
		t.Errorf("top-level type %q, want multipart/mixed", mt)
	}

	type want struct {
		mediaType, parent, body string
	}
	wants := []want{
		{"text/plain", "multipart/alternative", strings.ReplaceAll(m.Text, "\n", "\r\n")},
		{"text/html", "multipart/alternative", m.HTML},
		{"text/calendar", "multipart/alternative", invite},
		{"application/ics", "multipart/mixed", invite},
		{"application/pdf", "multipart/mixed", string(pdf)},
	}
	if len(parts) != len(wants) {
		t.Fatalf("%d parts, want %d", len(parts), len(wants))
	}
	for i, w := range wants {
		p := parts[i]
		if p.mediaType != w.mediaType || p.parents[len(p.parents)-1] != w.parent {
			t.Errorf("part %d: %s in %v, want %s in %s", i, p.mediaType, p.parents, w.mediaType, w.parent)
		}
		if string(p.body) != w.body {
			t.Errorf("part %d (%s) body:\n%q\nwant\n%q", i, p.mediaType, p.body, w.body)
		}
	}
	if parts[0].params["charset"] != "utf-8" || parts[1].params["charset"] != "utf-8" {
		t.Errorf("text parts' charsets: %v %v", parts[0].params, parts[1].params)
	}
	if got := parts[2].params["method"]; got != "REQUEST" {
		t.Errorf("text/calendar method=%q, want REQUEST (what Gmail and Outlook read)", got)
	}
	for i, name := range map[int]string{3: "invite.ics", 4: "directions.pdf"} {
		_, dp, err := mime.ParseMediaType(first(parts[i].header, "Content-Disposition"))
		if err != nil || dp["filename"] != name || !strings.HasPrefix(first(parts[i].header, "Content-Disposition"), "attachment") {
			t.Errorf("part %d disposition %q, want attachment %s", i, first(parts[i].header, "Content-Disposition"), name)
		}
	}
	// The text bodies are quoted-printable, so the raw message is 7-bit.
	for i, c := range raw {
		if c >= 0x80 {
			t.Fatalf("byte %d of the message is not 7-bit", i)
		}
	}
	for _, line := range strings.Split(string(raw), "\r\n") {
		if strings.HasSuffix(line, " ") && !strings.HasPrefix(line, " ") && line != "" {
			t.Errorf("line ends in a space, which transports may strip: %q", line)
		}
	}
}

func TestBuildShapes(t *testing.T) {
	cases := []struct {
		name  string
		m     fmail.Message
		top   string
		types []string
	}{
		{"text only", fmail.Message{To: "a@b.test", Subject: "Hi", Text: "Hello"}, "text/plain", []string{"text/plain"}},
		{"text and HTML", fmail.Message{To: "a@b.test", Subject: "Hi", Text: "Hello", HTML: "<p>Hello</p>"}, "multipart/alternative", []string{"text/plain", "text/html"}},
		{"text and attachment", fmail.Message{To: "a@b.test", Subject: "Hi", Text: "Hello", Attachments: []fmail.Attachment{{Name: "a.txt", Data: []byte("x")}}},
			"multipart/mixed", []string{"text/plain", "application/octet-stream"}},
		{"cancellation", fmail.Message{To: "a@b.test", Subject: "Cancelled", Text: "Cancelled", Calendar: []byte(strings.ReplaceAll(invite, "REQUEST", "CANCEL")), CalendarMethod: "cancel"},
			"multipart/mixed", []string{"text/plain", "text/calendar", "application/ics"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, err := fmail.Build("x@y.test", "", c.m, now, "")
			if err != nil {
				t.Fatal(err)
			}
			msg, parts := parse(t, raw)
			if mt, _, _ := mime.ParseMediaType(msg.Header.Get("Content-Type")); mt != c.top {
				t.Errorf("top-level %q, want %q", mt, c.top)
			}
			var types []string
			for _, p := range parts {
				types = append(types, p.mediaType)
			}
			if strings.Join(types, ",") != strings.Join(c.types, ",") {
				t.Errorf("parts %v, want %v", types, c.types)
			}
			if id := msg.Header.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@y.test>") {
				t.Errorf("generated Message-ID %q", id)
			}
			if c.m.CalendarMethod != "" && parts[1].params["method"] != "CANCEL" {
				t.Errorf("method %q", parts[1].params["method"])
			}
		})
	}
}

// A calendar object with non-ASCII text travels base64-encoded and arrives intact.
func TestBuildNonASCIICalendar(t *testing.T) {
	ics := strings.ReplaceAll(invite, "Medical massage", "Massage médical — Zoë") + "X-EXTRA:bare LF line\n"
	raw, err := fmail.Build("x@y.test", "Clínica", fmail.Message{To: "a@b.test", Subject: "Termin", Text: "Hallo", Calendar: []byte(ics)}, now, "")
	if err != nil {
		t.Fatal(err)
	}
	msg, parts := parse(t, raw)
	want := strings.ReplaceAll(ics, "bare LF line\n", "bare LF line\r\n")
	if string(parts[1].body) != want || string(parts[2].body) != want {
		t.Errorf("calendar parts:\n%q\n%q\nwant %q", parts[1].body, parts[2].body, want)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || from.Name != "Clínica" {
		t.Errorf("From %q: %+v %v", msg.Header.Get("From"), from, err)
	}
}

func TestBuildLongHeadersFold(t *testing.T) {
	subject := strings.Repeat("Erinnerung an Ihren Termin bei Zoë Ångström in der Praxis ", 6)
	name := strings.Repeat("Riverside Medical Massage and Wellness ", 4)
	raw, err := fmail.Build("x@y.test", name, fmail.Message{To: "a@b.test", Subject: subject, Text: "Hallo"}, now, "")
	if err != nil {
		t.Fatal(err)
	}
	head, _, _ := strings.Cut(string(raw), "\r\n\r\n")
	for _, line := range strings.Split(head, "\r\n") {
		if len(line) > 76 {
			t.Errorf("header line of %d characters: %q", len(line), line)
		}
	}
	msg, _ := parse(t, raw)
	got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || got != subject {
		t.Errorf("folded subject decodes to %q, %v", got, err)
	}
	from, err := mail.ParseAddress(msg.Header.Get("From"))
	if err != nil || from.Name != name {
		t.Errorf("folded From decodes to %+v, %v", from, err)
	}
}

// Header injection and other bad input are refused, naming the field.
func TestBuildRefuses(t *testing.T) {
	ok := fmail.Message{To: "zoe@example.com", Subject: "Reminder", Text: "Hello"}
	cases := []struct {
		name     string
		from     string
		fromName string
		edit     func(m *fmail.Message)
		field    string
	}{
		{"subject with CRLF", "", "", func(m *fmail.Message) { m.Subject = "Hi\r\nBcc: victim@example.com" }, "subject"},
		{"subject with bare LF", "", "", func(m *fmail.Message) { m.Subject = "Hi\nBcc: victim@example.com" }, "subject"},
		{"recipient name with CR", "", "", func(m *fmail.Message) { m.ToName = "Zoe\rBcc: victim@example.com" }, "to_name"},
		{"recipient address with LF", "", "", func(m *fmail.Message) { m.To = "zoe@example.com\nBcc: victim@example.com" }, "to"},
		{"two recipients", "", "", func(m *fmail.Message) { m.To = "zoe@example.com, victim@example.com" }, "to"},
		{"recipient with display name", "", "", func(m *fmail.Message) { m.To = "Zoe <zoe@example.com>" }, "to"},
		{"no recipient", "", "", func(m *fmail.Message) { m.To = "" }, "to"},
		{"non-ASCII recipient", "", "", func(m *fmail.Message) { m.To = "zoë@example.com" }, "to"},
		{"sender name with CRLF", "", "Clinic\r\nBcc: victim@example.com", func(m *fmail.Message) {}, "from_name"},
		{"bad sender", "not an address", "", func(m *fmail.Message) {}, "from_addr"},
		{"extra header value with LF", "", "", func(m *fmail.Message) { m.Headers = map[string]string{"X-Note": "a\nBcc: victim@example.com"} }, "headers"},
		{"extra header name with colon", "", "", func(m *fmail.Message) { m.Headers = map[string]string{"Bcc: victim@example.com\r\nX": "1"} }, "headers"},
		{"extra header overriding To", "", "", func(m *fmail.Message) { m.Headers = map[string]string{"to": "victim@example.com"} }, "headers"},
		{"extra Bcc header", "", "", func(m *fmail.Message) { m.Headers = map[string]string{"BCC": "victim@example.com"} }, "headers"},
		{"attachment name with LF", "", "", func(m *fmail.Message) {
			m.Attachments = []fmail.Attachment{{Name: "a.pdf\nContent-Type: text/html", Data: []byte("x")}}
		}, "attachments.0"},
		{"attachment without a name", "", "", func(m *fmail.Message) { m.Attachments = []fmail.Attachment{{Data: []byte("x")}} }, "attachments.0"},
		{"attachment with a bad type", "", "", func(m *fmail.Message) {
			m.Attachments = []fmail.Attachment{{Name: "a", ContentType: "text/plain\r\nX: y", Data: []byte("x")}}
		}, "attachments.0"},
		{"calendar method with CRLF", "", "", func(m *fmail.Message) { m.Calendar = []byte(invite); m.CalendarMethod = "REQUEST\r\nX: y" }, "calendar_method"},
		{"no text body", "", "", func(m *fmail.Message) { m.Text = " \n" }, "text"},
		{"subject too long for one line", "", "", func(m *fmail.Message) { m.Subject = strings.Repeat("x", 1000) }, "subject"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := ok
			c.edit(&m)
			from := c.from
			if from == "" {
				from = "front@riverside.test"
			}
			raw, err := fmail.Build(from, c.fromName, m, now, "")
			if err == nil {
				t.Fatalf("built:\n%s", raw)
			}
			if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)[c.field] == "" {
				t.Fatalf("error %v with fields %v; want Invalid on %s", err, errs.FieldsOf(err), c.field)
			}
			if strings.Contains(err.Error(), "victim@example.com") {
				t.Errorf("the error repeats the injected text: %v", err)
			}
		})
	}
	if _, err := fmail.Build("front@riverside.test", "", ok, now, "<two words@x>"); errs.Code(err) != errs.Invalid {
		t.Errorf("Message-ID with a space: %v", err)
	}
}

func TestSettingsValidate(t *testing.T) {
	good := fmail.Settings{Host: "smtp.example.com", Port: 587, TLS: "starttls", Username: "u", Password: "p", From: "front@riverside.test", FromName: "Riverside"}
	cases := []struct {
		name   string
		edit   func(s *fmail.Settings)
		fields []string
	}{
		{"good", func(s *fmail.Settings) {}, nil},
		{"implicit TLS", func(s *fmail.Settings) { s.TLS, s.Port = "tls", 465 }, nil},
		{"no auth without TLS", func(s *fmail.Settings) { s.TLS, s.Username, s.Password = "none", "", "" }, nil},
		{"auth without TLS on localhost", func(s *fmail.Settings) { s.TLS, s.Host = "none", "localhost" }, nil},
		{"auth without TLS on 127.0.0.1", func(s *fmail.Settings) { s.TLS, s.Host = "none", "127.0.0.1" }, nil},
		{"auth without TLS on ::1", func(s *fmail.Settings) { s.TLS, s.Host = "none", "::1" }, nil},
		{"auth without TLS elsewhere", func(s *fmail.Settings) { s.TLS = "none" }, []string{"tls_mode"}},
		{"auth without TLS on a LAN address", func(s *fmail.Settings) { s.TLS, s.Host = "none", "192.168.1.10" }, []string{"tls_mode"}},
		{"empty", func(s *fmail.Settings) { *s = fmail.Settings{} }, []string{"from_addr", "host", "port", "tls_mode"}},
		{"host with scheme", func(s *fmail.Settings) { s.Host = "smtp://smtp.example.com" }, []string{"host"}},
		{"host with space", func(s *fmail.Settings) { s.Host = "smtp example.com" }, []string{"host"}},
		{"port too high", func(s *fmail.Settings) { s.Port = 70000 }, []string{"port"}},
		{"unknown TLS", func(s *fmail.Settings) { s.TLS = "ssl" }, []string{"tls_mode"}},
		{"from with name", func(s *fmail.Settings) { s.From = "Riverside <front@riverside.test>" }, []string{"from_addr"}},
		{"from name with CRLF", func(s *fmail.Settings) { s.FromName = "R\r\nBcc: x@y" }, []string{"from_name"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := good
			c.edit(&s)
			err := s.Validate()
			var got []string
			for f := range errs.FieldsOf(err) {
				got = append(got, f)
			}
			if len(c.fields) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if errs.Code(err) != errs.Invalid {
				t.Fatalf("error %v, want Invalid", err)
			}
			for _, f := range c.fields {
				if errs.FieldsOf(err)[f] == "" {
					t.Errorf("no message for %s; fields %v", f, got)
				}
			}
			if len(got) != len(c.fields) {
				t.Errorf("fields %v, want %v", got, c.fields)
			}
		})
	}
}

// Whatever the subject and display names, Build either refuses them or
// writes exactly the headers it means to: no value can add a header.
func FuzzBuildHeaders(f *testing.F) {
	f.Add("Reminder", "Zoë", "Clinic", "v")
	f.Add("Hi\r\nBcc: x@y.test", "a\nb", "c\rd", "e\r\nf")
	f.Add("=?utf-8?q?x?=", "\"quoted\" <x@y>", "O'Brien, Ann", "x: y")
	f.Add(strings.Repeat("Zoë ", 60), strings.Repeat("é", 80), "", "")
	f.Fuzz(func(t *testing.T, subject, toName, fromName, extra string) {
		m := fmail.Message{To: "zoe@example.com", ToName: toName, Subject: subject, Text: "Hello", Headers: map[string]string{"X-Extra": extra}}
		raw, err := fmail.Build("front@riverside.test", fromName, m, now, "")
		if err != nil {
			if errs.Code(err) != errs.Invalid {
				t.Fatalf("error is not Invalid: %v", err)
			}
			return
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("unreadable message: %v\n%q", err, raw)
		}
		want := map[string]bool{"Date": true, "Message-Id": true, "Mime-Version": true, "From": true, "To": true,
			"Subject": true, "X-Extra": true, "Content-Type": true, "Content-Transfer-Encoding": true}
		for k, v := range msg.Header {
			if !want[k] || len(v) != 1 {
				t.Fatalf("header %q appears %d times\n%q", k, len(v), raw)
			}
		}
		to, err := mail.ParseAddress(msg.Header.Get("To"))
		if err != nil || to.Address != "zoe@example.com" {
			t.Fatalf("To %q parses to %+v, %v", msg.Header.Get("To"), to, err)
		}
		// What arrives reads as what was sent (folding may merge spaces).
		same := func(a, b string) bool {
			return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
		}
		if !same(to.Name, toName) {
			t.Fatalf("recipient name %q arrives as %q (header %q)", toName, to.Name, msg.Header.Get("To"))
		}
		if got, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil || !same(got, subject) {
			t.Fatalf("subject %q arrives as %q, %v", subject, got, err)
		}
	})
}

// Display names with the characters that structure an address list.
func TestBuildDisplayNamesRoundTrip(t *testing.T) {
	for _, name := range []string{
		`Ann "Nan" O'Brien, LMT`, `Zoë \ Smith, LMT`, `Zoë "Z" <boss@evil.test>`, `Ünal (Riverside)`, `José María`, `a\b`, `=?utf-8?q?x?=`,
	} {
		raw, err := fmail.Build("x@y.test", name, fmail.Message{To: "zoe@example.com", ToName: name, Subject: "Hi", Text: "Hello"}, now, "")
		if err != nil {
			t.Fatalf("%q: %v", name, err)
		}
		msg, _ := parse(t, raw)
		for _, h := range []string{"From", "To"} {
			as, err := msg.Header.AddressList(h)
			if err != nil || len(as) != 1 || as[0].Name != name {
				t.Errorf("%s name %q: header %q parses to %v, %v", h, name, msg.Header.Get(h), as, err)
			}
		}
	}
}
