package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// codePageSize is how many codes the lookup page and the options list show.
const codePageSize = 25

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /codes/icd10", s.signedIn(s.codesPage))
		m.HandleFunc("GET /codes/icd10/options", s.signedIn(s.codeOptions))
	})
}

// CodesPage is the data of codes.html: the diagnosis code lookup and its
// live results.
type CodesPage struct {
	Page
	Query    string
	Date     string // the date of service as typed (YYYY-MM-DD)
	Errors   map[string]string
	Codes    []icd10.Code
	Searched bool
	More     bool // there were more matches than shown
	Set      *icd10.Set
	SetLabel string
}

// codeSearch reads q and date, and searches. Field problems go to errs
// (by field name); only other failures are returned.
func (s *Server) codeSearch(r *http.Request, a *auth.Actor, limit int) (q, date string, on time.Time, codes []icd10.Code, more bool, fields map[string]string, err error) {
	v := r.URL.Query()
	q, date = strings.TrimSpace(v.Get("q")), strings.TrimSpace(v.Get("date"))
	fields = map[string]string{}
	on, ok := s.App.ServiceDate(a, date)
	if !ok {
		fields["date"] = "Use a date such as 2026-11-27."
		on, _ = s.App.ServiceDate(a, "")
	}
	if date == "" {
		date = on.Format("2006-01-02")
	}
	if q == "" {
		return q, date, on, nil, false, fields, nil
	}
	codes, err = s.App.SearchCodes(r.Context(), a, q, on, limit+1)
	if errs.Is(err, errs.Invalid) {
		for k, m := range errs.FieldsOf(err) {
			fields[k] = m
		}
		return q, date, on, nil, false, fields, nil
	}
	if len(codes) > limit {
		codes, more = codes[:limit], true
	}
	return q, date, on, codes, more, fields, err
}

func (s *Server) codesPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q, date, on, codes, more, fields, err := s.codeSearch(r, a, codePageSize)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	set, err := s.App.ICD10(r.Context(), on)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := CodesPage{Page: Page{Title: "Diagnosis codes", Actor: a, Nav: "codes"}, Query: q, Date: date, Errors: fields,
		Codes: codes, Searched: q != "", More: more, Set: set}
	if set.IsBuiltin() {
		p.SetLabel = "the built-in FY" + strconv.Itoa(set.FiscalYear) + " list of the codes medical massage meets (" + strconv.Itoa(set.Len()) + " codes)"
	} else {
		p.SetLabel = "the FY" + strconv.Itoa(set.FiscalYear) + " ICD-10-CM release (" + strconv.Itoa(set.Len()) + " codes, from " + set.Source() + ")"
	}
	status := http.StatusOK
	if len(fields) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "codes", p)
}

// CodeOptions is the data of the codes_options partial.
type CodeOptions struct {
	Query string
	Codes []icd10.Code
	Error string
}

// codeOptions answers GET /codes/icd10/options?q=TEXT[&date=YYYY-MM-DD] with
// an HTML fragment other forms use as an autocomplete (see
// templates/partials/codes.html for its markup).
func (s *Server) codeOptions(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q, _, _, codes, _, fields, err := s.codeSearch(r, a, 10)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	data := CodeOptions{Query: q, Codes: codes}
	status := http.StatusOK
	for _, k := range []string{"q", "date"} {
		if m := fields[k]; m != "" && data.Error == "" {
			data.Error, status = m, http.StatusUnprocessableEntity
		}
	}
	html, err := s.renderPartial("codes_options", data)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write([]byte(html))
}
