// The ledger-backed services of the public API: Market (submit signed transactions, car
// details, verifiable history) and Explorer (chain info, blocks, transactions, a block
// stream).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include "carledger_api.grpc.pb.h"
#include "service/api/party_index.h"
#include "service/cluster_node.h"
#include "service/search/listing_index.h"
#include "service/store/accounts.h"
#include "service/store/community.h"
#include "service/store/photos.h"

namespace carledger::api {

// The newest committed height, for streams waiting on new blocks.
class BlockFeed {
 public:
  void Committed(uint64_t height);
  // Waits until a block at `height` or above is committed (false after `timeout_ms`).
  bool WaitFor(uint64_t height, int timeout_ms);
  void Stop();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t height_ = 0;  // blocks committed
  bool stopped_ = false;
};

class MarketService final : public v1::Market::Service {
 public:
  // `photos` may be null (no database): photo RPCs are then UNAVAILABLE. `accounts` and
  // `community` may be null: GetCar then leaves out the seller's profile and rating.
  // `parties` may be null: ListMyCars is then UNAVAILABLE.
  MarketService(service::NodeBackend* backend, store::AccountStore* accounts,
                const search::ListingIndex* index, store::PhotoStore* photos,
                store::CommunityStore* community, const PartyIndex* parties = nullptr)
      : backend_(backend),
        accounts_(accounts),
        index_(index),
        photos_(photos),
        community_(community),
        parties_(parties) {}
  grpc::Status Search(grpc::ServerContext* ctx, const v1::SearchRequest* req,
                      v1::SearchReply* reply) override;
  grpc::Status SubmitTransaction(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                                 v1::TransactionOutcome* reply) override;
  grpc::Status GetCar(grpc::ServerContext* ctx, const v1::GetCarRequest* req,
                      v1::Car* reply) override;
  grpc::Status GetCarHistory(grpc::ServerContext* ctx, const v1::GetCarHistoryRequest* req,
                             v1::CarHistory* reply) override;
  grpc::Status ListMyCars(grpc::ServerContext* ctx, const v1::ListMyCarsRequest* req,
                          v1::ListMyCarsReply* reply) override;
  grpc::Status UploadPhoto(grpc::ServerContext* ctx, const v1::UploadPhotoRequest* req,
                           v1::PhotoRef* reply) override;
  grpc::Status GetPhoto(grpc::ServerContext* ctx, const v1::GetPhotoRequest* req,
                        v1::Photo* reply) override;

 private:
  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  const search::ListingIndex* index_;
  store::PhotoStore* photos_;
  store::CommunityStore* community_;
  const PartyIndex* parties_;
};

// Whether a caller may submit `tx`: signed in, signed with the wallet key registered to
// the account, and not restricted from this kind of transaction. Returns the checked
// transaction (its signature need not be checked again).
Result<std::shared_ptr<VerifiedTx>> CheckSubmitter(const grpc::ServerContext* ctx,
                                                   store::AccountStore* accounts,
                                                   const ledger::TxEnvelope& tx);

class ExplorerService final : public v1::Explorer::Service {
 public:
  ExplorerService(service::NodeBackend* backend, BlockFeed* feed)
      : backend_(backend), feed_(feed) {}
  grpc::Status GetChainInfo(grpc::ServerContext* ctx, const v1::Empty* req,
                            v1::ChainInfo* reply) override;
  grpc::Status GetBlock(grpc::ServerContext* ctx, const v1::GetBlockRequest* req,
                        ledger::Block* reply) override;
  grpc::Status GetTransaction(grpc::ServerContext* ctx, const v1::GetTransactionRequest* req,
                              v1::TransactionDetail* reply) override;
  grpc::Status WatchBlocks(grpc::ServerContext* ctx, const v1::WatchBlocksRequest* req,
                           grpc::ServerWriter<ledger::Block>* writer) override;

 private:
  service::NodeBackend* backend_;
  BlockFeed* feed_;
};

// Submits one signed transaction and maps its fate to a status: a bad signature or a
// contract rejection naming a field is INVALID_ARGUMENT, another rejection
// FAILED_PRECONDITION, no commit in time DEADLINE_EXCEEDED.
Result<v1::TransactionOutcome> SubmitOne(service::NodeBackend* backend,
                                         const ledger::TxEnvelope& tx, int timeout_ms,
                                         std::shared_ptr<VerifiedTx> verified = nullptr);

// The JSON record at world-state key `key` (e.g. "c/car_trade/escrow/<id>"), read beside
// consensus; NOT_FOUND when there is none.
Result<Json> ReadStateJson(service::NodeBackend* backend, const std::string& key);

// 64 lower-case hex digits (transaction, escrow and charge ids).
bool IsHex64(const std::string& s);

}  // namespace carledger::api
