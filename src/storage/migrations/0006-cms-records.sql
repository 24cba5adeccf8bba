-- Cisco Meeting Server sends a leg's records in separate POSTs, in any order, again until answered
-- 200, and to up to four receivers: every record is kept once, keyed by (session, correlatorIndex)
-- (identical for all receivers of one Call Bridge run), and legs are assembled from what is stored.
CREATE TABLE cms_records (
  id               bigserial PRIMARY KEY,
  source           text NOT NULL,
  session          text NOT NULL,
  correlator_index bigint NOT NULL,
  call_bridge      text,
  record_type      text NOT NULL,
  record_time      timestamptz NOT NULL,
  leg_id           text,
  call_id          text,
  record           jsonb NOT NULL,
  received_from    text,
  received_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, session, correlator_index)
);
CREATE INDEX cms_records_leg ON cms_records (source, leg_id) WHERE leg_id IS NOT NULL;
CREATE INDEX cms_records_call ON cms_records (source, call_id) WHERE call_id IS NOT NULL;
