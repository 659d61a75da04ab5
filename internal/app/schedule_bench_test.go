package app_test

import (
	"io"
	"log/slog"
	"sort"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/testdb"
)

// BenchmarkOpenSlotsWeek10 computes a week of open slots of a service ten
// therapists perform, at a location with five years of appointments:
// hours, exceptions, time off and the week's appointments are read from
// the database each time (issue #5: under 10 ms). It reports the p99.
func BenchmarkOpenSlotsWeek10(b *testing.B) {
	for _, e := range testdb.Engines() {
		b.Run(string(e), func(b *testing.B) {
			db := testdb.Open(b, e)
			y := testdb.ClinicYears(b, db, 5, time.Now())
			a := app.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
			owner := &auth.Actor{User: y.Owner, Org: y.Org, Via: "web"}
			req := app.SlotRequest{LocationID: y.Location.ID, ServiceID: y.Service10, From: y.Monday.Add(7 * 24 * time.Hour), To: y.Monday.Add(14 * 24 * time.Hour)}
			slots, err := a.OpenSlots(ctx, owner, req)
			if err != nil {
				b.Fatal(err)
			}
			if len(slots) == 0 {
				b.Fatal("no open slots")
			}
			var ds []time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := a.OpenSlots(ctx, owner, req); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			b.StopTimer()
			reportP99(b, ds)
			b.ReportMetric(float64(len(slots)), "slots")
			b.ReportMetric(float64(y.Appointments), "appointments-in-db")
		})
	}
}

func reportP99(b *testing.B, ds []time.Duration) {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds())/1000, "p99-ms")
}
