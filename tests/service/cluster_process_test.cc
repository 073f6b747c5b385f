// Real carledger-node processes on loopback (4 validators and an observer, mutual TLS,
// fsynced blocks): commits under load, kill -9 of a follower and then of the leader with
// nothing committed lost, restarts that catch up, and a tampered block file that the
// node refuses to serve and repairs from its peers, and validator-set changes: a fifth
// validator joins by configuration transaction and a removed one stops voting.
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "common/block_format.h"
#include "contracts/samples.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"
#include "tests/support/test_network.h"

namespace carledger::service {
namespace {

using carledger::testing::TempDir;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<ledger::TxEnvelope> CarRegistrations(int first, int count) {
  std::vector<ledger::TxEnvelope> txs;
  Signer seller{PrivateKey::Generate().value(), std::nullopt};
  for (int i = first; i < first + count; ++i) {
    auto index = static_cast<uint64_t>(i);
    txs.push_back(MakeTransaction(seller, "car_trade", "register_car",
                                  SampleCarRegistration(SampleVin("KNAC2N", index), index), index,
                                  NowMs())
                      .value());
  }
  return txs;
}

class ClusterProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LocalClusterOptions o;
    o.dir = tmp_.path() + "/net";
    o.node_binary = CARLEDGER_NODE;
    o.cli_binary = CARLEDGER_CLI;
    o.validators = 4;
    o.observers = 1;
    o.node_args = {"--batch", "200"};
    o.init_args = {"--epoch", "8"};
    auto c = LocalCluster::Create(o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = std::move(c).value();
    Status started = cluster_->StartAll();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  void ExpectAllValid(const std::string& via, const std::vector<ledger::TxEnvelope>& txs) {
    auto stub = cluster_->Stub(via);
    auto r = SubmitAndWait(stub.get(), txs);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const auto& s : r.value()) EXPECT_EQ(s.code(), ledger::VALID) << s.reason();
  }

  uint64_t Height(const std::string& name) {
    auto s = cluster_->NodeStatus(name);
    return s.ok() ? s->height() : 0;
  }

  bool WaitHeight(const std::string& name, uint64_t h, int timeout_ms = 30000) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
      if (Height(name) >= h) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  Bytes BlockHashAt(const std::string& name, uint64_t h) {
    auto stub = cluster_->Stub(name);
    grpc::ClientContext ctx;
    cluster::GetBlocksRequest req;
    req.set_from_height(h);
    req.set_max_blocks(1);
    cluster::GetBlocksReply reply;
    if (!stub->GetBlocks(&ctx, req, &reply).ok() || reply.blocks_size() == 0) return "";
    return BlockHash(reply.blocks(0).header());
  }

  // Submits small batches through `via` until its height reaches `h`.
  void DriveTo(const std::string& via, uint64_t h, int* next_car) {
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (Height(via) < h && std::chrono::steady_clock::now() < until) {
      ExpectAllValid(via, CarRegistrations(*next_car, 10));
      *next_car += 10;
    }
    ASSERT_GE(Height(via), h) << via << " did not reach height " << h;
  }

  // The validators whose signatures certify block `h`, as `name` stores it.
  std::set<std::string> Signers(const std::string& name, uint64_t h) {
    auto stub = cluster_->Stub(name);
    grpc::ClientContext ctx;
    cluster::GetBlocksRequest req;
    req.set_from_height(h);
    req.set_max_blocks(1);
    cluster::GetBlocksReply reply;
    std::set<std::string> out;
    if (!stub->GetBlocks(&ctx, req, &reply).ok() || reply.blocks_size() == 0) return out;
    for (const auto& s : reply.blocks(0).certificate().signatures()) out.insert(s.validator());
    return out;
  }

  TempDir tmp_;
  std::unique_ptr<LocalCluster> cluster_;
};

TEST_F(ClusterProcessTest, AFifthValidatorJoinsAndARemovedOneStopsVoting) {
  constexpr uint64_t kEpoch = 8;
  int car = 0;
  DriveTo("node0", 3, &car);
  std::string out;
  ASSERT_EQ(cluster_->RunCli({"add-validator"}, &out), 0) << out;
  ASSERT_NE(out.find("node4"), std::string::npos) << out;
  ASSERT_TRUE(cluster_->Reload().ok());
  ASSERT_TRUE(cluster_->Start("node4").ok());
  ASSERT_TRUE(cluster_->WaitReady("node4"));
  std::string fifth = cluster_->IdOf("node4");
  ASSERT_FALSE(fifth.empty());

  // Past the boundary the new set (5 validators) orders; node4 caught up as a follower,
  // then votes: the blocks it executes itself carry its signature.
  uint64_t joined = (Height("node0") / kEpoch + 1) * kEpoch;
  DriveTo("node0", joined + 2, &car);
  ASSERT_TRUE(WaitHeight("node4", joined + 1));
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  bool voted = false;
  uint64_t from = joined + 1;
  while (!voted && std::chrono::steady_clock::now() < until) {
    ExpectAllValid("node4", CarRegistrations(car, 10));
    car += 10;
    for (uint64_t h = from; h < Height("node4"); ++h)
      voted = voted || Signers("node4", h).count(fifth);
  }
  ASSERT_TRUE(voted) << "node4 never signed a block";
  auto st = cluster_->NodeStatus("node4");
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->leader().empty()) << "node4 runs no replica";

  // Remove node1: from the next boundary on, its signature certifies nothing, commits go
  // on, and node1 keeps following as an observer.
  std::string removed = cluster_->IdOf("node1");
  ASSERT_EQ(cluster_->RunCli({"remove-validator", "--name", "node1", "--reason", "retired"}, &out),
            0)
      << out;
  uint64_t left = (Height("node0") / kEpoch + 1) * kEpoch;
  DriveTo("node2", left + 6, &car);
  uint64_t top = Height("node2");
  for (uint64_t h = left + 1; h < top; ++h) {
    auto signers = Signers("node2", h);
    EXPECT_FALSE(signers.empty()) << "block " << h;
    EXPECT_EQ(signers.count(removed), 0u) << "the removed validator certified block " << h;
  }
  ASSERT_TRUE(WaitHeight("node1", top)) << "the removed validator stopped following";
  EXPECT_EQ(BlockHashAt("node1", top - 1), BlockHashAt("node2", top - 1));
  auto s1 = cluster_->NodeStatus("node1");
  ASSERT_TRUE(s1.ok());
  EXPECT_TRUE(s1->leader().empty()) << "node1 still runs a replica";
}

TEST_F(ClusterProcessTest, CommitsUnderLoadAndTheObserverFollows) {
  auto txs = CarRegistrations(0, 600);
  // Spread over every node, observer included (it passes them on).
  std::vector<std::thread> clients;
  std::vector<std::string> via = {"node0", "node1", "node2", "node3", "observer0", "node1"};
  for (size_t k = 0; k < via.size(); ++k) {
    clients.emplace_back([&, k] {
      std::vector<ledger::TxEnvelope> part(txs.begin() + static_cast<long>(k * 100),
                                           txs.begin() + static_cast<long>((k + 1) * 100));
      ExpectAllValid(via[k], part);
    });
  }
  for (auto& t : clients) t.join();
  uint64_t h = Height("node0");
  for (const auto& n : {"node1", "node2", "node3", "observer0"}) ASSERT_TRUE(WaitHeight(n, h)) << n;
  for (uint64_t height = 1; height < h; ++height) {
    Bytes hash = BlockHashAt("node0", height);
    ASSERT_FALSE(hash.empty());
    for (const auto& n : {"node1", "node2", "node3", "observer0"})
      EXPECT_EQ(BlockHashAt(n, height), hash) << n;
  }
  auto s = cluster_->NodeStatus("node2");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->peers_size(), 3);
  for (const auto& p : s->peers()) EXPECT_TRUE(p.connected()) << p.id();
}

TEST_F(ClusterProcessTest, KilledFollowerThenLeaderLoseNothingAndCatchUp) {
  auto first = CarRegistrations(1000, 100);
  ExpectAllValid("node0", first);
  auto status = cluster_->NodeStatus("node0");
  ASSERT_TRUE(status.ok());
  std::string leader = cluster_->NameOf(status->leader());
  ASSERT_FALSE(leader.empty());
  std::string follower = leader == "node3" ? "node2" : "node3";

  cluster_->Kill(follower, SIGKILL);
  std::string survivor;
  for (const auto& n : cluster_->validators()) {
    if (n != leader && n != follower) survivor = n;
  }
  ExpectAllValid(survivor, CarRegistrations(2000, 100));

  ASSERT_TRUE(cluster_->Start(follower).ok());
  ASSERT_TRUE(cluster_->WaitReady(follower));
  ASSERT_TRUE(WaitHeight(follower, Height(survivor)));

  cluster_->Kill(leader, SIGKILL);
  ExpectAllValid(survivor, CarRegistrations(3000, 100));  // needs a new leader
  auto after = cluster_->NodeStatus(survivor);
  ASSERT_TRUE(after.ok());
  EXPECT_NE(cluster_->NameOf(after->leader()), leader);
  EXPECT_GT(after->view(), status->view());

  ASSERT_TRUE(cluster_->Start(leader).ok());
  ASSERT_TRUE(cluster_->WaitReady(leader));
  uint64_t h = Height(survivor);
  ASSERT_TRUE(WaitHeight(leader, h));
  // Everything committed before the kills is still there, on every node.
  auto stub = cluster_->Stub(leader);
  auto again = SubmitAndWait(stub.get(), first, 10000);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  for (const auto& s : again.value()) EXPECT_EQ(s.code(), ledger::VALID);
  for (uint64_t height = 1; height < h; ++height)
    EXPECT_EQ(BlockHashAt(leader, height), BlockHashAt(survivor, height));
}

TEST_F(ClusterProcessTest, AdminRotatesTheLeaderByExactlyOneView) {
  ExpectAllValid("node0", CarRegistrations(7000, 50));
  auto before = cluster_->NodeStatus("node1");
  ASSERT_TRUE(before.ok());
  cluster::RotateLeaderRequest req;
  req.set_from_view(before->view());
  for (const auto& v : cluster_->validators()) {
    auto stub = cluster_->Stub(v);
    grpc::ClientContext ctx;
    cluster::RotateLeaderReply reply;
    ASSERT_TRUE(stub->RotateLeader(&ctx, req, &reply).ok());
  }
  ExpectAllValid("node2", CarRegistrations(8000, 50));
  for (const auto& v : cluster_->validators()) {
    auto after = cluster_->NodeStatus(v);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->view(), before->view() + 1) << v;
    EXPECT_NE(after->leader(), before->leader()) << v;
  }
}

TEST_F(ClusterProcessTest, TamperedBlockFileIsNotServedAndIsRepairedFromPeers) {
  ExpectAllValid("node1", CarRegistrations(5000, 600));
  uint64_t h = Height("node1");
  ASSERT_GE(h, 4u);
  auto status = cluster_->NodeStatus("node0");
  ASSERT_TRUE(status.ok());
  std::string victim = cluster_->NameOf(status->leader()) == "node2" ? "node3" : "node2";
  ASSERT_TRUE(WaitHeight(victim, h));

  // Flip one byte in the middle of the victim's block file while it runs.
  std::string segment;
  for (const auto& e : std::filesystem::directory_iterator(cluster_->DataDir(victim) + "/blocks")) {
    if (segment.empty() || e.path().string() < segment) segment = e.path().string();
  }
  ASSERT_FALSE(segment.empty());
  {
    std::fstream f(segment, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    auto size = static_cast<std::streamoff>(f.tellg());
    f.seekp(size / 2);
    char c = 0;
    f.seekg(size / 2);
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x5a);
    f.seekp(size / 2);
    f.write(&c, 1);
  }
  // The damaged block is refused; nothing it serves differs from a healthy node.
  int refused = 0;
  for (uint64_t height = 0; height < h; ++height) {
    Bytes mine = BlockHashAt(victim, height);
    if (mine.empty()) {
      ++refused;
      continue;
    }
    EXPECT_EQ(mine, BlockHashAt("node0", height)) << "height " << height;
  }
  EXPECT_GE(refused, 1);

  // Restarted, it sets the damaged files aside and recovers every block from its peers.
  cluster_->Kill(victim, SIGKILL);
  ASSERT_TRUE(cluster_->Start(victim).ok());
  ASSERT_TRUE(cluster_->WaitReady(victim));
  ASSERT_TRUE(WaitHeight(victim, h));
  for (uint64_t height = 0; height < h; ++height)
    EXPECT_EQ(BlockHashAt(victim, height), BlockHashAt("node0", height));
  bool quarantined = false;
  for (const auto& e : std::filesystem::directory_iterator(cluster_->DataDir(victim))) {
    quarantined |= e.path().filename().string().rfind("quarantine-", 0) == 0;
  }
  EXPECT_TRUE(quarantined);
  ExpectAllValid(victim, CarRegistrations(6000, 50));
}

}  // namespace
}  // namespace carledger::service
