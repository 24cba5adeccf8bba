-- The audit log (issue 10 §5, ADR 0018): who changed what, when, with the values before and after.
-- Entries are only ever appended: the database refuses UPDATE, DELETE and TRUNCATE whoever asks, and
-- the service role is granted only INSERT and SELECT on it (src/storage/serviceRoleGrants.ts).

CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  -- `<object kind>.<what happened>`: customer.changed, plan.field-changed, invoice.approved, …
  action      text NOT NULL,
  object_kind text NOT NULL,
  object_id   text NOT NULL,
  -- The object's changed fields before and after (NULL: the object did not exist before / after).
  before      jsonb,
  after       jsonb
);
-- Reading is by object (a plan's history, an invoice's story) or by actor, newest first.
CREATE INDEX audit_log_object ON audit_log (object_kind, object_id, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);

CREATE FUNCTION refuse_audit_log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only: % on audit_log is refused', TG_OP USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_log_change();
CREATE TRIGGER audit_log_not_truncated BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_log_change();

-- Plan history becomes entries of the log, one per changed field: before {field: old}, after
-- {field: new}, the same user and time, in the same order (ids ascending). The action names the step.
INSERT INTO audit_log (at, actor, action, object_kind, object_id, before, after)
SELECT changed_at, user_name,
       CASE
         WHEN field = 'locked' AND new_value = 'true'::jsonb THEN 'plan.locked'
         WHEN field = 'locked' THEN 'plan.unlocked'
         WHEN field = 'deleted' THEN 'plan.deleted'
         WHEN field = 'copyOf' OR (field = 'version' AND coalesce(old_value, 'null'::jsonb) = 'null'::jsonb) THEN 'plan.added'
         WHEN field = 'version' THEN 'plan.version-locked'
         ELSE 'plan.field-changed'
       END,
       'plan', plan_id,
       jsonb_build_object(field, coalesce(old_value, 'null'::jsonb)),
       jsonb_build_object(field, coalesce(new_value, 'null'::jsonb))
FROM plan_history ORDER BY id;

DROP TABLE plan_history;

-- The plan history as it was (same columns), read from the log: `plan history` prints what it did.
-- A view over a join is not updatable, and the log's triggers refuse changes anyway.
CREATE VIEW plan_history AS
SELECT a.id, a.object_id AS plan_id, f.field, a.before -> f.field AS old_value, a.after -> f.field AS new_value,
       a.actor AS user_name, a.at AS changed_at
FROM audit_log a CROSS JOIN LATERAL jsonb_object_keys(a.after) AS f(field)
WHERE a.object_kind = 'plan';
