-- slawatch rollups sink, migration 1: rollup cells, monthly scorecards, the assessment list.
-- Applied once at start (recorded in slawatch_schema_migrations). Rows are upserts of the
-- rollups topic: a row is replaced only by a record of the same key with a revision at least
-- as high, so replays and repeats change nothing.

CREATE TABLE slawatch_rollups (
    key                  text PRIMARY KEY,            -- the record key on the rollups topic
    view                 text NOT NULL,               -- unit | agent
    grain                text NOT NULL,               -- hour | day | month
    window_label         text NOT NULL,               -- 2026-11-22T08 | 2026-11-22 | 2026-11 (policy zone)
    window_start         timestamptz NOT NULL,
    window_end           timestamptz NOT NULL,
    unit                 text,                        -- unit view: unit, kind, stage, region ('-' for none)
    kind                 text,
    stage                text,
    region               text,
    agent                text,                        -- agent view
    outcomes             bigint NOT NULL,
    met                  bigint NOT NULL,
    missed               bigint NOT NULL,
    voided               bigint NOT NULL,
    overdue              bigint NOT NULL,
    linked               bigint NOT NULL,
    closed               bigint NOT NULL,
    callbacks            bigint NOT NULL,
    satisfaction_count   bigint NOT NULL,
    elapsed_count        bigint NOT NULL,
    on_time_rate         double precision,            -- met / (met + missed)
    callback_rate        double precision,            -- callbacks / closed
    satisfaction_avg     double precision,
    elapsed_mean_seconds double precision,
    elapsed_p50_seconds  double precision,
    elapsed_p90_seconds  double precision,
    as_of                timestamptz NOT NULL,
    revision             bigint NOT NULL
);
CREATE INDEX slawatch_rollups_window ON slawatch_rollups (grain, window_start);
CREATE INDEX slawatch_rollups_unit ON slawatch_rollups (unit, grain, window_start) WHERE view = 'unit';

CREATE TABLE slawatch_scorecards (
    month        text NOT NULL,                       -- 2026-11
    unit         text NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    score        numeric(6, 3) NOT NULL,              -- 100 minus deductions, not below 0
    grade        text NOT NULL,                       -- excellent >= 90 | pass 70-89 | fail < 70
    assessed     boolean NOT NULL,                    -- below the policy's assess_below
    deductions   numeric(12, 3) NOT NULL,
    met          bigint NOT NULL,
    missed       bigint NOT NULL,
    overdue      bigint NOT NULL,
    on_time_rate double precision,
    as_of        timestamptz NOT NULL,
    revision     bigint NOT NULL,
    PRIMARY KEY (month, unit)
);

-- The month's list of units to be assessed (考核).
CREATE VIEW slawatch_units_to_assess AS
    SELECT month, unit, score, grade, overdue, missed, deductions
    FROM slawatch_scorecards WHERE assessed ORDER BY month, score, unit;
