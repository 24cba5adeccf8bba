-- billing_items.call_id names a stored call. The foreign key checked that once per row, taking a
-- FOR KEY SHARE lock on the call for each item: a lock written into every call's row, and about a
-- fifth of writing a rating's items (docs/adr/0031-call-reference-per-statement.md). The same
-- promise, kept by triggers: an insert of items is checked once per statement, a changed call_id
-- per row, and a call that items name cannot be deleted, renumbered or truncated away.
ALTER TABLE billing_items DROP CONSTRAINT billing_items_call_id_fkey;

CREATE FUNCTION refuse_items_of_missing_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM changed_items n WHERE n.call_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.id = n.call_id)) THEN
    RAISE EXCEPTION 'insert of billing items for a call that does not exist is refused' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER billing_items_call_exists_insert AFTER INSERT ON billing_items
  REFERENCING NEW TABLE AS changed_items FOR EACH STATEMENT EXECUTE FUNCTION refuse_items_of_missing_calls();

-- Re-rating rewrites items in place with the same call: only a changed call_id is checked.
CREATE FUNCTION refuse_item_of_missing_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM calls WHERE id = NEW.call_id) THEN
    RAISE EXCEPTION 'update of a billing item to a call that does not exist is refused' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER billing_items_call_exists_update AFTER UPDATE ON billing_items
  FOR EACH ROW WHEN (NEW.call_id IS NOT NULL AND NEW.call_id IS DISTINCT FROM OLD.call_id) EXECUTE FUNCTION refuse_item_of_missing_call();

-- What no row lock guards any more: the lock waits for the transactions writing items now, so an
-- item they add for a call deleted here is seen below, and one added later finds the call gone.
CREATE FUNCTION refuse_removal_of_billed_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE billing_items IN SHARE ROW EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM billing_items b JOIN removed_calls r ON b.call_id = r.id) THEN
    RAISE EXCEPTION '% of calls that billing items name is refused', TG_OP USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER calls_billed_delete AFTER DELETE ON calls
  REFERENCING OLD TABLE AS removed_calls FOR EACH STATEMENT EXECUTE FUNCTION refuse_removal_of_billed_calls();
-- A renumbered call: the items name its old id. Call ids never change in confbill; only the rare
-- statement that sets one pays for the check.
CREATE FUNCTION refuse_renumbering_of_billed_call() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE billing_items IN SHARE ROW EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM billing_items WHERE call_id = OLD.id) THEN
    RAISE EXCEPTION 'update of the id of a call that billing items name is refused' USING ERRCODE = '23503';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER calls_billed_renumber BEFORE UPDATE OF id ON calls
  FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION refuse_renumbering_of_billed_call();

CREATE FUNCTION refuse_truncate_of_billed_calls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM billing_items WHERE call_id IS NOT NULL) THEN
    RAISE EXCEPTION 'truncate of calls that billing items name is refused' USING ERRCODE = '23503';
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER calls_billed_truncate BEFORE TRUNCATE ON calls
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_truncate_of_billed_calls();
