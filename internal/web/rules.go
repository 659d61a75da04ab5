package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fascia-health/fascia/internal/app"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// The screening rules: everyone who treats or books clients reads them,
// owners edit, disable, add and restore them.

func init() {
	areas = append(areas, func(s *Server, m *http.ServeMux) {
		m.HandleFunc("GET /admin/rules", s.signedIn(s.rulesPage))
		m.HandleFunc("GET /admin/rules/new", s.signedIn(s.ruleNewPage))
		m.HandleFunc("POST /admin/rules", s.signedIn(s.ruleCreate))
		m.HandleFunc("GET /admin/rules/{id}", s.signedIn(s.ruleEditPage))
		m.HandleFunc("POST /admin/rules/{id}", s.signedIn(s.ruleUpdate))
		m.HandleFunc("POST /admin/rules/{id}/enabled", s.signedIn(s.ruleEnabled))
		m.HandleFunc("POST /admin/rules/{id}/restore", s.signedIn(s.ruleRestore))
		m.HandleFunc("POST /admin/rules/{id}/delete", s.signedIn(s.ruleDelete))
		m.HandleFunc("POST /admin/rules/restore", s.signedIn(s.rulesRestoreAll))
	})
}

// RuleRow is a rule in the list.
type RuleRow struct {
	care.Rule
	// Edited is true for a default rule changed from the release's text.
	Edited bool
}

// RuleGroup is the rules of one level.
type RuleGroup struct {
	Level care.Level
	Rules []RuleRow
}

// RulesPage is the data of rules.html.
type RulesPage struct {
	Page
	Groups  []RuleGroup
	CanEdit bool
	Count   int
}

func edited(r *care.Rule) bool {
	d, ok := care.DefaultRule(r.Key)
	if !ok || !r.Builtin {
		return false
	}
	return d.Trigger != r.Trigger || d.Level != r.Level || d.Region != r.Region || d.Modification != r.Modification || d.Reason != r.Reason || d.Source != r.Source
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	rules, err := s.App.ScreeningRules(r.Context(), a)
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	p := RulesPage{Page: Page{Title: "Screening rules", Actor: a, Nav: "rules"}, CanEdit: a.Can(auth.OrgManage), Count: len(rules)}
	switch r.URL.Query().Get("saved") {
	case "1":
		p.Flash = "Saved. Clients' findings follow the next time their screening is read."
	case "restored":
		p.Flash = "The default rules are restored."
	case "deleted":
		p.Flash = "The rule is deleted."
	}
	for _, l := range care.Levels {
		g := RuleGroup{Level: l}
		for i := range rules {
			if rules[i].Level == l {
				g.Rules = append(g.Rules, RuleRow{Rule: rules[i], Edited: edited(&rules[i])})
			}
		}
		if len(g.Rules) > 0 {
			p.Groups = append(p.Groups, g)
		}
	}
	s.render(w, r, http.StatusOK, "rules", p)
}

// RuleFormPage is the data of rule_form.html.
type RuleFormPage struct {
	Page
	Rule    care.Rule
	IsNew   bool
	Error   string
	Fields  map[string]string
	Default *care.Rule // the release's version of a default rule
	Kinds   []care.TriggerKindInfo
	Levels  []care.Level
	// Conditions and MedicationClasses are the choices of a trigger's value.
	Conditions        []care.Condition
	MedicationClasses []care.MedicationClass
	Regions           []string
	AtSite            string
	Unit              string // the unit of N of the rule's kind, "" when it has none
}

func (s *Server) ruleForm(a *auth.Actor, p *RuleFormPage) {
	p.Actor, p.Nav = a, "rules"
	p.Kinds, p.Levels, p.Conditions, p.MedicationClasses, p.Regions, p.AtSite = care.TriggerKinds, care.Levels, care.Conditions, care.MedicationClasses, care.Regions, care.AtSite
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	if info, ok := care.KindInfo(p.Rule.Trigger.Kind); ok {
		p.Unit = info.Unit
	}
	if p.Rule.Builtin {
		if d, ok := care.DefaultRule(p.Rule.Key); ok {
			p.Default = &d
		}
	}
}

// requireOwner refuses (audited) anyone who may not change rules.
func (s *Server) requireOwner(w http.ResponseWriter, r *http.Request, a *auth.Actor) bool {
	if a.Can(auth.OrgManage) {
		return true
	}
	s.fail(w, r, a, s.App.Forbid(r.Context(), a, app.AuditRuleUpdate))
	return false
}

func (s *Server) ruleNewPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !s.requireOwner(w, r, a) {
		return
	}
	p := RuleFormPage{Page: Page{Title: "New screening rule"}, IsNew: true,
		Rule: care.Rule{Trigger: care.Trigger{Kind: care.TriggerCondition}, Level: care.LevelModify, Enabled: true, Source: "Clinic policy"}}
	s.ruleForm(a, &p)
	s.render(w, r, http.StatusOK, "rule_form", p)
}

// ruleFromForm reads the form; the value of the trigger comes from the input its kind uses.
func ruleFromForm(r *http.Request) care.Rule {
	f := r.PostFormValue
	n := -1 // not a number: refused by validation with the field named
	if v := strings.TrimSpace(f("n")); v == "" {
		n = 0
	} else if x, err := strconv.Atoi(v); err == nil {
		n = x
	}
	rule := care.Rule{Trigger: care.Trigger{Kind: care.TriggerKind(f("kind")), N: n}, Level: care.Level(f("level")),
		Region: f("region"), Modification: f("modification"), Reason: f("reason"), Source: f("source"), Enabled: f("enabled") == "1"}
	if info, ok := care.KindInfo(rule.Trigger.Kind); ok {
		switch info.Value {
		case "condition":
			rule.Trigger.Value = f("value_condition")
		case "medication_class":
			rule.Trigger.Value = f("value_medication")
		case "text":
			rule.Trigger.Value = f("value_text")
		}
		if info.Unit == "" {
			rule.Trigger.N = 0
		}
	}
	rule.Version, _ = strconv.ParseInt(f("version"), 10, 64)
	return rule
}

func (s *Server) ruleSaveFailed(w http.ResponseWriter, r *http.Request, a *auth.Actor, p *RuleFormPage, err error) {
	if errs.HTTPStatus(err) >= 500 || errs.Is(err, errs.Forbidden) || errs.Is(err, errs.NotFound) {
		s.fail(w, r, a, err)
		return
	}
	p.Error, p.Fields = errs.Message(err), errs.FieldsOf(err)
	s.ruleForm(a, p)
	s.render(w, r, errs.HTTPStatus(err), "rule_form", *p)
}

func (s *Server) ruleCreate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	rule := ruleFromForm(r)
	rule.ID, rule.Version = 0, 0
	if err := s.App.SaveRule(r.Context(), a, &rule); err != nil {
		s.ruleSaveFailed(w, r, a, &RuleFormPage{Page: Page{Title: "New screening rule"}, IsNew: true, Rule: rule}, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=1", http.StatusSeeOther)
}

func (s *Server) ruleByPath(w http.ResponseWriter, r *http.Request, a *auth.Actor) (*care.Rule, bool) {
	id, err := pathID(r)
	if err == nil {
		var rule *care.Rule
		if rule, err = s.App.ScreeningRule(r.Context(), a, id); err == nil {
			return rule, true
		}
	}
	s.fail(w, r, a, err)
	return nil, false
}

func (s *Server) ruleEditPage(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !s.requireOwner(w, r, a) {
		return
	}
	rule, ok := s.ruleByPath(w, r, a)
	if !ok {
		return
	}
	p := RuleFormPage{Page: Page{Title: "Edit screening rule"}, Rule: *rule}
	s.ruleForm(a, &p)
	s.render(w, r, http.StatusOK, "rule_form", p)
}

func (s *Server) ruleUpdate(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if !s.requireOwner(w, r, a) {
		return
	}
	cur, ok := s.ruleByPath(w, r, a)
	if !ok {
		return
	}
	rule := ruleFromForm(r)
	rule.ID, rule.Key, rule.Builtin = cur.ID, cur.Key, cur.Builtin
	if cur.Builtin {
		rule.Trigger.Kind, rule.Trigger.Value = cur.Trigger.Kind, cur.Trigger.Value
		if info, _ := care.KindInfo(cur.Trigger.Kind); info.Unit == "" {
			rule.Trigger.N = cur.Trigger.N
		}
	}
	if rule.Version <= 0 {
		s.fail(w, r, a, errs.E(errs.Invalid, "The form is missing its version; reload the page and try again."))
		return
	}
	if err := s.App.SaveRule(r.Context(), a, &rule); err != nil {
		if errs.Is(err, errs.Conflict) {
			// Show what is saved now; the person makes the change again.
			rule = *cur
			if fresh, ferr := s.App.ScreeningRule(r.Context(), a, cur.ID); ferr == nil {
				rule = *fresh
			}
		}
		s.ruleSaveFailed(w, r, a, &RuleFormPage{Page: Page{Title: "Edit screening rule"}, Rule: rule}, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=1#rule-"+strconv.FormatInt(rule.ID, 10), http.StatusSeeOther)
}

func (s *Server) ruleEnabled(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err == nil {
		err = s.App.SetRuleEnabled(r.Context(), a, id, r.PostFormValue("enabled") == "1")
	}
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=1#rule-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) ruleRestore(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err == nil {
		err = s.App.RestoreRules(r.Context(), a, id)
	}
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=restored#rule-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) ruleDelete(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	id, err := pathID(r)
	if err == nil {
		err = s.App.DeleteRule(r.Context(), a, id)
	}
	if err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=deleted", http.StatusSeeOther)
}

func (s *Server) rulesRestoreAll(w http.ResponseWriter, r *http.Request, a *auth.Actor) {
	if err := s.App.RestoreRules(r.Context(), a, 0); err != nil {
		s.fail(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/admin/rules?saved=restored", http.StatusSeeOther)
}
