// Chat with another user over the Community.Chat bidirectional stream: messages sent
// carry a client id (a resend after a reconnect is stored once), messages received are
// acknowledged by sequence number once shown, so each arrives once and in order, live or
// at the next connection. Reopens on the next node when one drops the stream.
#pragma once

#include <QObject>
#include <QTimer>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "apps/common/connection.h"

namespace carledger::app {

class ChatStream : public QObject {
  Q_OBJECT

 public:
  explicit ChatStream(Connection* connection, QObject* parent = nullptr);
  ~ChatStream() override;  // closes the stream and waits for gRPC to let go

  void start();
  void stop();
  bool live() const { return live_; }

  // Queues a message to `to` (a user id); returns its client id. Sent when the stream is
  // open, resent after a reconnect until the server echoes it back.
  QString send(const QString& to, const QString& body);
  // Acknowledges everything up to `seq` of `conversation` (shown to the user).
  void acknowledge(const QString& conversation, quint64 seq);

 signals:
  void message(const carledger::v1::ChatMessage& m);
  void liveChanged(bool live);

 private:
  class Stream;
  void Open();
  void OnMessage(const v1::ChatMessage& m);
  void OnClosed(int node, const grpc::Status& status);

  Connection* connection_;
  bool running_ = false;
  bool live_ = false;
  QTimer reopen_;
  int backoff_ms_ = 250;
  std::map<std::string, v1::ChatSend> unconfirmed_;  // client id -> message, until echoed
  std::map<std::string, uint64_t> seen_;             // conversation -> highest seq shown
  std::mutex mu_;
  std::condition_variable cv_;
  Stream* stream_ = nullptr;  // guarded by mu_; owned by gRPC until OnDone
  int streams_alive_ = 0;
};

}  // namespace carledger::app
