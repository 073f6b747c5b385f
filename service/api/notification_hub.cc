#include "service/api/notification_hub.h"

#include <cstdio>

#include "service/store/notifications.h"

namespace carledger::api {

void Wakeup::Signal() {
  {
    std::lock_guard l(mu_);
    ++events_;
  }
  cv_.notify_all();
}

void Wakeup::Poke() {
  {
    std::lock_guard l(mu_);
    poked_ = true;
  }
  cv_.notify_all();
}

void Wakeup::Stop() {
  {
    std::lock_guard l(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

uint64_t Wakeup::Wait(uint64_t seen_events, std::chrono::milliseconds timeout) {
  std::unique_lock l(mu_);
  cv_.wait_for(l, timeout, [&] { return events_ != seen_events || poked_ || stopped_; });
  poked_ = false;
  return events_;
}

uint64_t Wakeup::events() const {
  std::lock_guard l(mu_);
  return events_;
}

bool Wakeup::stopped() const {
  std::lock_guard l(mu_);
  return stopped_;
}

NotificationHub::Subscription::~Subscription() {
  hub_->Unsubscribe(key_, wakeup_.get());
}

NotificationHub::NotificationHub(const std::string& conninfo) {
  auto l = store::PgListener::Start(
      conninfo, store::kEventChannel, [this](std::string_view p) { OnEvent(p); },
      [this] { WakeAll(); });
  if (l.ok()) {
    listener_ = std::move(l).value();
  } else {
    std::fprintf(stderr, "notification hub: %s\n", l.status().ToString().c_str());
  }
}

NotificationHub::~NotificationHub() {
  Stop();
}

std::unique_ptr<NotificationHub::Subscription> NotificationHub::Subscribe(std::string event,
                                                                          std::string user_id) {
  std::unique_ptr<Subscription> s(new Subscription(this, {std::move(event), std::move(user_id)}));
  std::lock_guard l(mu_);
  if (stopped_) {
    s->wakeup_->Stop();
  } else {
    subs_[s->key_].insert(s->wakeup_);
  }
  return s;
}

void NotificationHub::Unsubscribe(const std::pair<std::string, std::string>& key, Wakeup* w) {
  std::lock_guard l(mu_);
  auto it = subs_.find(key);
  if (it == subs_.end()) return;
  for (auto s = it->second.begin(); s != it->second.end(); ++s) {
    if (s->get() == w) {
      it->second.erase(s);
      break;
    }
  }
  if (it->second.empty()) subs_.erase(it);
}

void NotificationHub::Stop() {
  {
    std::lock_guard l(mu_);
    if (stopped_) return;
    stopped_ = true;
    for (auto& [key, set] : subs_) {
      for (auto& w : set) w->Stop();
    }
  }
  // Outside the lock: the listener's callbacks take it.
  if (listener_) listener_->Stop();
}

bool NotificationHub::listening() const {
  return listener_ && listener_->listening();
}

void NotificationHub::OnEvent(std::string_view payload) {
  auto signal = store::ParseUserSignal(payload);
  if (!signal) return;
  std::lock_guard l(mu_);
  auto it = subs_.find(*signal);
  if (it == subs_.end()) return;
  for (auto& w : it->second) w->Signal();
}

void NotificationHub::WakeAll() {
  // After a (re)connection anything may have been missed: every stream re-reads.
  std::lock_guard l(mu_);
  for (auto& [key, set] : subs_) {
    for (auto& w : set) w->Signal();
  }
}

}  // namespace carledger::api
