-- Claiming an item for an invoice sets billing_items.invoice_id, which stays the one place that says
-- which invoice holds an item (so an item is in at most one). The claim used to rewrite every item
-- row into every index of the table plus a foreign-key check per row: most of an invoice run
-- (docs/adr/0023-set-based-invoice-run.md). Now no index holds invoice_id, so PostgreSQL updates the
-- row in place on its page (a HOT update, no index touched), and the foreign key is checked and
-- locked once per invoice and statement instead of once per row.

-- Room on each page for the claimed version of its rows (new pages; existing ones as they are rewritten).
ALTER TABLE billing_items SET (fillfactor = 50);

-- A customer's items by date, open or invoiced, instead of the open ones only (a predicate on
-- invoice_id would make the claim touch the index); readers add `invoice_id IS NULL`.
CREATE INDEX billing_items_customer_date ON billing_items (customer_id, date);
DROP INDEX billing_items_open;
-- An invoice's items are found through its customer (items are only in their own customer's invoices,
-- enforced below).
DROP INDEX billing_items_invoice;

-- The foreign key, once per statement: every invoice that items move into exists (locked FOR KEY
-- SHARE until the transaction ends, as the foreign key would, so it cannot be deleted meanwhile), is
-- of the items' customer and currency, and is no approved invoice.
ALTER TABLE billing_items DROP CONSTRAINT billing_items_invoice_id_fkey;

CREATE OR REPLACE FUNCTION refuse_items_into_approved_invoice() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  missing bigint;
  foreign_ bigint;
  approved bigint;
BEGIN
  WITH wanted AS (SELECT DISTINCT invoice_id, customer_id, currency FROM changed_items WHERE invoice_id IS NOT NULL),
       locked AS (SELECT id, customer_id, currency, status FROM invoices WHERE id IN (SELECT invoice_id FROM wanted) FOR KEY SHARE)
  SELECT count(*) FILTER (WHERE l.id IS NULL),
         count(*) FILTER (WHERE l.customer_id <> w.customer_id OR l.currency <> w.currency),
         count(*) FILTER (WHERE l.status = 'approved')
    INTO missing, foreign_, approved
    FROM wanted w LEFT JOIN locked l ON l.id = w.invoice_id;
  IF missing > 0 THEN
    RAISE EXCEPTION '% of items into an invoice that does not exist is refused', TG_OP USING ERRCODE = '23503';
  END IF;
  IF foreign_ > 0 THEN
    RAISE EXCEPTION '% of items into an invoice of another customer or currency is refused', TG_OP USING ERRCODE = '23514';
  END IF;
  IF approved > 0 THEN
    RAISE EXCEPTION '% of items into an approved invoice is refused', TG_OP USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END $$;

-- ON DELETE SET NULL of the foreign key: a deleted draft releases its items (approved invoices are
-- never deleted: their own trigger refuses it first).
CREATE FUNCTION release_items_of_deleted_invoices() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE billing_items b SET invoice_id = NULL FROM deleted_invoices d WHERE b.customer_id = d.customer_id AND b.invoice_id = d.id;
  RETURN NULL;
END $$;
CREATE TRIGGER invoices_release_items AFTER DELETE ON invoices
  REFERENCING OLD TABLE AS deleted_invoices FOR EACH STATEMENT EXECUTE FUNCTION release_items_of_deleted_invoices();
