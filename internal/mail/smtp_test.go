package mail_test

// Sending is tested against a real Mailpit process (see package mailpit):
// what a user notices is that the message arrives, readable, with its
// invitation, over the encryption the owner chose.

import (
	"bytes"
	"context"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
	fmail "github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/mail/mailpit"
)

func settingsFor(s *mailpit.Server) fmail.Settings {
	return fmail.Settings{Host: s.SMTPHost, Port: s.SMTPPort, TLS: s.TLS, From: "front@riverside.test", FromName: "Riverside Medical Massage"}
}

func reminder(to string) fmail.Message {
	return fmail.Message{
		To: to, ToName: "Zoë Ångström",
		Subject:  "Reminder: Tuesday 09:00 at Riverside — ¡hasta pronto!",
		Text:     "Hello Zoë,\n\nSee you on Tuesday at 09:00.\n",
		HTML:     "<p>Hello Zoë,</p><p>See you on Tuesday at 09:00.</p>",
		Calendar: []byte(invite),
		Headers:  map[string]string{"Auto-Submitted": "auto-generated"},
	}
}

func TestSendOverEachTLSMode(t *testing.T) {
	cases := []struct {
		name string
		opts mailpit.Options
		user string
	}{
		{"plain without sign-in", mailpit.Options{TLS: "none"}, ""},
		{"plain with sign-in on loopback", mailpit.Options{TLS: "none", Users: map[string]string{"front-desk": "s3cret"}}, "front-desk"},
		{"STARTTLS with sign-in", mailpit.Options{TLS: "starttls", Users: map[string]string{"front-desk": "s3cret"}}, "front-desk"},
		{"implicit TLS with sign-in", mailpit.Options{TLS: "tls", Users: map[string]string{"front-desk": "s3cret"}}, "front-desk"},
		{"implicit TLS without sign-in", mailpit.Options{TLS: "tls"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := mailpit.StartWith(t, c.opts)
			st := settingsFor(srv)
			if c.user != "" {
				st.Username, st.Password = c.user, c.opts.Users[c.user]
			}
			m := reminder("zoe@example.com")
			sent := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
			sender := fmail.SMTP{Timeout: 10 * time.Second, Now: func() time.Time { return sent }, InsecureSkipVerify: true}
			if err := sender.Send(context.Background(), st, m); err != nil {
				t.Fatalf("send: %v", err)
			}
			got := srv.WaitFor(t, "zoe@example.com", "Reminder: Tuesday", 10*time.Second)
			if got.Subject != m.Subject {
				t.Errorf("subject %q, want %q", got.Subject, m.Subject)
			}
			if got.From != "front@riverside.test" || len(got.To) != 1 || got.To[0] != "zoe@example.com" {
				t.Errorf("from %q to %v", got.From, got.To)
			}
			if got.Username != c.user {
				t.Errorf("signed in as %q, want %q", got.Username, c.user)
			}
			if !strings.Contains(got.Text, "See you on Tuesday at 09:00.") || !strings.Contains(got.HTML, "<p>Hello Zoë,</p>") {
				t.Errorf("bodies: text %q html %q", got.Text, got.HTML)
			}
			var ics *mailpit.Attachment
			for i, a := range got.Attachments {
				if a.Name == "invite.ics" {
					ics = &got.Attachments[i]
				}
			}
			if ics == nil {
				t.Fatalf("no invite.ics among %+v", got.Attachments)
			}
			if body := srv.Attachment(t, got.ID, ics.PartID); string(body) != invite {
				t.Errorf("invite.ics reads %q", body)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(got.Raw))
			if err != nil {
				t.Fatalf("raw source: %v", err)
			}
			if d, err := msg.Header.Date(); err != nil || !d.Equal(sent) {
				t.Errorf("Date %v, %v", d, err)
			}
			if !strings.Contains(string(got.Raw), "method=REQUEST") {
				t.Error("no text/calendar part with method=REQUEST in the raw message")
			}
			if id := msg.Header.Get("Message-Id"); got.MessageID == "" || id != "<"+got.MessageID+">" {
				t.Errorf("Message-ID %q, Mailpit saw %q", id, got.MessageID)
			}
		})
	}
}

func TestSendFailuresSayWhatFailed(t *testing.T) {
	plain := mailpit.Start(t)
	starttls := mailpit.StartWith(t, mailpit.Options{TLS: "starttls"})
	users := mailpit.StartWith(t, mailpit.Options{TLS: "none", Users: map[string]string{"front-desk": "s3cret"}})
	picky := mailpit.StartWith(t, mailpit.Options{AllowedRecipients: `@riverside\.test$`})
	closed := closedPort(t)

	cases := []struct {
		name     string
		settings fmail.Settings
		insecure bool
		code     string
		field    string
		says     string
	}{
		{"nothing listens", fmail.Settings{Host: "127.0.0.1", Port: closed, TLS: "none", From: "front@riverside.test"},
			false, errs.Unavailable, "", "Cannot connect"},
		{"STARTTLS asked, not offered", withTLS(settingsFor(plain), "starttls"), true, errs.Invalid, "tls_mode", "does not offer STARTTLS"},
		{"implicit TLS to a plain server", withTLS(settingsFor(plain), "tls"), true, errs.Invalid, "tls_mode", "TLS connection"},
		{"self-signed certificate", settingsFor(starttls), false, errs.Invalid, "host", "no trusted authority signed"},
		{"wrong password", withUser(settingsFor(users), "front-desk", "wrong"), false, errs.Invalid, "password", "user name or password"},
		{"sign-in required, none given", settingsFor(users), false, errs.Invalid, "username", "requires sign-in"},
		{"recipient rejected", settingsFor(picky), false, errs.Invalid, "to", "rejected the recipient"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := reminder("zoe@example.com")
			m.Text = "Private body text that must not leak"
			err := fmail.SMTP{Timeout: 10 * time.Second, InsecureSkipVerify: c.insecure}.Send(context.Background(), c.settings, m)
			if err == nil {
				t.Fatal("sent")
			}
			if errs.Code(err) != c.code || (c.field != "" && errs.FieldsOf(err)[c.field] == "") {
				t.Fatalf("error %v (fields %v); want %s on %q", err, errs.FieldsOf(err), c.code, c.field)
			}
			if !strings.Contains(errs.Message(err), c.says) {
				t.Errorf("message %q does not say %q", errs.Message(err), c.says)
			}
			if s := err.Error(); strings.Contains(s, "zoe@example.com") || strings.Contains(s, "Private body") || strings.Contains(s, "s3cret") {
				t.Errorf("the error carries the recipient, body or password: %v", err)
			}
		})
	}
	for _, s := range []*mailpit.Server{plain, starttls, users, picky} {
		if n := len(s.Messages(t)); n != 0 {
			t.Errorf("%d messages arrived at a server that refused", n)
		}
	}
}

// A password is never sent in clear to another machine, whatever the server offers.
func TestSendRefusesPasswordInClear(t *testing.T) {
	st := fmail.Settings{Host: "mail.example.com", Port: 25, TLS: "none", Username: "u", Password: "p", From: "front@riverside.test"}
	err := fmail.SMTP{Timeout: time.Second}.Send(context.Background(), st, reminder("zoe@example.com"))
	if errs.Code(err) != errs.Invalid || errs.FieldsOf(err)["tls_mode"] == "" {
		t.Fatalf("error %v, want Invalid on tls_mode before any connection", err)
	}
}

// A server that accepts the connection but never answers costs the
// timeout, not forever; a cancelled context ends the attempt at once.
func TestSendTimeoutAndCancel(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // silent: no greeting
		}
	}()
	st := fmail.Settings{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: "none", From: "front@riverside.test"}

	start := time.Now()
	err = fmail.SMTP{Timeout: 300 * time.Millisecond}.Send(context.Background(), st, reminder("zoe@example.com"))
	if errs.Code(err) != errs.Unavailable || time.Since(start) > 5*time.Second {
		t.Fatalf("after %s: %v; want Unavailable soon after 300ms", time.Since(start), err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start = time.Now()
	err = fmail.SMTP{Timeout: time.Minute}.Send(ctx, st, reminder("zoe@example.com"))
	if errs.Code(err) != errs.Unavailable || !strings.Contains(errs.Message(err), "cancelled") || time.Since(start) > 5*time.Second {
		t.Fatalf("after %s: %v; want a cancellation soon after 200ms", time.Since(start), err)
	}
}

func withTLS(s fmail.Settings, mode string) fmail.Settings { s.TLS = mode; return s }

func withUser(s fmail.Settings, user, pass string) fmail.Settings {
	s.Username, s.Password = user, pass
	return s
}

func closedPort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
