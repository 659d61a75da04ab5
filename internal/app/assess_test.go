package app_test

import (
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// A new version of a signed plan starts today, its goals as far from its
// start as they were; the signed version is unchanged until the new one is
// signed, which supersedes it. Each step is audited without clinical content.
func TestRevisePlan(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, screenIP)
		var signed *assess.Plan
		for _, c := range allClientsOf(t, s) {
			ps, err := s.DB.Plans(ctx, s.Org.ID, c)
			if err != nil {
				t.Fatal(err)
			}
			for i := range ps {
				if ps[i].Status == assess.Signed && len(ps[i].Goals) > 0 {
					signed = &ps[i]
				}
			}
			if signed != nil {
				break
			}
		}
		if signed == nil {
			t.Fatal("the demo has no signed plan")
		}
		s.Advance(10 * 24 * time.Hour)
		owner, _ = signIn(t, s, testsrv.Owner, screenIP)
		var p *assess.Plan
		es := audited(t, s, func() {
			var err error
			if p, err = s.App.RevisePlan(ctx, owner, signed.ClientID, signed.ID); err != nil {
				t.Fatal(err)
			}
		})
		// (one() would check the entry's time against the real clock, which this test moved.)
		if len(es) != 1 || es[0].Action != "plan.create" || es[0].RecordType != "plan" || es[0].RecordID != p.ID || es[0].UserID != owner.User.ID ||
			es[0].Result != audit.OK || es[0].Detail != "client "+itoa(int(signed.ClientID))+", version "+itoa(signed.Version+1) {
			t.Errorf("audit entries of the revision: %+v", es)
		}
		if p.Series != signed.Series || p.Version != signed.Version+1 || p.Status != assess.Draft || p.StartDate != s.App.ClinicDate(owner) {
			t.Errorf("new version %+v", p)
		}
		start, _ := time.Parse("2006-01-02", signed.StartDate)
		nstart, _ := time.Parse("2006-01-02", p.StartDate)
		for i, g := range p.Goals {
			was, _ := time.Parse("2006-01-02", signed.Goals[i].TargetDate)
			now, _ := time.Parse("2006-01-02", g.TargetDate)
			if now.Sub(nstart) != was.Sub(start) {
				t.Errorf("goal %d: target %s from a start of %s; was %s from %s", i, g.TargetDate, p.StartDate, signed.Goals[i].TargetDate, signed.StartDate)
			}
		}
		still, err := s.DB.Plan(ctx, s.Org.ID, signed.ClientID, signed.ID)
		if err != nil || still.Status != assess.Signed || still.Goals[0].TargetDate != signed.Goals[0].TargetDate {
			t.Errorf("the signed version changed: %+v, %v", still, err)
		}
		if err := s.App.SavePlan(ctx, owner, p, true); err != nil {
			t.Fatalf("signing the new version: %v", err)
		}
		if old, _ := s.DB.Plan(ctx, s.Org.ID, signed.ClientID, signed.ID); old.Status != assess.Superseded {
			t.Errorf("the old version is %s after signing the new one", old.Status)
		}
	})
}

// allClientsOf lists the IDs of the demo organisation's clients.
func allClientsOf(t *testing.T, s *testsrv.Server) []int64 {
	t.Helper()
	cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{Limit: 200, Brief: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}
