package app_test

import (
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

func codesDate(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// codesClock is a settable clock for a store.
type codesClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *codesClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *codesClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// openCodesApp opens an App on dsn with its own clock, as one server process.
func openCodesApp(t *testing.T, dsn string) (*app.App, *codesClock) {
	t.Helper()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := &codesClock{t: time.Now()}
	db.Now = c.now
	return app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))), c
}

func TestICD10Versioning(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			a, _ := openCodesApp(t, testdb.DSN(t, e))
			set := func(day string) *icd10.Set {
				t.Helper()
				s, err := a.ICD10(ctx, codesDate(day))
				if err != nil {
					t.Fatalf("ICD10(%s): %v", day, err)
				}
				return s
			}
			// Nothing imported: the built-in list, whatever the date.
			for _, d := range []string{"2021-03-01", "2026-11-27", "2030-01-01"} {
				if s := set(d); s != icd10.Builtin() {
					t.Errorf("%s with nothing imported: FY%d %q, want the built-in list", d, s.FiscalYear, s.Source())
				}
			}
			if err := a.ImportCodesCLI(ctx, 2022, "small_2022.txt", icd10test.Small()); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				day string
				fy  int // 0: the built-in list
			}{
				{"2021-10-01", 2022}, {"2022-03-15", 2022}, {"2022-09-30", 2022}, // FY2022
				{"2023-06-01", 2022}, {"2025-12-01", 2022}, // later years fall back to the nearest earlier import
				{"2026-10-01", 0}, {"2026-11-27", 0}, {"2027-10-01", 0}, // FY2027 on: the built-in list is nearer
				{"2021-09-30", 0}, // before every set
			} {
				s := set(tc.day)
				switch {
				case tc.fy == 0 && s != icd10.Builtin():
					t.Errorf("%s: FY%d %q, want the built-in list", tc.day, s.FiscalYear, s.Source())
				case tc.fy != 0 && (s.FiscalYear != tc.fy || s.IsBuiltin() || s.Source() != "small_2022.txt"):
					t.Errorf("%s: FY%d %q, want the FY%d import", tc.day, s.FiscalYear, s.Source(), tc.fy)
				}
			}
			// A claim of FY2022 keeps the codes valid then: G35 was billable.
			if _, err := set("2022-03-15").Check("G35"); err != nil {
				t.Errorf("FY2022 G35: %v", err)
			}
			if _, err := set("2026-11-27").Check("G35"); err == nil {
				t.Errorf("FY2027 G35 accepted")
			}
			// The same set is served from memory.
			if set("2022-01-01") != set("2022-02-01") {
				t.Errorf("the FY2022 set was built twice")
			}
			// An import for FY2027 replaces the built-in list for FY2027 dates, at once in this process.
			fy27 := icd10test.Small()[:4]
			if err := a.ImportCodesCLI(ctx, 2027, "small_2027.txt", fy27); err != nil {
				t.Fatal(err)
			}
			if s := set("2026-11-27"); s.FiscalYear != 2027 || s.Source() != "small_2027.txt" || s.Len() != 4 {
				t.Errorf("FY2027 after importing it: FY%d %q %d codes", s.FiscalYear, s.Source(), s.Len())
			}
			if s := set("2024-01-01"); s.FiscalYear != 2022 {
				t.Errorf("FY2024 after importing FY2027: FY%d, want FY2022 (the nearest earlier)", s.FiscalYear)
			}
			// Both imports were audited, outside any organisation.
			es, err := a.DB.ListAudit(ctx, store.AuditFilter{OrgID: 0, Action: app.AuditCodesImport})
			if err != nil || len(es) != 2 {
				t.Fatalf("codes.import entries: %d %v", len(es), err)
			}
			if es[1].RecordID != 2022 || es[1].SourceIP != "local" || es[1].Detail != "via cli; FY2022: 13 codes (9 billable) from small_2022.txt" {
				t.Errorf("audit entry %+v", es[1])
			}
			// Impossible years are refused and change nothing.
			for _, fy := range []int{2015, 1999, 3000} {
				if err := a.ImportCodesCLI(ctx, fy, "x.txt", icd10test.Small()); !errs.Is(err, errs.Invalid) {
					t.Errorf("import FY%d: %v", fy, err)
				}
			}
			if sets, _ := a.DB.CodeSets(ctx); len(sets) != 2 {
				t.Errorf("%d sets after refused imports", len(sets))
			}
		})
	}
}

// TestICD10SeesOtherProcessesImports: two servers on one database; an
// import through one is seen by the other within CodeSetRecheck.
func TestICD10SeesOtherProcessesImports(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			dsn := testdb.DSN(t, e)
			a, clockA := openCodesApp(t, dsn)
			b, _ := openCodesApp(t, dsn)
			day := codesDate("2022-05-01")
			s, err := a.ICD10(ctx, day)
			if err != nil || s != icd10.Builtin() {
				t.Fatalf("before any import: %v %v", s, err)
			}
			if err := b.ImportCodesCLI(ctx, 2022, "first.txt", icd10test.Small()); err != nil {
				t.Fatal(err)
			}
			if s, _ := a.ICD10(ctx, day); s != icd10.Builtin() {
				t.Errorf("seen before the recheck time: %q", s.Source())
			}
			clockA.add(app.CodeSetRecheck + time.Second)
			if s, _ := a.ICD10(ctx, day); s.Source() != "first.txt" {
				t.Errorf("not seen after the recheck time: %q", s.Source())
			}
			// A re-import of the same year replaces the cached set.
			if err := b.ImportCodesCLI(ctx, 2022, "second.txt", icd10test.Small()[:5]); err != nil {
				t.Fatal(err)
			}
			clockA.add(app.CodeSetRecheck + time.Second)
			if s, _ := a.ICD10(ctx, day); s.Source() != "second.txt" || s.Len() != 5 {
				t.Errorf("re-import not seen: %q, %d codes", s.Source(), s.Len())
			}
			// Concurrent first requests share one load.
			c, _ := openCodesApp(t, dsn)
			var wg sync.WaitGroup
			got := make([]*icd10.Set, 8)
			for i := range got {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got[i], _ = c.ICD10(ctx, day)
				}()
			}
			wg.Wait()
			for _, s := range got {
				if s == nil || s != got[0] || s.Source() != "second.txt" {
					t.Fatalf("concurrent loads gave different sets")
				}
			}
		})
	}
}

func TestSearchCodes(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			a, _ := openCodesApp(t, testdb.DSN(t, e))
			for _, role := range []clinic.Role{clinic.RoleOwner, clinic.RoleTherapist, clinic.RoleFrontDesk, clinic.RoleBiller} {
				actor := &auth.Actor{User: &clinic.User{ID: 1, OrgID: 1, Role: role}, Via: "web"}
				got, err := a.SearchCodes(ctx, actor, "neck", codesDate("2026-11-27"), 5)
				if err != nil || len(got) != 5 || got[0].Code != "M54.2" {
					t.Errorf("%s searching neck: %v %v", role, got, err)
				}
			}
			actor := &auth.Actor{User: &clinic.User{ID: 1, OrgID: 1, Role: clinic.RoleTherapist}}
			if got, err := a.SearchCodes(ctx, actor, "zzzzqx", codesDate("2026-11-27"), 5); err != nil || got == nil || len(got) != 0 {
				t.Errorf("no match: %#v %v, want an empty list", got, err)
			}
			for _, tc := range []struct {
				q     string
				limit int
				field string
			}{
				{"neck", 0, "limit"}, {"neck", -1, "limit"}, {"neck", app.MaxCodeResults + 1, "limit"},
				{"ne\x00ck", 5, "q"}, {"ne\xffck", 5, "q"}, {string(make([]byte, 201)), 5, "q"},
			} {
				_, err := a.SearchCodes(ctx, actor, tc.q, codesDate("2026-11-27"), tc.limit)
				if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[tc.field] == "" {
					t.Errorf("SearchCodes(%.10q, %d): %v, want Invalid on %s", tc.q, tc.limit, err, tc.field)
				}
			}
			if _, err := a.SearchCodes(ctx, nil, "neck", codesDate("2026-11-27"), 5); !errs.Is(err, errs.Unauthorized) {
				t.Errorf("no actor: %v", err)
			}
		})
	}
}

// TestSearchCodesSignedIn runs the search as real signed-in users of every role.
func TestSearchCodesSignedIn(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		for _, email := range []string{testsrv.Owner, testsrv.TherapistA, testsrv.FrontDesk, testsrv.Biller, testsrv.OtherTherapist} {
			a, _ := signIn(t, s, email, "127.0.0.1")
			got, err := s.App.SearchCodes(ctx, a, "whiplash", time.Now(), 10)
			if err != nil || len(got) == 0 || got[0].Code != "S13.4XXA" {
				t.Errorf("%s: %v %v", email, got, err)
			}
		}
	})
}
