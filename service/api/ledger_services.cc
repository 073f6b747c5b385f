#include "service/api/ledger_services.h"

#include <chrono>
#include <set>

#include "common/block_format.h"
#include "ledger/transaction.h"
#include "service/api/accounts_service.h"
#include "service/api/api_status.h"
#include "service/api/ledger_views.h"

namespace carledger::api {

void BlockFeed::Committed(uint64_t height) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    height_ = std::max(height_, height);
  }
  cv_.notify_all();
}

bool BlockFeed::WaitFor(uint64_t height, int timeout_ms) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    return height_ > height || stopped_;
  }) && !stopped_;
}

void BlockFeed::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
}

Result<Json> ReadStateJson(service::NodeBackend* backend, const std::string& key) {
  Result<Json> out = Status::NotFound("no record at " + key);
  CL_RETURN_IF_ERROR(backend->ReadLedgerNow([&](const Ledger& l) {
    auto raw = l.GetState(key);
    if (!raw.ok()) {
      out = raw.status();
    } else if (*raw) {
      out = Json::Parse(**raw);
    }
  }));
  return out;
}

bool IsHex64(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<v1::TransactionOutcome> SubmitOne(service::NodeBackend* backend,
                                         const ledger::TxEnvelope& tx, int timeout_ms,
                                         std::shared_ptr<VerifiedTx> verified) {
  std::vector<std::shared_ptr<VerifiedTx>> checked = {std::move(verified)};
  auto outcomes = backend->SubmitAndWait({tx}, timeout_ms, &checked);
  const auto& o = outcomes.front();
  if (!o.status.ok()) {
    if (o.status.code() == StatusCode::kInvalidArgument ||
        o.status.code() == StatusCode::kUnauthenticated)
      return Status::InvalidArgument("transaction: " + o.status.message());
    return o.status;
  }
  v1::TransactionOutcome out;
  out.set_tx_id(o.tx.tx_id());
  out.set_height(o.tx.height());
  out.set_code(static_cast<ledger::ValidationCode>(o.tx.code()));
  out.set_reason(o.tx.reason());
  if (o.tx.code() != ledger::VALID) {
    if (o.tx.code() == ledger::REJECTED) return RejectionStatus(o.tx.reason());
    return Status::FailedPrecondition(o.tx.reason());
  }
  // Carried by the commit notice: no block is read back for it.
  out.set_output_json(o.tx.output());
  return out;
}

Result<std::shared_ptr<VerifiedTx>> CheckSubmitter(const grpc::ServerContext* ctx,
                                                   store::AccountStore* accounts,
                                                   const ledger::TxEnvelope& tx) {
  CL_ASSIGN_OR_RETURN(auto caller, Authenticate(ctx, accounts));
  auto verified = VerifyTransaction(tx);
  if (!verified.ok()) return Status::InvalidArgument("transaction: " + verified.status().message());
  std::string signer = verified->key.Fingerprint();
  if (caller.key_fingerprint.empty())
    return Status::FailedPrecondition(
        "register your wallet key first (Accounts.SetPublicKey); transactions are signed with it");
  if (signer != caller.key_fingerprint)
    return Status::PermissionDenied("transaction: signed with key " + signer.substr(0, 16) +
                                    "…, but this account's wallet key is " +
                                    caller.key_fingerprint.substr(0, 16) + "…");
  static const std::set<std::string> kTrading = {"list",      "reprice",  "open_escrow",
                                                 "hand_over", "confirm",  "dispute",
                                                 "cancel",    "transfer", "auto_confirm"};
  const auto& p = verified->payload;
  CL_RETURN_IF_ERROR(
      CheckWriteAllowed(caller, p.contract() == "car_trade" && kTrading.count(p.function())));
  static const std::set<std::string> kListing = {"register_car", "list", "reprice"};
  if (p.contract() == "car_trade" && kListing.count(p.function()))
    CL_RETURN_IF_ERROR(CheckListingAllowed(caller));
  return std::make_shared<VerifiedTx>(std::move(verified).value());
}

// ---- Market

grpc::Status MarketService::SubmitTransaction(grpc::ServerContext* ctx,
                                              const v1::SubmitTransactionRequest* req,
                                              v1::TransactionOutcome* reply) {
  if (!req->has_transaction() || req->transaction().payload().empty())
    return ToGrpc(Status::InvalidArgument("transaction: required"), ctx);
  if (req->timeout_ms() < 0 || req->timeout_ms() > 60000)
    return ToGrpc(Status::InvalidArgument("timeout_ms: 0 (default 10 s) to 60000"), ctx);
  auto allowed = CheckSubmitter(ctx, accounts_, req->transaction());
  if (!allowed.ok()) return ToGrpc(allowed.status(), ctx);
  auto out = SubmitOne(backend_, req->transaction(),
                       req->timeout_ms() == 0 ? 10000 : req->timeout_ms(), *allowed);
  if (!out.ok()) return ToGrpc(out.status(), ctx);
  *reply = std::move(out).value();
  return grpc::Status::OK;
}

grpc::Status MarketService::UploadPhoto(grpc::ServerContext* ctx, const v1::UploadPhotoRequest* req,
                                        v1::PhotoRef* reply) {
  if (photos_ == nullptr)
    return ToGrpc(Status::Unavailable("this node has no photo store; use another node"), ctx);
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  Status allowed = CheckWriteAllowed(*caller, /*trading=*/false);
  if (!allowed.ok()) return ToGrpc(allowed, ctx);
  auto hash = photos_->Put(caller->user_id, req->mime_type(), req->data());
  if (!hash.ok()) return ToGrpc(hash.status(), ctx);
  reply->set_sha256(*hash);
  reply->set_size(static_cast<int64_t>(req->data().size()));
  return grpc::Status::OK;
}

grpc::Status MarketService::GetPhoto(grpc::ServerContext* ctx, const v1::GetPhotoRequest* req,
                                     v1::Photo* reply) {
  if (photos_ == nullptr)
    return ToGrpc(Status::Unavailable("this node has no photo store; use another node"), ctx);
  auto photo = photos_->Get(req->sha256());
  if (!photo.ok()) return ToGrpc(photo.status(), ctx);
  reply->set_sha256(photo->sha256);
  reply->set_mime_type(photo->mime_type);
  reply->set_data(std::move(photo->bytes));
  return grpc::Status::OK;
}

grpc::Status MarketService::Search(grpc::ServerContext* ctx, const v1::SearchRequest* req,
                                   v1::SearchReply* reply) {
  // proto3: an unset number is 0 and an unset text "" — both mean "no filter".
  search::ListingQuery q;
  auto text = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional(v); };
  auto number = [](int64_t v) { return v == 0 ? std::nullopt : std::optional<int64_t>(v); };
  q.make = text(req->make());
  q.model = text(req->model());
  q.fuel = text(req->fuel());
  q.transmission = text(req->transmission());
  q.region = text(req->region());
  q.seller = text(req->seller());
  q.year_min = number(req->year_min());
  q.year_max = number(req->year_max());
  q.price_min = number(req->price_min());
  q.price_max = number(req->price_max());
  q.mileage_min = number(req->mileage_min_km());
  q.mileage_max = number(req->mileage_max_km());
  q.sort = static_cast<search::SortOrder>(static_cast<int>(req->sort()));
  q.page_size = req->page_size() == 0 ? 20 : req->page_size();
  q.page_token = req->page_token();
  auto page = index_->Search(q);
  if (!page.ok())
    return ToGrpc(RenameFields(page.status(), {{"mileage_min", "mileage_min_km"},
                                               {"mileage_max", "mileage_max_km"}}),
                  ctx);
  for (const auto& l : page->listings) {
    auto* r = reply->add_results();
    r->set_vin(l.vin);
    r->set_make(l.make);
    r->set_model(l.model);
    r->set_year(static_cast<int32_t>(l.year));
    r->set_fuel(l.fuel);
    r->set_transmission(l.transmission);
    r->set_colour(l.colour);
    r->set_region(l.region);
    r->set_price(l.price);
    r->set_odometer_km(l.odometer_km);
    r->set_seller(l.seller);
    r->set_listed_ms(l.listed_at_ms);
    r->set_thumbnail(l.photo);
    r->set_accidents(static_cast<int32_t>(l.summary.accidents));
    r->set_flood(l.summary.flood);
    r->set_rollback(l.summary.rollback);
    r->set_fraud(l.summary.fraud);
    r->set_inspections(static_cast<int32_t>(l.summary.inspections));
  }
  reply->set_next_page_token(page->next_page_token);
  reply->set_total(static_cast<int64_t>(page->total));
  reply->set_height(page->height);
  return grpc::Status::OK;
}

grpc::Status MarketService::GetCar(grpc::ServerContext* ctx, const v1::GetCarRequest* req,
                                   v1::Car* reply) {
  auto vin = NormaliseVin(req->vin());
  if (!vin.ok()) return ToGrpc(vin.status(), ctx);
  Status result;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    auto car = ReadCar(l, *vin);
    if (car.ok()) *reply = std::move(car).value();
    result = car.status();
  });
  if (!st.ok() || !result.ok()) return ToGrpc(st.ok() ? result : st, ctx);
  // The owner's public profile: who a buyer would deal with. Best effort: a car whose
  // owner has no account here (registered through another node's operator) still shows.
  auto record = Json::Parse(reply->record_json());
  std::string owner = record.ok() ? record->get_string("owner") : "";
  if (accounts_ && !owner.empty()) {
    auto user = accounts_->UserByWallet(owner);
    auto profile = user.ok() ? accounts_->GetProfile(*user) : Result<store::Profile>(user.status());
    if (profile.ok()) {
      *reply->mutable_seller() = ToApi(*profile, {}, /*full=*/false);
      AddRating(community_, *user, reply->mutable_seller());
    }
  }
  return grpc::Status::OK;
}

grpc::Status MarketService::GetCarHistory(grpc::ServerContext* ctx,
                                          const v1::GetCarHistoryRequest* req,
                                          v1::CarHistory* reply) {
  auto vin = NormaliseVin(req->vin());
  if (!vin.ok()) return ToGrpc(vin.status(), ctx);
  Status result;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    auto history = ReadCarHistory(l, *vin);
    if (history.ok()) *reply = std::move(history).value();
    result = history.status();
  });
  return ToGrpc(st.ok() ? result : st, ctx);
}

grpc::Status MarketService::ListMyCars(grpc::ServerContext* ctx, const v1::ListMyCarsRequest* req,
                                       v1::ListMyCarsReply* reply) {
  auto caller = Authenticate(ctx, accounts_);
  if (!caller.ok()) return ToGrpc(caller.status(), ctx);
  if (parties_ == nullptr)
    return ToGrpc(Status::Unavailable("this node keeps no index of owners"), ctx);
  if (caller->key_fingerprint.empty()) return grpc::Status::OK;  // no wallet, no cars
  auto page = parties_->Cars(caller->key_fingerprint, req->page_size(), req->page_token());
  if (!page.ok()) return ToGrpc(page.status(), ctx);
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    for (const auto& vin : page->ids) {
      auto car = ReadCar(l, vin);
      if (car.ok()) *reply->add_cars() = std::move(car).value();
    }
  });
  if (!st.ok()) return ToGrpc(st, ctx);
  reply->set_next_page_token(page->next_page_token);
  return grpc::Status::OK;
}

// ---- Explorer

grpc::Status ExplorerService::GetChainInfo(grpc::ServerContext* ctx, const v1::Empty*,
                                           v1::ChainInfo* reply) {
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    reply->set_height(l.height());
    reply->set_last_block_hash(l.last_block_hash());
    reply->set_state_hash(l.state().state_hash());
    reply->set_epoch_blocks(l.epoch_blocks());
    auto set = l.Validators();
    if (set.ok()) {
      for (const auto& [id, key] : *set) reply->add_validators(id);
    }
  });
  if (!st.ok()) return ToGrpc(st, ctx);
  // From the consensus thread's last tick: the explorer never waits on consensus.
  service::NodeBackend::ConsensusView node = backend_->CurrentView();
  reply->set_node_role(node.role);
  reply->set_view(node.view);
  reply->set_leader(node.leader);
  return grpc::Status::OK;
}

grpc::Status ExplorerService::GetBlock(grpc::ServerContext* ctx, const v1::GetBlockRequest* req,
                                       ledger::Block* reply) {
  if (req->at_case() == v1::GetBlockRequest::AT_NOT_SET)
    return ToGrpc(Status::InvalidArgument("height: give a height or a hash"), ctx);
  if (req->at_case() == v1::GetBlockRequest::kHash && req->hash().size() != 32)
    return ToGrpc(Status::InvalidArgument("hash: must be 32 bytes (SHA-256)"), ctx);
  Status result;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    if (req->at_case() == v1::GetBlockRequest::kHeight) {
      if (req->height() >= l.height()) {
        result = Status::NotFound("height: the chain has " + std::to_string(l.height()) +
                                  " blocks (0.." + std::to_string(l.height() - 1) + ")");
        return;
      }
      auto b = l.GetBlock(req->height());
      if (b.ok()) *reply = std::move(b).value();
      result = b.status();
      return;
    }
    auto h = l.FindBlockByHash(req->hash());
    if (!h.ok()) {
      result = h.status();
      return;
    }
    auto b = l.GetBlock(*h);
    if (b.ok()) *reply = std::move(b).value();
    result = b.status();
  });
  return ToGrpc(st.ok() ? result : st, ctx);
}

grpc::Status ExplorerService::GetTransaction(grpc::ServerContext* ctx,
                                             const v1::GetTransactionRequest* req,
                                             v1::TransactionDetail* reply) {
  if (req->tx_id().size() != 32)
    return ToGrpc(Status::InvalidArgument("tx_id: must be 32 bytes (SHA-256)"), ctx);
  Status result;
  Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
    auto tx = ReadTransaction(l, req->tx_id());
    if (tx.ok()) *reply = std::move(tx).value();
    result = tx.status();
  });
  return ToGrpc(st.ok() ? result : st, ctx);
}

grpc::Status ExplorerService::WatchBlocks(grpc::ServerContext* ctx,
                                          const v1::WatchBlocksRequest* req,
                                          grpc::ServerWriter<ledger::Block>* writer) {
  uint64_t next = req->from_height();
  while (!ctx->IsCancelled()) {
    std::vector<ledger::Block> batch;
    Status st = backend_->ReadLedgerNow([&](const Ledger& l) {
      for (uint64_t h = next; h < l.height() && batch.size() < 64; ++h) {
        auto b = l.GetBlock(h);
        if (!b.ok()) break;
        batch.push_back(std::move(b).value());
      }
    });
    if (!st.ok()) return ToGrpc(st, ctx);
    for (auto& b : batch) {
      if (req->headers_only()) {
        b.clear_transactions();
        b.clear_results();
      }
      if (!writer->Write(b)) return grpc::Status::CANCELLED;
      ++next;
    }
    if (batch.empty() && !feed_->WaitFor(next, 500) && ctx->IsCancelled()) break;
  }
  return grpc::Status::CANCELLED;
}

}  // namespace carledger::api
