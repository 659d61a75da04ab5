-- Contraindication screening: each organisation's rules (added from the
-- defaults when first needed; owners edit, disable and add), each client's
-- current findings (replaced at every screening), overrides that let one
-- session start despite an "avoid", and physicians' clearances.
-- Dates are 'YYYY-MM-DD' text, instants Unix milliseconds, flags 0/1.

-- One row per organisation whose rules exist: which release's defaults it
-- has, and a generation counted up at every change of a rule (findings
-- worked out under an older generation are stale).
CREATE TABLE screening_rule_sets (
    org_id        BIGINT PRIMARY KEY REFERENCES orgs(id),
    defaults_hash TEXT NOT NULL,
    generation    BIGINT NOT NULL DEFAULT 1,
    changed_at    BIGINT NOT NULL
);

CREATE TABLE screening_rules (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    rule_key     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    value        TEXT NOT NULL DEFAULT '',
    n            INTEGER NOT NULL DEFAULT 0,
    level        TEXT NOT NULL,
    region       TEXT NOT NULL DEFAULT '',
    modification TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL,
    source       TEXT NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1,
    builtin      INTEGER NOT NULL DEFAULT 0,
    -- the defaults keep their order; an organisation's own rules follow
    position     INTEGER NOT NULL DEFAULT 0,
    version      BIGINT NOT NULL DEFAULT 1,
    updated_by   BIGINT NOT NULL DEFAULT 0,
    updated_at   BIGINT NOT NULL
);
CREATE UNIQUE INDEX screening_rules_key ON screening_rules(org_id, rule_key);

-- When a client's findings were worked out, from which intake version, for which clinic date.
CREATE TABLE screening_runs (
    client_id        BIGINT PRIMARY KEY REFERENCES clients(id),
    org_id           BIGINT NOT NULL REFERENCES orgs(id),
    intake_id        BIGINT NOT NULL DEFAULT 0,
    intake_version   INTEGER NOT NULL DEFAULT 0,
    intake_signed_at BIGINT NOT NULL DEFAULT 0,
    rules_generation BIGINT NOT NULL DEFAULT 0,
    day              TEXT NOT NULL,
    computed_at      BIGINT NOT NULL
);
CREATE INDEX screening_runs_org ON screening_runs(org_id);

CREATE TABLE screening_findings (
    client_id    BIGINT NOT NULL REFERENCES clients(id),
    position     INTEGER NOT NULL,
    org_id       BIGINT NOT NULL REFERENCES orgs(id),
    rule_key     TEXT NOT NULL,
    level        TEXT NOT NULL,
    region       TEXT NOT NULL DEFAULT '',
    side         TEXT NOT NULL DEFAULT '',
    modification TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    source       TEXT NOT NULL DEFAULT '',
    evidence     TEXT NOT NULL DEFAULT '',
    computed_at  BIGINT NOT NULL,
    PRIMARY KEY (client_id, position)
);

CREATE TABLE screening_overrides (
    id         INTEGER PRIMARY KEY,
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    client_id  BIGINT NOT NULL REFERENCES clients(id),
    rule_key   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    day        TEXT NOT NULL,
    by_user    BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX screening_overrides_client ON screening_overrides(org_id, client_id, day);

CREATE TABLE screening_clearances (
    id             INTEGER PRIMARY KEY,
    org_id         BIGINT NOT NULL REFERENCES orgs(id),
    client_id      BIGINT NOT NULL REFERENCES clients(id),
    rule_key       TEXT NOT NULL,
    physician      TEXT NOT NULL,
    cleared_on     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    document_id    BIGINT REFERENCES documents(id),
    -- the intake version current when recorded: a newer signed intake reopens the finding
    intake_version INTEGER NOT NULL DEFAULT 0,
    by_user        BIGINT NOT NULL REFERENCES users(id),
    created_at     BIGINT NOT NULL
);
CREATE INDEX screening_clearances_client ON screening_clearances(org_id, client_id);
