package store

import (
	"strings"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// PostgreSQL text holds only valid UTF-8 without NUL bytes, and an indexed
// value must fit in an index entry (about 2.7 kB); SQLite stores anything.
// These checks make both engines refuse, or never look up, the same text, so
// hostile input is a 4xx on either engine, never a driver error (a 500).

// maxText is the most bytes a stored text field may hold.
const maxText = 1000

// storable reports whether s can be stored and compared on both engines.
func storable(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// cleanText makes s storable: invalid bytes and NUL become U+FFFD.
func cleanText(s string) string {
	if storable(s) {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// checkText returns an Invalid error naming each field (given as name, value
// pairs) whose value cannot be stored.
func checkText(kv ...string) error {
	f := errs.FieldErrors{}
	for i := 0; i+1 < len(kv); i += 2 {
		switch v := kv[i+1]; {
		case !storable(v):
			f.Add(kv[i], "Remove the characters that are not text.")
		case len(v) > maxText:
			f.Add(kv[i], "This is too long.")
		}
	}
	return f.Err()
}
