-- CarLedger service schema, version 2: community moderation.
--
-- * A fourth restriction kind, no_listing: the account may not register, list or reprice
--   cars (the repeat-offender rule, or an administrator's decision).
-- * Restrictions imposed by the system (the repeat-offender rule) have no created_by; the
--   audit log records them with the system as actor.
-- * A report on a listing remembers the account that owned the car when it was reported
--   (NULL when the owner's wallet belongs to no account), so confirmed reports count
--   against that seller.
-- * listing_takedowns: each time confirmed reports on a listing reach the threshold, the
--   listing must be taken down (the admin app signs car_trade.take_down); the rows are also
--   what the repeat-offender rule counts.

ALTER TABLE restrictions DROP CONSTRAINT restrictions_kind_check;
ALTER TABLE restrictions ADD CONSTRAINT restrictions_kind_check
  CHECK (kind IN ('read_only', 'no_trading', 'banned', 'no_listing'));
ALTER TABLE restrictions ALTER COLUMN created_by DROP NOT NULL;

ALTER TABLE reports ADD COLUMN target_owner_id text REFERENCES users (id);
ALTER TABLE reports ADD CONSTRAINT reports_owner_of_listing
  CHECK (target_owner_id IS NULL OR target_listing_id IS NOT NULL);
ALTER TABLE reports ADD CONSTRAINT reports_not_own_listing
  CHECK (target_owner_id IS DISTINCT FROM reporter_id);
CREATE INDEX reports_target_owner ON reports (target_owner_id, status)
  WHERE target_owner_id IS NOT NULL;

CREATE TABLE listing_takedowns (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  vin        text NOT NULL CHECK (char_length(vin) BETWEEN 1 AND 128),
  owner_id   text REFERENCES users (id),
  report_id  bigint NOT NULL UNIQUE REFERENCES reports (id),  -- the confirmation that reached it
  decided_at timestamptz NOT NULL
);
CREATE INDEX listing_takedowns_vin ON listing_takedowns (vin, decided_at);
CREATE INDEX listing_takedowns_owner ON listing_takedowns (owner_id, decided_at)
  WHERE owner_id IS NOT NULL;
