package pdf

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
)

// sampleNote is a signed, late, co-signed follow-up with every part filled
// in, and one addendum.
func sampleNoteDoc(t *testing.T) NoteDoc {
	t.Helper()
	n := care.SOAPNote{
		ID: 41, ClientID: 3, TherapistID: 2, ServiceDate: "2026-03-20", Kind: care.NoteDaily,
		Subjective: "Slept through the night twice this week; numbness only after long typing sessions.",
		PainBefore: ip(5),
		Objective:  "Hypertonic right forearm flexors; trigger point in the right upper trapezius, less tender than last visit.",
		Marks: []assess.Mark{
			{View: "anterior", Region: "forearm_flexors", Side: "right", X: 0.2, Y: 0.45, Kind: "hypertonicity", Intensity: 2},
			{View: "posterior", Region: "upper_trapezius", Side: "right", X: 0.62, Y: 0.17, Kind: "trigger_point", Intensity: 2, Note: "refers to the temple"},
		},
		Assessment: "Good response: the forearm softened and the referral to the temple stopped.",
		PainAfter:  ip(2),
		Tolerance:  "good",
		Plan:       "Continue twice a week; add nerve glides.",
		HomeCare:   []string{"median_nerve_glide", "not_in_library"},
		NextVisit:  "Tuesday, same time",
		Pressure:   ip(3),
		Techniques: []care.PerformedTechnique{
			{Technique: "myofascial_release", Regions: []string{"forearm_flexors", "wrist"}, Minutes: 25},
			{Technique: "swedish", Regions: []string{"upper_trapezius"}, Minutes: 15},
			{Technique: "breathing_relaxation", Minutes: 5},
		},
		Modalities:     []care.Modality{{Kind: "hot_pack", Minutes: 10, Regions: []string{"upper_trapezius"}}},
		Status:         care.NoteSigned,
		SignedBy:       2,
		SignedAt:       time.Date(2026, 3, 22, 15, 5, 0, 0, time.UTC),
		LateEntry:      true,
		CosignRequired: true, CosignedBy: 1, CosignedAt: time.Date(2026, 3, 23, 14, 0, 0, 0, time.UTC),
	}
	codes := care.DefaultCodeMap()
	res, unbilled, err := care.NoteUnits(n.Techniques, n.Modalities, codes, units.CMS)
	if err != nil {
		t.Fatal(err)
	}
	return NoteDoc{
		Org: "Riverside Medical Massage", Location: "Downtown",
		ClientName: "Zoë O'Brien-Núñez", DOB: "1971-04-09",
		TherapistName: "Dana Reyes, LMT", SignedByName: "Dana Reyes, LMT", CosignedByName: "Sam Okafor, LMT",
		Note: n, Codes: codes, Units: res, Unbilled: unbilled, Zone: chicago,
		Diagnoses: []string{"G56.01 Carpal tunnel syndrome, right upper limb", "M54.2 Cervicalgia"},
		Addenda: []care.Addendum{{ID: 1, NoteID: 41, Reason: "Pain after was recorded wrongly",
			Text: "Pain after treatment was 3/10, not 2/10.", SignedBy: 2, SignedByName: "Dana Reyes, LMT",
			SignedAt: time.Date(2026, 3, 24, 16, 30, 0, 0, time.UTC)}},
	}
}

// hasHomeCare makes sure the sample's home-care key is in the library, so
// that the test checks the title and not the key.
func hasHomeCare(t *testing.T, key string) string {
	t.Helper()
	h, ok := care.HomeCareByKey(key)
	if !ok {
		t.Fatalf("home care %q is not in the library", key)
	}
	return h.Title
}

func TestNoteSigned(t *testing.T) {
	d := sampleNoteDoc(t)
	glide := hasHomeCare(t, "median_nerve_glide")
	b, err := Note(d)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "note.pdf", b)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF")
	}
	pages := pdfText(t, b)
	all := strings.Join(pages, "\n")
	mustContain(t, all,
		"Riverside Medical Massage", "Downtown", "Daily note", "Date of service 03/20/2026",
		"Zoë O'Brien-Núñez", "DOB 04/09/1971", "Dana Reyes, LMT",
		"G56.01", "Carpal tunnel syndrome, right upper limb", "M54.2", "Cervicalgia",
		"S — Subjective", "Slept through the night twice this week", "Pain before (0–10) 5/10",
		"O — Objective", "trigger point in the right upper trapezius", "refers to the temple",
		"Pressure (0–5) 3 of 5, moderate",
		"A — Assessment", "the referral to the temple stopped", "Pain after (0–10) 2/10 (before 5/10, change −3)", "Tolerance Good",
		"P — Plan", "add nerve glides", glide, "not_in_library", "Next visit Tuesday, same time",
		"Billed units CMS 8-minute rule: "+d.Units.Explanation, "5 minutes of breathing and relaxation are not billed",
		"Electronically signed by Dana Reyes, LMT on 03/22/2026 at 10:05 AM CDT",
		"Late entry", "Co-signed by Sam Okafor, LMT on 03/23/2026 at 9:00 AM CDT",
		"Addendum 1 — 03/24/2026 at 11:30 AM CDT", "Pain after was recorded wrongly", "Pain after treatment was 3/10, not 2/10.",
	)
	// Each technique on one line with its regions, minutes and code.
	mustMatch(t, all,
		`Myofascial release forearm flexors; wrist and carpal tunnel 25 97140`,
		`Swedish massage upper trapezius 15 97124`,
		`Breathing and relaxation 5 not billed`,
		`Hot pack upper trapezius 10 97010`,
	)
	for i, p := range pages {
		mustContain(t, p, "Zoë O'Brien-Núñez · DOB 04/09/1971", "Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages)))
	}
	if strings.Contains(all, "DRAFT") {
		t.Error("a signed note says DRAFT")
	}
}

func TestNoteDraft(t *testing.T) {
	d := sampleNoteDoc(t)
	d.Note.Status, d.Note.SignedAt, d.Note.SignedBy, d.Note.LateEntry = care.NoteDraft, time.Time{}, 0, false
	d.Note.CosignedBy, d.Note.CosignedAt = 0, time.Time{}
	d.Note.Kind = care.NoteProgress
	d.SignedByName, d.Addenda = "", nil
	b, err := Note(d)
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "note-draft.pdf", b)
	pages := pdfText(t, b)
	all := strings.Join(pages, "\n")
	mustContain(t, all, "Progress note", "DRAFT — not signed", "Slept through the night")
	for i, p := range pages {
		if !strings.Contains(p, "DRAFT — NOT SIGNED") {
			t.Errorf("page %d of a draft has no draft banner", i+1)
		}
	}
	if strings.Contains(all, "Electronically signed") {
		t.Error("a draft says it is signed")
	}
}

func TestNotesRecord(t *testing.T) {
	first := sampleNoteDoc(t)
	second := sampleNoteDoc(t)
	second.Note.ServiceDate, second.Note.Subjective = "2026-03-27", "Only mild stiffness this week."
	second.Note.LateEntry, second.Addenda = false, nil
	draft := sampleNoteDoc(t)
	draft.Note.ServiceDate, draft.Note.Status, draft.Note.Subjective = "2026-04-02", care.NoteDraft, "Draft words."
	b, err := NotesRecord("Riverside Medical Massage", "Zoë O'Brien-Núñez", "1971-04-09", "2026-03-01", "2026-04-30",
		[]NoteDoc{first, second, draft})
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "notes-record.pdf", b)
	pages := pdfText(t, b)
	if len(pages) < 4 {
		t.Fatalf("a record of three notes has %d pages; want a cover and each note from a new page", len(pages))
	}
	cover := pages[0]
	mustContain(t, cover, "Session notes", "Zoë O'Brien-Núñez", "04/09/1971", "03/01/2026 to 04/30/2026",
		"3 notes (1 draft, not signed)", "Produced on", "Signed, late entry")
	if strings.Contains(cover, "Slept through the night") {
		t.Error("the cover page holds a note's text")
	}
	// Each note starts a page with its title (the running header of a
	// note's later pages says "Daily note · Date of service …" instead),
	// and a draft's pages, and only those, carry the draft banner.
	title := regexp.MustCompile(`(?m)^\s*(Daily|Progress) note\s{2,}Date of service (\S+)`)
	var starts []string
	draftNote := false
	for i, p := range pages[1:] {
		if m := title.FindStringSubmatch(p); m != nil {
			starts = append(starts, m[2])
			draftNote = m[2] == "04/02/2026"
		}
		if strings.Contains(p, "DRAFT — NOT SIGNED") != draftNote {
			t.Errorf("page %d: draft banner %v, but the page is of the draft: %v", i+2, !draftNote, draftNote)
		}
	}
	if strings.Join(starts, " ") != "03/20/2026 03/27/2026 04/02/2026" {
		t.Errorf("notes start pages on %q, want each of the three in order", starts)
	}
	all := strings.Join(pages, "\n")
	mustContain(t, all, "Only mild stiffness this week.", "Draft words.", "Pain after treatment was 3/10")
	for i, p := range pages {
		mustContain(t, p, "Page "+strconv.Itoa(i+1)+" of "+strconv.Itoa(len(pages)))
	}
	if _, err := NotesRecord("Clinic", "A B", "1970-01-01", "2026-01-01", "2026-01-31", nil); err != nil {
		t.Errorf("an empty record: %v", err)
	}
	if _, err := Note(NoteDoc{}); err == nil {
		t.Error("a note without a date of service printed")
	}
}
