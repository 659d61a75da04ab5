-- Evaluations (initial and re-evaluations) and treatment plans (plans of
-- care). The record itself is a JSON document in `body` (subjective,
-- posture, body-chart marks, range of motion, special tests, gait,
-- assessment; or diagnoses, goals, techniques, frequency, precautions);
-- the columns are what lists, checks and joins need. Dates are
-- 'YYYY-MM-DD' text, instants Unix milliseconds.
CREATE TABLE evaluations (
    id            INTEGER PRIMARY KEY,
    org_id        BIGINT NOT NULL REFERENCES orgs(id),
    client_id     BIGINT NOT NULL REFERENCES clients(id),
    kind          TEXT NOT NULL,
    previous_id   BIGINT REFERENCES evaluations(id),
    service_date  TEXT NOT NULL,
    condition_key TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL,
    mark_count    INTEGER NOT NULL DEFAULT 0,
    flag_count    INTEGER NOT NULL DEFAULT 0,
    status        TEXT NOT NULL,
    therapist_id  BIGINT NOT NULL REFERENCES users(id),
    signed_by     BIGINT REFERENCES users(id),
    signed_at     BIGINT NOT NULL DEFAULT 0,
    version       BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX evaluations_client ON evaluations(org_id, client_id, service_date);

-- A signed evaluation never changes: corrections are a re-evaluation or,
-- later, an addendum.
CREATE TRIGGER evaluations_signed_no_update BEFORE UPDATE ON evaluations WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed evaluation never changes'); END;
CREATE TRIGGER evaluations_signed_no_delete BEFORE DELETE ON evaluations WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'a signed evaluation never changes'); END;
CREATE TRIGGER evaluations_no_replace BEFORE INSERT ON evaluations
WHEN EXISTS (SELECT 1 FROM evaluations WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'a signed evaluation never changes'); END;

CREATE TABLE treatment_plans (
    id              INTEGER PRIMARY KEY,
    org_id          BIGINT NOT NULL REFERENCES orgs(id),
    client_id       BIGINT NOT NULL REFERENCES clients(id),
    series          BIGINT NOT NULL DEFAULT 0,
    plan_version    INTEGER NOT NULL DEFAULT 1,
    evaluation_id   BIGINT REFERENCES evaluations(id),
    condition_key   TEXT NOT NULL DEFAULT '',
    start_date      TEXT NOT NULL,
    body            TEXT NOT NULL,
    status          TEXT NOT NULL,
    therapist_id    BIGINT NOT NULL REFERENCES users(id),
    signed_by       BIGINT REFERENCES users(id),
    signed_at       BIGINT NOT NULL DEFAULT 0,
    physician_id    BIGINT REFERENCES physicians(id),
    sent_at         BIGINT NOT NULL DEFAULT 0,
    cosigned_on     TEXT NOT NULL DEFAULT '',
    cosigned_by     TEXT NOT NULL DEFAULT '',
    cosign_document BIGINT REFERENCES documents(id),
    version         BIGINT NOT NULL DEFAULT 1,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX treatment_plans_client ON treatment_plans(org_id, client_id, series, plan_version);

-- A signed plan's content never changes: it is superseded by a new
-- version. What may still happen to it: being superseded, sent to the
-- physician, and the physician's co-signature recorded.
CREATE TRIGGER treatment_plans_signed_content BEFORE UPDATE ON treatment_plans
WHEN OLD.status <> 'draft' AND (NEW.body IS NOT OLD.body OR NEW.start_date IS NOT OLD.start_date
    OR NEW.client_id IS NOT OLD.client_id OR NEW.org_id IS NOT OLD.org_id OR NEW.series IS NOT OLD.series
    OR NEW.plan_version IS NOT OLD.plan_version OR NEW.evaluation_id IS NOT OLD.evaluation_id
    OR NEW.condition_key IS NOT OLD.condition_key OR NEW.signed_by IS NOT OLD.signed_by
    OR NEW.signed_at IS NOT OLD.signed_at OR NEW.therapist_id IS NOT OLD.therapist_id
    OR NEW.status NOT IN ('signed', 'superseded') OR (OLD.status = 'superseded' AND NEW.status <> 'superseded'))
BEGIN SELECT RAISE(ABORT, 'a signed plan never changes: write a new version'); END;
CREATE TRIGGER treatment_plans_signed_no_delete BEFORE DELETE ON treatment_plans WHEN OLD.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a signed plan never changes: write a new version'); END;
CREATE TRIGGER treatment_plans_no_replace BEFORE INSERT ON treatment_plans
WHEN EXISTS (SELECT 1 FROM treatment_plans WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'a signed plan never changes: write a new version'); END;

-- One draft per series, and one row per version, even when two people
-- start the next version at the same moment (series is 0 only while a
-- first version is being inserted).
CREATE UNIQUE INDEX treatment_plans_one_draft ON treatment_plans(series) WHERE status = 'draft' AND series <> 0;
CREATE UNIQUE INDEX treatment_plans_version ON treatment_plans(series, plan_version) WHERE series <> 0;

-- A row keeps its id: UPDATE OR REPLACE moving a draft onto a signed row's
-- id would delete the signed row without firing its delete trigger.
CREATE TRIGGER evaluations_id_fixed BEFORE UPDATE OF id ON evaluations WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'an evaluation keeps its id'); END;
CREATE TRIGGER treatment_plans_id_fixed BEFORE UPDATE OF id ON treatment_plans WHEN NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'a plan keeps its id'); END;

-- When a range-of-motion measurement is flagged restricted, per organisation
-- (no row: the defaults, below 75% of normal or 15% less than the other side).
CREATE TABLE rom_settings (
    org_id        BIGINT PRIMARY KEY REFERENCES orgs(id),
    min_percent   REAL NOT NULL,
    max_side_diff REAL NOT NULL,
    updated_at    BIGINT NOT NULL
);
