// Package app is Fascia's use cases: every action a page or the API offers,
// with the permission check and the audit entry around the store call. Pages
// and API handlers call these methods and nothing below them, so both get
// the same rules.
package app

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/mail"
	"github.com/fascia-health/fascia/internal/store"
)

// Sign-in throttling: after MaxFailures wrong passwords in a row an account
// is locked for LockFor; a source address may try PerIPAttempts times per
// PerIPWindow whatever the accounts.
const (
	MaxFailures   = 5
	LockFor       = 15 * time.Minute
	PerIPAttempts = 30
	PerIPWindow   = 10 * time.Minute
)

// App holds what the use cases need.
type App struct {
	DB  *store.DB
	Log *slog.Logger

	// BaseURL is where clients reach the server ("https://clinic.example"),
	// for the links in e-mails.
	BaseURL string
	// Mailer sends e-mail through each organisation's SMTP settings.
	Mailer mail.Sender

	ipLimiter       *auth.Limiter
	bookIPLimiter   *auth.Limiter
	bookMailLimiter *auth.Limiter
	cache           orgCache
	// rulesCache holds each organisation's screening rules by generation
	// (orgID → ruleSet): every change of a rule moves the generation, so a
	// cached set is never stale, also across server processes.
	rulesCache sync.Map
}

// New makes an App over db.
func New(db *store.DB, log *slog.Logger) *App {
	a := &App{DB: db, Log: log, ipLimiter: auth.NewLimiter(PerIPAttempts, PerIPWindow),
		bookIPLimiter: auth.NewLimiter(BookPerIP, BookWindow), bookMailLimiter: auth.NewLimiter(BookPerEmail, BookWindow),
		Mailer: mail.SMTP{Timeout: 30 * time.Second}, BaseURL: "http://localhost:8080"}
	return a
}

// entry starts an audit entry for actor.
func entry(a *auth.Actor, action, recordType string, recordID int64, result string) *audit.Entry {
	e := &audit.Entry{Action: action, RecordType: recordType, RecordID: recordID, Result: result}
	if a != nil {
		e.SourceIP = a.IP
		if a.User != nil {
			e.UserID, e.OrgID, e.Actor = a.User.ID, a.User.OrgID, a.User.Email
		}
		if a.Via != "" && a.Via != "web" {
			e.Detail = "via " + a.Via
		}
	}
	return e
}

func withDetail(e *audit.Entry, d string) *audit.Entry {
	if e.Detail != "" {
		e.Detail += "; " + d
	} else {
		e.Detail = d
	}
	return e
}

// audit writes entries that go with no change; a failure to audit fails the request.
func (s *App) audit(ctx context.Context, es ...*audit.Entry) error {
	for _, e := range es {
		e.At = s.now()
	}
	if hold(ctx, es) {
		return nil
	}
	if err := s.DB.Audit(ctx, es...); err != nil {
		s.Log.Error("audit write failed", "err", err)
		return errs.Wrap(errs.Internal, err, "could not record the audit entry")
	}
	return nil
}

// deny records a permission denial and returns the error to give the caller.
func (s *App) deny(ctx context.Context, a *auth.Actor, action, recordType string, recordID int64, err error) error {
	if aerr := s.audit(ctx, withDetail(entry(a, audit.Denied, recordType, recordID, audit.Refused), "tried "+action)); aerr != nil {
		return aerr
	}
	return err
}

// require returns Forbidden (audited) unless the actor has p.
func (s *App) require(ctx context.Context, a *auth.Actor, p auth.Permission, action string) error {
	if a.Can(p) {
		return nil
	}
	return s.deny(ctx, a, action, "", 0, errs.E(errs.Forbidden, "Your role (%s) does not allow this.", a.User.Role.Label()))
}

// tx runs fn and its audit entries in one transaction.
func (s *App) tx(ctx context.Context, fn func(tx *sql.Tx) ([]*audit.Entry, error)) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		es, err := fn(tx)
		if err != nil {
			return err
		}
		for _, e := range es {
			e.At = s.now()
		}
		return s.DB.AppendAudit(ctx, tx, es...)
	})
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

// now is the store's clock, which tests move to check idle sign-out.
func (s *App) now() time.Time { return s.DB.Now() }

// Forbid records that the actor tried something their role does not allow
// and returns the error to show.
func (s *App) Forbid(ctx context.Context, a *auth.Actor, action string) error {
	return s.deny(ctx, a, action, "", 0, errs.E(errs.Forbidden, "Your role (%s) does not allow this.", a.User.Role.Label()))
}
