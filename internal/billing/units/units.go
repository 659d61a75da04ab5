// Package units turns the minutes of a session's procedure codes into
// billable units, by the CMS 8-minute rule or the AMA/CPT "substantial
// portion" (midpoint) rule. It is a plain function over plain values.
//
// Sources:
//   - CMS, Medicare Claims Processing Manual (Pub. 100-04), chapter 5,
//     §20.2 "Reporting of Service Units With HCPCS": the timed minutes of all
//     15-minute codes of the day are added up, units = (total + 7) div 15,
//     each code first gets a unit per whole 15 minutes, the remaining units
//     go to the codes with the most minutes left over; the manual's four
//     examples are the table tests.
//   - AMA CPT, "time" in the introduction: a unit of a timed code is earned
//     when the midpoint is passed (8 minutes, then 23, 38 …), each code on
//     its own; many commercial payers bill this way.
//
// See ../shared/reference/billing.md §3–4 for the team's notes.
package units

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/errs"
)

// Rule is how minutes become units.
type Rule string

const (
	CMS Rule = "cms" // the 8-minute rule: the day's timed minutes together
	AMA Rule = "ama" // the substantial-portion rule: each code on its own
)

// Valid reports whether r is a rule this package applies.
func (r Rule) Valid() bool { return r == CMS || r == AMA }

// Label is the rule as a biller says it.
func (r Rule) Label() string {
	switch r {
	case CMS:
		return "CMS 8-minute rule"
	case AMA:
		return "AMA substantial-portion rule"
	}
	return string(r)
}

// Code is a procedure code the calculator knows: timed (15-minute units)
// or untimed (one unit a session, whatever the minutes).
type Code struct {
	Code  string
	Timed bool
	What  string
}

// Codes are the physical medicine codes a massage therapist's session may
// bill (CPT descriptions summarised in our own words; billing.md §4).
var Codes = []Code{
	{"97124", true, "Massage"},
	{"97140", true, "Manual therapy (myofascial release, trigger point, manual lymph drainage)"},
	{"97112", true, "Neuromuscular re-education"},
	{"97110", true, "Therapeutic exercise"},
	{"97530", true, "Therapeutic activities"},
	{"97116", true, "Gait training"},
	{"97032", true, "Electrical stimulation, attended"},
	{"97035", true, "Ultrasound"},
	{"97750", true, "Physical performance test"},
	{"97010", false, "Hot or cold packs"},
	{"97018", false, "Paraffin bath"},
	{"97022", false, "Whirlpool"},
	{"97026", false, "Infrared"},
}

// Lookup finds a code of Codes.
func Lookup(code string) (Code, bool) {
	for _, c := range Codes {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// Line is one code with the minutes spent on it.
type Line struct {
	Code    string `json:"code"`
	Minutes int    `json:"minutes"`
	Units   int    `json:"units"`
	Timed   bool   `json:"-"`
}

// Result is the units of a session's lines under a rule.
type Result struct {
	Rule         Rule   `json:"rule"`
	Lines        []Line `json:"lines"`
	TotalUnits   int    `json:"total_units"`
	TimedMinutes int    `json:"-"`
	Explanation  string `json:"-"`
}

// MaxMinutes bounds one line: a session day of one code is at most 8 hours.
const MaxMinutes = 480

// unitsOf is the units minutes earn on their own: 0–7 → 0, 8–22 → 1,
// 23–37 → 2 … (the midpoint of each 15 minutes).
func unitsOf(minutes int) int { return (minutes + 7) / 15 }

// Calculate gives each line its units under rule. Lines keep their order;
// a code may appear once. Unknown codes, negative minutes and more than
// MaxMinutes are refused.
func Calculate(rule Rule, lines []Line) (*Result, error) {
	if !rule.Valid() {
		return nil, &errs.Error{Code: errs.Invalid, Message: "Choose the rule: cms (the 8-minute rule) or ama (substantial portion).", Fields: map[string]string{"rule": "Use cms or ama."}}
	}
	if len(lines) == 0 {
		return nil, errs.E(errs.Invalid, "Give at least one code with its minutes, such as 97140=33.")
	}
	res := &Result{Rule: rule, Lines: make([]Line, len(lines))}
	seen := map[string]bool{}
	for i, l := range lines {
		c, ok := Lookup(l.Code)
		switch {
		case !ok:
			return nil, &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("%q is not a procedure code the calculator knows; use one of %s.", l.Code, codeList()),
				Fields: map[string]string{"code": "Unknown code " + l.Code + "."}}
		case seen[l.Code]:
			return nil, &errs.Error{Code: errs.Invalid, Message: "Give each code once, with all its minutes: " + l.Code + " is there twice.", Fields: map[string]string{"code": l.Code + " is there twice."}}
		case l.Minutes < 0 || l.Minutes > MaxMinutes:
			return nil, &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("Minutes of %s must be 0 to %d.", l.Code, MaxMinutes), Fields: map[string]string{"minutes": "Use 0 to 480 minutes."}}
		}
		seen[l.Code] = true
		res.Lines[i] = Line{Code: l.Code, Minutes: l.Minutes, Timed: c.Timed}
		if c.Timed {
			res.TimedMinutes += l.Minutes
		} else {
			res.Lines[i].Units = 1 // untimed: one unit a session, whatever the minutes
		}
	}
	if rule == AMA {
		for i := range res.Lines {
			if res.Lines[i].Timed {
				res.Lines[i].Units = unitsOf(res.Lines[i].Minutes)
			}
		}
	} else {
		allocateCMS(res.Lines, unitsOf(res.TimedMinutes))
	}
	for _, l := range res.Lines {
		res.TotalUnits += l.Units
	}
	res.Explanation = explain(res)
	return res, nil
}

// allocateCMS hands out total units of the day's timed minutes: a unit per
// whole 15 minutes of each code first, then one each to the codes with the
// most minutes left over (ties: the earlier line), as Pub. 100-04 ch. 5
// §20.2 says. A code never gets a unit for a remainder it does not have,
// and the remainders cannot ask for more units than there are such codes.
func allocateCMS(lines []Line, total int) {
	left := total
	var order []int
	for i := range lines {
		if !lines[i].Timed {
			continue
		}
		lines[i].Units = lines[i].Minutes / 15
		left -= lines[i].Units
		if lines[i].Minutes%15 > 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(lines[b].Minutes%15, lines[a].Minutes%15) })
	for _, i := range order {
		if left <= 0 {
			break
		}
		lines[i].Units++
		left--
	}
}

// explain says how the units came about, as the note shows it:
// "40 timed minutes → 3 units: 2 × 97140, 1 × 97124".
func explain(r *Result) string {
	unit := func(n int) string {
		if n == 1 {
			return "1 unit"
		}
		return strconv.Itoa(n) + " units"
	}
	list := func(timed bool) (string, int) {
		var parts []string
		n := 0
		for _, l := range r.Lines {
			if l.Timed == timed && l.Units > 0 {
				parts = append(parts, strconv.Itoa(l.Units)+" × "+l.Code)
				n += l.Units
			}
		}
		return strings.Join(parts, ", "), n
	}
	timed, nt := list(true)
	var b strings.Builder
	if r.Rule == CMS {
		fmt.Fprintf(&b, "%d timed minutes → %s", r.TimedMinutes, unit(nt))
	} else {
		var each []string
		for _, l := range r.Lines {
			if l.Timed {
				each = append(each, fmt.Sprintf("%s %d min → %d", l.Code, l.Minutes, l.Units))
			}
		}
		fmt.Fprintf(&b, "each code on its own (%s) → %s", strings.Join(each, "; "), unit(nt))
	}
	if timed != "" {
		b.WriteString(": " + timed)
	}
	if untimed, nu := list(false); nu > 0 {
		fmt.Fprintf(&b, "; untimed: %s; %s in all", untimed, unit(r.TotalUnits))
	}
	return b.String()
}

func codeList() string {
	var cs []string
	for _, c := range Codes {
		cs = append(cs, c.Code)
	}
	return strings.Join(cs, ", ")
}

// ParseArg reads "CODE=MINUTES" as the command line gives it.
func ParseArg(s string) (Line, error) {
	code, mins, ok := strings.Cut(strings.TrimSpace(s), "=")
	if !ok || code == "" {
		return Line{}, errs.E(errs.Invalid, "%q: write each code as CODE=MINUTES, such as 97140=33.", s)
	}
	n, err := strconv.Atoi(strings.TrimSpace(mins))
	if err != nil {
		return Line{}, errs.E(errs.Invalid, "%q: the minutes must be a whole number, such as 97140=33.", s)
	}
	if n < 0 {
		return Line{}, errs.E(errs.Invalid, "%q: minutes cannot be negative.", s)
	}
	return Line{Code: strings.TrimSpace(code), Minutes: n}, nil
}
