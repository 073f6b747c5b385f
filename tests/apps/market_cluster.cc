#include "tests/apps/market_cluster.h"

#include <chrono>

#include "common/block_format.h"

namespace carledger::testing {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address, const std::string& tls_name,
                                         const std::string& ca_pem) {
  grpc::SslCredentialsOptions creds;
  creds.pem_root_certs = ca_pem;
  grpc::ChannelArguments args;
  args.SetSslTargetNameOverride(tls_name);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(creds), args);
}

}  // namespace

// Forwards the market API to a real node, lying about cars (Tamper): the first event's data
// altered (a lower odometer reading: the fraud the history exists to expose); the last
// events left out with the car record rewritten to match, which no certificate can reveal,
// only another node; or only GetCar's record altered, the history left true.
class MarketCluster::TamperingMarket final : public v1::Market::Service {
 public:
  TamperingMarket(std::shared_ptr<grpc::Channel> upstream, Tamper how)
      : upstream_(v1::Market::NewStub(std::move(upstream))), how_(how) {}

  grpc::Status GetCarHistory(grpc::ServerContext*, const v1::GetCarHistoryRequest* req,
                             v1::CarHistory* reply) override {
    grpc::ClientContext ctx;
    grpc::Status st = upstream_->GetCarHistory(&ctx, *req, reply);
    if (!st.ok() || reply->events_size() == 0) return st;
    if (how_ == Tamper::kDropLastEvents) {
      DropLastEvents(reply);
      return st;
    }
    if (how_ == Tamper::kAlterCarRecord) return st;
    auto ev = Json::Parse(reply->events(0).event_json());
    if (!ev.ok()) return st;
    Json data = ev->get("data");
    data["odometer_km"] = static_cast<int64_t>(1000);
    (*ev)["data"] = data;
    reply->mutable_events(0)->set_event_json(ev->Dump());
    return st;
  }
  grpc::Status GetCar(grpc::ServerContext*, const v1::GetCarRequest* req, v1::Car* reply) override {
    grpc::ClientContext ctx;
    grpc::Status st = upstream_->GetCar(&ctx, *req, reply);
    if (st.ok() && how_ == Tamper::kAlterCarRecord) {
      auto car = Json::Parse(reply->record_json());
      if (car.ok()) {
        (*car)["year"] = car->get_int("year") + 3;
        (*car)["odometer_km"] = static_cast<int64_t>(1000);
        reply->set_record_json(car->Dump());
      }
      return st;
    }
    if (!st.ok() || how_ != Tamper::kDropLastEvents) return st;
    v1::CarHistory history;
    grpc::ClientContext hctx;
    v1::GetCarHistoryRequest hreq;
    hreq.set_vin(req->vin());
    if (upstream_->GetCarHistory(&hctx, hreq, &history).ok() && history.events_size() > 2) {
      DropLastEvents(&history);
      reply->set_record_json(history.car_json());
    }
    return st;
  }
  grpc::Status Search(grpc::ServerContext*, const v1::SearchRequest* req,
                      v1::SearchReply* reply) override {
    grpc::ClientContext ctx;
    return upstream_->Search(&ctx, *req, reply);
  }

 private:
  // Leaves out the last two events and makes the car record end where the events now do.
  static void DropLastEvents(v1::CarHistory* h) {
    if (h->events_size() <= 2) return;
    h->mutable_events()->DeleteSubrange(h->events_size() - 2, 2);
    auto last = Json::Parse(h->events(h->events_size() - 1).event_json());
    auto car = Json::Parse(h->car_json());
    if (!last.ok() || !car.ok()) return;
    (*car)["last_tx"] = last->get_string("tx_id");
    (*car)["event_count"] = static_cast<int64_t>(h->events_size());
    h->set_car_json(car->Dump());
  }

  std::unique_ptr<v1::Market::Stub> upstream_;
  Tamper how_;
};

Result<std::unique_ptr<MarketCluster>> MarketCluster::Start() {
  std::unique_ptr<MarketCluster> m(new MarketCluster());
  m->tmp_ = std::make_unique<TempDir>();
  CL_ASSIGN_OR_RETURN(m->db_, PgTestDatabase::Create());
  service::LocalClusterOptions o;
  o.dir = m->tmp_->path() + "/net";
  o.node_binary = CARLEDGER_NODE;
  o.cli_binary = CARLEDGER_CLI;
  o.validators = 4;
  o.node_args = {"--batch", "100", "--pg", m->db_->conninfo()};
  o.node_args_by_name["node1"] = {"--ca-dir", o.dir + "/ca"};
  o.init_args = {"--epoch", "8"};
  CL_ASSIGN_OR_RETURN(m->cluster_, service::LocalCluster::Create(o));
  CL_RETURN_IF_ERROR(m->cluster_->StartAll());
  m->dir_ = o.dir;
  CL_ASSIGN_OR_RETURN(std::string manifest, ReadFile(o.dir + "/network.json"));
  CL_ASSIGN_OR_RETURN(m->manifest_, Json::Parse(manifest));
  CL_ASSIGN_OR_RETURN(std::string ca, ReadFile(o.dir + "/ca/ca.crt"));
  // Every node's public API answers before the apps start.
  for (const Json& node : m->manifest_.get("nodes").as_array()) {
    auto channel = ChannelTo(node.get_string("api_address"), node.get_string("tls_name"), ca);
    auto accounts = v1::Accounts::NewStub(channel);
    bool up = false;
    for (int i = 0; i < 200 && !up; ++i) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
      v1::Terms t;
      up = accounts->GetTerms(&ctx, v1::Empty(), &t).ok();
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!up) return Status::Unavailable(node.get_string("name") + ": public API did not come up");
    if (node.get_string("name") == "node1") m->node1_ = channel;
  }
  CL_ASSIGN_OR_RETURN(m->pool_, store::PgPool::Open(m->db_->conninfo(), 2));
  store::AccountStoreOptions cheap;
  cheap.scrypt.n = 1 << 10;
  m->accounts_ = std::make_unique<store::AccountStore>(*m->pool_, m->clock_, cheap);
  CL_ASSIGN_OR_RETURN(NetworkDir net, LoadNetworkDir(o.dir));
  m->admin_key_ = net.ids.admins.front();
  store::Registration r{"gui-admin",   "admin password 1", "운영자", "서울",
                        "02-555-0000", "2026-01",          true,     store::Role::kAdmin};
  CL_RETURN_IF_ERROR(m->accounts_->Register(r).status());
  CL_RETURN_IF_ERROR(m->accounts_->SetPublicKey("gui-admin", m->admin_key_.id()));
  CL_ASSIGN_OR_RETURN(auto tokens, m->accounts_->Login("gui-admin", "admin password 1", "test"));
  m->admin_token_ = tokens.access_token;
  return m;
}

MarketCluster::~MarketCluster() {
  if (tamper_server_) tamper_server_->Shutdown();
}

std::string MarketCluster::ApiAddress(const std::string& name) const {
  for (const Json& node : manifest_.get("nodes").as_array()) {
    if (node.get_string("name") == name) return node.get_string("api_address");
  }
  return {};
}

Status MarketCluster::ApproveCharge(const std::string& charge_id) {
  Json args = Json::MakeObject();
  args["charge_id"] = charge_id;
  CL_ASSIGN_OR_RETURN(
      auto tx, MakeTransaction(admin_key_, "car_trade", "approve_charge", args, nonce_++, NowMs()));
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + admin_token_);
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = tx;
  v1::Charge charge;
  grpc::Status st = v1::Wallet::NewStub(node1_)->DecideCharge(&ctx, req, &charge);
  if (!st.ok()) return Status::FailedPrecondition("approve_charge: " + st.error_message());
  if (charge.status() != "approved") return Status::FailedPrecondition("charge " + charge.status());
  return Status::Ok();
}

Result<std::string> MarketCluster::StartTamperingNode(const std::string& forward_to, Tamper how) {
  if (tamper_server_) {
    tamper_server_->Shutdown();
    tamper_server_.reset();
  }
  CL_ASSIGN_OR_RETURN(std::string ca, ReadFile(dir_ + "/ca/ca.crt"));
  CL_ASSIGN_OR_RETURN(std::string key, ReadFile(dir_ + "/validators/validator0.key"));
  CL_ASSIGN_OR_RETURN(std::string cert, ReadFile(dir_ + "/validators/validator0.crt"));
  std::string tls_name;
  for (const Json& node : manifest_.get("nodes").as_array()) {
    if (node.get_string("api_address") == forward_to) tls_name = node.get_string("tls_name");
  }
  tamper_service_ = std::make_unique<TamperingMarket>(ChannelTo(forward_to, tls_name, ca), how);
  grpc::ServerBuilder builder;
  grpc::SslServerCredentialsOptions creds;
  creds.pem_key_cert_pairs.push_back({key, cert});
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(creds), &port);
  builder.RegisterService(tamper_service_.get());
  tamper_server_ = builder.BuildAndStart();
  if (!tamper_server_ || port == 0) return Status::Unavailable("the tampering node did not start");
  return "127.0.0.1:" + std::to_string(port);
}

}  // namespace carledger::testing
