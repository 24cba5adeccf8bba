-- A reject is stored once: ingesting the same file again (or CMS assembling a leg again) refuses the
-- same records for the same reasons, and must not add them a second time (18 rejects stayed 18, not
-- 36). The key is a hash of everything that makes a reject, since a reason or raw text may be longer
-- than an index entry can be; each part is length-prefixed, so two different rejects never hash the
-- same text.
CREATE FUNCTION ingest_reject_key(format text, file text, line integer, field text, reason text, raw text, source text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT md5(
    coalesce(length(format)::text || ':' || format, '-') || coalesce(length(file)::text || ':' || file, '-') || coalesce(line::text, '-') || ';' ||
    coalesce(length(field)::text || ':' || field, '-') || coalesce(length(reason)::text || ':' || reason, '-') ||
    coalesce(length(raw)::text || ':' || raw, '-') || coalesce(length(source)::text || ':' || source, '-'))
$$;

-- Databases ingested before this version may hold the same reject several times: keep the first.
DELETE FROM ingest_rejects WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (PARTITION BY ingest_reject_key(format, file, line, field, reason, raw, source) ORDER BY id) AS nth
    FROM ingest_rejects) numbered
  WHERE nth > 1);

CREATE UNIQUE INDEX ingest_rejects_once ON ingest_rejects (ingest_reject_key(format, file, line, field, reason, raw, source));
