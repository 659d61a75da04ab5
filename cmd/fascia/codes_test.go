package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// writeOrderFile writes b as dir/name and returns its path.
func writeOrderFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func codeSets(t *testing.T, dsn string) []store.CodeSetInfo {
	t.Helper()
	sets, err := openDB(t, dsn).CodeSets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

func TestCodesImportHelp(t *testing.T) {
	noEnv(t)
	for _, h := range []string{"--help", "-h"} {
		code, out, errOut := fascia(t, "codes", "import", h)
		if code != 0 || out != "" || !strings.Contains(errOut, "Usage: fascia codes import [flags]") || !strings.Contains(errOut, "order file") ||
			!strings.Contains(errOut, "-fy") || !strings.Contains(errOut, "-db") {
			t.Errorf("codes import %s: exit %d, stdout %q, stderr %q", h, code, out, errOut)
		}
	}
	if code, out, _ := fascia(t, "help"); code != 0 || !strings.Contains(out, "codes import") {
		t.Errorf("the command list does not show codes import: %q", out)
	}
	if code, _, errOut := fascia(t, "codes"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("codes alone: exit %d %q", code, errOut)
	}
	if code, _, errOut := fascia(t, "codes", "import", "--fy", "abc", "x.txt"); code != 2 || !strings.Contains(errOut, "Usage:") {
		t.Errorf("--fy abc: exit %d %q", code, errOut)
	}
}

func TestCodesImport(t *testing.T) {
	noEnv(t)
	small := icd10test.OrderFile(icd10test.Small())
	n := len(icd10test.Small())
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dir := t.TempDir()
			dsn := testdb.DSN(t, e)

			// The year is read from the CMS name.
			p := writeOrderFile(t, dir, "icd10cm_order_2022.txt", small)
			code, out, errOut := fascia(t, "codes", "import", "--db", dsn, p)
			if code != 0 || out != "imported 13 ICD-10-CM codes (9 billable) for FY2022 from icd10cm_order_2022.txt\n" {
				t.Fatalf("import: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			sets := codeSets(t, dsn)
			if len(sets) != 1 || sets[0].FiscalYear != 2022 || sets[0].Count != n || sets[0].Source != "icd10cm_order_2022.txt" {
				t.Fatalf("sets after import: %+v", sets)
			}
			db := openDB(t, dsn)
			es, err := db.ListAudit(context.Background(), store.AuditFilter{Action: app.AuditCodesImport})
			if err != nil || len(es) != 1 || es[0].RecordID != 2022 || !strings.Contains(es[0].Detail, "via cli") {
				t.Errorf("audit: %+v %v", es, err)
			}

			// A name without a year needs --fy, before or after the file.
			q := writeOrderFile(t, dir, "codes.txt", small)
			code, out, errOut = fascia(t, "codes", "import", "--db", dsn, q)
			if code != 1 || out != "" || !strings.Contains(errOut, "add --fy YEAR") {
				t.Errorf("no year: exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			for _, args := range [][]string{{"--db", dsn, "--fy", "2024", q}, {"--db", dsn, q, "--fy", "2025"}} {
				if code, out, errOut := fascia(t, append([]string{"codes", "import"}, args...)...); code != 0 || !strings.Contains(out, "for FY202") {
					t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
				}
			}
			// --fy wins over the name; impossible years are refused.
			if code, out, _ := fascia(t, "codes", "import", "--db", dsn, "--fy", "2023", p); code != 0 || !strings.Contains(out, "FY2023") {
				t.Errorf("--fy over the name: %d %q", code, out)
			}
			for _, fy := range []string{"1999", "2015", "3000"} {
				if code, _, errOut := fascia(t, "codes", "import", "--db", dsn, "--fy", fy, q); code != 1 || !strings.Contains(errOut, "not an ICD-10-CM year") {
					t.Errorf("--fy %s: exit %d %q", fy, code, errOut)
				}
			}
			if got := codeSets(t, dsn); len(got) != 4 {
				t.Errorf("%d sets, want FY2022-FY2025", len(got))
			}
			// Not one file.
			for _, args := range [][]string{{"--db", dsn}, {"--db", dsn, p, q}} {
				if code, _, errOut := fascia(t, append([]string{"codes", "import"}, args...)...); code != 1 || !strings.Contains(errOut, "Name one order file") {
					t.Errorf("%v: exit %d %q", args, code, errOut)
				}
			}
			if code, _, errOut := fascia(t, "codes", "import", "--db", dsn, filepath.Join(dir, "icd10cm_order_2026.txt")); code != 1 || !strings.Contains(errOut, "Cannot open") {
				t.Errorf("missing file: exit %d %q", code, errOut)
			}
		})
	}
}

func TestCodesImportMalformedChangesNothing(t *testing.T) {
	noEnv(t)
	good := icd10test.OrderFile(icd10test.Small())
	lines := strings.SplitAfter(strings.TrimSuffix(string(good), "\n"), "\n")
	lines[len(lines)-1] += "\n"
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dir := t.TempDir()
			dsn := testdb.DSN(t, e)
			p := writeOrderFile(t, dir, "icd10cm_order_2022.txt", good)
			if code, _, errOut := fascia(t, "codes", "import", "--db", dsn, p); code != 0 {
				t.Fatalf("first import: %s", errOut)
			}
			before := codeSets(t, dsn)
			trail := count(t, dsn).audit
			for _, tc := range []struct {
				name string
				file string
				line int
				says string
			}{
				{"bad flag on line 5", strings.Join(lines[:4], "") + strings.Replace(lines[4], " 1 ", " 7 ", 1) + strings.Join(lines[5:], ""), 5, "column 15"},
				{"truncated last line", strings.Join(lines[:len(lines)-1], "") + lines[len(lines)-1][:40], len(lines), "at least 78"},
				{"duplicate code", string(good) + strings.Replace(lines[1], "00002", "00099", 1), len(lines) + 1, "appears twice"},
				{"empty file", "", 0, "no codes"},
			} {
				bad := writeOrderFile(t, dir, "icd10cm_order_2022.txt", []byte(tc.file))
				code, out, errOut := fascia(t, "codes", "import", "--db", dsn, bad)
				want := bad + ":"
				if tc.line > 0 {
					want += strconv.Itoa(tc.line) + ":"
				}
				if code != 1 || out != "" || !strings.HasPrefix(errOut, want) || !strings.Contains(errOut, tc.says) || !strings.Contains(errOut, "nothing was imported") {
					t.Errorf("%s: exit %d, stdout %q, stderr %q; want it to start %q and say %q", tc.name, code, out, errOut, want, tc.says)
				}
			}
			if after := codeSets(t, dsn); len(after) != 1 || after[0] != before[0] {
				t.Errorf("a malformed file changed the sets: %+v → %+v", before, after)
			}
			if got := count(t, dsn).audit; got != trail {
				t.Errorf("a malformed file was audited as an import: %d → %d entries", trail, got)
			}
			if e == store.SQLite {
				// A malformed file does not even create the database.
				fresh := filepath.Join(dir, "never.db")
				bad := writeOrderFile(t, dir, "icd10cm_order_2023.txt", []byte("garbage\n"))
				if code, _, _ := fascia(t, "codes", "import", "--db", fresh, bad); code != 1 {
					t.Errorf("garbage accepted")
				}
				if _, err := os.Stat(fresh); !os.IsNotExist(err) {
					t.Errorf("the database was created for a malformed file: %v", err)
				}
			}
		})
	}
}

// TestCodesImportFullRelease loads the FY2022 release (skipped when it is
// not beside the repository) and checks versioning by date of service.
func TestCodesImportFullRelease(t *testing.T) {
	noEnv(t)
	release := icd10test.Release2022(t)
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			start := time.Now()
			code, out, errOut := fascia(t, "codes", "import", "--db", dsn, release)
			if code != 0 || out != "imported 95524 ICD-10-CM codes (72748 billable) for FY2022 from icd10cm_order_2022.txt\n" {
				t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
			}
			t.Logf("%s: imported the full release in %v", e, time.Since(start).Round(time.Millisecond))
			db := openDB(t, dsn)
			a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			fy22, err := a.ICD10(context.Background(), time.Date(2022, 3, 15, 0, 0, 0, 0, time.UTC))
			if err != nil || fy22.Len() != 95524 || fy22.FiscalYear != 2022 {
				t.Fatalf("FY2022 date: %v %v", fy22, err)
			}
			if _, err := fy22.Check("G35"); err != nil {
				t.Errorf("FY2022 G35: %v", err)
			}
			fy27, err := a.ICD10(context.Background(), time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
			if err != nil || fy27 != icd10.Builtin() {
				t.Errorf("FY2027 date with no FY2027 import: %v, want the built-in list", err)
			}
		})
	}
}
