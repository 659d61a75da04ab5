package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// maxLibraryQuery bounds a condition library search, in characters.
const maxLibraryQuery = 200

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /conditions", s.signedIn(s.conditionsPage))
		m.HandleFunc("GET /conditions/{key}", s.signedIn(s.conditionPage))
	})
}

// ConditionRow is one condition in the library's list.
type ConditionRow struct {
	Key, Name string
	Lead      string // the summary's first sentence
	ICD10     []string
}

// ConditionsPage is the data of conditions.html: the condition library and
// its search. Any signed-in user may read it: it holds no client data.
type ConditionsPage struct {
	Page
	Query      string
	Error      string // what is wrong with the query
	Conditions []ConditionRow
	Total      int
}

// firstSentence is s up to and including its first full stop followed by a
// space (or all of s).
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

// conditionText is what a library search looks through: the name, the
// summary, codes and the names of the tests, techniques and regions.
func conditionText(c assess.Condition) string {
	var b strings.Builder
	b.WriteString(c.Name + " " + c.Key + " " + c.Summary)
	for _, code := range c.ICD10 {
		b.WriteString(" " + code + " " + strings.ReplaceAll(code, ".", ""))
	}
	for _, k := range c.Tests {
		if t, ok := assess.TestByKey(k); ok {
			b.WriteString(" " + t.Name)
		}
	}
	for _, k := range c.Techniques {
		if t, ok := assess.TechniqueByKey(k); ok {
			b.WriteString(" " + t.Name)
		}
	}
	for _, k := range c.Regions {
		if r, ok := assess.RegionByKey(k); ok {
			b.WriteString(" " + r.Name)
		}
	}
	b.WriteString(" " + strings.Join(c.OutcomeMeasures, " "))
	return strings.ToLower(b.String())
}

// searchLibrary returns the conditions whose text holds every word of q,
// alphabetically; all of them when q is blank.
func searchLibrary(q string) []ConditionRow {
	words := strings.Fields(strings.ToLower(q))
	var out []ConditionRow
	for _, c := range assess.Library {
		text := conditionText(c)
		match := true
		for _, w := range words {
			if !strings.Contains(text, w) {
				match = false
				break
			}
		}
		if match {
			out = append(out, ConditionRow{Key: c.Key, Name: c.Name, Lead: firstSentence(c.Summary), ICD10: c.ICD10})
		}
	}
	slices.SortFunc(out, func(a, b ConditionRow) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

func (s *Server) conditionsPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	p := ConditionsPage{Page: Page{Title: "Condition library", Actor: a, Nav: "library"}, Query: q, Total: len(assess.Library)}
	status := http.StatusOK
	switch {
	case !utf8.ValidString(q) || strings.ContainsRune(q, 0):
		p.Error, status = "The search has characters that cannot be searched: type words such as “neck pain” or a code such as M54.2.", http.StatusUnprocessableEntity
	case utf8.RuneCountInString(q) > maxLibraryQuery:
		p.Error, status = "Use at most 200 characters.", http.StatusUnprocessableEntity
	default:
		p.Conditions = searchLibrary(q)
	}
	s.render(w, r, status, "conditions", p)
}

// MotionRow is a motion to measure, with its normal range.
type MotionRow struct {
	Label  string
	Normal string
	Source string
}

// CodeRow is a typical diagnosis code with its title from the code set.
type CodeRow struct {
	Code, Title string
}

// GoalRow is a suggested goal in words.
type GoalRow struct {
	Term, Text string
}

// ConditionPage is the data of condition.html: one library entry.
type ConditionPage struct {
	Page
	Condition  assess.Condition
	Tests      []assess.SpecialTest
	Motions    []MotionRow
	Regions    []string
	Techniques []assess.Technique
	Codes      []CodeRow
	SetLabel   string
	Goals      []GoalRow
}

// goalText says a goal template in words: "Pain: hand and wrist pain at
// worst (/10), lower is better, by week 4".
func goalText(g assess.GoalTemplate) string {
	what := g.What
	kind := ""
	switch g.Measure {
	case assess.MeasurePain:
		kind = "Pain"
	case assess.MeasureROM:
		kind = "Range of motion"
		what = assess.MotionLabel(g.What, "")
	case assess.MeasureOutcome:
		kind = "Outcome measure"
	case assess.MeasureFunction:
		kind = "Function"
	}
	better := "lower is better"
	if g.Better == assess.BetterHigher {
		better = "higher is better"
	}
	return kind + ": " + what + " (" + g.Unit + "), " + better + ", by week " + strconv.Itoa(g.Weeks)
}

func (s *Server) conditionPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	c, ok := assess.ConditionByKey(r.PathValue("key"))
	if !ok {
		s.fail(w, r, a, errs.E(errs.NotFound, "There is no such condition in the library."))
		return
	}
	on, _ := s.App.ServiceDate(a, "")
	set, err := s.App.ICD10(r.Context(), on)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := ConditionPage{Page: Page{Title: c.Name, Actor: a, Nav: "library"}, Condition: c}
	if set.IsBuiltin() {
		p.SetLabel = "the built-in FY" + strconv.Itoa(set.FiscalYear) + " code list"
	} else {
		p.SetLabel = "the FY" + strconv.Itoa(set.FiscalYear) + " ICD-10-CM release"
	}
	for _, k := range c.Tests {
		if t, ok := assess.TestByKey(k); ok {
			p.Tests = append(p.Tests, t)
		}
	}
	for _, k := range c.Motions {
		if m, ok := assess.MotionByKey(k); ok {
			normal := strconv.Itoa(m.Normal) + "°"
			if m.Normal == 0 {
				normal = "0° (full extension; measured as degrees short of straight)"
			}
			p.Motions = append(p.Motions, MotionRow{Label: m.Label(), Normal: normal, Source: m.Source})
		}
	}
	for _, k := range c.Regions {
		if rg, ok := assess.RegionByKey(k); ok {
			p.Regions = append(p.Regions, rg.Name)
		}
	}
	for _, k := range c.Techniques {
		if t, ok := assess.TechniqueByKey(k); ok {
			p.Techniques = append(p.Techniques, t)
		}
	}
	for _, code := range c.ICD10 {
		p.Codes = append(p.Codes, CodeRow{Code: code, Title: codeTitle(set, code)})
	}
	for _, g := range c.Goals {
		term := "Short term"
		if g.Term == assess.GoalLong {
			term = "Long term"
		}
		p.Goals = append(p.Goals, GoalRow{Term: term, Text: goalText(g)})
	}
	s.render(w, r, http.StatusOK, "condition", p)
}

// codeTitle is code's title in set, else in the built-in list (an imported
// release always holds the library's codes, but an old one may not).
func codeTitle(set *icd10.Set, code string) string {
	if c, ok := set.Lookup(code); ok {
		return c.Title
	}
	if c, ok := icd10.Builtin().Lookup(code); ok {
		return c.Title
	}
	return ""
}
