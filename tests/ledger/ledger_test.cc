// Ledger: genesis, propose/commit, certificates, duplicates, timestamps, restart.
#include "ledger/ledger.h"

#include <gtest/gtest.h>

#include "common/block_format.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::Describe;
using testing::TestNetwork;

ContractPackage PingContract() {
  return {"ping", "1", R"(
local M = {}
function M.put(a) ledger.put(a.k, a.v) return { ok = true } end
function M.get(a) return { v = ledger.get(a.k) } end
function M.fail(a) ledger.reject("no: " .. a.why) end
return M
)"};
}

Json Args(std::initializer_list<std::pair<const std::string, Json>> kv) {
  return Json(Json::Object(kv));
}

TEST(LedgerTest, GenesisRegistersMembersAndContracts) {
  TestNetwork net(4, {PingContract()});
  EXPECT_EQ(net.ledger().height(), 1u);
  auto validators = net.ledger().Validators();
  ASSERT_TRUE(validators.ok());
  EXPECT_EQ(validators->size(), 4u);
  auto active = net.ledger().GetState("_lc/active/ping");
  ASSERT_TRUE(active.ok() && active->has_value());
}

TEST(LedgerTest, CommittedWritesAreVisibleAndIndexed) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto tx = net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}));
  auto results = net.CommitBlock({tx});
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].code(), ledger::VALID) << Describe(results[0]);
  auto v = net.ledger().GetState("c/ping/a");
  ASSERT_TRUE(v.ok() && v->has_value());
  EXPECT_EQ(**v, "1");
  auto loc = net.ledger().FindTx(TxId(tx));
  ASSERT_TRUE(loc.ok() && loc->has_value());
  EXPECT_EQ((*loc)->height, 1u);
  auto hist = net.ledger().History("c/ping/a", 0, 10);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->size(), 1u);
  EXPECT_EQ((*hist)[0].tx_id, TxId(tx));
}

TEST(LedgerTest, ReplayedTransactionIsRejectedAsDuplicate) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto tx = net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}));
  EXPECT_EQ(net.CommitBlock({tx})[0].code(), ledger::VALID);
  auto again = net.CommitBlock({tx});
  EXPECT_EQ(again[0].code(), ledger::DUPLICATE_TX) << Describe(again[0]);
  auto twice = net.CommitBlock({net.Tx(user, "ping", "put", Args({{"k", "b"}, {"v", "2"}}))});
  EXPECT_EQ(twice[0].code(), ledger::VALID);
}

TEST(LedgerTest, TimestampOutsideWindowIsRejected) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto tx = net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}));
  net.Advance(11 * 60 * 1000);
  auto r = net.CommitBlock({tx});
  EXPECT_EQ(r[0].code(), ledger::BAD_TIMESTAMP) << Describe(r[0]);
  EXPECT_NE(r[0].reason().find("window"), std::string::npos);
}

TEST(LedgerTest, ForgedSignatureIsRejected) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto tx = net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}));
  (*tx.mutable_signature())[5] ^= 1;
  auto r = net.CommitBlock({tx});
  EXPECT_EQ(r[0].code(), ledger::BAD_SIGNATURE) << Describe(r[0]);
  auto v = net.ledger().GetState("c/ping/a");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->has_value());
}

TEST(LedgerTest, RejectedTransactionLeavesNoWrites) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto r = net.CommitBlock({net.Tx(user, "ping", "fail", Args({{"why", "because"}}))});
  EXPECT_EQ(r[0].code(), ledger::REJECTED);
  EXPECT_EQ(r[0].reason(), "no: because");
}

TEST(LedgerTest, CommitRequiresQuorumCertificate) {
  TestNetwork net(4, {PingContract()});
  auto user = net.NewUser();
  auto block = net.ledger().Propose({net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}))},
                                    net.now_ms() + 1, "x");
  ASSERT_TRUE(block.ok());
  // n = 4 -> f = 1 -> 3 signatures needed; two is not enough.
  for (int i = 0; i < 2; ++i) {
    auto sig = SignCommit(block->header(), net.ids().validators[static_cast<size_t>(i)].key);
    ASSERT_TRUE(sig.ok());
    *block->mutable_certificate()->add_signatures() = *sig;
  }
  Status st = net.ledger().Commit(*block);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("2 valid validator signatures, 3 of 4"), std::string::npos)
      << st.message();
  // A duplicate signature from the same validator does not count twice.
  *block->mutable_certificate()->add_signatures() = block->certificate().signatures(0);
  EXPECT_FALSE(net.ledger().Commit(*block).ok());
  auto third = SignCommit(block->header(), net.ids().validators[2].key);
  *block->mutable_certificate()->add_signatures() = *third;
  EXPECT_TRUE(net.ledger().Commit(*block).ok());
  EXPECT_EQ(net.ledger().height(), 2u);
}

TEST(LedgerTest, TamperedResultIsRefusedOnCommit) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  auto block = net.ledger().Propose({net.Tx(user, "ping", "fail", Args({{"why", "x"}}))},
                                    net.now_ms() + 1, "x");
  ASSERT_TRUE(block.ok());
  block->mutable_results(0)->set_code(ledger::VALID);
  block->mutable_results(0)->clear_reason();
  block->mutable_header()->set_results_hash(ResultsHash(*block));
  *block->mutable_certificate()->add_signatures() =
      *SignCommit(block->header(), net.ids().validators[0].key);
  Status st = net.ledger().Commit(*block);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("transaction 0"), std::string::npos) << st.message();
}

TEST(LedgerTest, StateSurvivesRestart) {
  TestNetwork net(1, {PingContract()});
  auto user = net.NewUser();
  net.CommitBlock({net.Tx(user, "ping", "put", Args({{"k", "a"}, {"v", "1"}}))});
  std::string hash = net.ledger().state().state_hash();
  net.Reopen();
  EXPECT_EQ(net.ledger().height(), 2u);
  EXPECT_EQ(net.ledger().state().state_hash(), hash);
  EXPECT_EQ(**net.ledger().GetState("c/ping/a"), "1");
}

// A certified block from elsewhere (state transfer): the certificate is checked before
// anything runs, it vouches for the client signatures, and everything else is re-executed.
class CertifiedBlockTest : public ::testing::Test {
 protected:
  CertifiedBlockTest() : net_(4, {PingContract()}) {
    auto l = Ledger::Open(follower_dir_.path());
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    follower_ = std::move(l).value();
    EXPECT_TRUE(follower_->Commit(*net_.ledger().GetBlock(0)).ok());
  }
  // The block the network proposes for `txs`, certified by `signers` validators.
  ledger::Block Certified(const std::vector<ledger::TxEnvelope>& txs, int signers = 3) {
    auto block = net_.ledger().Propose(txs, net_.now_ms() + 1, "x");
    EXPECT_TRUE(block.ok()) << block.status().ToString();
    Recertify(&*block, signers);
    return *block;
  }
  // What a quorum (or, with fewer signers, a minority) would sign after `block` changed.
  void Recertify(ledger::Block* block, int signers = 3) {
    block->mutable_header()->set_tx_root(TxRoot(*block));
    block->mutable_header()->set_results_hash(ResultsHash(*block));
    block->clear_certificate();
    for (int i = 0; i < signers; ++i) {
      *block->mutable_certificate()->add_signatures() =
          *SignCommit(block->header(), net_.ids().validators[static_cast<size_t>(i)].key);
    }
  }
  ledger::TxEnvelope Put(const Signer& who, const std::string& k) {
    return net_.Tx(who, "ping", "put", Args({{"k", k}, {"v", "1"}}));
  }

  TestNetwork net_;
  testing::TempDir follower_dir_;
  std::unique_ptr<Ledger> follower_;
};

TEST_F(CertifiedBlockTest, ABadSignatureTheBlockRecordsIsCheckedAndReproduced) {
  auto user = net_.NewUser();
  auto forged = Put(user, "forged");
  (*forged.mutable_signature())[5] ^= 1;
  auto block = Certified({Put(user, "good"), forged});
  ASSERT_EQ(block.results(1).code(), ledger::BAD_SIGNATURE);
  ASSERT_TRUE(net_.ledger().Commit(block).ok());
  Status st = follower_->Commit(block);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(follower_->state().state_hash(), net_.ledger().state().state_hash());
  EXPECT_TRUE(follower_->GetState("c/ping/good")->has_value());
  EXPECT_FALSE(follower_->GetState("c/ping/forged")->has_value());
}

TEST_F(CertifiedBlockTest, CertifiedResultsVouchForSignaturesButNotForExecution) {
  auto user = net_.NewUser();
  auto forged = Put(user, "forged");
  (*forged.mutable_signature())[5] ^= 1;
  auto block = Certified({forged});
  // Only a quorum can claim a bad signature was good; the claim does not carry the
  // execution with it: the follower runs the transaction, its write is not in the
  // header's state hash, and the block is refused.
  block.mutable_results(0)->set_code(ledger::VALID);
  block.mutable_results(0)->clear_reason();
  Recertify(&block);
  Status st = follower_->Commit(block);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_EQ(follower_->height(), 1u);

  // A signature the quorum certified is not checked again: this block's results and
  // state hash are what its transaction's execution gives, so it is taken as it is.
  auto vouched = Certified({Put(user, "vouched")});
  (*vouched.mutable_transactions(0)->mutable_signature())[5] ^= 1;
  Recertify(&vouched);
  st = follower_->Commit(vouched);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_TRUE(follower_->GetState("c/ping/vouched")->has_value());
}

TEST_F(CertifiedBlockTest, TheCertificateIsCheckedBeforeAnythingRuns) {
  auto user = net_.NewUser();
  // Two signatures of four, and a result that execution would also contradict: the
  // certificate is what is reported, so nothing was executed for a block no quorum signed.
  auto block = Certified({net_.Tx(user, "ping", "fail", Args({{"why", "x"}}))}, 2);
  block.mutable_results(0)->set_code(ledger::VALID);
  block.mutable_results(0)->clear_reason();
  Recertify(&block, 2);
  Status st = follower_->Commit(block);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("2 valid validator signatures, 3 of 4"), std::string::npos)
      << st.message();
  EXPECT_EQ(follower_->height(), 1u);
}

}  // namespace
}  // namespace carledger
