-- CarLedger service schema, version 1: everything that is not on the ledger.
--
-- Personal data (names, addresses, phone numbers) lives only here, so erasing an account
-- (users.erased_at) removes it while the ledger keeps only the pseudonymous key fingerprint.
-- All times are timestamptz written by the service from its clock; epoch_ms() reads them
-- back as Unix milliseconds. Ids of ledger objects (trades, listings, transactions) are
-- text because their format is the ledger's.

-- Unix milliseconds of a timestamptz (exact for millisecond precision).
CREATE FUNCTION epoch_ms(t timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT (extract(epoch FROM t) * 1000)::bigint $$;

-- ---- accounts ----

CREATE TABLE users (
  -- The login name, chosen at sign-up: lower-case letters, digits, '.', '_', '-' or Hangul.
  id                text PRIMARY KEY
                    CHECK (id ~ '^[a-z0-9가-힣][a-z0-9._가-힣-]{2,31}$'),
  -- scrypt$N$r$p$salt$hash; NULL once the account is erased (it can no longer sign in).
  password_hash     text CHECK (password_hash ~ '^scrypt\$[0-9]+\$[0-9]+\$[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$'),
  name              text CHECK (char_length(name) BETWEEN 1 AND 100),
  address           text CHECK (char_length(address) BETWEEN 1 AND 300),
  phone             text CHECK (phone ~ '^\+?[0-9][0-9-]{6,27}[0-9]$'),
  role              text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin', 'agency')),
  terms_version     text NOT NULL CHECK (char_length(terms_version) BETWEEN 1 AND 32),
  terms_accepted_at timestamptz NOT NULL,
  -- Hex SHA-256 of the user's public key (DER): their wallet address on the ledger.
  key_fingerprint   text UNIQUE CHECK (key_fingerprint ~ '^[0-9a-f]{64}$'),
  created_at        timestamptz NOT NULL,
  erased_at         timestamptz,
  -- Live accounts have all their personal data; erased ones have none of it.
  CHECK ((erased_at IS NULL AND password_hash IS NOT NULL AND name IS NOT NULL
          AND address IS NOT NULL AND phone IS NOT NULL)
      OR (erased_at IS NOT NULL AND password_hash IS NULL AND name IS NULL
          AND address IS NULL AND phone IS NULL))
);
CREATE INDEX users_role ON users (role, id);
CREATE INDEX users_name_lower ON users (lower(name) text_pattern_ops);

-- One row per sign-in: a family of refresh tokens and the access tokens issued with them.
-- Revoking the session ends every token of the family at once.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  client        text CHECK (char_length(client) <= 100),  -- the client address at sign-in
  revoked_at    timestamptz,
  revoke_reason text CHECK (revoke_reason IN ('logout', 'reuse', 'banned', 'erased', 'admin')),
  CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX sessions_user_live ON sessions (user_id) WHERE revoked_at IS NULL;

-- Tokens are stored only as hex SHA-256 of the token string.
CREATE TABLE refresh_tokens (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  parent_hash text REFERENCES refresh_tokens (token_hash) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > created_at),
  used_at     timestamptz,  -- set when rotated; presenting it again revokes the session
  CHECK (parent_hash IS DISTINCT FROM token_hash)
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
CREATE UNIQUE INDEX refresh_tokens_one_child ON refresh_tokens (parent_hash);

CREATE TABLE access_tokens (
  token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL CHECK (expires_at > created_at)
);
CREATE INDEX access_tokens_session ON access_tokens (session_id);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);

-- Every sign-in attempt, for rate limiting. login_id is what was typed (the account may
-- not exist), so it is not a foreign key. An attempt is recorded as failed before the
-- password is checked and marked successful afterwards, so concurrent guesses count.
CREATE TABLE login_attempts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  login_id   text NOT NULL CHECK (char_length(login_id) <= 64),
  client     text NOT NULL CHECK (char_length(client) BETWEEN 1 AND 100),
  at         timestamptz NOT NULL,
  succeeded  boolean NOT NULL DEFAULT false
);
CREATE INDEX login_attempts_by_id ON login_attempts (login_id, at);
CREATE INDEX login_attempts_by_client ON login_attempts (client, at) WHERE NOT succeeded;

CREATE TABLE restrictions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id     text NOT NULL REFERENCES users (id),
  kind        text NOT NULL CHECK (kind IN ('read_only', 'no_trading', 'banned')),
  reason      text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
  created_by  text NOT NULL REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz CHECK (expires_at > created_at),  -- NULL: until lifted
  lifted_by   text REFERENCES users (id),
  lifted_at   timestamptz,
  lift_reason text CHECK (char_length(lift_reason) BETWEEN 1 AND 500),
  CHECK ((lifted_at IS NULL AND lifted_by IS NULL AND lift_reason IS NULL)
      OR (lifted_at IS NOT NULL AND lifted_by IS NOT NULL AND lift_reason IS NOT NULL))
);
CREATE INDEX restrictions_user_open ON restrictions (user_id) WHERE lifted_at IS NULL;

-- Append-only record of who did what. Details must not hold personal data (they outlive
-- an erased account).
CREATE TABLE audit_log (
  id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at     timestamptz NOT NULL,
  actor  text REFERENCES users (id),  -- NULL: the system
  action text NOT NULL CHECK (action ~ '^[a-z][a-z_.]{0,63}$'),
  target text NOT NULL DEFAULT '' CHECK (char_length(target) <= 200),
  detail text NOT NULL DEFAULT '' CHECK (char_length(detail) <= 4000)
);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- ---- inspections (off-ledger workflow; the result itself is a ledger transaction) ----

CREATE TABLE inspection_requests (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vin            text NOT NULL CHECK (vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
  requester_id   text NOT NULL REFERENCES users (id),
  agency_id      text REFERENCES users (id),  -- the agency asked or that accepted; NULL: any
  status         text NOT NULL DEFAULT 'requested'
                 CHECK (status IN ('requested', 'accepted', 'inspected', 'declined', 'cancelled')),
  location       text NOT NULL CHECK (char_length(location) BETWEEN 1 AND 300),
  note           text NOT NULL DEFAULT '' CHECK (char_length(note) <= 2000),
  requested_at   timestamptz NOT NULL,
  accepted_at    timestamptz,
  closed_at      timestamptz,  -- inspected, declined or cancelled
  decline_reason text CHECK (char_length(decline_reason) BETWEEN 1 AND 500),
  record_tx_id   text CHECK (record_tx_id ~ '^[0-9a-f]{64}$'),  -- the inspection on the ledger
  CHECK (accepted_at IS NULL OR accepted_at >= requested_at),
  CHECK (closed_at IS NULL OR closed_at >= requested_at),
  CHECK (CASE status
           WHEN 'requested' THEN accepted_at IS NULL AND closed_at IS NULL
           WHEN 'accepted'  THEN agency_id IS NOT NULL AND accepted_at IS NOT NULL AND closed_at IS NULL
           WHEN 'inspected' THEN agency_id IS NOT NULL AND accepted_at IS NOT NULL
                                 AND closed_at IS NOT NULL AND record_tx_id IS NOT NULL
           WHEN 'declined'  THEN agency_id IS NOT NULL AND closed_at IS NOT NULL
                                 AND decline_reason IS NOT NULL
           ELSE closed_at IS NOT NULL
         END),
  CHECK (agency_id IS DISTINCT FROM requester_id)
);
-- At most one open request per car.
CREATE UNIQUE INDEX inspection_requests_open_vin ON inspection_requests (vin)
  WHERE status IN ('requested', 'accepted');
CREATE INDEX inspection_requests_agency_queue ON inspection_requests (agency_id, status, requested_at);
CREATE INDEX inspection_requests_requester ON inspection_requests (requester_id, requested_at);

-- ---- community ----

CREATE TABLE reviews (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  trade_id   text NOT NULL CHECK (char_length(trade_id) BETWEEN 1 AND 128),  -- ledger escrow id
  author_id  text NOT NULL REFERENCES users (id),
  subject_id text NOT NULL REFERENCES users (id),
  rating     smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body       text NOT NULL DEFAULT '' CHECK (char_length(body) <= 2000),
  created_at timestamptz NOT NULL,
  UNIQUE (trade_id, author_id),  -- once per side of a trade
  CHECK (author_id <> subject_id)
);
CREATE INDEX reviews_subject ON reviews (subject_id, created_at);

CREATE TABLE reports (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reporter_id       text NOT NULL REFERENCES users (id),
  target_user_id    text REFERENCES users (id),
  target_listing_id text CHECK (char_length(target_listing_id) BETWEEN 1 AND 128),
  reason            text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  status            text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'confirmed', 'dismissed')),
  resolution        text CHECK (char_length(resolution) BETWEEN 1 AND 1000),
  resolved_by       text REFERENCES users (id),
  created_at        timestamptz NOT NULL,
  resolved_at       timestamptz,
  CHECK (num_nonnulls(target_user_id, target_listing_id) = 1),
  CHECK (target_user_id IS DISTINCT FROM reporter_id),
  CHECK ((status = 'open') = (resolved_at IS NULL)),
  CHECK (status = 'open' OR (resolved_by IS NOT NULL AND resolution IS NOT NULL))
);
-- One open report per reporter and target.
CREATE UNIQUE INDEX reports_open_per_reporter ON reports
  (reporter_id, coalesce(target_user_id, ''), coalesce(target_listing_id, '')) WHERE status = 'open';
CREATE INDEX reports_queue ON reports (status, created_at);
CREATE INDEX reports_target_user ON reports (target_user_id, status) WHERE target_user_id IS NOT NULL;
CREATE INDEX reports_target_listing ON reports (target_listing_id, status)
  WHERE target_listing_id IS NOT NULL;

-- A conversation between two users; user_a < user_b so each pair has one row. last_seq is
-- the server sequence number of its latest message (taken under the row lock).
CREATE TABLE conversations (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_a     text NOT NULL REFERENCES users (id),
  user_b     text NOT NULL REFERENCES users (id),
  last_seq   bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  created_at timestamptz NOT NULL,
  UNIQUE (user_a, user_b),
  CHECK (user_a < user_b)
);
CREATE INDEX conversations_user_b ON conversations (user_b);

CREATE TABLE chat_messages (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id bigint NOT NULL REFERENCES conversations (id),
  seq             bigint NOT NULL CHECK (seq > 0),
  sender_id       text NOT NULL REFERENCES users (id),
  recipient_id    text NOT NULL REFERENCES users (id),
  client_msg_id   text NOT NULL CHECK (char_length(client_msg_id) BETWEEN 1 AND 64),
  body            text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
  sent_at         timestamptz NOT NULL,
  delivered_at    timestamptz,
  UNIQUE (conversation_id, seq),
  UNIQUE (sender_id, client_msg_id),  -- a resent message is stored once
  CHECK (sender_id <> recipient_id),
  CHECK (delivered_at IS NULL OR delivered_at >= sent_at)
);
CREATE INDEX chat_messages_undelivered ON chat_messages (recipient_id, id) WHERE delivered_at IS NULL;

-- Per-user notification stream: seq is the user's own counter, so a client resumes after
-- the last seq it saw.
CREATE TABLE notification_counters (
  user_id  text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

CREATE TABLE notifications (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  seq          bigint NOT NULL CHECK (seq > 0),
  kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z_.]{0,63}$'),
  payload      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(payload) = 'object'),
  created_at   timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (user_id, seq)
);
CREATE INDEX notifications_undelivered ON notifications (user_id, seq) WHERE delivered_at IS NULL;

-- Listing photos, content-addressed: the key is the hex SHA-256 of the bytes (checked
-- here too), and that hash is what the ledger records.
CREATE TABLE photos (
  sha256      text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  mime_type   text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes  integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  bytes       bytea NOT NULL,
  uploaded_by text REFERENCES users (id),
  created_at  timestamptz NOT NULL,
  CHECK (size_bytes = octet_length(bytes)),
  CHECK (sha256 = encode(sha256(bytes), 'hex'))
);
-- Images are already compressed: store them out of line without trying again.
ALTER TABLE photos ALTER COLUMN bytes SET STORAGE EXTERNAL;
