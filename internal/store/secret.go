package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// Secrets the clinic gives Fascia to keep (the SMTP password) are sealed
// with AES-256-GCM under a key that is not in the database, so a copy of
// the database or a backup does not carry them readable. The key is the
// same for every server process of one database: FASCIA_SECRET_KEY, or a
// key file (cmd/fascia makes one beside a SQLite database).

// sealedPrefix marks a sealed value; a value without it was stored before
// sealing existed and is read as it is, until it is saved again.
const sealedPrefix = "sealed:v1:"

// KeySize is the length of the secret key in bytes (AES-256).
const KeySize = 32

// SetSecretKey gives the store the key it seals secrets with.
func (db *DB) SetSecretKey(k []byte) error {
	if len(k) != KeySize {
		return fmt.Errorf("the secret key is %d bytes; it must be %d", len(k), KeySize)
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	db.sealer = aead
	return nil
}

// HasSecretKey reports whether the store can seal secrets.
func (db *DB) HasSecretKey() bool { return db.sealer != nil }

// errNoKey is why a secret cannot be sealed or opened here.
var errNoKey = errors.New("no secret key")

// seal seals plain for what (a name such as "smtp") of organisation orgID;
// both are bound to it, so a sealed value copied elsewhere does not open.
func (db *DB) seal(what string, orgID int64, plain string) (string, error) {
	if db.sealer == nil {
		return "", errNoKey
	}
	nonce := make([]byte, db.sealer.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := db.sealer.Seal(nonce, nonce, []byte(plain), []byte(what+":"+strconv.FormatInt(orgID, 10)))
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(out), nil
}

// unseal opens a value sealed by seal; a value stored before sealing is
// returned as it is.
func (db *DB) unseal(what string, orgID int64, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
	}
	if db.sealer == nil {
		return "", errNoKey
	}
	b, err := base64.RawStdEncoding.DecodeString(rest)
	n := db.sealer.NonceSize()
	if err != nil || len(b) < n {
		return "", errors.New("a sealed value is damaged")
	}
	plain, err := db.sealer.Open(nil, b[:n], b[n:], []byte(what+":"+strconv.FormatInt(orgID, 10)))
	if err != nil {
		return "", errors.New("a sealed value does not open with this key")
	}
	return string(plain), nil
}

// ParseSecretKey reads a key written as base64 (standard or URL alphabet,
// padded or not), as FASCIA_SECRET_KEY and key files hold it.
func ParseSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil && len(k) == KeySize {
			return k, nil
		}
	}
	return nil, fmt.Errorf("a secret key is %d random bytes written in base64 (make one with: head -c 32 /dev/urandom | base64)", KeySize)
}

// KeyFile reads the key in file path, making the file (readable by its
// owner only) with a new random key when there is none.
func KeyFile(path string) (key []byte, made bool, err error) {
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := ParseSecretKey(string(b))
		if err != nil {
			return nil, false, fmt.Errorf("%s: %w", path, err)
		}
		return k, false, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, false, err
	}
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // another process made it first
			return KeyFile(path)
		}
		return nil, false, err
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, false, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, false, err
	}
	return k, true, f.Close()
}

// SealStoredSecrets seals the SMTP passwords stored before sealing
// existed (the server calls it at start, once it has a key); it returns
// how many it sealed. A password changed meanwhile is left to its saver.
func (db *DB) SealStoredSecrets(ctx context.Context) (int, error) {
	if db.sealer == nil {
		return 0, nil
	}
	rows, err := db.w.QueryContext(ctx, "SELECT org_id, password FROM smtp_settings WHERE password <> '' AND password NOT LIKE 'sealed:%'")
	if err != nil {
		return 0, dbErr(err)
	}
	type plain struct {
		org int64
		pw  string
	}
	var todo []plain
	for rows.Next() {
		var p plain
		if err := rows.Scan(&p.org, &p.pw); err != nil {
			rows.Close()
			return 0, dbErr(err)
		}
		todo = append(todo, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, dbErr(err)
	}
	n := 0
	for _, p := range todo {
		sealed, err := db.seal("smtp", p.org, p.pw)
		if err != nil {
			return n, err
		}
		res, err := db.w.ExecContext(ctx, "UPDATE smtp_settings SET password = $1 WHERE org_id = $2 AND password = $3", sealed, p.org, p.pw)
		if err != nil {
			return n, dbErr(err)
		}
		if c, _ := res.RowsAffected(); c == 1 {
			n++
		}
	}
	return n, nil
}
