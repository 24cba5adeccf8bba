-- The version of each plan that `confbill apply` last wrote or found equal to its file: a plan whose
-- version in force differs was changed since (plan set + lock), and apply does not silently revert
-- those edits (README, "Describe the provider"). NULL: no file has applied this plan yet.
ALTER TABLE plans ADD COLUMN applied_version int;

-- Existing plans: applied when no one but `apply` (the user name apply recorded) changed them after
-- apply last did; plans made by `plan copy` or edited since stay NULL.
UPDATE plans p SET applied_version = p.current_version
WHERE NOT EXISTS (
  SELECT 1 FROM plan_history h
  WHERE h.plan_id = p.id AND h.user_name <> 'apply'
    AND h.id > COALESCE((SELECT max(a.id) FROM plan_history a WHERE a.plan_id = p.id AND a.user_name = 'apply'), 0)
);
