package icd10_test

import (
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/errs"
)

func TestKeyAndFormat(t *testing.T) {
	for _, tc := range []struct{ in, key, formatted string }{
		{"M54.2", "M542", "M54.2"},
		{" m542 ", "M542", "M54.2"},
		{"s13.4xxa", "S134XXA", "S13.4XXA"},
		{"M54", "M54", "M54"},
		{"F32.A", "F32A", "F32.A"},
		{"", "", ""},
	} {
		if got := icd10.Key(tc.in); got != tc.key {
			t.Errorf("Key(%q) = %q, want %q", tc.in, got, tc.key)
		}
		if got := icd10.Format(tc.in); got != tc.formatted {
			t.Errorf("Format(%q) = %q, want %q", tc.in, got, tc.formatted)
		}
	}
}

func TestFiscalYearOf(t *testing.T) {
	for _, tc := range []struct {
		date string
		fy   int
	}{
		{"2021-09-30", 2021}, {"2021-10-01", 2022}, {"2022-09-30", 2022},
		{"2026-09-30", 2026}, {"2026-10-01", 2027}, {"2026-11-27", 2027}, {"2027-01-15", 2027}, {"2027-12-31", 2028},
	} {
		d, _ := time.Parse("2006-01-02", tc.date)
		if got := icd10.FiscalYearOf(d); got != tc.fy {
			t.Errorf("FiscalYearOf(%s) = %d, want %d", tc.date, got, tc.fy)
		}
	}
}

func TestNewSet(t *testing.T) {
	s := icd10.NewSet(2024, []icd10.Code{
		{Code: "m542", Title: "Cervicalgia", Billable: true},
		{Code: "M54", Title: "Dorsalgia"},
		{Code: "M54.2", Title: "Second copy", Billable: true},
	})
	if s.Len() != 2 || s.FiscalYear != 2024 {
		t.Fatalf("Len %d FY %d, want 2 codes of FY2024", s.Len(), s.FiscalYear)
	}
	if c, ok := s.Lookup("M542"); !ok || c.Code != "M54.2" || c.Title != "Cervicalgia" {
		t.Errorf("Lookup: %+v %v (codes are normalised; the first of a duplicate is kept)", c, ok)
	}
	if got := s.Search("cerv", 5); len(got) != 1 || got[0].Code != "M54.2" {
		t.Errorf("Search on a hand-made set: %+v", got)
	}
}

// sets are the built-in list and, when present, the FY2022 release.
func sets(t *testing.T) map[string]*icd10.Set {
	out := map[string]*icd10.Set{"builtin": icd10.Builtin()}
	if icd10test.ReleasePath() != "" {
		out["FY2022"] = icd10.NewSetFrom(2022, icd10test.ReleaseName, icd10test.LoadRelease2022(t))
	} else {
		t.Log("no FY2022 release beside the repository: checking the built-in list only")
	}
	return out
}

func TestCheck(t *testing.T) {
	for name, s := range sets(t) {
		t.Run(name, func(t *testing.T) {
			for _, code := range []string{"M54.2", "m54.50", "S13.4XXA", "s134xxd", "G56.01", "M79.18", "I69.351", "F32.A"} {
				c, err := s.Check(code)
				if err != nil || !c.Billable || c.Code != icd10.Format(code) {
					t.Errorf("Check(%q) = %+v, %v; want the billable code", code, c, err)
				}
			}
			for _, tc := range []struct {
				code  string
				names []string // billable codes the message must name
				says  string
			}{
				{"M54", []string{"M54.2", "M54.50"}, "category"},
				{"M54.5", []string{"M54.50", "M54.51", "M54.59"}, "category"},
				{"S13.4", []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}, "7th character"},
				{"S13.4XX", []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}, "7th character"},
				{"S13.4A", []string{"S13.4XXA"}, "placeholder"},
				{"M79.1", []string{"M79.18", "M79.10"}, "category"},
				{"G56.0", []string{"G56.01", "G56.02", "G56.03"}, "category"},
				{"M54.7", nil, "not an ICD-10-CM code"},
				{"not a code", nil, "not written like"},
				{"", nil, "Enter"},
			} {
				_, err := s.Check(tc.code)
				if !errs.Is(err, errs.Invalid) {
					t.Errorf("Check(%q): %v, want an Invalid error", tc.code, err)
					continue
				}
				msg := errs.Message(err)
				if !strings.Contains(msg, tc.says) {
					t.Errorf("Check(%q): %q does not say %q", tc.code, msg, tc.says)
				}
				for _, n := range tc.names {
					if !strings.Contains(msg, n) {
						t.Errorf("Check(%q): %q does not name %s", tc.code, msg, n)
					}
				}
			}
			// The year decides what G35 is.
			_, err := s.Check("G35")
			if s.FiscalYear >= 2026 && (err == nil || !strings.Contains(errs.Message(err), "G35.D")) {
				t.Errorf("FY%d Check(G35): %v, want a refusal naming G35.D", s.FiscalYear, err)
			}
			if s.FiscalYear == 2022 && err != nil {
				t.Errorf("FY2022 Check(G35): %v, want it accepted (billable until FY2026)", err)
			}
		})
	}
}

func TestChildren(t *testing.T) {
	s := icd10.Builtin()
	kids := s.Children("M54.5")
	var got []string
	for _, c := range kids {
		got = append(got, c.Code)
	}
	if strings.Join(got, " ") != "M54.50 M54.51 M54.59" {
		t.Errorf("Children(M54.5) = %v", got)
	}
	kids = s.Children("m54")
	if len(kids) < 20 || kids[0].Code != "M54.2" {
		t.Errorf("Children(M54): %d codes starting %+v; want M54.2 (the common condition) first", len(kids), kids[:min(3, len(kids))])
	}
	for _, c := range kids {
		if !c.Billable || !strings.HasPrefix(c.Code, "M54") || c.Code == "M54" {
			t.Errorf("Children(M54) lists %+v", c)
		}
	}
	if kids := s.Children("M54.2"); len(kids) != 0 {
		t.Errorf("a billable code has children: %+v", kids)
	}
}
