#include "service/cluster_client.h"

#include <chrono>
#include <thread>
#include <unordered_map>

#include "common/block_format.h"
#include "common/json.h"
#include "ledger/network_dir.h"

namespace carledger::service {

Result<ClusterClient> ClusterClient::Open(const std::string& network_dir) {
  ClusterClient c;
  CL_ASSIGN_OR_RETURN(auto text, ReadFile(network_dir + "/network.json"));
  CL_ASSIGN_OR_RETURN(auto manifest, Json::Parse(text));
  for (const auto& n : manifest.get("nodes").as_array()) {
    std::string name = n.get_string("name");
    (n.get_string("role") == "validator" ? c.validators_ : c.observers_).push_back(name);
    c.endpoints_[name] = {n.get_string("id"), n.get_string("address"), n.get_string("tls_name")};
  }
  if (c.validators_.empty())
    return Status::FailedPrecondition(network_dir + "/network.json lists no nodes");
  std::string org = manifest.get("organisations").as_array().front().as_string();
  CL_ASSIGN_OR_RETURN(c.tls_.key_pem, ReadFile(network_dir + "/admins/" + org + ".key"));
  CL_ASSIGN_OR_RETURN(c.tls_.cert_pem, ReadFile(network_dir + "/admins/" + org + ".crt"));
  CL_ASSIGN_OR_RETURN(c.tls_.ca_pem, ReadFile(network_dir + "/ca/ca.crt"));
  return c;
}

std::string ClusterClient::IdOf(const std::string& name) const {
  auto it = endpoints_.find(name);
  return it == endpoints_.end() ? "" : it->second.id;
}

std::string ClusterClient::NameOf(const std::string& id) const {
  for (const auto& [name, ep] : endpoints_) {
    if (ep.id == id) return name;
  }
  return "";
}

std::unique_ptr<cluster::Cluster::Stub> ClusterClient::Stub(const std::string& name) const {
  return cluster::Cluster::NewStub(MakeChannel(endpoints_.at(name), tls_));
}

Result<cluster::NodeStatus> ClusterClient::NodeStatus(const std::string& name) const {
  auto stub = Stub(name);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  cluster::NodeStatus s;
  grpc::Status st = stub->Status(&ctx, cluster::StatusRequest(), &s);
  if (!st.ok()) return Status::Unavailable(name + ": " + st.error_message());
  return s;
}

Result<std::vector<cluster::TxStatus>> SubmitAndWait(cluster::Cluster::Stub* stub,
                                                     const std::vector<ledger::TxEnvelope>& txs,
                                                     int timeout_ms) {
  auto deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(timeout_ms);
  grpc::ClientContext wctx;
  wctx.set_deadline(deadline);
  cluster::WatchRequest wreq;
  std::unordered_map<Bytes, size_t> index;
  for (size_t i = 0; i < txs.size(); ++i) {
    Bytes id = TxId(txs[i]);
    index[id] = i;
    wreq.add_tx_ids(id);
  }
  auto reader = stub->Watch(&wctx, wreq);
  for (size_t i = 0; i < txs.size(); i += 1000) {
    cluster::SubmitRequest req;
    for (size_t j = i; j < std::min(txs.size(), i + 1000); ++j) *req.add_transactions() = txs[j];
    while (true) {
      grpc::ClientContext ctx;
      ctx.set_deadline(deadline);
      cluster::SubmitReply reply;
      grpc::Status st = stub->Submit(&ctx, req, &reply);
      if (st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED &&
          std::chrono::system_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (!st.ok()) return Status::Unavailable("submit: " + st.error_message());
      for (int k = 0; k < reply.codes_size(); ++k) {
        if (reply.codes(k) != 0)
          return Status::InvalidArgument("transaction refused: " + reply.messages(k));
      }
      break;
    }
  }
  std::vector<cluster::TxStatus> out(txs.size());
  size_t got = 0;
  cluster::TxStatus s;
  while (got < txs.size() && reader->Read(&s)) {
    auto it = index.find(s.tx_id());
    if (it == index.end()) continue;
    out[it->second] = s;
    ++got;
  }
  grpc::Status st = reader->Finish();
  if (got < txs.size()) {
    return Status::DeadlineExceeded(
        std::to_string(txs.size() - got) + " of " + std::to_string(txs.size()) +
        " transactions have no final status (" + st.error_message() + ")");
  }
  return out;
}

}  // namespace carledger::service
