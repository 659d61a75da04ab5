package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// rescreened records the clients screening was re-run for.
var rescreened struct {
	sync.Mutex
	clients []int64
}

func init() {
	app.RegisterRescreener(func(ctx context.Context, s *app.App, orgID, clientID int64) error {
		rescreened.Lock()
		defer rescreened.Unlock()
		rescreened.clients = append(rescreened.clients, clientID)
		return nil
	})
}

func TestSubmitIntake(t *testing.T) {
	each(t, func(t *testing.T, s *testsrv.Server) {
		owner, _ := signIn(t, s, testsrv.Owner, "10.0.0.1")
		fd, _ := signIn(t, s, testsrv.FrontDesk, "10.0.0.2")
		c := s.ClientAt(t, s.RoundRock.ID)
		had, _ := s.DB.Intakes(ctx, s.Org.ID, c.ID)
		l, err := s.App.CreateIntakeLink(ctx, fd, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := l.Link.ExpiresAt.Sub(time.Now()); d < 7*24*time.Hour-time.Minute || d > 7*24*time.Hour+time.Minute {
			t.Errorf("a link lasts %v, want 7 days", d)
		}
		p, err := s.App.OpenIntakeLink(ctx, l.Token)
		if err != nil || len(p.Consents) != 3 || p.OrgName != "Riverside Medical Massage" {
			t.Fatalf("open: %+v %v", p, err)
		}
		agreed := map[string]int64{}
		for _, d := range p.Consents {
			agreed[d.Kind] = d.ID
		}
		in := care.Intake{ReasonForVisit: "Sore shoulders", Medications: []care.Medication{{Name: "Warfarin", Class: "anticoagulant"}}}
		sig := care.Signature{Kind: "typed", Name: "Client Name"}

		// The owner rewrites the treatment consent while the client fills in the form.
		nd := &care.ConsentDocument{Kind: care.ConsentTreatment, Title: "Consent to treatment", Body: "A rewritten consent text, long enough."}
		if err := s.App.SaveConsent(ctx, owner, nd); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.App.SubmitIntake(ctx, l.Token, "192.0.2.1", in, sig, agreed, nil)
		if f := errs.FieldsOf(err); errs.Code(err) != errs.Invalid || !strings.Contains(f["consent_treatment"], "updated") || len(f) != 1 {
			t.Fatalf("signing an outdated consent: %v %v", err, f)
		}
		delete(agreed, care.ConsentPrivacy)
		agreed[care.ConsentTreatment] = nd.ID
		_, _, err = s.App.SubmitIntake(ctx, l.Token, "192.0.2.1", in, sig, agreed, errs.FieldErrors{"goals": "from the form"})
		if f := errs.FieldsOf(err); f["consent_privacy"] == "" || f["goals"] != "from the form" {
			t.Fatalf("missing consent and a form error: %v", f)
		}
		if all, _ := s.DB.Intakes(ctx, s.Org.ID, c.ID); len(all) != len(had) {
			t.Fatalf("a refused intake was stored")
		}
		agreed[care.ConsentPrivacy] = p.Consents[1].ID
		rescreened.Lock()
		rescreened.clients = nil
		rescreened.Unlock()
		done, _, err := s.App.SubmitIntake(ctx, l.Token, "192.0.2.1", in, sig, agreed, nil)
		if err != nil {
			t.Fatal(err)
		}
		signedNew := false
		for _, r := range done.Consents {
			signedNew = signedNew || r.ID == nd.ID
		}
		if done.Version != len(had)+1 || done.SignedFrom != "192.0.2.1" || !signedNew {
			t.Errorf("signed %+v", done)
		}
		rescreened.Lock()
		if len(rescreened.clients) != 1 || rescreened.clients[0] != c.ID {
			t.Errorf("rescreened %v, want client %d once", rescreened.clients, c.ID)
		}
		rescreened.Unlock()
		if ok, err := s.App.IntakeIntact(ctx, owner, done); err != nil || !ok {
			t.Errorf("intact: %v %v", ok, err)
		}
		if _, _, err := s.App.SubmitIntake(ctx, l.Token, "192.0.2.1", in, sig, agreed, nil); errs.Code(err) != errs.Gone {
			t.Errorf("a used link: %v", err)
		}

		// Who may do what.
		if _, err := s.App.ImportIntake(ctx, fd, c.ID, in, sig, time.Now()); errs.Code(err) != errs.Forbidden {
			t.Errorf("front desk importing: %v", err)
		}
		if err := s.App.ReviewIntake(ctx, fd, c.ID, done.Version); errs.Code(err) != errs.Forbidden {
			t.Errorf("front desk reviewing: %v", err)
		}
		biller, _ := signIn(t, s, testsrv.Biller, "10.0.0.3")
		if _, err := s.App.Intakes(ctx, biller, c.ID); errs.Code(err) != errs.Forbidden {
			t.Errorf("biller reading: %v", err)
		}
		if _, err := s.App.CreateIntakeLink(ctx, biller, c.ID); errs.Code(err) != errs.Forbidden {
			t.Errorf("biller making a link: %v", err)
		}
		tok := s.Token(t, testsrv.FrontDesk)
		api, err := s.App.AuthenticateToken(ctx, tok, "10.0.0.4")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.App.HandToClient(ctx, api, c.ID); errs.Code(err) != errs.Invalid {
			t.Errorf("hand to client through the API: %v", err)
		}
		// Link life follows the owner's setting.
		set, _ := s.App.IntakeSettings(ctx, owner)
		set.LinkDays = 2
		if err := s.App.SaveIntakeSettings(ctx, owner, set); err != nil {
			t.Fatal(err)
		}
		if err := s.App.SaveIntakeSettings(ctx, fd, set); errs.Code(err) != errs.Forbidden {
			t.Errorf("front desk changing settings: %v", err)
		}
		l2, err := s.App.CreateIntakeLink(ctx, fd, c.ID)
		if err != nil || l2.Link.ExpiresAt.Sub(time.Now()) > 49*time.Hour {
			t.Errorf("a link with 2 link days: %v", err)
		}
	})
}
