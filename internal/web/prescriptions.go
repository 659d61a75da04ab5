package web

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /clients/{id}/prescriptions/new", s.signedIn(s.prescriptionNewPage))
		m.HandleFunc("POST /clients/{id}/prescriptions", s.signedIn(s.prescriptionCreate))
	})
	chartSections = append(chartSections,
		ChartSection{Order: 10, Banner: true, Render: renderPrescriptionWarnings},
		ChartSection{Order: 41, Render: renderPrescriptionSection},
	)
}

// careMemo holds each chart request's care record, so the banner and the
// sections that show parts of it read it (and audit the read) once. An
// entry goes when its request ends.
var careMemo sync.Map // *http.Request → *careMemoEntry

type careMemoEntry struct {
	once sync.Once
	rec  *app.CareRecord
	err  error
}

func (s *Server) careRecord(r *http.Request, a *auth.Actor, c *clinic.Client) (*app.CareRecord, error) {
	v, loaded := careMemo.LoadOrStore(r, &careMemoEntry{})
	if !loaded {
		context.AfterFunc(r.Context(), func() { careMemo.Delete(r) })
	}
	e := v.(*careMemoEntry)
	e.once.Do(func() { e.rec, e.err = s.App.ClientCareRecord(r.Context(), a, c.ID) })
	return e.rec, e.err
}

// prescriptionWarnings is the data of the chart's warning banner.
type prescriptionWarnings struct {
	Warnings []care.Warning
	Danger   bool
}

func renderPrescriptionWarnings(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	rec, err := s.careRecord(r, a, c)
	if err != nil || len(rec.Warnings) == 0 {
		return "", err
	}
	d := prescriptionWarnings{Warnings: rec.Warnings}
	for _, w := range rec.Warnings {
		d.Danger = d.Danger || w.Level == "danger"
	}
	return s.renderPartial("prescription_warnings", d)
}

// prescriptionSection is the data of the chart's "Prescriptions" section.
type prescriptionSection struct {
	Client        *clinic.Client
	Prescriptions []care.Prescription
	Titles        map[string]string
	Today         string
	CanWrite      bool
}

// Status says where a prescription stands today: "active", "expired" or "upcoming".
func (d prescriptionSection) Status(p care.Prescription) string {
	switch {
	case p.ExpiresOn < d.Today:
		return "expired"
	case p.StartOn > d.Today:
		return "upcoming"
	}
	return "active"
}

// Title is a diagnosis's title, or "" when the code set does not know it.
func (d prescriptionSection) Title(code string) string { return d.Titles[code] }

func renderPrescriptionSection(s *Server, r *http.Request, a *auth.Actor, c *clinic.Client) (template.HTML, error) {
	rec, err := s.careRecord(r, a, c)
	if err != nil {
		return "", err
	}
	return s.renderPartial("prescription_section", prescriptionSection{Client: c, Prescriptions: rec.Prescriptions, Titles: rec.Titles,
		Today: rec.Today, CanWrite: a.Can(auth.ClientWrite)})
}

// PrescriptionFormPage is the data of prescription_form.html.
type PrescriptionFormPage struct {
	FormPage
	Client     *clinic.Client
	Physicians []clinic.Physician
	Form       url.Values
	// Chosen are the diagnoses of the codes field, with their titles.
	Chosen []chosenCode
	// ScanAgain asks for the scan again when the form comes back with
	// errors: a browser never fills a file input in.
	ScanAgain bool
	Today     string
}

type chosenCode struct{ Code, Title string }

// V is the value of a form field as sent.
func (p PrescriptionFormPage) V(name string) string { return p.Form.Get(name) }

// T is a text input; N a number; D a date.
func (p PrescriptionFormPage) T(id, label, hint string) FieldView {
	return rxField(p.Fields, id, label, "text", p.V(id), hint)
}

func (p PrescriptionFormPage) N(id, label, hint, max string) FieldView {
	f := rxField(p.Fields, id, label, "number", p.V(id), hint)
	f.Min, f.Max = "1", max
	return f
}

func (p PrescriptionFormPage) D(id, label, hint string, required bool) FieldView {
	f := rxField(p.Fields, id, label, "date", p.V(id), hint)
	f.Required = required
	return f
}

// PhysicianID is the prescriber chosen in the form.
func (p PrescriptionFormPage) PhysicianID() int64 {
	id, _ := strconv.ParseInt(p.V("physician_id"), 10, 64)
	return id
}

func (s *Server) prescriptionForm(w http.ResponseWriter, r *http.Request, a *auth.Actor, form url.Values) (*PrescriptionFormPage, bool) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	c, err := s.App.Client(r.Context(), a, id)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	if !a.Can(auth.ClientWrite) {
		s.fail(w, r, a, s.App.Forbid(r.Context(), a, app.AuditPrescriptionCreate))
		return nil, false
	}
	p := &PrescriptionFormPage{FormPage: FormPage{Page: Page{Title: "New prescription · " + c.DisplayName(), Actor: a, Nav: "clients"}}, Client: c, Form: form, Today: s.App.ClinicDate(a)}
	if p.Physicians, err = s.App.SearchPhysicians(r.Context(), a, clinic.PhysicianFilter{Limit: 500}); err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	codes := care.ParseCodes(form.Get("diagnoses"))
	date := form.Get("written_on")
	if d, ok := clinic.ParseDate(date); ok {
		date = d
	} else {
		date = p.Today
	}
	titles, err := s.App.DiagnosisTitles(r.Context(), date, codes)
	if err != nil {
		s.fail(w, r, a, err)
		return nil, false
	}
	for _, c := range codes {
		p.Chosen = append(p.Chosen, chosenCode{c, titles[c]})
	}
	return p, true
}

func (s *Server) prescriptionNewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	form := url.Values{"written_on": {s.App.ClinicDate(a)}}
	if v := r.URL.Query().Get("physician_id"); v != "" {
		form.Set("physician_id", v) // back from adding the prescriber to the directory
	}
	p, ok := s.prescriptionForm(w, r, a, form)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "prescription_form", p)
}

func prescriptionFromForm(f url.Values) care.Prescription {
	num := func(k string) int {
		v := strings.TrimSpace(f.Get(k))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 100000 {
			return -1 // refused by validation, next to the field
		}
		return n
	}
	p := care.Prescription{WrittenOn: f.Get("written_on"), Diagnoses: care.ParseCodes(f.Get("diagnoses")), OrderedTreatment: f.Get("ordered_treatment"),
		FrequencyPerWeek: num("frequency_per_week"), DurationWeeks: num("duration_weeks"), Visits: num("visits"),
		StartOn: f.Get("start_on"), ExpiresOn: f.Get("expires_on"), Precautions: f.Get("precautions")}
	if v := f.Get("physician_id"); v != "" {
		if p.PhysicianID, _ = strconv.ParseInt(v, 10, 64); p.PhysicianID <= 0 {
			p.PhysicianID = -1
		}
	}
	return p
}

func (s *Server) prescriptionCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	form, scan, rerr := readUploadForm(w, r, "document")
	p, ok := s.prescriptionForm(w, r, a, form)
	if !ok {
		return
	}
	if rerr != nil {
		// The body could not be read whole (far over the size limit): say
		// so next to the upload; nothing was saved.
		p.Error, p.Fields = errs.Message(rerr), errs.FieldsOf(rerr)
		s.render(w, r, errs.HTTPStatus(rerr), "prescription_form", p)
		return
	}
	rx := prescriptionFromForm(form)
	rx.ClientID = p.Client.ID
	err := s.App.CreatePrescription(r.Context(), a, &rx, scan)
	if err == nil {
		http.Redirect(w, r, "/clients/"+strconv.FormatInt(p.Client.ID, 10)+"?saved=1", http.StatusSeeOther)
		return
	}
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p.Error, p.Fields = errs.Message(err), errs.FieldsOf(err)
	p.ScanAgain = scan != nil && p.Fields["document"] == ""
	s.render(w, r, errs.HTTPStatus(err), "prescription_form", p)
}

// Limits of a form with an upload: the file may be 10 MB; the rest of the
// form is small. A body past maxUploadBody is not read to its end.
const (
	maxUploadBody = 4*clinic.MaxDocumentSize + 1<<20
	maxFormValue  = 64 << 10
	maxFormParts  = 100
)

// readUploadForm reads a form sent as multipart/form-data (or, without a
// file, urlencoded): its fields, and the file of fileField when one was
// chosen. The file is read up to one byte past the size limit, so a file
// that is too large is still reported next to its field with the rest of
// the form as typed; only a body far past the limit is cut off.
func readUploadForm(w http.ResponseWriter, r *http.Request, fileField string) (url.Values, *app.Upload, error) {
	readErr := func(err error) error {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return &errs.Error{Code: errs.TooLarge, Message: "The file is larger than 10 MB.",
				Fields: map[string]string{fileField: "The file is larger than 10 MB; scan at a lower resolution or in black and white."}}
		}
		return errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return url.Values{}, nil, errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
		}
		return r.PostForm, nil, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUploadBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return url.Values{}, nil, errs.E(errs.Invalid, "The form could not be read; reload the page and try again.")
	}
	vals := url.Values{}
	var up *app.Upload
	for n := 0; ; n++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || n == maxFormParts {
			return vals, nil, readErr(err)
		}
		name := part.FormName()
		if name == fileField && part.FileName() != "" {
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(part, clinic.MaxDocumentSize+1)); err != nil {
				return vals, nil, readErr(err)
			}
			// The rest of a file over the limit is read and thrown away, so
			// the fields after it are still read.
			if _, err := io.Copy(io.Discard, part); err != nil {
				return vals, nil, readErr(err)
			}
			up = &app.Upload{Filename: part.FileName(), Data: buf.Bytes()}
			continue
		}
		if part.FileName() != "" || name == fileField {
			io.Copy(io.Discard, part) // an empty file input, or a file where none is expected
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFormValue+1))
		if err != nil || len(b) > maxFormValue {
			return vals, nil, errs.E(errs.Invalid, "A field of the form is far too long.")
		}
		vals.Add(name, string(b))
	}
	return vals, up, nil
}
