// The pBFT replica under the deterministic simulation (tests/support/pbft_sim.h).
// CARLEDGER_SIM_SEEDS=N runs N seeds per shard instead of 250 (a soak: scripts/soak-pbft);
// CARLEDGER_SIM_SEED=S replays one seed.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "tests/support/pbft_sim.h"

namespace carledger::pbft::sim {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

SimOptions Quiet(uint64_t seed) {
  SimOptions o = RandomScenario(seed);
  o.byzantine = Byzantine::kNone;
  o.drop = 0;
  o.duplicate = 0;
  o.partitions = false;
  o.crashes = false;
  o.wipes = false;
  o.n = 4;
  return o;
}

TEST(PbftSimulationTest, HealthyClusterCommitsEverythingWithoutViewChanges) {
  SimOptions o = Quiet(1);
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << r.Describe();
  EXPECT_GT(r.height, 2u);
  EXPECT_EQ(r.view_changes, 0u) << r.Describe();
  // Blocks are executed as soon as they prepare, their votes riding on the commits.
  EXPECT_GT(r.early_executions, 0u) << r.Describe();
  EXPECT_EQ(r.early_executions_dropped, 0u) << r.Describe();
  // The commits and votes that arrive after a block is certified are dropped without
  // checking their signatures.
  EXPECT_GT(r.outdated_unchecked, 0u) << r.Describe();
}

// A block that has prepared waits only for the replicas to execute it and commit: slow
// replicas, not a faulty primary, and a new view would not be faster. The first block
// is the test (later timeouts grow with the observed block interval).
TEST(PbftSimulationTest, SlowCommitsAfterAPreparedBlockDoNotChangeTheView) {
  SimOptions o = Quiet(1);
  o.commit_delay_ms = o.replica.view_timeout_ms * 3 / 2;
  o.deadline_ms = 200000;  // every block takes that long now
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << r.Describe();
  EXPECT_EQ(r.view_changes, 0u) << r.Describe();
}

TEST(PbftSimulationTest, SilentPrimaryIsReplacedByAViewChange) {
  SimOptions o = Quiet(2);
  o.byzantine = Byzantine::kSilent;
  o.byzantine_node = 0;  // the primary of view 0 says nothing at all
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << r.Describe();
  EXPECT_GT(r.view_changes, 0u) << r.Describe();
}

TEST(PbftSimulationTest, EquivocatingOrTimeBendingPrimaryIsReplaced) {
  for (Byzantine b : {Byzantine::kEquivocate, Byzantine::kBadTime}) {
    SimOptions o = Quiet(3);
    o.byzantine = b;
    o.byzantine_node = 0;  // the primary of view 0
    SimResult r = RunSimulation(o);
    ASSERT_TRUE(r.ok) << ByzantineName(b) << ": " << r.Describe();
    EXPECT_GT(r.view_changes, 0u) << ByzantineName(b) << ": " << r.Describe();
  }
}

// View changes name prepared batches by digest: however large the batches, a view change
// to a replica other than the new primary stays a few kilobytes, and a new view carries
// each re-proposed batch once (not once per view change inside it).
TEST(PbftSimulationTest, ViewChangesCarryDigestsNotBatches) {
  size_t runs_with_proofs = 0;
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    SimOptions o = Quiet(seed);
    o.crashes = true;
    o.partitions = true;
    o.transactions = 120;
    o.payload_bytes = 4096;
    o.replica.max_batch = 10;
    o.replica.max_in_flight = 6;
    SimResult r = RunSimulation(o);
    ASSERT_TRUE(r.ok) << "seed " << seed << ": " << r.Describe();
    if (r.most_proofs_in_view_change < 2) continue;
    ++runs_with_proofs;
    std::printf("seed %llu: %s\n", static_cast<unsigned long long>(seed), r.Describe().c_str());
    EXPECT_LT(r.largest_view_change_bytes, 16u * 1024) << "seed " << seed;
    EXPECT_LT(r.largest_view_change_bytes * 4, r.largest_pre_prepare_bytes) << "seed " << seed;
    EXPECT_LT(r.largest_new_view_bytes,
              (r.most_proofs_in_view_change + 2) * r.largest_pre_prepare_bytes)
        << "seed " << seed;
  }
  EXPECT_GE(runs_with_proofs, 2u);  // the scenario did exercise view changes with proofs
}

class ByzantineTest : public ::testing::TestWithParam<Byzantine> {};

TEST_P(ByzantineTest, SafeAndLiveWithOneByzantineValidator) {
  for (uint64_t seed = 10; seed < 30; ++seed) {
    SimOptions o = RandomScenario(seed);
    o.byzantine = GetParam();
    o.wipes = false;
    SimResult r = RunSimulation(o);
    ASSERT_TRUE(r.ok) << "seed " << seed << " byzantine " << ByzantineName(GetParam()) << ": "
                      << r.Describe();
  }
}

INSTANTIATE_TEST_SUITE_P(Modes, ByzantineTest,
                         ::testing::Values(Byzantine::kEquivocate, Byzantine::kBadSignatures,
                                           Byzantine::kReplay, Byzantine::kWrongState,
                                           Byzantine::kSilent, Byzantine::kBadTime),
                         [](const auto& info) {
                           std::string s = ByzantineName(info.param);
                           for (auto& c : s) c = c == '-' ? '_' : c;
                           return s;
                         });

// Validator-set changes while the network misbehaves: two validators join, and the
// primary of view 0 (sometimes the Byzantine one) or a backup is removed; every block
// is certified by the set of its epoch, the joiners catch up and take part, and every
// transaction (the configuration ones included) commits exactly once.
TEST(PbftSimulationTest, ValidatorSetChangesUnderFaults) {
  for (uint64_t seed = 500; seed < 540; ++seed) {
    SimOptions o = RandomScenario(seed);
    o.joiners = 2;
    o.removed = static_cast<int>(seed % 2 == 0 ? 0 : o.byzantine_node);
    o.wipes = false;
    SimResult r = RunSimulation(o);
    ASSERT_TRUE(r.ok) << "seed " << seed << " (n=" << o.n << ", byzantine "
                      << ByzantineName(o.byzantine) << ", removed " << o.removed
                      << "): " << r.Describe();
    EXPECT_GT(r.validator_set_changes, 0u) << "seed " << seed;
  }
}

TEST(PbftSimulationTest, ASeedReplaysExactly) {
  SimOptions o = RandomScenario(77);
  SimResult a = RunSimulation(o);
  SimResult b = RunSimulation(o);
  EXPECT_EQ(a.Describe(), b.Describe());
  EXPECT_EQ(a.events, b.events);
}

// 4 shards x 250 seeds = 1,000 random scenarios in the normal test run.
class SeedShardTest : public ::testing::TestWithParam<int> {};

TEST_P(SeedShardTest, RandomScenariosStaySafeAndLive) {
  uint64_t per_shard = EnvOr("CARLEDGER_SIM_SEEDS", 250);
  uint64_t only = EnvOr("CARLEDGER_SIM_SEED", 0);
  uint64_t first = 1000 + static_cast<uint64_t>(GetParam()) * per_shard;
  int failures = 0;
  for (uint64_t seed = first; seed < first + per_shard; ++seed) {
    if (only != 0 && seed != only) continue;
    SimOptions o = RandomScenario(seed);
    SimResult r = RunSimulation(o);
    if (!r.ok) {
      ++failures;
      ADD_FAILURE() << "seed " << seed << " (n=" << o.n << ", byzantine "
                    << ByzantineName(o.byzantine) << ", drop " << o.drop << ", wipes " << o.wipes
                    << "): " << r.Describe() << "\n  replay: CARLEDGER_SIM_SEED=" << seed
                    << " CARLEDGER_SIM_SEEDS=" << per_shard
                    << " tests/pbft_simulation_test --gtest_filter='*Shard*'";
      if (failures >= 5) break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, SeedShardTest, ::testing::Values(0, 1, 2, 3));

}  // namespace
}  // namespace carledger::pbft::sim
