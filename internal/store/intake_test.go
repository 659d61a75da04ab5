package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

type intakeFixture struct {
	org, other *clinic.Organisation
	client     *clinic.Client
	therapist  *clinic.User
}

func intakeSetup(t *testing.T, db *store.DB) intakeFixture {
	t.Helper()
	ctx := context.Background()
	var f intakeFixture
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		f.org = &clinic.Organisation{Name: "Main Street Massage", Slug: "main"}
		f.other = &clinic.Organisation{Name: "Other", Slug: "other"}
		for _, o := range []*clinic.Organisation{f.org, f.other} {
			if err := db.CreateOrg(ctx, tx, o); err != nil {
				return err
			}
		}
		loc := &clinic.Location{OrgID: f.org.ID, Name: "Downtown"}
		if err := db.CreateLocation(ctx, tx, loc); err != nil {
			return err
		}
		f.therapist = &clinic.User{OrgID: f.org.ID, Email: "tess@example.com", Name: "Tess", Role: clinic.RoleTherapist, LocationIDs: []int64{loc.ID}}
		if err := db.CreateUser(ctx, tx, f.therapist, "hash"); err != nil {
			return err
		}
		f.client = &clinic.Client{OrgID: f.org.ID, FirstName: "Ann", LastName: "Smith", DOB: "1971-04-09", Sex: clinic.SexFemale, PreferredLocationID: loc.ID}
		return db.CreateClient(ctx, tx, f.client)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func signedFor(t *testing.T, in *care.Intake, docs []care.ConsentDocument) []byte {
	t.Helper()
	b, err := care.SignedBytes(in, docs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestIntakeStorage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := intakeSetup(t, db)
		tx := func(fn func(tx *sql.Tx) error) error { return db.Tx(ctx, fn) }

		// Consent documents: each save a new version; old versions kept as they were.
		v1 := &care.ConsentDocument{OrgID: f.org.ID, Kind: care.ConsentTreatment, Title: "Consent", Body: "I agree to massage therapy."}
		v2 := &care.ConsentDocument{OrgID: f.org.ID, Kind: care.ConsentTreatment, Title: "Consent", Body: "I agree to massage therapy, revised."}
		priv := &care.ConsentDocument{OrgID: f.org.ID, Kind: care.ConsentPrivacy, Title: "Privacy", Body: "We keep your records private."}
		for _, d := range []*care.ConsentDocument{v1, priv} {
			if err := tx(func(tx *sql.Tx) error { return db.SaveConsent(ctx, tx, d) }); err != nil {
				t.Fatal(err)
			}
		}
		if v1.Version != 1 || priv.Version != 1 {
			t.Fatalf("versions %d %d", v1.Version, priv.Version)
		}
		if err := tx(func(tx *sql.Tx) error {
			return db.SaveConsent(ctx, tx, &care.ConsentDocument{OrgID: f.org.ID, Kind: "waiver", Title: "x", Body: "a long enough body text"})
		}); errs.Code(err) != errs.Invalid {
			t.Errorf("unknown kind: %v", err)
		}
		cur, err := db.CurrentConsents(ctx, f.org.ID)
		if err != nil || len(cur) != 2 || cur[0].ID != v1.ID || cur[1].ID != priv.ID {
			t.Fatalf("current consents: %+v %v", cur, err)
		}

		// A link, and an intake signed through it.
		link := &store.IntakeLink{OrgID: f.org.ID, ClientID: f.client.ID, CreatedBy: f.therapist.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := tx(func(tx *sql.Tx) error { return db.CreateIntakeLink(ctx, tx, link, "hash-1") }); err != nil {
			t.Fatal(err)
		}
		otherLink := &store.IntakeLink{OrgID: f.other.ID, ClientID: f.client.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := tx(func(tx *sql.Tx) error { return db.CreateIntakeLink(ctx, tx, otherLink, "hash-x") }); errs.Code(err) != errs.NotFound {
			t.Errorf("a link for another organisation's client: %v", err)
		}
		got, err := db.IntakeLinkByHash(ctx, "hash-1")
		if err != nil || got.ID != link.ID || !got.Live(time.Now()) {
			t.Fatalf("link by hash: %+v %v", got, err)
		}
		if _, err := db.IntakeLinkByHash(ctx, "nope\x00"); errs.Code(err) != errs.NotFound {
			t.Errorf("unknown hash: %v", err)
		}
		in := care.Intake{OrgID: f.org.ID, ClientID: f.client.ID, ReasonForVisit: "Stiff neck", Conditions: []string{"hypertension"},
			Medications: []care.Medication{{Name: "Warfarin", Class: "anticoagulant"}}, SignedBy: "Ann Smith", SignatureKind: "drawn",
			SignaturePNG: []byte{0x89, 'P', 'N', 'G', 0, 1, 2}, SignedFrom: "192.0.2.7", Source: "link"}
		docs := []care.ConsentDocument{*v1, *priv}
		doc := signedFor(t, &in, docs)
		if err := tx(func(tx *sql.Tx) error { return db.InsertIntake(ctx, tx, &in, doc, link.ID) }); err != nil {
			t.Fatal(err)
		}
		if in.Version != 1 || in.ContentHash != care.HashSigned(doc) || in.ID == 0 {
			t.Fatalf("stored intake %+v", in)
		}
		if l, _ := db.IntakeLinkByHash(ctx, "hash-1"); l.UsedAt.IsZero() || l.Live(time.Now()) {
			t.Errorf("the link is not used up: %+v", l)
		}
		// The link cannot sign twice.
		again := in
		if err := tx(func(tx *sql.Tx) error { return db.InsertIntake(ctx, tx, &again, doc, link.ID) }); errs.Code(err) != errs.Gone {
			t.Errorf("second signing through a used link: %v", err)
		}

		// The owner edits the consent after signing: the stored hash and bytes do not change.
		if err := tx(func(tx *sql.Tx) error { return db.SaveConsent(ctx, tx, v2) }); err != nil || v2.Version != 2 {
			t.Fatalf("second version: %v %d", err, v2.Version)
		}
		read, err := db.IntakeVersion(ctx, f.org.ID, f.client.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if read.ContentHash != care.HashSigned(doc) || read.ReasonForVisit != "Stiff neck" || read.Medications[0].Class != "anticoagulant" ||
			string(read.SignaturePNG) != string(in.SignaturePNG) || read.SignedFrom != "192.0.2.7" || read.SignatureKind != "drawn" ||
			len(read.Consents) != 2 || read.Consents[0].ID != v1.ID || read.Consents[0].Version != 1 {
			t.Errorf("read back %+v", read)
		}
		// Recomputed from what is stored, with the consent versions it points at, the hash matches.
		ids := []int64{read.Consents[0].ID, read.Consents[1].ID}
		signedDocs, err := db.ConsentsByID(ctx, f.org.ID, ids)
		if err != nil {
			t.Fatal(err)
		}
		if care.HashSigned(signedFor(t, read, signedDocs)) != read.ContentHash {
			t.Errorf("the recomputed hash differs from the stored one")
		}
		if _, err := db.ConsentsByID(ctx, f.other.ID, ids); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation reads the consents: %v", err)
		}
		stored, hash, err := db.SignedIntake(ctx, f.org.ID, in.ID)
		if err != nil || string(stored) != string(doc) || hash != read.ContentHash {
			t.Errorf("stored signed bytes differ: %v", err)
		}

		// No way to change a signed intake, even with direct SQL.
		for _, q := range []string{
			"UPDATE intakes SET signed_doc = '{}' WHERE id = $1",
			"UPDATE intakes SET content_hash = 'forged' WHERE id = $1",
			"DELETE FROM intakes WHERE id = $1",
			"INSERT INTO intakes (org_id, client_id, version, signed_doc, content_hash, signed_at, signed_by, signature_kind, source) SELECT org_id, client_id, version, '{}', 'x', 0, 'x', 'typed', 'link' FROM intakes WHERE id = $1 ON CONFLICT (client_id, version) DO UPDATE SET signed_doc = excluded.signed_doc",
		} {
			if _, err := db.ExecForTest(ctx, q, in.ID); err == nil {
				t.Errorf("%s… succeeded", q[:40])
			}
		}
		if db.Engine == store.SQLite {
			if _, err := db.ExecForTest(ctx, "INSERT OR REPLACE INTO intakes (id, org_id, client_id, version, signed_doc, content_hash, signed_at, signed_by, signature_kind, source) VALUES ($1, $2, $3, 1, '{}', 'x', 0, 'x', 'typed', 'link')", in.ID, f.org.ID, f.client.ID); err == nil {
				t.Errorf("INSERT OR REPLACE overwrote a signed intake")
			}
		}
		for _, q := range []string{"UPDATE consent_documents SET body = 'changed' WHERE id = $1", "DELETE FROM consent_documents WHERE id = $1"} {
			if _, err := db.ExecForTest(ctx, q, v1.ID); err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
		if now, _, _ := db.SignedIntake(ctx, f.org.ID, in.ID); string(now) != string(doc) {
			t.Errorf("the signed intake changed")
		}

		// An update is a new version.
		link2 := &store.IntakeLink{OrgID: f.org.ID, ClientID: f.client.ID, ExpiresAt: time.Now().Add(time.Hour)}
		if err := tx(func(tx *sql.Tx) error { return db.CreateIntakeLink(ctx, tx, link2, "hash-2") }); err != nil {
			t.Fatal(err)
		}
		upd := care.Intake{OrgID: f.org.ID, ClientID: f.client.ID, ReasonForVisit: "Stiff neck and back", SignedBy: "Ann Smith", SignatureKind: "typed", Source: "link"}
		if err := tx(func(tx *sql.Tx) error {
			return db.InsertIntake(ctx, tx, &upd, signedFor(t, &upd, []care.ConsentDocument{*v2, *priv}), link2.ID)
		}); err != nil || upd.Version != 2 {
			t.Fatalf("update: %v version %d", err, upd.Version)
		}
		all, err := db.Intakes(ctx, f.org.ID, f.client.ID)
		if err != nil || len(all) != 2 || all[0].Version != 2 || all[1].Version != 1 || all[1].ReasonForVisit != "Stiff neck" || all[0].SignaturePNG != nil {
			t.Fatalf("versions: %+v %v", all, err)
		}
		if l, err := db.LatestIntake(ctx, f.org.ID, f.client.ID); err != nil || l.Version != 2 || len(l.Consents) != 2 || l.Consents[1] != (care.ConsentRef{ID: v2.ID, Kind: care.ConsentTreatment, Version: 2}) {
			t.Errorf("latest: %+v %v", l, err)
		}
		// Another organisation sees none of it.
		if o, err := db.Intakes(ctx, f.other.ID, f.client.ID); err != nil || len(o) != 0 {
			t.Errorf("another organisation lists %d intakes", len(o))
		}
		if _, err := db.IntakeVersion(ctx, f.other.ID, f.client.ID, 1); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation reads an intake: %v", err)
		}
		if _, err := db.LatestIntake(ctx, f.org.ID, 999999); errs.Code(err) != errs.NotFound {
			t.Errorf("latest of a client without intakes: %v", err)
		}

		// Review: once.
		if err := tx(func(tx *sql.Tx) error { return db.ReviewIntake(ctx, tx, f.org.ID, upd.ID, f.therapist.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(func(tx *sql.Tx) error { return db.ReviewIntake(ctx, tx, f.org.ID, upd.ID, f.therapist.ID) }); errs.Code(err) != errs.Conflict {
			t.Errorf("second review: %v", err)
		}
		if err := tx(func(tx *sql.Tx) error { return db.ReviewIntake(ctx, tx, f.other.ID, in.ID, f.therapist.ID) }); errs.Code(err) != errs.NotFound {
			t.Errorf("review by another organisation: %v", err)
		}
		if l, _ := db.LatestIntake(ctx, f.org.ID, f.client.ID); l.ReviewedAt.IsZero() || l.ReviewedBy != f.therapist.ID || l.ReviewedByName != "Tess" {
			t.Errorf("review not recorded: %+v", l)
		}

		// Expired and revoked links sign nothing.
		expired := &store.IntakeLink{OrgID: f.org.ID, ClientID: f.client.ID, ExpiresAt: time.Now().Add(-time.Minute)}
		revoked := &store.IntakeLink{OrgID: f.org.ID, ClientID: f.client.ID, ExpiresAt: time.Now().Add(time.Hour)}
		for i, l := range []*store.IntakeLink{expired, revoked} {
			if err := tx(func(tx *sql.Tx) error { return db.CreateIntakeLink(ctx, tx, l, "hash-e"+string(rune('a'+i))) }); err != nil {
				t.Fatal(err)
			}
		}
		if open, _ := db.OpenIntakeLinks(ctx, f.org.ID, f.client.ID); len(open) != 1 || open[0].ID != revoked.ID {
			t.Errorf("open links: %+v", open)
		}
		if err := tx(func(tx *sql.Tx) error { return db.RevokeIntakeLink(ctx, tx, f.org.ID, f.client.ID, revoked.ID) }); err != nil {
			t.Fatal(err)
		}
		if err := tx(func(tx *sql.Tx) error { return db.RevokeIntakeLink(ctx, tx, f.org.ID, f.client.ID, revoked.ID) }); errs.Code(err) != errs.NotFound {
			t.Errorf("revoking twice: %v", err)
		}
		for _, l := range []*store.IntakeLink{expired, revoked} {
			x := upd
			if err := tx(func(tx *sql.Tx) error { return db.InsertIntake(ctx, tx, &x, signedFor(t, &x, nil), l.ID) }); errs.Code(err) != errs.Gone {
				t.Errorf("signing through a dead link: %v", err)
			}
		}
		if all, _ := db.Intakes(ctx, f.org.ID, f.client.ID); len(all) != 2 {
			t.Errorf("%d versions after refused signings", len(all))
		}
		// Unstorable text is refused, not a driver error.
		bad := upd
		bad.SignedBy = "Ann\x00"
		if err := tx(func(tx *sql.Tx) error { return db.InsertIntake(ctx, tx, &bad, signedFor(t, &bad, nil), 0) }); errs.Code(err) != errs.Invalid {
			t.Errorf("NUL in the signer's name: %v", err)
		}

		// Settings.
		s, err := db.IntakeSettingsOf(ctx, f.org.ID)
		if err != nil || s.LinkDays != 7 || s.YearlyUpdate {
			t.Errorf("default settings %+v %v", s, err)
		}
		if err := tx(func(tx *sql.Tx) error {
			return db.SaveIntakeSettings(ctx, tx, f.org.ID, store.IntakeSettings{LinkDays: 14, YearlyUpdate: true})
		}); err != nil {
			t.Fatal(err)
		}
		if err := tx(func(tx *sql.Tx) error {
			return db.SaveIntakeSettings(ctx, tx, f.org.ID, store.IntakeSettings{LinkDays: 3})
		}); err != nil {
			t.Fatal(err)
		}
		if s, _ := db.IntakeSettingsOf(ctx, f.org.ID); s.LinkDays != 3 || s.YearlyUpdate {
			t.Errorf("saved settings %+v", s)
		}
		if err := tx(func(tx *sql.Tx) error {
			return db.SaveIntakeSettings(ctx, tx, f.org.ID, store.IntakeSettings{LinkDays: 0})
		}); errs.Code(err) != errs.Invalid {
			t.Errorf("0 link days: %v", err)
		}
		if h, _ := db.ConsentHistory(ctx, f.org.ID); len(h) != 3 || !strings.Contains(h[1].Body+h[2].Body, "revised") {
			t.Errorf("history: %+v", h)
		}
	})
}
