// Chat between two users, in PostgreSQL.
//
// Each pair of users has one conversation row; a message's seq is the conversation's next
// sequence number, taken under that row's lock, so a conversation's messages commit in seq
// order. A message stays undelivered until its recipient acknowledges it (by seq, per
// conversation); an undelivered message is offered again at every connection, so with
// in-order acknowledgements each is shown exactly once. The sender's client_id makes a
// resend idempotent: the same client_id is stored once and the stored message comes back.
// Storing a message also appends a "chat" notification for the recipient and signals the
// recipient's nodes (see notifications.h), in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/store/clock.h"
#include "service/store/pg.h"

namespace carledger::store {

inline constexpr size_t kMaxChatBodyBytes = 4000;
inline constexpr size_t kMaxChatClientIdBytes = 64;

struct ChatMessageRecord {
  int64_t id = 0;  // global insertion order (the order undelivered messages are offered in)
  int64_t conversation_id = 0;
  int64_t seq = 0;  // within the conversation, from 1
  std::string sender_id, recipient_id;
  std::string client_id;
  std::string body;
  int64_t sent_ms = 0;
  std::optional<int64_t> delivered_ms;
};

struct SentChatMessage {
  ChatMessageRecord message;
  bool created = false;  // false: a resend of a stored message (same sender and client_id)
};

struct ConversationSummary {
  int64_t id = 0;
  std::string other;       // the other participant
  ChatMessageRecord last;  // the latest message
  int64_t unread = 0;      // messages to the user not yet acknowledged
};

class ChatStore {
 public:
  // `pool` must be migrated and outlive the store, as must `clock`.
  ChatStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Stores a message from `sender` to `recipient` (both user ids). INVALID_ARGUMENT naming
  // the field: "to: ..." for oneself, "body: ..." unless 1..4000 bytes of UTF-8 without
  // NUL, "client_id: ..." unless 1..64 bytes of UTF-8 without NUL or when the client_id
  // was already used for a different message; NOT_FOUND "to: ..." for an unknown or erased
  // recipient. A resend (same sender and client_id, same recipient and body) returns the
  // stored message with created = false and changes nothing.
  Result<SentChatMessage> Send(std::string_view sender, std::string_view recipient,
                               std::string_view body, std::string_view client_id);

  // Messages to `user_id` not yet acknowledged, with id > after_id, in id order (so each
  // conversation's in seq order), at most `limit` (1..1000).
  Result<std::vector<ChatMessageRecord>> Undelivered(std::string_view user_id, int64_t after_id,
                                                     int limit);

  // Marks the messages to `user_id` in `conversation_id` with seq <= up_to_seq delivered.
  // Returns how many were marked (0 when none were pending, or the conversation is not the
  // user's).
  Result<int64_t> Acknowledge(std::string_view user_id, int64_t conversation_id, int64_t up_to_seq);

  // The user's conversations, most recent message first, at most `limit` (1..1000).
  Result<std::vector<ConversationSummary>> Conversations(std::string_view user_id, int limit);

 private:
  // The stored message with this sender and client_id, if any.
  Result<std::optional<ChatMessageRecord>> FindByClientId(std::string_view sender,
                                                          std::string_view client_id);
  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace carledger::store
