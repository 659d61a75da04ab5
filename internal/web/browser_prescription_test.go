package web_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/testsrv"
)

// TestBrowserPrescription: the therapist adds a prescription with two
// diagnoses found by typing words, then sees on the chart that it expires
// within the week.
func TestBrowserPrescription(t *testing.T) {
	browserEachEngine(t, func(t *testing.T, s *testsrv.Server) {
		// A Downtown client without a prescription yet, and the demo's Dr Kim.
		var client clinic.Client
		cs, err := s.DB.SearchClients(ctx, s.Org.ID, clinic.ClientFilter{LocationIDs: []int64{s.Downtown.ID}, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if ps, _ := s.DB.Prescriptions(ctx, s.Org.ID, c.ID); len(ps) == 0 {
				client = c
				break
			}
		}
		if client.ID == 0 {
			t.Fatal("every Downtown client has a prescription")
		}
		kim, err := s.DB.SearchPhysicians(ctx, s.Org.ID, clinic.PhysicianFilter{Query: "sarah kim"})
		if err != nil || len(kim) != 1 {
			t.Fatalf("demo physician: %v", err)
		}
		loc, _ := time.LoadLocation(s.Org.TimeZone)
		now := time.Now().In(loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		written, expires := today.AddDate(0, 0, -30), today.AddDate(0, 0, 5)
		chart := "/clients/" + strconv.FormatInt(client.ID, 10)

		tb := newBrowserTab(t, s, 1280, 900)
		tb.signIn(testsrv.TherapistA)
		tb.open(chart)
		tb.waitPath(chart)
		if strings.Contains(tb.bodyText(), "expires in") {
			t.Fatalf("the chart warns of an expiring prescription before one is added")
		}
		tb.do(chromedp.Click(chromedp.CSS(`#prescriptions a[href$="/prescriptions/new"]`)))
		tb.waitPath(chart + "/prescriptions/new")

		tb.do(
			chromedp.WaitVisible(chromedp.CSS("#dx-q")), // the finder shows once the script runs
			chromedp.SetValue(chromedp.CSS("#physician_id"), strconv.FormatInt(kim[0].ID, 10)),
			chromedp.SetValue(chromedp.CSS("#written_on"), written.Format(clinic.DateLayout)),
		)
		// Two diagnoses, each found by typing words of it and choosing it.
		for _, c := range []struct{ words, code string }{{"tension headache", "G44.209"}, {"neck pain", "M54.2"}} {
			option := fmt.Sprintf(`#dx-options button[data-code=%q]`, c.code)
			tb.do(chromedp.SendKeys(chromedp.CSS("#dx-q"), c.words))
			tb.waitJS(fmt.Sprintf(`!!document.querySelector(%q)`, option), c.code+" among the options for "+c.words)
			tb.do(chromedp.Click(chromedp.CSS(option)))
			tb.waitJS(fmt.Sprintf(`!!document.querySelector('#dx-chosen li[data-code=%q]')`, c.code), c.code+" chosen")
			if v := browserEval[string](tb, `document.getElementById("dx-q").value`); v != "" {
				t.Errorf("the search field keeps %q after a choice", v)
			}
		}
		if v := browserRun(tb, chromedp.Value(chromedp.CSS("#diagnoses"))); v != "G44.209, M54.2" {
			t.Errorf("codes field = %q, want the two codes, principal first", v)
		}
		if txt := browserRun(tb, chromedp.Text(chromedp.CSS("#dx-chosen"))); !strings.Contains(txt, "Tension-type headache") || !strings.Contains(txt, "Cervicalgia") {
			t.Errorf("chosen diagnoses show %q", txt)
		}
		tb.do(
			chromedp.SendKeys(chromedp.CSS("#ordered_treatment"), "Medical massage to the neck and upper back; trigger point therapy."),
			chromedp.SendKeys(chromedp.CSS("#frequency_per_week"), "2"),
			chromedp.SendKeys(chromedp.CSS("#visits"), "10"),
			chromedp.SetValue(chromedp.CSS("#expires_on"), expires.Format(clinic.DateLayout)),
			chromedp.SendKeys(chromedp.CSS("#precautions"), "No deep pressure on the anterior neck."),
			chromedp.Click(chromedp.CSS(`form.rx-form button[type=submit]`)),
		)
		tb.waitPath(chart)

		// The chart warns that it expires in five days, and lists it.
		warn := browserRun(tb, chromedp.Text(chromedp.CSS(".rx-warnings")))
		want := fmt.Sprintf("The prescription from Sarah Kim, MD expires in 5 days (%s)", expires.Format("01/02/2006"))
		if !strings.Contains(warn, want) {
			t.Errorf("warning = %q, want it to say %q", warn, want)
		}
		rx := browserRun(tb, chromedp.Text(chromedp.CSS("#prescriptions")))
		for _, w := range []string{"G44.209", "Tension-type headache", "M54.2", "Cervicalgia", "10 visits", "No deep pressure on the anterior neck."} {
			if !strings.Contains(rx, w) {
				t.Errorf("the prescriptions section does not show %q", w)
			}
		}
		ps, err := s.DB.Prescriptions(ctx, s.Org.ID, client.ID)
		if err != nil || len(ps) != 1 || strings.Join(ps[0].Diagnoses, " ") != "G44.209 M54.2" || ps[0].ExpiresOn != expires.Format(clinic.DateLayout) || ps[0].Visits != 10 {
			t.Errorf("stored: %+v, %v", ps, err)
		}
		tb.shot("prescription-chart.png")
	})
}
