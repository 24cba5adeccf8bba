-- Scheduled work shared by every confbill process on one database (docs/billing-rules.md §8: billing data at least
-- once an hour). A process runs a job only after claiming its row: one UPDATE that succeeds only
-- when the job is due and nobody holds an unexpired lease, so two processes never run it at once and
-- a crashed holder's lease simply runs out.
CREATE TABLE scheduled_jobs (
  name             text PRIMARY KEY,
  next_due_at      timestamptz NOT NULL,
  claimed_by       text,
  lease_until      timestamptz,
  last_started_at  timestamptz,
  last_finished_at timestamptz,
  last_error       text
);
