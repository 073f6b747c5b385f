// Chat in the public API (Community.Chat and Community.ListConversations), over the
// PostgreSQL ChatStore and the node's NotificationHub.
//
// ChatHandlers holds the two handlers; the Community service (which also has reviews and
// reports) forwards to them.
#pragma once

#include "carledger_api.grpc.pb.h"
#include "service/api/notification_hub.h"
#include "service/store/accounts.h"
#include "service/store/chat.h"

namespace carledger::api {

class ChatHandlers {
 public:
  // All must outlive the handlers.
  ChatHandlers(store::AccountStore* accounts, store::PgPool& pool, const store::Clock& clock,
               NotificationHub* hub)
      : accounts_(accounts), chat_(pool, clock), hub_(hub) {}

  // The caller's chat stream. On connect, every message to the caller not yet acknowledged
  // comes first (oldest first; each conversation in seq order), then each new one as it is
  // stored through any node. A ChatSend is stored (once per client_id) and echoed back as
  // stored, with its seq; the recipient gets it live wherever they are connected, or at
  // their next connection, and a "chat" notification. ack_seq with ack_conversation marks
  // that conversation's messages up to the seq delivered: they are never sent again; the
  // rest are sent again on the next connection. Errors end the stream: INVALID_ARGUMENT
  // naming the field (to, body, client_id, ack_conversation), NOT_FOUND "to: ..." for an
  // unknown recipient, PERMISSION_DENIED with the reason for a read-only or banned caller.
  // A stream ends with OK when the client closes its side, and is cancelled when the node
  // shuts down.
  grpc::Status Chat(grpc::ServerContext* ctx,
                    grpc::ServerReaderWriter<v1::ChatMessage, v1::ChatClientFrame>* stream);

  // The caller's conversations, most recent first, each with its latest message and the
  // number of messages to the caller not yet acknowledged.
  grpc::Status ListConversations(grpc::ServerContext* ctx, const v1::Empty* req,
                                 v1::ListConversationsReply* reply);

 private:
  store::AccountStore* accounts_;
  store::ChatStore chat_;
  NotificationHub* hub_;
};

// The API's view of a stored message.
v1::ChatMessage ToApi(const store::ChatMessageRecord& m);

}  // namespace carledger::api
