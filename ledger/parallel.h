// A small fixed pool of worker threads for data-parallel loops (signature checks).
#pragma once

#include <cstddef>
#include <functional>

namespace carledger {

// Runs fn(i) for every i in [0, n), spread over the machine's cores; returns when all
// are done. fn must be safe to call concurrently for different i.
void ParallelFor(size_t n, const std::function<void(size_t)>& fn);

}  // namespace carledger
