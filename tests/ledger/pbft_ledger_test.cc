// Four validators, each with its own Ledger on disk, ordering real signed car_trade
// transactions through the pBFT replica with ECDSA-signed messages over an in-process
// message bus: blocks carry real commit certificates that every Ledger checks, a stopped
// validator restarts from its disk and catches up by state transfer, and the validator
// set changes by configuration transaction at an epoch boundary.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>

#include "common/block_format.h"
#include "contracts/samples.h"
#include "ledger/pbft/ledger_app.h"
#include "tests/support/test_network.h"

namespace carledger::pbft {
namespace {

using carledger::testing::CarTradePackage;
using carledger::testing::TempDir;

constexpr int64_t kStartMs = 1772323200000;
constexpr uint64_t kCheckpoint = 4;  // also the ledger's epoch

class Cluster : public ReplicaHost {
 public:
  explicit Cluster(int n) {
    auto ids = CreateNetworkIdentities("PbftNet", {"Org"}, n, kStartMs / 1000);
    EXPECT_TRUE(ids.ok());
    ids_ = std::move(ids).value();
    for (int i = 0; i < n; ++i) {
      nodes_.push_back(std::make_unique<Node>());
      signers_.push_back(ids_.validators[i]);
    }
    auto l0 = Ledger::Open(Dir(0) + "/ledger");
    EXPECT_TRUE(l0.ok());
    auto genesis =
        CommitGenesis(l0.value().get(), ids_, {CarTradePackage()}, kStartMs, kCheckpoint);
    EXPECT_TRUE(genesis.ok()) << genesis.status().ToString();
    genesis_ = genesis.value();
    l0.value().reset();
    for (int i = 0; i < n; ++i) Boot(i);
  }

  struct Node {
    std::unique_ptr<Ledger> ledger;
    std::unique_ptr<LedgerReplicaApp> app;
    std::unique_ptr<EcdsaAuthenticator> auth;
    std::unique_ptr<Replica> replica;
    bool up = false;
  };

  std::string Dir(int i) { return dir_.path() + "/node" + std::to_string(i); }

  void Boot(int i) {
    Node& n = *nodes_[i];
    auto l = Ledger::Open(Dir(i) + "/ledger");
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    n.ledger = std::move(l).value();
    if (n.ledger->height() == 0) {
      ASSERT_TRUE(n.ledger->Commit(genesis_).ok());
    }
    auto app = LedgerReplicaApp::Open(n.ledger.get(), Dir(i) + "/consensus");
    ASSERT_TRUE(app.ok());
    n.app = std::move(app).value();
    // Every validator key this network will ever have (a node learns them from the ledger).
    std::map<std::string, PublicKey> keys;
    for (const auto& s : signers_) keys.emplace(s.id(), s.key.public_key());
    n.auth = std::make_unique<EcdsaAuthenticator>(signers_[i].key, keys);
    ReplicaOptions opt;
    opt.checkpoint_interval = kCheckpoint;
    opt.window = 16;
    opt.max_batch = 10;
    opt.view_timeout_ms = 500;
    opt.retransmit_ms = 50;
    n.replica = std::make_unique<Replica>(signers_[i].id(), opt, n.app.get(), this, n.auth.get());
    ASSERT_TRUE(n.replica->Start().ok());
    n.up = true;
  }

  void Stop(int i) {
    Node& n = *nodes_[i];
    n.up = false;
    n.replica.reset();
    n.app.reset();
    n.ledger.reset();
  }

  void Send(const std::string& to, const MessagePtr& msg) override { queue_.emplace_back(to, msg); }
  int64_t NowMs() override { return now_; }
  void Log(const std::string& line) override { log_.push_back(line); }
  // Log lines containing `text`.
  size_t Logged(const std::string& text) const {
    return static_cast<size_t>(std::count_if(log_.begin(), log_.end(), [&](const std::string& l) {
      return l.find(text) != std::string::npos;
    }));
  }

  // Delivers messages and ticks every node until `done` or 60 simulated seconds pass.
  bool RunUntil(const std::function<bool()>& done) {
    for (int step = 0; step < 60000; ++step) {
      while (!hold_ && !queue_.empty()) {
        auto [to, msg] = queue_.front();
        queue_.pop_front();
        for (size_t i = 0; i < nodes_.size(); ++i) {
          if (nodes_[i]->up && signers_[i].id() == to) nodes_[i]->replica->Receive(*msg);
        }
      }
      if (done()) return true;
      now_ += 1;
      for (auto& n : nodes_) {
        if (n->up) n->replica->Tick();
      }
    }
    return false;
  }

  bool AllCommitted(const std::vector<ledger::TxEnvelope>& txs) {
    for (auto& n : nodes_) {
      if (!n->up) continue;
      for (const auto& tx : txs) {
        auto loc = n->ledger->FindTx(TxId(tx));
        if (!loc.ok() || !loc.value().has_value()) return false;
      }
    }
    return true;
  }

  ledger::TxEnvelope CarTx(int i) {
    Signer seller{PrivateKey::Generate().value(), std::nullopt};
    auto index = static_cast<uint64_t>(i);
    auto tx =
        MakeTransaction(seller, "car_trade", "register_car",
                        SampleCarRegistration(SampleVin("KNAB1N", index), index), index, now_);
    EXPECT_TRUE(tx.ok());
    return tx.value();
  }

  TempDir dir_;
  NetworkIdentities ids_;
  std::vector<Signer> signers_;  // node i's validator identity
  ledger::Block genesis_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::deque<std::pair<std::string, MessagePtr>> queue_;
  std::vector<std::string> log_;  // every replica's Log lines
  bool hold_ = false;             // messages wait in queue_ (a stalled network or slow peers)
  int64_t now_ = kStartMs + 1000;
};

TEST(PbftLedgerTest, FourValidatorsCommitIdenticalCertifiedBlocks) {
  Cluster c(4);
  std::vector<ledger::TxEnvelope> txs;
  for (int i = 0; i < 25; ++i) {
    txs.push_back(c.CarTx(i));
    c.nodes_[i % 4]->replica->Submit({txs.back()});
  }
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(txs); }));
  ASSERT_TRUE(c.RunUntil([&] {
    for (auto& n : c.nodes_) {
      if (n->ledger->height() != c.nodes_[0]->ledger->height()) return false;
    }
    return true;
  }));
  uint64_t h = c.nodes_[0]->ledger->height();
  EXPECT_GE(h, 4u);
  auto validators = c.nodes_[0]->ledger->Validators();
  ASSERT_TRUE(validators.ok());
  for (uint64_t height = 1; height < h; ++height) {
    auto b0 = c.nodes_[0]->ledger->GetBlock(height);
    ASSERT_TRUE(b0.ok());
    EXPECT_TRUE(VerifyCommitCertificate(b0.value(), validators.value()).ok()) << "block " << height;
    for (auto& n : c.nodes_) {
      auto b = n->ledger->GetBlock(height);
      ASSERT_TRUE(b.ok());
      EXPECT_EQ(BlockHash(b->header()), BlockHash(b0->header())) << "block " << height;
    }
  }
  // Every car registration is valid exactly once.
  for (const auto& tx : txs) {
    auto r = c.nodes_[2]->ledger->GetTx(TxId(tx));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->second.code(), ledger::VALID) << r->second.reason();
  }
}

TEST(PbftLedgerTest, StoppedValidatorRestartsFromDiskAndCatchesUp) {
  Cluster c(4);
  std::vector<ledger::TxEnvelope> first, second;
  for (int i = 0; i < 8; ++i) first.push_back(c.CarTx(i));
  c.nodes_[0]->replica->Submit(first);
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(first); }));

  c.Stop(3);  // a follower (validator 0 in fingerprint order is the primary of view 0)
  for (int i = 100; i < 130; ++i) second.push_back(c.CarTx(i));
  c.nodes_[1]->replica->Submit(second);
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(second); }));
  uint64_t target = c.nodes_[0]->ledger->height();

  c.Boot(3);
  ASSERT_TRUE(c.RunUntil([&] { return c.nodes_[3]->ledger->height() >= target; }));
  EXPECT_GT(c.nodes_[3]->replica->counters().blocks_fetched, 0u);
  for (uint64_t h = 0; h < target; ++h) {
    EXPECT_EQ(BlockHash(c.nodes_[3]->ledger->GetBlock(h)->header()),
              BlockHash(c.nodes_[0]->ledger->GetBlock(h)->header()));
  }
}

TEST(PbftLedgerTest, StoppingThePrimaryElectsANewOneAndNothingCommittedIsLost) {
  Cluster c(4);
  std::vector<ledger::TxEnvelope> first, second;
  for (int i = 0; i < 6; ++i) first.push_back(c.CarTx(i));
  c.nodes_[2]->replica->Submit(first);
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(first); }));
  std::string primary = c.nodes_[1]->replica->GetStatus().primary;
  int p = -1;
  for (int i = 0; i < 4; ++i) {
    if (c.ids_.validators[i].id() == primary) p = i;
  }
  ASSERT_GE(p, 0);
  c.Stop(p);
  for (int i = 200; i < 210; ++i) second.push_back(c.CarTx(i));
  int other = (p + 1) % 4;
  c.nodes_[other]->replica->Submit(second);
  bool ok = c.RunUntil([&] { return c.AllCommitted(second); });
  std::string state;
  for (auto& n : c.nodes_) {
    if (n->up) state += n->replica->DebugString() + "\n";
  }
  ASSERT_TRUE(ok) << state;
  EXPECT_NE(c.nodes_[other]->replica->GetStatus().primary, primary);
  EXPECT_TRUE(c.AllCommitted(first));
  // Each view change is logged with its cause: here the silent primary's timeout.
  EXPECT_GE(c.Logged("no block committed for"), 1u) << ::testing::PrintToString(c.log_);
}

TEST(PbftLedgerTest, APrimaryWhoseBackupsAreSlowKeepsItsViewAndCommitsWhenTheyCatchUp) {
  Cluster c(4);
  std::string primary = c.nodes_[0]->replica->GetStatus().primary;
  int p = -1;
  for (int i = 0; i < 4; ++i) {
    if (c.ids_.validators[i].id() == primary) p = i;
  }
  ASSERT_GE(p, 0);
  std::vector<ledger::TxEnvelope> txs;
  for (int i = 0; i < 6; ++i) txs.push_back(c.CarTx(i));
  // Only the primary has the work; its proposals sit unanswered for three view timeouts.
  c.hold_ = true;
  c.nodes_[p]->replica->Submit(txs);
  int64_t until = c.now_ + 1500;  // the view timeout here is 500 ms
  ASSERT_TRUE(c.RunUntil([&] { return c.now_ >= until; }));
  c.hold_ = false;
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(txs); }));
  // The backups were slow, not the primary: nobody left view 0.
  for (auto& n : c.nodes_) EXPECT_EQ(n->replica->view(), 0u) << n->replica->DebugString();
  EXPECT_EQ(c.nodes_[p]->replica->counters().view_changes, 0u);
  EXPECT_EQ(c.Logged("view change"), 0u) << ::testing::PrintToString(c.log_);
}

TEST(PbftLedgerTest, AFifthValidatorJoinsAndARemovedOneStopsVotingAtTheEpochBoundary) {
  Cluster c(4);
  auto fifth = IssueMember(c.ids_.ca, Role::kValidator, "validator4", "Org", kStartMs / 1000);
  ASSERT_TRUE(fifth.ok());
  c.signers_.push_back(*fifth);
  c.nodes_.push_back(std::make_unique<Cluster::Node>());
  // Nodes learn a registered validator's key from the ledger (ClusterNode does this).
  std::map<std::string, PublicKey> keys;
  for (const auto& s : c.signers_) keys.emplace(s.id(), s.key.public_key());
  for (int i = 0; i < 4; ++i) c.nodes_[i]->auth->SetValidators(keys);
  // Remove the primary of view 0, so the new set must also elect a new leader.
  std::string primary = c.nodes_[0]->replica->GetStatus().primary;
  int removed = -1;
  for (int i = 0; i < 4; ++i) {
    if (c.signers_[i].id() == primary) removed = i;
  }
  ASSERT_GE(removed, 0);
  int submitter = (removed + 1) % 4;

  Json add = Json::MakeObject();
  add["cert"] = ToHex(fifth->certificate->der());
  Json revoke = Json::MakeObject();
  revoke["id"] = primary;
  revoke["reason"] = "decommissioned";
  std::vector<ledger::TxEnvelope> config = {
      MakeTransaction(c.ids_.admins[0], "_msp", "register", add, 1, c.now_).value(),
      MakeTransaction(c.ids_.admins[0], "_msp", "revoke", revoke, 2, c.now_).value()};
  c.nodes_[submitter]->replica->Submit(config);
  ASSERT_TRUE(c.RunUntil([&] { return c.AllCommitted(config); }));
  for (const auto& tx : config) {
    EXPECT_EQ(c.nodes_[submitter]->ledger->GetTx(TxId(tx))->second.code(), ledger::VALID);
  }
  uint64_t config_height = c.nodes_[submitter]->ledger->height() - 1;
  uint64_t boundary = (config_height + kCheckpoint - 1) / kCheckpoint * kCheckpoint;

  // The new validator starts from genesis and catches up from the members.
  c.Boot(4);
  std::vector<ledger::TxEnvelope> after;
  for (int i = 300; i < 340; ++i) after.push_back(c.CarTx(i));
  c.nodes_[submitter]->replica->Submit(after);
  std::vector<int> members;
  for (int i = 0; i < 5; ++i) {
    if (i != removed) members.push_back(i);
  }
  bool ok = c.RunUntil([&] {
    for (int i : members) {
      for (const auto& tx : after) {
        auto loc = c.nodes_[i]->ledger->FindTx(TxId(tx));
        if (!loc.ok() || !loc.value()) return false;
      }
    }
    return true;
  });
  std::string state;
  for (auto& n : c.nodes_) {
    state += n->replica->DebugString() + " rejected " +
             std::to_string(n->replica->counters().rejected_messages) + " fetched " +
             std::to_string(n->replica->counters().blocks_fetched) + " fetch failures " +
             std::to_string(n->replica->counters().fetch_failures) + " peers";
    for (const auto& p : n->replica->GetStatus().peers)
      state += " " + p.id.substr(0, 6) + "@" + std::to_string(p.height);
    state += "\n";
  }
  ASSERT_TRUE(ok) << state;
  // Now a member with the others, the new validator orders and votes.
  std::vector<ledger::TxEnvelope> later;
  for (int i = 400; i < 420; ++i) later.push_back(c.CarTx(i));
  c.nodes_[4]->replica->Submit(later);
  ASSERT_TRUE(c.RunUntil([&] {
    for (int i : members) {
      for (const auto& tx : later) {
        auto loc = c.nodes_[i]->ledger->FindTx(TxId(tx));
        if (!loc.ok() || !loc.value()) return false;
      }
    }
    return true;
  }));

  const Ledger& ledger = *c.nodes_[4]->ledger;
  uint64_t h = ledger.height();
  ASSERT_GT(h, boundary + 1);
  auto new_set = ledger.ValidatorsFor(boundary + 1);
  ASSERT_TRUE(new_set.ok());
  EXPECT_EQ(new_set->size(), 4u);
  EXPECT_EQ(new_set->count(primary), 0u);
  EXPECT_EQ(new_set->count(fifth->id()), 1u);
  EXPECT_GT(c.nodes_[submitter]->replica->counters().validator_set_changes, 0u);
  EXPECT_NE(c.nodes_[submitter]->replica->GetStatus().primary, primary);
  size_t fifth_signed = 0;
  for (uint64_t height = boundary + 1; height < h; ++height) {
    auto b = ledger.GetBlock(height);
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(VerifyCommitCertificate(*b, *new_set).ok()) << "block " << height;
    for (const auto& sig : b->certificate().signatures()) {
      EXPECT_NE(sig.validator(), primary) << "the removed validator voted on block " << height;
      fifth_signed += sig.validator() == fifth->id() ? 1 : 0;
    }
    // Every member holds the same block.
    for (int i : members) {
      EXPECT_EQ(BlockHash(c.nodes_[i]->ledger->GetBlock(height)->header()), BlockHash(b->header()));
    }
  }
  EXPECT_GT(fifth_signed, 0u) << "the new validator never voted";
  // The removed validator knows it is out.
  EXPECT_EQ(c.nodes_[removed]->replica->GetStatus().height, boundary + 1);
}

// Proof files of the format before slot files are still read at start, and each is removed
// once the stable checkpoint passes it, also after a trim that had to leave one behind.
TEST(PbftLedgerTest, OldFormatProofFilesAreReadAndRemovedOnceTrimmed) {
  TempDir dir;
  auto ledger = Ledger::Open(dir.path() + "/ledger");
  ASSERT_TRUE(ledger.ok());
  const std::string consensus = dir.path() + "/consensus";
  std::filesystem::create_directories(consensus);
  for (const char* name : {"prepared-5.pb", "prepared-40.pb"}) {
    std::ofstream(consensus + "/" + name) << consensus::PreparedProof().SerializeAsString();
  }
  auto app = LedgerReplicaApp::Open(ledger->get(), consensus);
  ASSERT_TRUE(app.ok());
  auto disk = (*app)->LoadDisk();
  ASSERT_TRUE(disk.ok());
  EXPECT_EQ(disk->prepared_size(), 2);
  ASSERT_TRUE((*app)->TrimPrepared(16).ok());
  EXPECT_FALSE(std::filesystem::exists(consensus + "/prepared-5.pb"));
  EXPECT_TRUE(std::filesystem::exists(consensus + "/prepared-40.pb"));
  ASSERT_TRUE((*app)->TrimPrepared(48).ok());
  EXPECT_FALSE(std::filesystem::exists(consensus + "/prepared-40.pb"));
}

}  // namespace
}  // namespace carledger::pbft
