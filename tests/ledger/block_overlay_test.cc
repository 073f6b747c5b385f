// ledger/block_overlay: in-block views over committed state (BlockOverlay, TxState).
#include "ledger/block_overlay.h"

#include <gtest/gtest.h>

#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::TempDir;

// A committed state with keys k1..k5 = v1..v5, each written by block 0 tx 0.
class BlockOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(StateDb::Open(dir_.path())).value();
    BlockEffects e;
    e.height = 0;
    e.state_hash = "h0";
    e.tx_ids = {"genesis-tx"};
    e.indexed = {0};
    for (int i = 1; i <= 5; ++i) {
      e.writes.push_back({"k" + std::to_string(i), "v" + std::to_string(i), false});
      e.history.emplace_back("k" + std::to_string(i), 0);
    }
    ASSERT_TRUE(db_->Apply(e).ok());
  }
  static std::vector<std::string> Keys(
      const std::vector<std::pair<std::string, std::string>>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.first + "=" + r.second);
    return out;
  }

  TempDir dir_;
  std::unique_ptr<StateDb> db_;
};

TEST_F(BlockOverlayTest, LaterTransactionsSeeEarlierOnes) {
  BlockOverlay block(db_.get(), 1);
  EXPECT_EQ(**block.Get("k1"), "v1");
  TxState tx0(&block);
  ASSERT_TRUE(tx0.Put("k1", "changed").ok());
  ASSERT_TRUE(tx0.Delete("k2").ok());
  ASSERT_TRUE(tx0.Put("new", "n").ok());
  // The running transaction sees its own writes; the block does not yet.
  EXPECT_EQ(**tx0.Get("k1"), "changed");
  EXPECT_FALSE(tx0.Get("k2")->has_value());
  EXPECT_EQ(**block.Get("k1"), "v1");
  block.Merge(tx0.writes(), 0, "tx-a");
  TxState tx1(&block);
  EXPECT_EQ(**tx1.Get("k1"), "changed");
  EXPECT_FALSE(tx1.Get("k2")->has_value());
  EXPECT_EQ(**tx1.Get("new"), "n");
  // A failed transaction's writes are simply never merged.
  ASSERT_TRUE(tx1.Put("k3", "doomed").ok());
  EXPECT_EQ(**block.Get("k3"), "v3");
  // The committed state is untouched throughout.
  EXPECT_EQ(**db_->Get("k1"), "v1");

  auto writes = block.SortedWrites();
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].key, "k1");
  EXPECT_EQ(writes[1].key, "k2");
  EXPECT_TRUE(writes[1].deleted);
  EXPECT_EQ(writes[2].key, "new");
  EXPECT_EQ(block.history().size(), 3u);
}

TEST_F(BlockOverlayTest, RangeMergesDeletesAndInserts) {
  BlockOverlay block(db_.get(), 1);
  TxState tx0(&block);
  ASSERT_TRUE(tx0.Delete("k1").ok());
  ASSERT_TRUE(tx0.Delete("k2").ok());
  ASSERT_TRUE(tx0.Put("k25", "x").ok());
  block.Merge(tx0.writes(), 0, "tx-a");
  // Deletions in the overlay must not shrink a limited page.
  EXPECT_EQ(Keys(*block.Range("k", "l", 3)), (std::vector<std::string>{"k25=x", "k3=v3", "k4=v4"}));
  TxState tx1(&block);
  ASSERT_TRUE(tx1.Delete("k3").ok());
  ASSERT_TRUE(tx1.Put("k0", "zero").ok());
  EXPECT_EQ(Keys(*tx1.Range("k", "l", 3)), (std::vector<std::string>{"k0=zero", "k25=x", "k4=v4"}));
  EXPECT_EQ(Keys(*tx1.Range("k3", "k5", 10)), (std::vector<std::string>{"k4=v4"}));
  EXPECT_EQ(Keys(*tx1.Range("k4", "", 10)), (std::vector<std::string>{"k4=v4", "k5=v5"}));
  EXPECT_TRUE(tx1.Range("k", "l", 0)->empty());
}

TEST_F(BlockOverlayTest, HistoryAppendsThisBlocksWrites) {
  BlockOverlay block(db_.get(), 1);
  TxState tx0(&block);
  ASSERT_TRUE(tx0.Put("k1", "a").ok());
  block.Merge(tx0.writes(), 0, "tx-a");
  TxState tx1(&block);
  ASSERT_TRUE(tx1.Put("k1", "b").ok());
  block.Merge(tx1.writes(), 1, "tx-b");
  auto all = block.History("k1", 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].tx_id, "genesis-tx");
  EXPECT_EQ((*all)[1].height, 1u);
  EXPECT_EQ((*all)[1].tx_id, "tx-a");
  EXPECT_EQ((*all)[2].tx_index, 1u);
  auto page = block.History("k1", 1, 1);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].tx_id, "tx-a");
  auto tail = block.History("k1", 2, 10);
  ASSERT_EQ(tail->size(), 1u);
  EXPECT_EQ((*tail)[0].tx_id, "tx-b");
  EXPECT_TRUE(block.History("k1", 3, 10)->empty());
  EXPECT_EQ(block.History("k2", 0, 10)->size(), 1u);
}

TEST_F(BlockOverlayTest, PerTransactionLimits) {
  BlockOverlay block(db_.get(), 1);
  TxState tx(&block);
  for (size_t i = 0; i < TxState::kMaxWritesPerTx; ++i)
    ASSERT_TRUE(tx.Put("w" + std::to_string(i), "x").ok());
  EXPECT_EQ(tx.Put("one-too-many", "x").code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(tx.Delete("one-too-many").code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(tx.Put("w0", "rewrite of an existing key is fine").ok());
  for (size_t i = 0; i < TxState::kMaxEventsPerTx + 5; ++i) tx.Emit("e", "{}");
  EXPECT_EQ(tx.events().size(), TxState::kMaxEventsPerTx);
}

TEST(MergeRangeTest, OverlayWinsAndLimitApplies) {
  std::vector<std::pair<std::string, std::string>> base = {{"a", "1"}, {"b", "2"}, {"c", "3"}};
  std::map<std::string, std::optional<std::string>> overlay = {
      {"b", std::nullopt}, {"bb", "x"}, {"z", "out of range"}};
  auto out = MergeRange(base, overlay, "a", "d", 10);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].first, "a");
  EXPECT_EQ(out[1], std::make_pair(std::string("bb"), std::string("x")));
  EXPECT_EQ(out[2].first, "c");
  EXPECT_EQ(MergeRange(base, overlay, "a", "d", 2).size(), 2u);
}

}  // namespace
}  // namespace carledger
