-- Scheduling: the service menu, packages, rooms, therapists' hours,
-- appointments and the slot claims that make double-booking impossible,
-- the waitlist, the public page's bios and testimonials, and the owner's
-- scheduling and e-mail settings. Instants are Unix milliseconds, dates
-- 'YYYY-MM-DD' text, hours minutes after local midnight.

CREATE TABLE services (
    id                 INTEGER PRIMARY KEY,
    org_id             BIGINT NOT NULL REFERENCES orgs(id),
    name               TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    minutes            INTEGER NOT NULL,
    buffer_before      INTEGER NOT NULL DEFAULT 0,
    buffer_after       INTEGER NOT NULL DEFAULT 0,
    price_cents        BIGINT NOT NULL DEFAULT 0,
    procedures         TEXT NOT NULL DEFAULT '[]', -- JSON [{"code","units"}]
    performers         TEXT NOT NULL DEFAULT '[]', -- JSON user IDs; empty: every therapist
    needs_prescription INTEGER NOT NULL DEFAULT 0,
    online             INTEGER NOT NULL DEFAULT 1,
    active             INTEGER NOT NULL DEFAULT 1,
    position           INTEGER NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX services_org ON services(org_id, position);

CREATE TABLE packages (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    name        TEXT NOT NULL,
    service_id  BIGINT REFERENCES services(id),
    sessions    INTEGER NOT NULL,
    price_cents BIGINT NOT NULL DEFAULT 0,
    valid_days  INTEGER NOT NULL DEFAULT 365,
    active      INTEGER NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL
);
CREATE INDEX packages_org ON packages(org_id);

CREATE TABLE client_packages (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    client_id    BIGINT NOT NULL REFERENCES clients(id),
    package_id   BIGINT NOT NULL REFERENCES packages(id),
    name         TEXT NOT NULL,
    service_id   BIGINT REFERENCES services(id),
    sessions     INTEGER NOT NULL,
    purchased_on TEXT NOT NULL,
    expires_on   TEXT NOT NULL,
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE INDEX client_packages_client ON client_packages(org_id, client_id);

CREATE TABLE rooms (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    name        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX rooms_location ON rooms(org_id, location_id);

CREATE TABLE therapist_hours (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    therapist_id BIGINT NOT NULL REFERENCES users(id),
    location_id  BIGINT NOT NULL REFERENCES locations(id),
    weekday      INTEGER NOT NULL, -- 0 Sunday … 6 Saturday
    start_min    INTEGER NOT NULL,
    end_min      INTEGER NOT NULL
);
CREATE INDEX therapist_hours_org ON therapist_hours(org_id, location_id, therapist_id);

CREATE TABLE hours_exceptions (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    therapist_id BIGINT NOT NULL REFERENCES users(id),
    location_id  BIGINT NOT NULL REFERENCES locations(id),
    on_date      TEXT NOT NULL,
    start_min    INTEGER NOT NULL,
    end_min      INTEGER NOT NULL,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hours_exceptions_org ON hours_exceptions(org_id, on_date);

CREATE TABLE time_off (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    therapist_id BIGINT NOT NULL REFERENCES users(id),
    starts_at    BIGINT NOT NULL,
    ends_at      BIGINT NOT NULL,
    reason       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX time_off_org ON time_off(org_id, ends_at);

CREATE TABLE appointments (
    id                INTEGER PRIMARY KEY,
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    location_id       BIGINT NOT NULL REFERENCES locations(id),
    therapist_id      BIGINT NOT NULL REFERENCES users(id),
    room_id           BIGINT REFERENCES rooms(id),
    client_id         BIGINT NOT NULL REFERENCES clients(id),
    service_id        BIGINT NOT NULL REFERENCES services(id),
    starts_at         BIGINT NOT NULL,
    ends_at           BIGINT NOT NULL,
    buffer_before     INTEGER NOT NULL DEFAULT 0,
    buffer_after      INTEGER NOT NULL DEFAULT 0,
    status            TEXT NOT NULL DEFAULT 'booked',
    source            TEXT NOT NULL DEFAULT 'staff',
    series_id         BIGINT NOT NULL DEFAULT 0,
    plan_id           BIGINT NOT NULL DEFAULT 0,
    client_package_id BIGINT REFERENCES client_packages(id),
    note              TEXT NOT NULL DEFAULT '',
    cancel_reason     TEXT NOT NULL DEFAULT '',
    fee_cents         BIGINT NOT NULL DEFAULT 0,
    checked_in_at     BIGINT NOT NULL DEFAULT 0,
    cancelled_at      BIGINT NOT NULL DEFAULT 0,
    created_by        BIGINT NOT NULL DEFAULT 0,
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX appointments_location ON appointments(org_id, location_id, starts_at);
CREATE INDEX appointments_therapist ON appointments(org_id, therapist_id, starts_at);
CREATE INDEX appointments_client ON appointments(org_id, client_id, starts_at);
CREATE INDEX appointments_room ON appointments(room_id, starts_at);
CREATE INDEX appointments_package ON appointments(client_package_id);

-- The guarantee against double-booking: an appointment that holds its time
-- claims each 5-minute slot it occupies for its therapist ('t'), its room
-- ('r') and its client ('c'). The primary key lets only one appointment
-- claim a slot, whatever the engine, connection or server process. Claims
-- are deleted when the appointment is cancelled or moved, and those of
-- past appointments are pruned (nothing may be booked in the past).
CREATE TABLE appointment_claims (
    kind           TEXT NOT NULL,
    resource_id    BIGINT NOT NULL,
    slot           BIGINT NOT NULL, -- Unix seconds / 300
    appointment_id BIGINT NOT NULL,
    PRIMARY KEY (kind, resource_id, slot)
);
CREATE INDEX appointment_claims_appointment ON appointment_claims(appointment_id);
CREATE INDEX appointment_claims_slot ON appointment_claims(slot);

CREATE TABLE waitlist (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    client_id    BIGINT NOT NULL REFERENCES clients(id),
    service_id   BIGINT NOT NULL REFERENCES services(id),
    location_id  BIGINT NOT NULL REFERENCES locations(id),
    therapist_id BIGINT NOT NULL DEFAULT 0, -- 0: anyone
    earliest_on  TEXT NOT NULL,
    latest_on    TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'waiting', -- waiting, offered, booked, removed
    offered_at   BIGINT NOT NULL DEFAULT 0,
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX waitlist_org ON waitlist(org_id, status, location_id);

-- What the public booking page shows of a member of staff.
CREATE TABLE therapist_profiles (
    user_id        BIGINT PRIMARY KEY REFERENCES users(id),
    org_id         BIGINT NOT NULL REFERENCES orgs(id),
    bio            TEXT NOT NULL DEFAULT '',
    credentials    TEXT NOT NULL DEFAULT '',
    public         INTEGER NOT NULL DEFAULT 1,
    feed_token_hash TEXT NOT NULL DEFAULT '', -- the secret .ics feed URL
    updated_at     BIGINT NOT NULL
);
CREATE INDEX therapist_profiles_feed ON therapist_profiles(feed_token_hash);

CREATE TABLE testimonials (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    client_id    BIGINT REFERENCES clients(id),
    display_name TEXT NOT NULL,
    body         TEXT NOT NULL,
    consent_at   BIGINT NOT NULL, -- when the client agreed to publication
    published    INTEGER NOT NULL DEFAULT 1,
    created_by   BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL
);
CREATE INDEX testimonials_org ON testimonials(org_id, published);

CREATE TABLE schedule_settings (
    org_id                BIGINT PRIMARY KEY REFERENCES orgs(id),
    reminder_hours        INTEGER NOT NULL,
    cancel_window_hours   INTEGER NOT NULL,
    late_cancel_fee_cents BIGINT NOT NULL,
    no_show_fee_cents     BIGINT NOT NULL,
    online_booking        INTEGER NOT NULL,
    horizon_days          INTEGER NOT NULL,
    min_notice_hours      INTEGER NOT NULL,
    slot_step             INTEGER NOT NULL,
    -- signs the links in clients' e-mails (cancel, waitlist offers), so
    -- no link is stored and any e-mail can carry one again
    link_secret           TEXT NOT NULL DEFAULT '',
    updated_at            BIGINT NOT NULL
);

CREATE TABLE smtp_settings (
    org_id     BIGINT PRIMARY KEY REFERENCES orgs(id),
    host       TEXT NOT NULL DEFAULT '',
    port       INTEGER NOT NULL DEFAULT 587,
    tls_mode   TEXT NOT NULL DEFAULT 'starttls', -- starttls, tls, none
    username   TEXT NOT NULL DEFAULT '',
    password   TEXT NOT NULL DEFAULT '',
    from_addr  TEXT NOT NULL DEFAULT '',
    from_name  TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
