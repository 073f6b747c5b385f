// The public API while its PostgreSQL restarts: clients keep signing up; calls made while
// the database is down fail with UNAVAILABLE (never a wrong answer), the node reconnects
// when it is back, and every sign-up it acknowledged is there afterwards.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "carledger_api.grpc.pb.h"
#include "ledger/network_dir.h"
#include "service/local_cluster.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/test_network.h"

namespace carledger::service {
namespace {

TEST(ApiDatabaseRestartTest, AcknowledgedSignUpsSurviveAPostgresRestart) {
  carledger::testing::TempDir tmp;
  auto pg = carledger::testing::PrivatePgServer::Start();
  ASSERT_TRUE(pg.ok()) << pg.status().ToString();
  auto db = carledger::testing::PgTestDatabase::Create((*pg)->server());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  LocalClusterOptions o;
  o.dir = tmp.path() + "/net";
  o.node_binary = CARLEDGER_NODE;
  o.cli_binary = CARLEDGER_CLI;
  o.validators = 1;
  o.node_args = {"--pg", (*db)->conninfo()};
  auto cluster = LocalCluster::Create(o);
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  ASSERT_TRUE((*cluster)->StartAll().ok());
  auto manifest = Json::Parse(ReadFile(o.dir + "/network.json").value()).value();
  const Json& node = manifest.get("nodes").as_array()[0];
  grpc::SslCredentialsOptions creds;
  creds.pem_root_certs = ReadFile(o.dir + "/ca/ca.crt").value();
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(node.get_string("tls_name"));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  auto accounts = v1::Accounts::NewStub(
      grpc::CreateCustomChannel(node.get_string("api_address"), grpc::SslCredentials(creds), args));
  {
    grpc::ClientContext ctx;
    ctx.set_wait_for_ready(true);
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    v1::Terms terms;
    ASSERT_TRUE(accounts->GetTerms(&ctx, v1::Empty(), &terms).ok());
  }

  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<std::string> acknowledged;
  std::atomic<int> unavailable{0}, other_errors{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 3; ++c) {
    clients.emplace_back([&, c] {
      for (int i = 0; !stop; ++i) {
        std::string login = "user" + std::to_string(c) + "x" + std::to_string(i);
        grpc::ClientContext ctx;
        ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        v1::RegisterRequest r;
        r.set_login_id(login);
        r.set_password("password for " + login);
        r.set_name("홍길동");
        r.set_address("대전광역시 유성구");
        r.set_phone("010-2222-3333");
        r.set_terms_version("2026-01");
        r.set_agree_terms(true);
        v1::Session s;
        grpc::Status st = accounts->Register(&ctx, r, &s);
        if (st.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.push_back(login);
        } else if (st.error_code() == grpc::StatusCode::UNAVAILABLE ||
                   st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
          ++unavailable;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        } else if (st.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
          // ALREADY_EXISTS: a sign-up whose reply was lost with the connection, retried.
          ++other_errors;
          ADD_FAILURE() << login << ": " << st.error_code() << " " << st.error_message();
        }
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE((*pg)->Stop().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE((*pg)->Restart().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  stop = true;
  for (auto& t : clients) t.join();

  EXPECT_GT(unavailable.load(), 0) << "the outage was never noticed";
  EXPECT_EQ(other_errors.load(), 0);
  size_t before = acknowledged.size();
  ASSERT_GT(before, 5u);
  // Sign-ups keep working after the restart, and every acknowledged one signs in.
  size_t after_restart = 0;
  for (const auto& login : acknowledged) {
    grpc::ClientContext ctx;
    v1::LoginRequest req;
    req.set_login_id(login);
    req.set_password("password for " + login);
    v1::Session s;
    grpc::Status st = accounts->Login(&ctx, req, &s);
    EXPECT_TRUE(st.ok()) << login << ": " << st.error_message();
    after_restart += st.ok() ? 1 : 0;
  }
  EXPECT_EQ(after_restart, before);
}

}  // namespace
}  // namespace carledger::service
