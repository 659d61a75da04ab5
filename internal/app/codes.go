package app

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"weak"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/billing/icd10"
	"github.com/fascia-health/fascia/internal/errs"
)

// AuditCodesImport is the audit action of `fascia codes import`.
const AuditCodesImport = "codes.import"

// CodeSetRecheck is how often a server looks for code sets another process
// imported (the sets table is one small query).
const CodeSetRecheck = 30 * time.Second

// MaxCodeResults bounds one code search.
const MaxCodeResults = 100

// ICD10 is the ICD-10-CM code set in force on date on (a date of service:
// its fiscal year starts October 1 of the year before). It is the set
// imported for that fiscal year; else the nearest earlier one, where the
// built-in list counts as FY2027 (so a date in FY2027 with no FY2027 import
// uses the built-in list, and a date in FY2024 with only FY2022 imported
// uses FY2022); else, for dates before every set, the built-in list.
func (s *App) ICD10(ctx context.Context, on time.Time) (*icd10.Set, error) {
	c := s.codeCache()
	fy := icd10.FiscalYearOf(on)
	c.mu.Lock()
	if err := c.refresh(ctx, s); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	year := c.choose(fy)
	if year == 0 {
		c.mu.Unlock()
		return icd10.Builtin(), nil
	}
	e := c.sets[year]
	if e == nil || e.loadedAt != c.years[year] {
		e = &cachedSet{loadedAt: c.years[year], ready: make(chan struct{})}
		c.sets[year] = e
		c.mu.Unlock()
		e.load(ctx, s, year)
		if e.err != nil {
			c.mu.Lock()
			if c.sets[year] == e {
				delete(c.sets, year) // the next request tries again
			}
			c.mu.Unlock()
		}
	} else {
		c.mu.Unlock()
	}
	select {
	case <-e.ready:
	case <-ctx.Done():
		return nil, errs.Wrap(errs.Unavailable, ctx.Err(), "the request was cancelled while the code set was loading")
	}
	return e.set, e.err
}

// SearchCodes finds ICD-10-CM codes by code or title words in the set in
// force on date on, best first. Any signed-in role may: codes are public
// reference data. Searches are not audited, for the same reason: they hold
// no client information, and a lookup typed letter by letter would bury
// the trail.
func (s *App) SearchCodes(ctx context.Context, a *auth.Actor, q string, on time.Time, limit int) ([]icd10.Code, error) {
	if a == nil || a.User == nil {
		return nil, errs.E(errs.Unauthorized, "Sign in to look up codes.")
	}
	if limit < 1 || limit > MaxCodeResults {
		return nil, &errs.Error{Code: errs.Invalid, Message: fmt.Sprintf("Ask for 1 to %d codes.", MaxCodeResults),
			Fields: map[string]string{"limit": fmt.Sprintf("Use a whole number from 1 to %d.", MaxCodeResults)}}
	}
	if err := checkCodeQuery(q); err != nil {
		return nil, err
	}
	set, err := s.ICD10(ctx, on)
	if err != nil {
		return nil, err
	}
	out := set.Search(q, limit)
	if out == nil {
		out = []icd10.Code{}
	}
	return out, nil
}

// checkCodeQuery refuses a search that is not text a person typed.
func checkCodeQuery(q string) error {
	bad := func(msg string) error {
		return &errs.Error{Code: errs.Invalid, Message: msg, Fields: map[string]string{"q": msg}}
	}
	switch {
	case len(q) > icd10.MaxQuery:
		return bad(fmt.Sprintf("Search with at most %d characters: part of a code or a few words of its title.", icd10.MaxQuery))
	case !utf8.ValidString(q) || strings.ContainsRune(q, 0):
		return bad("The search holds characters that are not text.")
	}
	return nil
}

// ImportCodesCLI replaces the codes of fiscal year fy with entries, in one
// transaction with its audit entry (`fascia codes import`). The caller has
// parsed the whole file first, so a malformed file changes nothing.
func (s *App) ImportCodesCLI(ctx context.Context, fy int, source string, entries []icd10.Entry) error {
	if fy < MinFiscalYear || fy > MaxFiscalYear {
		return errs.E(errs.Invalid, "FY%d is not an ICD-10-CM year: use %d to %d.", fy, MinFiscalYear, MaxFiscalYear)
	}
	billable := 0
	for _, e := range entries {
		if e.Billable {
			billable++
		}
	}
	err := s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.ReplaceCodeSet(ctx, tx, fy, source, entries); err != nil {
			return nil, err
		}
		return []*audit.Entry{{Action: AuditCodesImport, RecordType: "icd10_set", RecordID: int64(fy), SourceIP: "local", Result: audit.OK,
			Detail: fmt.Sprintf("via cli; FY%d: %d codes (%d billable) from %s", fy, len(entries), billable, source)}}, nil
	})
	if err != nil {
		return err
	}
	c := s.codeCache()
	c.mu.Lock()
	c.checkedAt = time.Time{} // look again at the next request
	c.mu.Unlock()
	return nil
}

// The years ICD-10-CM exists for: it took effect on 2015-10-01 (FY2016).
const (
	MinFiscalYear = 2016
	MaxFiscalYear = 2100
)

// codeCache keeps loaded code sets, by fiscal year, and the sets table as
// last read.
type codeCache struct {
	mu        sync.Mutex
	checkedAt time.Time
	years     map[int]int64 // imported fiscal year → loaded_at (ms)
	sets      map[int]*cachedSet
}

type cachedSet struct {
	loadedAt int64
	ready    chan struct{} // closed once set or err is known
	set      *icd10.Set
	err      error
}

// refresh re-reads the sets table when it is older than CodeSetRecheck,
// dropping sets another process re-imported or removed. c.mu is held.
func (c *codeCache) refresh(ctx context.Context, s *App) error {
	now := s.now()
	if !c.checkedAt.IsZero() && now.Sub(c.checkedAt) < CodeSetRecheck && now.After(c.checkedAt.Add(-time.Second)) {
		return nil
	}
	infos, err := s.DB.CodeSets(ctx)
	if err != nil {
		return err
	}
	years := make(map[int]int64, len(infos))
	for _, in := range infos {
		years[in.FiscalYear] = in.LoadedAt.UnixMilli()
	}
	for y, e := range c.sets {
		if years[y] != e.loadedAt {
			delete(c.sets, y)
		}
	}
	c.years, c.checkedAt = years, now
	return nil
}

// choose picks the imported year to use for fiscal year fy, or 0 for the
// built-in list. c.mu is held.
func (c *codeCache) choose(fy int) int {
	if _, ok := c.years[fy]; ok {
		return fy
	}
	best := 0
	for y := range c.years {
		if y < fy && y > best {
			best = y
		}
	}
	if icd10.BuiltinFiscalYear <= fy && icd10.BuiltinFiscalYear > best {
		return 0
	}
	return best
}

func (e *cachedSet) load(ctx context.Context, s *App, fy int) {
	defer close(e.ready)
	// Loading is shared by every request waiting for this year: one
	// request's cancellation must not fail the others.
	ctx = context.WithoutCancel(ctx)
	info, entries, err := s.DB.CodeSet(ctx, fy)
	if err != nil {
		e.err = err
		return
	}
	start := time.Now()
	e.set = icd10.NewSetFrom(fy, info.Source, entries)
	s.Log.Info("ICD-10-CM code set loaded", "fiscal_year", fy, "codes", e.set.Len(), "index_ms", time.Since(start).Milliseconds())
}

// codeCaches holds each App's code cache. App's fields are fixed in
// app.go; a weak key lets an App (tests make many) and its cached sets be
// collected together.
var codeCaches sync.Map // weak.Pointer[App] → *codeCache

func (s *App) codeCache() *codeCache {
	k := weak.Make(s)
	if c, ok := codeCaches.Load(k); ok {
		return c.(*codeCache)
	}
	c, loaded := codeCaches.LoadOrStore(k, &codeCache{sets: map[int]*cachedSet{}})
	if !loaded {
		runtime.AddCleanup(s, func(k weak.Pointer[App]) { codeCaches.Delete(k) }, k)
	}
	return c.(*codeCache)
}
