-- Claiming items for an invoice updates thousands of rows at once; a row trigger looking up the
-- invoice for each one made that the slowest part of invoicing. Items that move INTO an invoice are
-- now checked once per statement (a transition table); items already in an invoice keep their row
-- trigger, which claims never fire because their items were in no invoice before.
DROP TRIGGER billing_items_immutable_insert ON billing_items;
DROP TRIGGER billing_items_immutable_update ON billing_items;

CREATE TRIGGER billing_items_immutable_update BEFORE UPDATE ON billing_items
  FOR EACH ROW WHEN (OLD.invoice_id IS NOT NULL) EXECUTE FUNCTION refuse_approved_invoice_part_change();

CREATE FUNCTION refuse_items_into_approved_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed_items n JOIN invoices i ON i.id = n.invoice_id WHERE i.status = 'approved') THEN
    RAISE EXCEPTION '% of items into an approved invoice is refused', TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER billing_items_into_approved_insert AFTER INSERT ON billing_items
  REFERENCING NEW TABLE AS changed_items FOR EACH STATEMENT EXECUTE FUNCTION refuse_items_into_approved_invoice();
CREATE TRIGGER billing_items_into_approved_update AFTER UPDATE ON billing_items
  REFERENCING NEW TABLE AS changed_items FOR EACH STATEMENT EXECUTE FUNCTION refuse_items_into_approved_invoice();
