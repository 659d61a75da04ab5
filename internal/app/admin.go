package app

import (
	"context"
	"database/sql"
	"time"

	"github.com/fascia-health/fascia/internal/audit"
	"github.com/fascia-health/fascia/internal/auth"
	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
	"github.com/fascia-health/fascia/internal/store"
)

// Users lists the organisation's staff (owners only).
func (s *App) Users(ctx context.Context, a *auth.Actor) ([]clinic.User, error) {
	if err := s.require(ctx, a, auth.UserManage, "user.list"); err != nil {
		return nil, err
	}
	return s.DB.Users(ctx, a.User.OrgID)
}

// CreateUser adds a member of staff with a first password they must change.
func (s *App) CreateUser(ctx context.Context, a *auth.Actor, u *clinic.User, password string) error {
	if err := s.require(ctx, a, auth.UserManage, audit.UserCreate); err != nil {
		return err
	}
	if err := clinic.ValidatePassword(password); err != nil {
		return err
	}
	u.OrgID, u.MustChangePassword = a.User.OrgID, true
	hash, err := auth.HashPassword(password)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "could not hash the password")
	}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateUser(ctx, tx, u, hash); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.UserCreate, "user", u.ID, audit.OK), "role "+string(u.Role))}, nil
	})
	s.cache.forget(a.User.OrgID)
	return err
}

// UpdateUser changes a user's name, role, locations and active flag.
func (s *App) UpdateUser(ctx context.Context, a *auth.Actor, u *clinic.User) error {
	if err := s.require(ctx, a, auth.UserManage, audit.UserUpdate); err != nil {
		return err
	}
	u.OrgID = a.User.OrgID
	if u.ID == a.User.ID && (u.Role != clinic.RoleOwner || !u.Active) {
		return &errs.Error{Code: errs.Invalid, Message: "You cannot remove your own owner role or disable yourself.", Fields: map[string]string{"role": "Ask another owner to change this."}}
	}
	defer s.cache.forget(a.User.OrgID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.UpdateUser(ctx, tx, u); err != nil {
			return nil, err
		}
		return []*audit.Entry{withDetail(entry(a, audit.UserUpdate, "user", u.ID, audit.OK), "role "+string(u.Role))}, nil
	})
}

// ResetPassword lets an owner set a temporary password for a user, who must
// change it at the next sign-in; the user's sessions end.
func (s *App) ResetPassword(ctx context.Context, a *auth.Actor, userID int64, password string) error {
	if err := s.require(ctx, a, auth.UserManage, audit.PasswordReset); err != nil {
		return err
	}
	if err := clinic.ValidatePassword(password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "could not hash the password")
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetPassword(ctx, tx, a.User.OrgID, userID, hash, true, ""); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, audit.PasswordReset, "user", userID, audit.OK)}, nil
	})
}

// ChangePassword lets a user change their own password; their other sessions end.
func (s *App) ChangePassword(ctx context.Context, a *auth.Actor, current, next string) error {
	cred, err := s.DB.CredentialsByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	if ok, _ := auth.VerifyPassword(current, cred.PasswordHash); !ok {
		return &errs.Error{Code: errs.Invalid, Message: "The current password is not right.", Fields: map[string]string{"current": "Enter the password you signed in with."}}
	}
	if err := clinic.ValidatePassword(next); err != nil {
		return err
	}
	if next == current {
		return &errs.Error{Code: errs.Invalid, Message: "Choose a new password.", Fields: map[string]string{"password": "The new password must differ from the current one."}}
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return errs.Wrap(errs.Internal, err, "could not hash the password")
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetPassword(ctx, tx, a.User.OrgID, a.User.ID, hash, false, a.SessionHash); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, audit.PasswordChange, "user", a.User.ID, audit.OK)}, nil
	})
}

// BeginTOTP makes a new secret for the actor to scan; it is not in force
// until ConfirmTOTP gets a right code from it.
func (s *App) BeginTOTP(ctx context.Context, a *auth.Actor) (secret, uri string, err error) {
	secret, err = auth.NewTOTPSecret()
	if err != nil {
		return "", "", errs.Wrap(errs.Internal, err, "could not make a secret")
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.DB.SetTOTP(ctx, tx, a.User.ID, secret, false) })
	return secret, auth.TOTPURI(secret, "Fascia ("+a.Org.Name+")", a.User.Email), err
}

// PendingTOTP returns the secret being enrolled, or "" if none.
func (s *App) PendingTOTP(ctx context.Context, a *auth.Actor) (secret, uri string, err error) {
	cred, err := s.DB.CredentialsByID(ctx, a.User.ID)
	if err != nil || cred.TOTPEnabled || cred.TOTPSecret == "" {
		return "", "", err
	}
	return cred.TOTPSecret, auth.TOTPURI(cred.TOTPSecret, "Fascia ("+a.Org.Name+")", a.User.Email), nil
}

// ConfirmTOTP turns two-factor on once the user proves their app has the secret.
func (s *App) ConfirmTOTP(ctx context.Context, a *auth.Actor, code string) error {
	cred, err := s.DB.CredentialsByID(ctx, a.User.ID)
	if err != nil {
		return err
	}
	if cred.TOTPSecret == "" {
		return errs.E(errs.Invalid, "Start two-factor set-up first.")
	}
	step, ok := auth.VerifyTOTP(cred.TOTPSecret, code, s.now())
	if !ok {
		return &errs.Error{Code: errs.Invalid, Message: "That code is not right.", Fields: map[string]string{"code": "Enter the 6-digit code your authenticator app shows for Fascia."}}
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.SetTOTP(ctx, tx, a.User.ID, cred.TOTPSecret, true); err != nil {
			return nil, err
		}
		if err := s.DB.UseTOTPStep(ctx, tx, a.User.ID, step); err != nil {
			return nil, err
		}
		if a.SessionHash != "" {
			if err := s.DB.MarkSessionMFA(ctx, tx, a.SessionHash); err != nil {
				return nil, err
			}
		}
		return []*audit.Entry{entry(a, audit.MFAEnabled, "user", a.User.ID, audit.OK)}, nil
	})
}

// UpdateOrgSecurity sets the idle timeout and whether two-factor is mandatory.
func (s *App) UpdateOrgSecurity(ctx context.Context, a *auth.Actor, idle time.Duration, requireMFA bool) error {
	if err := s.require(ctx, a, auth.OrgManage, audit.OrgUpdate); err != nil {
		return err
	}
	o := *a.Org
	o.IdleTimeout, o.RequireMFA = idle, requireMFA
	defer s.cache.forget(o.ID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.UpdateOrgSecurity(ctx, tx, &o); err != nil {
			return nil, err
		}
		d := "idle timeout " + idle.String()
		if requireMFA {
			d += ", two-factor required"
		}
		return []*audit.Entry{withDetail(entry(a, audit.OrgUpdate, "org", o.ID, audit.OK), d)}, nil
	})
}

// CreateToken makes a new API token for the actor and returns it once; only its hash is kept.
func (s *App) CreateToken(ctx context.Context, a *auth.Actor, name string) (string, *store.APIToken, error) {
	return s.createToken(ctx, a, a.User, name)
}

func (s *App) createToken(ctx context.Context, a *auth.Actor, u *clinic.User, name string) (string, *store.APIToken, error) {
	plain, err := auth.NewToken("fsc")
	if err != nil {
		return "", nil, errs.Wrap(errs.Internal, err, "could not make a token")
	}
	t := &store.APIToken{OrgID: u.OrgID, UserID: u.ID, Name: name}
	err = s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateAPIToken(ctx, tx, t, auth.HashToken(plain)); err != nil {
			return nil, err
		}
		e := entry(a, audit.TokenCreate, "api_token", t.ID, audit.OK)
		if a.User == nil {
			e.OrgID, e.UserID, e.Actor = u.OrgID, u.ID, u.Email
		}
		return []*audit.Entry{e}, nil
	})
	if err != nil {
		return "", nil, err
	}
	return plain, t, nil
}

// CreateTokenCLI makes a token for a user from the command line (`fascia token create`).
func (s *App) CreateTokenCLI(ctx context.Context, email, name string) (string, error) {
	cred, err := s.DB.CredentialsByEmail(ctx, email)
	if err != nil {
		return "", errs.E(errs.NotFound, "No user with email %s.", clinic.NormalizeEmail(email))
	}
	u, err := s.DB.User(ctx, cred.OrgID, cred.UserID)
	if err != nil {
		return "", err
	}
	plain, _, err := s.createToken(ctx, &auth.Actor{IP: "local", Via: "cli"}, u, name)
	return plain, err
}

// Tokens lists the actor's own API tokens (an owner's view shows everyone's).
func (s *App) Tokens(ctx context.Context, a *auth.Actor) ([]store.APIToken, error) {
	uid := a.User.ID
	if a.Can(auth.TokenManage) {
		uid = 0
	}
	return s.DB.APITokens(ctx, a.User.OrgID, uid)
}

// RevokeToken revokes one of the actor's tokens (owners may revoke any in the organisation).
func (s *App) RevokeToken(ctx context.Context, a *auth.Actor, id int64) error {
	uid := a.User.ID
	if a.Can(auth.TokenManage) {
		uid = 0
	}
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.RevokeAPIToken(ctx, tx, a.User.OrgID, uid, id); err != nil {
			return nil, err
		}
		return []*audit.Entry{entry(a, audit.TokenRevoke, "api_token", id, audit.OK)}, nil
	})
}

// AuditTrail lists the organisation's audit entries (owners only).
func (s *App) AuditTrail(ctx context.Context, a *auth.Actor, f store.AuditFilter) ([]audit.Entry, error) {
	if err := s.require(ctx, a, auth.AuditRead, "audit.read"); err != nil {
		return nil, err
	}
	f.OrgID = a.User.OrgID
	return s.DB.ListAudit(ctx, f)
}

// AuditExport lists entries for a CSV export and records that the export happened.
func (s *App) AuditExport(ctx context.Context, a *auth.Actor, f store.AuditFilter) ([]audit.Entry, error) {
	es, err := s.AuditTrail(ctx, a, f)
	if err != nil {
		return nil, err
	}
	return es, s.audit(ctx, withDetail(entry(a, audit.AuditExport, "", 0, audit.OK), "entries "+i64(int64(len(es)))))
}

// CreateUserCLI adds a user from the command line (`fascia user add`), audited as the command line.
func (s *App) CreateUserCLI(ctx context.Context, u *clinic.User, hash string) error {
	defer s.cache.forget(u.OrgID)
	return s.tx(ctx, func(tx *sql.Tx) ([]*audit.Entry, error) {
		if err := s.DB.CreateUser(ctx, tx, u, hash); err != nil {
			return nil, err
		}
		return []*audit.Entry{{OrgID: u.OrgID, Action: audit.UserCreate, RecordType: "user", RecordID: u.ID, SourceIP: "local", Result: audit.OK, Detail: "via cli; role " + string(u.Role)}}, nil
	})
}
