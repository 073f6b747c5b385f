#include "service/local_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace carledger::service {

namespace {
// Every node process started here, so that an exit() anywhere (a failing benchmark)
// does not leave nodes running.
std::mutex g_pids_mu;
std::set<pid_t>* g_pids = nullptr;

void KillStrays() {
  std::lock_guard<std::mutex> lock(g_pids_mu);
  if (g_pids == nullptr) return;
  for (pid_t p : *g_pids) ::kill(p, SIGKILL);
}

// The first port the kernel hands out for outgoing connections (32768 if unknown).
int EphemeralPortsStart() {
  std::FILE* f = std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
  int first = 32768, last = 0;
  if (f != nullptr) {
    if (std::fscanf(f, "%d %d", &first, &last) != 2) first = 32768;
    std::fclose(f);
  }
  return first;
}

bool PortIsFree(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

void Track(pid_t pid, bool add) {
  std::lock_guard<std::mutex> lock(g_pids_mu);
  if (g_pids == nullptr) {
    g_pids = new std::set<pid_t>();
    std::atexit(KillStrays);
  }
  if (add)
    g_pids->insert(pid);
  else
    g_pids->erase(pid);
}
}  // namespace

Result<std::unique_ptr<LocalCluster>> LocalCluster::Create(const LocalClusterOptions& options) {
  std::unique_ptr<LocalCluster> c(new LocalCluster(options));
  int count = options.validators + options.observers;
  int port = options.base_port;
  if (port == 0) {
    // Tests run in parallel: start from a pid-derived port and take the first range
    // whose ports are all free right now.
    // Below the kernel's ephemeral range, so an outgoing connection (a client, a database
    // session) cannot take a port between this check and the node's bind.
    const int low = 20000;
    int span = EphemeralPortsStart() - 2000 - (count + 2) - low;
    if (span < 1000) span = 28000;  // an unusual range: take our chances as before
    int start = low + (::getpid() * 37 + static_cast<int>(::time(nullptr))) % span;
    for (int tries = 0; tries < 200 && port == 0; ++tries) {
      int candidate = low + (start - low + tries * (count + 3)) % span;
      bool free = true;
      // Two spare ports for validators added later (`carledger add-validator`).
      // and the public API ports (+1000).
      for (int i = 0; i < count + 2 && free; ++i)
        free = PortIsFree(candidate + i) && PortIsFree(candidate + 1000 + i) &&
               PortIsFree(candidate + 2000 + i);
      if (free) port = candidate;
    }
    if (port == 0)
      return Status::Unavailable("no free range of " + std::to_string(count) +
                                 " ports on loopback");
  }
  std::string cmd = options.cli_binary + " init-network --dir '" + options.dir + "' --validators " +
                    std::to_string(options.validators) + " --observers " +
                    std::to_string(options.observers) + " --base-port " + std::to_string(port);
  for (const auto& a : options.init_args) cmd += " '" + a + "'";
  cmd += " > '" + options.dir + ".init.log' 2>&1";
  if (std::system(cmd.c_str()) != 0) return Status::Internal("init-network failed: " + cmd);
  std::error_code ec;  // its output is kept only when it failed (it lay beside every run's dir)
  std::filesystem::remove(options.dir + ".init.log", ec);
  CL_ASSIGN_OR_RETURN(auto client, ClusterClient::Open(options.dir));
  c->client_ = std::make_unique<ClusterClient>(std::move(client));
  return c;
}

Status LocalCluster::Reload() {
  CL_ASSIGN_OR_RETURN(auto client, ClusterClient::Open(options_.dir));
  client_ = std::make_unique<ClusterClient>(std::move(client));
  return Status::Ok();
}

int LocalCluster::RunCli(const std::vector<std::string>& args, std::string* output) const {
  std::string cmd = "'" + options_.cli_binary + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " --network '" + options_.dir + "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  std::string out;
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = ::pclose(p);
  if (output) *output = out;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

LocalCluster::~LocalCluster() {
  for (auto& [name, pid] : pids_) {
    ::kill(pid, SIGTERM);
    Track(pid, false);
  }
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

Status LocalCluster::Start(const std::string& name) {
  if (pids_.count(name)) return Status::FailedPrecondition(name + " is already running");
  std::vector<std::string> args = {options_.node_binary, "--network", options_.dir, "--name", name};
  args.insert(args.end(), options_.node_args.begin(), options_.node_args.end());
  if (auto it = options_.node_args_by_name.find(name); it != options_.node_args_by_name.end())
    args.insert(args.end(), it->second.begin(), it->second.end());
  std::string log = options_.dir + "/" + name + ".log";
  pid_t pid = ::fork();
  if (pid < 0) return Status::Internal("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    if (options_.niceness != 0) (void)!::nice(options_.niceness);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pids_[name] = pid;
  Track(pid, true);
  return Status::Ok();
}

namespace {
// The last lines a node wrote, for a failure message (the test's directory is gone by the
// time anyone reads the log).
std::string LogTail(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return "(no log)";
  std::fseek(f, 0, SEEK_END);
  long size = std::max(0L, std::ftell(f));
  long from = size > 800 ? size - 800 : 0;
  std::fseek(f, from, SEEK_SET);
  std::string tail(static_cast<size_t>(size - from), '\0');
  size_t got = std::fread(tail.data(), 1, tail.size(), f);
  std::fclose(f);
  tail.resize(got);
  return tail;
}
}  // namespace

Status LocalCluster::StartAll() {
  for (const auto& n : validators()) CL_RETURN_IF_ERROR(Start(n));
  for (const auto& n : observers()) CL_RETURN_IF_ERROR(Start(n));
  std::vector<std::string> all = validators();
  for (const auto& n : observers()) all.push_back(n);
  for (const auto& n : all) {
    if (!WaitReady(n)) {
      return Status::Unavailable(n + " did not come up; its log ends:\n" +
                                 LogTail(options_.dir + "/" + n + ".log"));
    }
  }
  return Status::Ok();
}

void LocalCluster::Kill(const std::string& name, int signal) {
  auto it = pids_.find(name);
  if (it == pids_.end()) return;
  ::kill(it->second, signal);
  ::waitpid(it->second, nullptr, 0);
  Track(it->second, false);
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

}  // namespace carledger::service
