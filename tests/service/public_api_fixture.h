// The shared fixture of the public-API tests: one 4-validator cluster of real
// carledger-node processes with a PostgreSQL database per test binary, TLS stubs for
// the public services, and signed-in traders with registered wallet keys.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "carledger_api.grpc.pb.h"
#include "common/block_format.h"
#include "common/history_verify.h"
#include "common/merkle.h"
#include "common/x509.h"
#include "contracts/samples.h"
#include "ledger/ledger.h"
#include "ledger/network_dir.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"
#include "service/store/accounts.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/test_network.h"

namespace carledger::service {

using carledger::testing::TempDir;

inline int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PublicApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    auto db = carledger::testing::PgTestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = db.value().release();
    LocalClusterOptions o;
    o.dir = tmp_->path() + "/net";
    o.node_binary = CARLEDGER_NODE;
    o.cli_binary = CARLEDGER_CLI;
    o.validators = 4;
    o.node_args = {"--batch", "100", "--pg", db_->conninfo()};
    // Only node1 holds the network CA, as scripts/run sets it up: it issues agency
    // certificates (the tests' public API is node1's).
    o.node_args_by_name["node1"] = {"--ca-dir", o.dir + "/ca"};
    o.init_args = {"--epoch", "8"};
    auto c = LocalCluster::Create(o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = c.value().release();
    ASSERT_TRUE(cluster_->StartAll().ok());
    auto manifest = Json::Parse(ReadFile(o.dir + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[1];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(o.dir + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    auto channel = grpc::CreateCustomChannel(node.get_string("api_address"),
                                             grpc::SslCredentials(creds), args);
    market_ = v1::Market::NewStub(channel).release();
    accounts_ = v1::Accounts::NewStub(channel).release();
    // The public API comes up after the cluster port (and the schema migration).
    bool up = false;
    std::string last_error;
    for (int i = 0; i < 3 && !up; ++i) {
      grpc::ClientContext ctx;
      ctx.set_wait_for_ready(true);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      v1::Terms terms;
      grpc::Status st = accounts_->GetTerms(&ctx, v1::Empty(), &terms);
      up = st.ok();
      last_error = st.error_message();
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(up) << "node1's public API did not come up (" << last_error << "):\n"
                    << ReadFile(o.dir + "/node1.log").value();
    explorer_ = v1::Explorer::NewStub(channel).release();
  }
  static void TearDownTestSuite() {
    delete market_;
    delete explorer_;
    delete accounts_;
    delete cluster_;
    delete db_;
    delete tmp_;
  }

  // A signed-in trader with a wallet key registered to the account.
  struct Trader {
    Signer key;
    std::string token;
  };
  static Trader NewTrader(const std::string& login) {
    Trader t{Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    grpc::ClientContext c0;
    v1::Terms terms;
    EXPECT_TRUE(accounts_->GetTerms(&c0, v1::Empty(), &terms).ok());
    grpc::ClientContext c1;
    v1::RegisterRequest r;
    r.set_login_id(login);
    r.set_password("correct horse battery");
    r.set_name("김민준");
    r.set_address("서울특별시 강남구 테헤란로 1");
    r.set_phone("010-1234-5678");
    r.set_terms_version(terms.version());
    r.set_agree_terms(true);
    v1::Session session;
    grpc::Status st = accounts_->Register(&c1, r, &session);
    EXPECT_TRUE(st.ok()) << st.error_message();
    t.token = session.access_token();
    grpc::ClientContext c2;
    c2.AddMetadata("authorization", "Bearer " + t.token);
    v1::SetPublicKeyRequest k;
    k.set_public_key_der(t.key.key.public_key().der());
    k.set_proof_signature(t.key.key.Sign("carledger-key:" + login).value());
    v1::Profile profile;
    st = accounts_->SetPublicKey(&c2, k, &profile);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(profile.wallet(), t.key.id());
    return t;
  }

  static ledger::TxEnvelope Tx(const Signer& who, const std::string& function, const Json& args) {
    return MakeTransaction(who, "car_trade", function, args, nonce_++, NowMs()).value();
  }

  static grpc::Status Submit(const Trader& who, const ledger::TxEnvelope& tx,
                             v1::TransactionOutcome* out, v1::FieldErrors* field_errors = nullptr) {
    grpc::ClientContext ctx;
    if (!who.token.empty()) ctx.AddMetadata("authorization", "Bearer " + who.token);
    v1::SubmitTransactionRequest req;
    *req.mutable_transaction() = tx;
    grpc::Status st = market_->SubmitTransaction(&ctx, req, out);
    if (field_errors) {
      auto it = ctx.GetServerTrailingMetadata().find("field-errors-bin");
      if (it != ctx.GetServerTrailingMetadata().end())
        field_errors->ParseFromString(std::string(it->second.data(), it->second.size()));
    }
    return st;
  }

  inline static TempDir* tmp_ = nullptr;
  inline static carledger::testing::PgTestDatabase* db_ = nullptr;
  inline static v1::Accounts::Stub* accounts_ = nullptr;
  inline static LocalCluster* cluster_ = nullptr;
  inline static v1::Market::Stub* market_ = nullptr;
  inline static v1::Explorer::Stub* explorer_ = nullptr;
  inline static uint64_t nonce_ = 1;
};

// GET `path` from host:port; returns "<status line>\n<body>".
inline std::string HttpGet(const std::string& address, const std::string& path) {
  size_t colon = address.rfind(':');
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(address.c_str() + colon + 1)));
  ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)!::send(fd, req.data(), req.size(), 0);
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) resp.append(buf, static_cast<size_t>(n));
  ::close(fd);
  size_t eol = resp.find("\r\n");
  size_t body = resp.find("\r\n\r\n");
  if (eol == std::string::npos || body == std::string::npos) return resp;
  return resp.substr(0, eol) + "\n" + resp.substr(body + 4);
}

}  // namespace carledger::service
