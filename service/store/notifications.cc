#include "service/store/notifications.h"

#include <regex>

namespace carledger::store {

namespace {

constexpr char kColumns[] =
    "seq, user_id, kind, payload::text AS payload, epoch_ms(created_at) AS created_at, "
    "epoch_ms(delivered_at) AS delivered_at";

NotificationRecord FromRow(const PgRow& row) {
  NotificationRecord n;
  n.seq = row.Int("seq");
  n.user_id = row.Str("user_id");
  n.kind = row.Str("kind");
  n.payload_json = row.Str("payload");
  n.created_ms = row.Int("created_at");
  n.delivered_ms = row.OptInt("delivered_at");
  return n;
}

}  // namespace

Status SignalUser(Transaction& tx, std::string_view event, std::string_view user_id) {
  auto r = tx.Exec("SELECT pg_notify($1, $2 || ' ' || $3)", {kEventChannel, event, user_id});
  return r.status();
}

std::optional<std::pair<std::string, std::string>> ParseUserSignal(std::string_view payload) {
  size_t space = payload.find(' ');
  if (space == std::string_view::npos || space == 0 || space + 1 == payload.size())
    return std::nullopt;
  return std::make_pair(std::string(payload.substr(0, space)),
                        std::string(payload.substr(space + 1)));
}

Status CheckNotification(std::string_view kind, const Json& payload) {
  static const std::regex kKind("^[a-z][a-z_.]{0,63}$");
  if (!std::regex_match(std::string(kind), kKind))
    return Status::InvalidArgument("kind: must be lower-case letters, '_' or '.' (at most 64)");
  if (!payload.is_object()) return Status::InvalidArgument("payload: must be a JSON object");
  return Status::Ok();
}

Result<NotificationRecord> AppendNotification(Transaction& tx, int64_t now_ms,
                                              std::string_view user_id, std::string_view kind,
                                              const Json& payload) {
  CL_RETURN_IF_ERROR(CheckNotification(kind, payload));
  // One statement (a round trip): bump the user's counter — its row lock orders the user's
  // notifications, so seq order is commit order — insert the notification with that seq
  // and signal it. An unknown user gives no row rather than a foreign-key error, which
  // would abort the caller's transaction (the notifier stores batches).
  CL_ASSIGN_OR_RETURN(
      auto rows,
      tx.Exec(std::string("WITH c AS (INSERT INTO notification_counters (user_id, last_seq) "
                          "SELECT id, 1 FROM users WHERE id = $1 ON CONFLICT (user_id) DO "
                          "UPDATE SET last_seq = notification_counters.last_seq + 1 "
                          "RETURNING user_id, last_seq), "
                          "n AS (INSERT INTO notifications (user_id, seq, kind, payload, "
                          "created_at) SELECT c.user_id, c.last_seq, $2, $3::jsonb, $4 FROM c "
                          "RETURNING ") +
                  kColumns +
                  ") SELECT n.*, pg_notify($5, $6 || ' ' || n.user_id) AS signalled FROM n",
              {user_id, kind, payload.Dump(), PgValue::TimeMs(now_ms), kEventChannel,
               kNotificationEvent}));
  if (rows.empty()) return Status::FailedPrecondition("user_id: no such user");
  return FromRow(rows[0]);
}

Result<size_t> AppendNotifications(PgPool& pool, int64_t now_ms,
                                   const std::vector<NotificationDraft>& drafts) {
  if (drafts.empty()) return size_t{0};
  Json items = Json::MakeArray();
  for (const NotificationDraft& d : drafts) {
    CL_RETURN_IF_ERROR(CheckNotification(d.kind, d.payload));
    Json item = Json::MakeObject();
    item["to"] = d.recipient;
    item["wallet"] = d.by_wallet;
    item["kind"] = d.kind;
    item["payload"] = d.payload;
    items.push_back(std::move(item));
  }
  // One round trip for the batch: resolve recipients to users, take a block of seqs from
  // each user's counter (its row lock orders the user's notifications, so seq order is
  // commit order), number the user's drafts inside it in the order given, insert them,
  // and signal each user once.
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool.Exec(
          "WITH items AS (SELECT e.ord, e.v->>'to' AS recipient, (e.v->>'wallet')::boolean AS "
          "by_wallet, e.v->>'kind' AS kind, e.v->'payload' AS payload FROM "
          "jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(v, ord)), "
          "resolved AS (SELECT i.ord, u.id AS user_id, i.kind, i.payload FROM items i JOIN users "
          "u ON u.id = i.recipient WHERE NOT i.by_wallet UNION ALL SELECT i.ord, u.id, i.kind, "
          "i.payload FROM items i JOIN users u ON u.key_fingerprint = i.recipient WHERE "
          "i.by_wallet), "
          "counts AS (SELECT user_id, count(*) AS n FROM resolved GROUP BY user_id), "
          "c AS (INSERT INTO notification_counters AS nc (user_id, last_seq) SELECT user_id, n "
          "FROM counts ORDER BY user_id ON CONFLICT (user_id) DO UPDATE SET last_seq = "
          "nc.last_seq + EXCLUDED.last_seq RETURNING nc.user_id, nc.last_seq), "
          "n AS (INSERT INTO notifications (user_id, seq, kind, payload, created_at) SELECT "
          "r.user_id, c.last_seq - k.n + row_number() OVER (PARTITION BY r.user_id ORDER BY "
          "r.ord), r.kind, r.payload, $2::timestamptz FROM resolved r JOIN c ON c.user_id = "
          "r.user_id JOIN counts k ON k.user_id = r.user_id RETURNING user_id) "
          "SELECT d.stored, pg_notify($3, $4 || ' ' || d.user_id) AS signalled FROM (SELECT "
          "user_id, count(*) AS stored FROM n GROUP BY user_id) d",
          {items.Dump(), PgValue::TimeMs(now_ms), kEventChannel, kNotificationEvent}));
  size_t stored = 0;
  for (size_t r = 0; r < rows.size(); ++r) stored += static_cast<size_t>(rows[r].Int("stored"));
  return stored;
}

Result<NotificationRecord> NotificationStore::Append(std::string_view user_id,
                                                     std::string_view kind, const Json& payload) {
  NotificationRecord out;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    CL_ASSIGN_OR_RETURN(out, AppendNotification(tx, clock_.NowMs(), user_id, kind, payload));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<NotificationRecord>> NotificationStore::After(std::string_view user_id,
                                                                 int64_t after_seq, int limit) {
  if (limit < 1 || limit > 1000) return Status::InvalidArgument("limit: must be 1..1000");
  CL_ASSIGN_OR_RETURN(auto rows, pool_.Exec(std::string("SELECT ") + kColumns +
                                                " FROM notifications WHERE user_id = $1 AND "
                                                "seq > $2 ORDER BY seq LIMIT $3",
                                            {user_id, after_seq, limit}));
  std::vector<NotificationRecord> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(FromRow(rows[i]));
  return out;
}

Result<int64_t> NotificationStore::MarkDelivered(std::string_view user_id, int64_t up_to_seq) {
  CL_ASSIGN_OR_RETURN(
      auto rows,
      pool_.Exec("UPDATE notifications SET delivered_at = greatest($3::timestamptz, created_at) "
                 "WHERE user_id = $1 AND seq <= $2 AND delivered_at IS NULL",
                 {user_id, up_to_seq, PgValue::TimeMs(clock_.NowMs())}));
  return rows.affected();
}

}  // namespace carledger::store
