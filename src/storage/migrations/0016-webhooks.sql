-- Webhooks (docs/adr/0019-webhooks-outbox.md). An event is written to the outbox in the transaction
-- of the change it reports, with one delivery per endpoint subscribed at that moment: a rolled-back
-- change leaves no event, and a committed one is delivered even if the process stops right after.

-- The signing secret is kept in clear: it is a shared secret the sender needs to sign with (a hash
-- could only check it). It is shown once, when the endpoint is added.
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  url text NOT NULL CHECK (url ~ '^https?://'),
  events text[] NOT NULL CHECK (cardinality(events) > 0),
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  disabled_at timestamptz,
  disabled_by text
);

CREATE TABLE webhook_outbox (
  id text PRIMARY KEY,
  event_type text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One row per event and endpoint. A pending delivery is due at next_attempt_at; a process that claims
-- it moves next_attempt_at past the time its attempt can take (a lease), so a process that dies while
-- sending leaves it to be claimed again.
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  event_id text NOT NULL REFERENCES webhook_outbox (id),
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz,
  delivered_at timestamptz,
  last_error text,
  UNIQUE (event_id, endpoint_id),
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id);

-- Every attempt: when, the HTTP status or the error, and how long it took.
CREATE TABLE webhook_delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id text NOT NULL REFERENCES webhook_deliveries (id),
  attempted_at timestamptz NOT NULL,
  http_status integer,
  error text,
  duration_ms integer NOT NULL,
  CHECK (http_status IS NOT NULL OR error IS NOT NULL)
);
CREATE INDEX webhook_delivery_attempts_delivery ON webhook_delivery_attempts (delivery_id, attempted_at);
