#include "service/api/api_server.h"

#include <cstdio>

#include "service/api/accounts_service.h"
#include "service/api/admin_service.h"
#include "service/api/chat_service.h"
#include "service/api/community_service.h"
#include "service/api/inspections_service.h"
#include "service/api/ledger_services.h"
#include "service/api/notifications_service.h"
#include "service/api/wallet_trade_services.h"
#include "service/search/listing_indexer.h"

namespace carledger::api {

namespace {

// A store over the node's database; null when the node has none.
template <typename Store>
std::unique_ptr<Store> StoreFor(const ApiOptions& o) {
  return o.pool && o.clock ? std::make_unique<Store>(*o.pool, *o.clock) : nullptr;
}

// Notifications are stored and delivered when there is a database; dropped otherwise.
std::unique_ptr<Notifier> MakeNotifier(const ApiOptions& o) {
  if (o.pool && o.clock) return std::make_unique<PgNotifier>(*o.pool, *o.clock);
  return std::make_unique<NullNotifier>();
}

// Idle call threads the public API keeps (see Start).
constexpr int kMaxIdleThreads = 256;

class Server final : public ApiServer {
 public:
  explicit Server(const ApiOptions& o)
      : options_(o),
        hub_(o.pool && o.clock ? std::make_unique<NotificationHub>(o.pool->conninfo()) : nullptr),
        notifier_(MakeNotifier(o)),
        indexer_(&index_),
        inspection_store_(StoreFor<store::InspectionStore>(o)),
        photo_store_(StoreFor<store::PhotoStore>(o)),
        community_store_(StoreFor<store::CommunityStore>(o)),
        accounts_(o.accounts, o.terms_version, community_store_.get()),
        market_(o.backend, o.accounts, &index_, photo_store_.get(), community_store_.get(),
                &parties_),
        wallet_(o.backend, o.accounts, &parties_, notifier_.get()),
        trades_(o.backend, o.accounts, &parties_, notifier_.get()),
        inspections_(o.backend, o.accounts, inspection_store_.get(), notifier_.get()),
        explorer_(o.backend, &feed_),
        chat_handlers_(o.accounts && hub_ ? std::make_unique<ChatHandlers>(o.accounts, *o.pool,
                                                                           *o.clock, hub_.get())
                                          : nullptr),
        community_(o.backend, o.accounts, community_store_.get(), chat_handlers_.get()),
        admin_(o.backend, o.accounts, community_store_.get(), notifier_.get(), o.ca_cert_pem,
               o.ca_key_pem),
        notifications_(o.accounts && hub_ ? std::make_unique<NotificationsService>(
                                                o.accounts, *o.pool, *o.clock, hub_.get())
                                          : nullptr) {}
  ~Server() override { Shutdown(); }

  Status Init() {
    // The search index from the node's own ledger, then kept in step block by block (the
    // listener is added in the same consensus-thread task, so no block falls between).
    Status built, parties_built;
    Status st = options_.backend->ReadLedger([&](const Ledger& l) {
      feed_.Committed(l.height());
      built = indexer_.Rebuild(l);
      parties_built = parties_.Rebuild(l);
      options_.backend->AddBlockListener([this](const ledger::Block& b, const Ledger& ledger) {
        feed_.Committed(b.header().height() + 1);
        Status s = indexer_.OnBlock(b, ledger);
        if (!s.ok())
          std::fprintf(stderr, "search index: block %llu: %s\n",
                       static_cast<unsigned long long>(b.header().height()), s.ToString().c_str());
        s = parties_.OnBlock(b, ledger);
        if (!s.ok())
          std::fprintf(stderr, "trade index: block %llu: %s\n",
                       static_cast<unsigned long long>(b.header().height()), s.ToString().c_str());
      });
    });
    if (!st.ok()) return st;
    if (!built.ok()) return built.WithContext("building the search index");
    if (!parties_built.ok()) return parties_built.WithContext("building the trade index");
    grpc::ServerBuilder builder;
    grpc::SslServerCredentialsOptions creds;  // server-side TLS: apps trust the network's CA
    creds.pem_key_cert_pairs.push_back({options_.tls.key_pem, options_.tls.cert_pem});
    builder.AddListeningPort(options_.listen, grpc::SslServerCredentials(creds), &port_);
    builder.SetMaxReceiveMessageSize(16 << 20);
    // Calls block their thread while a transaction commits. With gRPC's default of at
    // most 2 idle threads per queue, every finished call ended its thread and the next
    // call started one: thread creation, stack faults and unmapping cost more CPU than
    // the calls at a hundred concurrent traders. Idle threads are now kept for reuse.
    builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                                kMaxIdleThreads);
    if (options_.metrics) {
      std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> timing;
      timing.push_back(options_.metrics->InterceptorFactory());
      builder.experimental().SetInterceptorCreators(std::move(timing));
    }
    if (options_.accounts) {
      builder.RegisterService(&accounts_);
      builder.RegisterService(&wallet_);
      builder.RegisterService(&trades_);
    }
    builder.RegisterService(&inspections_);
    if (options_.accounts && community_store_) {
      builder.RegisterService(&community_);
      builder.RegisterService(&admin_);
    }
    if (notifications_) builder.RegisterService(notifications_.get());
    builder.RegisterService(&market_);
    builder.RegisterService(&explorer_);
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) return Status::Unavailable("cannot listen on " + options_.listen);
    return Status::Ok();
  }

  void Shutdown() override {
    if (!server_ || stopped_.exchange(true)) return;
    feed_.Stop();
    if (hub_) hub_->Stop();  // chat and notification streams end now
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  }

  std::string address() const override {
    std::string host = options_.listen.substr(0, options_.listen.rfind(':'));
    return host + ":" + std::to_string(port_);
  }

 private:
  ApiOptions options_;
  std::unique_ptr<NotificationHub> hub_;  // live wake-ups for chat and notifications
  std::unique_ptr<Notifier> notifier_;
  BlockFeed feed_;
  search::ListingIndex index_;
  search::ListingIndexer indexer_;
  PartyIndex parties_;
  std::unique_ptr<store::InspectionStore> inspection_store_;
  std::unique_ptr<store::PhotoStore> photo_store_;
  std::unique_ptr<store::CommunityStore> community_store_;  // null without a database
  AccountsService accounts_;
  MarketService market_;
  WalletService wallet_;
  TradesService trades_;
  InspectionsService inspections_;
  ExplorerService explorer_;
  std::unique_ptr<ChatHandlers> chat_handlers_;  // null without a database
  CommunityService community_;
  AdminService admin_;
  std::unique_ptr<NotificationsService> notifications_;  // null without a database
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<bool> stopped_{false};
};

}  // namespace

Result<std::unique_ptr<ApiServer>> ApiServer::Start(const ApiOptions& options) {
  if (options.backend == nullptr) return Status::InvalidArgument("the API needs a node backend");
  auto server = std::make_unique<Server>(options);
  CL_RETURN_IF_ERROR(server->Init());
  return std::unique_ptr<ApiServer>(std::move(server));
}

}  // namespace carledger::api
