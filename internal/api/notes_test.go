package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestAPINotes reads a signed session note with its addendum and units.
func TestAPINotes(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := testsrv.Start(t, e)
		owner := ownerActor(t, s)
		clients, err := s.DB.SearchClients(ctx, s.Org.ID, clinicFilterAll())
		if err != nil || len(clients) == 0 {
			t.Fatal(err)
		}
		c := clients[0]
		for _, x := range clients {
			if ok, _, err := s.App.CanStartSession(ctx, owner, x.ID); err == nil && ok {
				c = x
				break
			}
		}
		st, err := s.App.StartSession(ctx, owner, c.ID, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := st.Note
		pain := func(v int) *int { return &v }
		n.Subjective, n.PainBefore, n.Objective, n.Assessment, n.PainAfter, n.Tolerance, n.Plan = "Less stiffness since last week.", pain(4),
			"Hypertonic upper trapezius bilaterally.", "Tissue softened.", pain(2), "good", "Continue weekly."
		n.Techniques = []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 33},
			{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 7}}
		if n, err = s.App.SaveNoteDraft(ctx, owner, n, n.Version); err != nil {
			t.Fatal(err)
		}
		if !n.ScreeningAcknowledged {
			if n, err = s.App.AcknowledgeScreening(ctx, owner, n.ID, n.Version); err != nil {
				t.Fatalf("acknowledge: %v", err)
			}
		}
		if n, err = s.App.SignNote(ctx, owner, n.ID, n.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.AddAddendum(ctx, owner, n.ID, "Corrected the region noted", "The work was on the left upper trapezius only."); err != nil {
			t.Fatal(err)
		}
		tok := s.Token(t, testsrv.Biller)
		r := callS(t, s, tok, http.MethodGet, fmt.Sprintf("/api/v1/notes/%d", n.ID), "")
		if r.status != http.StatusOK || !strings.Contains(r.body, `"status":"signed"`) || !strings.Contains(r.body, "40 timed minutes → 3 units: 2 × 97140, 1 × 97124") ||
			!strings.Contains(r.body, "Corrected the region noted") {
			t.Errorf("note: %s", r)
		}
		r = callS(t, s, tok, http.MethodGet, fmt.Sprintf("/api/v1/clients/%d/notes", c.ID), "")
		if r.status != http.StatusOK || !strings.Contains(r.body, fmt.Sprintf(`"id":%d`, n.ID)) {
			t.Errorf("list: %s", r)
		}
		wantError(t, "front desk", callS(t, s, s.Token(t, testsrv.FrontDesk), http.MethodGet, fmt.Sprintf("/api/v1/notes/%d", n.ID), ""), http.StatusForbidden, "forbidden")
		wantError(t, "other org", callS(t, s, s.Token(t, testsrv.OtherOwner), http.MethodGet, fmt.Sprintf("/api/v1/notes/%d", n.ID), ""), http.StatusNotFound, "not_found")
	})
}
