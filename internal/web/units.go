package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/errs"
)

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /codes/units", s.signedIn(s.unitsPage))
	})
}

// unitRows is how many code rows the calculator offers.
const unitRows = 6

// UnitsPage is the data of units.html: the units calculator, the same
// rules as `fascia units` and the session note.
type UnitsPage struct {
	Page
	Rule   string
	Rows   []UnitRow
	Codes  []units.Code
	Result *units.Result
	Error  string
}

// UnitRow is one code and its minutes as typed.
type UnitRow struct {
	Code, Minutes, Error string
}

func (s *Server) unitsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := r.URL.Query()
	p := UnitsPage{Page: Page{Title: "Units calculator", Actor: a, Nav: "codes"}, Rule: q.Get("rule"), Codes: units.Codes}
	if p.Rule != string(units.AMA) {
		p.Rule = string(units.CMS)
	}
	codes, mins := q["code"], q["minutes"]
	var lines []units.Line
	bad := false
	for i := 0; i < unitRows; i++ {
		var row UnitRow
		if i < len(codes) {
			row.Code = strings.TrimSpace(codes[i])
		}
		if i < len(mins) {
			row.Minutes = strings.TrimSpace(mins[i])
		}
		if row.Code != "" {
			n, err := strconv.Atoi(row.Minutes)
			switch {
			case row.Minutes == "":
				row.Error, bad = "Enter the minutes.", true
			case err != nil || n < 0 || n > units.MaxMinutes:
				row.Error, bad = "Enter whole minutes, 0 to 480.", true
			default:
				lines = append(lines, units.Line{Code: row.Code, Minutes: n})
			}
		}
		p.Rows = append(p.Rows, row)
	}
	status := http.StatusOK
	if len(lines) > 0 && !bad {
		res, err := units.Calculate(units.Rule(p.Rule), lines)
		if err != nil {
			p.Error, status = errs.Message(err), errs.HTTPStatus(err)
		}
		p.Result = res
	} else if bad {
		p.Error, status = "Check the minutes marked below.", http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "units", p)
}
