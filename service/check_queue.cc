#include "service/check_queue.h"

#include <algorithm>

namespace carledger::service {

CheckQueue::CheckQueue(size_t max_bytes, size_t threads) : max_bytes_(max_bytes) {
  for (size_t i = 0; i < std::max<size_t>(threads, 1); ++i)
    threads_.emplace_back([this] { Run(); });
}

CheckQueue::~CheckQueue() {
  Stop();
}

bool CheckQueue::Add(Lane lane, std::function<void()> task, size_t bytes) {
  std::unique_lock<std::mutex> lock(mu_);
  bool urgent = lane == Lane::kUrgent;
  room_cv_.wait(lock, [&] {
    if (stopped_) return true;
    // Counted until done, the running task included.
    if (urgent) return urgent_bytes_ == 0 || urgent_bytes_ + bytes <= max_bytes_;
    size_t held = urgent_bytes_ + ahead_bytes_;
    return held == 0 || held + bytes <= max_bytes_;
  });
  if (stopped_) return false;
  (urgent ? urgent_ : ahead_).push_back({std::move(task), bytes});
  (urgent ? urgent_bytes_ : ahead_bytes_) += bytes;
  work_cv_.notify_one();
  return true;
}

void CheckQueue::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
    urgent_.clear();
    ahead_.clear();
    urgent_bytes_ = ahead_bytes_ = 0;
  }
  work_cv_.notify_all();
  room_cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void CheckQueue::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    work_cv_.wait(lock, [&] { return stopped_ || !urgent_.empty() || !ahead_.empty(); });
    if (stopped_) return;
    bool urgent = !urgent_.empty();
    auto& lane = urgent ? urgent_ : ahead_;
    Item item = std::move(lane.front());
    lane.pop_front();
    lock.unlock();
    item.task();
    item.task = nullptr;  // its captures go before the queue says there is room
    lock.lock();
    if (stopped_) return;  // Stop has emptied the queue and its count
    (urgent ? urgent_bytes_ : ahead_bytes_) -= item.bytes;
    room_cv_.notify_all();
  }
}

}  // namespace carledger::service
