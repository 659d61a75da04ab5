-- Foundation: organisations, locations, staff, sessions, API tokens, clients, audit trail.
-- Instants are Unix milliseconds (BIGINT) so the same SQL compares them on both engines;
-- clinical dates are 'YYYY-MM-DD' text. Flags are 0/1 integers for the same reason.

CREATE TABLE orgs (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    idle_timeout_s INTEGER NOT NULL DEFAULT 900,
    require_mfa   INTEGER NOT NULL DEFAULT 0,
    time_zone     TEXT NOT NULL DEFAULT 'America/New_York',
    created_at    BIGINT NOT NULL
);

CREATE TABLE locations (
    id        INTEGER PRIMARY KEY,
    org_id    BIGINT NOT NULL REFERENCES orgs(id),
    name      TEXT NOT NULL,
    address1  TEXT NOT NULL DEFAULT '',
    city      TEXT NOT NULL DEFAULT '',
    state     TEXT NOT NULL DEFAULT '',
    zip       TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT ''
);
CREATE INDEX locations_org ON locations(org_id);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    org_id               BIGINT NOT NULL REFERENCES orgs(id),
    email                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    role                 TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    active               INTEGER NOT NULL DEFAULT 1,
    totp_secret          TEXT NOT NULL DEFAULT '',
    totp_enabled         INTEGER NOT NULL DEFAULT 0,
    totp_last_step       BIGINT NOT NULL DEFAULT 0,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_locations (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    PRIMARY KEY (user_id, location_id)
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    mfa_ok       INTEGER NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    user_id      BIGINT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE clients (
    id                     INTEGER PRIMARY KEY,
    org_id                 BIGINT NOT NULL REFERENCES orgs(id),
    first_name             TEXT NOT NULL,
    middle_name            TEXT NOT NULL DEFAULT '',
    last_name              TEXT NOT NULL,
    suffix                 TEXT NOT NULL DEFAULT '',
    preferred_name         TEXT NOT NULL DEFAULT '',
    dob                    TEXT NOT NULL,
    sex                    TEXT NOT NULL DEFAULT 'U',
    address1               TEXT NOT NULL DEFAULT '',
    address2               TEXT NOT NULL DEFAULT '',
    city                   TEXT NOT NULL DEFAULT '',
    state                  TEXT NOT NULL DEFAULT '',
    zip                    TEXT NOT NULL DEFAULT '',
    phone                  TEXT NOT NULL DEFAULT '',
    email                  TEXT NOT NULL DEFAULT '',
    emergency_name         TEXT NOT NULL DEFAULT '',
    emergency_phone        TEXT NOT NULL DEFAULT '',
    emergency_relation     TEXT NOT NULL DEFAULT '',
    preferred_location_id  BIGINT NOT NULL REFERENCES locations(id),
    preferred_therapist_id BIGINT REFERENCES users(id),
    status                 TEXT NOT NULL DEFAULT 'active',
    version                BIGINT NOT NULL DEFAULT 1,
    created_at             BIGINT NOT NULL,
    updated_at             BIGINT NOT NULL,
    -- search keys, lower-cased in Go; compared bytewise so prefix ranges use the index
    first_key              TEXT NOT NULL,
    last_key               TEXT NOT NULL,
    preferred_key          TEXT NOT NULL DEFAULT '',
    email_key              TEXT NOT NULL DEFAULT '',
    phone_digits           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clients_last ON clients(org_id, last_key, first_key);
CREATE INDEX clients_first ON clients(org_id, first_key);
CREATE INDEX clients_preferred ON clients(org_id, preferred_key);
CREATE INDEX clients_email ON clients(org_id, email_key);
CREATE INDEX clients_phone ON clients(org_id, phone_digits);
CREATE INDEX clients_dob ON clients(org_id, dob);

-- The audit trail: append-only, each entry's hash covers the previous entry's hash.
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          BIGINT NOT NULL,
    org_id      BIGINT NOT NULL DEFAULT 0,
    user_id     BIGINT NOT NULL DEFAULT 0,
    actor       TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL DEFAULT '',
    record_id   BIGINT NOT NULL DEFAULT 0,
    source_ip   TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_org_at ON audit_log(org_id, at);
CREATE INDEX audit_record ON audit_log(org_id, record_type, record_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The last entry written: appends lock this row, which serialises them across
-- server processes, and verification compares the end of the chain with it.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
