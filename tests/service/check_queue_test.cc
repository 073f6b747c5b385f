#include "service/check_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <string>
#include <vector>

namespace carledger::service {
namespace {

using Lane = CheckQueue::Lane;

// Holds the queue's thread inside a task until released, so tasks can be queued behind it.
struct Gate {
  std::promise<void> entered, release;
  std::shared_future<void> released{release.get_future().share()};
  std::function<void()> Task() {
    return [this] {
      entered.set_value();
      released.wait();
    };
  }
};

TEST(CheckQueueTest, UrgentTasksRunBeforeQueuedAheadTasksAndEachLaneInOrder) {
  CheckQueue queue(1 << 20);
  Gate gate;
  ASSERT_TRUE(queue.Add(Lane::kAhead, gate.Task(), 1));
  gate.entered.get_future().wait();
  std::mutex mu;
  std::vector<std::string> ran;
  auto record = [&](std::string name) {
    return [&, name] {
      std::lock_guard<std::mutex> lock(mu);
      ran.push_back(name);
    };
  };
  std::promise<void> last;
  ASSERT_TRUE(queue.Add(Lane::kAhead, record("forward 1"), 1));
  ASSERT_TRUE(queue.Add(Lane::kAhead, record("forward 2"), 1));
  ASSERT_TRUE(queue.Add(Lane::kUrgent, record("pre-prepare 1"), 1));
  ASSERT_TRUE(queue.Add(Lane::kUrgent, record("pre-prepare 2"), 1));
  ASSERT_TRUE(queue.Add(
      Lane::kAhead, [&] { last.set_value(); }, 1));
  gate.release.set_value();
  last.get_future().wait();
  EXPECT_EQ(ran,
            (std::vector<std::string>{"pre-prepare 1", "pre-prepare 2", "forward 1", "forward 2"}));
}

TEST(CheckQueueTest, AheadTasksWaitForRoomButUrgentOnesDoNot) {
  CheckQueue queue(100);
  Gate gate;
  ASSERT_TRUE(queue.Add(Lane::kAhead, gate.Task(), 60));
  gate.entered.get_future().wait();
  // 60 + 60 > 100: this one waits until the running task is done.
  std::atomic<bool> added{false};
  auto second = std::async(std::launch::async, [&] {
    bool ok = queue.Add(
        Lane::kAhead, [] {}, 60);
    added = true;
    return ok;
  });
  // An urgent task is not held back by the ahead lane's bytes.
  std::promise<void> urgent_ran;
  ASSERT_TRUE(queue.Add(
      Lane::kUrgent, [&] { urgent_ran.set_value(); }, 60));
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
  EXPECT_FALSE(added);
  gate.release.set_value();
  urgent_ran.get_future().wait();
  EXPECT_TRUE(second.get());
}

TEST(CheckQueueTest, StopDropsQueuedTasksAndReleasesWaitingAdds) {
  auto queue = std::make_unique<CheckQueue>(10);
  Gate gate;
  ASSERT_TRUE(queue->Add(Lane::kAhead, gate.Task(), 10));
  gate.entered.get_future().wait();
  std::atomic<int> ran{0};
  ASSERT_TRUE(queue->Add(
      Lane::kUrgent, [&] { ++ran; }, 10));
  auto waiting = std::async(std::launch::async, [&] {
    return queue->Add(
        Lane::kAhead, [&] { ++ran; }, 10);
  });
  EXPECT_EQ(waiting.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  auto stopping = std::async(std::launch::async, [&] { queue->Stop(); });
  EXPECT_FALSE(waiting.get());  // released by Stop, its task dropped
  gate.release.set_value();
  stopping.get();
  EXPECT_EQ(ran, 0);  // the queued urgent task was dropped too
  EXPECT_FALSE(queue->Add(
      Lane::kUrgent, [&] { ++ran; }, 1));
}

}  // namespace
}  // namespace carledger::service
