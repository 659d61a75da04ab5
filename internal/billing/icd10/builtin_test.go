package icd10_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
)

// referenceTable is every code of the conditions table of
// ../shared/reference/billing.md §5 with its laterality and encounter
// variants, as the table names them.
var referenceTable = []struct {
	condition string
	codes     []string
}{
	{"chronic neck pain", []string{"M54.2", "G89.29"}},
	{"low back pain", []string{"M54.50"}},
	{"tension headache", []string{"G44.209"}},
	{"fibromyalgia", []string{"M79.7"}},
	{"sciatica", []string{"M54.30", "M54.31", "M54.32"}},
	{"carpal tunnel", []string{"G56.00", "G56.01", "G56.02", "G56.03"}},
	{"whiplash", []string{"S13.4XXA", "S13.4XXD", "S13.4XXS"}},
	{"muscle strain", []string{"S16.1XXA", "S16.1XXD", "S16.1XXS", "S39.012A", "S39.012D", "S39.012S"}},
	{"knee OA", []string{"M17.11", "M17.12", "M17.10", "M17.0"}},
	{"migraine", []string{"G43.909"}},
	{"TMJ", []string{"M26.601", "M26.602", "M26.603", "M26.609"}},
	{"lymphedema", []string{"I89.0", "I97.2"}},
	{"thoracic outlet", []string{"G54.0"}},
	{"tendinitis NOS", []string{"M77.9"}},
	{"scoliosis", []string{"M41.9"}},
	{"MS", []string{"G35.D", "G35.A", "G35.B0", "G35.B1", "G35.B2", "G35.C0", "G35.C1", "G35.C2"}},
	{"plantar fasciitis", []string{"M72.2"}},
	{"adhesive capsulitis", []string{"M75.00", "M75.01", "M75.02"}},
	{"shin splints", []string{"S86.891A", "S86.891D", "S86.891S", "S86.892A", "S86.892D", "S86.892S", "S86.899A", "S86.899D", "S86.899S"}},
	{"myofascial pain", []string{"M79.18"}},
	{"bursitis", []string{"M70.60", "M70.61", "M70.62", "M71.9"}},
	{"rotator cuff injury", []string{"S46.011A", "S46.011D", "S46.011S", "S46.012A", "S46.012D", "S46.012S", "S46.019A", "S46.019D", "S46.019S"}},
	{"IBS", []string{"K58.9"}},
	{"edema", []string{"R60.9", "R60.0"}},
	{"stroke sequelae", []string{"I69.351", "I69.352", "I69.353", "I69.354", "I69.359"}},
	{"post-surgical aftercare", []string{"Z47.89", "Z47.1", "Z48.89"}},
	{"piriformis syndrome", []string{"G57.00", "G57.01", "G57.02", "G57.03"}},
	{"anxiety", []string{"F41.9"}},
	{"depression", []string{"F32.A"}},
	{"postural kyphosis", []string{"M40.04"}},
	{"repetitive strain", []string{"M70.90"}},
}

func TestBuiltinHasTheReferenceTable(t *testing.T) {
	s := icd10.Builtin()
	if s.FiscalYear != 2027 || !s.IsBuiltin() || s.Source() != "built-in" {
		t.Errorf("built-in set: FY%d builtin=%v source %q, want FY2027", s.FiscalYear, s.IsBuiltin(), s.Source())
	}
	if s.Len() < 300 {
		t.Errorf("only %d codes", s.Len())
	}
	for _, row := range referenceTable {
		for _, code := range row.codes {
			c, err := s.Check(code)
			if err != nil {
				t.Errorf("%s: %s: %v", row.condition, code, err)
				continue
			}
			if c.Title == "" || s.ShortTitle(code) == "" {
				t.Errorf("%s: %s has no title", row.condition, code)
			}
		}
	}
	// The conditions offered as quick picks are the same.
	n := 0
	for _, c := range icd10.Conditions() {
		for _, code := range c.Codes {
			n++
			if _, err := s.Check(code); err != nil {
				t.Errorf("quick pick %s %s: %v", c.Name, code, err)
			}
		}
	}
	if n < 70 {
		t.Errorf("only %d quick-pick codes", n)
	}
	// Not billable in FY2027.
	for _, code := range []string{"G35", "M54.5", "M79.1", "M54", "S13.4", "G56.0"} {
		if c, ok := s.Lookup(code); !ok || c.Billable {
			t.Errorf("%s: %+v %v, want a header", code, c, ok)
		}
	}
}

func TestBuiltinIsConsistent(t *testing.T) {
	s := icd10.Builtin()
	cs := s.Codes()
	for i, c := range cs {
		k := icd10.Key(c.Code)
		// Every code's parents are in the list, as headers.
		for n := 3; n < len(k); n++ {
			if p, ok := s.Lookup(k[:n]); ok && p.Billable {
				t.Errorf("%s is billable but has %s beneath it", p.Code, c.Code)
			}
		}
		if len(k) > 3 {
			if _, ok := s.Lookup(k[:3]); !ok {
				t.Errorf("%s has no category %s", c.Code, k[:3])
			}
		}
		// A header has billable codes beneath it.
		if !c.Billable && len(s.Children(c.Code)) == 0 {
			t.Errorf("header %s has no billable code beneath it", c.Code)
		}
		if i > 0 && icd10.Key(cs[i-1].Code) >= k {
			t.Errorf("codes out of order at %s", c.Code)
		}
	}
}

// TestBuiltinFollowsTheRelease checks the built-in list against the FY2022
// file: every code not changed by hand has the release's titles.
func TestBuiltinFollowsTheRelease(t *testing.T) {
	full := icd10.NewSetFrom(2022, icd10test.ReleaseName, icd10test.LoadRelease2022(t))
	b := icd10.Builtin()
	header := builtinHeader(t)
	for _, c := range b.Codes() {
		f, ok := full.Lookup(c.Code)
		changed := strings.Contains(header, "#   "+c.Code+" ")
		switch {
		case !ok && !changed:
			t.Errorf("%s is not in the FY2022 release and not listed as changed by hand", c.Code)
		case ok && !changed && (f != c || full.ShortTitle(c.Code) != b.ShortTitle(c.Code)):
			t.Errorf("%s differs from the release: %+v vs %+v", c.Code, c, f)
		}
	}
}

func builtinHeader(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(file), "builtin.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var h strings.Builder
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "#") {
			h.WriteString(l + "\n")
		}
	}
	return h.String()
}
