// Deterministic simulation of a pBFT cluster: every replica in one process, over a
// simulated network and clock, driven by one seed. The network delays, drops,
// duplicates and reorders messages and can partition nodes; nodes crash and restart with
// their disk kept or wiped; one validator can be Byzantine. Safety is checked after
// every event; liveness once the network heals. The same seed replays the same run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "ledger/pbft/replica.h"

namespace carledger::pbft::sim {

enum class Byzantine {
  kNone,
  kEquivocate,
  kBadSignatures,
  kReplay,
  kWrongState,
  kSilent,
  kBadTime
};
const char* ByzantineName(Byzantine b);

struct SimOptions {
  uint64_t seed = 1;
  size_t n = 4;
  Byzantine byzantine = Byzantine::kNone;  // byzantine_node misbehaves this way (if not kNone)
  size_t byzantine_node = 1;               // (0 is the primary of view 0)
  int64_t chaos_ms = 3000;                 // faults happen in [0, chaos_ms); then the network heals
  int64_t deadline_ms = 60000;             // liveness must be reached by then
  size_t transactions = 120;
  size_t payload_bytes = 0;  // padding per transaction (to make batches large)
  double drop = 0.05;
  double duplicate = 0.05;
  int64_t max_delay_ms = 20;
  bool partitions = true;
  bool crashes = true;
  bool wipes = false;  // a crash may lose the disk (amnesia: only without a Byzantine node)
  // Added to the delay of every honest commit and block vote: as when each replica takes
  // that long to execute a block, which it does before it commits and votes.
  int64_t commit_delay_ms = 0;
  // Validator-set changes by configuration transaction during the chaos: `joiners` more
  // nodes run from the start (outside the set) and are added; `removed` (a genesis
  // validator index, or -1) is removed.
  size_t joiners = 0;
  int removed = -1;
  ReplicaOptions replica;
};

// Picks a fault mix from the seed (what the 1,000-seed test runs).
SimOptions RandomScenario(uint64_t seed);

struct SimResult {
  bool ok = false;
  std::string failure;  // what broke, and when
  uint64_t height = 0;  // blocks committed (honest minimum)
  uint64_t view_changes = 0;
  uint64_t validator_set_changes = 0;     // epoch switches with a new set, summed over replicas
  uint64_t early_executions = 0;          // blocks executed when prepared, summed over replicas
  uint64_t early_executions_dropped = 0;  // ... whose batch a new view replaced
  uint64_t outdated_unchecked = 0;        // late messages dropped without checking them
  uint64_t events = 0;
  int64_t finished_ms = 0;  // simulated time at which everything was committed
  // Sizes on the wire (serialised SignedMessage bytes), over every honest send.
  size_t largest_pre_prepare_bytes = 0;
  size_t largest_view_change_bytes = 0;  // as sent to a replica that is not the new primary
  size_t largest_new_view_bytes = 0;
  size_t most_proofs_in_view_change = 0;
  std::string Describe() const;
};

// Runs one simulation to completion.
SimResult RunSimulation(const SimOptions& options);

}  // namespace carledger::pbft::sim
