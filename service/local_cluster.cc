#include "service/local_cluster.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <unordered_map>

#include "common/block_format.h"
#include "common/json.h"
#include "ledger/network_dir.h"

namespace carledger::service {

Result<std::unique_ptr<LocalCluster>> LocalCluster::Create(const LocalClusterOptions& options) {
  std::unique_ptr<LocalCluster> c(new LocalCluster(options));
  int port = options.base_port != 0 ? options.base_port : 20000 + (::getpid() * 37 + static_cast<int>(::time(nullptr))) % 30000;
  std::string cmd = options.cli_binary + " init-network --dir '" + options.dir + "' --validators " +
                    std::to_string(options.validators) + " --observers " + std::to_string(options.observers) +
                    " --base-port " + std::to_string(port) + " > '" + options.dir + ".init.log' 2>&1";
  if (std::system(cmd.c_str()) != 0) return Status::Internal("init-network failed: " + cmd);
  CL_ASSIGN_OR_RETURN(auto text, ReadFile(options.dir + "/network.json"));
  CL_ASSIGN_OR_RETURN(auto manifest, Json::Parse(text));
  for (const auto& n : manifest.get("nodes").as_array()) {
    std::string name = n.get_string("name");
    (n.get_string("role") == "validator" ? c->validators_ : c->observers_).push_back(name);
    c->endpoints_[name] = {n.get_string("id"), n.get_string("address"), n.get_string("tls_name")};
  }
  std::string org = manifest.get("organisations").as_array().front().as_string();
  CL_ASSIGN_OR_RETURN(c->client_tls_.key_pem, ReadFile(options.dir + "/admins/" + org + ".key"));
  CL_ASSIGN_OR_RETURN(c->client_tls_.cert_pem, ReadFile(options.dir + "/admins/" + org + ".crt"));
  CL_ASSIGN_OR_RETURN(c->client_tls_.ca_pem, ReadFile(options.dir + "/ca/ca.crt"));
  return c;
}

LocalCluster::~LocalCluster() {
  for (auto& [name, pid] : pids_) ::kill(pid, SIGTERM);
  for (auto& [name, pid] : pids_) {
    for (int i = 0; i < 50; ++i) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = 0;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (pid != 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
}

std::string LocalCluster::IdOf(const std::string& name) const {
  auto it = endpoints_.find(name);
  return it == endpoints_.end() ? "" : it->second.id;
}

std::string LocalCluster::NameOf(const std::string& id) const {
  for (const auto& [name, ep] : endpoints_) {
    if (ep.id == id) return name;
  }
  return "";
}

Status LocalCluster::Start(const std::string& name) {
  if (pids_.count(name)) return Status::FailedPrecondition(name + " is already running");
  std::vector<std::string> args = {options_.node_binary, "--network", options_.dir, "--name", name};
  args.insert(args.end(), options_.node_args.begin(), options_.node_args.end());
  std::string log = options_.dir + "/" + name + ".log";
  pid_t pid = ::fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pids_[name] = pid;
  return Status::Ok();
}

Status LocalCluster::StartAll() {
  for (const auto& n : validators_) CL_RETURN_IF_ERROR(Start(n));
  for (const auto& n : observers_) CL_RETURN_IF_ERROR(Start(n));
  for (const auto& n : validators_) {
    if (!WaitReady(n)) return Status::Unavailable(n + " did not come up (see " + options_.dir + "/" + n + ".log)");
  }
  for (const auto& n : observers_) {
    if (!WaitReady(n)) return Status::Unavailable(n + " did not come up");
  }
  return Status::Ok();
}

void LocalCluster::Kill(const std::string& name, int signal) {
  auto it = pids_.find(name);
  if (it == pids_.end()) return;
  ::kill(it->second, signal);
  ::waitpid(it->second, nullptr, 0);
  pids_.erase(it);
}

bool LocalCluster::WaitReady(const std::string& name, int timeout_ms) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (NodeStatus(name).ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

std::unique_ptr<cluster::Cluster::Stub> LocalCluster::Stub(const std::string& name) const {
  return cluster::Cluster::NewStub(MakeChannel(endpoints_.at(name), client_tls_));
}

Result<cluster::NodeStatus> LocalCluster::NodeStatus(const std::string& name) const {
  auto stub = Stub(name);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  cluster::NodeStatus s;
  grpc::Status st = stub->Status(&ctx, cluster::StatusRequest(), &s);
  if (!st.ok()) return Status::Unavailable(name + ": " + st.error_message());
  return s;
}

Result<std::vector<cluster::TxStatus>> SubmitAndWait(cluster::Cluster::Stub* stub,
                                                     const std::vector<ledger::TxEnvelope>& txs, int timeout_ms) {
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
      if (st.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED && std::chrono::system_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (!st.ok()) return Status::Unavailable("submit: " + st.error_message());
      for (int k = 0; k < reply.codes_size(); ++k) {
        if (reply.codes(k) != 0) return Status::InvalidArgument("transaction refused: " + reply.messages(k));
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
    return Status::DeadlineExceeded(std::to_string(txs.size() - got) + " of " + std::to_string(txs.size()) +
                                    " transactions have no final status (" + st.error_message() + ")");
  }
  return out;
}

}  // namespace carledger::service
