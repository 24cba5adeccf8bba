-- Who approved an invoice. approve_invoice() records the approving user given by the
-- caller (the CLI's CONFBILL_USER or login name), else the database role of the session, in the same
-- UPDATE that issues the number; an approved row never changes afterwards (migration 0001), so the
-- approver cannot be rewritten. Invoices approved before this migration have no recorded approver.
ALTER TABLE invoices ADD COLUMN approved_by text;
ALTER TABLE invoices ADD CONSTRAINT invoices_approver_only_when_approved CHECK (approved_by IS NULL OR status = 'approved');

CREATE FUNCTION approve_invoice(p_invoice_id text, p_approved_by text DEFAULT NULL, OUT invoice_number integer, OUT invoice_approved_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
  current_status text;
BEGIN
  SELECT status INTO current_status FROM invoices WHERE id = p_invoice_id FOR UPDATE;
  IF current_status IS DISTINCT FROM 'draft' THEN
    RETURN;
  END IF;
  UPDATE invoice_number_sequence SET last_number = last_number + 1 RETURNING last_number INTO invoice_number;
  UPDATE invoices SET status = 'approved', number = invoice_number, approved_at = now(),
         approved_by = coalesce(nullif(btrim(p_approved_by), ''), session_user)
   WHERE id = p_invoice_id
   RETURNING approved_at INTO invoice_approved_at;
END $$;
DO $$ BEGIN
  EXECUTE format('ALTER FUNCTION approve_invoice(text, text) SET search_path = %I, pg_temp', current_schema());
END $$;
REVOKE EXECUTE ON FUNCTION approve_invoice(text, text) FROM PUBLIC;

-- Roles that could approve keep that right on the new function (the service role of
-- docs/postgresql-roles.md); the old one goes, so that no approval can skip the approver.
DO $$
DECLARE
  grantee text;
BEGIN
  FOR grantee IN
    SELECT DISTINCT p.grantee FROM information_schema.routine_privileges p
    WHERE p.routine_schema = current_schema() AND p.routine_name = 'approve_invoice' AND p.privilege_type = 'EXECUTE'
      AND p.grantee NOT IN ('PUBLIC', current_user)
  LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION approve_invoice(text, text) TO %I', grantee);
  END LOOP;
END $$;
DROP FUNCTION approve_invoice(text);
