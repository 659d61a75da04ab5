package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/fascia-health/fascia/internal/clinic"
	"github.com/fascia-health/fascia/internal/errs"
)

// CreateUser stores a new user with an already hashed password.
func (db *DB) CreateUser(ctx context.Context, tx *sql.Tx, u *clinic.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkText("name", u.Name, "email", u.Email); err != nil {
		return err
	}
	if err := db.checkLocations(ctx, tx, u.OrgID, u.LocationIDs); err != nil {
		return err
	}
	now := db.now()
	err := tx.QueryRowContext(ctx, `INSERT INTO users (org_id, email, name, role, password_hash, active, must_change_password, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id`,
		u.OrgID, u.Email, u.Name, string(u.Role), passwordHash, b2i(u.MustChangePassword), now).Scan(&u.ID)
	if isUnique(err) {
		return &errs.Error{Code: errs.Conflict, Message: "A user with that email already exists.", Fields: map[string]string{"email": "This email is already in use."}}
	}
	if err != nil {
		return dbErr(err)
	}
	u.Active, u.CreatedAt = true, ms2t(now)
	return db.setUserLocations(ctx, tx, u.ID, u.LocationIDs)
}

func (db *DB) checkLocations(ctx context.Context, tx *sql.Tx, orgID int64, ids []int64) error {
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM locations WHERE id = $1 AND org_id = $2", id, orgID).Scan(&n); err != nil {
			return dbErr(err)
		}
		if n == 0 {
			return &errs.Error{Code: errs.Invalid, Message: "Choose locations of your organisation.", Fields: map[string]string{"locations": "Unknown location."}}
		}
	}
	return nil
}

func (db *DB) setUserLocations(ctx context.Context, tx *sql.Tx, userID int64, ids []int64) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_locations WHERE user_id = $1", userID); err != nil {
		return dbErr(err)
	}
	for _, l := range ids {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_locations (user_id, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", userID, l); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// UpdateUser changes a user's name, role, locations and whether they may sign in.
func (db *DB) UpdateUser(ctx context.Context, tx *sql.Tx, u *clinic.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkText("name", u.Name, "email", u.Email); err != nil {
		return err
	}
	if err := db.checkLocations(ctx, tx, u.OrgID, u.LocationIDs); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, "UPDATE users SET name = $1, role = $2, active = $3, updated_at = $4 WHERE id = $5 AND org_id = $6",
		u.Name, string(u.Role), b2i(u.Active), db.now(), u.ID, u.OrgID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "No such user.")
	}
	if !u.Active {
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID); err != nil {
			return dbErr(err)
		}
	}
	return db.setUserLocations(ctx, tx, u.ID, u.LocationIDs)
}

const userCols = "id, org_id, email, name, role, active, totp_enabled, must_change_password, created_at"

func (db *DB) scanUsers(ctx context.Context, q *sql.Rows) ([]clinic.User, error) {
	defer q.Close()
	var out []clinic.User
	for q.Next() {
		var u clinic.User
		var role string
		var active, totp, must int
		var created int64
		if err := q.Scan(&u.ID, &u.OrgID, &u.Email, &u.Name, &role, &active, &totp, &must, &created); err != nil {
			return nil, dbErr(err)
		}
		u.Role, u.Active, u.TOTPEnabled, u.MustChangePassword, u.CreatedAt = clinic.Role(role), active == 1, totp == 1, must == 1, ms2t(created)
		out = append(out, u)
	}
	if err := q.Err(); err != nil {
		return nil, dbErr(err)
	}
	q.Close()
	if len(out) == 0 {
		return out, nil
	}
	// Locations for all users in one query.
	byID := map[int64]*clinic.User{}
	ids := make([]any, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
		ids[i] = out[i].ID
	}
	rows, err := db.query(ctx, "SELECT user_id, location_id FROM user_locations WHERE user_id IN ("+placeholders(1, len(ids))+") ORDER BY location_id", ids...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid, lid int64
		if err := rows.Scan(&uid, &lid); err != nil {
			return nil, dbErr(err)
		}
		byID[uid].LocationIDs = append(byID[uid].LocationIDs, lid)
	}
	return out, dbErr(rows.Err())
}

// User finds a user of an organisation.
func (db *DB) User(ctx context.Context, orgID, id int64) (*clinic.User, error) {
	rows, err := db.query(ctx, "SELECT "+userCols+" FROM users WHERE id = $1 AND org_id = $2", id, orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	us, err := db.scanUsers(ctx, rows)
	if err != nil {
		return nil, err
	}
	if len(us) == 0 {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	return &us[0], nil
}

// Users lists an organisation's staff by name.
func (db *DB) Users(ctx context.Context, orgID int64) ([]clinic.User, error) {
	rows, err := db.query(ctx, "SELECT "+userCols+" FROM users WHERE org_id = $1 ORDER BY name, id", orgID)
	if err != nil {
		return nil, dbErr(err)
	}
	return db.scanUsers(ctx, rows)
}

// Credentials is what sign-in needs to know about a user.
type Credentials struct {
	UserID, OrgID  int64
	Email          string
	PasswordHash   string
	Active         bool
	FailedLogins   int
	LockedUntil    time.Time
	TOTPSecret     string
	TOTPEnabled    bool
	TOTPLastStep   int64
	MustChangePass bool
}

// CredentialsByEmail finds sign-in details by email; NotFound if there is no such user.
func (db *DB) CredentialsByEmail(ctx context.Context, email string) (*Credentials, error) {
	if !storable(email) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	return db.credentials(ctx, "email = $1", clinic.NormalizeEmail(email))
}

// CredentialsByID finds sign-in details by user id.
func (db *DB) CredentialsByID(ctx context.Context, id int64) (*Credentials, error) {
	return db.credentials(ctx, "id = $1", id)
}

func (db *DB) credentials(ctx context.Context, where string, arg any) (*Credentials, error) {
	var c Credentials
	var active, totp, must int
	var locked int64
	// Read from the writer: lockout counts must not lag behind the last failure.
	err := db.w.QueryRowContext(ctx, `SELECT id, org_id, email, password_hash, active, failed_logins, locked_until, totp_secret, totp_enabled, totp_last_step, must_change_password
		FROM users WHERE `+where, arg).Scan(&c.UserID, &c.OrgID, &c.Email, &c.PasswordHash, &active, &c.FailedLogins, &locked, &c.TOTPSecret, &totp, &c.TOTPLastStep, &must)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errs.E(errs.NotFound, "No such user.")
	}
	if err != nil {
		return nil, dbErr(err)
	}
	c.Active, c.TOTPEnabled, c.MustChangePass, c.LockedUntil = active == 1, totp == 1, must == 1, ms2t(locked)
	return &c, nil
}

// RecordFailedLogin counts a failure and locks the account for lockFor once
// max failures are reached. It returns the new count.
func (db *DB) RecordFailedLogin(ctx context.Context, tx *sql.Tx, userID int64, max int, lockFor time.Duration) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins", userID).Scan(&n); err != nil {
		return 0, dbErr(err)
	}
	if n >= max {
		if _, err := tx.ExecContext(ctx, "UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2", db.Now().Add(lockFor).UnixMilli(), userID); err != nil {
			return 0, dbErr(err)
		}
	}
	return n, nil
}

// ClearFailedLogins resets the failure count after a good sign-in.
func (db *DB) ClearFailedLogins(ctx context.Context, tx *sql.Tx, userID int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = $1", userID)
	return dbErr(err)
}

// SetPassword stores a new password hash and signs the user out everywhere
// except keepSession (a session-id hash, or "").
func (db *DB) SetPassword(ctx context.Context, tx *sql.Tx, orgID, userID int64, hash string, mustChange bool, keepSession string) error {
	res, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = 0, updated_at = $3 WHERE id = $4 AND org_id = $5",
		hash, b2i(mustChange), db.now(), userID, orgID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.NotFound, "No such user.")
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2", userID, keepSession)
	return dbErr(err)
}

// SetTOTP stores a secret (enabled=false while enrolling) or clears it.
func (db *DB) SetTOTP(ctx context.Context, tx *sql.Tx, userID int64, secret string, enabled bool) error {
	_, err := tx.ExecContext(ctx, "UPDATE users SET totp_secret = $1, totp_enabled = $2, totp_last_step = 0, updated_at = $3 WHERE id = $4", secret, b2i(enabled), db.now(), userID)
	return dbErr(err)
}

// UseTOTPStep records the time step of an accepted code; it fails if that
// step (or a later one) was already used, so a code cannot be replayed.
func (db *DB) UseTOTPStep(ctx context.Context, tx *sql.Tx, userID, step int64) error {
	res, err := tx.ExecContext(ctx, "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1", step, userID)
	if err != nil {
		return dbErr(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errs.E(errs.Invalid, "That code was already used. Wait for the next one.")
	}
	return nil
}
