-- Every change to a customer's billing inputs (calls, matches, rules, plans, assignments, entities,
-- released invoices) bumps the customer's generation in the same transaction. A rating run remembers
-- the generation it read its inputs at and writes its items and clears `dirty` only while the
-- generation is unchanged: a call stored between the read and the commit keeps its customer dirty
-- instead of being left without a billing item.
ALTER TABLE rating_state ADD COLUMN generation bigint NOT NULL DEFAULT 0;

-- The generation of the matching rules (rules, entity aliases, sources' default customers), bumped by
-- every change of them in its transaction, before it sends open calls back to matching. Writers of
-- matches hold this row FOR SHARE and re-load the rules when it moved: a call is never stored matched
-- by rules that were replaced while it was being matched.
CREATE TABLE matching_generation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL
);
INSERT INTO matching_generation (generation) VALUES (0);
