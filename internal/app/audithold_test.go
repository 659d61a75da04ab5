package app_test

import (
	"slices"
	"testing"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// A page made of several reads is audited as one entry that names each read,
// written at FlushAudit; denials stay entries of their own.
func TestHeldReadsAreOneEntry(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		maria, _ := signIn(t, s, testsrv.TherapistA, screenIP)
		c := newScreeningClient(t, s, owner, "Held")
		held := app.HoldAudit(ctx)
		before := trailLen(t, s)
		es := audited(t, s, func() {
			if _, err := s.App.Client(held, maria, c.ID); err != nil {
				t.Fatal(err)
			}
			findings(t, s, maria, c.ID) // not held: written at once
			if _, err := s.App.Findings(held, maria, c.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.ClientCareRecord(held, maria, c.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.App.Client(held, maria, c.ID+1_000_000); errs.Code(err) != errs.NotFound {
				t.Fatalf("missing client: %v", err)
			}
			if n := trailLen(t, s); n != before+1 {
				t.Fatalf("held entries were written before the flush: %d new", n-before)
			}
			if err := s.App.FlushAudit(held); err != nil {
				t.Fatal(err)
			}
		})
		if got := actions(es); len(got) < 3 || !slices.Equal(got[:2], []string{app.AuditScreeningRead, "client.read"}) {
			t.Fatalf("entries %v", got)
		}
		chart := es[1]
		if chart.RecordType != "client" || chart.RecordID != c.ID || chart.Result != audit.OK || chart.UserID != maria.User.ID ||
			chart.Detail != "client.read; screening.read: findings 0; prescription.list: prescriptions 0, authorizations 0" {
			t.Errorf("merged entry %+v", chart)
		}
		for _, e := range es[2:] {
			if e.Result == audit.OK {
				t.Errorf("a failed read was merged or written as OK: %+v", e)
			}
		}
		// A second flush writes nothing more.
		n := trailLen(t, s)
		if err := s.App.FlushAudit(held); err != nil || trailLen(t, s) != n {
			t.Errorf("second flush: %v, %d new", err, trailLen(t, s)-n)
		}
	})
}
