-- A refused change (a later record for a call that is already invoiced, docs/billing-rules.md §1) is shown to the
-- operator as the fields that differ, old and new: the old values are the invoiced call's, which
-- never change afterwards. Field names are those of confbill-csv.
CREATE FUNCTION call_field_values(conference_id text, started_at timestamptz, duration_seconds integer, category text, direction text,
                                  protocol text, local_alias text, remote_alias text, tenant text, disconnect_reason text) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object(
    'conferenceId', conference_id, 'startedAt', to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'durationSeconds', duration_seconds, 'category', category, 'direction', direction, 'protocol', protocol,
    'localAlias', local_alias, 'remoteAlias', remote_alias, 'tenant', tenant, 'disconnectReason', disconnect_reason)
$$;

-- The fields whose values differ between two call_field_values, as {field: old} and {field: new}.
CREATE FUNCTION call_field_changes(old_values jsonb, new_values jsonb, OUT old_changed jsonb, OUT new_changed jsonb)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb), coalesce(jsonb_object_agg(o.key, coalesce(new_values -> o.key, 'null'::jsonb)), '{}'::jsonb)
  FROM jsonb_each(old_values) o
  WHERE o.value IS DISTINCT FROM coalesce(new_values -> o.key, 'null'::jsonb)
$$;

ALTER TABLE ingest_conflicts ADD COLUMN old_values jsonb, ADD COLUMN new_values jsonb;

-- Refusals recorded before this version kept the whole record only: derive the changed fields.
UPDATE ingest_conflicts k SET (old_values, new_values) = (
  SELECT d.old_changed, d.new_changed
  FROM calls c CROSS JOIN LATERAL call_field_changes(
    call_field_values(c.conference_id, c.started_at, c.duration_seconds, c.category, c.direction, c.protocol, c.local_alias, c.remote_alias, c.tenant, c.disconnect_reason),
    call_field_values(k.raw ->> 'conference_id', (k.raw ->> 'started_at')::timestamptz, (k.raw ->> 'duration_seconds')::integer, k.raw ->> 'category', k.raw ->> 'direction',
                      k.raw ->> 'protocol', k.raw ->> 'local_alias', k.raw ->> 'remote_alias', k.raw ->> 'tenant', k.raw ->> 'disconnect_reason')) d
  WHERE c.id = k.call_id);
UPDATE ingest_conflicts SET old_values = '{}'::jsonb, new_values = '{}'::jsonb WHERE old_values IS NULL;
ALTER TABLE ingest_conflicts ALTER COLUMN old_values SET NOT NULL, ALTER COLUMN new_values SET NOT NULL;

-- A refused change is recorded once: ingesting the same file again refuses the same change again and
-- must not list it twice. Databases that already hold it several times keep the first.
DELETE FROM ingest_conflicts WHERE id IN (
  SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY call_id, md5(new_values::text) ORDER BY id) AS nth FROM ingest_conflicts) numbered
  WHERE nth > 1);
CREATE UNIQUE INDEX ingest_conflicts_once ON ingest_conflicts (call_id, md5(new_values::text));
