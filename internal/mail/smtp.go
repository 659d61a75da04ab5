package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// SMTP sends through an SMTP server (RFC 5321) with the standard library.
type SMTP struct {
	Timeout            time.Duration    // for the whole dialogue; default 30s
	Now                func() time.Time // the Date header's clock; default time.Now
	InsecureSkipVerify bool             // tests only: accept any server certificate
}

// DefaultTimeout bounds one Send when SMTP.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Send delivers m to m.To through the server of s.
func (c SMTP) Send(ctx context.Context, s Settings, m Message) error {
	if err := s.Validate(); err != nil {
		return err
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	raw, err := Build(s.From, s.FromName, m, now(), NewMessageID(s.From))
	if err != nil {
		return err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	host := strings.Trim(s.Host, "[]") // an IPv6 literal may come bracketed
	server := net.JoinHostPort(host, strconv.Itoa(s.Port))
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", server)
	if err != nil {
		return sendErr(ctx, err, "Cannot connect to the mail server %s. Check the host and port.", server)
	}
	defer conn.Close()
	// net/smtp has no context: the deadline bounds every read and write, and
	// a cancelled ctx ends the dialogue at once.
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	tlsConf := &tls.Config{ServerName: host, InsecureSkipVerify: c.InsecureSkipVerify, MinVersion: tls.VersionTLS12}
	if s.TLS == TLSImplicit {
		tc := tls.Client(conn, tlsConf)
		if err := tc.HandshakeContext(ctx); err != nil {
			return tlsErr(ctx, err, server)
		}
		conn = tc
	}
	client, err := smtp.NewClient(conn, host)
	if err != nil {
		return sendErr(ctx, err, "The mail server %s did not greet as an SMTP server. Check the host, port and encryption.", server)
	}
	defer client.Close()
	if err := client.Hello(ehloName(conn.LocalAddr())); err != nil {
		return sendErr(ctx, err, "The mail server %s refused the greeting (EHLO).", server)
	}
	if s.TLS == TLSStartTLS {
		// RFC 3207: never fall back to a plain connection when STARTTLS was asked for.
		if ok, _ := client.Extension("STARTTLS"); !ok {
			return withField(errs.E(errs.Invalid, "The mail server %s does not offer STARTTLS. Choose TLS (usually port 465), or ask the provider for the STARTTLS port (usually 587).", server), "tls_mode")
		}
		if err := client.StartTLS(tlsConf); err != nil {
			return tlsErr(ctx, err, server)
		}
	}
	if s.Username != "" {
		a, err := chooseAuth(client, s)
		if err != nil {
			return err
		}
		if err := client.Auth(a); err != nil {
			if ctx.Err() != nil || isNetErr(err) {
				return sendErr(ctx, err, "The connection to the mail server %s failed during sign-in.", server)
			}
			if transient(err) {
				return errs.Wrap(errs.Unavailable, errors.New(replyCode(err)), "The mail server %s could not check the user name and password just now.", server)
			}
			return withField(errs.Wrap(errs.Invalid, errors.New(replyCode(err)), "The mail server %s refused the user name or password.", server), "password")
		}
	}
	if err := client.Mail(s.From); err != nil {
		if ctx.Err() != nil || isNetErr(err) {
			return sendErr(ctx, err, "The connection to the mail server %s failed.", server)
		}
		if authRequired(err) {
			return withField(errs.Wrap(errs.Invalid, errors.New(replyCode(err)), "The mail server %s requires sign-in. Enter the user name and password.", server), "username")
		}
		if transient(err) {
			return errs.Wrap(errs.Unavailable, errors.New(replyCode(err)), "The mail server %s could not take mail just now.", server)
		}
		return withField(errs.Wrap(errs.Invalid, errors.New(replyCode(err)), "The mail server %s refused the sender address. The account may not be allowed to send as this address.", server), "from_addr")
	}
	if err := client.Rcpt(m.To); err != nil {
		if ctx.Err() != nil || isNetErr(err) {
			return sendErr(ctx, err, "The connection to the mail server %s failed.", server)
		}
		// The server's text often repeats the address; only the code is kept.
		if transient(err) {
			return errs.Wrap(errs.Unavailable, errors.New(replyCode(err)), "The mail server %s could not take mail for the recipient just now.", server)
		}
		return withField(errs.Wrap(errs.Invalid, errors.New(replyCode(err)), "The mail server %s rejected the recipient address.", server), "to")
	}
	w, err := client.Data()
	if err != nil {
		if !isNetErr(err) {
			err = errors.New(replyCode(err))
		}
		return sendErr(ctx, err, "The mail server %s refused to take the message.", server)
	}
	if _, err := w.Write(raw); err != nil {
		return sendErr(ctx, err, "The connection to the mail server %s failed while sending the message.", server)
	}
	if err := w.Close(); err != nil {
		if ctx.Err() != nil || isNetErr(err) {
			return sendErr(ctx, err, "The connection to the mail server %s failed while sending the message.", server)
		}
		return errs.Wrap(errs.Unavailable, errors.New(replyCode(err)), "The mail server %s refused the message.", server)
	}
	// The server has accepted the message (RFC 5321 §4.1.1.4); a failed QUIT
	// does not undo that.
	client.Quit()
	return nil
}

// chooseAuth picks PLAIN (RFC 4616) or LOGIN among what the server offers.
func chooseAuth(client *smtp.Client, s Settings) (smtp.Auth, error) {
	_, tlsOn := client.TLSConnectionState()
	if !tlsOn && !(s.TLS == TLSNone && isLoopback(s.Host)) {
		// Validate already refuses this; kept so no path can send a password in clear.
		return nil, withField(errs.E(errs.Invalid, "A password can only be sent without encryption to a server on this machine. Choose STARTTLS or TLS."), "tls_mode")
	}
	ok, mechs := client.Extension("AUTH")
	if !ok {
		return nil, withField(errs.E(errs.Invalid, "The mail server does not offer sign-in (AUTH) on this connection. Leave the user name empty, or choose STARTTLS or TLS."), "username")
	}
	offered := map[string]bool{}
	for _, m := range strings.Fields(strings.ToUpper(mechs)) {
		offered[m] = true
	}
	switch {
	case offered["PLAIN"]:
		return plainAuth{s.Username, s.Password}, nil
	case offered["LOGIN"]:
		return &loginAuth{user: s.Username, pass: s.Password}, nil
	}
	return nil, withField(errs.E(errs.Invalid, "The mail server offers only sign-in methods Fascia does not support (it supports PLAIN and LOGIN)."), "username")
}

// plainAuth is SASL PLAIN (RFC 4616). net/smtp's PlainAuth is not used
// because its rule for unencrypted connections (host names "localhost" and
// 127.0.0.1 only) differs from ours, which chooseAuth applies.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected server challenge during PLAIN sign-in")
	}
	return nil, nil
}

// loginAuth is the LOGIN mechanism (draft-murchison-sasl-login): the
// server asks for the user name, then the password.
type loginAuth struct {
	user, pass string
	step       int
}

func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected server challenge during LOGIN sign-in")
}

// ehloName is the client's name for EHLO: its address literal (RFC 5321
// §4.1.3), since a machine name that does not resolve is refused by some servers.
func ehloName(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok || ta.IP == nil {
		return "localhost"
	}
	if ip4 := ta.IP.To4(); ip4 != nil {
		return "[" + ip4.String() + "]"
	}
	return "[IPv6:" + ta.IP.String() + "]"
}

// replyCode keeps the reply code and enhanced status code (RFC 3463) of an
// SMTP error, dropping the server's free text.
func replyCode(err error) string {
	var te *textproto.Error
	if errors.As(err, &te) {
		code := strconv.Itoa(te.Code)
		if f := strings.Fields(te.Msg); len(f) > 0 && isEnhancedCode(f[0]) {
			code += " " + f[0]
		}
		return "SMTP reply " + code
	}
	return "no SMTP reply"
}

// authRequired reports 530 5.7.0, "Authentication required" (RFC 4954 §6).
func authRequired(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code == 530
}

// transient reports a 4yz reply: the server asks to try again later (RFC 5321 §4.2.1).
func transient(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te) && te.Code >= 400 && te.Code < 500
}

func isEnhancedCode(s string) bool {
	p := strings.Split(s, ".")
	if len(p) != 3 {
		return false
	}
	for _, x := range p {
		if _, err := strconv.Atoi(x); err != nil {
			return false
		}
	}
	return true
}

// isNetErr tells a broken connection from an SMTP reply.
func isNetErr(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}

func tlsErr(ctx context.Context, err error, server string) error {
	if ctx.Err() != nil {
		return sendErr(ctx, err, "")
	}
	var (
		hostErr x509.HostnameError
		caErr   x509.UnknownAuthorityError
		ce      *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &hostErr):
		return withField(errs.Wrap(errs.Invalid, err, "The mail server %s presented a certificate made for another host name. Enter the host name your provider gives, such as smtp.example.com, rather than an IP address.", server), "host")
	case errors.As(err, &caErr):
		return withField(errs.Wrap(errs.Invalid, err, "The mail server %s presented a certificate no trusted authority signed (perhaps a self-signed one). Ask the provider for its host name with a valid certificate.", server), "host")
	case errors.As(err, &ce):
		return withField(errs.Wrap(errs.Invalid, err, "The mail server %s presented a certificate that cannot be trusted (for example, it has expired).", server), "host")
	}
	return withField(errs.Wrap(errs.Invalid, err, "The TLS connection to the mail server %s failed. Check that the port matches the encryption (587 for STARTTLS, 465 for TLS).", server), "tls_mode")
}

func sendErr(ctx context.Context, err error, format string, args ...any) error {
	if ctx.Err() != nil {
		return errs.Wrap(errs.Unavailable, err, "Sending the e-mail was cancelled or the mail server took too long to answer.")
	}
	return errs.Wrap(errs.Unavailable, err, format, args...)
}

// withField points e at the settings field a person should change.
func withField(e *errs.Error, field string) error {
	e.Fields = map[string]string{field: e.Message}
	return e
}
