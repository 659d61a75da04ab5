// Package auth owns how people prove who they are: passwords, sessions,
// two-factor codes, API tokens and the permission table.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// ErrMalformedHash is returned (wrapped, with a reason) by VerifyPassword when
// the stored string is not an argon2id PHC string this package can check.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// argonParams are the argon2id cost parameters recorded in a PHC string.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8
	keyLen  uint32 // bytes
}

// defaultParams follow the OWASP Password Storage Cheat Sheet
// (https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id):
// "m=19456 (19 MiB), t=2, p=1" for argon2id. The salt is 16 random bytes and
// the derived key 32 bytes.
var defaultParams = argonParams{memory: 19 * 1024, time: 2, threads: 1, keyLen: 32}

const saltLen = 16

// Bounds on parameters read back from a stored string. They are far above
// what HashPassword writes, and only there so that a corrupted or hostile row
// cannot make a verification allocate gigabytes or run for minutes.
const (
	maxMemoryKiB = 256 * 1024 // 256 MiB
	maxTime      = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// b64 is the unpadded standard alphabet the PHC string format uses, strict so
// that non-canonical trailing bits are refused.
var b64 = base64.RawStdEncoding.Strict()

// HashPassword derives an argon2id hash of pw with a fresh random salt and
// returns it as a PHC string:
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// with salt and hash in unpadded standard base64.
func HashPassword(pw string) (string, error) {
	return hashPasswordWith(pw, defaultParams)
}

func hashPasswordWith(pw string, p argonParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	releaseHashMemory()
	return encodePHC(p, salt, key), nil
}

func encodePHC(p argonParams, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.memory, p.time, p.threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// VerifyPassword reports whether pw matches encoded, a PHC string made by
// HashPassword. The cost parameters are taken from encoded, so hashes made
// with older parameters keep working. A mismatch is (false, nil); a string
// that cannot be parsed is (false, an error wrapping ErrMalformedHash).
func VerifyPassword(pw, encoded string) (ok bool, err error) {
	p, salt, want, err := decodePHC(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.time, p.memory, p.threads, p.keyLen)
	releaseHashMemory()
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// releasing is set while a release is pending.
var releasing atomic.Bool

// releaseHashMemory gives the argon2id working memory (19 MiB a hash) back
// to the operating system soon after, instead of when the runtime's
// scavenger gets to it: a server that has just signed someone in would
// otherwise hold it for minutes. Sign-ins are rare, so the forced
// collection costs little; concurrent ones share one.
func releaseHashMemory() {
	if releasing.CompareAndSwap(false, true) {
		go func() {
			defer releasing.Store(false)
			debug.FreeOSMemory()
		}()
	}
}

// dummyHash is a hash of a random password nobody knows, made once with
// defaultParams. TestDummyHashUsesDefaultParams keeps the two in step.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$oPxYQztIwR3geLVf2bkGLg$Fw+yackToA5hTdTCbMA+7estPKAR3wGEFDfdu1RwMIc"

// DummyVerify does the work of VerifyPassword against a fixed hash and throws
// the answer away. Sign-in calls it when no account has the given email, so
// that an unknown address takes as long to refuse as a wrong password and the
// response time does not reveal which emails have accounts.
func DummyVerify(pw string) {
	_, _ = VerifyPassword(pw, dummyHash)
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedHash, fmt.Sprintf(format, args...))
}

// decodePHC parses $argon2id$v=19$m=M,t=T,p=P$salt$hash. It is strict: the
// fields must appear in this order, numbers must be plain decimal, and the
// parameters must lie within the bounds above.
func decodePHC(s string) (p argonParams, salt, key []byte, err error) {
	// The base64 decoder skips CR and LF; refuse them outright instead.
	if strings.ContainsAny(s, "\r\n") {
		return p, nil, nil, malformed("contains a line break")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return p, nil, nil, malformed("want 5 $-separated fields")
	}
	if parts[1] != "argon2id" {
		return p, nil, nil, malformed("algorithm %q is not argon2id", parts[1])
	}
	v, ok := strings.CutPrefix(parts[2], "v=")
	if !ok {
		return p, nil, nil, malformed("missing version")
	}
	ver, err := parseDecimal(v, 1<<31)
	if err != nil || ver != argon2.Version {
		return p, nil, nil, malformed("unsupported version %q", v)
	}

	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return p, nil, nil, malformed("want parameters m, t and p")
	}
	var m, t, threads uint64
	for i, f := range []struct {
		name  string
		dst   *uint64
		limit uint64
	}{{"m", &m, maxMemoryKiB}, {"t", &t, maxTime}, {"p", &threads, 255}} {
		val, ok := strings.CutPrefix(kv[i], f.name+"=")
		if !ok {
			return p, nil, nil, malformed("parameter %d should be %s", i+1, f.name)
		}
		n, err := parseDecimal(val, f.limit)
		if err != nil || n == 0 {
			return p, nil, nil, malformed("parameter %s=%q is out of range", f.name, val)
		}
		*f.dst = n
	}
	// argon2 needs at least 8 KiB of memory per lane.
	if m < 8*threads {
		return p, nil, nil, malformed("m=%d is below 8*p", m)
	}

	salt, err = b64.DecodeString(parts[4])
	if err != nil || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, malformed("bad salt")
	}
	key, err = b64.DecodeString(parts[5])
	if err != nil || len(key) < minKeyLen || len(key) > maxKeyLen {
		return p, nil, nil, malformed("bad hash")
	}
	p = argonParams{memory: uint32(m), time: uint32(t), threads: uint8(threads), keyLen: uint32(len(key))}
	return p, salt, key, nil
}

// parseDecimal parses an unsigned decimal number of at most limit, refusing
// signs, leading zeros and anything but ASCII digits.
func parseDecimal(s string, limit uint64) (uint64, error) {
	if s == "" || len(s) > 10 || (len(s) > 1 && s[0] == '0') {
		return 0, errors.New("not a canonical number")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, errors.New("not a number")
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > limit {
		return 0, errors.New("out of range")
	}
	return n, nil
}
