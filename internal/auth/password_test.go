package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap parameters keep tests that do not care about cost fast.
var cheap = argonParams{memory: 64, time: 1, threads: 1, keyLen: 32}

func TestHashPasswordRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("unexpected prefix: %s", h)
	}
	parts := strings.Split(h, "$")
	if len(parts) != 6 || len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Fatalf("want 16-byte salt and 32-byte key in raw base64, got %s", h)
	}
	ok, err := VerifyPassword("correct horse battery staple", h)
	if err != nil || !ok {
		t.Fatalf("VerifyPassword(right) = %v, %v", ok, err)
	}
	ok, err = VerifyPassword("correct horse battery stapler", h)
	if err != nil || ok {
		t.Fatalf("VerifyPassword(wrong) = %v, %v", ok, err)
	}
	ok, err = VerifyPassword("", h)
	if err != nil || ok {
		t.Fatalf("VerifyPassword(empty) = %v, %v", ok, err)
	}
}

func TestHashPasswordSalted(t *testing.T) {
	a, err := hashPasswordWith("same", cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := hashPasswordWith("same", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two hashes of the same password are equal; salt is not random")
	}
}

func TestVerifyPasswordReadsParameters(t *testing.T) {
	for _, p := range []argonParams{
		{memory: 64, time: 1, threads: 2, keyLen: 16},
		{memory: 128, time: 3, threads: 1, keyLen: 32},
		{memory: 256, time: 1, threads: 4, keyLen: 64},
	} {
		h, err := hashPasswordWith("pw", p)
		if err != nil {
			t.Fatal(err)
		}
		got, _, _, err := decodePHC(h)
		if err != nil {
			t.Fatalf("decodePHC(%s): %v", h, err)
		}
		if got != p {
			t.Errorf("decodePHC(%s) params = %+v, want %+v", h, got, p)
		}
		if ok, err := VerifyPassword("pw", h); err != nil || !ok {
			t.Errorf("VerifyPassword(%s) = %v, %v", h, ok, err)
		}
		if ok, err := VerifyPassword("pW", h); err != nil || ok {
			t.Errorf("VerifyPassword(wrong, %s) = %v, %v", h, ok, err)
		}
	}
}

func TestDummyHashUsesDefaultParams(t *testing.T) {
	p, salt, _, err := decodePHC(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p != defaultParams || len(salt) != saltLen {
		t.Fatalf("dummyHash params = %+v, salt %d bytes; want %+v, %d", p, len(salt), defaultParams, saltLen)
	}
	DummyVerify("anything") // must not panic
}

func TestVerifyPasswordMalformed(t *testing.T) {
	const salt = "c2FsdHNhbHRzYWx0c2FsdA"                     // 16 bytes
	const key = "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U" // 32 bytes
	good := "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key
	if _, _, _, err := decodePHC(good); err != nil {
		t.Fatalf("control string rejected: %v", err)
	}
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"plain text", "hunter2"},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"argon2d", "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"no leading dollar", "argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"too few fields", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"too many fields", good + "$extra"},
		{"missing version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key + "$"},
		{"old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"version not a number", "$argon2id$v=x$m=64,t=1,p=1$" + salt + "$" + key},
		{"params reordered", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"params missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key},
		{"params extra", "$argon2id$v=19$m=64,t=1,p=1,k=2$" + salt + "$" + key},
		{"m zero", "$argon2id$v=19$m=0,t=1,p=1$" + salt + "$" + key},
		{"t zero", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"p zero", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"m negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key},
		{"m plus sign", "$argon2id$v=19$m=+64,t=1,p=1$" + salt + "$" + key},
		{"m leading zero", "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + key},
		{"m overflow", "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + key},
		{"m huge", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key},
		{"t huge", "$argon2id$v=19$m=64,t=1000,p=1$" + salt + "$" + key},
		{"p over 255", "$argon2id$v=19$m=4096,t=1,p=256$" + salt + "$" + key},
		{"m below 8p", "$argon2id$v=19$m=15,t=1,p=2$" + salt + "$" + key},
		{"m empty", "$argon2id$v=19$m=,t=1,p=1$" + salt + "$" + key},
		{"salt empty", "$argon2id$v=19$m=64,t=1,p=1$$" + key},
		{"salt short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"salt bad alphabet", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2Fsd_$" + key},
		{"salt non-canonical", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdB$" + key},
		{"salt with newline", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRz\nYWx0c2FsdA$" + key},
		{"hash empty", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		{"hash short", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$a2V5"},
		{"hash bad base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$!!!!"},
		{"hash too long", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + strings.Repeat("A", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword("pw", tt.in)
			if ok {
				t.Fatalf("VerifyPassword(%q) = true", tt.in)
			}
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("VerifyPassword(%q) err = %v, want ErrMalformedHash", tt.in, err)
			}
		})
	}
}

func FuzzVerifyPassword(f *testing.F) {
	h, err := hashPasswordWith("pw", cheap)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("pw", h)
	f.Add("pw", dummyHash)
	f.Add("", "")
	f.Add("pw", "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5aw")
	f.Add("pw", "$argon2id$v=19$m=64,t=1,p=1$$")
	f.Add("pw", "$$$$$")
	f.Fuzz(func(t *testing.T, pw, encoded string) {
		// Parsing is where a panic could hide, so always exercise it; only
		// run the (deliberately slow) key derivation for cheap parameters.
		p, _, _, err := decodePHC(encoded)
		if err != nil {
			if !errors.Is(err, ErrMalformedHash) {
				t.Fatalf("decodePHC error %v does not wrap ErrMalformedHash", err)
			}
			return
		}
		if p.memory > 1024 || p.time > 2 || p.threads > 4 {
			return
		}
		if _, err := VerifyPassword(pw, encoded); err != nil {
			t.Fatalf("VerifyPassword failed after decodePHC succeeded: %v", err)
		}
	})
}
