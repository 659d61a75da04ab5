package testdb_test

import (
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

// TestClinicYearsBuilds checks the benchmark clinic builds on both engines
// (the four weeks ahead only, to keep it quick): its appointments are all there.
func TestClinicYearsBuilds(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		t0 := time.Now()
		y := testdb.ClinicYears(t, db, 0, time.Now())
		t.Logf("%d appointments in %v", y.Appointments, time.Since(t0))
		var n int
		if err := db.QueryRowForTest(t.Context(), "SELECT COUNT(*) FROM appointments WHERE org_id = $1", y.Org.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != y.Appointments || n < 2000 {
			t.Fatalf("%d appointments stored of %d", n, y.Appointments)
		}
	})
}
