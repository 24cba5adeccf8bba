-- Who may use the Billing API (docs/adr/0017-users-api-keys-and-sessions.md): users with a password,
-- API keys, and the sessions of signed-in users. No secret is stored in clear: a password as a
-- salted scrypt hash, a key and a session token as their SHA-256 (they are 256-bit random, so a fast
-- hash cannot be reversed by guessing). Names are what the audit log records: plain ASCII, safe in
-- logs and headers, unique ignoring case so that "Admin" cannot pass for "admin".
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
  role          text NOT NULL CHECK (role IN ('admin', 'billing', 'approver', 'viewer', 'ingest')),
  password_hash text NOT NULL CHECK (password_hash ~ '^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$'),
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  disabled_at   timestamptz,
  disabled_by   text,
  CHECK ((disabled_at IS NULL) = (disabled_by IS NULL))
);
CREATE UNIQUE INDEX users_name_unique ON users (lower(name));

CREATE TABLE api_keys (
  id            uuid PRIMARY KEY,
  name          text NOT NULL CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
  role          text NOT NULL CHECK (role IN ('admin', 'billing', 'approver', 'viewer', 'ingest')),
  -- The key is cbk_<prefix>_<secret>: the prefix finds its row and shows in lists; it is not secret.
  prefix        text NOT NULL UNIQUE CHECK (prefix ~ '^[0-9a-f]{8}$'),
  secret_sha256 text NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL,
  created_by    text NOT NULL,
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  revoked_by    text,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- A revoked key keeps its row (who made it, when it was last used) and frees its name.
CREATE UNIQUE INDEX api_keys_active_name_unique ON api_keys (lower(name)) WHERE revoked_at IS NULL;

-- The CSRF token of a session is derived from its token (src/services/sessions.ts), so it is not
-- stored either.
CREATE TABLE sessions (
  token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  user_id      uuid NOT NULL REFERENCES users (id),
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL CHECK (expires_at > created_at),
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
