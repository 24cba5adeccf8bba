-- Every change to a customer's billing inputs (calls, matches, rules, plans, assignments, entities,
-- released invoices) bumps the customer's generation in the same transaction. A rating run remembers
-- the generation it read its inputs at and writes its items and clears `dirty` only while the
-- generation is unchanged: a call stored between the read and the commit keeps its customer dirty
-- instead of being left without a billing item.
ALTER TABLE rating_state ADD COLUMN generation bigint NOT NULL DEFAULT 0;
