// Time for the store, as Unix milliseconds, behind an interface so tests move it by hand
// (token expiry, rate-limit windows) instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace carledger::store {

class Clock {
 public:
  virtual ~Clock() = default;
  // Now, in Unix milliseconds.
  virtual int64_t NowMs() const = 0;
};

// The system's wall clock.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_(start_ms) {}
  int64_t NowMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }
  void Set(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace carledger::store
