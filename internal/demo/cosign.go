package demo

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
)

func init() {
	Register(Seeder{Name: "co-signatures", Order: 75, Seed: seedCosign})
}

// Student is the demo clinic's massage therapy student, whose notes Maria
// Lopez co-signs.
var Student = struct{ Email, Name string }{"leah.brooks@demo.test", "Leah Brooks, massage therapy student"}

// seedCosign adds the student at Downtown Austin, supervised by Maria
// Lopez, with two signed notes: one co-signed the next morning, one
// awaiting the co-signature. She is not one of Staff: a student has no
// caseload (no preferred clients, evaluations or intake reviews), so she
// joins after those are seeded, with every demo user's password. Her notes
// are walk-ins dated before any other demo note, so they change neither a
// client's last note (copied forward) nor the visits counted against a plan.
func seedCosign(ctx context.Context, env *SeedEnv) error {
	db := env.App.DB
	maria := env.Users["maria.lopez@demo.test"]
	if maria == nil {
		return fmt.Errorf("no Maria Lopez to supervise the student")
	}
	cred, err := db.CredentialsByEmail(ctx, env.Owner.User.Email)
	if err != nil {
		return err
	}
	leah := &clinic.User{OrgID: env.Org.ID, Email: Student.Email, Name: Student.Name, Role: clinic.RoleTherapist,
		LocationIDs: []int64{env.Locations[0].ID}}
	if err := db.Tx(ctx, func(tx *sql.Tx) error { return db.CreateUser(ctx, tx, leah, cred.PasswordHash) }); err != nil {
		return err
	}
	env.Users[leah.Email] = leah
	if err := env.App.SaveNoteSupervision(ctx, env.Owner, store.NoteSupervision{UserID: leah.ID, SupervisorID: maria.ID, Reason: store.SupervisionStudent}); err != nil {
		return err
	}

	// Two Downtown clients who already have a signed note and whom the
	// screening lets the student treat.
	zone := app.LocationZone(env.Org, &env.Locations[0])
	student := &auth.Actor{User: leah, Org: env.Org, IP: "127.0.0.1", Via: "demo setup"}
	var picked []int64
	for _, c := range env.Clients {
		if len(picked) == 2 {
			break
		}
		if c.PreferredLocationID != env.Locations[0].ID {
			continue
		}
		notes, err := db.Notes(ctx, env.Org.ID, c.ID, "", "")
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(notes, func(n care.SOAPNote) bool { return n.Status == care.NoteSigned }) {
			continue
		}
		if ok, _, err := env.App.CanStartSession(ctx, student, c.ID); err != nil {
			return err
		} else if ok {
			picked = append(picked, c.ID)
		}
	}
	if len(picked) < 2 {
		return fmt.Errorf("only %d Downtown clients with notes for the student to see", len(picked))
	}

	today := env.Today.In(zone)
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for i, clientID := range picked {
			day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, zone).AddDate(0, 0, -9-2*i)
			d := demoSessions[(i+1)%len(demoSessions)]
			techs, homeCare := d.known()
			before, after, pressure := d.before, d.after, 2
			n := &care.SOAPNote{OrgID: env.Org.ID, ClientID: clientID, TherapistID: leah.ID, ServiceDate: day.Format(clinic.DateLayout),
				Kind: care.NoteDaily, Subjective: d.s, PainBefore: &before, Objective: d.o, Assessment: d.a, PainAfter: &after,
				Tolerance: "good", Plan: d.p, HomeCare: homeCare, NextVisit: "Next week, with Maria", Pressure: &pressure, Techniques: techs,
				ScreeningAcknowledged: true, ScreeningAckAt: day.Add(14 * time.Hour), CosignRequired: true}
			if err := db.CreateNote(ctx, tx, n); err != nil {
				return err
			}
			end, err := care.ServiceDateEnd(n.ServiceDate, zone)
			if err != nil {
				return err
			}
			if _, err := db.SignNote(ctx, tx, env.Org.ID, n.ID, n.Version, leah.ID, day.Add(17*time.Hour+30*time.Minute), end); err != nil {
				return err
			}
			if i == 1 { // the older one: co-signed by Maria the next morning
				if err := db.CosignNote(ctx, tx, env.Org.ID, n.ID, maria.ID, day.AddDate(0, 0, 1).Add(8*time.Hour+45*time.Minute)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
