package units

import (
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/errs"
)

func lines(kv ...any) []Line {
	var out []Line
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, Line{Code: kv[i].(string), Minutes: kv[i+1].(int)})
	}
	return out
}

// The CMS manual's examples (Pub. 100-04 ch. 5 §20.2) and the AMA rule's.
func TestCalculate(t *testing.T) {
	cases := []struct {
		name  string
		rule  Rule
		in    []Line
		units []int
		total int
		says  string
	}{
		{"CMS example 1: 24 + 23 minutes", CMS, lines("97112", 24, "97110", 23), []int{2, 1}, 3, "47 timed minutes → 3 units: 2 × 97112, 1 × 97110"},
		{"CMS example 2: 20 + 20, never 3 on one", CMS, lines("97112", 20, "97110", 20), []int{2, 1}, 3, "40 timed minutes → 3 units"},
		{"CMS example 3: 33 + 7", CMS, lines("97110", 33, "97140", 7), []int{2, 1}, 3, "2 × 97110, 1 × 97140"},
		{"CMS example 4: 18 + 13 + 10 + 8", CMS, lines("97110", 18, "97140", 13, "97116", 10, "97035", 8), []int{1, 1, 1, 0}, 3, "49 timed minutes → 3 units: 1 × 97110, 1 × 97140, 1 × 97116"},
		{"the issue's example", CMS, lines("97140", 33, "97124", 7), []int{2, 1}, 3, "40 timed minutes → 3 units: 2 × 97140, 1 × 97124"},
		{"7 minutes alone earn nothing", CMS, lines("97140", 7), []int{0}, 0, "7 timed minutes → 0 units"},
		{"8 minutes earn one", CMS, lines("97140", 8), []int{1}, 1, ""},
		{"two codes of 7 minutes make 14: one unit, to the first", CMS, lines("97140", 7, "97124", 7), []int{1, 0}, 1, ""},
		{"22 and 23 minutes", CMS, lines("97124", 22), []int{1}, 1, ""},
		{"23 minutes are two units", CMS, lines("97124", 23), []int{2}, 2, ""},
		{"60 minutes of massage", CMS, lines("97124", 60), []int{4}, 4, ""},
		{"a whole 15 with nothing left over gets no extra", CMS, lines("97140", 15, "97124", 8), []int{1, 1}, 2, ""},
		{"untimed is one unit and not counted", CMS, lines("97140", 40, "97010", 10), []int{3, 1}, 4, "40 timed minutes → 3 units: 3 × 97140; untimed: 1 × 97010; 4 units in all"},
		{"untimed with no minutes", CMS, lines("97010", 0, "97022", 30), []int{1, 1}, 2, ""},
		{"AMA: 10 + 10 + 10 is three", AMA, lines("97140", 10, "97124", 10, "97112", 10), []int{1, 1, 1}, 3, "each code on its own"},
		{"CMS: 10 + 10 + 10 is two", CMS, lines("97140", 10, "97124", 10, "97112", 10), []int{1, 1, 0}, 2, "30 timed minutes → 2 units"},
		{"AMA: example 4 gives four", AMA, lines("97110", 18, "97140", 13, "97116", 10, "97035", 8), []int{1, 1, 1, 1}, 4, ""},
		{"AMA: 7 minutes earn nothing", AMA, lines("97140", 7, "97124", 7), []int{0, 0}, 0, ""},
		{"AMA: 38 minutes are three", AMA, lines("97140", 38), []int{3}, 3, ""},
	}
	for _, c := range cases {
		r, err := Calculate(c.rule, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []int
		for _, l := range r.Lines {
			got = append(got, l.Units)
		}
		if !equal(got, c.units) || r.TotalUnits != c.total {
			t.Errorf("%s: units %v total %d; want %v total %d", c.name, got, r.TotalUnits, c.units, c.total)
		}
		if !strings.Contains(r.Explanation, c.says) {
			t.Errorf("%s: explanation %q; want it to contain %q", c.name, r.Explanation, c.says)
		}
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCalculateRefuses(t *testing.T) {
	for _, c := range []struct {
		name string
		rule Rule
		in   []Line
		says string
	}{
		{"unknown code", CMS, lines("99213", 20), "not a procedure code"},
		{"negative minutes", CMS, lines("97140", -5), "0 to 480"},
		{"too many minutes", AMA, lines("97140", 481), "0 to 480"},
		{"a code twice", CMS, lines("97140", 10, "97140", 10), "twice"},
		{"no lines", CMS, nil, "at least one code"},
		{"unknown rule", Rule("medicaid"), lines("97140", 10), "cms"},
	} {
		_, err := Calculate(c.rule, c.in)
		if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.Message(err), c.says) {
			t.Errorf("%s: %v; want Invalid saying %q", c.name, err, c.says)
		}
	}
}

func TestParseArg(t *testing.T) {
	for in, want := range map[string]Line{"97140=33": {Code: "97140", Minutes: 33}, " 97010=0 ": {Code: "97010"}} {
		got, err := ParseArg(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v", in, got, err)
		}
	}
	for _, bad := range []string{"97140", "=5", "97140=abc", "97140=-3", "97140=3.5", ""} {
		if _, err := ParseArg(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzCalculate checks the rules' invariants on any minutes: the total never
// exceeds what the minutes allow, no code gets a unit it has not earned,
// and the CMS total is the units of the day's timed minutes.
func FuzzCalculate(f *testing.F) {
	f.Add(24, 23, 0, 0, false)
	f.Add(18, 13, 10, 8, false)
	f.Add(7, 7, 7, 7, true)
	f.Add(480, 0, 15, 1, false)
	f.Fuzz(func(t *testing.T, a, b, c, d int, ama bool) {
		ms := []int{a, b, c, d}
		for i := range ms {
			if ms[i] < 0 {
				ms[i] = -ms[i]
			}
			ms[i] %= MaxMinutes + 1
		}
		in := lines("97140", ms[0], "97124", ms[1], "97112", ms[2], "97010", ms[3])
		rule := CMS
		if ama {
			rule = AMA
		}
		r, err := Calculate(rule, in)
		if err != nil {
			t.Fatal(err)
		}
		timed := ms[0] + ms[1] + ms[2]
		sum := 0
		for _, l := range r.Lines {
			sum += l.Units
			if !l.Timed {
				if l.Units != 1 {
					t.Fatalf("untimed %s got %d units", l.Code, l.Units)
				}
				continue
			}
			if l.Units > unitsOf(l.Minutes)+1 || l.Units > l.Minutes/15+1 {
				t.Fatalf("%s: %d minutes got %d units (%v)", l.Code, l.Minutes, l.Units, r.Lines)
			}
			if l.Minutes%15 == 0 && l.Units > l.Minutes/15 || l.Minutes == 0 && l.Units > 0 {
				t.Fatalf("%s: %d minutes got an unearned unit: %d", l.Code, l.Minutes, l.Units)
			}
			if rule == AMA && l.Units != unitsOf(l.Minutes) {
				t.Fatalf("AMA %s: %d minutes got %d", l.Code, l.Minutes, l.Units)
			}
			if rule == CMS && l.Units < l.Minutes/15 {
				t.Fatalf("CMS %s: %d minutes got only %d units", l.Code, l.Minutes, l.Units)
			}
		}
		if sum != r.TotalUnits {
			t.Fatalf("total %d is not the sum %d", r.TotalUnits, sum)
		}
		if rule == CMS && r.TotalUnits-1 != unitsOf(timed) {
			t.Fatalf("CMS: %d timed minutes gave %d timed units; want %d", timed, r.TotalUnits-1, unitsOf(timed))
		}
	})
}
