#include "service/api/wallet_trade_services.h"

#include <map>
#include <set>

#include "common/json.h"
#include "ledger/transaction.h"
#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/api/ledger_services.h"

namespace carledger::api {

namespace {

const std::string kWallet = "c/car_trade/wallet/";
const std::string kEscrow = "c/car_trade/escrow/";
const std::string kCharge = "c/car_trade/charge/";

// The function a signed transaction calls (INVALID_ARGUMENT if it does not parse).
Result<ledger::TxPayload> PayloadOf(const ledger::TxEnvelope& tx) {
  ledger::TxPayload p;
  if (!p.ParseFromString(tx.payload()))
    return Status::InvalidArgument("transaction: payload does not parse");
  return p;
}

void FillTrade(const Json& e, v1::Trade* t) {
  t->set_escrow_id(e.get_string("id"));
  t->set_vin(e.get_string("vin"));
  t->set_buyer(e.get_string("buyer"));
  t->set_seller(e.get_string("seller"));
  t->set_price(e.get_int("price"));
  t->set_status(e.get_string("status"));
  t->set_opened_ms(e.get_int("opened_at"));
  t->set_deadline_ms(e.get_int("deadline"));
  t->set_record_json(e.Dump());
}

// The parties' account ids, so the app can open a chat with the other party. Wallets are
// looked up once per call (`known`: wallet -> user id, "" for none).
void FillPartyIds(store::AccountStore* accounts, std::map<std::string, std::string>* known,
                  v1::Trade* t) {
  auto user_of = [&](const std::string& wallet) -> std::string {
    if (wallet.empty()) return "";
    auto [it, fresh] = known->try_emplace(wallet);
    if (fresh) {
      auto user = accounts->UserByWallet(wallet);
      if (user.ok()) it->second = *user;
    }
    return it->second;
  };
  t->set_buyer_user_id(user_of(t->buyer()));
  t->set_seller_user_id(user_of(t->seller()));
}

void FillCharge(const Json& c, v1::Charge* out) {
  out->set_charge_id(c.get_string("id"));
  out->set_requester(c.get_string("requester"));
  out->set_amount(c.get_int("amount"));
  out->set_status(c.get_string("status"));
  out->set_requested_ms(c.get_int("requested_at"));
  out->set_reason(c.get_string("reason"));
}

}  // namespace

grpc::Status WalletService::GetBalance(grpc::ServerContext* ctx, const v1::Empty*,
                                       v1::Balance* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  const std::string& wallet = caller->key_fingerprint;
  if (wallet.empty())
    return ToGrpc(
        Status::FailedPrecondition("register your wallet key first (Accounts.SetPublicKey)"), ctx);
  reply->set_wallet(wallet);
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    reply->set_height(l.height());
    auto raw = l.GetState(kWallet + wallet);
    if (raw.ok() && *raw) {
      auto w = Json::Parse(**raw);
      if (w.ok()) reply->set_balance(w->get_int("balance"));
    }
  });
  return ToGrpc(st, ctx);
}

grpc::Status WalletService::SubmitCharge(grpc::ServerContext* ctx,
                                         const v1::SubmitTransactionRequest* req,
                                         const std::set<std::string>& functions,
                                         v1::Charge* reply) {
  auto payload = PayloadOf(req->transaction());
  if (!payload.ok()) return ToGrpc(payload.status(), ctx);
  if (payload->contract() != "car_trade" || !functions.count(payload->function()))
    return ToGrpc(
        Status::InvalidArgument("transaction: must call car_trade." + *functions.begin() +
                                (functions.size() > 1 ? " or " + *functions.rbegin() : "")),
        ctx);
  auto allowed = CheckSubmitter(ctx, accounts_, req->transaction());
  if (!allowed.ok()) return ToGrpc(allowed.status(), ctx);
  auto out = SubmitOne(backend_, req->transaction(), 10000, *allowed);
  if (!out.ok()) return ToGrpc(out.status(), ctx);
  auto result = Json::Parse(out->output_json());
  std::string id = result.ok() ? result->get_string("charge_id") : "";
  auto rec = ReadStateJson(backend_, kCharge + id);
  if (!rec.ok()) return ToGrpc(rec.status(), ctx);
  FillCharge(*rec, reply);
  if (payload->function() != "request_charge") {
    Json note = Json::MakeObject();
    note["charge_id"] = reply->charge_id();
    note["status"] = reply->status();
    note["amount"] = reply->amount();
    note["reason"] = reply->reason();
    notifier_->NotifyWallet(reply->requester(), "charge", note);
  }
  return grpc::Status::OK;
}

grpc::Status WalletService::ListCharges(grpc::ServerContext* ctx, const v1::ListChargesRequest* req,
                                        v1::ListChargesReply* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  std::string wallet = caller->role == store::Role::kAdmin ? "" : caller->key_fingerprint;
  if (wallet.empty() && caller->role != store::Role::kAdmin) return grpc::Status::OK;
  auto page = parties_->Charges(wallet, req->status(), req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    for (const auto& id : page->ids) {
      auto raw = l.GetState(kCharge + id);
      if (!raw.ok() || !*raw) continue;
      auto c = Json::Parse(**raw);
      if (c.ok()) FillCharge(*c, reply->add_charges());
    }
  });
  if (!st.ok()) return ToGrpc(st, ctx);
  reply->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

grpc::Status WalletService::RequestCharge(grpc::ServerContext* ctx,
                                          const v1::SubmitTransactionRequest* req,
                                          v1::Charge* reply) {
  return SubmitCharge(ctx, req, {"request_charge"}, reply);
}

grpc::Status WalletService::DecideCharge(grpc::ServerContext* ctx,
                                         const v1::SubmitTransactionRequest* req,
                                         v1::Charge* reply) {
  return SubmitCharge(ctx, req, {"approve_charge", "decline_charge"}, reply);
}

grpc::Status TradesService::Step(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                                 v1::Trade* reply) {
  static const std::set<std::string> kSteps = {
      "open_escrow", "hand_over", "confirm", "auto_confirm", "dispute", "cancel", "resolve"};
  auto payload = PayloadOf(req->transaction());
  if (!payload.ok()) return ToGrpc(payload.status(), ctx);
  if (payload->contract() != "car_trade" || !kSteps.count(payload->function()))
    return ToGrpc(Status::InvalidArgument(
                      "transaction: a trade step calls car_trade.open_escrow, hand_over, confirm, "
                      "auto_confirm, dispute, cancel or resolve"),
                  ctx);
  auto allowed = CheckSubmitter(ctx, accounts_, req->transaction());
  if (!allowed.ok()) return ToGrpc(allowed.status(), ctx);
  auto out = SubmitOne(backend_, req->transaction(),
                       req->timeout_ms() > 0 ? req->timeout_ms() : 10000, *allowed);
  if (!out.ok()) return ToGrpc(out.status(), ctx);
  auto result = Json::Parse(out->output_json());
  std::string id = result.ok() ? result->get_string("escrow_id") : "";
  auto rec = ReadStateJson(backend_, kEscrow + id);
  if (!rec.ok()) return ToGrpc(rec.status(), ctx);
  FillTrade(*rec, reply);
  *reply->mutable_last_step() = std::move(out).value();
  NotifyParties(*reply, payload->function(), (*allowed)->key.Fingerprint());
  return grpc::Status::OK;
}

grpc::Status TradesService::ListMyTrades(grpc::ServerContext* ctx, const v1::ListTradesRequest* req,
                                         v1::ListTradesReply* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  if (caller->key_fingerprint.empty()) return grpc::Status::OK;  // no wallet, no trades
  auto page = parties_->Trades(caller->key_fingerprint, req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    for (const auto& id : page->ids) {
      auto raw = l.GetState(kEscrow + id);
      if (!raw.ok() || !*raw) continue;
      auto e = Json::Parse(**raw);
      if (e.ok()) FillTrade(*e, reply->add_trades());
    }
  });
  if (!st.ok()) return ToGrpc(st, ctx);
  std::map<std::string, std::string> known = {{caller->key_fingerprint, caller->user_id}};
  for (auto& t : *reply->mutable_trades()) FillPartyIds(accounts_, &known, &t);
  reply->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

void TradesService::NotifyParties(const v1::Trade& trade, const std::string& step,
                                  const std::string& by) {
  Json payload = Json::MakeObject();
  payload["escrow_id"] = trade.escrow_id();
  payload["vin"] = trade.vin();
  payload["step"] = step;
  payload["status"] = trade.status();
  payload["price"] = trade.price();
  payload["deadline_ms"] = trade.deadline_ms();
  for (const std::string& wallet : {trade.buyer(), trade.seller()}) {
    if (wallet.empty() || wallet == by) continue;
    notifier_->NotifyWallet(wallet, "trade", payload);
  }
}

grpc::Status TradesService::GetTrade(grpc::ServerContext* ctx, const v1::GetTradeRequest* req,
                                     v1::Trade* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  if (!IsHex64(req->escrow_id()))
    return ToGrpc(Status::InvalidArgument("escrow_id: must be 64 lower-case hex digits"), ctx);
  auto rec = ReadStateJson(backend_, kEscrow + req->escrow_id());
  if (!rec.ok()) {
    if (rec.status().code() == StatusCode::kNotFound)
      return ToGrpc(Status::NotFound("escrow_id: no trade " + req->escrow_id()), ctx);
    return ToGrpc(rec.status(), ctx);
  }
  // A trade is its parties' (and the administrators') business.
  const std::string& wallet = caller->key_fingerprint;
  bool party = !wallet.empty() &&
               (wallet == rec->get_string("buyer") || wallet == rec->get_string("seller"));
  if (!party && caller->role != store::Role::kAdmin)
    return ToGrpc(Status::PermissionDenied("escrow_id: you are not a party to this trade"), ctx);
  FillTrade(*rec, reply);
  std::map<std::string, std::string> known;
  if (!wallet.empty()) known[wallet] = caller->user_id;
  FillPartyIds(accounts_, &known, reply);
  return grpc::Status::OK;
}

}  // namespace carledger::api
