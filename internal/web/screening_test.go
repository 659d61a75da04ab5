package web_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/store"
	"github.com/fascia-health/fascia/internal/testsrv"
)

const screeningPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

func clearanceDoc(orgID, clientID, userID int64) *clinic.Document {
	return &clinic.Document{OrgID: orgID, ClientID: clientID, Kind: clinic.DocumentClearance, Filename: "clearance.pdf", UploadedBy: userID}
}

// screenedClient adds a Downtown client and imports a signed health history for it.
func screenedClient(t testing.TB, s *testsrv.Server, last string, in care.Intake) clinic.Client {
	t.Helper()
	res, err := s.App.SignIn(ctx, testsrv.Owner, testsrv.Password, "127.0.0.1", "")
	if err != nil {
		t.Fatal(err)
	}
	owner, err := s.App.Authenticate(ctx, res.SessionID, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	c := &clinic.Client{FirstName: "Screen", LastName: last, DOB: "1968-02-03", Sex: clinic.SexFemale, PreferredLocationID: s.Downtown.ID, Status: clinic.StatusActive}
	if err := s.App.CreateClient(ctx, owner, c); err != nil {
		t.Fatal(err)
	}
	in.ReasonForVisit = "Low back pain"
	if _, err := s.App.ImportIntake(ctx, owner, c.ID, in, care.Signature{Kind: "typed", Name: "Screen " + last}, time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	return *c
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// text is a page's text without markup, spaces collapsed.
func pageText(body string) string {
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(body, " ")), " ")
}

func multipartForm(t testing.TB, fields map[string]string, filename string, data []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if filename != "" {
		fw, _ := w.CreateFormFile("document", filename)
		fw.Write(data)
	}
	w.Close()
	return b.String(), w.FormDataContentType()
}

func TestScreeningBannerAndForms(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "Eliquis", "Ultrasound")
		c := screenedClient(t, s, "Bannerclient", care.Intake{Conditions: []string{"fever", "dvt_history"}, Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}}})
		chart := s.URL + "/clients/" + id(c.ID)
		mc := s.SignIn(t, testsrv.TherapistA)

		// The banner is the first thing on the chart, the findings colour-coded by level.
		r := get(t, mc, chart)
		if r.status != http.StatusOK {
			t.Fatalf("chart: %d", r.status)
		}
		b := strings.Index(r.body, `id="screening"`)
		if b < 0 || b > strings.Index(r.body, `id="contact-h"`) {
			t.Fatalf("no screening banner above the chart's cards")
		}
		page := pageText(r.body)
		for _, want := range []string{
			"Modify: light pressure only (Walton 0–2); no deep work or friction — The client takes an anticoagulant",
			"From the health history: medication: Eliquis (anticoagulant)",
			"Avoid — reschedule: Fever or a contagious illness",
			"Needs physician clearance: A diagnosed blood clot",
			"No session today",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("chart does not show %q", want)
			}
		}
		for _, cls := range []string{`class="finding level-modify`, `class="finding level-avoid`, `class="finding level-clearance`, `class="finding level-avoid_local`} {
			if !strings.Contains(r.body, cls) {
				t.Errorf("no %s on the chart", cls)
			}
		}
		if !regexp.MustCompile(`<link rel="stylesheet" href="/static/[0-9a-f]+/screening\.css">`).MatchString(r.body) {
			t.Errorf("the banner's stylesheet is not linked")
		}

		// An override: too short a reason is shown next to the field, on the screening page.
		r = post(t, mc, chart+"/screening/overrides", url.Values{"rule": {"default.fever"}, "reason": {"ok"}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(pageText(r.body), "Give the reason in at least 10 characters") || !strings.Contains(r.body, `<details class="finding-action" open>`) {
			t.Errorf("short reason: %d %s", r.status, pageText(r.body))
		}
		// Front desk may not override.
		dc := s.SignIn(t, testsrv.FrontDesk)
		if r := post(t, dc, chart+"/screening/overrides", url.Values{"rule": {"default.fever"}, "reason": {"Front desk says it is fine"}}); r.status != http.StatusForbidden {
			t.Errorf("front desk override: %d", r.status)
		}
		r = post(t, mc, chart+"/screening/overrides", url.Values{"rule": {"default.fever"}, "reason": {"Ultrasound <script>alert(1)</script> and no fever for 2 days."}})
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/clients/"+id(c.ID)+"?saved=1#screening" {
			t.Fatalf("override: %d %q", r.status, r.header.Get("Location"))
		}
		r = get(t, mc, chart)
		if page := pageText(r.body); !strings.Contains(page, "Overridden for today by Maria Lopez") || strings.Contains(page, "No session today") {
			t.Errorf("after the override: %s", page)
		}
		wantEscaped(t, "screening page after an override", get(t, mc, chart+"/screening").body)

		// A clearance with its scan, from the front desk; a file that is not a scan is refused next to the field.
		fields := map[string]string{"rule": "default.dvt_history", "physician": "Dr. Ana Ruiz", "date": time.Now().AddDate(0, 0, -1).Format(clinic.DateLayout), "from": "screening"}
		body, ct := multipartForm(t, fields, "letter.pdf", []byte("MZ not a scan"))
		r = do(t, dc, http.MethodPost, chart+"/screening/clearances", body, "Content-Type", ct)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(pageText(r.body), "Upload a PDF, JPEG or PNG scan") || !strings.Contains(r.body, `value="Dr. Ana Ruiz"`) {
			t.Errorf("clearance with a bad file: %d %s", r.status, pageText(r.body))
		}
		body, ct = multipartForm(t, fields, "letter.pdf", []byte(screeningPDF))
		r = do(t, dc, http.MethodPost, chart+"/screening/clearances", body, "Content-Type", ct)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != "/clients/"+id(c.ID)+"/screening?saved=clearance" {
			t.Fatalf("clearance: %d %q %s", r.status, r.header.Get("Location"), pageText(r.body))
		}
		r = get(t, dc, s.URL+r.header.Get("Location"))
		if page := pageText(r.body); !strings.Contains(page, "Clearance recorded.") || !strings.Contains(page, "Cleared by Dr. Ana Ruiz") {
			t.Errorf("screening page after the clearance: %s", page)
		}
		if !regexp.MustCompile(`href="/documents/\d+"`).MatchString(r.body) {
			t.Errorf("no link to the clearance letter")
		}
		// The biller sees the banner but no forms.
		bc := s.SignIn(t, testsrv.Biller)
		r = get(t, bc, chart)
		if !strings.Contains(r.body, `id="screening"`) || strings.Contains(r.body, "/screening/clearances") || strings.Contains(r.body, "/screening/overrides") {
			t.Errorf("biller's chart shows screening forms")
		}
		if r := post(t, bc, chart+"/screening/clearances", url.Values{"rule": {"default.dvt_history"}, "physician": {"x"}, "date": {"2026-01-01"}}); r.status != http.StatusForbidden {
			t.Errorf("biller clearance: %d", r.status)
		}
		// A therapist of another location gets neither the page nor the forms.
		jc := s.SignIn(t, testsrv.TherapistB)
		if r := get(t, jc, chart+"/screening"); r.status != http.StatusForbidden {
			t.Errorf("other location's screening page: %d", r.status)
		}
		if r := post(t, jc, chart+"/screening/overrides", url.Values{"rule": {"default.fever"}, "reason": {"Another location's therapist"}}); r.status != http.StatusForbidden {
			t.Errorf("other location's override: %d", r.status)
		}
	})
}

func TestScreeningRulesPages(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e)
		oc := s.SignIn(t, testsrv.Owner)
		owner := userID(t, s, testsrv.Owner)

		// Everyone who treats or books reads the rules; only the owner changes them.
		for _, who := range []string{testsrv.TherapistA, testsrv.FrontDesk} {
			r := get(t, s.SignIn(t, who), s.URL+"/admin/rules")
			if r.status != http.StatusOK || !strings.Contains(pageText(r.body), "Blood thinner") || strings.Contains(r.body, "/admin/rules/new") || strings.Contains(r.body, `action="/admin/rules/`) {
				t.Errorf("%s reads the rules: %d", who, r.status)
			}
		}
		bc := s.SignIn(t, testsrv.Biller)
		if r := get(t, bc, s.URL+"/admin/rules"); r.status != http.StatusForbidden {
			t.Errorf("biller reads the rules: %d", r.status)
		}
		mc := s.SignIn(t, testsrv.TherapistA)
		for _, p := range []string{"/admin/rules/new", "/admin/rules/1"} {
			if r := get(t, mc, s.URL+p); r.status != http.StatusForbidden {
				t.Errorf("therapist GET %s: %d", p, r.status)
			}
		}
		if r := post(t, mc, s.URL+"/admin/rules", url.Values{"kind": {"condition"}, "value_condition": {"epilepsy"}, "level": {"avoid"}, "reason": {"x"}, "source": {"y"}}); r.status != http.StatusForbidden {
			t.Errorf("therapist adds a rule: %d", r.status)
		}
		r := get(t, oc, s.URL+"/admin/rules")
		page := pageText(r.body)
		for _, want := range []string{"Refer urgently", "Avoid — reschedule", "Needs physician clearance", "Avoid locally", "Modify", "Add a rule", "Restore all default rules",
			"Medication: Blood thinner", "Walton, Medical Conditions and Massage Therapy"} {
			if !strings.Contains(page, want) {
				t.Errorf("rules page lacks %q", want)
			}
		}

		// Add a rule: errors next to the fields, then saved and audited.
		form := url.Values{"kind": {"medication_class"}, "value_medication": {"corticosteroid"}, "level": {"modify"}, "reason": {""}, "source": {"Clinic policy"}, "enabled": {"1"}}
		r = post(t, oc, s.URL+"/admin/rules", form)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-error"`) || !strings.Contains(r.body, `id="modification-error"`) {
			t.Errorf("invalid rule: %d %s", r.status, pageText(r.body))
		}
		form.Set("reason", "Long-term steroids thin the skin.")
		form.Set("modification", "light pressure; skin tears easily")
		before := auditCount(t, s, s.Org.ID, owner, app.AuditRuleUpdate)
		if r := post(t, oc, s.URL+"/admin/rules", form); r.status != http.StatusSeeOther {
			t.Fatalf("add rule: %d %s", r.status, pageText(r.body))
		}
		if got := auditCount(t, s, s.Org.ID, owner, app.AuditRuleUpdate); got != before+1 {
			t.Errorf("rule.update entries %d → %d", before, got)
		}
		if !strings.Contains(pageText(get(t, oc, s.URL+"/admin/rules").body), "Medication: Corticosteroid") {
			t.Errorf("the new rule is not listed")
		}

		// Edit a default, see it marked edited, restore it.
		rules, _ := s.DB.ScreeningRules(ctx, s.Org.ID)
		var anti care.Rule
		for _, x := range rules {
			if x.Key == "default.anticoagulant" {
				anti = x
			}
		}
		edit := url.Values{"level": {"modify"}, "modification": {"Walton 1 only"}, "reason": {anti.Reason}, "source": {anti.Source}, "enabled": {"1"}, "version": {id(anti.Version)}}
		if r := post(t, oc, s.URL+"/admin/rules/"+id(anti.ID), edit); r.status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.status, pageText(r.body))
		}
		if r := post(t, oc, s.URL+"/admin/rules/"+id(anti.ID), edit); r.status != http.StatusConflict {
			t.Errorf("stale edit: %d", r.status)
		}
		if r := get(t, oc, s.URL+"/admin/rules"); !strings.Contains(r.body, `action="/admin/rules/`+id(anti.ID)+`/restore"`) {
			t.Errorf("an edited default offers no restore")
		}
		if r := post(t, oc, s.URL+"/admin/rules/"+id(anti.ID)+"/restore", nil); r.status != http.StatusSeeOther {
			t.Errorf("restore: %d", r.status)
		}
		if got, _ := s.DB.ScreeningRule(ctx, s.Org.ID, anti.ID); got.Modification != "light pressure only (Walton 0–2); no deep work or friction" {
			t.Errorf("restored modification %q", got.Modification)
		}
		// Disable and delete; a default cannot be deleted.
		if r := post(t, oc, s.URL+"/admin/rules/"+id(anti.ID)+"/enabled", url.Values{"enabled": {"0"}}); r.status != http.StatusSeeOther {
			t.Errorf("disable: %d", r.status)
		}
		if got, _ := s.DB.ScreeningRule(ctx, s.Org.ID, anti.ID); got.Enabled {
			t.Errorf("still enabled")
		}
		if r := post(t, oc, s.URL+"/admin/rules/"+id(anti.ID)+"/delete", nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("deleting a default: %d", r.status)
		}
		for _, p := range []string{"/admin/rules/abc", "/admin/rules/99999999", "/admin/rules/-1"} {
			if r := get(t, oc, s.URL+p); r.status != http.StatusNotFound {
				t.Errorf("GET %s: %d", p, r.status)
			}
		}
		// Another organisation's rule is not found.
		if r := get(t, s.SignIn(t, testsrv.OtherOwner), s.URL+"/admin/rules/"+id(anti.ID)); r.status != http.StatusNotFound {
			t.Errorf("other org's owner opens a rule: %d", r.status)
		}
		if r := post(t, oc, s.URL+"/admin/rules/restore", nil); r.status != http.StatusSeeOther {
			t.Errorf("restore all: %d", r.status)
		}
		if got, _ := s.DB.ScreeningRule(ctx, s.Org.ID, anti.ID); !got.Enabled {
			t.Errorf("restore all left a default disabled")
		}
	})
}

func TestScreeningAPI(t *testing.T) {
	each(t, func(t *testing.T, e store.Engine) {
		s := start(t, e, "Eliquis")
		c := screenedClient(t, s, "Apiclient", care.Intake{Conditions: []string{"fever"}, Medications: []care.Medication{{Name: "Eliquis", Class: "anticoagulant"}}})
		tok := s.Token(t, testsrv.TherapistA)
		r := api(t, s, tok, http.MethodGet, "/api/v1/clients/"+id(c.ID)+"/screening", "")
		var out struct {
			Findings []struct {
				Rule, Level, Region, Modification, Reason, Source, Evidence string
				Blocks                                                      bool `json:"blocks_session"`
			} `json:"findings"`
			CanStart bool `json:"can_start_session"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &out) != nil {
			t.Fatalf("screening: %s", r)
		}
		if out.CanStart || len(out.Findings) != 2 || out.Findings[0].Rule != "default.fever" || !out.Findings[0].Blocks ||
			out.Findings[1].Level != "modify" || out.Findings[1].Evidence != "medication: Eliquis (anticoagulant)" || out.Findings[1].Source == "" {
			t.Errorf("screening %+v", out)
		}
		for _, k := range []string{`"rule"`, `"level"`, `"region"`, `"modification"`, `"reason"`, `"source"`, `"evidence"`, `"can_start_session"`} {
			if !strings.Contains(r.body, k) {
				t.Errorf("no %s in %s", k, r.body)
			}
		}
		r = api(t, s, tok, http.MethodGet, "/api/v1/screening/rules", "")
		var rules struct {
			Rules []struct {
				Key     string `json:"key"`
				Level   string `json:"level"`
				Source  string `json:"source"`
				Builtin bool   `json:"builtin"`
			} `json:"rules"`
		}
		if r.status != http.StatusOK || json.Unmarshal([]byte(r.body), &rules) != nil || len(rules.Rules) != len(care.DefaultRules()) || rules.Rules[0].Source == "" || !rules.Rules[0].Builtin {
			t.Errorf("rules: %s", r)
		}
		// Who may not: another location's therapist, another organisation, the biller for the rules.
		wantAPIError(t, "other location", api(t, s, s.Token(t, testsrv.TherapistB), http.MethodGet, "/api/v1/clients/"+id(c.ID)+"/screening", ""), http.StatusForbidden, "forbidden")
		wantAPIError(t, "other org", api(t, s, s.Token(t, testsrv.OtherOwner), http.MethodGet, "/api/v1/clients/"+id(c.ID)+"/screening", ""), http.StatusNotFound, "not_found")
		wantAPIError(t, "biller rules", api(t, s, s.Token(t, testsrv.Biller), http.MethodGet, "/api/v1/screening/rules", ""), http.StatusForbidden, "forbidden")
		for _, p := range []string{"abc", "0", "-1", "99999999"} {
			wantAPIError(t, "client "+p, api(t, s, tok, http.MethodGet, "/api/v1/clients/"+p+"/screening", ""), http.StatusNotFound, "not_found")
		}
		// The index lists the endpoints.
		if r := api(t, s, "", http.MethodGet, "/api/v1/", ""); !strings.Contains(r.body, "/api/v1/clients/{id}/screening") || !strings.Contains(r.body, "/api/v1/screening/rules") {
			t.Errorf("index: %s", r)
		}
	})
}
