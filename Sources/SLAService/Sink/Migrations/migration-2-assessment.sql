-- slawatch rollups sink, migration 2 (contract v1.3): scorecards graded by rate with their
-- stages, the monthly ranking, and the ticket-level list of stage cycles (verdicts).

-- graded: false for fewer verdicts than min_volume ("insufficient volume"); method: rate | per_event;
-- verdicts: met + missed; stages: [{stage, met, missed, overdue, on_time_rate, target, deductions}].
ALTER TABLE slawatch_scorecards ADD COLUMN graded boolean;
ALTER TABLE slawatch_scorecards ADD COLUMN method text;
ALTER TABLE slawatch_scorecards ADD COLUMN verdicts bigint;
ALTER TABLE slawatch_scorecards ADD COLUMN stages jsonb;

-- The month's ranking (排名) of the graded units by score: computed here, where every unit's
-- scorecard meets (each instance owns only the units of its outcome partitions).
CREATE VIEW slawatch_unit_ranking AS
    SELECT month, unit, score, grade,
           rank() OVER (PARTITION BY month ORDER BY score DESC) AS rank,
           count(*) OVER (PARTITION BY month) AS ranked
    FROM slawatch_scorecards WHERE graded IS NOT FALSE;

-- One row per stage cycle (ticket or outage, stage, cycle start): its verdict or none yet, and
-- whether an overdue (超时) stands. A correction bumps the revision; a repeat changes nothing.
CREATE TABLE slawatch_verdicts (
    key              text PRIMARY KEY,                  -- verdict|<ticket|outage>|<id>|<stage>@<cycle start>
    subject_type     text NOT NULL,
    subject_id       text NOT NULL,
    kind             text NOT NULL,
    stage            text NOT NULL,
    cycle            bigint,
    month            text NOT NULL,                     -- the month it counts in (policy zone), as the scorecards
    charged_to       text,
    unit             text,
    agent            text,
    region           text,
    customer_class   text,
    started_at       timestamptz,
    deadline         timestamptz,
    ended_at         timestamptz,
    elapsed_seconds  double precision,
    verdict          text NOT NULL,                     -- met | missed | voided | pending
    overdue          boolean NOT NULL,
    as_of            timestamptz NOT NULL,
    revision         bigint NOT NULL
);
CREATE INDEX slawatch_verdicts_month ON slawatch_verdicts (month, charged_to);

-- The monthly report (定期将应考核的单位名单报市场营销部): every cycle overdue or missed, by the party charged.
CREATE VIEW slawatch_overdue_list AS
    SELECT month, charged_to, subject_type, subject_id, kind, stage, cycle, unit, started_at, deadline, ended_at,
           elapsed_seconds, verdict, overdue
    FROM slawatch_verdicts WHERE overdue OR verdict = 'missed'
    ORDER BY month, charged_to, started_at;
