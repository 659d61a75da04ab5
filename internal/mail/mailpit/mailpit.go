// Package mailpit runs a real Mailpit (github.com/axllent/mailpit) SMTP
// server as a process for tests, and reads the mail it caught back through
// its HTTP API (v1). FASCIA_MAILPIT names the binary; without it the test
// is skipped, unless FASCIA_TEST_REQUIRE_MAILPIT=1 (set by scripts/test),
// where its absence fails the test.
package mailpit

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is one running Mailpit.
type Server struct {
	SMTPHost string // 127.0.0.1
	SMTPPort int
	API      string // http://127.0.0.1:port, the web UI and API
	// TLS is the SMTP listener's mode: "none", "starttls" (offered and
	// required) or "tls" (implicit TLS). The certificate is self-signed
	// for 127.0.0.1 and localhost.
	TLS string

	label string
	http  *http.Client
}

// Options choose how Mailpit listens.
type Options struct {
	// TLS: "" or "none" (plain SMTP, PLAIN/LOGIN allowed without TLS),
	// "starttls" (STARTTLS required before MAIL) or "tls" (implicit TLS).
	TLS string
	// Users, when set, are the only user names and passwords it accepts
	// (and then it requires sign-in); otherwise it accepts any, or none.
	Users map[string]string
	// AllowedRecipients, when set, is a regular expression; recipients not
	// matching it are rejected at RCPT TO.
	AllowedRecipients string
}

// Start runs a Mailpit with plain SMTP that accepts any user name and
// password, even without TLS, and stops it when the test ends.
func Start(t testing.TB) *Server { return StartWith(t, Options{}) }

// StartWith runs a Mailpit with the given options; see Start.
func StartWith(t testing.TB, o Options) *Server {
	t.Helper()
	bin := os.Getenv("FASCIA_MAILPIT")
	if bin == "" {
		if os.Getenv("FASCIA_TEST_REQUIRE_MAILPIT") == "1" {
			t.Fatal("FASCIA_MAILPIT is not set but Mailpit is required: run the tests through scripts/test")
		}
		t.Skip("no Mailpit (set FASCIA_MAILPIT to a mailpit binary, or run scripts/test)")
	}
	mode := o.TLS
	if mode == "" {
		mode = "none"
	}
	dir := t.TempDir()
	base := []string{
		"--database", filepath.Join(dir, "mailpit.db"),
		"--smtp-disable-rdns",     // no DNS lookups of 127.0.0.1
		"--disable-version-check", // no calls to GitHub
		"--max", "0",              // keep every message a test sends
		"--quiet", // errors only, shown if the start fails
	}
	if len(o.Users) > 0 {
		var pw strings.Builder
		for u, p := range o.Users {
			fmt.Fprintf(&pw, "%s:%s\n", u, p) // htpasswd lines; plain passwords are accepted
		}
		file := filepath.Join(dir, "smtp-users")
		if err := os.WriteFile(file, []byte(pw.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		base = append(base, "--smtp-auth-file", file)
	} else {
		base = append(base, "--smtp-auth-accept-any")
	}
	if o.AllowedRecipients != "" {
		base = append(base, "--smtp-allowed-recipients", o.AllowedRecipients)
	}
	switch mode {
	case "none":
		base = append(base, "--smtp-auth-allow-insecure")
	case "starttls", "tls":
		cert, key := selfSigned(t, dir)
		base = append(base, "--smtp-tls-cert", cert, "--smtp-tls-key", key)
		if mode == "tls" {
			base = append(base, "--smtp-require-tls")
		} else {
			base = append(base, "--smtp-require-starttls")
		}
	default:
		t.Fatalf("mailpit: unknown TLS mode %q", o.TLS)
	}

	var lastLog string
	// A free port found here can be taken by someone else before Mailpit
	// binds it; a start that fails that way is tried again on new ports.
	for try := 0; try < 3; try++ {
		s := &Server{SMTPHost: "127.0.0.1", TLS: mode, label: "fascia-test-" + randomHex(6), http: &http.Client{Timeout: 10 * time.Second}}
		smtpPort, httpPort := freePort(t), freePort(t)
		s.SMTPPort = smtpPort
		s.API = "http://127.0.0.1:" + strconv.Itoa(httpPort)
		args := append([]string{
			"--smtp", "127.0.0.1:" + strconv.Itoa(smtpPort),
			"--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
			"--label", s.label,
		}, base...)
		cmd := exec.Command(bin, args...)
		log := &capBuffer{max: 64 << 10}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatalf("mailpit: start %s: %v", bin, err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		stop := func() {
			select {
			case <-exited:
				return
			default:
			}
			cmd.Process.Signal(os.Interrupt)
			select {
			case <-exited:
			case <-time.After(3 * time.Second):
				cmd.Process.Kill()
				<-exited
			}
		}
		err := s.waitReady(exited, 30*time.Second)
		if err == nil {
			t.Cleanup(stop)
			return s
		}
		stop()
		lastLog = log.String()
		if !strings.Contains(lastLog, "address already in use") {
			t.Fatalf("mailpit did not start: %v\n%s", err, lastLog)
		}
	}
	t.Fatalf("mailpit did not start: its ports were taken each time\n%s", lastLog)
	return nil
}

// waitReady waits until both ports answer as this Mailpit (its label is in
// the SMTP greeting and the web UI's configuration).
func (s *Server) waitReady(exited <-chan struct{}, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("the process ended")
		default:
		}
		if last = s.checkSMTP(); last == nil {
			if last = s.checkHTTP(); last == nil {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not ready within %s: %v", limit, last)
}

func (s *Server) checkSMTP() error {
	conn, err := net.DialTimeout("tcp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)), time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	if s.TLS == "tls" {
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true})
		if err := tc.Handshake(); err != nil {
			return err
		}
		conn = tc
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if !strings.HasPrefix(line, "220 ") || !strings.Contains(line, s.label) {
		return fmt.Errorf("unexpected SMTP greeting %q", strings.TrimSpace(line))
	}
	fmt.Fprintf(conn, "QUIT\r\n")
	return nil
}

func (s *Server) checkHTTP() error {
	resp, err := s.http.Get(s.API + "/readyz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("readyz: %s", resp.Status)
	}
	var conf struct{ Label string }
	if err := s.get("/api/v1/webui", &conf); err != nil {
		return err
	}
	if conf.Label != s.label {
		return fmt.Errorf("another Mailpit answers on %s", s.API)
	}
	return nil
}

// Attachment is an attachment or inline part of a caught message.
type Attachment struct {
	PartID      string // for Server.Attachment
	Name        string
	ContentType string
	Size        int
	Inline      bool
}

// Message is a caught message. Messages fills only the summary fields;
// WaitFor fills all.
type Message struct {
	ID          string
	MessageID   string // the Message-ID header, without angle brackets
	From        string
	To          []string
	Subject     string
	Username    string // the name it signed in with over SMTP, if any
	Text        string
	HTML        string
	Attachments []Attachment
	Raw         []byte // the message as received
}

type apiAddress struct{ Name, Address string }

type apiSummary struct {
	ID        string
	MessageID string
	From      *apiAddress
	To        []apiAddress
	Subject   string
	Username  string
}

type apiPart struct {
	PartID      string
	FileName    string
	ContentType string
	Size        int
}

type apiMessage struct {
	apiSummary
	Text        string
	HTML        string
	Inline      []apiPart
	Attachments []apiPart
}

func (a apiSummary) message() Message {
	m := Message{ID: a.ID, MessageID: a.MessageID, Subject: a.Subject, Username: a.Username}
	if a.From != nil {
		m.From = a.From.Address
	}
	for _, to := range a.To {
		m.To = append(m.To, to.Address)
	}
	return m
}

// Messages lists the caught messages, newest first, as summaries.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	ms, err := s.messages()
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	return ms
}

func (s *Server) messages() ([]Message, error) {
	var list struct {
		Total    int
		Messages []apiSummary `json:"messages"`
	}
	if err := s.get("/api/v1/messages?limit=1000", &list); err != nil {
		return nil, err
	}
	ms := make([]Message, len(list.Messages))
	for i, a := range list.Messages {
		ms[i] = a.message()
	}
	return ms, nil
}

// WaitFor waits until a message to the address to (any recipient when "")
// whose subject contains subjectContains arrives, and returns the newest
// such message in full. On timeout it fails the test, listing the subjects
// and recipients of what did arrive.
func (s *Server) WaitFor(t testing.TB, to, subjectContains string, timeout time.Duration) Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ms, err := s.messages()
		if err != nil {
			t.Fatalf("mailpit: %v", err)
		}
		for _, m := range ms {
			if matches(m, to, subjectContains) {
				return s.Message(t, m.ID)
			}
		}
		if time.Now().After(deadline) {
			var got []string
			for _, m := range ms {
				got = append(got, fmt.Sprintf("%q to %s", m.Subject, strings.Join(m.To, ", ")))
			}
			if len(got) == 0 {
				got = []string{"(none)"}
			}
			t.Fatalf("mailpit: no message to %q with subject containing %q within %s; arrived:\n  %s", to, subjectContains, timeout, strings.Join(got, "\n  "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func matches(m Message, to, subject string) bool {
	if !strings.Contains(m.Subject, subject) {
		return false
	}
	if to == "" {
		return true
	}
	for _, a := range m.To {
		if strings.EqualFold(a, to) {
			return true
		}
	}
	return false
}

// Message returns the caught message id in full, with its raw source.
func (s *Server) Message(t testing.TB, id string) Message {
	t.Helper()
	var a apiMessage
	if err := s.get("/api/v1/message/"+url.PathEscape(id), &a); err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	m := a.message()
	m.Text, m.HTML = a.Text, a.HTML
	for _, p := range a.Attachments {
		m.Attachments = append(m.Attachments, Attachment{PartID: p.PartID, Name: p.FileName, ContentType: p.ContentType, Size: p.Size})
	}
	for _, p := range a.Inline {
		m.Attachments = append(m.Attachments, Attachment{PartID: p.PartID, Name: p.FileName, ContentType: p.ContentType, Size: p.Size, Inline: true})
	}
	raw, err := s.getBytes("/api/v1/message/" + url.PathEscape(id) + "/raw")
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	m.Raw = raw
	return m
}

// Attachment returns the decoded content of part partID of message msgID.
func (s *Server) Attachment(t testing.TB, msgID, partID string) []byte {
	t.Helper()
	b, err := s.getBytes("/api/v1/message/" + url.PathEscape(msgID) + "/part/" + url.PathEscape(partID))
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	return b
}

func (s *Server) getBytes(path string) ([]byte, error) {
	resp, err := s.http.Get(s.API + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(b))
	}
	return b, nil
}

func (s *Server) get(path string, v any) error {
	b, err := s.getBytes(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("GET %s: %v", path, err)
	}
	return nil
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mailpit: find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// selfSigned writes a P-256 certificate for 127.0.0.1 and localhost, and its
// key, into dir (quicker than Mailpit's own RSA-4096 "sans:" certificates).
func selfSigned(t testing.TB, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "localhost"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "smtp.crt"), filepath.Join(dir, "smtp.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// capBuffer keeps the first max bytes of a process's output.
type capBuffer struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (c *capBuffer) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if room := c.max - c.b.Len(); room > 0 {
		c.b.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (c *capBuffer) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String()
}
