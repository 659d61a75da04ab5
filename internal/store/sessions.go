package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// Session is a signed-in browser. Only the hash of its id is stored, so a
// copy of the database does not let anyone sign in.
type Session struct {
	IDHash     string
	UserID     int64
	OrgID      int64
	MFAOK      bool
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// CreateSession stores a new session.
func (db *DB) CreateSession(ctx context.Context, tx *sql.Tx, s *Session) error {
	now := db.now()
	s.CreatedAt, s.LastSeenAt = ms2t(now), ms2t(now)
	_, err := tx.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, org_id, mfa_ok, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)",
		s.IDHash, s.UserID, s.OrgID, b2i(s.MFAOK), now)
	return dbErr(err)
}

// SessionByHash finds a session; NotFound if it does not exist.
func (db *DB) SessionByHash(ctx context.Context, idHash string) (*Session, error) {
	var s Session
	var mfa int
	var c, l int64
	err := db.queryRow(ctx, "SELECT id_hash, user_id, org_id, mfa_ok, created_at, last_seen_at FROM sessions WHERE id_hash = $1", idHash).
		Scan(&s.IDHash, &s.UserID, &s.OrgID, &mfa, &c, &l)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.Unauthorized, "Your session has ended. Please sign in again.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	s.MFAOK, s.CreatedAt, s.LastSeenAt = mfa == 1, ms2t(c), ms2t(l)
	return &s, nil
}

// TouchSession records activity on a session.
func (db *DB) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := db.w.ExecContext(ctx, "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2 AND last_seen_at < $1", at.UnixMilli(), idHash)
	return dbErr(err)
}

// MarkSessionMFA records that the second factor was given.
func (db *DB) MarkSessionMFA(ctx context.Context, tx *sql.Tx, idHash string) error {
	_, err := tx.ExecContext(ctx, "UPDATE sessions SET mfa_ok = 1 WHERE id_hash = $1", idHash)
	return dbErr(err)
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, idHash string) error {
	_, err := db.w.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = $1", idHash)
	return dbErr(err)
}

// DeleteIdleSessions removes sessions idle longer than their organisation allows.
func (db *DB) DeleteIdleSessions(ctx context.Context) (int64, error) {
	res, err := db.w.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen_at < $1 - 1000 * (SELECT idle_timeout_s FROM orgs WHERE orgs.id = sessions.org_id)", db.now())
	if err != nil {
		return 0, dbErr(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// APIToken is a long-lived credential for the JSON API.
type APIToken struct {
	ID         int64
	OrgID      int64
	UserID     int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// CreateAPIToken stores the hash of a new token.
func (db *DB) CreateAPIToken(ctx context.Context, tx *sql.Tx, t *APIToken, hash string) error {
	if t.Name == "" || len(t.Name) > 100 || !storable(t.Name) {
		return &errs.Error{Code: errs.Invalid, Message: "Give the token a name of up to 100 characters.", Fields: map[string]string{"name": "Name the token after where it is used, e.g. 'Laptop script'."}}
	}
	now := db.now()
	t.CreatedAt = ms2t(now)
	return dbErr(tx.QueryRowContext(ctx, "INSERT INTO api_tokens (org_id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
		t.OrgID, t.UserID, t.Name, hash, now).Scan(&t.ID))
}

// APITokenByHash finds a live (unrevoked) token.
func (db *DB) APITokenByHash(ctx context.Context, hash string) (*APIToken, error) {
	var t APIToken
	var c, l, r int64
	err := db.queryRow(ctx, "SELECT id, org_id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE token_hash = $1", hash).
		Scan(&t.ID, &t.OrgID, &t.UserID, &t.Name, &c, &l, &r)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && r != 0) {
		return nil, errs.E(errs.Unauthorized, "The API token is unknown or revoked.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	t.CreatedAt, t.LastUsedAt = ms2t(c), ms2t(l)
	return &t, nil
}

// TouchAPIToken records use of a token, at most once a minute.
func (db *DB) TouchAPIToken(ctx context.Context, id int64, at time.Time) error {
	_, err := db.w.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at < $3", at.UnixMilli(), id, at.Add(-time.Minute).UnixMilli())
	return dbErr(err)
}

// APITokens lists a user's tokens, newest first (owners see all of the organisation's when userID is 0).
func (db *DB) APITokens(ctx context.Context, orgID, userID int64) ([]APIToken, error) {
	q := "SELECT id, org_id, user_id, name, created_at, last_used_at, revoked_at FROM api_tokens WHERE org_id = $1"
	args := []any{orgID}
	if userID != 0 {
		q += " AND user_id = $2"
		args = append(args, userID)
	}
	rows, err := db.query(ctx, q+" ORDER BY id DESC", args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var c, l, r int64
		if err := rows.Scan(&t.ID, &t.OrgID, &t.UserID, &t.Name, &c, &l, &r); err != nil {
			return nil, dbErr(err)
		}
		t.CreatedAt, t.LastUsedAt, t.RevokedAt = ms2t(c), ms2t(l), ms2t(r)
		out = append(out, t)
	}
	return out, dbErr(rows.Err())
}

// RevokeAPIToken revokes a token of the organisation (of the user, unless userID is 0).
func (db *DB) RevokeAPIToken(ctx context.Context, tx *sql.Tx, orgID, userID, id int64) error {
	q := "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at = 0"
	args := []any{db.now(), id, orgID}
	if userID != 0 {
		q += " AND user_id = $4"
		args = append(args, userID)
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "No such token, or it is already revoked.")
	}
	return nil
}

// SessionUser reads a session with its user and the user's locations in
// one query: it runs on every signed-in request.
func (db *DB) SessionUser(ctx context.Context, idHash string) (*Session, *clinic.User, error) {
	var s Session
	var u clinic.User
	var mfa, active, totp, must int
	var c, l, created int64
	var role string
	var locs sql.NullString
	err := db.queryRow(ctx, `SELECT s.id_hash, s.user_id, s.org_id, s.mfa_ok, s.created_at, s.last_seen_at,
		u.id, u.org_id, u.email, u.name, u.role, u.active, u.totp_enabled, u.must_change_password, u.created_at,
		(SELECT string_agg(CAST(ul.location_id AS TEXT), ',' ORDER BY ul.location_id) FROM user_locations ul WHERE ul.user_id = u.id)
		FROM sessions s JOIN users u ON u.id = s.user_id AND u.org_id = s.org_id WHERE s.id_hash = $1`, idHash).
		Scan(&s.IDHash, &s.UserID, &s.OrgID, &mfa, &c, &l,
			&u.ID, &u.OrgID, &u.Email, &u.Name, &role, &active, &totp, &must, &created, &locs)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errs.E(errs.Unauthorized, "Your session has ended. Please sign in again.")
	}
	if err != nil {
		return nil, nil, dbErr(err)
	}
	s.MFAOK, s.CreatedAt, s.LastSeenAt = mfa == 1, ms2t(c), ms2t(l)
	u.Role, u.Active, u.TOTPEnabled, u.MustChangePassword, u.CreatedAt = clinic.Role(role), active == 1, totp == 1, must == 1, ms2t(created)
	if locs.Valid && locs.String != "" {
		for _, f := range strings.Split(locs.String, ",") {
			id, err := strconv.ParseInt(f, 10, 64)
			if err != nil {
				return nil, nil, dbErr(fmt.Errorf("user %d: location list %q: %w", u.ID, locs.String, err))
			}
			u.LocationIDs = append(u.LocationIDs, id)
		}
	}
	return &s, &u, nil
}
