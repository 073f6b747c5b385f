// The public API, continued (same fixture): search with filters, sort and pages; the demo
// data generator; 100 buyers racing for one car; the HTTP operations endpoints.

#include "tests/service/public_api_fixture.h"

namespace carledger::service {
namespace {

TEST_F(PublicApiTest, SearchFindsListedCarsWithFiltersSortAndPages) {
  Trader t = NewTrader("dealer1");
  v1::TransactionOutcome out;
  const std::vector<std::pair<std::string, int64_t>> cars = {{"Genesis", 41'000'000},
                                                             {"Genesis", 39'500'000},
                                                             {"Genesis", 45'000'000},
                                                             {"Kia", 9'900'000}};
  for (size_t i = 0; i < cars.size(); ++i) {
    std::string vin = SampleVin("KMHSRC", 100 + i);
    Json reg = SampleCarRegistration(vin, 100 + i);
    reg["make"] = cars[i].first;
    reg["model"] = "G80 Search Test";
    ASSERT_TRUE(Submit(t, Tx(t.key, "register_car", reg), &out).ok());
    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = cars[i].second;
    ASSERT_TRUE(Submit(t, Tx(t.key, "list", list), &out).ok());
  }
  auto search = [&](v1::SearchRequest req, v1::SearchReply* reply) {
    grpc::ClientContext ctx;
    return market_->Search(&ctx, req, reply);
  };
  v1::SearchRequest req;
  req.set_model("G80 Search Test");
  req.set_make("Genesis");
  req.set_sort(v1::SORT_PRICE_ASC);
  req.set_page_size(2);
  v1::SearchReply page1, page2;
  ASSERT_TRUE(search(req, &page1).ok());
  EXPECT_EQ(page1.total(), 3);
  ASSERT_EQ(page1.results_size(), 2);
  EXPECT_EQ(page1.results(0).price(), 39'500'000);
  EXPECT_EQ(page1.results(1).price(), 41'000'000);
  EXPECT_EQ(page1.results(0).seller(), t.key.id());
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(search(req, &page2).ok());
  ASSERT_EQ(page2.results_size(), 1);
  EXPECT_EQ(page2.results(0).price(), 45'000'000);
  EXPECT_TRUE(page2.next_page_token().empty());

  // A price range across makes.
  v1::SearchRequest cheap;
  cheap.set_model("G80 Search Test");
  cheap.set_price_max(10'000'000);
  v1::SearchReply r;
  ASSERT_TRUE(search(cheap, &r).ok());
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.results(0).make(), "Kia");

  // Bad queries name their fields; a token for another query is refused.
  v1::SearchRequest bad;
  bad.set_year_min(2020);
  bad.set_year_max(2010);
  bad.set_mileage_min_km(-5);
  grpc::ClientContext ctx;
  grpc::Status st = market_->Search(&ctx, bad, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("year_min"), std::string::npos) << st.error_message();
  EXPECT_NE(st.error_message().find("mileage_min_km"), std::string::npos) << st.error_message();
  v1::SearchRequest other = cheap;
  other.set_page_token(page1.next_page_token());
  EXPECT_EQ(search(other, &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// 100 buyers race for one car through the public API: exactly one escrow opens; every
// other buyer is told why (FAILED_PRECONDITION), and nobody's money moves but the winner's.
TEST_F(PublicApiTest, HundredConcurrentBuyersOpenExactlyOneEscrow) {
  constexpr int kBuyers = 100;
  // Accounts made directly in the store with a cheap password hash (sign-in cost is not
  // under test here); wallets charged through the cluster API.
  auto pool = store::PgPool::Open(db_->conninfo(), 4);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  store::SystemClock clock;
  store::AccountStoreOptions cheap;
  cheap.scrypt.n = 1 << 10;
  store::AccountStore direct(**pool, clock, cheap);
  auto net = LoadNetworkDir(cluster_->dir());
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  const Signer& admin = net->ids.admins.front();
  std::vector<Trader> buyers;
  std::vector<ledger::TxEnvelope> charges;
  for (int i = 0; i < kBuyers; ++i) {
    std::string login = "racer" + std::to_string(i);
    store::Registration r{login,           "racing password", "구매자", "서울",
                          "010-1111-2222", "2026-01",         true};
    ASSERT_TRUE(direct.Register(r).ok());
    Trader t{Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    ASSERT_TRUE(direct.SetPublicKey(login, t.key.id()).ok());
    auto tokens = direct.Login(login, "racing password", "test");
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    t.token = tokens->access_token;
    Json c = Json::MakeObject();
    c["amount"] = static_cast<int64_t>(50'000'000);
    charges.push_back(Tx(t.key, "request_charge", c));
    buyers.push_back(std::move(t));
  }
  auto stub = cluster_->Stub("node0");
  auto requested = SubmitAndWait(stub.get(), charges);
  ASSERT_TRUE(requested.ok()) << requested.status().ToString();
  std::vector<ledger::TxEnvelope> approvals;
  for (const auto& tx : charges) {
    Json a = Json::MakeObject();
    a["charge_id"] = ToHex(TxId(tx));
    approvals.push_back(
        MakeTransaction(admin, "car_trade", "approve_charge", a, nonce_++, NowMs()).value());
  }
  auto approved = SubmitAndWait(stub.get(), approvals);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  for (const auto& s : *approved) ASSERT_EQ(s.code(), ledger::VALID) << s.reason();

  Trader seller = NewTrader("racedseller");
  std::string vin = SampleVin("KMHRCE", 1);
  v1::TransactionOutcome out;
  ASSERT_TRUE(
      Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, 1)), &out).ok());
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(33'000'000);
  ASSERT_TRUE(Submit(seller, Tx(seller.key, "list", list), &out).ok());

  auto channel = [&] {
    auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[2];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(cluster_->dir() + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    return grpc::CreateCustomChannel(node.get_string("api_address"), grpc::SslCredentials(creds),
                                     args);
  }();
  auto trades = v1::Trades::NewStub(channel);
  std::vector<ledger::TxEnvelope> bids;
  for (const auto& b : buyers) bids.push_back(Tx(b.key, "open_escrow", list));
  std::atomic<int> won{0}, refused{0}, other{0};
  int winner = -1;
  std::string escrow_id;
  std::vector<std::thread> racers;
  for (int i = 0; i < kBuyers; ++i) {
    racers.emplace_back([&, i] {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + buyers[i].token);
      v1::SubmitTransactionRequest req;
      *req.mutable_transaction() = bids[i];
      req.set_timeout_ms(30000);
      v1::Trade trade;
      grpc::Status st = trades->Step(&ctx, req, &trade);
      if (st.ok() && trade.status() == "FUNDED") {
        ++won;
        winner = i;  // one thread only (asserted below)
        escrow_id = trade.escrow_id();
      } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        ++refused;
      else {
        ++other;
        ADD_FAILURE() << st.error_code() << " " << st.error_message();
      }
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), kBuyers - 1);
  EXPECT_EQ(other.load(), 0);
  grpc::ClientContext ctx;
  v1::GetCarRequest req;
  req.set_vin(vin);
  v1::Car car;
  ASSERT_TRUE(market_->GetCar(&ctx, req, &car).ok());
  EXPECT_EQ(Json::Parse(car.record_json()).value().get_string("status"), "in_escrow");
  // The owner's public profile comes with the car, without their personal data.
  EXPECT_EQ(car.seller().login_id(), "racedseller");
  EXPECT_EQ(car.seller().wallet(), seller.key.id());
  EXPECT_FALSE(car.seller().user_id().empty());
  EXPECT_TRUE(car.seller().name().empty());
  EXPECT_TRUE(car.seller().phone().empty());

  // The trade is its parties' business: the winner sees it, another buyer may not.
  ASSERT_GE(winner, 0);
  auto get_trade = [&](const Trader& who, const std::string& id, v1::Trade* t) {
    grpc::ClientContext c;
    c.AddMetadata("authorization", "Bearer " + who.token);
    v1::GetTradeRequest r;
    r.set_escrow_id(id);
    return trades->GetTrade(&c, r, t);
  };
  v1::Trade trade;
  ASSERT_TRUE(get_trade(buyers[static_cast<size_t>(winner)], escrow_id, &trade).ok());
  EXPECT_EQ(trade.buyer(), buyers[static_cast<size_t>(winner)].key.id());
  EXPECT_EQ(trade.seller(), seller.key.id());
  EXPECT_EQ(trade.price(), 33'000'000);
  const Trader& loser = buyers[static_cast<size_t>((winner + 1) % kBuyers)];
  EXPECT_EQ(get_trade(loser, escrow_id, &trade).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get_trade(loser, "not-an-id", &trade).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(get_trade(loser, std::string(64, 'a'), &trade).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The demo data generator (carledger seed): inspected, listed cars that search finds.
TEST_F(PublicApiTest, SeededDemoListingsAreInspectedAndSearchable) {
  std::string out;
  ASSERT_EQ(cluster_->RunCli({"seed", "--count", "40", "--via", "node3"}, &out), 0) << out;
  EXPECT_NE(out.find("40 listed"), std::string::npos) << out;
  v1::SearchRequest req;
  req.set_region("서울");
  req.set_sort(v1::SORT_PRICE_DESC);
  req.set_page_size(100);
  v1::SearchReply reply;
  // node1 (searched) may be a block behind node3 (which confirmed the commits).
  for (int i = 0; i < 50 && reply.results_size() == 0; ++i) {
    grpc::ClientContext ctx;
    ASSERT_TRUE(market_->Search(&ctx, req, &reply).ok());
    if (reply.results_size() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(reply.results_size(), 0);
  for (const auto& r : reply.results()) {
    EXPECT_EQ(r.region(), "서울");
    EXPECT_GE(r.inspections(), 1) << r.vin();
    EXPECT_GT(r.price(), 0);
  }
  for (int i = 1; i < reply.results_size(); ++i)
    EXPECT_GE(reply.results(i - 1).price(), reply.results(i).price());
}

TEST_F(PublicApiTest, HealthReadinessAndMetricsOverHttp) {
  auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
  std::string http = manifest.get("nodes").as_array()[1].get_string("http_address");
  // Some traffic for the histograms.
  grpc::ClientContext ctx;
  v1::Terms terms;
  ASSERT_TRUE(accounts_->GetTerms(&ctx, v1::Empty(), &terms).ok());
  EXPECT_EQ(HttpGet(http, "/healthz").rfind("HTTP/1.1 200", 0), 0u);
  std::string ready = HttpGet(http, "/readyz");
  EXPECT_EQ(ready.rfind("HTTP/1.1 200", 0), 0u) << ready;
  std::string metrics = HttpGet(http, "/metrics");
  ASSERT_EQ(metrics.rfind("HTTP/1.1 200", 0), 0u) << metrics;
  for (const char* want :
       {"carledger_height ", "carledger_view ", "carledger_pending_transactions ",
        "carledger_transactions_per_second ", "carledger_committed_transactions_total ",
        "carledger_rpc_duration_seconds_bucket{method=\"/carledger.v1.Accounts/"
        "GetTerms\",le=\"+Inf\"} ",
        "carledger_peer_lag_blocks{peer="}) {
    EXPECT_NE(metrics.find(want), std::string::npos) << want << "\n" << metrics;
  }
  EXPECT_EQ(HttpGet(http, "/nothing").rfind("HTTP/1.1 404", 0), 0u);
}

}  // namespace
}  // namespace carledger::service
