-- slawatch rollups sink, migration 3 (contract v1.3): ticket volumes of every kind in the
-- rollup cells (受理 / 处理 / 答复, reopenings, send-backs, 一次解决).

ALTER TABLE slawatch_rollups ADD COLUMN received bigint;
ALTER TABLE slawatch_rollups ADD COLUMN handled bigint;
ALTER TABLE slawatch_rollups ADD COLUMN answered bigint;
ALTER TABLE slawatch_rollups ADD COLUMN reopened bigint;
ALTER TABLE slawatch_rollups ADD COLUMN sent_back bigint;
ALTER TABLE slawatch_rollups ADD COLUMN first_time bigint;
ALTER TABLE slawatch_rollups ADD COLUMN handled_rate double precision;
ALTER TABLE slawatch_rollups ADD COLUMN answered_rate double precision;
ALTER TABLE slawatch_rollups ADD COLUMN first_time_rate double precision;
