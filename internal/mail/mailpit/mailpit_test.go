package mailpit_test

import (
	"fmt"
	"net"
	"net/smtp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/mail/mailpit"
)

func send(t *testing.T, s *mailpit.Server, to, subject, body string) {
	t.Helper()
	msg := "From: front@riverside.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n" + body + "\r\n" +
		"--b\r\nContent-Type: text/csv; name=list.csv\r\nContent-Disposition: attachment; filename=list.csv\r\n\r\na,b\r\n1,2\r\n--b--\r\n"
	addr := net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort))
	if err := smtp.SendMail(addr, nil, "front@riverside.test", []string{to}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
}

func TestCatchAndReadBack(t *testing.T) {
	s := mailpit.Start(t)
	send(t, s, "ann@example.com", "First", "one")
	send(t, s, "bob@example.com", "Second", "two")

	got := s.WaitFor(t, "BOB@example.com", "Sec", 5*time.Second)
	if got.Subject != "Second" || got.Text != "two" || got.From != "front@riverside.test" {
		t.Errorf("message %+v", got)
	}
	if !strings.Contains(string(got.Raw), "Subject: Second\r\n") {
		t.Errorf("raw source %q", got.Raw)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Name != "list.csv" || got.Attachments[0].ContentType != "text/csv" {
		t.Fatalf("attachments %+v", got.Attachments)
	}
	if b := s.Attachment(t, got.ID, got.Attachments[0].PartID); string(b) != "a,b\r\n1,2" {
		t.Errorf("attachment %q", b)
	}
	ms := s.Messages(t)
	if len(ms) != 2 || ms[0].Subject != "Second" || ms[1].Subject != "First" || ms[1].To[0] != "ann@example.com" {
		t.Errorf("messages, newest first: %+v", ms)
	}
}

// fakeTB records a fatal failure the way testing.T would stop the test.
type fakeTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fakeTB) Helper() {}

func (f *fakeTB) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.msg = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}

// On timeout WaitFor says what did arrive, by subject and recipient only.
func TestWaitForTimeoutListsArrivals(t *testing.T) {
	s := mailpit.Start(t)
	send(t, s, "ann@example.com", "Appointment confirmed", "private body")
	f := &fakeTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.WaitFor(f, "bob@example.com", "Appointment", 300*time.Millisecond)
	}()
	<-done
	if !strings.Contains(f.msg, `"Appointment confirmed" to ann@example.com`) || !strings.Contains(f.msg, "bob@example.com") {
		t.Errorf("failure message %q", f.msg)
	}
	if strings.Contains(f.msg, "private body") {
		t.Errorf("the failure message shows a body: %q", f.msg)
	}
}
