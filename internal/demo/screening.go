package demo

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
)

// Screening in the demo clinic: every client is screened (so the chart
// banners show), one blocking finding is overridden by a therapist and one
// "needs physician clearance" finding is closed with a scanned letter.

func init() {
	Register(Seeder{Name: "screening", Order: 30, Seed: seedScreening})
}

func seedScreening(ctx context.Context, env *SeedEnv) error {
	a := env.App
	var overridden, cleared bool
	// A therapist of both locations overrides; the front desk records the clearance.
	aisha := &auth.Actor{User: env.Users["aisha.patel@demo.test"], Org: env.Org, IP: "127.0.0.1", Via: "demo setup"}
	desk := &auth.Actor{User: env.Users["frontdesk@demo.test"], Org: env.Org, IP: "127.0.0.1", Via: "demo setup"}
	for _, c := range env.Clients {
		if err := a.Rescreen(ctx, env.Org.ID, c.ID); err != nil {
			return err
		}
		if overridden && cleared {
			continue
		}
		sc, err := a.Findings(ctx, env.Owner, c.ID)
		if err != nil {
			return err
		}
		for _, f := range sc.Findings {
			switch {
			case !overridden && strings.HasPrefix(f.RuleKey, "default.bp_crisis."):
				// What an override is for: the reading on the form was old.
				for _, b := range sc.Blocking() {
					if _, err := a.Override(ctx, aisha, c.ID, b.RuleKey, "Rechecked at the front desk after 5 minutes' rest: 148/92, no headache or chest pain. Client's physician is aware."); err != nil {
						return err
					}
				}
				overridden = true
			case !cleared && f.RuleKey == "default.dvt_history":
				_, err := a.RecordClearance(ctx, desk, c.ID, app.ClearanceInput{RuleKey: f.RuleKey, Physician: "Sarah Kim, MD",
					Date: env.Today.AddDate(0, 0, -3).Format("2006-01-02"), Note: "Cleared for massage; light pressure, avoid the right leg.",
					Upload: &app.Upload{Filename: "Kim clearance letter.pdf", Data: clearanceLetter(c.FirstName + " " + c.LastName)}})
				if err != nil {
					return err
				}
				cleared = true
			}
		}
	}
	return nil
}

// clearanceLetter is a one-page PDF that says what a scanned clearance
// letter would, written for the demonstration.
func clearanceLetter(client string) []byte {
	text := fmt.Sprintf("BT /F1 14 Tf 72 720 Td (Barton Springs Family Medicine - demonstration letter) Tj 0 -28 Td /F1 12 Tf (Re: %s) Tj 0 -20 Td (I have reviewed this patient's history of deep vein thrombosis.) Tj 0 -18 Td (Massage therapy is cleared with light pressure; avoid the right leg.) Tj 0 -30 Td (Sarah Kim, MD) Tj ET", pdfEscape(client))
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(text), text),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func pdfEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch {
		case r == '(' || r == ')' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 32 || r > 126:
			b.WriteByte('?')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
