package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fascia-health/fascia/internal/assess"
	"github.com/fascia-health/fascia/internal/billing/units"
	"github.com/fascia-health/fascia/internal/care"
	"github.com/fascia-health/fascia/internal/errs"
)

// NoteSettings is how an organisation's session notes become billed units:
// which procedure code each technique and modality bills, the unit rule
// used by default, and the payers that bill by a rule of their own.
type NoteSettings struct {
	CodeMap    care.CodeMap
	Rule       units.Rule
	PayerRules map[string]units.Rule // payer name → rule
	UpdatedAt  time.Time             // zero until the owner saves
}

// Limits of the payer rules: a clinic deals with a few dozen payers at most,
// and a payer's name is a line of a claim form.
const (
	MaxPayerRules     = 50
	MaxPayerNameRunes = 100
)

// RuleFor is the rule a payer's notes are billed by: its own if it has one
// (names compared trimmed and without regard to case), else the default.
func (s NoteSettings) RuleFor(payer string) units.Rule {
	payer = strings.TrimSpace(payer)
	if payer != "" {
		for name, r := range s.PayerRules {
			if strings.EqualFold(name, payer) {
				return r
			}
		}
	}
	return s.Rule
}

// PayerNames are the payers with a rule of their own, sorted without regard
// to case, as the settings page lists them.
func (s NoteSettings) PayerNames() []string {
	names := slices.Collect(maps.Keys(s.PayerRules))
	slices.SortFunc(names, func(a, b string) int {
		if c := strings.Compare(strings.ToLower(a), strings.ToLower(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return names
}

// DefaultNoteSettings are an organisation's settings before its owner saves
// any: care.DefaultCodeMap, the CMS 8-minute rule, no payer of its own.
func DefaultNoteSettings() NoteSettings {
	return NoteSettings{CodeMap: care.DefaultCodeMap(), Rule: units.CMS, PayerRules: map[string]units.Rule{}}
}

// Validate checks the settings and trims payer names in place. Field names:
// "code.<key>" (care.CodeMap.Validate), "rule", "payer.<name>", "payers".
func (s *NoteSettings) Validate() error {
	f := errs.FieldErrors{}
	if err := s.CodeMap.Validate(); err != nil {
		maps.Copy(f, errs.FieldsOf(err))
	}
	if !s.Rule.Valid() {
		f.Add("rule", "Choose the CMS 8-minute rule or the AMA substantial-portion rule.")
	}
	if len(s.PayerRules) > MaxPayerRules {
		f.Add("payers", "Keep to 50 payers with a rule of their own; the others use the default rule.")
	}
	trimmed := make(map[string]units.Rule, len(s.PayerRules))
	seen := map[string]string{} // lower-cased name → the name first given
	for _, raw := range NoteSettings(*s).PayerNames() {
		name, r := strings.TrimSpace(raw), s.PayerRules[raw]
		field := "payer." + name
		switch {
		case name == "":
			f.Add("payers", "Give each payer's name, or leave the whole row empty.")
			continue
		case !storable(name) || strings.IndexFunc(name, unicode.IsControl) >= 0:
			f.Add(field, "Keep the payer's name on one line, without characters that are not text.")
		case utf8.RuneCountInString(name) > MaxPayerNameRunes:
			f.Add(field, "Shorten the payer's name to 100 characters or fewer.")
		}
		if first, dup := seen[strings.ToLower(name)]; dup {
			f.Add(field, "This payer is already listed as "+first+"; give each payer once.")
		}
		seen[strings.ToLower(name)] = name
		if !r.Valid() {
			f.Add(field, "Choose the CMS or the AMA rule for this payer.")
		}
		trimmed[name] = r
	}
	if err := f.Err(); err != nil {
		return err
	}
	s.PayerRules = trimmed
	return nil
}

// NoteSettings reads the organisation's note billing settings. The stored
// code map is laid over care.DefaultCodeMap, so a technique added to the
// catalogue after the owner saved bills its default code; a stored key the
// catalogue no longer has is dropped.
func (db *DB) NoteSettings(ctx context.Context, orgID int64) (NoteSettings, error) {
	var codeMap, rule, payers string
	var updated int64
	err := db.queryRow(ctx, "SELECT code_map, unit_rule, payer_rules, updated_at FROM note_settings WHERE org_id = $1", orgID).
		Scan(&codeMap, &rule, &payers, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultNoteSettings(), nil
	}
	if err != nil {
		return NoteSettings{}, dbErr(err)
	}
	s := DefaultNoteSettings()
	var stored map[string]string
	if err := json.Unmarshal([]byte(codeMap), &stored); err != nil {
		return NoteSettings{}, errs.Wrap(errs.Internal, err, "the clinic's procedure code settings cannot be read")
	}
	for k, code := range stored {
		if _, ok := assess.TechniqueByKey(k); ok || slices.Contains(care.ModalityKinds, k) {
			s.CodeMap[k] = code
		}
	}
	if err := json.Unmarshal([]byte(payers), &s.PayerRules); err != nil {
		return NoteSettings{}, errs.Wrap(errs.Internal, err, "the clinic's payer rules cannot be read")
	}
	if s.PayerRules == nil {
		s.PayerRules = map[string]units.Rule{}
	}
	s.Rule, s.UpdatedAt = units.Rule(rule), ms2t(updated)
	return s, nil
}

// SaveNoteSettings validates and stores the organisation's note billing
// settings, replacing what was there.
func (db *DB) SaveNoteSettings(ctx context.Context, tx *sql.Tx, orgID int64, s NoteSettings) error {
	if err := s.Validate(); err != nil {
		return err
	}
	codeMap, err := json.Marshal(s.CodeMap)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode the code map")
	}
	payers, err := json.Marshal(s.PayerRules)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "encode the payer rules")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO note_settings (org_id, code_map, unit_rule, payer_rules, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (org_id) DO UPDATE SET code_map = excluded.code_map, unit_rule = excluded.unit_rule,
		payer_rules = excluded.payer_rules, updated_at = excluded.updated_at`,
		orgID, string(codeMap), string(s.Rule), string(payers), db.now())
	return dbErr(err)
}
