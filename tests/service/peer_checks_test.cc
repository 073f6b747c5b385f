// PeerChecks: a forward's and a pre-prepare's client signatures end up in the verified
// cache before their continuations run, a bad signature is left out, a pre-prepare whose
// transactions are being checked for a forward waits for that check, and a small one whose
// transactions are all checked already does not wait for the check threads at all.
#include "service/peer_checks.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "common/block_format.h"
#include "common/tx_builder.h"

namespace carledger::service {
namespace {

constexpr int64_t kNowMs = 1772323200000;

std::vector<ledger::TxEnvelope> SignedTxs(const Signer& who, uint64_t first, size_t n) {
  std::vector<ledger::TxEnvelope> out;
  for (size_t i = 0; i < n; ++i) {
    Json args = Json::MakeObject();
    args["amount"] = static_cast<int64_t>(1000 + first + i);
    out.push_back(
        MakeTransaction(who, "car_trade", "request_charge", args, first + i, kNowMs).value());
  }
  return out;
}

std::shared_ptr<consensus::SignedMessage> Forward(const std::vector<ledger::TxEnvelope>& txs) {
  consensus::Message body;
  for (const auto& tx : txs) *body.mutable_forward()->add_transactions() = tx;
  auto msg = std::make_shared<consensus::SignedMessage>();
  msg->set_sender("peer");
  msg->set_body(body.SerializeAsString());
  return msg;
}

std::shared_ptr<consensus::SignedMessage> PrePrepare(const std::vector<ledger::TxEnvelope>& txs) {
  consensus::Message body;
  body.mutable_pre_prepare()->set_seq(1);
  auto msg = std::make_shared<consensus::SignedMessage>();
  msg->set_sender("peer");
  msg->set_body(body.SerializeAsString());
  auto* batch = msg->add_batches();
  for (const auto& tx : txs) *batch->add_transactions() = tx;
  return msg;
}

TEST(PeerChecksTest, AForwardIsCheckedInChunksBeforeItsContinuationRuns) {
  VerifiedTxCache cache;
  PeerChecks checks(&cache, 2, 1 << 20);
  Signer user{PrivateKey::Generate().value(), std::nullopt};
  auto txs = SignedTxs(user, 1, 150);              // three chunks
  txs[70].set_signature(std::string(64, '\x01'));  // forged: not cached, the rest still are
  auto msg = Forward(txs);
  ASSERT_TRUE(PeerChecks::IsForward(*msg));
  ASSERT_FALSE(PeerChecks::IsForward(*PrePrepare(txs)));
  std::promise<size_t> cached;
  ASSERT_TRUE(checks.CheckForward(msg, [&] {
    size_t n = 0;
    for (const auto& tx : txs) n += cache.Find(TxLeafHash(tx)) ? 1 : 0;
    cached.set_value(n);
  }));
  EXPECT_EQ(cached.get_future().get(), 149u);
  EXPECT_EQ(cache.Find(TxLeafHash(txs[70])), nullptr);
}

TEST(PeerChecksTest, APrePrepareWaitsForChecksInProgressOfItsTransactions) {
  Signer user{PrivateKey::Generate().value(), std::nullopt};
  // Repeated: the forward's chunk and the pre-prepare's check overlap in most rounds.
  for (uint64_t round = 0; round < 50; ++round) {
    VerifiedTxCache cache;
    PeerChecks checks(&cache, 2, 1 << 20);
    auto txs = SignedTxs(user, round * 100, 64);
    std::promise<void> forward_done;
    std::promise<size_t> cached;
    ASSERT_TRUE(checks.CheckForward(Forward(txs), [&] { forward_done.set_value(); }));
    ASSERT_TRUE(checks.CheckPrePrepare(PrePrepare(txs), [&] {
      size_t n = 0;
      for (const auto& tx : txs) n += cache.Find(TxLeafHash(tx)) ? 1 : 0;
      cached.set_value(n);
    }));
    EXPECT_EQ(cached.get_future().get(), 64u) << "round " << round;
    forward_done.get_future().wait();
  }
}

// Which thread ran a pre-prepare's continuation, once it has run.
std::thread::id ContinuationThread(PeerChecks* checks,
                                   const std::shared_ptr<consensus::SignedMessage>& msg) {
  std::promise<std::thread::id> ran_on;
  EXPECT_TRUE(checks->CheckPrePrepare(msg, [&] { ran_on.set_value(std::this_thread::get_id()); }));
  return ran_on.get_future().get();
}

TEST(PeerChecksTest, ASmallPrePrepareWhoseTransactionsAreCheckedRunsItsContinuationAtOnce) {
  VerifiedTxCache cache;
  PeerChecks checks(&cache, 2, 1 << 20);
  Signer user{PrivateKey::Generate().value(), std::nullopt};
  auto txs = SignedTxs(user, 1, 20);
  std::promise<void> forwarded;
  ASSERT_TRUE(checks.CheckForward(Forward(txs), [&] { forwarded.set_value(); }));
  forwarded.get_future().wait();  // all 20 are in the cache now
  const auto here = std::this_thread::get_id();
  // A few transactions, all checked: no trip through the check threads.
  EXPECT_EQ(ContinuationThread(&checks, PrePrepare({txs.begin(), txs.begin() + 3})), here);
  EXPECT_EQ(ContinuationThread(&checks, PrePrepare({})), here);
  // Too many to hash on the caller's thread, or one not checked yet: the check threads.
  EXPECT_NE(ContinuationThread(&checks, PrePrepare(txs)), here);
  auto fresh = SignedTxs(user, 100, 1);
  EXPECT_NE(ContinuationThread(&checks, PrePrepare({txs[0], fresh[0]})), here);
  EXPECT_NE(cache.Find(TxLeafHash(fresh[0])), nullptr);
}

TEST(PeerChecksTest, StoppedChecksRunNothing) {
  VerifiedTxCache cache;
  PeerChecks checks(&cache, 2, 1 << 20);
  checks.Stop();
  Signer user{PrivateKey::Generate().value(), std::nullopt};
  auto txs = SignedTxs(user, 1, 3);
  bool ran = false;
  EXPECT_FALSE(checks.CheckForward(Forward(txs), [&] { ran = true; }));
  EXPECT_FALSE(checks.CheckPrePrepare(PrePrepare(txs), [&] { ran = true; }));
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace carledger::service
