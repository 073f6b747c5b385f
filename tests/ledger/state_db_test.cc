// ledger/state_db: world state, history index, tx index and applied height in RocksDB.
#include "ledger/state_db.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::TempDir;

std::unique_ptr<StateDb> MustOpen(const std::string& dir, bool read_only = false) {
  auto db = StateDb::Open(dir, read_only);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// A block of writes; every write is by tx 0 unless `history` says otherwise.
BlockEffects Effects(uint64_t height, std::vector<StateWrite> writes,
                     std::vector<std::string> tx_ids = {"tx"}) {
  BlockEffects e;
  e.height = height;
  e.state_hash = "hash-" + std::to_string(height);
  e.writes = std::move(writes);
  for (auto& id : tx_ids) id += "@" + std::to_string(height);
  e.tx_ids = tx_ids;
  for (const auto& w : e.writes) e.history.emplace_back(w.key, 0);
  for (uint32_t i = 0; i < e.tx_ids.size(); ++i) e.indexed.push_back(i);
  return e;
}

std::optional<std::string> Get(const StateDb& db, const std::string& key) {
  auto v = db.Get(key);
  EXPECT_TRUE(v.ok());
  return v.ok() ? *v : std::nullopt;
}

TEST(StateDbTest, FreshDatabaseIsEmpty) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  EXPECT_FALSE(db->applied_height().has_value());
  EXPECT_EQ(db->state_hash(), "");
  EXPECT_FALSE(Get(*db, "anything").has_value());
  auto rows = db->Range("", "", 10);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(StateDbTest, ApplyGetAndDelete) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  ASSERT_TRUE(db->Apply(Effects(0, {{"a", "1"}, {"b", "2"}})).ok());
  EXPECT_EQ(db->applied_height(), 0u);
  EXPECT_EQ(db->state_hash(), "hash-0");
  EXPECT_EQ(Get(*db, "a"), "1");
  EXPECT_EQ(Get(*db, "b"), "2");
  ASSERT_TRUE(
      db->Apply(Effects(1, {{"a", "", true}, {"b", "22"}, {"c", std::string("\0x\0", 3)}})).ok());
  EXPECT_FALSE(Get(*db, "a").has_value());
  EXPECT_EQ(Get(*db, "b"), "22");
  EXPECT_EQ(Get(*db, "c"), std::string("\0x\0", 3));
  EXPECT_EQ(db->applied_height(), 1u);
  EXPECT_EQ(db->state_hash(), "hash-1");
}

TEST(StateDbTest, NonConsecutiveHeightIsRefused) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  Status first = db->Apply(Effects(1, {{"a", "1"}}));
  EXPECT_EQ(first.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(first.message().find("cannot apply block 1"), std::string::npos) << first.message();
  ASSERT_TRUE(db->Apply(Effects(0, {{"a", "1"}})).ok());
  Status gap = db->Apply(Effects(2, {{"a", "2"}}));
  EXPECT_EQ(gap.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(gap.message().find("state is at height 0"), std::string::npos) << gap.message();
  EXPECT_EQ(db->Apply(Effects(0, {{"a", "3"}})).code(), StatusCode::kFailedPrecondition);
  // Nothing of the refused blocks landed.
  EXPECT_EQ(Get(*db, "a"), "1");
  EXPECT_EQ(db->applied_height(), 0u);
  EXPECT_TRUE(db->Apply(Effects(1, {{"a", "2"}})).ok());
}

TEST(StateDbTest, RangeHonoursBoundsLimitAndNamespace) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  ASSERT_TRUE(
      db
          ->Apply(Effects(
              0, {{"car/1", "a"}, {"car/2", "b"}, {"car/3", "c"}, {"cas", "x"}, {"user/1", "u"}}))
          .ok());
  auto cars = db->Range("car/", "car0", 100);
  ASSERT_TRUE(cars.ok());
  ASSERT_EQ(cars->size(), 3u);
  EXPECT_EQ((*cars)[0], std::make_pair(std::string("car/1"), std::string("a")));
  EXPECT_EQ((*cars)[2].first, "car/3");
  auto limited = db->Range("car/", "car0", 2);
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[1].first, "car/2");
  // End is exclusive; empty end means no bound; start is inclusive.
  auto excl = db->Range("car/2", "car/3", 10);
  ASSERT_EQ(excl->size(), 1u);
  EXPECT_EQ((*excl)[0].first, "car/2");
  auto open_end = db->Range("cas", "", 10);
  ASSERT_EQ(open_end->size(), 2u);
  EXPECT_EQ((*open_end)[1].first, "user/1");
  // Only world-state keys: no history, tx index or metadata rows leak into a full scan.
  auto all = db->Range("", "", 100);
  ASSERT_EQ(all->size(), 5u);
  std::vector<std::string> keys;
  for (const auto& kv : *all) keys.push_back(kv.first);
  EXPECT_EQ(keys, (std::vector<std::string>{"car/1", "car/2", "car/3", "cas", "user/1"}));
  EXPECT_TRUE(db->Range("car/", "car0", 0)->empty());
}

TEST(StateDbTest, HistoryIsOrderedAndPaginated) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  // key "k" is written in blocks 0..5; "k2" (a longer key sharing the prefix) in block 2.
  for (uint64_t h = 0; h < 6; ++h) {
    std::vector<StateWrite> writes = {{"k", "v" + std::to_string(h)}};
    if (h == 2) writes.push_back({"k2", "other"});
    BlockEffects e = Effects(h, writes, {"first", "second"});
    e.history.clear();
    e.history.emplace_back("k", static_cast<uint32_t>(h % 2));
    if (h == 2) e.history.emplace_back("k2", 0);
    ASSERT_TRUE(db->Apply(e).ok());
  }
  auto all = db->History("k", 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 6u);
  for (uint64_t h = 0; h < 6; ++h) {
    EXPECT_EQ((*all)[h].height, h);
    EXPECT_EQ((*all)[h].tx_index, h % 2);
    EXPECT_EQ((*all)[h].tx_id, std::string(h % 2 ? "second@" : "first@") + std::to_string(h));
  }
  auto page1 = db->History("k", 0, 4);
  auto page2 = db->History("k", 4, 4);
  auto page3 = db->History("k", 8, 4);
  ASSERT_EQ(page1->size(), 4u);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_TRUE(page3->empty());
  EXPECT_EQ((*page2)[0].height, 4u);
  EXPECT_EQ((*page2)[1].height, 5u);
  auto k2 = db->History("k2", 0, 10);
  ASSERT_EQ(k2->size(), 1u);
  EXPECT_EQ((*k2)[0].height, 2u);
  EXPECT_TRUE(db->History("missing", 0, 10)->empty());
  EXPECT_TRUE(db->History("", 0, 10)->empty());
}

TEST(StateDbTest, TxIndexFindsIndexedTransactionsOnly) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  BlockEffects e = Effects(0, {{"a", "1"}}, {"t0", "t1", "t2"});
  e.indexed = {0, 2};  // t1 was, say, a duplicate
  ASSERT_TRUE(db->Apply(e).ok());
  auto t2 = db->FindTx("t2@0");
  ASSERT_TRUE(t2.ok());
  ASSERT_TRUE(t2->has_value());
  EXPECT_EQ((*t2)->height, 0u);
  EXPECT_EQ((*t2)->tx_index, 2u);
  EXPECT_FALSE(db->FindTx("t1@0")->has_value());
  EXPECT_FALSE(db->FindTx("nope")->has_value());
  ASSERT_TRUE(db->Apply(Effects(1, {}, {"t9"})).ok());
  auto t9 = db->FindTx("t9@1");
  ASSERT_TRUE(t9->has_value());
  EXPECT_EQ((*t9)->height, 1u);
  EXPECT_EQ((*t9)->tx_index, 0u);
}

TEST(StateDbTest, ReopenKeepsEverythingAndReadOnlyWorks) {
  TempDir dir;
  {
    auto db = MustOpen(dir.path());
    ASSERT_TRUE(db->Apply(Effects(0, {{"a", "1"}}), /*sync=*/true).ok());
    ASSERT_TRUE(db->Apply(Effects(1, {{"b", "2"}})).ok());
  }
  {
    auto ro = MustOpen(dir.path(), /*read_only=*/true);
    EXPECT_EQ(ro->applied_height(), 1u);
    EXPECT_EQ(ro->state_hash(), "hash-1");
    EXPECT_EQ(Get(*ro, "a"), "1");
    EXPECT_EQ(Get(*ro, "b"), "2");
    EXPECT_EQ(ro->History("b", 0, 10)->size(), 1u);
  }
  auto db = MustOpen(dir.path());
  EXPECT_EQ(db->applied_height(), 1u);
  EXPECT_TRUE(db->Apply(Effects(2, {{"c", "3"}})).ok());
}

TEST(StateDbTest, ReadOnlyOpenOfMissingDatabaseFails) {
  TempDir dir;
  EXPECT_FALSE(StateDb::Open(dir.path() + "/nothing-here", /*read_only=*/true).ok());
}

// The nice value of each of this process's threads named `name`.
std::vector<int> NiceOfThreads(const std::string& name) {
  std::vector<int> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string thread_name;
    std::getline(comm, thread_name);
    if (thread_name != name) continue;
    // On Linux a thread id names that thread alone here.
    out.push_back(getpriority(PRIO_PROCESS, static_cast<id_t>(std::stoi(task.path().filename()))));
  }
  return out;
}

TEST(StateDbTest, FlushesRunNicedBelowTheConsensusThread) {
  TempDir dir;
  auto db = MustOpen(dir.path());
  ASSERT_NE(db, nullptr);
  // The pools are the process's: a flush of any database here runs on them, and a pool
  // thread takes the lowered priority when it picks up its next job.
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* opened = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, dir.path() + "/raw", &opened).ok());
  std::unique_ptr<rocksdb::DB> raw(opened);
  ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "key", "value").ok());
  ASSERT_TRUE(raw->Flush(rocksdb::FlushOptions()).ok());
  raw.reset();
  std::vector<int> flushers = NiceOfThreads("rocksdb:high");
  ASSERT_FALSE(flushers.empty());
  for (int nice : flushers) EXPECT_EQ(nice, 19);
}

}  // namespace
}  // namespace carledger
