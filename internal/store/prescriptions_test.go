package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testdb"
)

func tx(t *testing.T, db *store.DB, fn func(tx *sql.Tx) error) error {
	t.Helper()
	return db.Tx(context.Background(), fn)
}

func addPhysician(t *testing.T, db *store.DB, p *clinic.Physician) {
	t.Helper()
	if err := tx(t, db, func(tx *sql.Tx) error { return db.CreatePhysician(context.Background(), tx, p) }); err != nil {
		t.Fatalf("create physician %s: %v", p.Name, err)
	}
}

func TestPhysicianDirectory(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		kim := &clinic.Physician{OrgID: f.org.ID, Name: "Sarah Kim", Credentials: "MD", Specialty: "Family medicine", NPI: "1234 567 893",
			Practice: "Barton Springs Family Medicine", Phone: "512-555-0142", City: "Austin", State: "TX"}
		addPhysician(t, db, kim)
		addPhysician(t, db, &clinic.Physician{OrgID: f.org.ID, Name: "Luis Ortega", Credentials: "DC", Kind: clinic.KindChiropractor, NPI: "1245319599", Practice: "Ortega Chiropractic", City: "Round Rock"})
		addPhysician(t, db, &clinic.Physician{OrgID: f.org.ID, Name: "Eastside Running Club", Kind: clinic.KindOtherSource})
		addPhysician(t, db, &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Sarah Kimball", Credentials: "MD", NPI: "1003000126"})

		got, err := db.Physician(ctx, f.org.ID, kim.ID)
		if err != nil || got.NPI != "1234567893" || got.Phone != "(512) 555-0142" || got.Version != 1 || got.Kind != clinic.KindPhysician {
			t.Fatalf("read back %+v, %v", got, err)
		}
		if _, err := db.Physician(ctx, f.otherOrg.ID, kim.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another organisation read the entry: %v", err)
		}
		// The same NPI twice in one directory is a conflict; in another organisation's it is not.
		err = tx(t, db, func(tx *sql.Tx) error {
			return db.CreatePhysician(ctx, tx, &clinic.Physician{OrgID: f.org.ID, Name: "Sarah J. Kim", NPI: "1234567893"})
		})
		if errs.Code(err) != errs.Conflict || errs.FieldsOf(err)["npi"] == "" {
			t.Errorf("duplicate NPI: %v", err)
		}
		addPhysician(t, db, &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Sarah Kim", NPI: "1234567893"})

		names := func(q string, kind clinic.PhysicianKind) string {
			ps, err := db.SearchPhysicians(ctx, f.org.ID, clinic.PhysicianFilter{Query: q, Kind: kind})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var s []string
			for _, p := range ps {
				s = append(s, p.Name)
			}
			return strings.Join(s, ",")
		}
		for q, want := range map[string]string{
			"":               "Eastside Running Club,Luis Ortega,Sarah Kim",
			"kim":            "Sarah Kim",
			"KIM sar":        "Sarah Kim",
			"family":         "Sarah Kim",
			"barton spr":     "Sarah Kim",
			"round rock":     "Luis Ortega",
			"chiro":          "Luis Ortega",
			"12":             "Luis Ortega,Sarah Kim",
			"1245":           "Luis Ortega",
			"im":             "", // words match from their start
			"%":              "",
			"_":              "",
			"kim' OR '1'='1": "",
			"\xff\x00":       "",
		} {
			if got := names(q, ""); got != want {
				t.Errorf("search %q = %q, want %q", q, got, want)
			}
		}
		if got := names("", clinic.KindOtherSource); got != "Eastside Running Club" {
			t.Errorf("search by kind = %q", got)
		}

		// Updates carry the version read.
		stale := *got
		got.Specialty = "Sports medicine"
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdatePhysician(ctx, tx, got) }); err != nil || got.Version != 2 {
			t.Fatalf("update: %v (version %d)", err, got.Version)
		}
		stale.Phone = "512-555-0199"
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdatePhysician(ctx, tx, &stale) }); errs.Code(err) != errs.Conflict {
			t.Errorf("stale update: %v", err)
		}
		if now, _ := db.Physician(ctx, f.org.ID, kim.ID); now.Specialty != "Sports medicine" || now.Phone != "(512) 555-0142" {
			t.Errorf("after a stale update: %+v", now)
		}
		if names("sports", "") != "Sarah Kim" {
			t.Errorf("search does not find the new specialty")
		}
		// Another organisation cannot update it.
		other := *got
		other.OrgID, other.Name = f.otherOrg.ID, "Taken"
		if err := tx(t, db, func(tx *sql.Tx) error { return db.UpdatePhysician(ctx, tx, &other) }); errs.Code(err) != errs.NotFound {
			t.Errorf("other org update: %v", err)
		}
		// Text neither engine can store alike is refused on both.
		for _, bad := range []string{"a\x00b", "\xff\xfe", strings.Repeat("x", 101)} {
			err := tx(t, db, func(tx *sql.Tx) error {
				return db.CreatePhysician(ctx, tx, &clinic.Physician{OrgID: f.org.ID, Name: bad})
			})
			if errs.Code(err) != errs.Invalid {
				t.Errorf("name %.10q: %v", bad, err)
			}
		}
	})
}

func TestReferrals(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		kim := &clinic.Physician{OrgID: f.org.ID, Name: "Sarah Kim"}
		ortega := &clinic.Physician{OrgID: f.org.ID, Name: "Luis Ortega", Kind: clinic.KindChiropractor}
		elsewhere := &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Elsewhere Doctor"}
		for _, p := range []*clinic.Physician{kim, ortega, elsewhere} {
			addPhysician(t, db, p)
		}
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		bob := newClient(f, "Bob", "Jones", "1980-01-02")
		cy := newClient(f, "Cy", "North", "1982-03-04")
		cy.PreferredLocationID = f.locB.ID
		for _, c := range []*clinic.Client{ann, bob, cy} {
			create(t, db, c)
		}
		set := func(r clinic.Referral) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.SetReferral(ctx, tx, f.org.ID, &r, f.therapist.ID) })
		}
		if _, err := db.Referral(ctx, f.org.ID, ann.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("no referral yet: %v", err)
		}
		for _, r := range []clinic.Referral{
			{ClientID: ann.ID, PhysicianID: ortega.ID, ReferredOn: "2026-08-03"},
			{ClientID: ann.ID, PhysicianID: kim.ID, ReferredOn: "09/14/2026"}, // replaces the first
			{ClientID: bob.ID, PhysicianID: kim.ID, ReferredOn: "2026-09-30"},
			{ClientID: cy.ID, PhysicianID: kim.ID, ReferredOn: "2026-10-01"},
		} {
			if err := set(r); err != nil {
				t.Fatalf("set %+v: %v", r, err)
			}
		}
		r, err := db.Referral(ctx, f.org.ID, ann.ID)
		if err != nil || r.PhysicianID != kim.ID || r.ReferredOn != "2026-09-14" || r.Physician == nil || r.Physician.Name != "Sarah Kim" {
			t.Fatalf("referral of Ann: %+v, %v", r, err)
		}
		// Another organisation's source or client is refused; nothing changes.
		if err := set(clinic.Referral{ClientID: bob.ID, PhysicianID: elsewhere.ID, ReferredOn: "2026-10-02"}); errs.Code(err) != errs.Invalid {
			t.Errorf("another org's source: %v", err)
		}
		err = tx(t, db, func(tx *sql.Tx) error {
			return db.SetReferral(ctx, tx, f.otherOrg.ID, &clinic.Referral{ClientID: bob.ID, PhysicianID: elsewhere.ID, ReferredOn: "2026-10-02"}, 0)
		})
		if errs.Code(err) != errs.NotFound {
			t.Errorf("another org's client: %v", err)
		}
		if _, err := db.Referral(ctx, f.otherOrg.ID, ann.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another org reads the referral: %v", err)
		}

		counts := func(locs []int64) string {
			cs, err := db.ReferralCounts(ctx, f.org.ID, "2026-01-01", "2026-12-31", locs)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, c := range cs {
				name := map[int64]string{kim.ID: "kim", ortega.ID: "ortega"}[c.PhysicianID]
				s = append(s, name+" "+c.Month+" "+strconv.Itoa(c.Count))
			}
			return strings.Join(s, ", ")
		}
		if got := counts(nil); got != "kim 2026-09 2, kim 2026-10 1" {
			t.Errorf("counts = %s", got)
		}
		if got := counts([]int64{f.locA.ID}); got != "kim 2026-09 2" {
			t.Errorf("counts at location A = %s", got)
		}
		if got := counts([]int64{}); got != "" {
			t.Errorf("counts at no location = %s", got)
		}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.ClearReferral(ctx, tx, f.org.ID, bob.ID) }); err != nil {
			t.Fatal(err)
		}
		if got := counts(nil); got != "kim 2026-09 1, kim 2026-10 1" {
			t.Errorf("counts after clearing one = %s", got)
		}
	})
}

// tinyPDF is a whole, minimal PDF document.
const tinyPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func TestDocuments(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		create(t, db, ann)
		save := func(d *clinic.Document, data []byte) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.CreateDocument(ctx, tx, d, data) })
		}
		d := &clinic.Document{OrgID: f.org.ID, ClientID: ann.ID, Kind: clinic.DocumentPrescription, Filename: `C:\scans\rx kim.pdf`, UploadedBy: f.therapist.ID,
			ContentType: "text/html", Size: 1, SHA256: "forged"}
		if err := save(d, []byte(tinyPDF)); err != nil {
			t.Fatal(err)
		}
		if d.ContentType != clinic.TypePDF || d.Size != int64(len(tinyPDF)) || len(d.SHA256) != 64 || d.Filename != "rx kim.pdf" {
			t.Errorf("stored as %+v", d)
		}
		got, data, err := db.Document(ctx, f.org.ID, d.ID)
		if err != nil || !bytes.Equal(data, []byte(tinyPDF)) || got.SHA256 != d.SHA256 || got.ContentType != clinic.TypePDF || got.ClientID != ann.ID {
			t.Fatalf("read back %+v (%d bytes), %v", got, len(data), err)
		}
		if _, _, err := db.Document(ctx, f.otherOrg.ID, d.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another org reads the document: %v", err)
		}
		if ds, err := db.ClientDocuments(ctx, f.org.ID, ann.ID); err != nil || len(ds) != 1 || ds[0].ID != d.ID {
			t.Errorf("client documents: %+v, %v", ds, err)
		}
		// Bytes changed behind Fascia's back are never served.
		if _, err := db.ExecForTest(ctx, "UPDATE documents SET data = $1 WHERE id = $2", []byte(strings.Replace(tinyPDF, "Count 0", "Count 9", 1)), d.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.Document(ctx, f.org.ID, d.ID); errs.Code(err) != errs.Internal {
			t.Errorf("tampered document read: %v", err)
		}
		// Refused: not a document type, empty, another org's client, a bad kind. Nothing is stored.
		for name, c := range map[string]struct {
			d    clinic.Document
			data []byte
			code string
		}{
			"html":               {clinic.Document{OrgID: f.org.ID, ClientID: ann.ID, Kind: "prescription", Filename: "rx.pdf", UploadedBy: f.therapist.ID}, []byte("<html><script>alert(1)</script>"), errs.Invalid},
			"empty":              {clinic.Document{OrgID: f.org.ID, ClientID: ann.ID, Kind: "prescription", Filename: "rx.pdf", UploadedBy: f.therapist.ID}, nil, errs.Invalid},
			"other org's client": {clinic.Document{OrgID: f.otherOrg.ID, ClientID: ann.ID, Kind: "prescription", Filename: "rx.pdf", UploadedBy: f.therapist.ID}, []byte(tinyPDF), errs.NotFound},
			"bad kind":           {clinic.Document{OrgID: f.org.ID, ClientID: ann.ID, Kind: "Rx!", Filename: "rx.pdf", UploadedBy: f.therapist.ID}, []byte(tinyPDF), errs.Invalid},
		} {
			if err := save(&c.d, c.data); errs.Code(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if ds, _ := db.ClientDocuments(ctx, f.org.ID, ann.ID); len(ds) != 1 {
			t.Errorf("refused uploads stored %d documents", len(ds)-1)
		}
	})
}

func TestPrescriptionsAndAuthorizations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := setup(t, db)
		kim := &clinic.Physician{OrgID: f.org.ID, Name: "Sarah Kim", Credentials: "MD"}
		elsewhere := &clinic.Physician{OrgID: f.otherOrg.ID, Name: "Elsewhere Doctor"}
		addPhysician(t, db, kim)
		addPhysician(t, db, elsewhere)
		ann := newClient(f, "Ann", "Smith", "1971-04-09")
		bob := newClient(f, "Bob", "Jones", "1980-01-02")
		create(t, db, ann)
		create(t, db, bob)
		bobDoc := &clinic.Document{OrgID: f.org.ID, ClientID: bob.ID, Kind: clinic.DocumentPrescription, Filename: "bob.pdf", UploadedBy: f.therapist.ID}
		if err := tx(t, db, func(tx *sql.Tx) error { return db.CreateDocument(ctx, tx, bobDoc, []byte(tinyPDF)) }); err != nil {
			t.Fatal(err)
		}
		rx := func() *care.Prescription {
			return &care.Prescription{OrgID: f.org.ID, ClientID: ann.ID, PhysicianID: kim.ID, WrittenOn: "2026-09-01",
				Diagnoses: []string{"G44.209", "M54.2", "M79.7"}, OrderedTreatment: "Medical massage, neck and shoulders", FrequencyPerWeek: 1, DurationWeeks: 8,
				Precautions: "No deep pressure over the anterior neck.", CreatedBy: f.therapist.ID}
		}
		addRx := func(p *care.Prescription) error {
			return tx(t, db, func(tx *sql.Tx) error {
				if p.DocumentID == -1 {
					d := &clinic.Document{OrgID: p.OrgID, ClientID: p.ClientID, Kind: clinic.DocumentPrescription, Filename: "x.pdf", UploadedBy: f.therapist.ID}
					if err := db.CreateDocument(ctx, tx, d, []byte(tinyPDF)); err != nil {
						return err
					}
					p.DocumentID = d.ID
				}
				return db.CreatePrescription(ctx, tx, p)
			})
		}
		first := rx()
		first.DocumentID = -1
		if err := addRx(first); err != nil {
			t.Fatal(err)
		}
		second := rx()
		second.WrittenOn, second.Diagnoses, second.Visits, second.ExpiresOn = "2026-11-02", []string{"M54.50"}, 6, "2027-01-31"
		if err := addRx(second); err != nil {
			t.Fatal(err)
		}
		ps, err := db.Prescriptions(ctx, f.org.ID, ann.ID)
		if err != nil || len(ps) != 2 {
			t.Fatalf("prescriptions: %+v, %v", ps, err)
		}
		if ps[0].ID != second.ID || ps[1].ID != first.ID {
			t.Errorf("not newest first: %d, %d", ps[0].ID, ps[1].ID)
		}
		p := ps[1]
		if strings.Join(p.Diagnoses, " ") != "G44.209 M54.2 M79.7" || p.PhysicianName != "Sarah Kim, MD" || p.Visits != 8 || p.StartOn != "2026-09-01" ||
			p.ExpiresOn != "2026-10-26" || p.DocumentID != first.DocumentID || p.Precautions != first.Precautions || p.Version != 1 || p.CreatedBy != f.therapist.ID {
			t.Errorf("read back %+v", p)
		}
		if one, err := db.Prescription(ctx, f.org.ID, first.ID); err != nil || strings.Join(one.Diagnoses, " ") != "G44.209 M54.2 M79.7" {
			t.Errorf("one prescription: %+v, %v", one, err)
		}
		if _, err := db.Prescription(ctx, f.otherOrg.ID, first.ID); errs.Code(err) != errs.NotFound {
			t.Errorf("another org reads a prescription: %v", err)
		}
		if ps, _ := db.Prescriptions(ctx, f.otherOrg.ID, ann.ID); len(ps) != 0 {
			t.Errorf("another org lists %d prescriptions", len(ps))
		}
		// Refused, and nothing stored: another org's physician, another client's scan, no diagnosis, another org.
		for name, c := range map[string]struct {
			edit func(p *care.Prescription)
			code string
		}{
			"other org's physician": {func(p *care.Prescription) { p.PhysicianID = elsewhere.ID }, errs.Invalid},
			"another client's scan": {func(p *care.Prescription) { p.DocumentID = bobDoc.ID }, errs.Invalid},
			"no diagnosis":          {func(p *care.Prescription) { p.Diagnoses = nil }, errs.Invalid},
			"other org":             {func(p *care.Prescription) { p.OrgID = f.otherOrg.ID; p.PhysicianID = elsewhere.ID }, errs.NotFound},
			"treatment not text":    {func(p *care.Prescription) { p.OrderedTreatment = "\xff" }, errs.Invalid},
		} {
			p := rx()
			c.edit(p)
			if err := addRx(p); errs.Code(err) != c.code {
				t.Errorf("%s: %v, want %s", name, err, c.code)
			}
		}
		if ps, _ := db.Prescriptions(ctx, f.org.ID, ann.ID); len(ps) != 2 {
			t.Errorf("refused prescriptions were stored: %d", len(ps))
		}

		addAuth := func(a *care.Authorization) error {
			return tx(t, db, func(tx *sql.Tx) error { return db.CreateAuthorization(ctx, tx, a) })
		}
		a := &care.Authorization{OrgID: f.org.ID, ClientID: ann.ID, PrescriptionID: second.ID, Payer: "Aetna", Number: "AUTH-778812", VisitsAuthorized: 6, VisitsUsed: 4,
			StartOn: "2026-11-02", EndOn: "2027-01-31", CreatedBy: f.therapist.ID}
		if err := addAuth(a); err != nil {
			t.Fatal(err)
		}
		if err := addAuth(&care.Authorization{OrgID: f.org.ID, ClientID: ann.ID, Payer: "Cigna", Number: "C-1", VisitsAuthorized: 10, StartOn: "2026-01-01", EndOn: "2026-03-31"}); err != nil {
			t.Fatal(err)
		}
		as, err := db.Authorizations(ctx, f.org.ID, ann.ID)
		if err != nil || len(as) != 2 || as[0].ID != a.ID || as[0].VisitsUsed != 4 || as[0].PrescriptionID != second.ID || as[1].PrescriptionID != 0 {
			t.Fatalf("authorizations: %+v, %v", as, err)
		}
		if err := addAuth(&care.Authorization{OrgID: f.org.ID, ClientID: bob.ID, PrescriptionID: second.ID, Payer: "Aetna", Number: "X", VisitsAuthorized: 2, StartOn: "2026-11-02", EndOn: "2027-01-31"}); errs.Code(err) != errs.Invalid {
			t.Errorf("authorization for another client's prescription: %v", err)
		}
		if as, _ := db.Authorizations(ctx, f.otherOrg.ID, ann.ID); len(as) != 0 {
			t.Errorf("another org lists authorizations")
		}
	})
}
