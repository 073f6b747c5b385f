#include "ledger/parallel.h"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace carledger {
namespace {

int MyNice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
}

// Runs a loop slow enough that helpers join in, and records each call's thread nice value
// and whether it ran on the caller.
struct Observed {
  std::vector<int> counts;
  std::set<int> helper_nices;
  bool helper_ran = false;
};

Observed Observe(Urgency urgency) {
  const size_t n = 400;
  Observed o;
  o.counts.assign(n, 0);
  std::vector<std::atomic<int>> counts(n);
  std::mutex mu;
  std::thread::id caller = std::this_thread::get_id();
  ParallelFor(
      n,
      [&](size_t i) {
        counts[i].fetch_add(1);
        if (std::this_thread::get_id() != caller) {
          std::lock_guard lock(mu);
          o.helper_ran = true;
          o.helper_nices.insert(MyNice());
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      },
      urgency);
  for (size_t i = 0; i < n; ++i) o.counts[i] = counts[i].load();
  return o;
}

TEST(ParallelForTest, RunsEveryIndexOnce) {
  for (Urgency u : {Urgency::kCritical, Urgency::kAhead}) {
    Observed o = Observe(u);
    for (size_t i = 0; i < o.counts.size(); ++i) EXPECT_EQ(o.counts[i], 1) << i;
  }
}

TEST(ParallelForTest, AheadHelpersRunBelowTheCallerAndCriticalOnesDoNot) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one core: no helper threads";
  int mine = MyNice();
  Observed critical = Observe(Urgency::kCritical);
  ASSERT_TRUE(critical.helper_ran);
  EXPECT_EQ(critical.helper_nices, std::set<int>{mine});
  Observed ahead = Observe(Urgency::kAhead);
  ASSERT_TRUE(ahead.helper_ran);
  ASSERT_EQ(ahead.helper_nices.size(), 1u);
  EXPECT_GT(*ahead.helper_nices.begin(), mine);
  EXPECT_EQ(MyNice(), mine);  // the caller's own priority is untouched
}

}  // namespace
}  // namespace carledger
