-- The generation of the configuration a receiver reads for every post (sources, settings, format
-- mappings, API keys): a process keeps what it read while the generation has not moved, one small
-- read per post instead of four. Every statement that writes one of these tables bumps it, in its transaction, by a
-- trigger: no writer can forget it, and a change is seen by the first post after its commit.
CREATE TABLE configuration_generation (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  generation bigint NOT NULL
);
INSERT INTO configuration_generation (generation) VALUES (0);

CREATE FUNCTION bump_configuration_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE configuration_generation SET generation = generation + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER sources_configuration_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sources
  FOR EACH STATEMENT EXECUTE FUNCTION bump_configuration_generation();
CREATE TRIGGER settings_configuration_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON settings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_configuration_generation();
CREATE TRIGGER format_mappings_configuration_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON format_mappings
  FOR EACH STATEMENT EXECUTE FUNCTION bump_configuration_generation();
CREATE TRIGGER api_keys_configuration_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_keys
  FOR EACH STATEMENT EXECUTE FUNCTION bump_configuration_generation();
