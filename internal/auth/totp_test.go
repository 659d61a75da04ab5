package auth

import (
	"bytes"
	"encoding/base32"
	"image/color"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"rsc.io/qr"
)

// rfcKey is the SHA-1 seed of RFC 6238 Appendix B (and RFC 4226 Appendix D).
var rfcKey = []byte("12345678901234567890")

// rfcSecret is rfcKey as base32: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ.
var rfcSecret = base32.StdEncoding.EncodeToString(rfcKey)

// RFC 6238 Appendix B, SHA1 column, 8 digits.
var rfc6238Vectors = []struct {
	unix int64
	code string
}{
	{59, "94287082"},
	{1111111109, "07081804"},
	{1111111111, "14050471"},
	{1234567890, "89005924"},
	{2000000000, "69279037"},
	{20000000000, "65353130"},
}

func TestHOTPRFC4226(t *testing.T) {
	// RFC 4226 Appendix D: 6-digit HOTP values for counters 0..9.
	want := []string{"755224", "287082", "359152", "969429", "338314",
		"254676", "287922", "162583", "399871", "520489"}
	for c, w := range want {
		if got := hotp(rfcKey, uint64(c), 6); got != w {
			t.Errorf("hotp(counter %d) = %s, want %s", c, got, w)
		}
	}
}

func TestTOTPRFC6238(t *testing.T) {
	if rfcSecret != "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Fatalf("rfcSecret = %s", rfcSecret)
	}
	for _, v := range rfc6238Vectors {
		tm := time.Unix(v.unix, 0)
		if got := hotp(rfcKey, uint64(totpStep(tm)), 8); got != v.code {
			t.Errorf("8-digit TOTP at %d = %s, want %s", v.unix, got, v.code)
		}
		want6 := v.code[2:]
		got, err := TOTPCode(rfcSecret, tm)
		if err != nil {
			t.Fatal(err)
		}
		if got != want6 {
			t.Errorf("TOTPCode at %d = %s, want %s", v.unix, got, want6)
		}
		step, ok := VerifyTOTP(rfcSecret, want6, tm)
		if !ok || step != v.unix/30 {
			t.Errorf("VerifyTOTP(%s at %d) = %d, %v; want %d, true", want6, v.unix, step, ok, v.unix/30)
		}
	}
}

func TestTOTPSecretForms(t *testing.T) {
	tm := time.Unix(1111111109, 0)
	for _, s := range []string{
		rfcSecret,
		strings.ToLower(rfcSecret),
		"GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
	} {
		got, err := TOTPCode(s, tm)
		if err != nil || got != "081804" {
			t.Errorf("TOTPCode(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "   ", "not base32!", "GEZDGNBVG0", "A"} {
		if _, err := TOTPCode(s, tm); err == nil {
			t.Errorf("TOTPCode(%q) accepted a bad secret", s)
		}
		if _, ok := VerifyTOTP(s, "081804", tm); ok {
			t.Errorf("VerifyTOTP with bad secret %q accepted", s)
		}
	}
	if _, err := TOTPCode(rfcSecret, time.Unix(-1, 0)); err == nil {
		t.Error("TOTPCode before 1970 succeeded")
	}
}

func TestVerifyTOTPWindow(t *testing.T) {
	now := time.Unix(1234567890, 0)
	cur := totpStep(now)
	codeAt := func(d int64) string {
		return hotp(rfcKey, uint64(cur+d), 6)
	}
	// Guard against the fixed vectors happening to collide.
	seen := map[string]int64{}
	for d := int64(-2); d <= 2; d++ {
		if prev, dup := seen[codeAt(d)]; dup {
			t.Fatalf("codes at steps %d and %d collide; pick another time", prev, d)
		}
		seen[codeAt(d)] = d
	}

	for d := int64(-1); d <= 1; d++ {
		step, ok := VerifyTOTP(rfcSecret, codeAt(d), now)
		if !ok || step != cur+d {
			t.Errorf("code from step %+d: got %d, %v; want %d, true", d, step, ok, cur+d)
		}
	}
	for _, d := range []int64{-3, -2, 2, 3} {
		if step, ok := VerifyTOTP(rfcSecret, codeAt(d), now); ok {
			t.Errorf("code from step %+d accepted as step %d", d, step)
		}
	}
	// The same code is accepted through the whole window a step is valid:
	// from the start of the previous step to the end of the next.
	c := codeAt(0)
	start := time.Unix(cur*30, 0)
	for _, tm := range []time.Time{start.Add(-30 * time.Second), start.Add(59*time.Second + 999*time.Millisecond)} {
		if step, ok := VerifyTOTP(rfcSecret, c, tm); !ok || step != cur {
			t.Errorf("at %v: got %d, %v", tm, step, ok)
		}
	}
	for _, tm := range []time.Time{start.Add(-31 * time.Second), start.Add(60 * time.Second)} {
		if _, ok := VerifyTOTP(rfcSecret, c, tm); ok {
			t.Errorf("at %v: accepted outside the window", tm)
		}
	}
}

func TestVerifyTOTPSpacesAndGarbage(t *testing.T) {
	now := time.Unix(1111111111, 0)
	good, _ := TOTPCode(rfcSecret, now) // "050471"
	for _, c := range []string{good, " " + good, good[:3] + " " + good[3:], " 0 5 0 4 7 1 "} {
		if _, ok := VerifyTOTP(rfcSecret, c, now); !ok {
			t.Errorf("VerifyTOTP(%q) refused", c)
		}
	}
	for _, c := range []string{
		"", " ", "00000", "0000000", "abcdef", "05047a", "+50471", "-50471",
		"05047１", "050471\x00", "050\t471", "0x0471", "14050471", "５０４７１",
	} {
		if _, ok := VerifyTOTP(rfcSecret, c, now); ok {
			t.Errorf("VerifyTOTP(%q) accepted", c)
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	s, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(s) {
		t.Fatalf("secret %q is not 32 upper-case base32 characters", s)
	}
	key, err := decodeSecret(s)
	if err != nil || len(key) != 20 {
		t.Fatalf("decodeSecret = %d bytes, %v", len(key), err)
	}
	s2, _ := NewTOTPSecret()
	if s == s2 {
		t.Fatal("two secrets are equal")
	}
	now := time.Now()
	code, err := TOTPCode(s, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := VerifyTOTP(s, code, now); !ok {
		t.Fatal("fresh secret's own code refused")
	}
}

func TestTOTPURI(t *testing.T) {
	got := TOTPURI("JBSWY3DPEHPK3PXP", "Fascia Health", "alice@example.com")
	want := "otpauth://totp/Fascia%20Health:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Fascia%20Health&algorithm=SHA1&digits=6&period=30"
	if got != want {
		t.Fatalf("TOTPURI =\n %s\nwant\n %s", got, want)
	}

	if got := TOTPURI("JBSWY3DPEHPK3PXP", "", "bob"); got != "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30" {
		t.Fatalf("TOTPURI without issuer = %s", got)
	}

	// Awkward characters survive a round trip through a URL parser.
	issuer, account := "A&B: Clinic?#+/", "zoë+test@example.com"
	u, err := url.Parse(TOTPURI("JBSWY3DPEHPK3PXP", issuer, account))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("scheme/host = %s/%s", u.Scheme, u.Host)
	}
	label := strings.TrimPrefix(u.EscapedPath(), "/")
	iss, acct, ok := strings.Cut(label, ":")
	if !ok {
		t.Fatalf("label %q has no issuer separator", label)
	}
	if g, _ := url.PathUnescape(iss); g != issuer {
		t.Errorf("label issuer = %q, want %q", g, issuer)
	}
	if g, _ := url.PathUnescape(acct); g != account {
		t.Errorf("label account = %q, want %q", g, account)
	}
	q := u.Query()
	if q.Get("issuer") != issuer || q.Get("secret") != "JBSWY3DPEHPK3PXP" ||
		q.Get("algorithm") != "SHA1" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("query = %v", q)
	}
	if len(q) != 5 {
		t.Errorf("query has %d keys, want 5: %v", len(q), q)
	}
}

func TestTOTPQRCodePNG(t *testing.T) {
	uri := TOTPURI("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Fascia Health", "alice@example.com")
	b, err := TOTPQRCodePNG(uri)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	// Check the rendering module by module against the encoder's grid,
	// including the 4-module quiet zone.
	c, err := qr.Encode(uri, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	const quiet = 4
	side := (c.Size + 2*quiet) * c.Scale
	if r := img.Bounds(); r.Dx() != side || r.Dy() != side {
		t.Fatalf("image is %v, want %dx%d", r, side, side)
	}
	min := img.Bounds().Min
	for y := -quiet; y < c.Size+quiet; y++ {
		for x := -quiet; x < c.Size+quiet; x++ {
			px := min.X + (x+quiet)*c.Scale + c.Scale/2
			py := min.Y + (y+quiet)*c.Scale + c.Scale/2
			dark := color.GrayModel.Convert(img.At(px, py)).(color.Gray).Y < 128
			if dark != c.Black(x, y) {
				t.Fatalf("module (%d,%d): dark=%v, want %v", x, y, dark, c.Black(x, y))
			}
		}
	}

	if _, err := TOTPQRCodePNG(strings.Repeat("x", 5000)); err == nil {
		t.Error("TOTPQRCodePNG accepted text too long for any QR version")
	}
}
