// The user's live notifications (trade steps, inspection results, chat, report outcomes):
// a server stream kept open while signed in, resumed after the last seen sequence number
// on the next node when one drops it. Each notification arrives once, as a signal on the
// GUI thread.
#pragma once

#include <QObject>
#include <QTimer>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "apps/common/connection.h"

namespace carledger::app {

class NotificationStream : public QObject {
  Q_OBJECT

 public:
  explicit NotificationStream(Connection* connection, QObject* parent = nullptr);
  // Stops the stream and waits for gRPC to finish with it.
  ~NotificationStream() override;

  // Opens the stream with the connection's current token (again after a drop).
  void start();
  void stop();
  bool running() const { return running_; }
  quint64 lastSeq() const { return last_seq_; }

 signals:
  void notification(const carledger::v1::Notification& n);
  // The stream is open (true) or down and waiting to reopen (false).
  void liveChanged(bool live);

 private:
  class Reader;
  void Open();
  void OnMessage(const v1::Notification& n);
  void OnClosed(int node, const grpc::Status& status);

  Connection* connection_;
  bool running_ = false;
  quint64 last_seq_ = 0;
  QTimer reopen_;
  int backoff_ms_ = 250;
  Reader* reader_ = nullptr;  // owned by gRPC until its OnDone
  std::mutex mu_;
  std::condition_variable cv_;
  int readers_alive_ = 0;
};

}  // namespace carledger::app
