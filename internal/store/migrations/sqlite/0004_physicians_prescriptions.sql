-- Physicians and other referral sources, clients' referrals, scanned
-- documents, prescriptions with their diagnoses, insurance authorizations.
-- Dates are 'YYYY-MM-DD' text, instants Unix milliseconds, as everywhere.

CREATE TABLE physicians (
    id          INTEGER PRIMARY KEY,
    org_id      BIGINT NOT NULL REFERENCES orgs(id),
    kind        TEXT NOT NULL DEFAULT 'physician',
    name        TEXT NOT NULL,
    credentials TEXT NOT NULL DEFAULT '',
    specialty   TEXT NOT NULL DEFAULT '',
    npi         TEXT NOT NULL DEFAULT '',
    practice    TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    fax         TEXT NOT NULL DEFAULT '',
    address1    TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL DEFAULT '',
    zip         TEXT NOT NULL DEFAULT '',
    -- lower-cased name, practice, specialty and city, for the directory search
    search_text TEXT NOT NULL DEFAULT '',
    name_key    TEXT NOT NULL,
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX physicians_name ON physicians(org_id, name_key);
-- One directory entry per NPI within an organisation.
CREATE UNIQUE INDEX physicians_npi ON physicians(org_id, npi) WHERE npi <> '';

-- Who referred a client (one source per client; changing it replaces it).
CREATE TABLE client_referrals (
    client_id    BIGINT PRIMARY KEY REFERENCES clients(id),
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    physician_id BIGINT NOT NULL REFERENCES physicians(id),
    referred_on  TEXT NOT NULL,
    updated_by   BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX client_referrals_org ON client_referrals(org_id, referred_on);

-- Scanned papers of a client's record; the bytes are kept with their SHA-256.
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    client_id    BIGINT NOT NULL REFERENCES clients(id),
    kind         TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX documents_client ON documents(org_id, client_id);

CREATE TABLE prescriptions (
    id                 INTEGER PRIMARY KEY,
    org_id             BIGINT NOT NULL REFERENCES orgs(id),
    client_id          BIGINT NOT NULL REFERENCES clients(id),
    physician_id       BIGINT NOT NULL REFERENCES physicians(id),
    written_on         TEXT NOT NULL,
    ordered_treatment  TEXT NOT NULL,
    frequency_per_week INTEGER NOT NULL DEFAULT 0,
    duration_weeks     INTEGER NOT NULL DEFAULT 0,
    visits             INTEGER NOT NULL,
    start_on           TEXT NOT NULL,
    expires_on         TEXT NOT NULL,
    precautions        TEXT NOT NULL DEFAULT '',
    document_id        BIGINT REFERENCES documents(id),
    created_by         BIGINT NOT NULL DEFAULT 0,
    version            BIGINT NOT NULL DEFAULT 1,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
CREATE INDEX prescriptions_client ON prescriptions(org_id, client_id, start_on);

-- A prescription's diagnoses in order: position 1 is the principal diagnosis.
CREATE TABLE prescription_diagnoses (
    prescription_id BIGINT NOT NULL REFERENCES prescriptions(id),
    position        INTEGER NOT NULL,
    code            TEXT NOT NULL,
    PRIMARY KEY (prescription_id, position)
);

CREATE TABLE authorizations (
    id                INTEGER PRIMARY KEY,
    org_id            BIGINT NOT NULL REFERENCES orgs(id),
    client_id         BIGINT NOT NULL REFERENCES clients(id),
    prescription_id   BIGINT REFERENCES prescriptions(id),
    payer             TEXT NOT NULL,
    number            TEXT NOT NULL,
    visits_authorized INTEGER NOT NULL,
    visits_used       INTEGER NOT NULL DEFAULT 0,
    start_on          TEXT NOT NULL,
    end_on            TEXT NOT NULL,
    created_by        BIGINT NOT NULL DEFAULT 0,
    version           BIGINT NOT NULL DEFAULT 1,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX authorizations_client ON authorizations(org_id, client_id, start_on);
