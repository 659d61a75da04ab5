package app

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// SignInResult is a new session: its id goes in the cookie, and NeedMFA says
// the user must give a two-factor code before anything else.
type SignInResult struct {
	SessionID string
	NeedMFA   bool
	// NeedEnrol: the organisation requires two-factor and the user has none yet.
	NeedEnrol bool
}

var errBadCredentials = errs.E(errs.Unauthorized, "The email or password is not right.")

// SignIn checks an email and password and starts a new session. Every
// attempt is audited; repeated failures lock the account for a while and a
// source address is throttled whatever accounts it tries. A previous session
// (oldSessionHash) is ended, so the session id always changes at sign-in.
func (s *App) SignIn(ctx context.Context, email, password, ip, oldSessionHash string) (*SignInResult, error) {
	now := s.now()
	email = clinic.NormalizeEmail(email)
	if len(email) > 254 { // no address is longer (RFC 5321); keep the trail small
		email = strings.ToValidUTF8(email[:254], "")
	}
	failed := &audit.Entry{Actor: email, Action: audit.SignInFailed, RecordType: "user", SourceIP: ip, Result: audit.Failure}
	if s.ipLimiter.Exhausted(ip, now) {
		failed.Detail = "throttled source address"
		if err := s.audit(ctx, failed); err != nil {
			return nil, err
		}
		return nil, errs.E(errs.TooMany, "Too many sign-in attempts from your network. Wait a few minutes and try again.")
	}
	cred, err := s.DB.CredentialsByEmail(ctx, email)
	if err == nil && cred.LockedUntil.After(now) || errs.Is(err, errs.NotFound) {
		s.ipLimiter.Allow(ip, now) // count the failure against the address
	}
	if errs.Is(err, errs.NotFound) {
		auth.DummyVerify(password) // same time as a real check, so unknown emails can't be told apart
		failed.Detail = "unknown email"
		if err := s.audit(ctx, failed); err != nil {
			return nil, err
		}
		return nil, errBadCredentials
	}
	if err != nil {
		return nil, err
	}
	failed.UserID, failed.OrgID, failed.RecordID = cred.UserID, cred.OrgID, cred.UserID
	if cred.LockedUntil.After(now) {
		auth.DummyVerify(password)
		failed.Action, failed.Detail = audit.SignInLocked, "account locked"
		if err := s.audit(ctx, failed); err != nil {
			return nil, err
		}
		mins := int(cred.LockedUntil.Sub(now).Minutes()) + 1
		return nil, errs.E(errs.Locked, "This account is locked after repeated failed sign-ins. Try again in %d minutes, or ask an owner to reset the password.", mins)
	}
	ok, verr := auth.VerifyPassword(password, cred.PasswordHash)
	if verr != nil || !ok || !cred.Active {
		s.ipLimiter.Allow(ip, now)
		if !cred.Active {
			failed.Detail = "account disabled"
		}
		var n int
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			var err error
			if n, err = s.DB.RecordFailedLogin(ctx, tx, cred.UserID, MaxFailures, LockFor); err != nil {
				return err
			}
			failed.At = now
			return s.DB.AppendAudit(ctx, tx, failed)
		})
		if err != nil {
			return nil, err
		}
		if n >= MaxFailures {
			return nil, errs.E(errs.Locked, "This account is now locked for %d minutes after %d failed sign-ins.", int(LockFor.Minutes()), MaxFailures)
		}
		return nil, errBadCredentials
	}
	org, err := s.DB.Org(ctx, cred.OrgID)
	if err != nil {
		return nil, err
	}
	sid, err := auth.NewSessionID()
	if err != nil {
		return nil, errs.Wrap(errs.Internal, err, "could not start a session")
	}
	res := &SignInResult{SessionID: sid, NeedMFA: cred.TOTPEnabled, NeedEnrol: org.RequireMFA && !cred.TOTPEnabled}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if oldSessionHash != "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = $1", oldSessionHash); err != nil {
				return err
			}
		}
		if err := s.DB.ClearFailedLogins(ctx, tx, cred.UserID); err != nil {
			return err
		}
		if err := s.DB.CreateSession(ctx, tx, &store.Session{IDHash: auth.HashToken(sid), UserID: cred.UserID, OrgID: cred.OrgID, MFAOK: !cred.TOTPEnabled}); err != nil {
			return err
		}
		e := &audit.Entry{At: now, OrgID: cred.OrgID, UserID: cred.UserID, Actor: cred.Email, Action: audit.SignIn, RecordType: "user", RecordID: cred.UserID, SourceIP: ip, Result: audit.OK}
		if cred.TOTPEnabled {
			e.Detail = "password accepted; awaiting two-factor code"
		}
		return s.DB.AppendAudit(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// VerifyMFA completes a sign-in with a TOTP code.
func (s *App) VerifyMFA(ctx context.Context, a *auth.Actor, code string) error {
	cred, err := s.DB.CredentialsByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	step, ok := auth.VerifyTOTP(cred.TOTPSecret, code, s.now())
	if !cred.TOTPEnabled || !ok {
		if err := s.audit(ctx, entry(a, audit.MFAFailed, "user", a.User.ID, audit.Failure)); err != nil {
			return err
		}
		return &errs.Error{Code: errs.Invalid, Message: "That code is not right.", Fields: map[string]string{"code": "Enter the 6-digit code your authenticator app shows now."}}
	}
	replayed := false
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.UseTOTPStep(ctx, tx, a.User.ID, step); err != nil {
			replayed = errs.Is(err, errs.Invalid)
			return nil, &errs.Error{Code: errs.Invalid, Message: errs.Message(err), Fields: map[string]string{"code": errs.Message(err)}}
		}
		if err := s.DB.MarkSessionMFA(ctx, tx, a.SessionHash); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.SignIn, "user", a.User.ID, audit.OK), "two-factor code accepted")}, nil
	})
	if replayed {
		// A code used before (replayed, or seen over a shoulder) is a failed attempt too.
		if aerr := s.audit(ctx, withDetail(entry(a, audit.MFAFailed, "user", a.User.ID, audit.Failure), "code already used")); aerr != nil {
			return aerr
		}
	}
	return err
}

// Authenticate turns a session id from a cookie into an actor. A session idle
// for longer than the organisation allows is ended here.
func (s *App) Authenticate(ctx context.Context, sessionID, ip string) (*auth.Actor, error) {
	if sessionID == "" {
		return nil, errs.E(errs.Unauthorized, "Please sign in.")
	}
	h := auth.HashToken(sessionID)
	sess, u, err := s.DB.SessionUser(ctx, h)
	if err != nil {
		return nil, err
	}
	org, err := s.org(ctx, sess.OrgID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) > org.IdleTimeout {
		s.DB.DeleteSession(ctx, h)
		e := &audit.Entry{OrgID: org.ID, UserID: sess.UserID, Actor: u.Email, Action: audit.SignOut, RecordType: "user", RecordID: sess.UserID, SourceIP: ip, Result: audit.OK, Detail: "idle timeout"}
		if err := s.audit(ctx, e); err != nil {
			return nil, err
		}
		return nil, errs.E(errs.Unauthorized, "You were signed out after %d minutes without activity.", int(org.IdleTimeout.Minutes()))
	}
	if !u.Active {
		s.DB.DeleteSession(ctx, h)
		return nil, errs.E(errs.Unauthorized, "Your account is disabled.")
	}
	// Record activity at most every 15 seconds: one write per click would
	// queue every page behind SQLite's single writer.
	if now.Sub(sess.LastSeenAt) > 15*time.Second {
		if err := s.DB.TouchSession(ctx, h, now); err != nil {
			return nil, err
		}
	}
	return &auth.Actor{User: u, Org: org, IP: ip, Via: "web", SessionHash: h, Session: sess}, nil
}

// AuthenticateToken turns an API bearer token into an actor.
func (s *App) AuthenticateToken(ctx context.Context, token, ip string) (*auth.Actor, error) {
	t, err := s.DB.APITokenByHash(ctx, auth.HashToken(token))
	if err != nil {
		return nil, err
	}
	u, err := s.DB.User(ctx, t.OrgID, t.UserID)
	if err != nil || !u.Active {
		return nil, errs.E(errs.Unauthorized, "The API token's user is disabled.")
	}
	org, err := s.org(ctx, t.OrgID)
	if err != nil {
		return nil, err
	}
	// Record use at most once a minute (the store's condition says the
	// same): an UPDATE per call would queue every API read behind SQLite's
	// single writer.
	if now := s.now(); now.Sub(t.LastUsedAt) >= time.Minute {
		if err := s.DB.TouchAPIToken(ctx, t.ID, now); err != nil {
			return nil, err
		}
	}
	return &auth.Actor{User: u, Org: org, IP: ip, Via: "api", TokenID: t.ID}, nil
}

// SignOut ends the actor's session.
func (s *App) SignOut(ctx context.Context, a *auth.Actor) error {
	if err := s.DB.DeleteSession(ctx, a.SessionHash); err != nil {
		return err
	}
	return s.audit(ctx, entry(a, audit.SignOut, "user", a.User.ID, audit.OK))
}
