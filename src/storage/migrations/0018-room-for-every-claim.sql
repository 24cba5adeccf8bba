-- Room on each page for the claimed version of every row on it (docs/adr/0028-invoice-lines-from-sums.md).
-- A claim (setting billing_items.invoice_id, migration 0017) writes a new version of the row, longer by
-- the invoice id; with half of each page free, a page's rows of about 150 bytes did not all fit
-- again, and one claim in six left its page and went into every index (a non-HOT update). Rows of
-- 70 bytes or more fit again in the 60% left free here. New pages only; existing ones as they are
-- rewritten.
ALTER TABLE billing_items SET (fillfactor = 40);
