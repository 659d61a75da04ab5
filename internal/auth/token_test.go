package auth

import (
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

func TestNewTokenFormat(t *testing.T) {
	re := regexp.MustCompile(`^fsc_[a-z2-7]{52}$`)
	seen := make(map[string]bool, 1000)
	for range 1000 {
		tok, err := NewToken("fsc")
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(tok) {
			t.Fatalf("token %q does not match %s", tok, re)
		}
		if seen[tok] {
			t.Fatalf("duplicate token %q", tok)
		}
		seen[tok] = true
	}
}

func TestNewTokenPrefix(t *testing.T) {
	for _, p := range []string{"a", "fsc", "fsc2", "abcdefghijklmnop"} {
		tok, err := NewToken(p)
		if err != nil || !strings.HasPrefix(tok, p+"_") {
			t.Errorf("NewToken(%q) = %q, %v", p, tok, err)
		}
	}
	for _, p := range []string{"", "FSC", "fs_c", "fsc_", "f-c", "abcdefghijklmnopq", "é"} {
		if tok, err := NewToken(p); err == nil {
			t.Errorf("NewToken(%q) = %q, want error", p, tok)
		}
	}
}

func TestHashToken(t *testing.T) {
	// SHA-256("abc"), FIPS 180-2 example.
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("HashToken(abc) = %s", got)
	}
	tok, _ := NewToken("fsc")
	h := HashToken(tok)
	if h != HashToken(tok) {
		t.Fatal("HashToken is not stable")
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) {
		t.Fatalf("HashToken = %q, want 64 lower-case hex digits", h)
	}
	if h == HashToken(tok+"x") || h == HashToken(strings.ToUpper(tok)) {
		t.Fatal("different tokens hash the same")
	}
}

func TestNewSessionID(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	seen := make(map[string]bool, 1000)
	for range 1000 {
		id, err := NewSessionID()
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(id) {
			t.Fatalf("session id %q does not match %s", id, re)
		}
		if b, err := base64.RawURLEncoding.DecodeString(id); err != nil || len(b) != 32 {
			t.Fatalf("session id %q decodes to %d bytes, %v", id, len(b), err)
		}
		if seen[id] {
			t.Fatalf("duplicate session id %q", id)
		}
		seen[id] = true
	}
}
