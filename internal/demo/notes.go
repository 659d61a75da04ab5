package demo

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/schedule"
	"github.com/fascia-health/fascia/internal/store"
)

func init() {
	Register(Seeder{Name: "session notes", Order: 70, Seed: seedNotes})
}

// demoSession is a note's content: what the client said, what the
// therapist found and did, and how it went.
type demoSession struct {
	s, o, a, p string
	before     int
	after      int
	techniques []care.PerformedTechnique
	homeCare   []string
}

var demoSessions = []demoSession{
	{s: "Neck stiffness eased for two days after the last visit; still worse after long days at the computer.", o: "Hypertonic upper trapezius and levator scapulae on the right; active trigger point in the right upper trapezius referring to the temple.",
		a: "Tissue softened with sustained pressure; rotation to the right freer by the end.", p: "Continue twice weekly; progress to pectoral work next visit.", before: 5, after: 2,
		techniques: []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"upper_trapezius"}, Minutes: 20}, {Technique: "trigger_point", Regions: []string{"upper_trapezius"}, Minutes: 13}, {Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 7}},
		homeCare:   []string{"upper_trap_stretch", "chin_tucks"}},
	{s: "Low back ache after gardening at the weekend; sitting is better than last week.", o: "Guarding of the lumbar erectors, tender quadratus lumborum on the left; flexion limited by pain at end range.",
		a: "Guarding eased; forward bend pain-free to mid-shin.", p: "Continue weekly; add hip flexor work.", before: 6, after: 3,
		techniques: []care.PerformedTechnique{{Technique: "deep_tissue", Regions: []string{"lumbar_paraspinals"}, Minutes: 25}, {Technique: "myofascial_release", Regions: []string{"quadratus_lumborum"}, Minutes: 15}},
		homeCare:   []string{"knee_to_chest", "pelvic_tilts"}},
	{s: "Heel pain first thing in the morning is shorter, about ten minutes now.", o: "Tender medial calcaneal tubercle; tight gastrocnemius bilaterally.",
		a: "Calf length improved; plantar tenderness reduced on palpation.", p: "Continue; recheck morning pain at the next visit.", before: 4, after: 2,
		techniques: []care.PerformedTechnique{{Technique: "myofascial_release", Regions: []string{"gastrocnemius"}, Minutes: 18}, {Technique: "cross_fibre_friction", Regions: []string{"plantar_fascia"}, Minutes: 10}, {Technique: "swedish", Regions: []string{"gastrocnemius"}, Minutes: 12}},
		homeCare:   []string{"calf_stretch", "plantar_rolling"}},
}

// seedNotes writes signed notes for the last week's completed medical
// sessions (one of them signed late, one corrected by an addendum), straight
// through the store in one transaction.
func seedNotes(ctx context.Context, env *SeedEnv) error {
	// The demo clinic bills by the CMS rule, and one commercial payer by
	// the AMA rule: a clinic's own setting, to show a payer's rule at work
	// (the Blue Cross client's notes), not a statement of that payer's policy.
	ns := store.DefaultNoteSettings()
	ns.PayerRules = map[string]units.Rule{"Blue Cross and Blue Shield of Texas": units.AMA}
	if err := env.App.SaveNoteSettings(ctx, env.Owner, ns); err != nil {
		return err
	}
	db := env.App.DB
	now := env.Today
	list, err := db.Appointments(ctx, store.AppointmentFilter{OrgID: env.Org.ID, From: now.AddDate(0, 0, -8), To: now})
	if err != nil {
		return err
	}
	zone := app.LocationZone(env.Org, &env.Locations[0])
	n := 0
	return db.Tx(ctx, func(tx *sql.Tx) error {
		for _, x := range list {
			if x.Status != schedule.Completed || x.ServiceName == "" || x.End.After(now) {
				continue
			}
			d := demoSessions[n%len(demoSessions)]
			techs, homeCare := d.known()
			before, after, pressure := d.before, d.after, 3
			note := &care.SOAPNote{OrgID: env.Org.ID, ClientID: x.ClientID, AppointmentID: x.ID, TherapistID: x.TherapistID,
				ServiceDate: x.Start.In(zone).Format("2006-01-02"), Kind: care.NoteDaily,
				Subjective: d.s, PainBefore: &before, Objective: d.o, Assessment: d.a, PainAfter: &after, Tolerance: "good",
				Plan: d.p, HomeCare: homeCare, NextVisit: "Same time next week", Pressure: &pressure, Techniques: techs,
				ScreeningAcknowledged: true, ScreeningAckAt: x.Start}
			if err := note.Validate(); err != nil {
				continue // a region the catalogue does not know: leave this one out
			}
			if err := db.CreateNote(ctx, tx, note); err != nil {
				return err
			}
			signed := x.End.Add(90 * time.Minute)
			if n == 2 {
				signed = x.End.Add(30 * time.Hour) // one late entry
			}
			if signed.After(now) {
				signed = now
			}
			if _, err := db.SignNote(ctx, tx, env.Org.ID, note.ID, note.Version, x.TherapistID, signed, x.End); err != nil {
				return err
			}
			if n == 0 {
				if err := db.AddAddendum(ctx, tx, &care.Addendum{OrgID: env.Org.ID, NoteID: note.ID, Reason: "Corrected the side of the trigger point",
					Text: "The active trigger point was in the left upper trapezius, not the right.", SignedBy: x.TherapistID, SignedAt: signed.Add(time.Hour)}); err != nil {
					return err
				}
			}
			n++
			if n == 12 {
				break
			}
		}
		return nil
	})
}

// known are the session's techniques and home care that the catalogue and
// the library know (the demo's text is written ahead of them).
func (d demoSession) known() ([]care.PerformedTechnique, []string) {
	var techs []care.PerformedTechnique
	for _, t := range d.techniques {
		if validTechnique(t) {
			techs = append(techs, t)
		}
	}
	var homeCare []string
	for _, k := range d.homeCare {
		if _, ok := care.HomeCareByKey(k); ok {
			homeCare = append(homeCare, k)
		}
	}
	return techs, homeCare
}

func validTechnique(t care.PerformedTechnique) bool {
	n := care.SOAPNote{ServiceDate: "2026-01-01", Kind: care.NoteDaily, Techniques: []care.PerformedTechnique{t}}
	return n.Validate() == nil
}
