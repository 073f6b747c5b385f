// Ledger crash recovery through the fault seam (LedgerOptions::fault_hook) and torn block
// files under a ledger: what a restart finds and repairs.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "common/block_format.h"
#include "ledger/ledger.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::Describe;
using testing::TestNetwork;
namespace fs = std::filesystem;

ContractPackage Ping() {
  return {"ping", "1", R"(
local M = {}
function M.put(a) ledger.put(a.k, a.v) return { ok = true } end
return M
)"};
}

Json Put(const std::string& k, const std::string& v) {
  return Json(Json::Object{{"k", k}, {"v", v}});
}

// A fault hook that fires once at the armed point.
struct Crash {
  std::shared_ptr<std::optional<FaultPoint>> armed = std::make_shared<std::optional<FaultPoint>>();
  LedgerOptions Options() const {
    LedgerOptions o;
    auto a = armed;
    o.fault_hook = [a](FaultPoint p) -> Status {
      if (*a && **a == p) {
        a->reset();
        return Status::Unavailable("injected crash");
      }
      return Status::Ok();
    };
    return o;
  }
};

// Proposes, certifies and commits `txs` without the harness's success expectations, so a
// simulated crash can be observed. The certified block is returned through `out`.
Status CommitRaw(TestNetwork& net, const std::vector<ledger::TxEnvelope>& txs, ledger::Block* out) {
  net.Advance(1);
  auto block = net.ledger().Propose(txs, net.now_ms(), "proposer");
  if (!block.ok()) return block.status();
  for (const auto& v : net.ids().validators) {
    auto sig = SignCommit(block->header(), v.key);
    if (!sig.ok()) return sig.status();
    *block->mutable_certificate()->add_signatures() = *sig;
  }
  *out = *block;
  return net.ledger().Commit(*block);
}

std::optional<std::string> StateOf(TestNetwork& net, const std::string& key) {
  auto v = net.ledger().GetState(key);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : std::nullopt;
}

std::string LastSegment(const std::string& dir) {
  std::string last;
  for (const auto& e : fs::directory_iterator(dir + "/blocks")) {
    if (e.path().string() > last) last = e.path().string();
  }
  return last;
}

TEST(LedgerRecoveryTest, CrashAfterBlockAppendIsRepairedByReplay) {
  Crash crash;
  TestNetwork net(1, {Ping()}, crash.Options());
  auto user = net.NewUser();
  ASSERT_EQ(net.Call(user, "ping", "put", Put("a", "1")).code(), ledger::VALID);
  ASSERT_EQ(net.ledger().height(), 2u);

  *crash.armed = FaultPoint::kAfterBlockAppend;
  ledger::TxEnvelope tx = net.Tx(user, "ping", "put", Put("b", "2"));
  ledger::Block block;
  Status st = CommitRaw(net, {tx}, &block);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("injected crash"), std::string::npos);
  // The "dead" process left the block on disk and the state one block behind.
  EXPECT_EQ(net.ledger().height(), 3u);
  EXPECT_EQ(net.ledger().state().applied_height(), 1u);
  EXPECT_FALSE(StateOf(net, "c/ping/b").has_value());

  net.Reopen();  // no hook: a normal restart
  EXPECT_EQ(net.ledger().height(), 3u);
  EXPECT_EQ(net.ledger().state().applied_height(), 2u);
  EXPECT_EQ(StateOf(net, "c/ping/b"), "2");
  EXPECT_EQ(StateOf(net, "c/ping/a"), "1");
  EXPECT_EQ(net.ledger().state().state_hash(), block.header().state_hash());
  auto loc = net.ledger().FindTx(TxId(tx));
  ASSERT_TRUE(loc.ok() && loc->has_value());
  EXPECT_EQ((*loc)->height, 2u);
  auto stored = net.ledger().GetBlock(2);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(BlockHash(stored->header()), BlockHash(block.header()));
  // The replayed transaction is now a duplicate, and the ledger carries on.
  EXPECT_EQ(net.CommitBlock({tx})[0].code(), ledger::DUPLICATE_TX);
  EXPECT_EQ(net.Call(user, "ping", "put", Put("c", "3")).code(), ledger::VALID);
}

TEST(LedgerRecoveryTest, CrashBeforeBlockAppendLosesOnlyTheUncommittedBlock) {
  Crash crash;
  TestNetwork net(1, {Ping()}, crash.Options());
  auto user = net.NewUser();
  ASSERT_EQ(net.Call(user, "ping", "put", Put("a", "1")).code(), ledger::VALID);
  std::string hash = net.ledger().state().state_hash();

  *crash.armed = FaultPoint::kBeforeBlockAppend;
  ledger::TxEnvelope tx = net.Tx(user, "ping", "put", Put("b", "2"));
  ledger::Block block;
  ASSERT_FALSE(CommitRaw(net, {tx}, &block).ok());
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 2u);
  EXPECT_EQ(net.ledger().state().state_hash(), hash);
  EXPECT_FALSE(StateOf(net, "c/ping/b").has_value());
  EXPECT_EQ(net.ledger().GetBlock(2).status().code(), StatusCode::kNotFound);
  // The same transaction was never committed, so it is still good.
  auto again = net.CommitBlock({tx});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].code(), ledger::VALID) << Describe(again[0]);
  EXPECT_EQ(StateOf(net, "c/ping/b"), "2");
}

TEST(LedgerRecoveryTest, CrashAfterStateApplyKeepsEverything) {
  Crash crash;
  TestNetwork net(1, {Ping()}, crash.Options());
  auto user = net.NewUser();
  *crash.armed = FaultPoint::kAfterStateApply;
  ledger::Block block;
  ASSERT_FALSE(CommitRaw(net, {net.Tx(user, "ping", "put", Put("a", "1"))}, &block).ok());
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 2u);
  EXPECT_EQ(StateOf(net, "c/ping/a"), "1");
  EXPECT_EQ(net.ledger().state().state_hash(), block.header().state_hash());
}

TEST(LedgerRecoveryTest, RepeatedCrashesThenFullReplay) {
  Crash crash;
  TestNetwork net(1, {Ping()}, crash.Options());
  auto user = net.NewUser();
  for (int i = 0; i < 3; ++i) {
    *crash.armed = FaultPoint::kAfterBlockAppend;
    ledger::Block block;
    ASSERT_FALSE(
        CommitRaw(net, {net.Tx(user, "ping", "put", Put("k" + std::to_string(i), "v"))}, &block)
            .ok());
    net.Reopen(crash.Options());
    EXPECT_EQ(net.ledger().state().state_hash(), block.header().state_hash()) << i;
  }
  std::string hash = net.ledger().state().state_hash();
  net.Close();
  fs::remove_all(net.dir() + "/state");
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 4u);
  EXPECT_EQ(net.ledger().state().state_hash(), hash);
  EXPECT_EQ(StateOf(net, "c/ping/k2"), "v");
}

TEST(LedgerRecoveryTest, TornUnacknowledgedAppendIsCutOff) {
  TestNetwork net(1, {Ping()});
  auto user = net.NewUser();
  ASSERT_EQ(net.Call(user, "ping", "put", Put("a", "1")).code(), ledger::VALID);
  std::string hash = net.ledger().state().state_hash();
  net.Close();
  // A crash in the middle of appending block 2 (before its state was applied): a record
  // header promising 500 bytes and only part of them.
  std::string segment = LastSegment(net.dir());
  uint64_t size = fs::file_size(segment);
  {
    std::ofstream f(segment, std::ios::binary | std::ios::app);
    std::string partial("\xf4\x01\x00\x00\x12\x34\x56\x78", 8);
    partial += std::string(120, 'p');
    f.write(partial.data(), static_cast<std::streamsize>(partial.size()));
  }
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 2u);
  EXPECT_EQ(net.ledger().state().state_hash(), hash);
  EXPECT_EQ(fs::file_size(segment), size);
  EXPECT_EQ(net.Call(user, "ping", "put", Put("b", "2")).code(), ledger::VALID);
}

// A torn tail behind the state: the block was acknowledged and its state applied, then the
// block file lost its end (a disk fault, not a crash: appends are fsynced before the state
// is written). The node cannot serve that block or prove its state, so it refuses to open
// with DATA_LOSS naming the heights rather than running on a state no block explains.
// Repair: drop the state (it is rebuilt from the blocks that remain) and let pBFT state
// transfer fetch the missing block from peers.
TEST(LedgerRecoveryTest, TornTailBehindStateIsDataLoss) {
  TestNetwork net(1, {Ping()});
  auto user = net.NewUser();
  ASSERT_EQ(net.Call(user, "ping", "put", Put("a", "1")).code(), ledger::VALID);
  auto block1 = net.ledger().GetBlock(1);
  ASSERT_TRUE(block1.ok());
  ASSERT_EQ(net.Call(user, "ping", "put", Put("b", "2")).code(), ledger::VALID);
  ASSERT_EQ(net.ledger().height(), 3u);
  net.Close();
  std::string segment = LastSegment(net.dir());
  fs::resize_file(segment, fs::file_size(segment) - 4);

  for (int attempt = 0; attempt < 2; ++attempt) {
    auto l = Ledger::Open(net.dir());
    ASSERT_FALSE(l.ok()) << "attempt " << attempt;
    EXPECT_EQ(l.status().code(), StatusCode::kDataLoss);
    EXPECT_NE(l.status().message().find("state is at block 2 but the block store ends at block 1"),
              std::string::npos)
        << l.status().message();
  }
  // The read-only view (e.g. `carledger verify`) refuses too, naming the torn block.
  LedgerOptions ro;
  ro.read_only = true;
  EXPECT_FALSE(Ledger::Open(net.dir(), ro).ok());

  fs::remove_all(net.dir() + "/state");
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 2u);
  EXPECT_EQ(net.ledger().state().state_hash(), block1->header().state_hash());
  EXPECT_EQ(StateOf(net, "c/ping/a"), "1");
  EXPECT_FALSE(StateOf(net, "c/ping/b").has_value());
}

TEST(LedgerRecoveryTest, CorruptBlockInTheMiddleRefusesToOpen) {
  TestNetwork net(1, {Ping()});
  auto user = net.NewUser();
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(net.Call(user, "ping", "put", Put("k", std::to_string(i))).code(), ledger::VALID);
  auto b0 = net.ledger().GetBlock(0);
  ASSERT_TRUE(b0.ok());
  net.Close();
  std::string segment = LastSegment(net.dir());
  {
    std::fstream f(segment, std::ios::binary | std::ios::in | std::ios::out);
    auto at = static_cast<std::streamoff>(8 + b0->ByteSizeLong() + 8 + 30);  // inside block 1
    f.seekg(at);
    char c = static_cast<char>(f.get() ^ 0x20);
    f.seekp(at);
    f.put(c);
  }
  auto l = Ledger::Open(net.dir());
  ASSERT_FALSE(l.ok());
  EXPECT_EQ(l.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(l.status().message().find("block 1 "), std::string::npos) << l.status().message();
}

}  // namespace
}  // namespace carledger
