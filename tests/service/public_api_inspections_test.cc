// Inspections, "my trades" and the charge queue through the public API, against a real
// 4-validator cluster and a real PostgreSQL: a seller asks for an inspection, an agency
// accepts it and records the result with its own key, and the car's records come back
// with their proofs; every step's bad inputs and wrong callers are refused with the
// right status.
#include "common/crypto.h"
#include "ledger/network.h"
#include "tests/service/public_api_fixture.h"

namespace carledger::service {
namespace {

class InspectionsApiTest : public PublicApiTest {
 protected:
  static void SetUpTestSuite() {
    PublicApiTest::SetUpTestSuite();
    if (::testing::Test::HasFatalFailure()) return;
    auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[1];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(cluster_->dir() + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    auto channel = grpc::CreateCustomChannel(node.get_string("api_address"),
                                             grpc::SslCredentials(creds), args);
    inspections_ = v1::Inspections::NewStub(channel).release();
    trades_ = v1::Trades::NewStub(channel).release();
    wallet_ = v1::Wallet::NewStub(channel).release();
    pool_ = store::PgPool::Open(db_->conninfo(), 2).value().release();
    store::AccountStoreOptions cheap;
    cheap.scrypt.n = 1 << 10;
    direct_ = new store::AccountStore(*pool_, clock_, cheap);
  }
  static void TearDownTestSuite() {
    delete inspections_;
    delete trades_;
    delete wallet_;
    delete direct_;
    delete pool_;
    PublicApiTest::TearDownTestSuite();
  }

  // A signed-in account of `role` whose wallet key is `key` (made in the store directly).
  static Trader Account(const std::string& login, store::Role role, Signer key) {
    store::Registration r{login,         "agency password", "검사소", "서울",
                          "02-555-1234", "2026-01",         true,     role};
    EXPECT_TRUE(direct_->Register(r).ok());
    EXPECT_TRUE(direct_->SetPublicKey(login, key.id()).ok());
    auto tokens = direct_->Login(login, "agency password", "test");
    EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
    return Trader{std::move(key), tokens.ok() ? tokens->access_token : ""};
  }

  // An agency certified by the network CA, registered on the ledger, with an account.
  static Trader Agency(const std::string& login) {
    auto net = LoadNetworkDir(cluster_->dir()).value();
    auto agency =
        IssueMember(net.ids.ca, Role::kAgency, login, "Korea Auto Inspection", NowMs() / 1000);
    EXPECT_TRUE(agency.ok());
    Json args = Json::MakeObject();
    args["cert"] = ToHex(agency->certificate->der());
    auto stub = cluster_->Stub("node0");
    auto done = SubmitAndWait(stub.get(), {MakeTransaction(net.ids.admins.front(), "_msp",
                                                           "register", args, nonce_++, NowMs())
                                               .value()});
    EXPECT_TRUE(done.ok() && done->front().code() == ledger::VALID);
    return Account(login, store::Role::kAgency, std::move(agency).value());
  }

  static std::string RegisterCar(const Trader& seller, uint64_t index) {
    std::string vin = SampleVin("KMHJN", index);
    v1::TransactionOutcome out;
    grpc::Status st =
        Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, index)), &out);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return vin;
  }

  template <typename Fn>
  static grpc::Status As(const Trader& who, Fn&& fn, v1::FieldErrors* errors = nullptr) {
    grpc::ClientContext ctx;
    if (!who.token.empty()) ctx.AddMetadata("authorization", "Bearer " + who.token);
    grpc::Status st = fn(&ctx);
    if (errors) {
      auto it = ctx.GetServerTrailingMetadata().find("field-errors-bin");
      if (it != ctx.GetServerTrailingMetadata().end())
        errors->ParseFromString(std::string(it->second.data(), it->second.size()));
    }
    return st;
  }

  static std::set<std::string> Fields(const v1::FieldErrors& e) {
    std::set<std::string> out;
    for (const auto& f : e.errors()) out.insert(f.field());
    return out;
  }

  inline static v1::Inspections::Stub* inspections_ = nullptr;
  inline static v1::Trades::Stub* trades_ = nullptr;
  inline static v1::Wallet::Stub* wallet_ = nullptr;
  inline static store::PgPool* pool_ = nullptr;
  inline static store::SystemClock clock_;
  inline static store::AccountStore* direct_ = nullptr;
};

TEST_F(InspectionsApiTest, RequestAcceptRecordAndReadBackWithProofs) {
  Trader seller = NewTrader("inspseller");
  Trader agency = Agency("kaia-seoul");
  Trader rival = Agency("kaia-busan");
  std::string vin = RegisterCar(seller, 3);

  v1::RequestInspectionRequest req;
  req.set_vin(vin);
  req.set_agency_id("kaia-seoul");
  req.set_location("서울 성동구 자동차시장길 1'); DROP TABLE inspection_requests; --");
  req.set_note("주말 오전 가능 \"quoted\" ' OR 1=1 --");
  v1::InspectionRequest created;
  grpc::Status st =
      As(seller, [&](auto* c) { return inspections_->RequestInspection(c, req, &created); });
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(created.status(), "requested");
  EXPECT_EQ(created.vin(), vin);
  EXPECT_EQ(created.requester(), "inspseller");
  EXPECT_EQ(created.location(), req.location());  // stored and returned verbatim
  EXPECT_EQ(created.note(), req.note());

  // One open request per car.
  v1::InspectionRequest again;
  st = As(seller, [&](auto* c) { return inspections_->RequestInspection(c, req, &again); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find(created.id()), std::string::npos) << st.error_message();

  // The seller sees it; the addressed agency has it in its queue; a trader has no queue.
  v1::ListRequestsReply mine, queue, rival_queue;
  ASSERT_TRUE(As(seller, [&](auto* c) {
                return inspections_->ListMyRequests(c, v1::ListRequestsRequest(), &mine);
              }).ok());
  ASSERT_EQ(mine.requests_size(), 1);
  EXPECT_EQ(mine.requests(0).id(), created.id());
  v1::ListRequestsRequest open;
  open.set_status("requested");
  ASSERT_TRUE(As(agency, [&](auto* c) { return inspections_->ListQueue(c, open, &queue); }).ok());
  ASSERT_EQ(queue.requests_size(), 1);
  ASSERT_TRUE(
      As(rival, [&](auto* c) { return inspections_->ListQueue(c, open, &rival_queue); }).ok());
  EXPECT_EQ(rival_queue.requests_size(), 0);  // addressed to another agency
  EXPECT_EQ(
      As(seller, [&](auto* c) { return inspections_->ListQueue(c, open, &queue); }).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // Only the addressed agency may accept; a trader may not.
  v1::InspectionDecision decide;
  decide.set_request_id(created.id());
  v1::InspectionRequest moved;
  EXPECT_EQ(
      As(rival, [&](auto* c) { return inspections_->Accept(c, decide, &moved); }).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      As(seller, [&](auto* c) { return inspections_->Accept(c, decide, &moved); }).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  v1::InspectionDecision junk;
  junk.set_request_id("12; DROP");
  EXPECT_EQ(As(agency, [&](auto* c) { return inspections_->Accept(c, junk, &moved); }).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  junk.set_request_id("999999");
  EXPECT_EQ(As(agency, [&](auto* c) { return inspections_->Accept(c, junk, &moved); }).error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(As(agency, [&](auto* c) { return inspections_->Accept(c, decide, &moved); }).ok());
  EXPECT_EQ(moved.status(), "accepted");
  EXPECT_EQ(
      As(agency, [&](auto* c) { return inspections_->Accept(c, decide, &moved); }).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);

  // The result must be the agency's own signed record of this car.
  Json record = SampleInspection(vin, 61000, 2015);
  v1::SubmitResultRequest result;
  result.set_request_id(created.id());
  *result.mutable_transaction() =
      Tx(agency.key, "record_inspection", SampleInspection(SampleVin("KMHJN", 99), 61000, 2015));
  v1::InspectionRequest done;
  st = As(agency, [&](auto* c) { return inspections_->SubmitResult(c, result, &done); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  *result.mutable_transaction() = Tx(rival.key, "record_inspection", record);
  st = As(agency, [&](auto* c) { return inspections_->SubmitResult(c, result, &done); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  *result.mutable_transaction() = Tx(agency.key, "record_inspection", record);
  st = As(agency, [&](auto* c) { return inspections_->SubmitResult(c, result, &done); });
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(done.status(), "inspected");
  EXPECT_EQ(done.result_tx_id(), TxId(result.transaction()));
  // A retry of the same result (its reply lost) is harmless.
  st = As(agency, [&](auto* c) { return inspections_->SubmitResult(c, result, &done); });
  EXPECT_TRUE(st.ok()) << st.error_message();

  // The car's records, from the ledger, with proofs that check.
  grpc::ClientContext ctx;
  v1::GetCarRequest car;
  car.set_vin(vin);
  v1::InspectionRecords records;
  ASSERT_TRUE(inspections_->GetRecords(&ctx, car, &records).ok());
  ASSERT_EQ(records.inspections_size(), 1);
  const v1::ProvenEvent& ev = records.inspections(0);
  EXPECT_EQ(Json::Parse(ev.event_json()).value().get_string("type"), "inspected");
  EXPECT_EQ(TxId(ev.transaction()), TxId(result.transaction()));
  ASSERT_EQ(records.headers_size(), 1);
  EXPECT_EQ(records.headers(0).header().height(), ev.block_height());
  MerkleProof proof;
  proof.leaf_index = ev.tx_index();
  proof.leaf_count = ev.tx_count();
  for (const auto& p : ev.merkle_path()) proof.path.push_back(p);
  EXPECT_TRUE(VerifyMerkleProof(TxLeafHash(ev.transaction()), proof,
                                records.headers(0).header().tx_root()));
  EXPECT_GE(records.validator_sets_size(), 1);
  // Declined later: a closed request cannot be declined.
  decide.set_reason("no slot");
  EXPECT_EQ(
      As(agency, [&](auto* c) { return inspections_->Decline(c, decide, &moved); }).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(InspectionsApiTest, BadRequestsAreRefusedNamingTheField) {
  Trader seller = NewTrader("badinspseller");
  Trader other = NewTrader("notowner");
  Trader agency = Agency("kaia-daegu");
  std::string vin = RegisterCar(seller, 4);

  v1::RequestInspectionRequest req;
  req.set_vin(vin);
  req.set_preferred_date("2020-02-30");
  req.set_note(std::string(2001, 'x'));
  v1::InspectionRequest out;
  v1::FieldErrors errors;
  grpc::Status st = As(
      seller, [&](auto* c) { return inspections_->RequestInspection(c, req, &out); }, &errors);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(Fields(errors), (std::set<std::string>{"location", "note", "preferred_date"}));
  req.set_note("");
  req.set_location("대구 북구");
  req.set_preferred_date("2021-01-01");
  errors.Clear();
  st = As(
      seller, [&](auto* c) { return inspections_->RequestInspection(c, req, &out); }, &errors);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(errors), (std::set<std::string>{"preferred_date"})) << st.error_message();
  req.set_preferred_date("");

  // Not the owner; an unknown agency; an unknown car; a malformed VIN; no token.
  st = As(other, [&](auto* c) { return inspections_->RequestInspection(c, req, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
  v1::RequestInspectionRequest to_nobody = req;
  to_nobody.set_agency_id("notowner");  // a trader, not an agency
  st = As(seller, [&](auto* c) { return inspections_->RequestInspection(c, to_nobody, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  EXPECT_NE(st.error_message().find("agency_id"), std::string::npos);
  v1::RequestInspectionRequest unknown = req;
  unknown.set_vin(SampleVin("KMHJN", 77));
  st = As(seller, [&](auto* c) { return inspections_->RequestInspection(c, unknown, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  unknown.set_vin("SHORT");
  st = As(seller, [&](auto* c) { return inspections_->RequestInspection(c, unknown, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  st = As(Trader{seller.key, ""},
          [&](auto* c) { return inspections_->RequestInspection(c, req, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  st = As(Trader{seller.key, "at_forged"},
          [&](auto* c) { return inspections_->RequestInspection(c, req, &out); });
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);

  // A request to any agency is in every agency's queue; declining needs a reason.
  ASSERT_TRUE(
      As(seller, [&](auto* c) { return inspections_->RequestInspection(c, req, &out); }).ok());
  v1::ListRequestsReply queue;
  ASSERT_TRUE(As(agency, [&](auto* c) {
                return inspections_->ListQueue(c, v1::ListRequestsRequest(), &queue);
              }).ok());
  bool listed = false;
  for (const auto& r : queue.requests()) listed |= r.id() == out.id();
  EXPECT_TRUE(listed);
  v1::InspectionDecision decide;
  decide.set_request_id(out.id());
  v1::InspectionRequest moved;
  errors.Clear();
  st = As(
      agency, [&](auto* c) { return inspections_->Decline(c, decide, &moved); }, &errors);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Fields(errors), (std::set<std::string>{"reason"}));
  decide.set_reason("해당 지역 출장 불가");
  ASSERT_TRUE(As(agency, [&](auto* c) { return inspections_->Decline(c, decide, &moved); }).ok());
  EXPECT_EQ(moved.status(), "declined");
  EXPECT_EQ(moved.agency_id(), "kaia-daegu");
  EXPECT_EQ(moved.decline_reason(), "해당 지역 출장 불가");
  v1::ListRequestsRequest bad_status;
  bad_status.set_status("done");
  EXPECT_EQ(As(seller, [&](auto* c) { return inspections_->ListMyRequests(c, bad_status, &queue); })
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// "My trades" for each party (paged, newest first), nobody else's; a user's charges and
// the administrators' approval queue.
TEST_F(InspectionsApiTest, MyTradesAndTheChargeQueue) {
  auto net = LoadNetworkDir(cluster_->dir()).value();
  Trader admin = Account("chargeadmin", store::Role::kAdmin, net.ids.admins.front());
  Trader buyer = NewTrader("mytradesbuyer");
  Trader seller = NewTrader("mytradesseller");
  Trader stranger = NewTrader("mytradesstranger");

  Json amount = Json::MakeObject();
  amount["amount"] = static_cast<int64_t>(90'000'000);
  v1::SubmitTransactionRequest charge;
  *charge.mutable_transaction() = Tx(buyer.key, "request_charge", amount);
  v1::Charge requested;
  ASSERT_TRUE(
      As(buyer, [&](auto* c) { return wallet_->RequestCharge(c, charge, &requested); }).ok());
  EXPECT_EQ(requested.status(), "pending");
  v1::ListChargesRequest pending;
  pending.set_status("pending");
  v1::ListChargesReply queue, own, strangers;
  ASSERT_TRUE(As(admin, [&](auto* c) { return wallet_->ListCharges(c, pending, &queue); }).ok());
  bool queued = false;
  for (const auto& c : queue.charges()) queued |= c.charge_id() == requested.charge_id();
  EXPECT_TRUE(queued);
  ASSERT_TRUE(As(buyer, [&](auto* c) {
                return wallet_->ListCharges(c, v1::ListChargesRequest(), &own);
              }).ok());
  ASSERT_EQ(own.charges_size(), 1);
  EXPECT_EQ(own.charges(0).amount(), 90'000'000);
  ASSERT_TRUE(As(stranger, [&](auto* c) {
                return wallet_->ListCharges(c, v1::ListChargesRequest(), &strangers);
              }).ok());
  EXPECT_EQ(strangers.charges_size(), 0);
  Json decision = Json::MakeObject();
  decision["charge_id"] = requested.charge_id();
  v1::SubmitTransactionRequest approve;
  *approve.mutable_transaction() = Tx(admin.key, "approve_charge", decision);
  v1::Charge approved;
  ASSERT_TRUE(
      As(admin, [&](auto* c) { return wallet_->DecideCharge(c, approve, &approved); }).ok());
  EXPECT_EQ(approved.status(), "approved");
  // The listener updates the index after the commit the reply waited for; poll briefly.
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    queue.Clear();
    ASSERT_TRUE(As(admin, [&](auto* c) { return wallet_->ListCharges(c, pending, &queue); }).ok());
    gone = true;
    for (const auto& c : queue.charges()) gone &= c.charge_id() != requested.charge_id();
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone);

  // Two trades, then each party pages through them, newest first.
  std::vector<std::string> escrows;
  for (uint64_t i = 0; i < 2; ++i) {
    std::string vin = RegisterCar(seller, 10 + i);
    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = static_cast<int64_t>(20'000'000 + i);
    v1::TransactionOutcome out;
    ASSERT_TRUE(Submit(seller, Tx(seller.key, "list", list), &out).ok());
    v1::SubmitTransactionRequest open;
    *open.mutable_transaction() = Tx(buyer.key, "open_escrow", list);
    v1::Trade trade;
    grpc::Status st = As(buyer, [&](auto* c) { return trades_->Step(c, open, &trade); });
    ASSERT_TRUE(st.ok()) << st.error_message();
    escrows.push_back(trade.escrow_id());
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // distinct opening times
  }
  // Each trade names its parties' accounts, so either side can open a chat with the other.
  auto user_id_of = [&](const Trader& t) {
    v1::Profile p;
    EXPECT_TRUE(
        As(t, [&](auto* c) { return accounts_->GetProfile(c, v1::GetProfileRequest(), &p); }).ok());
    return p.user_id();
  };
  const std::string buyer_id = user_id_of(buyer), seller_id = user_id_of(seller);
  ASSERT_FALSE(buyer_id.empty());
  ASSERT_NE(buyer_id, seller_id);
  for (const Trader* party : {&buyer, &seller}) {
    std::vector<std::string> seen;
    v1::ListTradesRequest page;
    page.set_page_size(1);
    for (int i = 0; i < 5; ++i) {
      v1::ListTradesReply reply;
      bool indexed = false;
      for (int tries = 0; tries < 100 && !indexed; ++tries) {
        reply.Clear();
        ASSERT_TRUE(
            As(*party, [&](auto* c) { return trades_->ListMyTrades(c, page, &reply); }).ok());
        indexed = i > 0 || reply.trades_size() == 1;
        if (!indexed) std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      for (const auto& t : reply.trades()) {
        seen.push_back(t.escrow_id());
        EXPECT_EQ(t.buyer_user_id(), buyer_id);
        EXPECT_EQ(t.seller_user_id(), seller_id);
      }
      if (reply.next_page_token().empty()) break;
      page.set_page_token(reply.next_page_token());
    }
    EXPECT_EQ(seen, (std::vector<std::string>{escrows[1], escrows[0]}));
  }
  v1::ListTradesReply none;
  ASSERT_TRUE(As(stranger, [&](auto* c) {
                return trades_->ListMyTrades(c, v1::ListTradesRequest(), &none);
              }).ok());
  EXPECT_EQ(none.trades_size(), 0);
  v1::ListTradesRequest bad;
  bad.set_page_token("!!");
  EXPECT_EQ(As(buyer, [&](auto* c) { return trades_->ListMyTrades(c, bad, &none); }).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Photos are content-addressed: the key is the SHA-256 of the bytes (what the ledger
// records); the type is checked against the bytes; the same photo twice is one photo.
TEST_F(InspectionsApiTest, PhotosAreContentAddressedAndTypeChecked) {
  Trader seller = NewTrader("photoseller");
  auto market = [&](const Trader& who, const v1::UploadPhotoRequest& req, v1::PhotoRef* ref,
                    v1::FieldErrors* errors = nullptr) {
    return As(
        who, [&](auto* c) { return market_->UploadPhoto(c, req, ref); }, errors);
  };
  std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR' OR 1=1; --", 31);
  v1::UploadPhotoRequest up;
  up.set_mime_type("image/png");
  up.set_data(png);
  v1::PhotoRef ref, again;
  grpc::Status st = market(seller, up, &ref);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(ref.sha256(), ToHex(Sha256(png)));
  EXPECT_EQ(ref.size(), 31);
  ASSERT_TRUE(market(seller, up, &again).ok());
  EXPECT_EQ(again.sha256(), ref.sha256());

  grpc::ClientContext ctx;
  v1::GetPhotoRequest get;
  get.set_sha256(ref.sha256());
  v1::Photo photo;
  ASSERT_TRUE(market_->GetPhoto(&ctx, get, &photo).ok());  // public
  EXPECT_EQ(photo.data(), png);
  EXPECT_EQ(photo.mime_type(), "image/png");

  v1::FieldErrors errors;
  up.set_mime_type("image/jpeg");  // the bytes are a PNG
  EXPECT_EQ(market(seller, up, &ref, &errors).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(errors.errors_size(), 1);
  EXPECT_EQ(errors.errors(0).field(), "data");
  up.set_mime_type("image/gif");
  errors.Clear();
  EXPECT_EQ(market(seller, up, &ref, &errors).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(errors.errors_size(), 1);
  EXPECT_EQ(errors.errors(0).field(), "mime_type");
  up.set_mime_type("image/jpeg");
  up.set_data(std::string("\xFF\xD8\xFF\xE0") + std::string(8 << 20, 'j'));
  errors.Clear();
  EXPECT_EQ(market(seller, up, &ref, &errors).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(errors.errors_size(), 1);
  EXPECT_EQ(errors.errors(0).field(), "data");
  EXPECT_EQ(market(Trader{seller.key, ""}, up, &ref).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  for (const char* bad : {"", "ABC", "zz"}) {
    grpc::ClientContext c;
    get.set_sha256(bad);
    EXPECT_EQ(market_->GetPhoto(&c, get, &photo).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  grpc::ClientContext c;
  get.set_sha256(std::string(64, '0'));
  EXPECT_EQ(market_->GetPhoto(&c, get, &photo).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace carledger::service
