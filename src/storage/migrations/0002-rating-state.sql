-- What rating last did per customer, so that invoicing and the schedule re-rate only customers whose
-- inputs changed (dirty) or whose day items must reach further (rated_through).
CREATE TABLE rating_state (
  customer_id   text PRIMARY KEY REFERENCES customers ON DELETE CASCADE,
  dirty         boolean NOT NULL DEFAULT true,
  rated_through date,
  rated_at      timestamptz
);
