package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// tokenBytes is the randomness in a token or session id: 256 bits.
const tokenBytes = 32

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a fresh API token: prefix, an underscore and 32 random
// bytes in lower-case unpadded base32 (52 characters), e.g. "fsc_…". The
// prefix makes a leaked token recognisable to secret scanners and people;
// it must be 1 to 16 lower-case ASCII letters or digits. Show the plain token
// once and store only HashToken of it.
func NewToken(prefix string) (plain string, err error) {
	if !validPrefix(prefix) {
		return "", fmt.Errorf("auth: token prefix %q must be 1-16 of a-z and 0-9", prefix)
	}
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: reading token: %w", err)
	}
	return prefix + "_" + tokenEncoding.EncodeToString(b), nil
}

func validPrefix(p string) bool {
	if p == "" || len(p) > 16 {
		return false
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// HashToken returns the hex SHA-256 of plain, which is what gets stored and
// looked up. A fast hash is right here, unlike for passwords: a token carries
// 256 bits from crypto/rand, so there is nothing to guess and a slow,
// salted hash would add no protection against brute force, only cost on
// every API request. Being unsalted, the hash can be an indexed lookup key.
func HashToken(plain string) string {
	sum := sha256.Sum256([]byte(plain))
	return hex.EncodeToString(sum[:])
}

// NewSessionID returns a fresh session id: 32 random bytes in unpadded
// URL-safe base64 (43 characters), fit for a cookie value. Store it hashed
// with HashToken, like an API token.
func NewSessionID() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: reading session id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
