#include "ledger/parallel.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace carledger {
namespace {

// How far below their caller kAhead helpers run. At equal priority the scheduler split
// two cores three ways (block loop, admission's caller, its helper) and the block loop got
// two thirds of one (ledger_bench b1000: +4% in an interleaved A/B with this).
constexpr int kAheadNice = 10;

class Pool {
 public:
  explicit Pool(int nice) : nice_(nice) {
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 1; i < n; ++i) workers_.emplace_back([this] { Loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void Run(size_t n, const std::function<void(size_t)>& fn) {
    std::unique_lock<std::mutex> run_lock(run_mu_);  // one loop at a time
    {
      std::lock_guard<std::mutex> lock(mu_);
      fn_ = &fn;
      n_ = n;
      next_.store(0);
      active_ = workers_.size();
      ++generation_;
    }
    cv_.notify_all();
    Work();
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return active_ == 0; });
    fn_ = nullptr;
  }

 private:
  void Work() {
    while (true) {
      size_t i = next_.fetch_add(1);
      if (i >= n_) return;
      (*fn_)(i);
    }
  }
  void Loop() {
    if (nice_ != 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice_);
    uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
      }
      Work();
      std::lock_guard<std::mutex> lock(mu_);
      if (--active_ == 0) done_cv_.notify_one();
    }
  }

  const int nice_;
  std::vector<std::thread> workers_;
  std::mutex mu_, run_mu_;
  std::condition_variable cv_, done_cv_;
  const std::function<void(size_t)>* fn_ = nullptr;
  size_t n_ = 0;
  std::atomic<size_t> next_{0};
  size_t active_ = 0;
  uint64_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace

void ParallelFor(size_t n, const std::function<void(size_t)>& fn, Urgency urgency) {
  if (n == 0) return;
  if (n == 1) {
    fn(0);
    return;
  }
  // Two pools: a critical loop never queues behind a loop that runs ahead (one loop at a
  // time per pool), and never waits for helpers running at a lower priority.
  if (urgency == Urgency::kAhead) {
    static Pool ahead(kAheadNice);
    ahead.Run(n, fn);
  } else {
    static Pool critical(0);
    critical.Run(n, fn);
  }
}

}  // namespace carledger
