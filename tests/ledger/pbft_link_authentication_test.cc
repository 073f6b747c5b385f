// Which messages a replica takes unsigned: only those never forwarded as proof, and only
// from the validator its host's link authenticated (Replica::Receive's `link`); and which
// it sends unsigned when its links authenticate it (ReplicaOptions::authenticated_links).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/pbft_sim_app.h"

namespace carledger::pbft {
namespace {

using sim::MemoryApp;
using sim::SimAuth;
using sim::SimDisk;

const std::vector<std::string> kValidators = {"v0", "v1", "v2", "v3"};

// Replica v1 (a backup in view 0) with its own app and keyed-hash signatures; what it
// sends is kept.
class OneReplica : public ReplicaHost {
 public:
  explicit OneReplica(bool authenticated_links) {
    for (const auto& v : kValidators) secrets_[v] = Sha256("secret-" + v);
    for (const auto& v : kValidators) auths_.emplace(v, SimAuth(v, &secrets_));
    disk_.blocks.push_back(sim::Genesis());
    app_ = std::make_unique<MemoryApp>(&disk_, kValidators, 4, &auths_.at("v1"), false,
                                       [](const ledger::Block&) {});
    ReplicaOptions o;
    o.checkpoint_interval = 4;
    o.retransmit_ms = 50;
    o.authenticated_links = authenticated_links;
    replica_ = std::make_unique<Replica>("v1", o, app_.get(), this, &auths_.at("v1"));
    EXPECT_TRUE(replica_->Start().ok());
  }

  void Send(const std::string& to, const MessagePtr& msg) override { sent_.emplace_back(to, msg); }
  int64_t NowMs() override { return now_; }

  // A status from `sender` claiming `height`, signed by `sender` or not.
  MessagePtr StatusFrom(const std::string& sender, uint64_t height, bool sign) {
    consensus::Message body;
    body.mutable_status()->set_height(height);
    return sign ? SignMessage(sender, body, &auths_.at(sender)) : UnsignedMessage(sender, body);
  }

  // The height `peer` last reported to the replica (0 if none was taken).
  uint64_t HeightOf(const std::string& peer) const {
    for (const auto& p : replica_->GetStatus().peers) {
      if (p.id == peer) return p.height;
    }
    return 0;
  }

  uint64_t Rejected() const { return replica_->counters().rejected_messages; }

  std::map<std::string, Bytes> secrets_;
  std::map<std::string, SimAuth> auths_;
  SimDisk disk_;
  std::unique_ptr<MemoryApp> app_;
  std::unique_ptr<Replica> replica_;
  std::vector<std::pair<std::string, MessagePtr>> sent_;
  int64_t now_ = 1000;
};

TEST(PbftLinkAuthenticationTest, AnUnsignedMessageIsTakenFromItsSendersOwnLink) {
  OneReplica r(false);
  r.replica_->Receive(*r.StatusFrom("v2", 7, /*sign=*/false), "v2");
  EXPECT_EQ(r.HeightOf("v2"), 7u);
  EXPECT_EQ(r.Rejected(), 0u);
}

TEST(PbftLinkAuthenticationTest, AnUnsignedMessageFromAnotherLinkOrAnUnknownOneIsRefused) {
  OneReplica r(false);
  // v3 relaying (or forging) v2's unsigned status: v3's link does not vouch for v2.
  r.replica_->Receive(*r.StatusFrom("v2", 7, /*sign=*/false), "v3");
  EXPECT_EQ(r.Rejected(), 1u);
  // A host that cannot say who sent it.
  r.replica_->Receive(*r.StatusFrom("v2", 8, /*sign=*/false));
  EXPECT_EQ(r.Rejected(), 2u);
  EXPECT_EQ(r.HeightOf("v2"), 0u);
  // Signed, the same status is good whichever link carried it.
  r.replica_->Receive(*r.StatusFrom("v2", 9, /*sign=*/true), "v3");
  EXPECT_EQ(r.HeightOf("v2"), 9u);
  EXPECT_EQ(r.Rejected(), 2u);
}

TEST(PbftLinkAuthenticationTest, WhatTravelsInsideProofsMustBeSignedOnAnyLink) {
  OneReplica r(false);
  consensus::Message prepare;
  prepare.mutable_prepare()->set_view(0);
  prepare.mutable_prepare()->set_seq(2);
  prepare.mutable_prepare()->set_digest(Sha256("batch"));
  r.replica_->Receive(*UnsignedMessage("v2", prepare), "v2");
  EXPECT_EQ(r.Rejected(), 1u);

  consensus::Message view_change;
  view_change.mutable_view_change()->set_new_view(1);
  r.replica_->Receive(*UnsignedMessage("v2", view_change), "v2");
  EXPECT_EQ(r.Rejected(), 2u);
  EXPECT_EQ(r.replica_->view(), 0u);
}

TEST(PbftLinkAuthenticationTest, LinkAuthenticableCoversExactlyTheMessagesNeverUsedAsProof) {
  // Every kind of message there is (a kind added later must be placed here on purpose).
  const std::set<std::string> unsigned_ok = {"commit", "block_vote",   "forward",
                                             "status", "fetch_blocks", "block_batch"};
  const auto* body = consensus::Message::descriptor()->FindOneofByName("body");
  ASSERT_NE(body, nullptr);
  ASSERT_EQ(body->field_count(), 10);
  for (int i = 0; i < body->field_count(); ++i) {
    consensus::Message m;
    m.GetReflection()->MutableMessage(&m, body->field(i));
    EXPECT_EQ(LinkAuthenticable(m), unsigned_ok.count(body->field(i)->name()) > 0)
        << body->field(i)->name();
  }
}

// The status a replica broadcasts on its timer: unsigned only when its links authenticate
// it.
std::vector<MessagePtr> StatusesSent(bool authenticated_links) {
  OneReplica r(authenticated_links);
  r.now_ += 200;  // past the retransmission interval
  r.replica_->Tick();
  std::vector<MessagePtr> out;
  for (const auto& [to, msg] : r.sent_) {
    consensus::Message body;
    if (ParseMessage(*msg, &body) && body.has_status()) out.push_back(msg);
  }
  return out;
}

TEST(PbftLinkAuthenticationTest, AReplicaSignsWhatNeedsNoProofOnlyWhenItsLinksDoNotVouch) {
  auto plain = StatusesSent(false);
  ASSERT_EQ(plain.size(), 3u);  // to each other validator
  for (const auto& m : plain) EXPECT_FALSE(m->signature().empty());
  auto linked = StatusesSent(true);
  ASSERT_EQ(linked.size(), 3u);
  for (const auto& m : linked) EXPECT_TRUE(m->signature().empty());
}

}  // namespace
}  // namespace carledger::pbft
