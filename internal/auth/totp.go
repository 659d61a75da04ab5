package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"rsc.io/qr"
)

// Two-factor codes are RFC 6238 TOTP with the parameters every authenticator
// app understands: HMAC-SHA1, 6 digits, a 30-second step.
const (
	totpDigits = 6
	totpPeriod = 30 // seconds
	secretLen  = 20 // bytes: the 160 bits RFC 4226 recommends for SHA-1
)

// ErrBadTOTPSecret is returned when a TOTP secret is not valid base32.
var ErrBadTOTPSecret = errors.New("auth: bad TOTP secret")

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a fresh secret: 20 random bytes in upper-case base32
// without padding (32 characters), ready for TOTPURI or manual entry.
func NewTOTPSecret() (string, error) {
	b := make([]byte, secretLen)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: reading TOTP secret: %w", err)
	}
	return b32.EncodeToString(b), nil
}

// decodeSecret accepts the secret as stored or as a person might type it:
// any case, with spaces, with or without '=' padding.
func decodeSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	s = strings.TrimRight(s, "=")
	key, err := b32.DecodeString(s)
	if err != nil || len(key) == 0 {
		return nil, ErrBadTOTPSecret
	}
	return key, nil
}

// totpStep is the RFC 6238 time step counter T = floor(unix / 30).
func totpStep(t time.Time) int64 {
	u := t.Unix()
	step := u / totpPeriod
	if u%totpPeriod < 0 {
		step-- // floor, not truncate, before 1970
	}
	return step
}

// TOTPCode returns the 6-digit code for secret at time t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeSecret(secret)
	if err != nil {
		return "", err
	}
	step := totpStep(t)
	if step < 0 {
		return "", errors.New("auth: TOTP time before 1970")
	}
	return hotp(key, uint64(step), totpDigits), nil
}

// VerifyTOTP reports whether code is right for secret at time t, allowing one
// step of clock drift either way. Spaces in code are ignored ("123 456").
// On success it returns the time step the code belongs to; callers should
// remember the last step used per user and refuse a step at or below it, so
// that a code seen over someone's shoulder cannot be replayed.
func VerifyTOTP(secret, code string, t time.Time) (step int64, ok bool) {
	code = strings.ReplaceAll(code, " ", "")
	if len(code) != totpDigits {
		return 0, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return 0, false
		}
	}
	key, err := decodeSecret(secret)
	if err != nil {
		return 0, false
	}
	now := totpStep(t)
	// Check the steps now-1, now and now+1 without stopping early,
	// preferring the current step, then the past one, then the future one.
	found := false
	for _, d := range [...]int64{0, -1, 1} {
		s := now + d
		if s < 0 {
			continue
		}
		want := hotp(key, uint64(s), totpDigits)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && !found {
			step, found = s, true
		}
	}
	return step, found
}

// hotp is RFC 4226 HOTP: HMAC-SHA1 of the big-endian counter, dynamically
// truncated to 31 bits and reduced to digits decimal digits (1 to 9).
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, v%mod)
}

// TOTPURI returns the otpauth:// URI that authenticator apps read from a QR
// code, in the Key Uri Format (github.com/google/google-authenticator/wiki):
//
//	otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
//
// Issuer and account are percent-encoded (spaces as %20, a ':' inside either
// as %3A). With an empty issuer the label is the account alone and the
// issuer parameter is left out.
func TOTPURI(secret, issuer, account string) string {
	var b strings.Builder
	b.WriteString("otpauth://totp/")
	if issuer != "" {
		b.WriteString(uriEscape(issuer))
		b.WriteString(":")
	}
	b.WriteString(uriEscape(account))
	b.WriteString("?secret=")
	b.WriteString(uriEscape(secret))
	if issuer != "" {
		b.WriteString("&issuer=")
		b.WriteString(uriEscape(issuer))
	}
	fmt.Fprintf(&b, "&algorithm=SHA1&digits=%d&period=%d", totpDigits, totpPeriod)
	return b.String()
}

// uriEscape percent-encodes everything but unreserved characters. Spaces
// become %20 rather than '+', which some authenticator apps show literally.
func uriEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// TOTPQRCodePNG renders uri (normally from TOTPURI) as a QR code PNG with
// medium error correction and the standard white quiet zone.
func TOTPQRCodePNG(uri string) ([]byte, error) {
	c, err := qr.Encode(uri, qr.M)
	if err != nil {
		return nil, fmt.Errorf("auth: QR code: %w", err)
	}
	return c.PNG(), nil
}
