// A dedicated PostgreSQL connection that LISTENs on one channel and hands each NOTIFY's
// payload to a callback, on its own thread.
//
// NOTIFY is only a wake-up: a notification sent while the connection was down is lost. So
// after every (re)connection, once LISTEN is in effect, `on_connected` runs; callers use it
// to re-read from the database whatever they might have missed. A lost connection (the
// server restarted, the network broke) is retried with exponential backoff.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"

namespace carledger::store {

struct PgListenerOptions {
  std::chrono::milliseconds min_backoff{100};   // first retry after a failed connection
  std::chrono::milliseconds max_backoff{3000};  // the backoff doubles up to this
  int connect_timeout_s = 2;  // also bounds how long Stop may wait
};

class PgListener {
 public:
  using EventFn = std::function<void(std::string_view payload)>;
  using ConnectedFn = std::function<void()>;

  // Starts the listening thread on `conninfo` (libpq connection string or URI). `channel`
  // is a constant identifier (lower-case letters, digits, '_'), INVALID_ARGUMENT otherwise.
  // The callbacks run on the listener's thread, one at a time, and must not block for long.
  // The first connection is made in the background: Start does not fail when the database
  // is down.
  static Result<std::unique_ptr<PgListener>> Start(std::string conninfo, std::string channel,
                                                   EventFn on_event, ConnectedFn on_connected,
                                                   PgListenerOptions options = {});
  // Stops the thread (see Stop).
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

  // Closes the connection and joins the thread; no callback runs after it returns.
  // Idempotent.
  void Stop();

  // True while LISTEN is in effect.
  bool listening() const { return listening_.load(); }
  // Successful connections so far (the first included).
  uint64_t connections() const { return connections_.load(); }

 private:
  PgListener(std::string conninfo, std::string channel, EventFn on_event, ConnectedFn on_connected,
             PgListenerOptions options);
  void Run();
  // One connection's life: connect, LISTEN, wait for notifications until it breaks or Stop.
  // Returns true if the connection got as far as LISTEN.
  bool ServeOneConnection();
  // Sleeps up to `d` unless stopped; true if stopped.
  bool SleepUnlessStopped(std::chrono::milliseconds d);

  const std::string conninfo_;
  const std::string channel_;
  const EventFn on_event_;
  const ConnectedFn on_connected_;
  const PgListenerOptions options_;
  int wake_fd_[2] = {-1, -1};  // a pipe: Stop writes to it to interrupt poll()
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::atomic<uint64_t> connections_{0};
  std::thread thread_;
};

}  // namespace carledger::store
