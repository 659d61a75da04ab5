// Package pdf renders the clinical documents Fascia sends out on paper or by
// fax: the evaluation report (initial or re-evaluation) and the plan of care.
// Pages are US Letter, black on white, with an embedded DejaVu Sans font so
// any client name prints as written. Every page carries the client's name
// and the page count in its footer, so loose fax pages can be put back
// together. The package draws; it reads nothing and stores nothing.
package pdf

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// Letterhead is the clinic as it appears at the top of the first page.
type Letterhead struct {
	Clinic   string
	Location string
	Address  string // may hold newlines
	Phone    string
	Fax      string
	Email    string
}

// Person is a party to a document: a name and one line of detail, such as
// "DOB 04/09/1971 · Chart #1234" or "NPI 1234567893 · Fax (512) 555-0100".
type Person struct {
	Name   string
	Detail string
}

// Diagnosis is an ICD-10-CM code with its title.
type Diagnosis struct {
	Code  string
	Title string
}

// The fonts are DejaVu Sans Condensed (regular and bold) from Debian's
// fonts-dejavu-core 2.37; fonts/LICENSE is their licence. The condensed cut
// lets a ten-column range-of-motion table stay at 10 pt, and two styles keep
// the binary 1.3 MB heavier rather than 4 MB.
var (
	//go:embed fonts/DejaVuSansCondensed.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSansCondensed-Bold.ttf
	fontBold []byte
)

// Family is the font family registered in every document; drawing code in
// this package (the body chart) selects it with SetFont(Family, "" or "B", …).
const Family = "DejaVu"

// Page geometry, in millimetres. Letter is 215.9 × 279.4 mm. Margins stay
// clear of the edge a fax machine crops (about 5 mm) with room to spare.
const (
	pageW     = 215.9
	pageH     = 279.4
	marginL   = 16.0
	marginR   = 16.0
	marginT   = 13.0
	footerH   = 24.0 // the footer block; its last line ends 10 mm above the edge
	contentW  = pageW - marginL - marginR
	cellPad   = 1.2 // left and right padding inside a cell
	bodySize  = 10.0
	lineH     = 4.6 // one line of 10 pt text
	smallSize = 9.0 // footer small print only; body text is never below 10 pt
)

// Rule weights. Fax at 200 dpi keeps lines of 0.2 mm (about 1.6 dots).
const (
	ruleThin  = 0.2
	ruleHeavy = 0.5
)

// writer is one document being drawn.
type writer struct {
	f        *fpdf.Fpdf
	lh       Letterhead
	title    string // "Initial evaluation", shown in the running header
	dateLine string // "Date of service 03/14/2026", shown beside it
	client   Person
	draft    bool // every page carries the draft banner
}

func newWriter(lh Letterhead, title, dateLine string, client Person, draft bool) *writer {
	f := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		SizeStr:        "Letter",
	})
	// "{nb}" becomes the page count when the document closes. fpdf embeds
	// only the glyphs a document used; the count's digits are among them
	// because the last page prints its own number in the same bold font.
	f.AliasNbPages("{nb}")
	f.AddUTF8FontFromBytes(Family, "", fontRegular)
	f.AddUTF8FontFromBytes(Family, "B", fontBold)
	f.SetMargins(marginL, marginT, marginR)
	f.SetCellMargin(cellPad)
	f.SetAutoPageBreak(true, footerH+3)
	f.SetDrawColor(0, 0, 0)
	f.SetTextColor(0, 0, 0)
	f.SetTitle(title, true)
	f.SetCreator("Fascia", true)
	f.SetSubject(title+" — confidential health information", true)
	f.SetLang("en-US")
	w := &writer{f: f, lh: lh, title: title, dateLine: dateLine, client: client, draft: draft}
	f.SetHeaderFunc(w.header)
	f.SetFooterFunc(w.footer)
	f.SetFont(Family, "", bodySize)
	return w
}

// finish closes the document and returns its bytes.
func (w *writer) finish() ([]byte, error) {
	if err := w.f.Error(); err != nil {
		return nil, fmt.Errorf("pdf: drawing the document: %w", err)
	}
	var buf bytes.Buffer
	if err := w.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf: writing the document: %w", err)
	}
	return buf.Bytes(), nil
}

func (w *writer) font(style string, size float64) { w.f.SetFont(Family, style, size) }

// bottom is the lowest y that body content may reach on a page.
func (w *writer) bottom() float64 { return pageH - footerH - 3 }

// room reports whether h millimetres fit below the current position.
func (w *writer) room(h float64) bool { return w.f.GetY()+h <= w.bottom() }

// need starts a new page unless h millimetres fit.
func (w *writer) need(h float64) {
	if !w.room(h) {
		w.f.AddPage()
	}
}

// header draws the letterhead on the first page and a running header on
// the others, and the draft banner on every page of a draft.
func (w *writer) header() {
	f := w.f
	if f.PageNo() == 1 {
		w.letterhead()
	} else {
		f.SetXY(marginL, marginT)
		w.font("B", bodySize)
		f.CellFormat(contentW/2, lineH, fit(f, clean(w.lh.Clinic), contentW/2), "", 0, "L", false, 0, "")
		w.font("", bodySize)
		f.CellFormat(contentW/2, lineH, fit(f, clean(w.title+" · "+w.dateLine), contentW/2), "", 1, "R", false, 0, "")
		w.rule(f.GetY()+1, ruleThin)
		f.SetY(f.GetY() + 3)
	}
	if w.draft {
		y := f.GetY()
		f.SetLineWidth(ruleHeavy)
		w.font("B", 12)
		f.SetXY(marginL, y)
		f.CellFormat(contentW, 8, "DRAFT — NOT SIGNED · not valid as a clinical record", "1", 1, "C", false, 0, "")
		f.SetY(y + 11)
		w.font("", bodySize)
	}
}

// letterhead draws the clinic's name, address and numbers, then a rule.
func (w *writer) letterhead() {
	f := w.f
	lh := w.lh
	top := marginT
	// Right column: how to reach the clinic, right-aligned.
	var contact []string
	if s := strings.TrimSpace(lh.Phone); s != "" {
		contact = append(contact, "Phone "+s)
	}
	if s := strings.TrimSpace(lh.Fax); s != "" {
		contact = append(contact, "Fax "+s)
	}
	if s := strings.TrimSpace(lh.Email); s != "" {
		contact = append(contact, s)
	}
	const rightW = 62.0
	w.font("", bodySize)
	for i, s := range contact {
		f.SetXY(pageW-marginR-rightW, top+1.5+float64(i)*lineH)
		f.CellFormat(rightW, lineH, fit(f, clean(s), rightW), "", 0, "R", false, 0, "")
	}
	// Left column: name, location, address.
	leftW := contentW - rightW - 4
	f.SetXY(marginL, top)
	w.font("B", 15)
	f.CellFormat(leftW, 7, fit(f, clean(lh.Clinic), leftW), "", 2, "L", false, 0, "")
	w.font("", bodySize)
	var lines []string
	if s := strings.TrimSpace(lh.Location); s != "" && s != strings.TrimSpace(lh.Clinic) {
		lines = append(lines, s)
	}
	for _, s := range strings.Split(strings.ReplaceAll(lh.Address, "\r", ""), "\n") {
		if s = strings.TrimSpace(s); s != "" {
			lines = append(lines, s)
		}
	}
	for _, s := range lines {
		f.CellFormat(leftW, lineH, fit(f, clean(s), leftW), "", 2, "L", false, 0, "")
	}
	y := math.Max(f.GetY(), top+1.5+float64(len(contact))*lineH) + 1.5
	w.rule(y, ruleHeavy)
	f.SetXY(marginL, y+3)
}

// footer identifies the client and the page on every page, so a page that
// comes loose from a fax can be matched, and says what the pages are.
func (w *writer) footer() {
	f := w.f
	y := pageH - footerH
	w.rule(y, ruleThin)
	w.font("B", bodySize)
	f.SetXY(marginL, y+1.5)
	var parts []string
	for _, s := range []string{w.client.Name, w.client.Detail} {
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	who := strings.Join(parts, " · ")
	// The total is filled in when the document closes, so the cell cannot
	// be right-aligned on its real width: it starts where "Page 99 of 99"
	// would.
	pageWd := f.GetStringWidth("Page 99 of 99") + 2*cellPad
	f.CellFormat(contentW-pageWd-2, lineH, fit(f, clean(who), contentW-pageWd-2), "", 0, "L", false, 0, "")
	f.SetXY(pageW-marginR-pageWd, y+1.5)
	f.CellFormat(pageWd, lineH, fmt.Sprintf("Page %d of {nb}", f.PageNo()), "", 0, "L", false, 0, "")
	w.font("", smallSize)
	f.SetXY(marginL, y+1.5+lineH+0.5)
	f.MultiCell(contentW, 3.8, confidentiality(w.lh), "", "L", false)
}

func confidentiality(lh Letterhead) string {
	s := "Confidential health information, protected by law (HIPAA), intended only for the addressee. " +
		"If you received it in error, please notify the sender"
	if p := strings.TrimSpace(lh.Phone); p != "" {
		s += " at " + p
	}
	return clean(s + " and destroy all copies.")
}

// rule draws a horizontal line across the content width at y.
func (w *writer) rule(y, weight float64) { w.ruleW(y, contentW, weight) }

// ruleW draws a horizontal line of width wd from the left margin at y.
func (w *writer) ruleW(y, wd, weight float64) {
	w.f.SetLineWidth(weight)
	w.f.Line(marginL, y, marginL+wd, y)
	w.f.SetLineWidth(ruleThin)
}

// docTitle draws the document's title with its date on the right, and the
// lines of sub beneath it when given.
func (w *writer) docTitle(title, right, sub string) {
	f := w.f
	y := f.GetY()
	w.font("B", 17)
	f.SetXY(marginL, y)
	f.CellFormat(contentW/2+20, 8, clean(title), "", 0, "L", false, 0, "")
	w.font("B", 11)
	f.SetXY(marginL+contentW/2+20, y+1.5)
	f.CellFormat(contentW/2-20, 6, clean(right), "", 0, "R", false, 0, "")
	f.SetXY(marginL, y+8.5)
	if sub != "" {
		w.font("", bodySize)
		w.paragraph(sub)
	}
	f.SetY(f.GetY() + 2)
}

// parties draws the client, physician and therapist side by side, each as
// a label, a name in bold and a line of detail.
func (w *writer) parties(ps []party) {
	f := w.f
	const gap = 5.0
	colW := (contentW - gap*float64(len(ps)-1)) / float64(len(ps))
	// Measure first so the block moves to a new page whole.
	h := 0.0
	type measured struct{ name, detail []string }
	ms := make([]measured, len(ps))
	for i, p := range ps {
		// A few lines each: the block must fit on a page whatever was typed.
		w.font("B", 11)
		ms[i].name = w.capLines(w.split(p.person.Name, colW), 3, colW)
		w.font("", bodySize)
		ms[i].detail = w.capLines(w.split(p.person.Detail, colW), 4, colW)
		if p.person.Name == "" && p.person.Detail == "" {
			ms[i].detail = []string{p.none}
		}
		h = math.Max(h, lineH+float64(len(ms[i].name))*5+float64(len(ms[i].detail))*lineH)
	}
	w.need(h + 4)
	y := f.GetY()
	w.rule(y, ruleThin)
	for i, p := range ps {
		x := marginL + float64(i)*(colW+gap)
		f.SetXY(x, y+1)
		w.font("B", bodySize)
		f.CellFormat(colW, lineH, strings.ToUpper(p.label), "", 2, "L", false, 0, "")
		w.font("B", 11)
		for _, s := range ms[i].name {
			f.CellFormat(colW, 5, s, "", 2, "L", false, 0, "")
		}
		w.font("", bodySize)
		for _, s := range ms[i].detail {
			f.CellFormat(colW, lineH, s, "", 2, "L", false, 0, "")
		}
	}
	f.SetXY(marginL, y+1+h+1.5)
	w.rule(f.GetY(), ruleThin)
	f.SetY(f.GetY() + 3)
}

type party struct {
	label  string
	person Person
	none   string // shown when there is nobody
}

// heading starts a section: bold, a rule under it, and enough room below
// for the heading not to be left alone at the foot of a page.
func (w *writer) heading(s string) {
	w.need(7 + 3*lineH)
	f := w.f
	f.SetY(f.GetY() + 2)
	w.font("B", 12.5)
	f.SetX(marginL)
	f.CellFormat(contentW, 6.5, clean(s), "", 1, "L", false, 0, "")
	w.rule(f.GetY()+0.3, ruleHeavy)
	f.SetY(f.GetY() + 2.3)
	w.font("", bodySize)
}

// subheading is a bold line within a section.
func (w *writer) subheading(s string) {
	w.need(5.5 + 2*lineH)
	f := w.f
	f.SetY(f.GetY() + 1)
	w.font("B", 11)
	f.SetX(marginL)
	f.CellFormat(contentW, 5.5, clean(s), "", 1, "L", false, 0, "")
	w.font("", bodySize)
}

// split wraps s to width w in the current font, after cleaning it. It
// always returns at least one line.
func (w *writer) split(s string, width float64) []string {
	s = clean(s)
	if s == "" {
		return []string{""}
	}
	var out []string
	// SplitText drops empty lines between paragraphs; keep them.
	for _, para := range strings.Split(s, "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		out = append(out, w.f.SplitText(para, width)...)
	}
	for len(out) > 1 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// capLines keeps the first n of ls, ending the last kept line with an
// ellipsis when lines were dropped. Measured in the current font.
func (w *writer) capLines(ls []string, n int, width float64) []string {
	if len(ls) <= n {
		return ls
	}
	ls = ls[:n]
	ls[n-1] = fit(w.f, ls[n-1]+" …", width)
	return ls
}

// paragraph prints wrapped text across the content width, breaking pages
// between lines.
func (w *writer) paragraph(s string) {
	w.lines(marginL, contentW, w.split(s, contentW))
}

// lines prints lines at x, one under the other, breaking pages as needed.
func (w *writer) lines(x, width float64, ls []string) {
	f := w.f
	for _, l := range ls {
		w.need(lineH)
		f.SetX(x)
		f.CellFormat(width, lineH, l, "", 2, "L", false, 0, "")
	}
	f.SetX(marginL)
}

// field is one labelled value of a fields block.
type field struct {
	label, value string
	bold         bool // the value is printed in bold
}

// fields prints label–value pairs: labels in bold in a left column, values
// wrapped beside them. Empty values are left out; a short value is kept
// together with its label on one page.
func (w *writer) fields(labelW float64, fs []field) {
	f := w.f
	valueW := contentW - labelW
	for _, fl := range fs {
		if strings.TrimSpace(fl.value) == "" {
			continue
		}
		style := ""
		if fl.bold {
			style = "B"
		}
		w.font(style, bodySize)
		vs := w.split(fl.value, valueW)
		w.font("B", bodySize)
		ls := w.split(fl.label, labelW-1)
		n := max(len(vs), len(ls))
		if h := float64(n) * lineH; h < 60 {
			w.need(h + 1)
		} else {
			w.need(3 * lineH)
		}
		y, page := f.GetY(), f.PageNo()
		for i, l := range ls {
			f.SetXY(marginL, y+float64(i)*lineH)
			f.CellFormat(labelW, lineH, l, "", 0, "L", false, 0, "")
		}
		f.SetXY(marginL+labelW, y)
		w.font(style, bodySize)
		w.lines(marginL+labelW, valueW, vs)
		if end := y + float64(len(ls))*lineH; f.PageNo() == page && f.GetY() < end {
			f.SetY(end) // a label longer than its value
		}
		f.SetY(f.GetY() + 0.8)
	}
	w.font("", bodySize)
}

// column of a table: heading, width in mm (0 takes what is left) and
// alignment ("L", "C", "R").
type column struct {
	head  string
	w     float64
	align string
}

// cell of a table. Bold cells carry flags and results a reader looks
// for; sub is a regular-weight line under the text, such as why a motion is
// flagged.
type cell struct {
	text string
	bold bool
	sub  string
}

func c(s string) cell  { return cell{text: s} }
func cb(s string) cell { return cell{text: s, bold: true} }

// styledLine is one wrapped line of a cell with its weight.
type styledLine struct {
	text string
	bold bool
}

func (w *writer) cellLines(cl cell, width float64) []styledLine {
	var out []styledLine
	if cl.text != "" || cl.sub == "" {
		w.font(boldStyle(cl.bold), bodySize)
		for _, l := range w.split(cl.text, width) {
			out = append(out, styledLine{l, cl.bold})
		}
	}
	if cl.sub != "" {
		w.font("", bodySize)
		for _, l := range w.split(cl.sub, width) {
			out = append(out, styledLine{l, false})
		}
	}
	return out
}

func boldStyle(b bool) string {
	if b {
		return "B"
	}
	return ""
}

// table draws rows under a bold heading row, with rules between rows. A row
// that does not fit moves to the next page with the heading repeated; a row
// taller than a page (a very long note) continues line by line across pages.
func (w *writer) table(cols []column, rows [][]cell) {
	f := w.f
	used, flexible := 0.0, false
	for _, col := range cols {
		used += col.w
		flexible = flexible || col.w == 0
	}
	widths := make([]float64, len(cols))
	for i, col := range cols {
		widths[i] = col.w
		if col.w == 0 {
			widths[i] = contentW - used
		}
	}
	tableW := contentW
	if !flexible {
		tableW = min(used, contentW)
	}
	const pad = 1.0 // above and below the text of a row
	heads := make([][]styledLine, len(cols))
	headN := 1
	for i, col := range cols {
		heads[i] = w.cellLines(cb(col.head), widths[i])
		headN = max(headN, len(heads[i]))
	}
	headH := float64(headN)*lineH + 2*pad
	// draw prints lines [from, from+k) of each column's lines at the
	// current position and moves below them.
	draw := func(ls [][]styledLine, from, k int) {
		y := f.GetY()
		x := marginL
		for i, col := range cols {
			for j := from; j < from+k && j < len(ls[i]); j++ {
				w.font(boldStyle(ls[i][j].bold), bodySize)
				f.SetXY(x, y+pad+float64(j-from)*lineH)
				f.CellFormat(widths[i], lineH, ls[i][j].text, "", 0, col.align, false, 0, "")
			}
			x += widths[i]
		}
		f.SetXY(marginL, y+float64(k)*lineH+2*pad)
	}
	drawHead := func() {
		draw(heads, 0, headN)
		w.ruleW(f.GetY(), tableW, ruleHeavy)
	}
	w.need(headH + lineH + 2*pad)
	drawHead()
	// A row longer than this is split across pages rather than moved whole.
	fullPage := w.bottom() - marginT - 30 - headH
	for _, row := range rows {
		ls := make([][]styledLine, len(cols))
		n := 1
		for i := range cols {
			var cl cell
			if i < len(row) {
				cl = row[i]
			}
			ls[i] = w.cellLines(cl, widths[i])
			n = max(n, len(ls[i]))
		}
		for start := 0; start < n; {
			avail := int((w.bottom() - f.GetY() - 2*pad) / lineH)
			rem := n - start
			if avail < 1 || (rem > avail && (float64(rem)*lineH < fullPage || avail < 3)) {
				f.AddPage()
				drawHead()
				continue
			}
			k := min(rem, avail)
			draw(ls, start, k)
			w.ruleW(f.GetY(), tableW, ruleThin)
			start += k
			if start < n {
				f.AddPage()
				drawHead()
			}
		}
	}
	w.font("", bodySize)
	f.SetXY(marginL, f.GetY()+2)
}

// bullets prints a list, each item wrapped under its bullet.
func (w *writer) bullets(items []string) {
	f := w.f
	const indent = 5.0
	w.font("", bodySize)
	for _, it := range items {
		ls := w.split(it, contentW-indent)
		w.need(math.Min(float64(len(ls)), 3) * lineH)
		f.SetX(marginL)
		f.CellFormat(indent, lineH, "•", "", 0, "L", false, 0, "")
		w.lines(marginL+indent, contentW-indent, ls)
	}
}

// signature prints a section with the electronic signature line of a
// signed document, or the draft notice, kept on one page with its heading.
func (w *writer) signature(title string, signed bool, name, credentials string, at time.Time, tz *time.Location) {
	f := w.f
	w.need(12 + 2 + 10 + 2*lineH)
	w.heading(title)
	f.SetY(f.GetY() + 1)
	if !signed {
		f.SetLineWidth(ruleHeavy)
		w.font("B", 12)
		f.SetX(marginL)
		f.CellFormat(contentW, 8, "DRAFT — not signed", "1", 1, "C", false, 0, "")
		f.SetLineWidth(ruleThin)
		w.font("", bodySize)
		return
	}
	w.font("B", bodySize)
	w.paragraph(SignedLine(name, at, tz))
	w.font("", bodySize)
	if strings.TrimSpace(credentials) != "" {
		w.paragraph(credentials)
	}
}

// SignedLine is the words of an electronic signature, as the documents
// print it: "Electronically signed by Dana Reyes on 03/14/2026 at 2:05 PM
// CDT". A nil zone prints UTC; a zero time leaves the date out.
func SignedLine(name string, at time.Time, tz *time.Location) string {
	s := "Electronically signed by " + strings.TrimSpace(name)
	if at.IsZero() {
		return s
	}
	if tz == nil {
		tz = time.UTC
	}
	return s + " on " + at.In(tz).Format("01/02/2006 at 3:04 PM MST")
}

// usDate turns a clinical date, YYYY-MM-DD, into the US form a physician's
// office reads, MM/DD/YYYY; anything else is shown as it is.
func usDate(s string) string {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return s
	}
	return t.Format("01/02/2006")
}

// num prints a measured value without trailing zeros: 12, 12.5.
func num(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// signed prints a change with its sign: "+10", "−4", "0". The minus is the
// typographic one, which does not vanish on a fax the way a hyphen can.
func signedNum(v float64) string {
	switch {
	case v > 0:
		return "+" + num(v)
	case v < 0:
		return "−" + num(-v)
	}
	return "0"
}

// clean makes text from a person safe to draw: control characters go,
// tabs become spaces, line ends become "\n", and characters the font has
// no glyph for (emoji, CJK, invalid UTF-8) become U+FFFD. fpdf measures a
// missing glyph as zero wide while a viewer draws it full width, so leaving
// one in would let a line run past the margin.
func clean(s string) string {
	have := glyphs()
	ok := true
	for _, r := range s {
		if r < 0x20 && r != '\n' || r > 0xffff || !have[r] {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		next := i + n
		switch {
		case r == '\r':
			if next < len(s) && s[next] == '\n' {
				break // the "\n" that follows ends the line
			}
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteByte('\n')
		case r < 0x20, r >= 0x7f && r < 0xa0:
			// other control characters carry nothing printable
		case r > 0xffff, r == utf8.RuneError && n == 1, !have[r]:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
		i = next
	}
	return b.String()
}

// glyphs reports, for each character of the Basic Multilingual Plane,
// whether both embedded fonts draw it. It is read once from the fonts'
// character maps.
var glyphs = sync.OnceValue(func() *[0x10000]bool {
	var have [0x10000]bool
	reg, bold := cmap4(fontRegular), cmap4(fontBold)
	for r := range have {
		have[r] = reg[r] && bold[r]
	}
	// Control characters never print, whatever the font maps them to.
	for r := 0; r < 0x20; r++ {
		have[r] = false
	}
	for r := 0x7f; r < 0xa0; r++ {
		have[r] = false
	}
	return &have
})

// cmap4 reads the Unicode BMP character map (platform 3, encoding 1,
// format 4; the TrueType "cmap" table, Apple TrueType Reference Manual and
// OpenType spec) of a font: which characters map to a glyph other than
// .notdef. A malformed font yields what was read before the fault.
func cmap4(font []byte) *[0x10000]bool {
	var have [0x10000]bool
	u16 := func(o int) (int, bool) {
		if o < 0 || o+2 > len(font) {
			return 0, false
		}
		return int(font[o])<<8 | int(font[o+1]), true
	}
	u32 := func(o int) (int, bool) {
		hi, ok1 := u16(o)
		lo, ok2 := u16(o + 2)
		return hi<<16 | lo, ok1 && ok2
	}
	numTables, _ := u16(4)
	cmap := -1
	for i := 0; i < numTables; i++ {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			break
		}
		if string(font[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
			break
		}
	}
	if cmap < 0 {
		return &have
	}
	n, _ := u16(cmap + 2)
	sub := -1
	for i := 0; i < n; i++ {
		rec := cmap + 4 + 8*i
		pid, _ := u16(rec)
		eid, _ := u16(rec + 2)
		off, _ := u32(rec + 4)
		if format, _ := u16(cmap + off); pid == 3 && eid == 1 && format == 4 {
			sub = cmap + off
			break
		}
	}
	if sub < 0 {
		return &have
	}
	segX2, _ := u16(sub + 6)
	ends := sub + 14
	starts := ends + segX2 + 2
	deltas := starts + segX2
	ranges := deltas + segX2
	for i := 0; i < segX2/2; i++ {
		end, ok1 := u16(ends + 2*i)
		start, ok2 := u16(starts + 2*i)
		delta, ok3 := u16(deltas + 2*i)
		ro, ok4 := u16(ranges + 2*i)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			break
		}
		for ch := start; ch <= end && ch < 0xffff; ch++ {
			gid := (ch + delta) & 0xffff
			if ro != 0 {
				g, ok := u16(ranges + 2*i + ro + 2*(ch-start))
				if !ok || g == 0 {
					continue
				}
				gid = (g + delta) & 0xffff
			}
			have[ch] = gid != 0
		}
	}
	return &have
}

// fit shortens s with an ellipsis so that it fits in width w in the
// current font; for single-line places such as the footer.
func fit(f *fpdf.Fpdf, s string, w float64) string {
	s = strings.ReplaceAll(s, "\n", " ")
	w -= 2 * cellPad
	if f.GetStringWidth(s) <= w {
		return s
	}
	// The longest prefix that fits, by bisection: names can be long.
	rs := []rune(s)
	lo, hi := 0, len(rs)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if f.GetStringWidth(string(rs[:mid])+"…") <= w {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimSpace(string(rs[:lo])) + "…"
}

// errInvalid is returned for a document without its record.
var errInvalid = errors.New("pdf: the document has no record to print")
