// ledger/network and ledger/solo_orderer: identities, genesis, quorum certificates.
#include "ledger/network.h"

#include <gtest/gtest.h>

#include "common/block_format.h"
#include "ledger/solo_orderer.h"
#include "ledger/system_contracts.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::TempDir;

constexpr int64_t kNowMs = 1772323200000;

TEST(NetworkTest, CreateNetworkIdentities) {
  auto ids = CreateNetworkIdentities("Net", {"OrgA", "OrgB"}, 4, kNowMs / 1000);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(ids->ca.certificate->role(), Role::kCa);
  ASSERT_EQ(ids->admins.size(), 2u);
  EXPECT_EQ(ids->admins[1].certificate->organization(), "OrgB");
  EXPECT_EQ(ids->admins[1].certificate->role(), Role::kAdmin);
  ASSERT_EQ(ids->validators.size(), 4u);
  for (const auto& v : ids->validators) {
    EXPECT_EQ(v.certificate->role(), Role::kValidator);
    EXPECT_TRUE(VerifyCertificate(*ids->ca.certificate, *v.certificate, kNowMs / 1000).ok());
    EXPECT_EQ(v.id(), v.certificate->public_key().Fingerprint());
  }
  // Backdated an hour for clock skew.
  EXPECT_EQ(ids->ca.certificate->not_before(), kNowMs / 1000 - 3600);
  EXPECT_FALSE(CreateNetworkIdentities("Net", {}, 1, kNowMs / 1000).ok());
  EXPECT_FALSE(CreateNetworkIdentities("Net", {"A"}, 0, kNowMs / 1000).ok());
  Signer no_cert{*PrivateKey::Generate(), std::nullopt};
  EXPECT_FALSE(IssueMember(no_cert, Role::kAgency, "x", "o", kNowMs / 1000).ok());
}

TEST(NetworkTest, GenesisRecordsMembersAndIsOnlyOnce) {
  auto ids = CreateNetworkIdentities("Net", {"OrgA"}, 4, kNowMs / 1000);
  ASSERT_TRUE(ids.ok());
  TempDir dir;
  auto ledger = Ledger::Open(dir.path());
  ASSERT_TRUE(ledger.ok());
  auto g = CommitGenesis(ledger->get(), *ids,
                         {{"ping", "1", "return { f = function() return {} end }"}}, kNowMs);
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(g->header().height(), 0u);
  EXPECT_EQ(g->certificate().signatures_size(), 4);
  EXPECT_EQ((*ledger)->height(), 1u);
  EXPECT_EQ((*ledger)->Validators()->size(), 4u);
  auto root = (*ledger)->GetState(kRootCaKey);
  ASSERT_TRUE(root.ok() && root->has_value());
  EXPECT_EQ(**root, ids->ca.certificate->der());
  EXPECT_EQ(CommitGenesis(ledger->get(), *ids, {}, kNowMs).status().code(),
            StatusCode::kFailedPrecondition);
  // A genesis that would fail is never committed.
  TempDir dir2;
  auto l2 = Ledger::Open(dir2.path());
  auto bad = CommitGenesis(l2->get(), *ids, {{"broken", "1", "return {"}}, kNowMs);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*l2)->height(), 0u);
  // _genesis.init signed by anyone but the CA is rejected.
  auto not_ca = MakeGenesisTx(ids->admins[0], {}, {}, kNowMs);
  ASSERT_TRUE(not_ca.ok());
  auto block = (*l2)->Propose({*not_ca}, kNowMs, "p");
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->results(0).code(), ledger::REJECTED);
}

TEST(NetworkTest, QuorumSizes) {
  EXPECT_EQ(QuorumSize(1), 1u);
  EXPECT_EQ(QuorumSize(2), 2u);
  EXPECT_EQ(QuorumSize(3), 2u);  // f = 0, but two quorums must still overlap
  EXPECT_EQ(QuorumSize(4), 3u);
  EXPECT_EQ(QuorumSize(5), 4u);  // 2f+1 = 3 would let two quorums share only one (faulty) node
  EXPECT_EQ(QuorumSize(6), 4u);
  EXPECT_EQ(QuorumSize(7), 5u);
  EXPECT_EQ(QuorumSize(10), 7u);
  // Any two quorums share at least f+1 validators, so at least one honest one.
  for (size_t n = 1; n <= 40; ++n) {
    size_t f = (n - 1) / 3;
    EXPECT_GE(2 * QuorumSize(n), n + f + 1) << n;
    EXPECT_LE(QuorumSize(n), n - f) << n;  // and f silent validators cannot stop it
  }
}

// A block at height 5 and the four validators of a network that may sign it.
class CommitCertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = CreateNetworkIdentities("Net", {"OrgA"}, 4, kNowMs / 1000);
    ASSERT_TRUE(made.ok());
    ids_ = std::move(made).value();
    for (const auto& v : ids_.validators) set_.emplace(v.id(), v.key.public_key());
    block_.mutable_header()->set_height(5);
  }
  void Sign(const PrivateKey& k) {
    *block_.mutable_certificate()->add_signatures() = *SignCommit(block_.header(), k);
  }
  void SignForged(const PrivateKey& k) {
    auto forged = *SignCommit(block_.header(), k);
    (*forged.mutable_signature())[7] ^= 1;
    *block_.mutable_certificate()->add_signatures() = forged;
  }
  NetworkIdentities ids_;
  ValidatorSet set_;
  ledger::Block block_;
};

TEST_F(CommitCertificateTest, NeedsDistinctValidSignatures) {
  Sign(ids_.validators[0].key);
  Sign(ids_.validators[0].key);  // duplicate
  Sign(ids_.admins[0].key);      // not a validator
  Status two_short = VerifyCommitCertificate(block_, set_);
  EXPECT_EQ(two_short.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(two_short.message().find("1 valid validator signatures, 3 of 4"), std::string::npos)
      << two_short.message();
  EXPECT_NE(two_short.message().find("not a validator"), std::string::npos);
  Sign(ids_.validators[1].key);
  SignForged(ids_.validators[2].key);
  EXPECT_FALSE(VerifyCommitCertificate(block_, set_).ok());
  Sign(ids_.validators[3].key);
  EXPECT_TRUE(VerifyCommitCertificate(block_, set_).ok());
  // A signature over another header does not count.
  ledger::Block other = block_;
  other.mutable_header()->set_height(6);
  EXPECT_FALSE(VerifyCommitCertificate(other, set_).ok());
  EXPECT_FALSE(VerifyCommitCertificate(block_, {}).ok());
}

TEST_F(CommitCertificateTest, SignaturesCheckedByTheCallerStillNeedAQuorumOfValidators) {
  constexpr auto kChecked = CertificateSignatures::kCheckedByCaller;
  Sign(ids_.validators[0].key);
  Sign(ids_.validators[0].key);  // the same signer twice counts once
  Sign(ids_.admins[0].key);      // not a validator, however good the signature
  Status short_of_quorum = VerifyCommitCertificate(block_, set_, kChecked);
  EXPECT_EQ(short_of_quorum.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(short_of_quorum.message().find("1 valid validator signatures, 3 of 4"),
            std::string::npos)
      << short_of_quorum.message();
  Sign(ids_.validators[1].key);
  SignForged(ids_.validators[2].key);
  // The caller vouched for the signatures, so only membership and the count are checked;
  // the same certificate checked in full is refused.
  EXPECT_TRUE(VerifyCommitCertificate(block_, set_, kChecked).ok());
  EXPECT_FALSE(VerifyCommitCertificate(block_, set_).ok());
}

TEST(SoloOrdererTest, CommitsWithEnoughKeysOnly) {
  auto ids = CreateNetworkIdentities("Net", {"OrgA"}, 4, kNowMs / 1000);
  ASSERT_TRUE(ids.ok());
  TempDir dir;
  auto ledger = std::move(Ledger::Open(dir.path())).value();
  ASSERT_TRUE(CommitGenesis(ledger.get(), *ids, {}, kNowMs).ok());
  Signer user{*PrivateKey::Generate(), std::nullopt};
  auto tx = *MakeTransaction(user, "nothing", "f", Json::MakeObject(), 1, kNowMs);

  SoloOrderer none(ledger.get(), {});
  EXPECT_EQ(none.CommitBatch({tx}, kNowMs + 1).status().code(), StatusCode::kFailedPrecondition);
  SoloOrderer two(ledger.get(), {ids->validators[0].key, ids->validators[1].key});
  EXPECT_FALSE(two.CommitBatch({tx}, kNowMs + 1).ok());
  EXPECT_EQ(ledger->height(), 1u);
  SoloOrderer three(ledger.get(),
                    {ids->validators[0].key, ids->validators[1].key, ids->validators[2].key});
  auto block = three.CommitBatch({tx}, kNowMs + 1);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  EXPECT_EQ(block->header().height(), 1u);
  EXPECT_EQ(block->header().prev_hash(), BlockHash(ledger->GetBlock(0)->header()));
  EXPECT_EQ(block->results(0).code(), ledger::REJECTED);  // no such contract, but recorded
  EXPECT_EQ(ledger->height(), 2u);
  // Time may not go backwards.
  EXPECT_FALSE(three.CommitBatch({}, kNowMs).ok());
}

}  // namespace
}  // namespace carledger
