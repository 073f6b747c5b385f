#include "service/api/chat_service.h"

#include <charconv>
#include <cstdio>
#include <deque>
#include <map>
#include <thread>

#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/store/notifications.h"

namespace carledger::api {

namespace {

constexpr int kBatch = 200;
constexpr int kMaxConversations = 500;
// How often a waiting stream looks at whether its client went away.
constexpr std::chrono::milliseconds kPoll{250};
// How long to wait before reading again after the database failed.
constexpr std::chrono::milliseconds kRetry{500};

using ChatStream = grpc::ServerReaderWriter<v1::ChatMessage, v1::ChatClientFrame>;

bool Transient(const Status& st) {
  return st.code() == StatusCode::kUnavailable || st.code() == StatusCode::kResourceExhausted ||
         st.code() == StatusCode::kDeadlineExceeded;
}

// What a chat stream's reader (the handler's thread) and writer share. Only the writer
// writes to the stream.
struct StreamState {
  std::mutex mu;
  std::deque<v1::ChatMessage> echoes;   // stored messages to send back to their sender
  std::map<int64_t, int64_t> sent_seq;  // conversation -> highest seq offered to the caller
  bool reader_done = false;
  Status writer_error;
};

// Writes the caller's pending messages (again after each wake-up) and the echoes, until the
// reader is done, the node stops or the client goes away. Cancels the call when it stops on
// its own, so the reader's Read returns.
void WriteLoop(store::ChatStore& chat, const std::string& user, grpc::ServerContext* ctx,
               ChatStream* stream, Wakeup& wakeup, StreamState& state) {
  bool read = true;
  uint64_t seen = 0;
  for (;;) {
    std::deque<v1::ChatMessage> echoes;
    bool done;
    {
      std::lock_guard l(state.mu);
      echoes.swap(state.echoes);
      done = state.reader_done;
    }
    for (const auto& m : echoes) {
      if (!stream->Write(m)) return ctx->TryCancel();
    }
    if (done) return;
    if (wakeup.stopped() || ctx->IsCancelled()) return ctx->TryCancel();
    if (read) {
      seen = wakeup.events();  // before reading: a signal during the read wakes the next wait
      read = false;
      int64_t after_id = 0;
      for (;;) {
        auto page = chat.Undelivered(user, after_id, kBatch);
        if (!page.ok()) {
          if (!Transient(page.status())) {
            std::lock_guard l(state.mu);
            state.writer_error = page.status();
            return ctx->TryCancel();
          }
          std::fprintf(stderr, "chat: %s (retrying)\n", page.status().ToString().c_str());
          read = true;
          break;
        }
        for (const auto& m : *page) {
          after_id = m.id;
          {
            // Offered before it is written, so an ack that races the write still counts.
            std::lock_guard l(state.mu);
            int64_t& last = state.sent_seq[m.conversation_id];
            if (m.seq <= last) continue;  // already sent on this stream, not yet acked
            last = m.seq;
          }
          if (!stream->Write(ToApi(m))) return ctx->TryCancel();
        }
        if (page->size() < static_cast<size_t>(kBatch)) break;
      }
    }
    if (wakeup.Wait(seen, read ? kRetry : kPoll) != seen) read = true;
  }
}

Result<int64_t> ParseConversation(const std::string& s) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || id <= 0)
    return Status::InvalidArgument("ack_conversation: the conversation of the acknowledged seq");
  return id;
}

}  // namespace

v1::ChatMessage ToApi(const store::ChatMessageRecord& m) {
  v1::ChatMessage out;
  out.set_seq(static_cast<uint64_t>(m.seq));
  out.set_conversation(std::to_string(m.conversation_id));
  out.set_from(m.sender_id);
  out.set_to(m.recipient_id);
  out.set_body(m.body);
  out.set_client_id(m.client_id);
  out.set_sent_ms(m.sent_ms);
  return out;
}

grpc::Status ChatHandlers::Chat(grpc::ServerContext* ctx, ChatStream* stream) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  const std::string user = caller->user_id;
  auto sub = hub_->Subscribe(store::kChatEvent, user);
  Wakeup& wakeup = sub->wakeup();
  StreamState state;
  std::thread writer([&] { WriteLoop(chat_, user, ctx, stream, wakeup, state); });

  Status result;
  v1::ChatClientFrame frame;
  while (result.ok() && stream->Read(&frame)) {
    if (frame.has_send()) {
      // Checked at every send: the account may have been restricted since the stream began.
      auto now = Authenticate(ctx, accounts_);
      result = now.ok() ? CheckWriteAllowed(*now, false) : now.status();
      if (!result.ok()) break;
      const v1::ChatSend& s = frame.send();
      auto sent = chat_.Send(user, s.to(), s.body(), s.client_id());
      if (!sent.ok()) {
        result = sent.status();
        break;
      }
      {
        std::lock_guard l(state.mu);
        state.echoes.push_back(ToApi(sent->message));
      }
      wakeup.Poke();
    } else if (frame.frame_case() == v1::ChatClientFrame::kAckSeq) {
      auto conversation = ParseConversation(frame.ack_conversation());
      if (!conversation.ok()) {
        result = conversation.status();
        break;
      }
      int64_t up_to = 0;
      {
        // Only what this stream offered can have been seen.
        std::lock_guard l(state.mu);
        auto it = state.sent_seq.find(*conversation);
        if (it != state.sent_seq.end())
          up_to = std::min<int64_t>(
              it->second, static_cast<int64_t>(std::min<uint64_t>(frame.ack_seq(), INT64_MAX)));
      }
      if (up_to > 0) result = chat_.Acknowledge(user, *conversation, up_to).status();
    } else {
      result = Status::InvalidArgument("frame: send or ack_seq is required");
    }
  }
  {
    std::lock_guard l(state.mu);
    state.reader_done = true;
  }
  wakeup.Poke();
  writer.join();
  if (!result.ok()) return ToGrpc(result, ctx);
  if (!state.writer_error.ok()) return ToGrpc(state.writer_error, ctx);
  if (wakeup.stopped())
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the node is shutting down; reconnect");
  return grpc::Status::OK;
}

grpc::Status ChatHandlers::ListConversations(grpc::ServerContext* ctx, const v1::Empty*,
                                             v1::ListConversationsReply* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  auto list = chat_.Conversations(caller->user_id, kMaxConversations);
  if (!list.ok()) return ToGrpc(list.status(), ctx);
  for (const auto& c : *list) {
    v1::Conversation* out = reply->add_conversations();
    out->set_id(std::to_string(c.id));
    out->set_other(c.other);
    *out->mutable_last() = ToApi(c.last);
    out->set_unread(static_cast<int32_t>(std::min<int64_t>(c.unread, INT32_MAX)));
  }
  return grpc::Status::OK;
}

}  // namespace carledger::api
