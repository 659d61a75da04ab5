package pdf

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
)

// NoteDoc is everything a session note prints.
type NoteDoc struct {
	Org, Location string // the clinic and the location the client is seen at
	ClientName    string
	DOB           string // YYYY-MM-DD
	TherapistName string // who wrote the note
	SignedByName  string // who signed it ("" on a draft)
	// CosignedByName is who co-signed a note that requires it.
	CosignedByName string
	Note           care.SOAPNote
	Addenda        []care.Addendum
	// Codes maps techniques and modalities to procedure codes, for the
	// code column; nil leaves the codes out.
	Codes    care.CodeMap
	Units    *units.Result // nil: no units line
	Unbilled []care.Unbilled
	Zone     *time.Location // to print the signing times; nil prints UTC
	// Diagnoses are codes with their titles, "M54.2 Cervicalgia".
	Diagnoses []string
}

// Note renders one session note as a US Letter PDF.
func Note(d NoteDoc) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	w := newWriter(Letterhead{Clinic: d.Org, Location: d.Location}, noteTitle(d.Note),
		"Date of service "+usDate(d.Note.ServiceDate), d.person(), d.Note.Status != care.NoteSigned)
	w.f.AddPage()
	w.note(d)
	return w.finish()
}

// NotesRecord renders the notes of one client for a records request: a
// cover page saying whose notes, which dates and how many, then each note
// from a new page. Page numbers run through the whole record, so a missing
// page shows.
func NotesRecord(org, client, dob, from, to string, docs []NoteDoc) ([]byte, error) {
	for i := range docs {
		if err := docs[i].check(); err != nil {
			return nil, err
		}
	}
	who := NoteDoc{ClientName: client, DOB: dob}
	period := usDate(from) + " to " + usDate(to)
	w := newWriter(Letterhead{Clinic: org}, "Session notes", period, who.person(), false)
	w.f.AddPage()
	w.docTitle("Session notes", "", "")
	w.fields(48, []field{
		{label: "Client", value: client, bold: true},
		{label: "Date of birth", value: usDate(dob)},
		{label: "Dates of service", value: period},
		{label: "Notes", value: noteCount(docs)},
		{label: "Produced on", value: time.Now().In(zoneOr(docsZone(docs))).Format("01/02/2006 at 3:04 PM MST")},
	})
	if len(docs) > 0 {
		w.heading("Contents")
		rows := make([][]cell, 0, len(docs))
		for _, d := range docs {
			status := "Signed"
			if d.Note.Status != care.NoteSigned {
				status = "DRAFT — not signed"
			} else if d.Note.LateEntry {
				status = "Signed, late entry"
			}
			rows = append(rows, []cell{cb(usDate(d.Note.ServiceDate)), c(noteTitle(d.Note)), c(d.TherapistName), c(status)})
		}
		w.table([]column{{"Date of service", 32, "L"}, {"Note", 34, "L"}, {"Therapist", 0, "L"}, {"Status", 42, "L"}}, rows)
	} else {
		w.paragraph("No session notes were written for this client in these dates.")
	}
	for _, d := range docs {
		// Each note carries its own running header and draft banner.
		w.title, w.dateLine = noteTitle(d.Note), "Date of service "+usDate(d.Note.ServiceDate)
		w.draft = d.Note.Status != care.NoteSigned
		w.lh.Location = d.Location
		w.f.AddPage()
		w.note(d)
	}
	return w.finish()
}

func noteCount(docs []NoteDoc) string {
	drafts := 0
	for _, d := range docs {
		if d.Note.Status != care.NoteSigned {
			drafts++
		}
	}
	s := plural(len(docs), "note")
	if len(docs) == 0 {
		s = "None"
	}
	if drafts > 0 {
		s += " (" + plural(drafts, "draft") + ", not signed)"
	}
	return s
}

func docsZone(docs []NoteDoc) *time.Location {
	for _, d := range docs {
		if d.Zone != nil {
			return d.Zone
		}
	}
	return nil
}

func zoneOr(z *time.Location) *time.Location {
	if z == nil {
		return time.UTC
	}
	return z
}

var errNoNote = errors.New("pdf: the note has no date of service")

func (d *NoteDoc) check() error {
	if strings.TrimSpace(d.Note.ServiceDate) == "" {
		return errNoNote
	}
	return nil
}

func (d *NoteDoc) person() Person {
	p := Person{Name: d.ClientName}
	if strings.TrimSpace(d.DOB) != "" {
		p.Detail = "DOB " + usDate(d.DOB)
	}
	return p
}

func noteTitle(n care.SOAPNote) string {
	if n.Kind == care.NoteProgress {
		return "Progress note"
	}
	return "Daily note"
}

// note draws one note from the current position of a fresh page.
func (w *writer) note(d NoteDoc) {
	n := d.Note
	w.docTitle(noteTitle(n), "Date of service "+usDate(n.ServiceDate), "")
	therapist := Person{Name: d.TherapistName, Detail: "Massage therapist"}
	w.parties([]party{{label: "Client", person: d.person()}, {label: "Therapist", person: therapist, none: "Not recorded"}})
	ds := make([]Diagnosis, 0, len(d.Diagnoses))
	for _, s := range d.Diagnoses {
		code, title, _ := strings.Cut(strings.TrimSpace(s), " ")
		ds = append(ds, Diagnosis{Code: code, Title: strings.TrimSpace(title)})
	}
	w.diagnoses(ds, nil)

	w.heading("S — Subjective")
	w.fields(44, []field{{label: "Pain before (0–10)", value: painText(n.PainBefore), bold: true}})
	w.text(n.Subjective, "Nothing recorded.")

	w.heading("O — Objective")
	w.text(n.Objective, "Nothing recorded.")
	w.noteChart(n.Marks)

	w.heading("Treatment")
	w.fields(44, []field{{label: "Pressure (0–5)", value: pressureText(n.Pressure), bold: true}})
	w.performed(n, d.Codes)
	w.unitsLine(d.Units, d.Unbilled)

	w.heading("A — Assessment")
	w.fields(44, []field{
		{label: "Pain after (0–10)", value: painAfter(n.PainBefore, n.PainAfter), bold: true},
		{label: "Tolerance", value: toleranceText(n.Tolerance)},
	})
	w.text(n.Assessment, "Nothing recorded.")

	w.heading("P — Plan")
	w.text(n.Plan, "Nothing recorded.")
	if len(n.HomeCare) > 0 {
		w.subheading("Home care")
		items := make([]string, 0, len(n.HomeCare))
		for _, k := range n.HomeCare {
			if h, ok := care.HomeCareByKey(k); ok {
				k = h.Title
			}
			items = append(items, k)
		}
		w.bullets(items)
	}
	w.fields(44, []field{{label: "Next visit", value: n.NextVisit}})

	w.noteSignature(d)
	w.addenda(d.Addenda, d.Zone)
}

// noteChartW is the body chart's width on a note: narrower than on an
// evaluation so that a short note's chart stays on its first page, still
// wide enough for the marks' numbers to survive a fax.
const noteChartW = contentW * 0.72

// noteChart draws the session's marks with the list of them in words; a
// note without marks prints no chart.
func (w *writer) noteChart(ms []assess.Mark) {
	if len(ms) == 0 {
		return
	}
	w.need(10 + 2 + chartHeight(ms, noteChartW))
	w.subheading("Body chart")
	f := w.f
	y := f.GetY() + 1
	h := BodyChart(f, marginL+(contentW-noteChartW)/2, y, noteChartW, ms)
	f.SetXY(marginL, y+h+2)
	w.font("", bodySize)
	rows := make([][]cell, 0, len(ms))
	for i, m := range ms {
		rows = append(rows, []cell{c(strconv.Itoa(i + 1)), c(m.Label()), c(m.Note)})
	}
	w.table([]column{{"#", 9, "R"}, {"Finding", 88, "L"}, {"Note", 0, "L"}}, rows)
}

// text prints a section's words, or none when nothing was written.
func (w *writer) text(s, none string) {
	if strings.TrimSpace(s) == "" {
		s = none
	}
	w.paragraph(strings.TrimSpace(s))
	w.f.SetY(w.f.GetY() + 1)
}

func painText(p *int) string {
	if p == nil {
		return "Not recorded"
	}
	return strconv.Itoa(*p) + "/10"
}

// painAfter prints the rating after treatment with the change from before.
func painAfter(before, after *int) string {
	s := painText(after)
	if before != nil && after != nil {
		s += " (before " + strconv.Itoa(*before) + "/10, change " + signedNum(float64(*after-*before)) + ")"
	}
	return s
}

// pressureNames are the words for the 0–5 pressure scale.
var pressureNames = []string{"none", "very light", "light", "moderate", "firm", "deep"}

func pressureText(p *int) string {
	if p == nil {
		return "Not recorded"
	}
	if *p >= 0 && *p < len(pressureNames) {
		return strconv.Itoa(*p) + " of 5, " + pressureNames[*p]
	}
	return strconv.Itoa(*p) + " of 5"
}

func toleranceText(t string) string {
	switch t {
	case "":
		return ""
	case "good", "fair", "poor":
		return strings.ToUpper(t[:1]) + t[1:]
	}
	return t
}

// modalityNames are the modalities as the note prints them.
var modalityNames = map[string]string{
	"hot_pack": "Hot pack", "cold_pack": "Cold pack", "paraffin": "Paraffin bath",
	"whirlpool": "Whirlpool", "infrared": "Infrared",
}

func regionList(rs []string) string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, assess.RegionLabel(r, ""))
	}
	return strings.Join(out, "; ")
}

// codeOf is the procedure code key bills to, "not billed" when the map
// gives none, and "" without a map.
func codeOf(m care.CodeMap, key string) string {
	if m == nil {
		return ""
	}
	if code := m[key]; code != "" {
		return code
	}
	return "not billed"
}

// performed prints the techniques and modalities with their minutes.
func (w *writer) performed(n care.SOAPNote, codes care.CodeMap) {
	w.subheading("Techniques")
	if len(n.Techniques) == 0 {
		w.paragraph("No techniques recorded.")
	} else {
		rows := make([][]cell, 0, len(n.Techniques))
		total := 0
		for _, t := range n.Techniques {
			name := t.Technique
			if tq, ok := assess.TechniqueByKey(t.Technique); ok {
				name = tq.Name
			}
			rows = append(rows, []cell{cb(name), c(regionList(t.Regions)), c(strconv.Itoa(t.Minutes)), c(codeOf(codes, t.Technique))})
			total += t.Minutes
		}
		if len(n.Techniques) > 1 {
			rows = append(rows, []cell{cb("Total"), c(""), cb(strconv.Itoa(total)), c("")})
		}
		w.table([]column{{"Technique", 52, "L"}, {"Regions", 0, "L"}, {"Minutes", 18, "R"}, {"Code", 22, "L"}}, rows)
	}
	if len(n.Modalities) == 0 {
		return
	}
	w.subheading("Modalities")
	rows := make([][]cell, 0, len(n.Modalities))
	for _, m := range n.Modalities {
		name := modalityNames[m.Kind]
		if name == "" {
			name = m.Kind
		}
		rows = append(rows, []cell{cb(name), c(regionList(m.Regions)), c(strconv.Itoa(m.Minutes)), c(codeOf(codes, m.Kind))})
	}
	w.table([]column{{"Modality", 52, "L"}, {"Regions", 0, "L"}, {"Minutes", 18, "R"}, {"Code", 22, "L"}}, rows)
}

// unitsLine prints the billed units with the calculator's explanation, and
// what was done but not billed.
func (w *writer) unitsLine(r *units.Result, unbilled []care.Unbilled) {
	var fs []field
	if r != nil {
		value := r.Explanation
		if r.Rule.Valid() && len(r.Lines) > 0 {
			value = r.Rule.Label() + ": " + value
		}
		fs = append(fs, field{label: "Billed units", value: value, bold: true})
	}
	if len(unbilled) > 0 {
		parts := make([]string, 0, len(unbilled))
		for _, u := range unbilled {
			parts = append(parts, u.String())
		}
		fs = append(fs, field{label: "Not billed", value: strings.Join(parts, "; ") + "."})
	}
	w.fields(44, fs)
}

// noteSignature prints the signature block: who signed and when, a late
// entry, and the co-signature; on a draft, the draft notice.
func (w *writer) noteSignature(d NoteDoc) {
	n := d.Note
	f := w.f
	w.need(12 + 2 + 10 + 3*lineH)
	w.heading("Signature")
	f.SetY(f.GetY() + 1)
	if n.Status != care.NoteSigned {
		f.SetLineWidth(ruleHeavy)
		w.font("B", 12)
		f.SetX(marginL)
		f.CellFormat(contentW, 8, "DRAFT — not signed", "1", 1, "C", false, 0, "")
		f.SetLineWidth(ruleThin)
		w.font("", bodySize)
		return
	}
	name := d.SignedByName
	if strings.TrimSpace(name) == "" {
		name = d.TherapistName
	}
	w.font("B", bodySize)
	w.paragraph(SignedLine(name, n.SignedAt, d.Zone))
	w.font("", bodySize)
	if n.LateEntry {
		w.font("B", bodySize)
		w.paragraph("Late entry: signed more than 24 hours after the session.")
		w.font("", bodySize)
	}
	if n.CosignRequired {
		if n.CosignedBy != 0 {
			by := strings.TrimSpace(d.CosignedByName)
			if by == "" {
				by = "the supervising therapist"
			}
			s := "Co-signed by " + by
			if !n.CosignedAt.IsZero() {
				s += " on " + n.CosignedAt.In(zoneOr(d.Zone)).Format("01/02/2006 at 3:04 PM MST")
			}
			w.paragraph(s)
		} else {
			w.paragraph("Co-signature required: not yet co-signed.")
		}
	}
}

// addenda prints the dated, signed corrections after the note, oldest first.
func (w *writer) addenda(as []care.Addendum, tz *time.Location) {
	if len(as) == 0 {
		return
	}
	w.heading("Addenda")
	for i, a := range as {
		w.font("", bodySize)
		lines := len(w.split(a.Text, contentW))
		w.need(5.5 + 2*lineH + float64(min(lines, 4))*lineH)
		head := "Addendum " + strconv.Itoa(i+1)
		if !a.SignedAt.IsZero() {
			head += " — " + a.SignedAt.In(zoneOr(tz)).Format("01/02/2006 at 3:04 PM MST")
		}
		w.subheading(head)
		w.fields(30, []field{
			{label: "Author", value: a.SignedByName},
			{label: "Reason", value: a.Reason},
		})
		w.text(a.Text, "")
		name := a.SignedByName
		if strings.TrimSpace(name) == "" {
			name = "user " + strconv.FormatInt(a.SignedBy, 10)
		}
		w.font("B", bodySize)
		w.paragraph(SignedLine(name, a.SignedAt, tz))
		w.font("", bodySize)
		w.f.SetY(w.f.GetY() + 1)
	}
}
