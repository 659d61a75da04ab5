package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/billing/icd10/icd10test"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

func TestCodeSets(t *testing.T) {
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		if sets, err := db.CodeSets(ctx); err != nil || len(sets) != 0 {
			t.Fatalf("a fresh database has code sets: %v %v", sets, err)
		}
		if _, _, err := db.CodeSet(ctx, 2022); !errs.Is(err, errs.NotFound) {
			t.Errorf("CodeSet of a year never imported: %v, want NotFound", err)
		}
		small := icd10test.Small()
		replace := func(fy int, src string, es []icd10.Entry) error {
			return db.Tx(ctx, func(tx *sql.Tx) error { return db.ReplaceCodeSet(ctx, tx, fy, src, es) })
		}
		if err := replace(2022, "small.txt", small); err != nil {
			t.Fatal(err)
		}
		info, es, err := db.CodeSet(ctx, 2022)
		if err != nil {
			t.Fatal(err)
		}
		if info.FiscalYear != 2022 || info.Source != "small.txt" || info.Count != len(small) || info.LoadedAt.IsZero() || len(es) != len(small) {
			t.Fatalf("read back %+v with %d codes, want %d", info, len(es), len(small))
		}
		want := map[string]icd10.Entry{}
		for _, e := range small {
			want[e.Code.Code] = e
		}
		for _, e := range es {
			if want[e.Code.Code] != e {
				t.Errorf("stored %+v, imported %+v", e, want[e.Code.Code])
			}
		}

		// Replacing a year replaces its codes and moves loaded_at, even in the same millisecond.
		frozen := time.Now()
		db.Now = func() time.Time { return frozen }
		t.Cleanup(func() { db.Now = time.Now })
		if err := replace(2022, "again.txt", small[:3]); err != nil {
			t.Fatal(err)
		}
		info2, es2, err := db.CodeSet(ctx, 2022)
		if err != nil || len(es2) != 3 || info2.Count != 3 || info2.Source != "again.txt" {
			t.Fatalf("after replacing: %+v, %d codes, %v", info2, len(es2), err)
		}
		if err := replace(2022, "third.txt", small[:3]); err != nil {
			t.Fatal(err)
		}
		info3, _, _ := db.CodeSet(ctx, 2022)
		if !info3.LoadedAt.After(info2.LoadedAt) {
			t.Errorf("loaded_at did not move: %v then %v", info2.LoadedAt, info3.LoadedAt)
		}
		// Another year is separate.
		if err := replace(2025, "other.txt", small); err != nil {
			t.Fatal(err)
		}
		sets, err := db.CodeSets(ctx)
		if err != nil || len(sets) != 2 || sets[0].FiscalYear != 2022 || sets[1].FiscalYear != 2025 || sets[0].Count != 3 {
			t.Errorf("CodeSets: %+v %v", sets, err)
		}
		// A failed replacement (rolled back) leaves the year as it was.
		err = db.Tx(ctx, func(tx *sql.Tx) error {
			if err := db.ReplaceCodeSet(ctx, tx, 2022, "broken.txt", small); err != nil {
				return err
			}
			return errs.E(errs.Invalid, "something later failed")
		})
		if err == nil {
			t.Fatal("the failing transaction committed")
		}
		if info, es, _ := db.CodeSet(ctx, 2022); info.Source != "third.txt" || len(es) != 3 {
			t.Errorf("a rolled-back import changed the set: %+v, %d codes", info, len(es))
		}
		if err := replace(2023, "empty.txt", nil); !errs.Is(err, errs.Invalid) {
			t.Errorf("an empty set: %v", err)
		}
	})
}

func TestCodeSetFullRelease(t *testing.T) {
	es := icd10test.LoadRelease2022(t)
	ctx := context.Background()
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		start := time.Now()
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return db.ReplaceCodeSet(ctx, tx, 2022, icd10test.ReleaseName, es) }); err != nil {
			t.Fatal(err)
		}
		loaded := time.Since(start)
		start = time.Now()
		info, got, err := db.CodeSet(ctx, 2022)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: stored %d codes in %v, read them back in %v", db.Engine, len(es), loaded.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if info.Count != len(es) || len(got) != len(es) {
			t.Fatalf("%d codes back, want %d", len(got), len(es))
		}
		s := icd10.NewSetFrom(2022, info.Source, got)
		if c, ok := s.Lookup("M70.90"); !ok || !c.Billable || s.ShortTitle("M70.90") != "Unsp soft tissue disord related to use/pressure of unsp site" {
			t.Errorf("M70.90 read back as %+v %q", c, s.ShortTitle("M70.90"))
		}
	})
}
