-- slawatch rollups sink, migration 4 (contract v1.3): agents by stage (their cells carry the
-- stage) and the share of satisfied callbacks (满意率: scores of 4 or 5).

ALTER TABLE slawatch_rollups ADD COLUMN satisfied bigint;
ALTER TABLE slawatch_rollups ADD COLUMN satisfied_rate double precision;
CREATE INDEX slawatch_rollups_agent ON slawatch_rollups (agent, stage, grain, window_start) WHERE view = 'agent';
