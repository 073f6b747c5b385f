// A small fixed pool of worker threads for data-parallel loops (signature checks).
#pragma once

#include <cstddef>
#include <functional>

namespace carledger {

// Whose time the loop's helper threads take.
enum class Urgency {
  // The caller is on the critical path (a block's execution waits for it): helpers run at
  // the caller's priority.
  kCritical,
  // The work runs ahead of a critical thread that needs a core of its own (admission's
  // signature checks ahead of the block loop): helpers run at a lower priority and take
  // the cores that thread leaves idle. The caller keeps its own priority.
  kAhead,
};

// Runs fn(i) for every i in [0, n), spread over the machine's cores; returns when all
// are done. fn must be safe to call concurrently for different i.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn,
                 Urgency urgency = Urgency::kCritical);

}  // namespace carledger
