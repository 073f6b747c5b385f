// The public API's Community (reviews, reports) and Admin services against the real
// 4-node cluster and PostgreSQL (same fixture as public_api_test): reviews of completed
// trades once per side, reports and the admin queue (three confirmed reports require a
// takedown, which the admin app signs; repeat offenders are barred from listing), users,
// restrictions and the audit log, agency certificates from CSRs, governance transactions
// and the ledger's membership.
#include <sstream>

#include "service/store/password.h"
#include "tests/service/public_api_fixture.h"

namespace carledger::service {
namespace {

// Strings that would break a statement built by concatenation.
const std::vector<std::string>& Injections() {
  static const std::vector<std::string> v = {
      "'; DROP TABLE reviews; --", "Robert'); DROP TABLE reports; --", "' OR '1'='1' --",
      "$1; $$ DROP $$; \\x27 %s %_ \\", "🚗 O'Brien \"quoted\" `tick` 김민준"};
  return v;
}

class CommunityAdminTest : public PublicApiTest {
 protected:
  static void SetUpTestSuite() {
    PublicApiTest::SetUpTestSuite();
    if (::testing::Test::HasFatalFailure()) return;
    auto channel = Channel(1);
    community_ = v1::Community::NewStub(channel).release();
    admin_ = v1::Admin::NewStub(channel).release();
    admin_without_ca_ = v1::Admin::NewStub(Channel(2)).release();
    trades_ = v1::Trades::NewStub(channel).release();
    pool_ = store::PgPool::Open(db_->conninfo(), 4).value().release();
    store::AccountStoreOptions cheap;
    cheap.scrypt.n = 1 << 10;
    direct_ = new store::AccountStore(*pool_, clock_, cheap);
    net_ = new NetworkDir(LoadNetworkDir(cluster_->dir()).value());
    // The administrator: an admin account whose wallet key is the network admin's key.
    admin_user_ = new Trader(MakeUser("boss", store::Role::kAdmin, &net_->ids.admins.front()));
  }
  static void TearDownTestSuite() {
    delete admin_user_;
    delete net_;
    delete direct_;
    delete pool_;
    delete trades_;
    delete admin_without_ca_;
    delete admin_;
    delete community_;
    PublicApiTest::TearDownTestSuite();
  }

  // The public API of the i-th node of network.json.
  static std::shared_ptr<grpc::Channel> Channel(size_t i) {
    auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[i];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(cluster_->dir() + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    return grpc::CreateCustomChannel(node.get_string("api_address"), grpc::SslCredentials(creds),
                                     args);
  }

  // An account made directly in the store (cheap password hash), signed in, with a wallet
  // key (`key`, or a fresh one).
  static Trader MakeUser(const std::string& login, store::Role role = store::Role::kUser,
                         const Signer* key = nullptr) {
    store::Registration r{
        login, "community password", "김민준", "서울", "010-2222-3333", "2026-01", true, role};
    EXPECT_TRUE(direct_->Register(r).ok()) << login;
    Trader t{key ? *key : Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    EXPECT_TRUE(direct_->SetPublicKey(login, t.key.id()).ok()) << login;
    auto tokens = direct_->Login(login, "community password", "test");
    EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
    t.token = tokens.ok() ? tokens->access_token : "";
    return t;
  }

  // Calls `method` on `stub` as `who` ("" token: anonymous); fills `fields` from the
  // field-errors trailer when given.
  template <typename Stub, typename Req, typename Reply>
  static grpc::Status Call(Stub* stub,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Reply*),
                           const Trader& who, const Req& req, Reply* reply,
                           v1::FieldErrors* fields = nullptr) {
    grpc::ClientContext ctx;
    if (!who.token.empty()) ctx.AddMetadata("authorization", "Bearer " + who.token);
    grpc::Status st = (stub->*method)(&ctx, req, reply);
    if (fields) {
      fields->Clear();
      auto it = ctx.GetServerTrailingMetadata().find("field-errors-bin");
      if (it != ctx.GetServerTrailingMetadata().end())
        fields->ParseFromString(std::string(it->second.data(), it->second.size()));
    }
    return st;
  }
  static std::set<std::string> Fields(const v1::FieldErrors& e) {
    std::set<std::string> out;
    for (const auto& f : e.errors()) out.insert(f.field());
    return out;
  }

  // Registers and lists a car for `seller`; returns its VIN.
  static std::string ListCar(const Trader& seller, uint64_t index, int64_t price) {
    std::string vin = SampleVin("KMHCAD", index);
    v1::TransactionOutcome out;
    grpc::Status st =
        Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, index)), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = price;
    st = Submit(seller, Tx(seller.key, "list", list), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return vin;
  }

  // A trade step through Trades.Step.
  static grpc::Status Step(const Trader& who, const std::string& function, const Json& args,
                           v1::Trade* trade) {
    v1::SubmitTransactionRequest req;
    *req.mutable_transaction() = Tx(who.key, function, args);
    return Call(trades_, &v1::Trades::Stub::Step, who, req, trade);
  }

  static grpc::Status Review(const Trader& who, const std::string& escrow, int rating,
                             const std::string& text, v1::ReviewEntry* out,
                             v1::FieldErrors* fields = nullptr) {
    v1::ReviewRequest req;
    req.set_escrow_id(escrow);
    req.set_rating(rating);
    req.set_text(text);
    return Call(community_, &v1::Community::Stub::Review, who, req, out, fields);
  }

  static grpc::Status Report(const Trader& who, const std::string& user, const std::string& vin,
                             const std::string& reason, v1::ReportEntry* out,
                             v1::FieldErrors* fields = nullptr) {
    v1::ReportRequest req;
    req.set_user_id(user);
    req.set_vin(vin);
    req.set_reason(reason);
    return Call(community_, &v1::Community::Stub::Report, who, req, out, fields);
  }

  static grpc::Status Resolve(const std::string& id, bool confirmed, const std::string& text,
                              v1::ReportEntry* out, const Trader* who = nullptr) {
    v1::ResolveReportRequest req;
    req.set_report_id(id);
    req.set_confirmed(confirmed);
    req.set_resolution(text);
    return Call(admin_, &v1::Admin::Stub::ResolveReport, who ? *who : *admin_user_, req, out);
  }

  static grpc::Status Governance(const Trader& who, const ledger::TxEnvelope& tx,
                                 v1::TransactionOutcome* out) {
    v1::SubmitTransactionRequest req;
    *req.mutable_transaction() = tx;
    return Call(admin_, &v1::Admin::Stub::SubmitGovernance, who, req, out);
  }

  inline static v1::Community::Stub* community_ = nullptr;
  inline static v1::Admin::Stub* admin_ = nullptr;
  inline static v1::Admin::Stub* admin_without_ca_ = nullptr;  // node2: no --ca-dir
  inline static v1::Trades::Stub* trades_ = nullptr;
  inline static store::PgPool* pool_ = nullptr;
  inline static store::SystemClock clock_;
  inline static store::AccountStore* direct_ = nullptr;
  inline static NetworkDir* net_ = nullptr;
  inline static Trader* admin_user_ = nullptr;
};

TEST_F(CommunityAdminTest, ACompletedTradeIsReviewedOncePerSide) {
  Trader seller = MakeUser("revseller");
  Trader buyer = MakeUser("revbuyer");
  Trader stranger = MakeUser("revstranger");
  v1::TransactionOutcome out;
  Json charge = Json::MakeObject();
  charge["amount"] = static_cast<int64_t>(30'000'000);
  auto request = Tx(buyer.key, "request_charge", charge);
  ASSERT_TRUE(Submit(buyer, request, &out).ok());
  Json approve = Json::MakeObject();
  approve["charge_id"] = ToHex(TxId(request));
  ASSERT_TRUE(Submit(*admin_user_, Tx(admin_user_->key, "approve_charge", approve), &out).ok());
  std::string vin = ListCar(seller, 1, 25'000'000);
  std::string kept = ListCar(seller, 4, 19'000'000);
  // My cars: every page (one car a page) of what the owner index says `who` owns, once the
  // index has caught up with `expected` (the listener runs after the commit the reply saw).
  auto my_cars = [&](const Trader& who, const std::set<std::string>& expected) {
    std::set<std::string> vins;
    for (int tries = 0; tries < 100; ++tries) {
      vins.clear();
      v1::ListMyCarsRequest req;
      req.set_page_size(1);
      for (int page = 0; page < 10; ++page) {
        v1::ListMyCarsReply reply;
        grpc::Status s = Call(market_, &v1::Market::Stub::ListMyCars, who, req, &reply);
        EXPECT_TRUE(s.ok()) << s.error_message();
        for (const auto& car : reply.cars()) {
          vins.insert(car.vin());
          EXPECT_NE(car.record_json().find(car.vin()), std::string::npos);
        }
        if (reply.next_page_token().empty()) break;
        req.set_page_token(reply.next_page_token());
      }
      if (vins == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return vins;
  };
  EXPECT_EQ(my_cars(seller, {vin, kept}), (std::set<std::string>{vin, kept}));
  EXPECT_EQ(my_cars(buyer, {}), std::set<std::string>{});
  Json bid = Json::MakeObject();
  bid["vin"] = vin;
  bid["price"] = static_cast<int64_t>(25'000'000);
  v1::Trade trade;
  grpc::Status st = Step(buyer, "open_escrow", bid, &trade);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const std::string escrow = trade.escrow_id();
  Json id = Json::MakeObject();
  id["escrow_id"] = escrow;

  v1::ReviewEntry review;
  st = Review(buyer, escrow, 5, "good", &review);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find("only a completed trade"), std::string::npos);
  ASSERT_TRUE(Step(seller, "hand_over", id, &trade).ok());
  ASSERT_TRUE(Step(buyer, "confirm", id, &trade).ok());
  ASSERT_EQ(trade.status(), "COMPLETED");
  // The car moved to the buyer's cars; the seller keeps the other one.
  EXPECT_EQ(my_cars(buyer, {vin}), std::set<std::string>{vin});
  EXPECT_EQ(my_cars(seller, {kept}), std::set<std::string>{kept});
  v1::ListMyCarsReply none;
  v1::ListMyCarsRequest bad;
  bad.set_page_token("!!");
  EXPECT_EQ(Call(market_, &v1::Market::Stub::ListMyCars, buyer, bad, &none).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Call(market_, &v1::Market::Stub::ListMyCars, Trader{}, v1::ListMyCarsRequest(), &none)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  st = Review(buyer, escrow, 5, Injections()[0], &review);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(review.author(), "revbuyer");
  EXPECT_EQ(review.subject(), "revseller");
  EXPECT_EQ(review.text(), Injections()[0]);
  EXPECT_EQ(review.escrow_id(), escrow);
  st = Review(buyer, escrow, 1, "second thoughts", &review);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::ALREADY_EXISTS) << st.error_message();
  st = Review(seller, escrow, 4, Injections()[4], &review);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(review.subject(), "revbuyer");
  EXPECT_EQ(review.text(), Injections()[4]);
  // Someone else's trade; a trade that does not exist; no token.
  EXPECT_EQ(Review(stranger, escrow, 3, "", &review).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Review(buyer, std::string(64, '0'), 3, "", &review).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Review(Trader{seller.key, ""}, escrow, 3, "", &review).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Bad fields are named together.
  v1::FieldErrors fields;
  st = Review(buyer, "not-an-escrow", 0, std::string(2001, 'x'), &review, &fields);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), (std::set<std::string>{"escrow_id", "rating", "text"}));
  EXPECT_EQ(Review(buyer, "", 6, "", &review, &fields).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), (std::set<std::string>{"escrow_id", "rating"}));

  v1::ListReviewsRequest lr;
  lr.set_user_id("revseller");
  v1::ListReviewsReply reviews;
  ASSERT_TRUE(Call(community_, &v1::Community::Stub::ListReviews, stranger, lr, &reviews).ok());
  ASSERT_EQ(reviews.reviews_size(), 1);
  EXPECT_EQ(reviews.reviews(0).text(), Injections()[0]);
  EXPECT_DOUBLE_EQ(reviews.mean_rating(), 5.0);
  lr.set_user_id("nobody-here");
  EXPECT_EQ(
      Call(community_, &v1::Community::Stub::ListReviews, stranger, lr, &reviews).error_code(),
      grpc::StatusCode::NOT_FOUND);
  v1::GetProfileRequest pr;
  pr.set_user_id("revseller");
  v1::Profile profile;
  ASSERT_TRUE(Call(accounts_, &v1::Accounts::Stub::GetProfile, stranger, pr, &profile).ok());
  EXPECT_EQ(profile.reviews(), 1);
  EXPECT_DOUBLE_EQ(profile.rating(), 5.0);
}

TEST_F(CommunityAdminTest, ReportsAreCheckedAndQueuedForAdmins) {
  Trader seller = MakeUser("repseller");
  Trader reporter = MakeUser("reporter0");
  std::string vin = ListCar(seller, 2, 9'000'000);
  v1::ReportEntry entry;
  v1::FieldErrors fields;
  EXPECT_EQ(Report(reporter, "repseller", vin, "both", &entry, &fields).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"user_id"});
  EXPECT_EQ(Report(reporter, "", "", "neither", &entry).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Report(reporter, "repseller", "", "", &entry, &fields).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"reason"});
  EXPECT_EQ(Report(reporter, "repseller", "", std::string(1001, 'a'), &entry, &fields).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"reason"});
  EXPECT_EQ(Report(reporter, "reporter0", "", "me", &entry).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Report(seller, "", vin, "my own", &entry).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Report(reporter, "nobody-here", "", "who", &entry).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Report(reporter, "", SampleVin("KMHCAD", 999), "no car", &entry).error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Report(reporter, "", "NOT-A-VIN", "bad", &entry, &fields).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"vin"});

  grpc::Status st = Report(reporter, "", vin, Injections()[1], &entry);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(entry.reason(), Injections()[1]);
  EXPECT_EQ(entry.vin(), vin);
  EXPECT_EQ(entry.target_owner(), "repseller");
  EXPECT_EQ(entry.status(), "open");
  EXPECT_EQ(Report(reporter, "", vin, "again", &entry).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::ListReportsRequest q;
  v1::ListReportsReply queue;
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListReports, reporter, q, &queue).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListReports, *admin_user_, q, &queue).ok());
  bool found = false;
  for (const auto& r : queue.reports()) {
    EXPECT_EQ(r.status(), "open");
    if (r.reporter() == "reporter0") found = r.reason() == Injections()[1];
  }
  EXPECT_TRUE(found);
  q.set_status("bogus");
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListReports, *admin_user_, q, &queue).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Resolving: admins only, a resolution text, a real id, once.
  EXPECT_EQ(Resolve(entry.id(), true, "x", &entry, &reporter).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Resolve("abc", true, "x", &entry).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Resolve("999999", true, "x", &entry).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(CommunityAdminTest, ThreeConfirmedReportsRequireATakedownTheAdminAppSigns) {
  Trader seller = MakeUser("baitseller");
  std::string vin = ListCar(seller, 3, 1'000'000);
  auto listed = [&] {
    v1::SearchRequest req;
    req.set_seller(seller.key.id());
    v1::SearchReply reply;
    grpc::ClientContext ctx;
    EXPECT_TRUE(market_->Search(&ctx, req, &reply).ok());
    for (const auto& r : reply.results())
      if (r.vin() == vin) return true;
    return false;
  };
  ASSERT_TRUE(listed());
  std::vector<std::string> ids;
  for (int i = 1; i <= 3; ++i) {
    Trader r = MakeUser("baitreporter" + std::to_string(i));
    v1::ReportEntry entry;
    ASSERT_TRUE(Report(r, "", vin, "price is bait: " + Injections()[2], &entry).ok());
    ids.push_back(entry.id());
  }
  v1::ReportEntry resolved;
  ASSERT_TRUE(Resolve(ids[0], true, "confirmed by phone", &resolved).ok());
  EXPECT_FALSE(resolved.takedown_required());
  EXPECT_EQ(resolved.status(), "confirmed");
  EXPECT_EQ(resolved.resolved_by(), "boss");
  ASSERT_TRUE(Resolve(ids[1], true, "confirmed", &resolved).ok());
  EXPECT_FALSE(resolved.takedown_required());
  ASSERT_TRUE(Resolve(ids[2], true, Injections()[3], &resolved).ok());
  EXPECT_TRUE(resolved.takedown_required());
  EXPECT_EQ(resolved.resolution(), Injections()[3]);
  EXPECT_EQ(Resolve(ids[2], false, "again", &resolved).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The admin app signs the takedown; the service only checks and submits it.
  Json down = Json::MakeObject();
  down["vin"] = vin;
  down["reason"] = "three confirmed reports";
  v1::TransactionOutcome out;
  EXPECT_EQ(Governance(seller, Tx(seller.key, "take_down", down), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(2);
  EXPECT_EQ(Governance(*admin_user_, Tx(admin_user_->key, "reprice", list), &out).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // Signed with a key that is not the admin account's wallet.
  EXPECT_EQ(Governance(*admin_user_, Tx(seller.key, "take_down", down), &out).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status st = Governance(*admin_user_, Tx(admin_user_->key, "take_down", down), &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.code(), ledger::VALID);
  v1::GetCarRequest cr;
  cr.set_vin(vin);
  v1::Car car;
  grpc::ClientContext ctx;
  ASSERT_TRUE(market_->GetCar(&ctx, cr, &car).ok());
  EXPECT_EQ(Json::Parse(car.record_json()).value().get_string("status"), "registered");
  EXPECT_FALSE(listed());
  // Audited: the confirmations, the takedown decision and the governance transaction.
  v1::ListAuditRequest ar;
  ar.set_actor("boss");
  ar.set_page_size(200);
  v1::ListAuditReply audit;
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListAudit, *admin_user_, ar, &audit).ok());
  std::set<std::string> actions;
  for (const auto& e : audit.entries()) actions.insert(e.action() + " " + e.target());
  EXPECT_TRUE(actions.count("listing.takedown_required listing:" + vin));
  EXPECT_TRUE(actions.count("governance.submit car_trade.take_down"));
}

TEST_F(CommunityAdminTest, RepeatOffendersAreBarredFromListingWithAClearReason) {
  Trader seller = MakeUser("offender");
  for (int i = 1; i <= 3; ++i) {
    Trader r = MakeUser("victim" + std::to_string(i));
    v1::ReportEntry entry;
    ASSERT_TRUE(Report(r, "offender", "", "never delivered", &entry).ok());
    v1::ReportEntry resolved;
    ASSERT_TRUE(Resolve(entry.id(), true, "confirmed", &resolved).ok());
    EXPECT_EQ(resolved.barred_user(), i == 3 ? "offender" : "");
  }
  v1::TransactionOutcome out;
  std::string vin = SampleVin("KMHCAD", 4);
  grpc::Status st =
      Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, 4)), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("barred from listing"), std::string::npos)
      << st.error_message();
  EXPECT_NE(st.error_message().find("repeat offender"), std::string::npos) << st.error_message();
  // An administrator lifts the bar; listing works again.
  v1::LiftRestrictionRequest lift;
  lift.set_user_id("offender");
  lift.set_kind("no_listing");
  lift.set_reason("appeal accepted");
  v1::Profile profile;
  st = Call(admin_, &v1::Admin::Stub::LiftRestriction, *admin_user_, lift, &profile);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(profile.restrictions_size(), 0);
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::LiftRestriction, *admin_user_, lift, &profile).error_code(),
      grpc::StatusCode::NOT_FOUND);
  st = Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, 4)), &out);
  EXPECT_TRUE(st.ok()) << st.error_message();
}

TEST_F(CommunityAdminTest, AdminsListRestrictAndLiftUsers) {
  Trader user = MakeUser("restrictme");
  v1::ListUsersRequest lu;
  lu.set_query("restrictm");
  v1::ListUsersReply users;
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListUsers, user, lu, &users).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListUsers, *admin_user_, lu, &users).ok());
  ASSERT_EQ(users.users_size(), 1);
  EXPECT_EQ(users.users(0).user_id(), "restrictme");
  EXPECT_EQ(users.users(0).phone(), "010-2222-3333");  // admins see personal data
  lu.set_query("");
  lu.set_page_size(1);
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListUsers, *admin_user_, lu, &users).ok());
  EXPECT_EQ(users.users_size(), 1);
  EXPECT_FALSE(users.next_page_token().empty());
  lu.set_page_size(500);
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListUsers, *admin_user_, lu, &users).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  v1::RestrictRequest rr;
  rr.set_user_id("restrictme");
  rr.set_kind("read_only");
  rr.set_reason(Injections()[0]);
  v1::Profile profile;
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::Restrict, user, rr, &profile).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status st = Call(admin_, &v1::Admin::Stub::Restrict, *admin_user_, rr, &profile);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(profile.restrictions_size(), 1);
  EXPECT_EQ(profile.restrictions(0).kind(), "read_only");
  EXPECT_EQ(profile.restrictions(0).reason(), Injections()[0]);
  EXPECT_EQ(profile.restrictions(0).by(), "boss");
  // The restricted user is refused, with the reason.
  v1::ReportEntry entry;
  st = Report(user, "boss", "", "retaliation", &entry);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(st.error_message().find("restricted (read_only)"), std::string::npos)
      << st.error_message();
  v1::TransactionOutcome out;
  st = Submit(user, Tx(user.key, "register_car", SampleCarRegistration(SampleVin("KMHCAD", 5), 5)),
              &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Bad restrictions.
  v1::FieldErrors fields;
  v1::RestrictRequest bad;
  bad.set_kind("jail");
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::Restrict, *admin_user_, bad, &profile, &fields).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), (std::set<std::string>{"user_id", "kind"}));
  bad.set_user_id("nobody-here");
  bad.set_kind("banned");
  bad.set_reason("x");
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::Restrict, *admin_user_, bad, &profile).error_code(),
            grpc::StatusCode::NOT_FOUND);
  bad.set_user_id("restrictme");
  bad.set_expires_ms(1000);  // 1970
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::Restrict, *admin_user_, bad, &profile, &fields).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"expires_ms"});

  v1::LiftRestrictionRequest lift;
  lift.set_user_id("restrictme");
  lift.set_kind("read_only");
  lift.set_reason("served");
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::LiftRestriction, *admin_user_, lift, &profile).ok());
  EXPECT_EQ(profile.restrictions_size(), 0);
  EXPECT_TRUE(Report(user, "boss", "", "now I may", &entry).ok());

  v1::ListAuditRequest ar;
  ar.set_actor("boss");
  ar.set_page_size(200);
  v1::ListAuditReply audit;
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListAudit, user, ar, &audit).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListAudit, *admin_user_, ar, &audit).ok());
  std::set<std::string> actions;
  for (const auto& e : audit.entries())
    if (e.target() == "restrictme") actions.insert(e.action());
  EXPECT_TRUE(actions.count("user.restrict"));
  EXPECT_TRUE(actions.count("user.lift"));
}

// PEM -> DER for a CSR made by the x509 helpers.
std::string CsrDer(const std::string& pem) {
  std::string b64;
  std::istringstream lines(pem);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("-----", 0) != 0) b64 += line;
  return store::Base64Decode(b64).value();
}

TEST_F(CommunityAdminTest, AgencyCertificatesAreIssuedFromCsrsAndRegisteredByGovernance) {
  PrivateKey key = PrivateKey::Generate().value();
  std::string der = CsrDer(CreateCsr(key, "테스트 성능점검", "KAI").value());
  v1::IssueAgencyRequest req;
  req.set_csr_der(der);
  req.set_validity_days(365);
  v1::IssueAgencyReply reply;
  Trader user = MakeUser("notanadmin");
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::IssueAgencyCertificate, user, req, &reply).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status st =
      Call(admin_, &v1::Admin::Stub::IssueAgencyCertificate, *admin_user_, req, &reply);
  ASSERT_TRUE(st.ok()) << st.error_message();
  auto cert = Certificate::FromDer(reply.certificate_der());
  ASSERT_TRUE(cert.ok()) << cert.status().ToString();
  EXPECT_EQ(cert->role(), Role::kAgency);
  EXPECT_EQ(cert->organization(), "KAI");
  EXPECT_EQ(cert->public_key().der(), key.public_key().der());
  EXPECT_EQ(reply.agency_id(), key.public_key().Fingerprint());
  EXPECT_TRUE(VerifyCertificate(*net_->ids.ca.certificate, *cert, NowMs() / 1000).ok());

  // Only the node holding the CA key issues certificates.
  st = Call(admin_without_ca_, &v1::Admin::Stub::IssueAgencyCertificate, *admin_user_, req, &reply);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("this node does not hold the CA key"), std::string::npos)
      << st.error_message();

  // Bad requests name the field.
  v1::FieldErrors fields;
  v1::IssueAgencyRequest bad;
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::IssueAgencyCertificate, *admin_user_, bad, &reply, &fields)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"csr_der"});
  bad.set_csr_der("not a certificate request");
  bad.set_validity_days(10000);
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::IssueAgencyCertificate, *admin_user_, bad, &reply, &fields)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), (std::set<std::string>{"csr_der", "validity_days"}));
  std::string tampered = der;
  tampered[tampered.size() - 10] ^= 0x01;  // inside the signature
  bad.set_csr_der(tampered);
  bad.set_validity_days(0);
  EXPECT_EQ(
      Call(admin_, &v1::Admin::Stub::IssueAgencyCertificate, *admin_user_, bad, &reply, &fields)
          .error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(fields), std::set<std::string>{"csr_der"});

  // The admin app registers the certificate on the ledger; membership shows it.
  Json reg = Json::MakeObject();
  reg["cert"] = ToHex(cert->der());
  v1::TransactionOutcome out;
  st = Governance(
      *admin_user_,
      MakeTransaction(admin_user_->key, "_msp", "register", reg, nonce_++, NowMs()).value(), &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::ListMembersRequest mr;
  mr.set_role("agency");
  v1::ListMembersReply members;
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListMembers, user, mr, &members).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListMembers, *admin_user_, mr, &members).ok());
  bool found = false;
  for (const auto& m : members.members()) {
    EXPECT_EQ(m.role(), "agency");
    if (m.id() == reply.agency_id()) {
      found = true;
      EXPECT_EQ(m.org(), "KAI");
      EXPECT_FALSE(m.revoked());
      EXPECT_GT(m.registered_height(), 0u);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_GT(members.height(), 0u);
  mr.set_role("");
  ASSERT_TRUE(Call(admin_, &v1::Admin::Stub::ListMembers, *admin_user_, mr, &members).ok());
  int validators = 0;
  for (const auto& m : members.members()) validators += m.role() == "validator";
  EXPECT_EQ(validators, 4);
  mr.set_role("emperor");
  EXPECT_EQ(Call(admin_, &v1::Admin::Stub::ListMembers, *admin_user_, mr, &members).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace carledger::service
