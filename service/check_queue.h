// Threads of their own for checking peers' client signatures ahead of execution, with two
// lanes: a pre-prepare's batches (the next block waits for them) go before forwarded
// submissions (checked only so that the pre-prepare carrying them later finds them done).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace carledger::service {

class CheckQueue {
 public:
  enum class Lane { kUrgent, kAhead };

  // Starts `threads` threads (at least one). Queued tasks hold at most about max_bytes (as
  // declared to Add).
  explicit CheckQueue(size_t max_bytes, size_t threads = 1);
  CheckQueue(const CheckQueue&) = delete;
  CheckQueue& operator=(const CheckQueue&) = delete;
  ~CheckQueue();  // Stop()

  // Queues task on lane. A free thread takes the oldest urgent task, else the oldest ahead
  // one (with one thread: every urgent task before any ahead one, each lane in order). Blocks while
  // the queue is full: for kAhead, while all queued tasks hold max_bytes or more; for kUrgent,
  // while the urgent ones alone do (so an urgent task never waits behind checks that can wait).
  // Queued and running tasks count until they are done; any task is taken when nothing it would
  // wait for is held. False, and task dropped, once stopped.
  bool Add(Lane lane, std::function<void()> task, size_t bytes);

  // Waits for the running tasks, then ends the threads; queued tasks are dropped unrun.
  void Stop();

 private:
  struct Item {
    std::function<void()> task;
    size_t bytes;
  };
  void Run();

  const size_t max_bytes_;
  std::mutex mu_;
  std::condition_variable work_cv_, room_cv_;
  std::deque<Item> urgent_, ahead_;
  size_t urgent_bytes_ = 0, ahead_bytes_ = 0;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace carledger::service
