// Package mail owns sending e-mail: the owner's SMTP settings, building an
// RFC 5322 message (plain text, HTML, an iMIP calendar invitation and
// attachments) and delivering it over SMTP with the standard library.
//
// Errors never carry a message's body or recipient: what a person sees says
// which step failed (connect, TLS, sign-in, recipient) and how to fix it.
package mail

import (
	"context"
	"net"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// TLS modes of Settings.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded with STARTTLS (RFC 3207), usually port 587
	TLSImplicit = "tls"      // TLS from the first byte (RFC 8314 §3.3), usually port 465
	TLSNone     = "none"     // no encryption: only for a relay on this machine
)

// Settings are an organisation's SMTP server and sender.
type Settings struct {
	Host     string
	Port     int
	TLS      string // TLSStartTLS, TLSImplicit or TLSNone
	Username string // empty: no AUTH
	Password string
	From     string // the sender's address
	FromName string // the sender's display name, e.g. the clinic's name
}

// Validate reports what is wrong with s, field by field (host, port,
// tls_mode, from_addr, from_name).
func (s *Settings) Validate() error {
	f := errs.FieldErrors{}
	switch {
	case strings.TrimSpace(s.Host) == "":
		f.Add("host", "Enter the mail server's host name, for example smtp.example.com.")
	case len(s.Host) > 253 || strings.ContainsFunc(s.Host, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '/' || r == '@' }):
		f.Add("host", "Enter only the host name or IP address, without spaces, user names or paths.")
	}
	if s.Port < 1 || s.Port > 65535 {
		f.Add("port", "Enter a port between 1 and 65535 (usually 587 for STARTTLS or 465 for TLS).")
	}
	switch s.TLS {
	case TLSStartTLS, TLSImplicit:
	case TLSNone:
		// RFC 8314 §5: a password must not cross the network in clear text.
		if s.Username != "" && !isLoopback(s.Host) {
			f.Add("tls_mode", "A user name and password can only be sent without encryption to a server on this machine. Choose STARTTLS or TLS.")
		}
	default:
		f.Add("tls_mode", "Choose STARTTLS, TLS or none.")
	}
	if s.From == "" {
		f.Add("from_addr", "Enter the address reminders are sent from.")
	} else if err := checkAddress(s.From); err != nil {
		f.Add("from_addr", err.Error())
	}
	if why := badText(s.FromName); why != "" {
		f.Add("from_name", "The sender name "+why+".")
	} else if len(s.FromName) > maxName {
		f.Add("from_name", "The sender name is too long.")
	}
	if hasLineBreak(s.Username) {
		f.Add("username", "The user name may not contain a line break.")
	}
	return f.Err()
}

// isLoopback reports whether host names this machine: "localhost" or a
// loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// addrError is a reason an address is unusable, fit for a person.
type addrError string

func (e addrError) Error() string { return string(e) }

// checkAddress accepts a bare ASCII address (local@domain). Addresses with
// non-ASCII characters need SMTPUTF8 (RFC 6531), which not every server
// offers, so they are refused with a hint instead of failing at the server.
func checkAddress(addr string) error {
	if hasLineBreak(addr) {
		return addrError("The address may not contain a line break.")
	}
	if !isASCII(addr) {
		return addrError("Use the plain (ASCII) form of the address.")
	}
	if len(addr) > 254 {
		// RFC 5321 §4.5.3.1.3: a path is at most 256 octets with its brackets.
		return addrError("The address is too long.")
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" || !strings.Contains(addr, "@") {
		return addrError("Enter one address like name@example.com.")
	}
	return nil
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Attachment is a file sent with a message. An inline one is shown in the
// body (Content-Disposition: inline, RFC 2183) and gets Content-ID <Name>,
// so HTML can refer to it as cid:Name.
type Attachment struct {
	Name        string
	ContentType string // default application/octet-stream
	Data        []byte
	Inline      bool
}

// Message is one e-mail to one recipient.
type Message struct {
	To, ToName string
	Subject    string
	Text       string // required: the plain-text body
	HTML       string // optional alternative
	// Calendar is an optional iCalendar object (RFC 5545) sent the way
	// iMIP (RFC 6047) and Gmail/Outlook expect an invitation: as a
	// text/calendar alternative with its METHOD, and as invite.ics.
	Calendar       []byte
	CalendarMethod string // the object's METHOD; default REQUEST
	Attachments    []Attachment
	Headers        map[string]string // extra headers, e.g. Auto-Submitted
}

// Sender delivers messages; SMTP is the real one, tests may record instead.
type Sender interface {
	Send(ctx context.Context, s Settings, m Message) error
}
