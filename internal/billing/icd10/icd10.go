// Package icd10 is the ICD-10-CM diagnosis code set: codes with titles and
// whether each is billable (complete), searchable by code and by words,
// versioned by fiscal year. It is plain data and functions: no SQL, no HTTP.
package icd10

import (
	"strings"

	"github.com/fascia-health/fascia/internal/errs"
)

// Code is one ICD-10-CM code. Code is written with its dot (M54.50).
type Code struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Billable bool   `json:"billable"`
}

// Set is the code set of one fiscal year, in memory.
type Set struct {
	FiscalYear int
	codes      []Code
	byKey      map[string]int // dotless upper-case code → index
}

// NewSet builds a set from codes (any order).
func NewSet(fy int, codes []Code) *Set {
	s := &Set{FiscalYear: fy, codes: codes, byKey: make(map[string]int, len(codes))}
	for i, c := range codes {
		s.byKey[Key(c.Code)] = i
	}
	return s
}

// Key is a code without its dot, upper-case: how the order file and X12 write it.
func Key(code string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), ".", ""))
}

// Format writes a dotless code with its dot after the third character.
func Format(key string) string {
	key = Key(key)
	if len(key) <= 3 {
		return key
	}
	return key[:3] + "." + key[3:]
}

// Len is the number of codes.
func (s *Set) Len() int { return len(s.codes) }

// Lookup finds a code written with or without its dot, in any case.
func (s *Set) Lookup(code string) (Code, bool) {
	i, ok := s.byKey[Key(code)]
	if !ok {
		return Code{}, false
	}
	return s.codes[i], true
}

// Children lists the billable codes beneath a category (M54 → M54.2, M54.50, …).
func (s *Set) Children(code string) []Code {
	k := Key(code)
	var out []Code
	for _, c := range s.codes {
		if c.Billable && strings.HasPrefix(Key(c.Code), k) && Key(c.Code) != k {
			out = append(out, c)
		}
	}
	return out
}

// Check accepts a billable code and refuses anything else with a message
// that names the billable codes beneath it.
func (s *Set) Check(code string) (Code, error) {
	c, ok := s.Lookup(code)
	if ok && c.Billable {
		return c, nil
	}
	kids := s.Children(code)
	if !ok && len(kids) == 0 {
		return Code{}, errs.E(errs.Invalid, "%s is not an ICD-10-CM code in the FY%d code set.", Format(code), s.FiscalYear)
	}
	names := make([]string, 0, 6)
	for i, k := range kids {
		if i == 5 {
			names = append(names, "…")
			break
		}
		names = append(names, k.Code)
	}
	return Code{}, errs.E(errs.Invalid, "%s is a category, not a billable code: choose a complete code such as %s.", Format(code), strings.Join(names, ", "))
}

// Search finds codes by code prefix or by words of the title, best first.
func (s *Set) Search(q string, limit int) []Code {
	q = strings.TrimSpace(strings.ToLower(q))
	if q == "" || limit <= 0 {
		return nil
	}
	var out []Code
	k := Key(q)
	for _, c := range s.codes {
		if strings.HasPrefix(Key(c.Code), k) {
			out = append(out, c)
		}
	}
	words := strings.Fields(q)
	for _, c := range s.codes {
		t := strings.ToLower(c.Title)
		all := true
		for _, w := range words {
			if !strings.Contains(t, w) {
				all = false
				break
			}
		}
		if all && !strings.HasPrefix(Key(c.Code), k) {
			out = append(out, c)
		}
		if len(out) >= limit {
			break
		}
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
