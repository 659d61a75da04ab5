package web_test

// Uploading the scanned prescription through the page: types told from the
// bytes, sizes, refusals that store nothing, and the download.

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// upload is the file part of a multipart form.
type upload struct {
	name, contentType string
	data              []byte
	first             bool // before the other fields (browsers send them in page order)
}

// postMultipart posts form and the file as multipart/form-data, as a browser does.
func postMultipart(t testing.TB, c *http.Client, u string, form url.Values, file *upload) resp {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	writeFile := func() {
		if file == nil {
			return
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": "document", "filename": file.name}))
		h.Set("Content-Type", file.contentType)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(file.data)
	}
	if file != nil && file.first {
		writeFile()
	}
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if file != nil && !file.first {
		writeFile()
	}
	mw.Close()
	return do(t, c, http.MethodPost, u, b.String(), "Content-Type", mw.FormDataContentType())
}

func testImage(t testing.TB, enc func(*bytes.Buffer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range 8 {
		img.Set(i, i, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var documentLinkRE = regexp.MustCompile(`href="/documents/(\d+)"`)

func TestPrescriptionUpload(t *testing.T) {
	pngBytes := testImage(t, func(b *bytes.Buffer, m image.Image) error { return png.Encode(b, m) })
	jpegBytes := testImage(t, func(b *bytes.Buffer, m image.Image) error { return jpeg.Encode(b, m, nil) })
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		tc := s.SignIn(t, testsrv.TherapistA)
		c := s.ClientAt(t, s.Downtown.ID)
		cid := id(c.ID)
		kim, err := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{Query: "sarah kim"})
		if err != nil || len(kim) != 1 {
			t.Fatalf("demo physician: %v %v", kim, err)
		}
		counts := func() string { return careCounts(t, s, s.Org.ID, c.ID) }

		// Accepted: a real PDF, PNG and JPEG, each served back as what it is —
		// a PNG named .pdf and declared application/pdf included.
		for _, k := range []struct {
			up       upload
			wantType string
			wantName string
		}{
			{upload{name: "Rx Kim.pdf", contentType: "application/pdf", data: []byte(tinyPDF)}, clinic.TypePDF, "Rx Kim.pdf"},
			{upload{name: "photo.png", contentType: "image/png", data: pngBytes, first: true}, clinic.TypePNG, "photo.png"},
			{upload{name: "phone.jpeg", contentType: "image/jpeg", data: jpegBytes}, clinic.TypeJPEG, "phone.jpg"},
			{upload{name: "scan.pdf", contentType: "application/pdf", data: pngBytes}, clinic.TypePNG, "scan.png"},
		} {
			r := postMultipart(t, tc, s.URL+"/clients/"+cid+"/prescriptions", rxForm(kim[0].ID), &k.up)
			if r.status != http.StatusSeeOther {
				t.Fatalf("upload %s: %s", k.up.name, r)
			}
			chart := get(t, tc, s.URL+"/clients/"+cid)
			m := documentLinkRE.FindAllStringSubmatch(chart.body, -1)
			if len(m) == 0 {
				t.Fatalf("the chart links no scan after uploading %s", k.up.name)
			}
			newest := m[0][1] // the newest prescription is listed first
			d := get(t, tc, s.URL+"/documents/"+newest)
			_, params, _ := mime.ParseMediaType(d.header.Get("Content-Disposition"))
			if d.status != http.StatusOK || d.header.Get("Content-Type") != k.wantType || !bytes.Equal([]byte(d.body), k.up.data) ||
				!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment") || params["filename"] != k.wantName ||
				d.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("download of %s: %d type %q disposition %q nosniff %q, %d bytes", k.up.name, d.status, d.header.Get("Content-Type"),
					d.header.Get("Content-Disposition"), d.header.Get("X-Content-Type-Options"), len(d.body))
			}
		}

		// Refused, next to the upload field, with the rest of the form kept,
		// and nothing stored: HTML named .pdf, a file over 10 MB.
		before := counts()
		for _, k := range []struct {
			name   string
			up     upload
			status int
			msg    string
		}{
			{"html named .pdf", upload{name: "rx.pdf", contentType: "application/pdf", data: []byte("<!doctype html><script>alert(1)</script>")}, http.StatusUnprocessableEntity, "PDF, JPEG or PNG"},
			{"exe named .png", upload{name: "rx.png", contentType: "image/png", data: []byte("MZ\x90\x00\x03")}, http.StatusUnprocessableEntity, "PDF, JPEG or PNG"},
			{"over 10 MB", upload{name: "big.pdf", contentType: "application/pdf", data: append([]byte("%PDF-1.7\n"), make([]byte, clinic.MaxDocumentSize)...), first: true}, http.StatusRequestEntityTooLarge, "larger than 10 MB"},
			{"empty", upload{name: "empty.pdf", contentType: "application/pdf"}, http.StatusUnprocessableEntity, "empty"},
		} {
			form := rxForm(kim[0].ID)
			form.Set("precautions", "Kept when refused")
			r := postMultipart(t, tc, s.URL+"/clients/"+cid+"/prescriptions", form, &k.up)
			if r.status != k.status {
				t.Errorf("%s: %d, want %d", k.name, r.status, k.status)
			}
			if m := regexp.MustCompile(`id="document-error">([^<]*)<`).FindStringSubmatch(r.body); m == nil || !strings.Contains(m[1], k.msg) {
				t.Errorf("%s: no error next to the upload field saying %q", k.name, k.msg)
			}
			if !strings.Contains(r.body, "Kept when refused") || !strings.Contains(r.body, `value="M54.2, G44.209"`) {
				t.Errorf("%s: the form as typed is not shown again", k.name)
			}
			if now := counts(); now != before {
				t.Errorf("%s stored something: %s → %s", k.name, before, now)
			}
		}
		// A good scan with a bad form: nothing stored, and the form asks for the scan again.
		bad := rxForm(kim[0].ID)
		bad.Set("diagnoses", "M54.5")
		r := postMultipart(t, tc, s.URL+"/clients/"+cid+"/prescriptions", bad, &upload{name: "rx.pdf", contentType: "application/pdf", data: []byte(tinyPDF)})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Choose the file again") || !strings.Contains(r.body, "M54.50") {
			t.Errorf("bad form with a good scan: %d", r.status)
		}
		if now := counts(); now != before {
			t.Errorf("a refused form stored its scan: %s → %s", before, now)
		}
		// Without a file input at all (urlencoded), the form works and stores no scan.
		if r := post(t, tc, s.URL+"/clients/"+cid+"/prescriptions", rxForm(kim[0].ID)); r.status != http.StatusSeeOther {
			t.Errorf("urlencoded prescription: %s", r)
		}
		// A scan whose bytes changed in the database is never served.
		chart := get(t, tc, s.URL+"/clients/"+cid)
		docID := documentLinkRE.FindStringSubmatch(chart.body)[1]
		if _, err := s.DB.ExecForTest(ctx, "UPDATE documents SET data = $1 WHERE id = $2", []byte("%PDF-1.4 tampered"), mustInt(t, docID)); err != nil {
			t.Fatal(err)
		}
		if r := get(t, tc, s.URL+"/documents/"+docID); r.status != http.StatusInternalServerError || strings.Contains(r.body, "tampered") {
			t.Errorf("tampered scan: %d %.60q", r.status, r.body)
		}
		if !strings.Contains(s.Log.String(), "checksum") {
			t.Errorf("the checksum failure is not logged")
		}
	})
}
