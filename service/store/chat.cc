#include "service/store/chat.h"

#include "common/json.h"
#include "service/store/account_fields.h"
#include "service/store/notifications.h"

namespace carledger::store {

namespace {

constexpr char kColumns[] =
    "m.id, m.conversation_id, m.seq, m.sender_id, m.recipient_id, m.client_msg_id, m.body, "
    "epoch_ms(m.sent_at) AS sent_at, epoch_ms(m.delivered_at) AS delivered_at";

ChatMessageRecord FromRow(const PgRow& row) {
  ChatMessageRecord m;
  m.id = row.Int("id");
  m.conversation_id = row.Int("conversation_id");
  m.seq = row.Int("seq");
  m.sender_id = row.Str("sender_id");
  m.recipient_id = row.Str("recipient_id");
  m.client_id = row.Str("client_msg_id");
  m.body = row.Str("body");
  m.sent_ms = row.Int("sent_at");
  m.delivered_ms = row.OptInt("delivered_at");
  return m;
}

// 1..max_bytes of valid UTF-8 without NUL.
Status CheckBytes(const char* field, std::string_view value, size_t max_bytes) {
  std::string f(field);
  if (value.empty()) return Status::InvalidArgument(f + ": required");
  if (value.size() > max_bytes)
    return Status::InvalidArgument(f + ": at most " + std::to_string(max_bytes) + " bytes");
  if (value.find('\0') != std::string_view::npos)
    return Status::InvalidArgument(f + ": must not contain NUL characters");
  if (fields::Utf8Length(value) < 0) return Status::InvalidArgument(f + ": must be valid UTF-8");
  return Status::Ok();
}

Result<int> CheckLimit(int limit) {
  if (limit < 1 || limit > 1000) return Status::InvalidArgument("limit: must be 1..1000");
  return limit;
}

}  // namespace

Result<std::optional<ChatMessageRecord>> ChatStore::FindByClientId(std::string_view sender,
                                                                   std::string_view client_id) {
  CL_ASSIGN_OR_RETURN(auto rows, pool_.Exec(std::string("SELECT ") + kColumns +
                                                " FROM chat_messages m WHERE m.sender_id = $1 AND "
                                                "m.client_msg_id = $2",
                                            {sender, client_id}));
  if (rows.empty()) return std::optional<ChatMessageRecord>();
  return std::optional<ChatMessageRecord>(FromRow(rows[0]));
}

Result<SentChatMessage> ChatStore::Send(std::string_view sender, std::string_view recipient_in,
                                        std::string_view body, std::string_view client_id) {
  CL_ASSIGN_OR_RETURN(std::string recipient, fields::NormalizeId("to", recipient_in));
  CL_RETURN_IF_ERROR(fields::Collect({
      recipient == sender ? Status::InvalidArgument("to: you cannot send a message to yourself")
                          : Status::Ok(),
      CheckBytes("body", body, kMaxChatBodyBytes),
      CheckBytes("client_id", client_id, kMaxChatClientIdBytes),
  }));
  // A resend is answered from what was stored. Two attempts: a concurrent first send of
  // the same client_id makes our insert fail on the unique key, and then it is stored.
  for (int attempt = 0; attempt < 2; ++attempt) {
    CL_ASSIGN_OR_RETURN(auto existing, FindByClientId(sender, client_id));
    if (existing) {
      if (existing->recipient_id != recipient || existing->body != body)
        return Status::InvalidArgument(
            "client_id: already used for a different message; use a new one");
      return SentChatMessage{std::move(*existing), false};
    }
    SentChatMessage out;
    out.created = true;
    const bool a_first = std::string_view(sender) < std::string_view(recipient);
    Status st = pool_.Transact([&](Transaction& tx) -> Status {
      const int64_t now = clock_.NowMs();
      CL_ASSIGN_OR_RETURN(
          auto user,
          tx.Exec("SELECT 1 FROM users WHERE id = $1 AND erased_at IS NULL", {recipient}));
      if (user.empty()) return Status::NotFound("to: no user named " + recipient);
      // The conversation's row lock orders its messages: seq order is commit order.
      CL_ASSIGN_OR_RETURN(
          auto conv,
          tx.Exec("INSERT INTO conversations (user_a, user_b, last_seq, created_at) "
                  "VALUES ($1, $2, 1, $3) ON CONFLICT (user_a, user_b) "
                  "DO UPDATE SET last_seq = conversations.last_seq + 1 RETURNING id, last_seq",
                  {a_first ? sender : std::string_view(recipient),
                   a_first ? std::string_view(recipient) : sender, PgValue::TimeMs(now)}));
      CL_ASSIGN_OR_RETURN(
          auto rows,
          tx.Exec(std::string("INSERT INTO chat_messages AS m (conversation_id, seq, sender_id, "
                              "recipient_id, client_msg_id, body, sent_at) "
                              "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ") +
                      kColumns,
                  {conv[0].Int("id"), conv[0].Int("last_seq"), sender, recipient, client_id, body,
                   PgValue::TimeMs(now)}));
      out.message = FromRow(rows[0]);
      Json payload = Json::MakeObject();
      payload["conversation"] = std::to_string(out.message.conversation_id);
      payload["from"] = std::string(sender);
      payload["seq"] = out.message.seq;
      CL_RETURN_IF_ERROR(AppendNotification(tx, now, recipient, "chat", payload).status());
      return SignalUser(tx, kChatEvent, recipient);
    });
    if (st.code() == StatusCode::kAlreadyExists && attempt == 0) continue;
    if (!st.ok()) return st;
    return out;
  }
  return Status::Internal("client_id: conflicting concurrent sends");
}

Result<std::vector<ChatMessageRecord>> ChatStore::Undelivered(std::string_view user_id,
                                                              int64_t after_id, int limit) {
  CL_ASSIGN_OR_RETURN(limit, CheckLimit(limit));
  CL_ASSIGN_OR_RETURN(auto rows, pool_.Exec(std::string("SELECT ") + kColumns +
                                                " FROM chat_messages m WHERE m.recipient_id = $1 "
                                                "AND m.delivered_at IS NULL AND m.id > $2 "
                                                "ORDER BY m.id LIMIT $3",
                                            {user_id, after_id, limit}));
  std::vector<ChatMessageRecord> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(FromRow(rows[i]));
  return out;
}

Result<int64_t> ChatStore::Acknowledge(std::string_view user_id, int64_t conversation_id,
                                       int64_t up_to_seq) {
  CL_ASSIGN_OR_RETURN(
      auto rows,
      pool_.Exec("UPDATE chat_messages SET delivered_at = greatest($4::timestamptz, sent_at) "
                 "WHERE recipient_id = $1 AND conversation_id = $2 AND seq <= $3 "
                 "AND delivered_at IS NULL",
                 {user_id, conversation_id, up_to_seq, PgValue::TimeMs(clock_.NowMs())}));
  return rows.affected();
}

Result<std::vector<ConversationSummary>> ChatStore::Conversations(std::string_view user_id,
                                                                  int limit) {
  CL_ASSIGN_OR_RETURN(limit, CheckLimit(limit));
  CL_ASSIGN_OR_RETURN(
      auto rows,
      pool_.Exec(std::string("SELECT ") + kColumns +
                     ", CASE WHEN c.user_a = $1 THEN c.user_b ELSE c.user_a END AS other, "
                     "(SELECT count(*) FROM chat_messages u WHERE u.recipient_id = $1 AND "
                     "u.conversation_id = c.id AND u.delivered_at IS NULL) AS unread "
                     "FROM conversations c JOIN chat_messages m "
                     "ON m.conversation_id = c.id AND m.seq = c.last_seq "
                     "WHERE c.user_a = $1 OR c.user_b = $1 "
                     "ORDER BY m.id DESC LIMIT $2",
                 {user_id, limit}));
  std::vector<ConversationSummary> out;
  out.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ConversationSummary c;
    c.last = FromRow(rows[i]);
    c.id = c.last.conversation_id;
    c.other = rows[i].Str("other");
    c.unread = rows[i].Int("unread");
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace carledger::store
