// Per-user notifications in PostgreSQL, and the database-wide wake-up signal that tells
// every node a user has something new.
//
// Each user has their own sequence (notification_counters): a notification's seq is taken
// under the counter's row lock, so a user's notifications commit in seq order and a client
// resumes after the last seq it saw without missing any. Every change that gives a user
// something new (a notification, a chat message) also sends a NOTIFY on kEventChannel in
// the same transaction, so it reaches the listening nodes only once it is committed. The
// NOTIFY is a wake-up only: the rows are the source of truth.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "service/store/clock.h"
#include "service/store/pg.h"

namespace carledger::store {

// The NOTIFY channel every node LISTENs on. Payloads are "<event> <user id>".
inline constexpr char kEventChannel[] = "carledger_events";
inline constexpr char kChatEvent[] = "chat";
inline constexpr char kNotificationEvent[] = "notification";

// Signals `event` for `user_id` to every listening node when `tx` commits.
Status SignalUser(Transaction& tx, std::string_view event, std::string_view user_id);

// Splits a kEventChannel payload into event and user id; nullopt if malformed.
std::optional<std::pair<std::string, std::string>> ParseUserSignal(std::string_view payload);

struct NotificationRecord {
  int64_t seq = 0;  // the user's own sequence, from 1
  std::string user_id;
  std::string kind;          // trade, inspection, chat, report, charge, ...
  std::string payload_json;  // a JSON object
  int64_t created_ms = 0;
  std::optional<int64_t> delivered_ms;
};

// INVALID_ARGUMENT for a kind that is not lower-case dotted ("kind: ...") or a payload
// that is not an object.
Status CheckNotification(std::string_view kind, const Json& payload);

// Appends a notification for `user_id` inside `tx` and signals it, in one statement.
// INVALID_ARGUMENT as CheckNotification; FAILED_PRECONDITION for an unknown user.
Result<NotificationRecord> AppendNotification(Transaction& tx, int64_t now_ms,
                                              std::string_view user_id, std::string_view kind,
                                              const Json& payload);

// One notification to append with AppendNotifications.
struct NotificationDraft {
  std::string recipient;  // a user id, or a wallet key fingerprint when by_wallet
  bool by_wallet = false;
  std::string kind;
  Json payload;
};

// Appends `drafts` in one statement, its own transaction: each user's in the order given,
// with their next seqs, and each user signalled once. A draft whose recipient is no user
// (no such id, no account with that wallet) is skipped. Returns how many were stored.
// INVALID_ARGUMENT as CheckNotification if any draft is malformed (then nothing is stored).
// Users' counter rows are locked in user id order, so concurrent batches cannot deadlock.
Result<size_t> AppendNotifications(PgPool& pool, int64_t now_ms,
                                   const std::vector<NotificationDraft>& drafts);

class NotificationStore {
 public:
  // `pool` must be migrated and outlive the store, as must `clock`.
  NotificationStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Appends one notification in its own transaction (see AppendNotification).
  Result<NotificationRecord> Append(std::string_view user_id, std::string_view kind,
                                    const Json& payload);

  // The user's notifications with seq > after_seq, in seq order, at most `limit` (1..1000).
  Result<std::vector<NotificationRecord>> After(std::string_view user_id, int64_t after_seq,
                                                int limit);

  // Marks the user's notifications up to `up_to_seq` delivered (those not already).
  // Returns how many were marked.
  Result<int64_t> MarkDelivered(std::string_view user_id, int64_t up_to_seq);

 private:
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace carledger::store
