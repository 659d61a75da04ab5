// Package errs gives Fascia's errors a code a caller can act on, and the one
// table that turns a code into an HTTP status. A message on an Error is written
// for the person using Fascia and never carries client health information.
package errs

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// Codes a caller can switch on.
const (
	Invalid      = "invalid"      // the input is wrong; Fields says where
	NotFound     = "not_found"    // no such record, or not one the caller may see
	Conflict     = "conflict"     // someone else changed it first, or it would duplicate
	Unauthorized = "unauthorized" // no valid session or token
	Forbidden    = "forbidden"    // signed in, but the role does not allow it
	Locked       = "locked"       // sign-in is temporarily locked after failures
	TooMany      = "too_many"     // throttled
	Internal     = "internal"     // our fault; details go to the log, not to the user
	Unavailable  = "unavailable"  // the database or a dependency is not ready
	Gone         = "gone"         // the record existed but was revoked or expired
	TooLarge     = "too_large"    // the request or upload is over the size limit
)

// Error is an error with a code and a message fit to show a person.
type Error struct {
	Code    string
	Message string
	// Fields maps a field name to what is wrong with it.
	Fields map[string]string
	// Err is the underlying cause, logged but never shown.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E makes an Error with a formatted message.
func E(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap records cause behind a code and message.
func Wrap(code string, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Code reads the code of err; errors that are not ours are Internal.
func Code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Message is what a person may be shown for err.
func Message(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	return "Something went wrong on our side. It has been logged; please try again."
}

// FieldsOf returns the field errors carried by err, if any.
func FieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Is reports whether err carries code.
func Is(err error, code string) bool { return Code(err) == code }

// HTTPStatus is the one table from codes to HTTP statuses.
func HTTPStatus(err error) int {
	switch Code(err) {
	case Invalid:
		return http.StatusUnprocessableEntity
	case NotFound:
		return http.StatusNotFound
	case Conflict:
		return http.StatusConflict
	case Unauthorized:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case Locked, TooMany:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	case Gone:
		return http.StatusGone
	case TooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

// FieldErrors collects validation problems field by field.
type FieldErrors map[string]string

// Add records msg for field unless the field already has one.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when there is nothing wrong, or an Invalid error listing the fields.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	names := make([]string, 0, len(f))
	for k := range f {
		names = append(names, k)
	}
	sort.Strings(names)
	msg := "Please correct the highlighted field"
	if len(names) > 1 {
		msg += "s"
	}
	return &Error{Code: Invalid, Message: msg + ": " + strings.Join(names, ", ") + ".", Fields: map[string]string(f)}
}
