// Wallet and Trades in the public API. Balances, escrows and charges live on the ledger
// (car_trade); every change is a transaction signed by the party who makes it, submitted
// here like any other, and answered with the record as it stands after the commit.
#pragma once

#include <set>
#include <string>

#include "carledger_api.grpc.pb.h"
#include "service/api/notifier.h"
#include "service/api/party_index.h"
#include "service/cluster_node.h"
#include "service/store/accounts.h"

namespace carledger::api {

class WalletService final : public v1::Wallet::Service {
 public:
  WalletService(service::NodeBackend* backend, store::AccountStore* accounts,
                const PartyIndex* parties, Notifier* notifier)
      : backend_(backend), accounts_(accounts), parties_(parties), notifier_(notifier) {}
  grpc::Status GetBalance(grpc::ServerContext* ctx, const v1::Empty* req,
                          v1::Balance* reply) override;
  grpc::Status RequestCharge(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                             v1::Charge* reply) override;
  grpc::Status DecideCharge(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                            v1::Charge* reply) override;
  // A user's own charges; an administrator's are everyone's (status "pending": the queue).
  grpc::Status ListCharges(grpc::ServerContext* ctx, const v1::ListChargesRequest* req,
                           v1::ListChargesReply* reply) override;

 private:
  grpc::Status SubmitCharge(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                            const std::set<std::string>& functions, v1::Charge* reply);
  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  const PartyIndex* parties_;
  Notifier* notifier_;
};

class TradesService final : public v1::Trades::Service {
 public:
  TradesService(service::NodeBackend* backend, store::AccountStore* accounts,
                const PartyIndex* parties, Notifier* notifier)
      : backend_(backend), accounts_(accounts), parties_(parties), notifier_(notifier) {}
  grpc::Status Step(grpc::ServerContext* ctx, const v1::SubmitTransactionRequest* req,
                    v1::Trade* reply) override;
  grpc::Status GetTrade(grpc::ServerContext* ctx, const v1::GetTradeRequest* req,
                        v1::Trade* reply) override;
  // The caller's trades (as buyer or seller), newest first.
  grpc::Status ListMyTrades(grpc::ServerContext* ctx, const v1::ListTradesRequest* req,
                            v1::ListTradesReply* reply) override;

 private:
  // Tells the party who did not take the step (both, for an administrator's resolution).
  void NotifyParties(const v1::Trade& trade, const std::string& step, const std::string& by);
  service::NodeBackend* backend_;
  store::AccountStore* accounts_;
  const PartyIndex* parties_;
  Notifier* notifier_;
};

}  // namespace carledger::api
