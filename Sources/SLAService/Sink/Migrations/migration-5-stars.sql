-- slawatch rollups sink, migration 5 (contract v1.4): agents' monthly scorecards, their ranking,
-- and the yearly star ratings (星级) of units and agents. Quarter and year rollups need no new
-- column: they are rows of slawatch_rollups with grain quarter (2026-Q4) or year (2026).

-- An agent's month, scored by the unit rule from the agent's cells of each stage.
CREATE TABLE slawatch_agent_scorecards (
    month        text NOT NULL,
    agent        text NOT NULL,
    window_start timestamptz NOT NULL,
    window_end   timestamptz NOT NULL,
    score        numeric(6, 3) NOT NULL,
    grade        text NOT NULL,
    graded       boolean,
    assessed     boolean NOT NULL,
    method       text,
    deductions   numeric(12, 3) NOT NULL,
    verdicts     bigint,
    met          bigint NOT NULL,
    missed       bigint NOT NULL,
    overdue      bigint NOT NULL,
    on_time_rate double precision,
    stages       jsonb,
    as_of        timestamptz NOT NULL,
    revision     bigint NOT NULL,
    PRIMARY KEY (month, agent)
);

CREATE VIEW slawatch_agent_ranking AS
    SELECT month, agent, score, grade,
           rank() OVER (PARTITION BY month ORDER BY score DESC) AS rank,
           count(*) OVER (PARTITION BY month) AS ranked
    FROM slawatch_agent_scorecards WHERE graded IS NOT FALSE;

-- A unit's or an agent's year: stars 1-5 from the mean of its graded monthly scores (null: no
-- graded month, not rated); months: [{month, score, graded, verdicts}]; bands: {"5": 95, ...}.
CREATE TABLE slawatch_stars (
    year          text NOT NULL,
    view          text NOT NULL,                     -- unit | agent
    owner         text NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    stars         integer,
    rated         boolean NOT NULL,
    mean_score    double precision,
    graded_months integer NOT NULL,
    months        jsonb NOT NULL,
    bands         jsonb NOT NULL,
    as_of         timestamptz NOT NULL,
    revision      bigint NOT NULL,
    PRIMARY KEY (year, view, owner)
);
