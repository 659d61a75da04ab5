-- Background work (reminders now, later claims and reports): a queue that
-- several server processes share. A worker claims a due job by marking it
-- running under a lease (locked_by, locked_until); a job whose lease ran
-- out (its worker crashed) is due again. Instants are Unix milliseconds.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    org_id       BIGINT NOT NULL DEFAULT 0,      -- 0: not one organisation's
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',     -- JSON
    dedupe_key   TEXT NOT NULL DEFAULT '',       -- non-empty: at most one job with it
    run_at       BIGINT NOT NULL,                -- due from (queued, failed)
    status       TEXT NOT NULL DEFAULT 'queued', -- queued, running, done, failed (will retry), dead (gave up)
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    last_error   TEXT NOT NULL DEFAULT '',       -- safe text only, never client health information
    locked_by    TEXT NOT NULL DEFAULT '',
    locked_until BIGINT NOT NULL DEFAULT 0,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    finished_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX jobs_dedupe ON jobs(dedupe_key) WHERE dedupe_key <> '';
-- The claim walks the unfinished jobs in run_at order; finished ones
-- (done, dead) stay out of the index however many pile up.
CREATE INDEX jobs_due ON jobs(run_at, id) WHERE status IN ('queued', 'failed', 'running');
CREATE INDEX jobs_org ON jobs(org_id, id);
-- Pruning finds done jobs by when they finished.
CREATE INDEX jobs_done ON jobs(finished_at) WHERE status = 'done';
