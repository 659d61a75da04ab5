package pdf

import (
	"strconv"

	"github.com/go-pdf/fpdf"

	"github.com/fascia-health/fascia/internal/assess"
)

// BodyChart draws the three figures side by side with the marks in the box
// at (x, y) of width w (in the document's unit, mm), and a legend; it
// returns the height used. It draws assess.ChartDrawing, the display list
// the web page's SVG is written from, scaled to w: the same outlines,
// symbols, numbers and legend as on screen.
//
// Text is set in the current font family (regular, and bold where the page
// shows bold), at the drawing's sizes; afterwards the font is regular at
// its previous size, and colours and line width are as they were.
func BodyChart(f *fpdf.Fpdf, x, y, w float64, ms []assess.Mark) float64 {
	d := assess.ChartDrawing(ms, assess.SVGOptions{})
	if d.Width <= 0 || w <= 0 {
		return 0
	}
	s := w / d.Width

	dr, dg, db := f.GetDrawColor()
	fr, fg, fb := f.GetFillColor()
	tr, tg, tb := f.GetTextColor()
	lw := f.GetLineWidth()
	pt, _ := f.GetFontSize()
	defer func() {
		f.SetDrawColor(dr, dg, db)
		f.SetFillColor(fr, fg, fb)
		f.SetTextColor(tr, tg, tb)
		f.SetLineWidth(lw)
		f.SetLineCapStyle("butt")
		f.SetLineJoinStyle("miter")
		f.SetFontStyle("")
		f.SetFontSize(pt)
	}()
	f.SetLineCapStyle("round")
	f.SetLineJoinStyle("round")

	bold := false
	f.SetFontStyle("")
	for _, it := range d.Items {
		if it.Text != "" {
			if it.Bold != bold {
				bold = it.Bold
				if bold {
					f.SetFontStyle("B")
				} else {
					f.SetFontStyle("")
				}
			}
			f.SetFontUnitSize(it.Size * s)
			tx, ty := x+it.X*s, y+it.Y*s
			switch it.Anchor {
			case "middle":
				tx -= f.GetStringWidth(it.Text) / 2
			case "end":
				tx -= f.GetStringWidth(it.Text)
			}
			if it.Stroke != "" {
				// The halo: the text stroked wide in the halo colour,
				// then filled on top, as SVG's paint-order="stroke".
				f.SetDrawColor(chartRGB(it.Stroke))
				f.SetLineWidth(it.Width * s)
				f.SetTextRenderingMode(1)
				f.Text(tx, ty, it.Text)
				f.SetTextRenderingMode(0)
			}
			f.SetTextColor(chartRGB(it.Fill))
			f.Text(tx, ty, it.Text)
			continue
		}
		if len(it.Path) == 0 || (it.Fill == "" && it.Stroke == "") {
			continue
		}
		for _, c := range it.Path {
			p := c.Pts
			switch {
			case c.Op == 'M' && len(p) == 2:
				f.MoveTo(x+p[0]*s, y+p[1]*s)
			case c.Op == 'L' && len(p) == 2:
				f.LineTo(x+p[0]*s, y+p[1]*s)
			case c.Op == 'C' && len(p) == 6:
				f.CurveBezierCubicTo(x+p[0]*s, y+p[1]*s, x+p[2]*s, y+p[3]*s, x+p[4]*s, y+p[5]*s)
			case c.Op == 'Z':
				f.ClosePath()
			}
		}
		style := ""
		if it.Fill != "" {
			f.SetFillColor(chartRGB(it.Fill))
			style += "F"
		}
		if it.Stroke != "" {
			f.SetDrawColor(chartRGB(it.Stroke))
			f.SetLineWidth(it.Width * s)
			style += "D"
		}
		f.DrawPath(style)
	}
	return d.Height * s
}

// chartRGB reads "#rrggbb"; anything else is black.
func chartRGB(c string) (int, int, int) {
	if len(c) != 7 || c[0] != '#' {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(c[1:], 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
