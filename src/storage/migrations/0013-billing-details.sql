-- Billing details: what an accountant expects on an invoice's "Bill to" block, and the
-- provider's logo. All optional: customers applied before have none and their invoices print as before.
ALTER TABLE customers
  ADD COLUMN billing_address    text,
  ADD COLUMN email              text,
  ADD COLUMN tax_id             text,
  ADD COLUMN customer_reference text;

-- The provider's logo, stored by content: the settings and the frozen documents of approved invoices
-- name it by its SHA-256, so an approved invoice keeps the logo it was approved with after the
-- settings get another one. A stored logo is therefore never changed nor removed (ADR 0014).
CREATE TABLE provider_logos (
  sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
  content    bytea NOT NULL CHECK (octet_length(content) BETWEEN 1 AND 1048576),
  stored_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION refuse_logo_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'provider logos are kept for the invoices that show them: % on provider_logos is refused', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER provider_logos_kept BEFORE UPDATE OR DELETE ON provider_logos
  FOR EACH ROW EXECUTE FUNCTION refuse_logo_change();
CREATE TRIGGER provider_logos_not_truncated BEFORE TRUNCATE ON provider_logos
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_logo_change();
