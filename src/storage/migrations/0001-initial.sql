-- confbill schema, version 1. Every instant is timestamptz (UTC); every local date is a date in the
-- customer's time zone; every amount is numeric (exact), never float.

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE settings (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE customers (
  id       text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]*$'),
  name     text NOT NULL,
  timezone text
);

CREATE TABLE matching_rules (
  id          text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('alias', 'number-range', 'domain', 'regex', 'tenant', 'source')),
  value       text NOT NULL DEFAULT '',
  range_from  text,
  range_to    text,
  valid_from  date,
  valid_to    date,
  CHECK (kind <> 'number-range' OR (length(range_from) = length(range_to) AND range_from <= range_to))
);

CREATE TABLE entities (
  id           text PRIMARY KEY,
  customer_id  text NOT NULL REFERENCES customers ON DELETE CASCADE,
  service_type text NOT NULL,
  alias        text,
  created_at   timestamptz NOT NULL,
  deleted_at   timestamptz,
  CHECK (deleted_at IS NULL OR deleted_at >= created_at)
);

CREATE TABLE customer_custom_elements (
  id          text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers ON DELETE CASCADE,
  name        text NOT NULL,
  date        date NOT NULL,
  unit_price  numeric NOT NULL,
  quantity    numeric NOT NULL
);

CREATE TABLE plans (
  id              text PRIMARY KEY,
  locked          boolean NOT NULL DEFAULT true,
  current_version int NOT NULL,
  -- The edited definition while the plan is unlocked; rating keeps using current_version.
  draft           jsonb
);

CREATE TABLE plan_versions (
  plan_id    text NOT NULL REFERENCES plans ON DELETE CASCADE,
  version    int NOT NULL,
  definition jsonb NOT NULL,
  locked_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (plan_id, version)
);

CREATE TABLE plan_history (
  id         bigserial PRIMARY KEY,
  plan_id    text NOT NULL,
  field      text NOT NULL,
  old_value  jsonb,
  new_value  jsonb,
  user_name  text NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assignments (
  id          text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers ON DELETE CASCADE,
  plan_id     text NOT NULL REFERENCES plans ON DELETE CASCADE,
  from_date   date NOT NULL,
  to_date     date,
  CHECK (to_date IS NULL OR to_date > from_date),
  -- A customer's ranges never overlap (docs/billing-rules.md §3): a constraint, not a convention.
  EXCLUDE USING gist (customer_id WITH =, daterange(from_date, to_date) WITH &&)
);

CREATE TABLE calls (
  id                bigserial PRIMARY KEY,
  source            text NOT NULL,
  external_id       text NOT NULL,
  conference_id     text,
  started_at        timestamptz NOT NULL,
  duration_seconds  integer NOT NULL CHECK (duration_seconds >= 0),
  category          text NOT NULL,
  direction         text NOT NULL,
  protocol          text,
  local_alias       text,
  remote_alias      text,
  tenant            text,
  disconnect_reason text,
  -- Matching result: pending until matched; customer_id set only when matched.
  match_status      text NOT NULL DEFAULT 'pending' CHECK (match_status IN ('pending', 'matched', 'no-customer', 'ambiguous')),
  customer_id       text,
  match_rule        text,
  ingested_at       timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, external_id)
);
CREATE INDEX calls_pending ON calls (id) WHERE match_status = 'pending';
CREATE INDEX calls_customer ON calls (customer_id, started_at);

-- Records that could not be read, kept whole with where they came from and why (nothing is dropped).
CREATE TABLE ingest_rejects (
  id          bigserial PRIMARY KEY,
  format      text NOT NULL,
  file        text NOT NULL,
  line        integer,
  field       text,
  reason      text NOT NULL,
  raw         text,
  rejected_at timestamptz NOT NULL DEFAULT now()
);

-- Later records for calls that are already invoiced: refused and recorded, never applied.
CREATE TABLE ingest_conflicts (
  id          bigserial PRIMARY KEY,
  call_id     bigint NOT NULL REFERENCES calls,
  file        text NOT NULL,
  line        integer,
  reason      text NOT NULL,
  raw         jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
  id          text PRIMARY KEY,
  number      integer UNIQUE,
  status      text NOT NULL CHECK (status IN ('draft', 'approved')),
  customer_id text NOT NULL REFERENCES customers,
  currency    text NOT NULL,
  from_date   date NOT NULL,
  to_date     date NOT NULL,
  total       numeric NOT NULL,
  notes       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  approved_at timestamptz,
  CHECK ((status = 'approved') = (number IS NOT NULL))
);
CREATE INDEX invoices_customer ON invoices (customer_id, from_date);

CREATE TABLE invoice_lines (
  id          bigserial PRIMARY KEY,
  invoice_id  text NOT NULL REFERENCES invoices ON DELETE CASCADE,
  position    integer NOT NULL,
  kind        text NOT NULL,
  description text NOT NULL,
  quantity    numeric NOT NULL,
  unit        text NOT NULL,
  unit_price  numeric,
  amount      numeric NOT NULL,
  period      text NOT NULL,
  plan_id     text,
  basis       text,
  calls       integer,
  late        boolean NOT NULL DEFAULT false
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id);

-- The gapless invoice numbers: one row, advanced under its row lock inside the approving transaction.
CREATE TABLE invoice_number_sequence (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  last_number integer NOT NULL
);
INSERT INTO invoice_number_sequence (last_number) VALUES (0);

-- Billing data (docs/billing-rules.md §8): derived, regenerated at will, except where an invoice holds it. One column
-- invoice_id means an item is in at most one invoice; the unique keys mean a call, a plan day or an
-- entity day is never two items.
CREATE TABLE billing_items (
  id               bigserial PRIMARY KEY,
  customer_id      text NOT NULL,
  item_key         text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('call', 'plan-day', 'service-day', 'custom-element')),
  date             date NOT NULL,
  currency         text NOT NULL,
  plan_id          text NOT NULL,
  plan_version     integer NOT NULL,
  call_id          bigint REFERENCES calls,
  started_at       timestamptz,
  billed_minutes   integer,
  category         text,
  direction        text,
  external_id      text,
  rate_found       boolean,
  included_minutes integer,
  overage_minutes  integer,
  assignment_id    text,
  entity_id        text,
  service_type     text,
  name             text,
  unit_price       numeric,
  quantity         numeric,
  amount           numeric,
  invoice_id       text REFERENCES invoices ON DELETE SET NULL,
  UNIQUE (customer_id, item_key)
);
CREATE UNIQUE INDEX billing_items_one_per_call ON billing_items (call_id) WHERE call_id IS NOT NULL;
CREATE INDEX billing_items_open ON billing_items (customer_id, date) WHERE invoice_id IS NULL;
CREATE INDEX billing_items_invoice ON billing_items (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE INDEX billing_items_plan_month ON billing_items (customer_id, plan_id, date);

-- An approved invoice is immutable, whoever writes: the database refuses the change.
CREATE FUNCTION refuse_approved_invoice_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'approved' THEN
      RAISE EXCEPTION 'invoice % is approved and cannot be deleted', OLD.id USING ERRCODE = 'P0001';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'approved' THEN
    RAISE EXCEPTION 'invoice % is approved and cannot be changed', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION refuse_approved_invoice_change();

CREATE FUNCTION refuse_approved_invoice_part_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched text[];
BEGIN
  IF TG_OP = 'INSERT' THEN touched := ARRAY[NEW.invoice_id];
  ELSIF TG_OP = 'DELETE' THEN touched := ARRAY[OLD.invoice_id];
  ELSE touched := ARRAY[OLD.invoice_id, NEW.invoice_id];
  END IF;
  IF EXISTS (SELECT 1 FROM invoices WHERE id = ANY (touched) AND status = 'approved') THEN
    RAISE EXCEPTION '% of an approved invoice is refused on %', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_lines_immutable BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
  FOR EACH ROW EXECUTE FUNCTION refuse_approved_invoice_part_change();
-- Items outside invoices are regenerated in bulk: their triggers fire only where an invoice is involved.
CREATE TRIGGER billing_items_immutable_insert BEFORE INSERT ON billing_items
  FOR EACH ROW WHEN (NEW.invoice_id IS NOT NULL) EXECUTE FUNCTION refuse_approved_invoice_part_change();
CREATE TRIGGER billing_items_immutable_update BEFORE UPDATE ON billing_items
  FOR EACH ROW WHEN (OLD.invoice_id IS NOT NULL OR NEW.invoice_id IS NOT NULL) EXECUTE FUNCTION refuse_approved_invoice_part_change();
CREATE TRIGGER billing_items_immutable_delete BEFORE DELETE ON billing_items
  FOR EACH ROW WHEN (OLD.invoice_id IS NOT NULL) EXECUTE FUNCTION refuse_approved_invoice_part_change();
