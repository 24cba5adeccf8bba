-- Approved means frozen, documents included (ADR 0006). At approval the approving transaction stores
-- everything the invoice's documents show (provider block, customer, header, lines, totals, notes,
-- the rated calls) as one canonical JSON text with its SHA-256; exports of an approved invoice render
-- only from it. Invoices approved before this migration have no snapshot and keep rendering from live
-- data: a snapshot made later would freeze whatever the data is by then, not what was approved.

CREATE TABLE invoice_snapshots (
  invoice_id text PRIMARY KEY REFERENCES invoices,
  -- RFC 8785 canonical JSON, kept as text: jsonb would re-order keys and lose the exact bytes hashed.
  document   text NOT NULL,
  sha256     text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  frozen_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_snapshot_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'invoice snapshots are frozen: % on invoice_snapshots is refused', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER invoice_snapshots_frozen BEFORE UPDATE OR DELETE ON invoice_snapshots
  FOR EACH ROW EXECUTE FUNCTION refuse_snapshot_change();
CREATE TRIGGER invoice_snapshots_not_truncated BEFORE TRUNCATE ON invoice_snapshots
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_snapshot_change();

-- A snapshot is written by the transaction that approves its invoice and by no other: approved_at is
-- that transaction's now(). So no snapshot can be made for a draft, nor afterwards for an invoice
-- approved earlier (whose data may have changed since).
CREATE FUNCTION refuse_snapshot_outside_approval() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id AND status = 'approved' AND approved_at = now()) THEN
    RAISE EXCEPTION 'a snapshot of invoice % can only be stored by its approving transaction', NEW.invoice_id USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoice_snapshots_at_approval BEFORE INSERT ON invoice_snapshots
  FOR EACH ROW EXECUTE FUNCTION refuse_snapshot_outside_approval();

-- Row triggers do not fire on TRUNCATE: refuse it while an approved invoice would go with it.
CREATE FUNCTION refuse_truncate_of_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM invoices WHERE status = 'approved') THEN
    RAISE EXCEPTION 'TRUNCATE of % is refused: approved invoices never change', TG_TABLE_NAME USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER invoices_not_truncated BEFORE TRUNCATE ON invoices FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_approved();
CREATE TRIGGER invoice_lines_not_truncated BEFORE TRUNCATE ON invoice_lines FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_approved();
CREATE TRIGGER billing_items_not_truncated BEFORE TRUNCATE ON billing_items FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_approved();

-- New invoices are drafts unless said otherwise, so that the service role can be allowed to insert
-- invoices without being allowed to choose their status or number (docs/postgresql-roles.md).
ALTER TABLE invoices ALTER COLUMN status SET DEFAULT 'draft';

-- Approval is the only way an invoice number is issued. It runs with the rights of the schema owner
-- (SECURITY DEFINER), so the service role needs no right to write the counter row or an invoice's
-- status or number: it can take the next number only by approving a draft.
CREATE FUNCTION approve_invoice(p_invoice_id text, OUT invoice_number integer, OUT invoice_approved_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  current_status text;
BEGIN
  SELECT status INTO current_status FROM invoices WHERE id = p_invoice_id FOR UPDATE;
  IF current_status IS DISTINCT FROM 'draft' THEN
    RETURN;
  END IF;
  UPDATE invoice_number_sequence SET last_number = last_number + 1 RETURNING last_number INTO invoice_number;
  UPDATE invoices SET status = 'approved', number = invoice_number, approved_at = now() WHERE id = p_invoice_id
    RETURNING approved_at INTO invoice_approved_at;
END $$;
-- A SECURITY DEFINER function must not find its tables through a search_path its caller controls
-- (a temporary table named invoices would shadow the real one): pin this schema, pg_temp last.
DO $$ BEGIN
  EXECUTE format('ALTER FUNCTION approve_invoice(text) SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION approve_invoice(text) FROM PUBLIC;
