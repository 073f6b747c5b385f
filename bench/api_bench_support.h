// What the public-API benchmarks share: a scratch PostgreSQL database, a 4-validator
// cluster of real carledger-node processes using it, TLS channels to each node's public
// API, traders made directly in the store (signed in, with wallet keys), and bulk
// submission of setup transactions straight to the cluster.
#pragma once

#include <grpcpp/grpcpp.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "carledger_api.grpc.pb.h"
#include "common/json.h"
#include "contracts/samples.h"
#include "ledger/network_dir.h"
#include "ledger/transaction.h"
#include "service/cluster_client.h"
#include "service/local_cluster.h"
#include "service/store/accounts.h"

namespace carledger::bench {

[[noreturn]] inline void Die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::exit(1);
}

inline int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

inline void RunSql(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) Die(std::string("postgres: ") + PQerrorMessage(c));
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
  std::string error = PQerrorMessage(c);
  PQclear(r);
  PQfinish(c);
  if (!ok) Die("postgres: " + sql.substr(0, 60) + ": " + error);
}

// A fresh database on the server of `server_conninfo` (libpq keyword form), dropped when
// destroyed. Later keywords override earlier ones in a conninfo string.
class ScratchDatabase {
 public:
  ScratchDatabase(const std::string& server_conninfo, const std::string& tag)
      : server_(server_conninfo),
        name_("carledger_bench_" + tag + "_" + std::to_string(::getpid())) {
    RunSql(server_ + " dbname=postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    RunSql(server_ + " dbname=postgres", "CREATE DATABASE " + name_);
  }
  ~ScratchDatabase() {
    RunSql(server_ + " dbname=postgres", "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  std::string conninfo() const { return server_ + " dbname=" + name_; }

 private:
  std::string server_, name_;
};

// A signed-in account with a registered wallet key.
struct Trader {
  std::string login;
  Signer key;
  std::string token;
};

class ApiCluster {
 public:
  // Starts 4 validators on `db` (their schema is migrated by the nodes) in `dir`, each at
  // `niceness` above this process's nice value.
  ApiCluster(const std::string& dir, const std::string& db_conninfo,
             std::vector<std::string> extra_node_args = {}, int niceness = 0) {
    service::LocalClusterOptions o;
    o.dir = dir;
    o.niceness = niceness;
    // CARLEDGER_BENCH_NODE: another carledger-node binary, for A/B runs against a baseline.
    const char* node = std::getenv("CARLEDGER_BENCH_NODE");
    o.node_binary = node != nullptr && *node != '\0' ? node : CARLEDGER_NODE;
    o.cli_binary = CARLEDGER_CLI;
    o.validators = 4;
    o.node_args = {"--batch", "1000", "--pg", db_conninfo};
    o.node_args.insert(o.node_args.end(), extra_node_args.begin(), extra_node_args.end());
    auto c = service::LocalCluster::Create(o);
    if (!c.ok()) Die(c.status().ToString());
    cluster_ = std::move(c).value();
    if (!cluster_->StartAll().ok()) Die("cannot start the cluster");
    auto net = LoadNetworkDir(dir);
    if (!net.ok()) Die(net.status().ToString());
    admin_.emplace(net->ids.admins.front());
    ca_.emplace(net->ids.ca);
    auto manifest = Json::Parse(ReadFile(dir + "/network.json").value()).value();
    ca_pem_ = ReadFile(dir + "/ca/ca.crt").value();
    for (const auto& node : manifest.get("nodes").as_array()) {
      grpc::SslCredentialsOptions creds;
      creds.pem_root_certs = ca_pem_;
      grpc::ChannelArguments args;
      args.SetSslTargetNameOverride(node.get_string("tls_name"));
      args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
      channels_.push_back(grpc::CreateCustomChannel(node.get_string("api_address"),
                                                    grpc::SslCredentials(creds), args));
      api_addresses_.push_back(node.get_string("api_address"));
      tls_names_.push_back(node.get_string("tls_name"));
    }
    // Wait for every node's public API (it comes up after the schema migration).
    for (auto& ch : channels_) {
      auto stub = v1::Accounts::NewStub(ch);
      grpc::ClientContext ctx;
      ctx.set_wait_for_ready(true);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      v1::Terms terms;
      if (!stub->GetTerms(&ctx, v1::Empty(), &terms).ok()) Die("a node's public API is down");
    }
    pool_ = store::PgPool::Open(db_conninfo, 8).value();
    store::AccountStoreOptions cheap;
    cheap.scrypt.n = 1 << 10;  // sign-in cost is not what these benchmarks measure
    accounts_ = std::make_unique<store::AccountStore>(*pool_, clock_, cheap);
  }

  // A channel of its own to node `i` (a fresh connection, for spreading load).
  std::shared_ptr<grpc::Channel> NewChannel(size_t i) const {
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ca_pem_;
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(tls_names_[i]);
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(api_addresses_[i], grpc::SslCredentials(creds), args);
  }
  const std::shared_ptr<grpc::Channel>& channel(size_t i) const { return channels_[i]; }
  size_t nodes() const { return channels_.size(); }
  const Signer& admin() const { return *admin_; }
  const Signer& ca() const { return *ca_; }
  const std::string& ca_pem() const { return ca_pem_; }
  service::LocalCluster& cluster() { return *cluster_; }
  store::AccountStore& accounts() { return *accounts_; }

  // A trader account made in the store, signed in, with a fresh wallet key.
  Trader NewTrader(const std::string& login) {
    store::Registration r{login,           "bench password", "벤치", "서울",
                          "010-0000-0000", "2026-01",        true};
    if (auto p = accounts_->Register(r); !p.ok()) Die(p.status().ToString());
    Trader t{login, Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    if (auto s = accounts_->SetPublicKey(login, t.key.id()); !s.ok()) Die(s.ToString());
    SignIn(&t);
    return t;
  }
  // A fresh access token (they live 15 minutes).
  void SignIn(Trader* t) {
    auto tokens = accounts_->Login(t->login, "bench password", "bench");
    if (!tokens.ok()) Die(tokens.status().ToString());
    t->token = tokens->access_token;
  }

  ledger::TxEnvelope Tx(const Signer& who, const std::string& contract, const std::string& function,
                        const Json& args) {
    return MakeTransaction(who, contract, function, args, nonce_++, WallMs()).value();
  }

  // Submits setup transactions straight to the cluster (chunks of 2000) and dies unless
  // every one is VALID.
  void SubmitAll(const std::vector<ledger::TxEnvelope>& txs) {
    auto stub = cluster_->Stub("node0");
    for (size_t i = 0; i < txs.size(); i += 2000) {
      std::vector<ledger::TxEnvelope> chunk(
          txs.begin() + static_cast<std::ptrdiff_t>(i),
          txs.begin() + static_cast<std::ptrdiff_t>(std::min(txs.size(), i + 2000)));
      auto done = service::SubmitAndWait(stub.get(), chunk, 120000);
      if (!done.ok()) Die(done.status().ToString());
      for (const auto& s : *done)
        if (s.code() != ledger::VALID) Die("setup transaction refused: " + s.reason());
    }
  }

  // Registers and lists `count` sample cars (VINs from `wmi`) as `seller`; returns the VINs.
  std::vector<std::string> ListSampleCars(const Trader& seller, const std::string& wmi,
                                          uint64_t count) {
    std::vector<ledger::TxEnvelope> setup;
    std::vector<std::string> vins;
    for (uint64_t i = 0; i < count; ++i) {
      std::string v = SampleVin(wmi, i);
      SampleListing l = MakeSampleListing(v, i);
      setup.push_back(Tx(seller.key, "car_trade", "register_car", l.registration));
      Json list = Json::MakeObject();
      list["vin"] = v;
      list["price"] = l.price;
      setup.push_back(Tx(seller.key, "car_trade", "list", list));
      vins.push_back(v);
    }
    SubmitAll(setup);
    return vins;
  }

 private:
  std::unique_ptr<service::LocalCluster> cluster_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::string> api_addresses_, tls_names_;
  std::string ca_pem_;
  std::optional<Signer> admin_, ca_;
  store::SystemClock clock_;
  std::unique_ptr<store::PgPool> pool_;
  std::unique_ptr<store::AccountStore> accounts_;
  uint64_t nonce_ = 1;
};

}  // namespace carledger::bench
