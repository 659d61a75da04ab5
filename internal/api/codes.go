package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// DefaultCodeResults is how many codes a search returns unless limit says.
const DefaultCodeResults = 20

func init() {
	areas = append(areas, func(h *API, m *http.ServeMux) {
		m.HandleFunc("GET /api/v1/codes/icd10", h.auth(h.searchICD10))
	})
	endpoints = append(endpoints, "GET /api/v1/codes/icd10?q=&date=&limit=")
}

// searchICD10 answers GET /api/v1/codes/icd10?q=TEXT[&date=YYYY-MM-DD][&limit=N]
// with {"codes":[{"code":"M54.2","title":"Cervicalgia","billable":true}, …]},
// best matches first, from the code set in force on date (today in the
// clinic's time zone when left out).
func (h *API) searchICD10(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	bad := errs.FieldErrors{}
	text := strings.TrimSpace(q.Get("q"))
	if text == "" {
		bad.Add("q", "Send q: part of a code (M54.2, m542) or words of its title (low back pain).")
	}
	on, ok := h.App.ServiceDate(a, q.Get("date"))
	if !ok {
		bad.Add("date", "Use a date such as 2026-11-27 (YYYY-MM-DD).")
	}
	limit := DefaultCodeResults
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > app.MaxCodeResults {
			bad.Add("limit", "Use a whole number from 1 to "+strconv.Itoa(app.MaxCodeResults)+".")
		}
		limit = n
	}
	if err := bad.Err(); err != nil {
		h.fail(w, r, err)
		return
	}
	codes, err := h.App.SearchCodes(r.Context(), a, text, on, limit)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Codes []icd10.Code `json:"codes"`
	}{codes})
}
