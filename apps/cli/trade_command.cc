// carledger trade: the end-to-end trade through the public API of a running cluster, as
// the apps do it: a seller and a buyer sign up (with the terms) and register their wallet
// keys; the buyer's wallet is charged and an administrator approves it; the seller
// registers and lists a car; a certified agency inspects it; the buyer opens escrow, the
// seller hands the car over, the buyer confirms. Every step is a transaction signed on
// "their" machine (here) and submitted over TLS; then the car's history is fetched with
// its proofs and verified against the network's CA alone.
//
// The operator bootstraps the administrator and agency accounts directly in PostgreSQL
// (--pg): the first administrator cannot be created through an API that needs one.
#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "apps/cli/cli_common.h"
#include "carledger_api.grpc.pb.h"
#include "common/block_format.h"
#include "common/history_verify.h"
#include "contracts/samples.h"
#include "service/store/accounts.h"
#include "service/store/migrate.h"

namespace carledger::cli {

namespace {

struct Party {
  std::string login;
  Signer key;
  std::string token;
};

class TradeRun {
 public:
  TradeRun(NetworkDir net, std::shared_ptr<grpc::Channel> channel, store::AccountStore* store)
      : net_(std::move(net)),
        accounts_(v1::Accounts::NewStub(channel)),
        market_(v1::Market::NewStub(channel)),
        wallet_(v1::Wallet::NewStub(channel)),
        trades_(v1::Trades::NewStub(channel)),
        community_(v1::Community::NewStub(channel)),
        inspections_(v1::Inspections::NewStub(channel)),
        store_(store) {}

  Status Run();

 private:
  // An account made by the operator (admin, agency) with its key registered.
  Result<Party> Bootstrap(const std::string& login, store::Role role, const Signer& key) {
    store::Registration r;
    r.id = login;
    r.password = login + "-demo-password";
    r.name = login;
    r.address = "서울특별시 중구 세종대로 110";
    r.phone = "02-120-0000";
    r.terms_version = "2026-01";
    r.terms_accepted = true;
    r.role = role;
    auto made = store_->Register(r);
    if (!made.ok() && made.status().code() != StatusCode::kAlreadyExists) return made.status();
    CL_RETURN_IF_ERROR(store_->SetPublicKey(login, key.id()));
    return SignIn(login, r.password, key);
  }

  Result<Party> SignIn(const std::string& login, const std::string& password, const Signer& key) {
    grpc::ClientContext ctx;
    v1::LoginRequest req;
    req.set_login_id(login);
    req.set_password(password);
    v1::Session s;
    grpc::Status st = accounts_->Login(&ctx, req, &s);
    if (!st.ok()) return Status::Unauthenticated(login + ": " + st.error_message());
    return Party{login, key, s.access_token()};
  }

  // A trader signs up through the API and registers a fresh wallet key.
  Result<Party> SignUp(const std::string& login, const std::string& name) {
    grpc::ClientContext c0;
    v1::Terms terms;
    if (grpc::Status st = accounts_->GetTerms(&c0, v1::Empty(), &terms); !st.ok())
      return Status::Unavailable("terms: " + st.error_message());
    grpc::ClientContext c1;
    v1::RegisterRequest r;
    r.set_login_id(login);
    r.set_password("demo password " + login);
    r.set_name(name);
    r.set_address("경기도 성남시 분당구 판교역로 235");
    r.set_phone("010-5555-0101");
    r.set_terms_version(terms.version());
    r.set_agree_terms(true);
    v1::Session s;
    if (grpc::Status st = accounts_->Register(&c1, r, &s); !st.ok())
      return Status::FailedPrecondition("sign-up " + login + ": " + st.error_message());
    CL_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate());
    Party p{login, Signer{key, std::nullopt}, s.access_token()};
    grpc::ClientContext c2;
    c2.AddMetadata("authorization", "Bearer " + p.token);
    v1::SetPublicKeyRequest k;
    k.set_public_key_der(key.public_key().der());
    CL_ASSIGN_OR_RETURN(*k.mutable_proof_signature(), key.Sign("carledger-key:" + login));
    v1::Profile profile;
    if (grpc::Status st = accounts_->SetPublicKey(&c2, k, &profile); !st.ok())
      return Status::FailedPrecondition("wallet key " + login + ": " + st.error_message());
    return p;
  }

  Result<v1::TransactionOutcome> Step(const char* label, const Party& who,
                                      const std::string& contract, const std::string& function,
                                      const Json& args) {
    CL_ASSIGN_OR_RETURN(auto tx,
                        MakeTransaction(who.key, contract, function, args, ++nonce_, NowMs()));
    grpc::ClientContext ctx;
    ctx.AddMetadata("authorization", "Bearer " + who.token);
    v1::SubmitTransactionRequest req;
    *req.mutable_transaction() = tx;
    // Each kind of step through the service the app would use for it.
    v1::TransactionOutcome out;
    grpc::Status st;
    std::string shown;
    if (function == "request_charge" || function == "approve_charge") {
      v1::Charge charge;
      st = function == "request_charge" ? wallet_->RequestCharge(&ctx, req, &charge)
                                        : wallet_->DecideCharge(&ctx, req, &charge);
      out.set_tx_id(TxId(tx));
      shown = "charge " + charge.status();
    } else if (function == "open_escrow" || function == "hand_over" || function == "confirm") {
      v1::Trade trade;
      st = trades_->Step(&ctx, req, &trade);
      out = trade.last_step();
      shown = "trade " + trade.status();
    } else {
      st = market_->SubmitTransaction(&ctx, req, &out);
      shown = "VALID";
    }
    // A charge reply carries no block height (the charge record is what the app shows).
    std::string block = out.height() > 0 ? std::to_string(out.height()) : "-";
    std::printf("  %-34s %-10s block %-5s tx %s  %s\n", label, who.login.substr(0, 10).c_str(),
                block.c_str(),
                ToHex(out.tx_id()).substr(0, 12).c_str(),
                st.ok() ? shown.c_str() : st.error_message().c_str());
    if (!st.ok())
      return Status(static_cast<StatusCode>(st.error_code()),
                    std::string(label) + ": " + st.error_message());
    return out;
  }

  // The inspection workflow as the apps drive it: the seller asks the agency, the agency
  // accepts and submits its signed record.
  Status Inspect(const Party& seller, const Party& agency, const std::string& vin) {
    auto call = [&](const Party& who, const char* label, auto&& rpc) -> Status {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + who.token);
      v1::InspectionRequest r;
      grpc::Status st = rpc(&ctx, &r);
      std::printf("  %-34s %-10s request %-6s %s\n", label, who.login.substr(0, 10).c_str(),
                  r.id().c_str(), st.ok() ? r.status().c_str() : st.error_message().c_str());
      if (!st.ok())
        return Status(static_cast<StatusCode>(st.error_code()),
                      std::string(label) + ": " + st.error_message());
      request_id_ = r.id();
      return Status::Ok();
    };
    v1::RequestInspectionRequest ask;
    ask.set_vin(vin);
    ask.set_agency_id(agency.login);
    ask.set_location("서울 성동구 자동차시장길 1 (장안평)");
    ask.set_note("평일 오전 방문 가능");
    CL_RETURN_IF_ERROR(call(seller, "seller requests an inspection", [&](auto* ctx, auto* r) {
      return inspections_->RequestInspection(ctx, ask, r);
    }));
    v1::InspectionDecision accept;
    accept.set_request_id(request_id_);
    CL_RETURN_IF_ERROR(call(agency, "agency accepts it", [&](auto* ctx, auto* r) {
      return inspections_->Accept(ctx, accept, r);
    }));
    v1::SubmitResultRequest result;
    result.set_request_id(request_id_);
    CL_ASSIGN_OR_RETURN(*result.mutable_transaction(),
                        MakeTransaction(agency.key, "car_trade", "record_inspection",
                                        SampleInspection(vin, 42215, 2021), ++nonce_, NowMs()));
    return call(agency, "agency records the inspection",
                [&](auto* ctx, auto* r) { return inspections_->SubmitResult(ctx, result, r); });
  }

  NetworkDir net_;
  std::string request_id_;
  std::unique_ptr<v1::Accounts::Stub> accounts_;
  std::unique_ptr<v1::Market::Stub> market_;
  std::unique_ptr<v1::Wallet::Stub> wallet_;
  std::unique_ptr<v1::Trades::Stub> trades_;
  std::unique_ptr<v1::Community::Stub> community_;
  std::unique_ptr<v1::Inspections::Stub> inspections_;
  store::AccountStore* store_;
  uint64_t nonce_ = static_cast<uint64_t>(NowMs());
};

Status TradeRun::Run() {
  std::string run = std::to_string(NowMs() % 1000000);
  while (run.size() < 6) run = "0" + run;
  std::printf("CarLedger trade through the public API (run %s)\n\n", run.c_str());
  CL_ASSIGN_OR_RETURN(Party admin,
                      Bootstrap("ops-admin", store::Role::kAdmin, net_.ids.admins.front()));
  CL_ASSIGN_OR_RETURN(
      Signer agency_key,
      IssueMember(net_.ids.ca, Role::kAgency, "한국자동차진단 " + run, "KAI", NowMs() / 1000));
  CL_RETURN_IF_ERROR(SaveSigner(net_.root + "/agencies/kai-" + run, agency_key));
  CL_ASSIGN_OR_RETURN(Party agency, Bootstrap("kai-" + run, store::Role::kAgency, agency_key));
  CL_ASSIGN_OR_RETURN(Party seller, SignUp("seller-" + run, "이서연"));
  CL_ASSIGN_OR_RETURN(Party buyer, SignUp("buyer-" + run, "박지훈"));
  std::printf("  accounts: %s, %s (traders, signed up with the terms), %s, %s\n\n",
              seller.login.c_str(), buyer.login.c_str(), admin.login.c_str(), agency.login.c_str());

  Json a = Json::MakeObject();
  a["cert"] = ToHex(agency_key.certificate->der());
  CL_RETURN_IF_ERROR(Step("admin certifies the agency", admin, "_msp", "register", a).status());
  Json charge = Json::MakeObject();
  charge["amount"] = static_cast<int64_t>(30'000'000);
  CL_ASSIGN_OR_RETURN(auto cr, Step("buyer requests a wallet charge", buyer, "car_trade",
                                    "request_charge", charge));
  Json approve = Json::MakeObject();
  approve["charge_id"] = ToHex(cr.tx_id());
  CL_RETURN_IF_ERROR(
      Step("admin approves the charge", admin, "car_trade", "approve_charge", approve).status());

  std::string vin = "KMHD341CBNU" + run;
  Json car = SampleCarRegistration(vin, static_cast<uint64_t>(std::stoll(run)));
  car["make"] = "Hyundai";
  car["model"] = "Avante (CN7) 1.6 Smart";
  car["year"] = static_cast<int64_t>(2021);
  car["odometer_km"] = static_cast<int64_t>(42180);
  car["region"] = "서울";
  CL_RETURN_IF_ERROR(
      Step("seller registers the car", seller, "car_trade", "register_car", car).status());
  CL_RETURN_IF_ERROR(Inspect(seller, agency, vin));
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(18'500'000);
  CL_RETURN_IF_ERROR(
      Step("seller lists it at 18,500,000 won", seller, "car_trade", "list", list).status());
  CL_ASSIGN_OR_RETURN(
      auto esc, Step("buyer opens escrow (funds locked)", buyer, "car_trade", "open_escrow", list));
  Json eid = Json::MakeObject();
  eid["escrow_id"] = ToHex(esc.tx_id());
  CL_RETURN_IF_ERROR(
      Step("seller hands the car over", seller, "car_trade", "hand_over", eid).status());
  CL_RETURN_IF_ERROR(
      Step("buyer confirms the purchase", buyer, "car_trade", "confirm", eid).status());
  {  // The completed trade is reviewed (off-ledger, once per side).
    grpc::ClientContext rctx;
    rctx.AddMetadata("authorization", "Bearer " + buyer.token);
    v1::ReviewRequest review;
    review.set_escrow_id(ToHex(esc.tx_id()));
    review.set_rating(5);
    review.set_text("설명과 같은 상태의 차량이었습니다. 친절한 판매자입니다.");
    v1::ReviewEntry entry;
    if (grpc::Status rs = community_->Review(&rctx, review, &entry); !rs.ok())
      return Status::FailedPrecondition("review: " + rs.error_message());
    std::printf("  %-34s %-10s rating %d of 5 (about %s)\n", "buyer reviews the seller",
                buyer.login.substr(0, 10).c_str(), entry.rating(), entry.subject().c_str());
  }

  grpc::ClientContext bctx;
  bctx.AddMetadata("authorization", "Bearer " + seller.token);
  v1::Balance balance;
  if (grpc::Status bs = wallet_->GetBalance(&bctx, v1::Empty(), &balance); bs.ok())
    std::printf("\n  seller's wallet: %s won\n", FormatWon(balance.balance()).c_str());

  // The history, from the node, checked here against the CA alone.
  grpc::ClientContext ctx;
  v1::GetCarHistoryRequest req;
  req.set_vin(vin);
  v1::CarHistory history;
  grpc::Status st = market_->GetCarHistory(&ctx, req, &history);
  if (!st.ok()) return Status::Unavailable("history: " + st.error_message());
  HistoryCheck check = VerifyCarHistory(history, *net_.ids.ca.certificate, NowMs() / 1000);
  std::printf("\nHistory of %s (%zu events):\n", vin.c_str(),
              static_cast<size_t>(history.events_size()));
  for (const auto& e : history.events()) {
    auto ev = Json::Parse(e.event_json());
    std::printf("  #%-2llu %-18s block %-5llu %s\n", static_cast<unsigned long long>(e.seq()),
                ev.ok() ? ev->get_string("type").c_str() : "?",
                static_cast<unsigned long long>(e.block_height()),
                ev.ok() ? ev->get("data").Dump().substr(0, 70).c_str() : "");
  }
  auto carj = Json::Parse(history.car_json());
  if (carj.ok()) {
    std::printf("  owner now: %s (the buyer: %s)\n",
                carj->get_string("owner").substr(0, 16).c_str(),
                carj->get_string("owner") == buyer.key.id() ? "yes" : "no");
  }
  if (!check.ok) {
    std::printf("  NOT VERIFIED: %s\n", check.problem.c_str());
    return Status::DataLoss("the car's history did not verify: " + check.problem);
  }
  std::printf("  verified: %zu events, each block certified by at least %zu of %zu validators\n",
              check.events, check.signers, check.validators);
  return Status::Ok();
}

}  // namespace

int TradeCommand(const std::vector<std::string>& args) {
  std::string dir = Flag(args, "--network");
  std::string pg = Flag(args, "--pg");
  if (dir.empty() || pg.empty()) {
    std::fprintf(stderr, "trade: --network DIR and --pg CONNINFO are required\n");
    return 2;
  }
  auto net = LoadNetworkDir(dir);
  if (!net.ok()) {
    std::fprintf(stderr, "trade: %s\n", net.status().ToString().c_str());
    return 1;
  }
  std::string via = Flag(args, "--via", "node1");
  const Json* node = nullptr;
  for (const auto& n : net->manifest.get("nodes").as_array()) {
    if (n.get_string("name") == via) node = &n;
  }
  if (node == nullptr || node->get_string("api_address").empty()) {
    std::fprintf(stderr, "trade: network.json has no node '%s' with an api_address\n", via.c_str());
    return 2;
  }
  auto pool = store::PgPool::Open(pg, 2);
  auto migrated = pool.ok() ? store::Migrate(**pool) : Result<int>(pool.status());
  if (!migrated.ok()) {
    std::fprintf(stderr, "trade: PostgreSQL: %s\n", migrated.status().ToString().c_str());
    return 1;
  }
  store::SystemClock clock;
  store::AccountStore accounts(**pool, clock);
  grpc::SslCredentialsOptions creds;
  auto ca = ReadFile(dir + "/ca/ca.crt");
  if (!ca.ok()) {
    std::fprintf(stderr, "trade: %s\n", ca.status().ToString().c_str());
    return 1;
  }
  creds.pem_root_certs = *ca;
  grpc::ChannelArguments chargs;
  chargs.SetSslTargetNameOverride(node->get_string("tls_name"));
  auto channel = grpc::CreateCustomChannel(node->get_string("api_address"),
                                           grpc::SslCredentials(creds), chargs);
  TradeRun run(std::move(net).value(), channel, &accounts);
  Status st = run.Run();
  if (!st.ok()) {
    std::fprintf(stderr, "trade: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}

}  // namespace carledger::cli
