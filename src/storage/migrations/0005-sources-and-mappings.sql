-- Sources of call data as configuration (issue 4): the format they send, the time zone of their local
-- time stamps, and the customer their unmatched calls default to (a `source` matching rule).
CREATE TABLE sources (
  id               text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]*$'),
  format           text NOT NULL,
  timezone         text,
  default_customer text REFERENCES customers ON DELETE SET NULL
);

-- The configuration's overrides of a format's default mapping (vendor vocabulary → confbill).
CREATE TABLE format_mappings (
  format  text PRIMARY KEY,
  mapping jsonb NOT NULL
);

-- Rejects and exclusions are counted per source; calls already carry theirs.
ALTER TABLE ingest_rejects ADD COLUMN source text;
CREATE INDEX ingest_rejects_source ON ingest_rejects (source);
CREATE INDEX calls_source ON calls (source, started_at);

CREATE TABLE source_stats (
  source           text PRIMARY KEY,
  records_read     bigint NOT NULL DEFAULT 0,
  excluded         bigint NOT NULL DEFAULT 0,
  excluded_reasons jsonb NOT NULL DEFAULT '{}',
  last_ingest_at   timestamptz
);
