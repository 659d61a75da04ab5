package clinic

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/errs"
)

func TestSniffDocument(t *testing.T) {
	for _, c := range []struct {
		name string
		data string
		want string
	}{
		{"pdf", "%PDF-1.4\n%âãÏÓ\n1 0 obj", TypePDF},
		{"png", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", TypePNG},
		{"jpeg jfif", "\xff\xd8\xff\xe0\x00\x10JFIF", TypeJPEG},
		{"jpeg exif", "\xff\xd8\xff\xe1\x00\x18Exif", TypeJPEG},
		{"html", "<!doctype html><script>alert(1)</script>", ""},
		{"html that mentions pdf", "<html>%PDF-1.4", ""},
		{"pdf after a BOM", "\xef\xbb\xbf%PDF-1.4", ""},
		{"pdf without the dash", "%PDF1.4", ""},
		{"png without its last bytes", "\x89PNG\r\n", ""},
		{"two bytes of jpeg", "\xff\xd8", ""},
		{"gif", "GIF89a", ""},
		{"zip (a .docx)", "PK\x03\x04", ""},
		{"exe", "MZ\x90\x00", ""},
		{"empty", "", ""},
	} {
		got, ok := SniffDocument([]byte(c.data))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("%s: SniffDocument = %q, %v; want %q", c.name, got, ok, c.want)
		}
	}
}

func TestCheckUpload(t *testing.T) {
	if ct, err := CheckUpload("document", []byte("%PDF-1.7\n")); err != nil || ct != TypePDF {
		t.Errorf("a PDF: %q %v", ct, err)
	}
	for _, c := range []struct {
		name string
		data []byte
		code string
	}{
		{"empty", nil, errs.Invalid},
		{"html", []byte("<html></html>"), errs.Invalid},
		{"too large", append([]byte("%PDF-1.7\n"), make([]byte, MaxDocumentSize)...), errs.TooLarge},
	} {
		_, err := CheckUpload("document", c.data)
		if errs.Code(err) != c.code || errs.FieldsOf(err)["document"] == "" {
			t.Errorf("%s: %v, want %s with a message on the field", c.name, err, c.code)
		}
	}
	if _, err := CheckUpload("document", append([]byte("%PDF-1.7\n"), make([]byte, MaxDocumentSize-9)...)); err != nil {
		t.Errorf("exactly 10 MB refused: %v", err)
	}
}

func TestCleanFilename(t *testing.T) {
	for _, c := range []struct{ name, ct, want string }{
		{"Rx Kim 2026-11.pdf", TypePDF, "Rx Kim 2026-11.pdf"},
		{"scan.pdf", TypePNG, "scan.png"},
		{"photo.JPG", TypeJPEG, "photo.jpg"},
		{`C:\Users\front\Desktop\rx.pdf`, TypePDF, "rx.pdf"},
		{"../../etc/passwd", TypePDF, "passwd.pdf"},
		{"", TypePDF, "scan.pdf"},
		{"..", TypePNG, "scan.png"},
		{"a\x00b\r\n\".pdf", TypePDF, "ab.pdf"},
		{"\xff\xfeok.pdf", TypePDF, "ok.pdf"},
		{strings.Repeat("é", 200) + ".pdf", TypePDF, strings.Repeat("é", 45) + ".pdf"},
	} {
		if got := CleanFilename(c.name, c.ct); got != c.want {
			t.Errorf("CleanFilename(%q, %s) = %q, want %q", c.name, c.ct, got, c.want)
		}
	}
}

// FuzzSniffDocument: whatever the bytes, sniffing never panics, accepts
// only what starts with a known signature, and a name is always safe.
func FuzzSniffDocument(f *testing.F) {
	for _, s := range []string{"%PDF-1.4", "\x89PNG\r\n\x1a\n", "\xff\xd8\xff\xe0", "<html>", "", "\xff\xd8", "%PDF"} {
		f.Add([]byte(s), "scan.pdf")
	}
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		ct, ok := SniffDocument(b)
		switch ct {
		case TypePDF:
			ok = ok && bytes.HasPrefix(b, []byte("%PDF-"))
		case TypePNG:
			ok = ok && bytes.HasPrefix(b, pngSignature)
		case TypeJPEG:
			ok = ok && bytes.HasPrefix(b, []byte{0xff, 0xd8, 0xff})
		case "":
			if ok {
				t.Fatalf("ok without a type for %q", b)
			}
			ok = true
			for _, sig := range [][]byte{[]byte("%PDF-"), pngSignature, {0xff, 0xd8, 0xff}} {
				if bytes.HasPrefix(b, sig) {
					t.Fatalf("refused %q, which starts with a signature", b)
				}
			}
		default:
			t.Fatalf("unknown type %q", ct)
		}
		if !ok {
			t.Fatalf("%q sniffed as %s", b, ct)
		}
		if ct == "" {
			if _, err := CheckUpload("document", b); err == nil {
				t.Fatalf("CheckUpload accepted %q", b)
			}
			return
		}
		n := CleanFilename(name, ct)
		if !utf8.ValidString(n) || strings.ContainsAny(n, "/\\\"\x00\r\n") || !strings.HasSuffix(n, Extension(ct)) || len(n) > 100 || strings.HasPrefix(n, ".") {
			t.Fatalf("CleanFilename(%q) = %q", name, n)
		}
	})
}
