package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
)

// demoRx is one demo prescription, dated relative to today, with the
// payer's authorization when there is one.
type demoRx struct {
	client    int // index into the clients in the order they were created
	physician int // index into demoPhysicians
	written   int // days before today
	perWeek   int
	weeks     int
	visits    int // 0: perWeek × weeks
	dx        []string
	treatment string
	caution   string
	scan      bool
	auth      *demoAuth
}

type demoAuth struct {
	payer, number string
	visits, used  int
	start, end    int // days from today (negative: before)
}

// demoPrescriptions: several in force, one expiring within the week (the
// third client, /clients/3, whose authorization also has two visits
// left), expired ones, and one renewed after it expired. Diagnoses are the
// billable codes massage prescriptions commonly carry
// (../shared/reference/billing.md §5).
var demoPrescriptions = []demoRx{
	{client: 0, physician: 0, written: 20, perWeek: 2, weeks: 6, dx: []string{"M54.2", "G44.209"},
		treatment: "Medical massage to the cervical and upper thoracic region: myofascial release, trigger point therapy, gentle stretching.",
		caution:   "No high-velocity neck manipulation. Stop if headache worsens or dizziness occurs.", scan: true,
		auth: &demoAuth{"Blue Cross and Blue Shield of Texas", "BTX-26-448120", 12, 3, -18, 40}},
	{client: 1, physician: 1, written: 100, perWeek: 1, weeks: 8, dx: []string{"M54.50", "M79.18"},
		treatment: "Therapeutic massage, lumbar and gluteal region; soft-tissue mobilization.",
		caution:   "Avoid prone positioning longer than 20 minutes."},
	{client: 2, physician: 2, written: 37, perWeek: 2, weeks: 6, dx: []string{"S13.4XXA", "M54.2"},
		treatment: "Medical massage after motor vehicle collision (whiplash): cervical soft-tissue work, myofascial release, range-of-motion support.",
		caution:   "Light to moderate pressure only over the cervical spine for the first 4 weeks. No cervical traction.", scan: true,
		auth: &demoAuth{"UnitedHealthcare", "UHC-A1-90317", 12, 10, -35, 30}},
	{client: 3, physician: 3, written: 10, perWeek: 1, weeks: 10, dx: []string{"G43.909", "M54.2"},
		treatment: "Massage therapy for migraine prevention: neck, shoulders, scalp and suboccipital release.",
		caution:   "Dim light and no scented oils (migraine triggers)."},
	{client: 6, physician: 4, written: 5, perWeek: 3, weeks: 4, dx: []string{"S16.1XXA"},
		treatment: "Medical massage for a work-related neck strain: soft-tissue mobilization and myofascial release, cervical and upper trapezius.",
		caution:   "Workers' compensation claim: document pain and function at each visit.", scan: true,
		auth: &demoAuth{"Texas Mutual Insurance Company", "TM-WC-2026-55871", 12, 0, -5, 28}},
	{client: 7, physician: 0, written: 60, perWeek: 1, weeks: 12, dx: []string{"M79.7"},
		treatment: "Gentle full-body Swedish massage for fibromyalgia; pressure to the client's tolerance.",
		caution:   "Light pressure; sessions of 45 minutes at most at first. Stop if a flare begins."},
	{client: 8, physician: 1, written: 200, perWeek: 2, weeks: 6, dx: []string{"G56.01"},
		treatment: "Soft-tissue mobilization of the right forearm, wrist and hand; median nerve glides.",
		caution:   "No sustained pressure over the carpal tunnel."},
	{client: 8, physician: 1, written: 30, perWeek: 1, weeks: 12, dx: []string{"G56.01", "M79.18"},
		treatment: "Continue soft-tissue mobilization of the right forearm, wrist and hand.",
		caution:   "No sustained pressure over the carpal tunnel.", scan: true},
	{client: 10, physician: 2, written: 130, perWeek: 2, weeks: 8, dx: []string{"M75.01"},
		treatment: "Massage and passive range of motion for adhesive capsulitis of the right shoulder.",
		caution:   "Within a pain-free range; no forced end-range stretching.",
		auth:      &demoAuth{"Aetna", "AET-7741209", 16, 16, -128, -75}},
	{client: 12, physician: 3, written: 14, perWeek: 2, weeks: 8, dx: []string{"I89.0"},
		treatment: "Manual lymph drainage of the left upper limb and trunk.",
		caution:   "Lymphedema: no deep pressure, heat or blood-pressure cuff on the left arm."},
	{client: 14, physician: 6, written: 21, perWeek: 1, weeks: 6, dx: []string{"M72.2"},
		treatment: "Soft-tissue work of the plantar fascia and calf, as an adjunct to physical therapy.",
		caution:   "Avoid deep pressure at the medial calcaneal tubercle."},
}

// seedPrescriptions records the demo prescriptions the way the front desk
// would: through the app, with scans for some, so permissions, checks and
// the audit trail apply.
func seedPrescriptions(ctx context.Context, env *SeedEnv, ps []clinic.Physician) error {
	a := env.App
	cs := byID(env.Clients)
	today, err := time.Parse(clinic.DateLayout, a.ClinicDate(env.Owner))
	if err != nil {
		return err
	}
	day := func(n int) string { return today.AddDate(0, 0, n).Format(clinic.DateLayout) }
	for _, d := range demoPrescriptions {
		if d.client >= len(cs) {
			continue
		}
		c, doc := cs[d.client], ps[d.physician]
		p := &care.Prescription{ClientID: c.ID, PhysicianID: doc.ID, WrittenOn: day(-d.written), Diagnoses: d.dx,
			OrderedTreatment: d.treatment, FrequencyPerWeek: d.perWeek, DurationWeeks: d.weeks, Visits: d.visits, Precautions: d.caution}
		var scan *app.Upload
		if d.scan {
			scan = &app.Upload{Filename: "Rx " + c.LastName + " " + p.WrittenOn + ".pdf", Data: scanPDF(doc, c, p)}
		}
		if err := a.CreatePrescription(ctx, env.Owner, p, scan); err != nil {
			return fmt.Errorf("prescription of client %d: %w", c.ID, err)
		}
		if d.auth != nil {
			au := &care.Authorization{ClientID: c.ID, PrescriptionID: p.ID, Payer: d.auth.payer, Number: d.auth.number,
				VisitsAuthorized: d.auth.visits, VisitsUsed: d.auth.used, StartOn: day(d.auth.start), EndOn: day(d.auth.end)}
			if err := a.CreateAuthorization(ctx, env.Owner, au); err != nil {
				return fmt.Errorf("authorization of client %d: %w", c.ID, err)
			}
		}
	}
	return nil
}

// scanPDF makes a one-page PDF that reads like the prescription on the
// physician's letterhead, standing in for a scan.
func scanPDF(doc clinic.Physician, c clinic.Client, p *care.Prescription) []byte {
	lines := []string{
		doc.Practice, doc.Address1 + ", " + doc.City + ", " + doc.State + " " + doc.Zip, "Phone " + doc.Phone + "   Fax " + doc.Fax, "",
		"PRESCRIPTION FOR MASSAGE THERAPY", "",
		"Patient: " + c.FirstName + " " + c.LastName + "    Date of birth: " + c.DOB,
		"Date: " + p.WrittenOn, "",
		"Diagnoses (ICD-10-CM): " + strings.Join(p.Diagnoses, ", "),
		fmt.Sprintf("Frequency: %d per week for %d weeks", p.FrequencyPerWeek, p.DurationWeeks), "",
	}
	lines = append(lines, wrap("Treatment: "+p.OrderedTreatment, 80)...)
	lines = append(lines, wrap("Precautions: "+p.Precautions, 80)...)
	lines = append(lines, "", "", doc.DisplayName(), "NPI "+doc.NPI)
	return onePagePDF(lines)
}

func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			out = append(out, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	return append(out, line)
}

// onePagePDF writes lines of Helvetica on a US Letter page: the smallest
// whole PDF (catalog, page tree, page, font, content, cross-references).
func onePagePDF(lines []string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 11 Tf 72 720 Td 15 TL\n")
	for _, l := range lines {
		ascii := strings.Map(func(r rune) rune {
			if r < 32 || r > 126 {
				return '?'
			}
			return r
		}, l)
		fmt.Fprintf(&content, "(%s) Tj T*\n", strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`).Replace(ascii))
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
