// Package icd10 is the ICD-10-CM diagnosis code set: codes with titles and
// whether each is billable (complete), searchable by code and by words,
// versioned by fiscal year. It owns the CMS order-file parser, the search
// index and the built-in list of codes medical massage meets. It is plain
// data and functions: no SQL, no HTTP.
package icd10

import (
	"slices"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/errs"
)

// Code is one ICD-10-CM code. Code is written with its dot (M54.50).
type Code struct {
	Code     string `json:"code"`
	Title    string `json:"title"`
	Billable bool   `json:"billable"`
}

// Set is the code set of one fiscal year, in memory. A Set never changes
// once built, so one may be shared by every request.
type Set struct {
	FiscalYear int

	source  string
	builtin bool
	codes   []Code   // sorted by key
	keys    []string // dotless keys, parallel to codes
	short   []string // short titles, parallel to codes ("" when unknown)
	byKey   map[string]int
	idx     *index
}

// NewSet builds a set from codes (any order). Codes are normalised (dot
// after the third character); a code given twice is kept once, the first time.
func NewSet(fy int, codes []Code) *Set {
	es := make([]Entry, len(codes))
	for i, c := range codes {
		es[i].Code = c
	}
	return NewSetFrom(fy, "", es)
}

// NewSetFrom builds a set from order-file entries, naming where they came
// from (a file name, "built-in").
func NewSetFrom(fy int, source string, entries []Entry) *Set {
	type kc struct {
		key string
		e   Entry
		i   int
	}
	all := make([]kc, 0, len(entries))
	for i, e := range entries {
		k := Key(e.Code.Code)
		if k == "" {
			continue
		}
		e.Code.Code = Format(k)
		all = append(all, kc{k, e, i})
	}
	slices.SortStableFunc(all, func(a, b kc) int { return strings.Compare(a.key, b.key) })
	s := &Set{FiscalYear: fy, source: source, byKey: make(map[string]int, len(all))}
	s.codes = make([]Code, 0, len(all))
	s.keys = make([]string, 0, len(all))
	s.short = make([]string, 0, len(all))
	for _, x := range all {
		if n := len(s.keys); n > 0 && s.keys[n-1] == x.key {
			continue
		}
		s.byKey[x.key] = len(s.codes)
		s.codes = append(s.codes, x.e.Code)
		s.keys = append(s.keys, x.key)
		s.short = append(s.short, x.e.Short)
	}
	s.idx = buildIndex(s)
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

// FiscalYearOf is the federal fiscal year a date of service falls in: a
// release takes effect on October 1 of the year before its number, so
// 2026-10-01 to 2027-09-30 is FY2027.
func FiscalYearOf(d time.Time) int {
	if d.Month() >= time.October {
		return d.Year() + 1
	}
	return d.Year()
}

// Len is the number of codes.
func (s *Set) Len() int { return len(s.codes) }

// Source says where the set came from: "built-in" or the imported file's name.
func (s *Set) Source() string { return s.source }

// IsBuiltin reports whether this is the built-in list, which holds only
// the codes medical massage meets rather than the full release.
func (s *Set) IsBuiltin() bool { return s.builtin }

// Codes lists every code in code order.
func (s *Set) Codes() []Code { return slices.Clone(s.codes) }

// Lookup finds a code written with or without its dot, in any case.
func (s *Set) Lookup(code string) (Code, bool) {
	i, ok := s.byKey[Key(code)]
	if !ok {
		return Code{}, false
	}
	return s.codes[i], true
}

// ShortTitle is the order file's short title of code ("" when the set was
// built without short titles or has no such code).
func (s *Set) ShortTitle(code string) string {
	i, ok := s.byKey[Key(code)]
	if !ok {
		return ""
	}
	return s.short[i]
}

// prefixRange is the half-open range of s.keys that start with k.
func (s *Set) prefixRange(k string) (int, int) {
	lo, _ := slices.BinarySearch(s.keys, k)
	hi := lo
	for hi < len(s.keys) && strings.HasPrefix(s.keys[hi], k) {
		hi++
	}
	return lo, hi
}

// Children lists the billable codes beneath a category (M54 → M54.2,
// M54.50, …): the codes of the conditions medical massage treats most
// first, then shorter (less detailed) codes before longer ones, then in
// code order.
func (s *Set) Children(code string) []Code {
	k := Key(code)
	if k == "" {
		return nil
	}
	lo, hi := s.prefixRange(k)
	var idx []int
	for i := lo; i < hi; i++ {
		if s.codes[i].Billable && s.keys[i] != k {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		pa, pb := preferred[s.keys[a]], preferred[s.keys[b]]
		if pa != pb {
			if pa {
				return -1
			}
			return 1
		}
		return len(s.keys[a]) - len(s.keys[b])
	})
	out := make([]Code, len(idx))
	for j, i := range idx {
		out[j] = s.codes[i]
	}
	return out
}

// Check accepts a billable code and refuses anything else with a message
// that names the billable codes beneath it.
func (s *Set) Check(code string) (Code, error) {
	k := Key(code)
	if k == "" {
		return Code{}, errs.E(errs.Invalid, "Enter an ICD-10-CM code, such as M54.2.")
	}
	shown := strings.TrimSpace(code)
	if len(shown) > 20 {
		shown = shown[:20] + "…"
	}
	if !validKey(k) {
		return Code{}, errs.E(errs.Invalid, "%q is not written like an ICD-10-CM code: a letter, two digits or letters, then up to four more, such as M54.2 or S13.4XXA.", shown)
	}
	c, ok := s.Lookup(k)
	if ok && c.Billable {
		return c, nil
	}
	kids := s.Children(k)
	if len(kids) == 0 {
		if ok {
			// A header with nothing billable beneath: cannot happen in a
			// release, but a partial list could hold one.
			return Code{}, errs.E(errs.Invalid, "%s is a category, not a billable code, and the FY%d code set holds no complete code beneath it.", Format(k), s.FiscalYear)
		}
		if alt := s.placeholderFix(k); alt != "" {
			return Code{}, errs.E(errs.Invalid, "%s is not an ICD-10-CM code: did you mean %s? Codes shorter than six characters take X placeholders before the 7th character.", Format(k), alt)
		}
		msg := "%s is not an ICD-10-CM code in the FY%d code set."
		if p := s.nearestParent(k); p != "" {
			msg += " Codes beneath " + p + " include " + names(s.Children(p), 5) + "."
		}
		if s.builtin {
			msg += " The built-in list holds the codes medical massage meets; the full release can be loaded with “fascia codes import”."
		}
		return Code{}, errs.E(errs.Invalid, msg, Format(k), s.FiscalYear)
	}
	what := "a category"
	if !ok {
		what = "not a complete code"
	}
	if need7th(k, kids) {
		return Code{}, errs.E(errs.Invalid, "%s is incomplete: it needs a 7th character for the encounter (A initial, D subsequent, S sequela). Choose %s.", Format(k), names(kids, 8))
	}
	return Code{}, errs.E(errs.Invalid, "%s is %s, not a billable code: choose a complete code beneath it, such as %s.", Format(k), what, names(kids, 8))
}

// need7th reports whether every billable code beneath k is a 7-character
// code that k lacks only the 7th character (and placeholders) of.
func need7th(k string, kids []Code) bool {
	if len(k) >= 7 {
		return false
	}
	for _, c := range kids {
		ck := Key(c.Code)
		if len(ck) != 7 || strings.TrimRight(ck[len(k):6], "X") != "" {
			return false
		}
	}
	return true
}

// placeholderFix suggests the code k was probably meant to be when the X
// placeholders were left out (S13.4A → S13.4XXA).
func (s *Set) placeholderFix(k string) string {
	if len(k) < 4 || len(k) > 6 {
		return ""
	}
	last := k[len(k)-1]
	if last < 'A' || last > 'Z' {
		return ""
	}
	cand := k[:len(k)-1] + strings.Repeat("X", 7-len(k)) + string(last)
	if c, ok := s.Lookup(cand); ok && c.Billable {
		return c.Code
	}
	return ""
}

// nearestParent is the longest code of the set that k starts with.
func (s *Set) nearestParent(k string) string {
	for n := len(k) - 1; n >= 3; n-- {
		if c, ok := s.Lookup(k[:n]); ok {
			return c.Code
		}
	}
	return ""
}

// names lists up to max codes, saying how many more there are.
func names(cs []Code, max int) string {
	var b strings.Builder
	for i, c := range cs {
		if i == max {
			b.WriteString(" … (" + itoa(len(cs)) + " codes in all)")
			break
		}
		if i > 0 {
			if i == len(cs)-1 && len(cs) <= max {
				b.WriteString(" or ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(c.Code)
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
