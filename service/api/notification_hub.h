// The node's live wake-ups for users' streams (Community.Chat, Notifications.Subscribe).
//
// Every node of a cluster shares one database, and a user's stream may be connected to one
// node while their message or notification is stored through another. So the signal goes
// through the database: whoever stores something for a user sends a NOTIFY in the same
// transaction (store::SignalUser), and each node's hub LISTENs on one dedicated connection
// and wakes the streams of that user connected to it. The database stays the source of
// truth: a woken stream re-reads what is pending, and after the hub (re)connects every
// stream is woken, so nothing signalled while the connection was down is missed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "service/store/pg_listener.h"

namespace carledger::api {

// What one stream waits on. Thread-safe.
class Wakeup {
 public:
  // Counts an event for the stream's user and wakes the waiter.
  void Signal();
  // Wakes the waiter without an event (the stream has local work, e.g. a reply to send).
  void Poke();
  // Ends the wait for good (the node is shutting down).
  void Stop();
  // Waits until an event newer than `seen_events`, a Poke (consumed), Stop, or `timeout`.
  // Returns the event count.
  uint64_t Wait(uint64_t seen_events, std::chrono::milliseconds timeout);
  uint64_t events() const;
  bool stopped() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  uint64_t events_ = 0;
  bool poked_ = false;
  bool stopped_ = false;
};

class NotificationHub {
 public:
  // A stream's registration; unregisters when destroyed.
  class Subscription {
   public:
    ~Subscription();
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;
    Wakeup& wakeup() { return *wakeup_; }

   private:
    friend class NotificationHub;
    Subscription(NotificationHub* hub, std::pair<std::string, std::string> key)
        : hub_(hub), key_(std::move(key)), wakeup_(std::make_shared<Wakeup>()) {}
    NotificationHub* hub_;
    std::pair<std::string, std::string> key_;  // event, user id
    std::shared_ptr<Wakeup> wakeup_;
  };

  // Starts listening on the database at `conninfo` (in the background; streams are woken
  // once the first connection is made).
  explicit NotificationHub(const std::string& conninfo);
  // Stops (see Stop). Every Subscription must have been destroyed.
  ~NotificationHub();
  NotificationHub(const NotificationHub&) = delete;
  NotificationHub& operator=(const NotificationHub&) = delete;

  // Registers a stream for `event` (store::kChatEvent, store::kNotificationEvent) of
  // `user_id`. After Stop, the subscription's Wakeup is already stopped.
  std::unique_ptr<Subscription> Subscribe(std::string event, std::string user_id);

  // Stops listening and stops every subscription's Wakeup, so streams end promptly.
  // Idempotent.
  void Stop();

  // True while the hub's LISTEN is in effect.
  bool listening() const;

 private:
  void OnEvent(std::string_view payload);
  void WakeAll();
  void Unsubscribe(const std::pair<std::string, std::string>& key, Wakeup* w);

  std::mutex mu_;
  bool stopped_ = false;
  std::map<std::pair<std::string, std::string>, std::set<std::shared_ptr<Wakeup>>> subs_;
  std::unique_ptr<store::PgListener> listener_;
};

}  // namespace carledger::api
