// Package icd10test helps tests of other packages use ICD-10-CM order files:
// the FY2022 release kept beside the repository (never committed) and small
// generated files.
package icd10test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/fascia-health/fascia/internal/billing/icd10"
)

// ReleaseName is the file name of the full release the tests use.
const ReleaseName = "icd10cm_order_2022.txt"

// Release2022 returns the path of the FY2022 order file, found at
// ../shared/data/icd10cm/ beside the module root (or FASCIA_ICD10_RELEASE),
// and skips the test when it is not there.
func Release2022(t testing.TB) string {
	t.Helper()
	p := ReleasePath()
	if p == "" {
		t.Skip("no full ICD-10-CM release at ../shared/data/icd10cm/" + ReleaseName + " (set FASCIA_ICD10_RELEASE to use another copy)")
	}
	return p
}

// ReleasePath is the path of the FY2022 order file, or "" when absent.
func ReleasePath() string {
	if p := os.Getenv("FASCIA_ICD10_RELEASE"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return ""
	}
	// file is <module>/internal/billing/icd10/icd10test/icd10test.go
	root := filepath.Join(filepath.Dir(file), "..", "..", "..", "..")
	p := filepath.Join(root, "..", "shared", "data", "icd10cm", ReleaseName)
	if _, err := os.Stat(p); err != nil {
		return ""
	}
	return filepath.Clean(p)
}

// LoadRelease2022 parses the FY2022 release (skipping the test when absent).
func LoadRelease2022(t testing.TB) []icd10.Entry {
	t.Helper()
	f, err := os.Open(Release2022(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	es, err := icd10.ParseOrderEntries(f)
	if err != nil {
		t.Fatalf("parse %s: %v", ReleaseName, err)
	}
	return es
}

// Small is a small order file: a few categories and their codes, taken
// from the built-in list, plus a code the built-in list does not have.
func Small() []icd10.Entry {
	pick := map[string]bool{"M54": true, "M54.2": true, "M54.5": true, "M54.50": true, "M54.51": true, "M54.59": true,
		"G35": true, "S13": true, "S13.4": true, "S13.4XX": true, "S13.4XXA": true, "S13.4XXD": true, "S13.4XXS": true}
	var out []icd10.Entry
	for _, c := range icd10.Builtin().Codes() {
		if pick[c.Code] {
			out = append(out, icd10.Entry{Code: c, Short: icd10.Builtin().ShortTitle(c.Code)})
		}
	}
	// FY2022 style: G35 billable, and a code only the full release has.
	for i := range out {
		if out[i].Code.Code == "G35" {
			out[i].Title, out[i].Short, out[i].Billable = "Multiple sclerosis", "Multiple sclerosis", true
		}
	}
	out = append(out, icd10.Entry{Code: icd10.Code{Code: "A00.0", Title: "Cholera due to Vibrio cholerae 01, biovar cholerae", Billable: true}, Short: "Cholera due to Vibrio cholerae 01, biovar cholerae"})
	return out
}

// OrderFile renders entries as an order file.
func OrderFile(entries []icd10.Entry) []byte {
	var b bytes.Buffer
	if err := icd10.WriteOrderFile(&b, entries); err != nil {
		panic(err)
	}
	return b.Bytes()
}
