package demo_test

import (
	"context"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/testdb"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestDemoPrescriptions: the demo clinic shows what the prescription area
// is for: a directory with valid NPIs, most clients referred, and
// prescriptions in force, expiring within the week, expired, and an
// authorization with two visits or fewer left — whatever day it is started.
func TestDemoPrescriptions(t *testing.T) {
	ctx := context.Background()
	for _, e := range testdb.Engines() {
		t.Run(string(e), func(t *testing.T) {
			s := testsrv.Start(t, e)
			res, err := s.App.SignIn(ctx, testsrv.Owner, testsrv.Password, "127.0.0.1", "")
			if err != nil {
				t.Fatal(err)
			}
			owner, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			ps, err := s.App.SearchPhysicians(ctx, owner, clinic.PhysicianFilter{})
			if err != nil || len(ps) < 6 || len(ps) > 8 {
				t.Fatalf("directory: %d entries, %v", len(ps), err)
			}
			for _, p := range ps {
				if p.Kind != clinic.KindOtherSource && !clinic.ValidNPI(p.NPI) {
					t.Errorf("%s has NPI %q", p.Name, p.NPI)
				}
				if p.Phone != "" && p.Phone[6:12] != "555-01" {
					t.Errorf("%s has phone %s, not a 555-01XX fiction number", p.Name, p.Phone)
				}
			}
			cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			referred, active := 0, 0
			kinds := map[care.WarningKind]int{}
			for _, c := range cs {
				rec, err := s.App.ClientCareRecord(ctx, owner, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if rec.Referral != nil {
					referred++
				}
				for _, p := range rec.Prescriptions {
					if p.Active(rec.Today) {
						active++
					}
				}
				for _, w := range rec.Warnings {
					kinds[w.Kind]++
				}
			}
			if referred < len(cs)*2/3 {
				t.Errorf("%d of %d clients have a referral on record", referred, len(cs))
			}
			if active < 4 || kinds[care.PrescriptionExpiring] == 0 || kinds[care.PrescriptionExpired] == 0 || kinds[care.AuthorizationVisits] == 0 {
				t.Errorf("%d prescriptions in force; warnings %v: want expiring, expired and few visits left", active, kinds)
			}
			rep, err := s.App.ReferralReport(ctx, owner, 12)
			if err != nil || len(rep.Rows) < 6 || rep.Total < referred*3/4 {
				t.Errorf("referral report: %d sources, %d referrals (%v)", len(rep.Rows), rep.Total, err)
			}
		})
	}
}
