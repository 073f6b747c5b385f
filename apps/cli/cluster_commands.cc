// Commands that talk to running nodes (mutual TLS, as the network's first admin):
//   cluster-status   view, leader, height, stable checkpoint and peer lag of every node
//   rotate-leader    ask every validator to move to the next view
//   load             submit N signed car registrations and wait for their final status
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>

#include "apps/cli/cli_common.h"
#include "common/block_format.h"
#include "contracts/samples.h"
#include "ledger/parallel.h"
#include "service/cluster_client.h"

namespace carledger::cli {

namespace {

Result<service::ClusterClient> OpenClient(const std::vector<std::string>& args, const char* cmd) {
  std::string dir = Flag(args, "--network");
  if (dir.empty()) return Status::InvalidArgument(std::string(cmd) + ": --network DIR is required");
  return service::ClusterClient::Open(dir);
}

int Fail(const char* cmd, const Status& st) {
  std::fprintf(stderr, "%s: %s\n", cmd, st.ToString().c_str());
  return st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

bool Has(const std::vector<std::string>& args, const std::string& flag) {
  for (const auto& a : args) {
    if (a == flag) return true;
  }
  return false;
}

}  // namespace

int ClusterStatusCommand(const std::vector<std::string>& args) {
  auto client = OpenClient(args, "cluster-status");
  if (!client.ok()) return Fail("cluster-status", client.status());
  std::vector<std::string> names = client->validators();
  names.insert(names.end(), client->observers().begin(), client->observers().end());
  int down = 0;
  std::printf("%-10s %-9s %-6s %-10s %-8s %-7s %-8s %s\n", "node", "role", "view", "leader",
              "height", "stable", "pending", "peers (lag)");
  for (const auto& name : names) {
    auto s = client->NodeStatus(name);
    if (!s.ok()) {
      std::printf("%-10s DOWN (%s)\n", name.c_str(), s.status().message().c_str());
      ++down;
      continue;
    }
    std::string peers;
    for (const auto& p : s->peers()) {
      peers += client->NameOf(p.id()) + (p.connected() ? "" : "!") + "(" + std::to_string(p.lag()) +
               ") ";
    }
    std::printf("%-10s %-9s %-6llu %-10s %-8llu %-7llu %-8llu %s\n", name.c_str(),
                s->role().c_str(), static_cast<unsigned long long>(s->view()),
                (client->NameOf(s->leader()) + (s->view_change() ? "?" : "")).c_str(),
                static_cast<unsigned long long>(s->height()),
                static_cast<unsigned long long>(s->stable_checkpoint()),
                static_cast<unsigned long long>(s->pending()), peers.c_str());
    if (Has(args, "--detail") && !s->detail().empty())
      std::printf("           %s\n", s->detail().c_str());
  }
  return down == 0 ? 0 : 1;
}

int RotateLeaderCommand(const std::vector<std::string>& args) {
  auto client = OpenClient(args, "rotate-leader");
  if (!client.ok()) return Fail("rotate-leader", client.status());
  int asked = 0;
  std::optional<uint64_t> from;
  for (const auto& name : client->validators()) {
    auto s = client->NodeStatus(name);
    if (s.ok() && !s->view_change()) {
      from = s->view();
      break;
    }
  }
  if (!from) return Fail("rotate-leader", Status::Unavailable("no validator is in a settled view"));
  cluster::RotateLeaderRequest req;
  req.set_from_view(*from);
  for (const auto& name : client->validators()) {
    auto stub = client->Stub(name);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
    cluster::RotateLeaderReply reply;
    grpc::Status st = stub->RotateLeader(&ctx, req, &reply);
    if (st.ok()) {
      ++asked;
      std::printf("%s: moving to view %llu\n", name.c_str(),
                  static_cast<unsigned long long>(reply.view()));
    } else {
      std::printf("%s: %s\n", name.c_str(), st.error_message().c_str());
    }
  }
  return asked > 0 ? 0 : 1;
}

int LoadCommand(const std::vector<std::string>& args) {
  auto client = OpenClient(args, "load");
  if (!client.ok()) return Fail("load", client.status());
  long count = std::atol(Flag(args, "--count", "1000").c_str());
  std::string via = Flag(args, "--via", client->validators().front());
  if (count <= 0 || count > 1000000)
    return Fail("load", Status::InvalidArgument("--count must be 1..1000000"));
  std::vector<Signer> sellers;
  for (int i = 0; i < 16; ++i)
    sellers.push_back(Signer{PrivateKey::Generate().value(), std::nullopt});
  std::vector<ledger::TxEnvelope> txs(static_cast<size_t>(count));
  int64_t now = NowMs();
  std::string series = "KL" + ToHex(RandomBytes(2));  // this run's VINs
  for (auto& c : series) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  ParallelFor(txs.size(), [&](size_t i) {
    Json a = SampleCarRegistration(SampleVin(series, i), i);
    txs[i] = MakeTransaction(sellers[i % sellers.size()], "car_trade", "register_car", a, i, now)
                 .value();
  });
  auto stub = client->Stub(via);
  auto start = std::chrono::steady_clock::now();
  auto r = service::SubmitAndWait(stub.get(), txs, 300000);
  if (!r.ok()) return Fail("load", r.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t valid = 0;
  for (const auto& s : r.value()) valid += s.code() == ledger::VALID ? 1 : 0;
  std::printf("load: %zu car registrations through %s committed in %.2f s (%.0f tx/s), %zu valid\n",
              txs.size(), via.c_str(), secs, static_cast<double>(txs.size()) / secs, valid);
  return valid == txs.size() ? 0 : 1;
}

}  // namespace carledger::cli
