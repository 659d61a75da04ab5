package clinic

import (
	"bytes"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

// Document is a scanned paper of a client's record: a prescription, a
// physician's clearance, a letter. Its bytes are stored beside it with
// their SHA-256, checked on every read.
type Document struct {
	ID       int64
	OrgID    int64
	ClientID int64
	// Kind says what the paper is (DocumentPrescription, DocumentClearance, …).
	Kind     string
	Filename string
	// ContentType is sniffed from the bytes, never taken from the upload.
	ContentType string
	Size        int64
	SHA256      string // hex
	UploadedBy  int64  // user id
	UploadedAt  time.Time
}

// Kinds of document the areas use.
const (
	DocumentPrescription = "prescription"
	DocumentClearance    = "physician_clearance"
	DocumentOther        = "other"
)

// MaxDocumentSize is the largest upload accepted: a multi-page scan at
// office-scanner resolution fits, a phone video does not.
const MaxDocumentSize = 10 << 20

// Content types a document may have.
const (
	TypePDF  = "application/pdf"
	TypePNG  = "image/png"
	TypeJPEG = "image/jpeg"
)

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// SniffDocument names the type of b from its first bytes: a PDF starts
// with "%PDF-", a PNG with its 8-byte signature, a JPEG with FF D8 FF.
// Anything else (HTML, an executable, a Word file) is refused: ok is false.
// The filename and the type the browser declared are never consulted.
func SniffDocument(b []byte) (contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return TypePDF, true
	case bytes.HasPrefix(b, pngSignature):
		return TypePNG, true
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return TypeJPEG, true
	}
	return "", false
}

// Extension is the file extension that goes with a document content type.
func Extension(contentType string) string {
	switch contentType {
	case TypePDF:
		return ".pdf"
	case TypePNG:
		return ".png"
	case TypeJPEG:
		return ".jpg"
	}
	return ""
}

// CheckUpload says what is wrong with an upload, if anything, and returns
// its sniffed type. field names the form field for the message.
func CheckUpload(field string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", &errs.Error{Code: errs.Invalid, Message: "The file is empty.", Fields: map[string]string{field: "The file is empty; scan the paper again."}}
	}
	if len(data) > MaxDocumentSize {
		return "", &errs.Error{Code: errs.TooLarge, Message: "The file is larger than 10 MB.", Fields: map[string]string{field: "The file is larger than 10 MB; scan at a lower resolution or in black and white."}}
	}
	ct, ok := SniffDocument(data)
	if !ok {
		return "", &errs.Error{Code: errs.Invalid, Message: "The file is not a PDF, JPEG or PNG.", Fields: map[string]string{field: "Upload a PDF, JPEG or PNG scan; this file is none of these, whatever its name says."}}
	}
	return ct, nil
}

// CleanFilename makes an uploaded file's name safe to store and to offer
// back: the last path element, without control characters, at most 100
// characters, ending in the extension of what the bytes really are.
func CleanFilename(name, contentType string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(strings.ToValidUTF8(name, ""))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	// No hidden file (".x") and nothing that reads as a path.
	base := strings.TrimSpace(strings.TrimLeft(strings.TrimSuffix(name, path.Ext(name)), ". "))
	if base == "" {
		base = "scan"
	}
	for len(base) > 90 || !utf8.ValidString(base) {
		_, size := utf8.DecodeLastRuneInString(base)
		base = base[:len(base)-max(size, 1)]
	}
	return base + Extension(contentType)
}

// ValidDocumentKind reports whether k can name a kind of document: a short
// lower-case key, so areas can add their own.
func ValidDocumentKind(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if (r < 'a' || r > 'z') && r != '_' {
			return false
		}
	}
	return true
}
