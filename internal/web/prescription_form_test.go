package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// FuzzReadUploadForm: whatever body a browser (or anyone) sends to the
// prescription form, reading it never panics, never keeps more of a file
// than the limit and one byte, and fails only with a 4xx error.
func FuzzReadUploadForm(f *testing.F) {
	const b = "XyZ"
	f.Add("multipart/form-data; boundary="+b, "--"+b+"\r\nContent-Disposition: form-data; name=\"diagnoses\"\r\n\r\nM54.2\r\n--"+b+
		"\r\nContent-Disposition: form-data; name=\"document\"; filename=\"rx.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n\r\n--"+b+"--\r\n")
	f.Add("multipart/form-data; boundary="+b, "--"+b+"\r\nContent-Disposition: form-data; name=\"document\"; filename=\"\"\r\n\r\n\r\n--"+b+"--\r\n")
	f.Add("multipart/form-data; boundary="+b, "--"+b+"\r\nContent-Disposition: form-data; name=\"document\"; filename=\"../../x\"\r\n\r\n<html>")
	f.Add("multipart/form-data", "garbage")
	f.Add("application/x-www-form-urlencoded", "diagnoses=M54.2&visits=%zz")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, ct, body string) {
		r := httptest.NewRequest(http.MethodPost, "/clients/1/prescriptions", strings.NewReader(body))
		r.Header.Set("Content-Type", ct)
		vals, up, err := readUploadForm(httptest.NewRecorder(), r, "document")
		if err != nil {
			if s := errs.HTTPStatus(err); s < 400 || s > 499 {
				t.Fatalf("error %v is a %d", err, s)
			}
			return
		}
		if vals == nil {
			t.Fatal("nil values without an error")
		}
		if up != nil && len(up.Data) > clinic.MaxDocumentSize+1 {
			t.Fatalf("kept %d bytes of a file", len(up.Data))
		}
		if len(vals) > maxFormParts {
			t.Fatalf("%d fields", len(vals))
		}
	})
}
