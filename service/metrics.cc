#include "service/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <sstream>

namespace carledger::service {

namespace {

class TimingInterceptor final : public grpc::experimental::Interceptor {
 public:
  TimingInterceptor(RpcMetrics* metrics, std::string method)
      : metrics_(metrics), method_(std::move(method)), start_(std::chrono::steady_clock::now()) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->Observe(method_, static_cast<int>(methods->GetSendStatus().error_code()), s);
    }
    methods->Proceed();
  }

 private:
  RpcMetrics* metrics_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
};

class TimingFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit TimingFactory(RpcMetrics* m) : metrics_(m) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new TimingInterceptor(metrics_, info->method() ? info->method() : "?");
  }

 private:
  RpcMetrics* metrics_;
};

// "0.005" rather than "5e-03": Prometheus accepts both, people read the first.
std::string Number(double v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace

const std::vector<double>& RpcMetrics::Buckets() {
  static const std::vector<double> b = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05,
                                        0.1,   0.2,   0.5,   1,    2,    5};
  return b;
}

void RpcMetrics::Observe(const std::string& method, int code, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  Histogram& h = latency_[method];
  if (h.counts.empty()) h.counts.assign(Buckets().size() + 1, 0);
  size_t i = 0;
  while (i < Buckets().size() && seconds > Buckets()[i]) ++i;
  ++h.counts[i];
  ++h.count;
  h.sum += seconds;
  ++calls_[{method, code}];
}

std::string RpcMetrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::string out =
      "# HELP carledger_rpc_duration_seconds Public API call latency.\n"
      "# TYPE carledger_rpc_duration_seconds histogram\n";
  for (const auto& [method, h] : latency_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < Buckets().size(); ++i) {
      cumulative += h.counts[i];
      out += "carledger_rpc_duration_seconds_bucket{method=\"" + method + "\",le=\"" +
             Number(Buckets()[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "carledger_rpc_duration_seconds_bucket{method=\"" + method + "\",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    out += "carledger_rpc_duration_seconds_sum{method=\"" + method + "\"} " + Number(h.sum) + "\n";
    out += "carledger_rpc_duration_seconds_count{method=\"" + method + "\"} " +
           std::to_string(h.count) + "\n";
  }
  out +=
      "# HELP carledger_rpc_calls_total Public API calls by method and gRPC status code.\n"
      "# TYPE carledger_rpc_calls_total counter\n";
  for (const auto& [key, n] : calls_) {
    out += "carledger_rpc_calls_total{method=\"" + key.first + "\",code=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  return out;
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
RpcMetrics::InterceptorFactory() {
  return std::make_unique<TimingFactory>(this);
}

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const std::string& listen, HttpHandlers h) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return Status::InvalidArgument("http: listen on host:port");
  std::string host = listen.substr(0, colon);
  int port = std::atoi(listen.c_str() + colon + 1);
  std::unique_ptr<HttpServer> s(new HttpServer());
  s->handlers_ = std::move(h);
  s->listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s->listen_fd_ < 0) return Status::Internal("http: socket failed");
  int one = 1;
  ::setsockopt(s->listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &addr.sin_addr) != 1)
    return Status::InvalidArgument("http: " + host + " is not an IPv4 address");
  if (::bind(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(s->listen_fd_, 64) != 0) {
    ::close(s->listen_fd_);
    return Status::Unavailable("http: cannot listen on " + listen + ": " + std::strerror(errno));
  }
  socklen_t len = sizeof(addr);
  ::getsockname(s->listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  s->port_ = ntohs(addr.sin_port);
  s->running_ = true;
  s->thread_ = std::thread([p = s.get()] { p->Serve(); });
  return s;
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::Stop() {
  if (!running_.exchange(false)) return;
  if (thread_.joinable()) thread_.join();
  ::close(listen_fd_);
}

void HttpServer::Serve() {
  while (running_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 200) <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    Handle(fd);
    ::close(fd);
  }
}

void HttpServer::Handle(int fd) {
  // One small GET per connection; a slow client gets at most a second.
  timeval tv{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  std::string req;
  char buf[1024];
  while (req.find("\r\n\r\n") == std::string::npos && req.size() < 8192) {
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    req.append(buf, static_cast<size_t>(n));
  }
  std::string path;
  if (req.rfind("GET ", 0) == 0) path = req.substr(4, req.find(' ', 4) - 4);
  std::pair<int, std::string> reply{404, "not found\n"};
  std::string type = "text/plain; charset=utf-8";
  if (req.rfind("GET ", 0) != 0)
    reply = {405, "only GET\n"};
  else if (path == "/healthz" && handlers_.healthz)
    reply = handlers_.healthz();
  else if (path == "/readyz" && handlers_.readyz)
    reply = handlers_.readyz();
  else if (path == "/metrics" && handlers_.metrics) {
    reply = handlers_.metrics();
    type = "text/plain; version=0.0.4; charset=utf-8";
  }
  const char* reason = reply.first == 200   ? "OK"
                       : reply.first == 503 ? "Service Unavailable"
                       : reply.first == 405 ? "Method Not Allowed"
                                            : "Not Found";
  std::string out = "HTTP/1.1 " + std::to_string(reply.first) + " " + reason +
                    "\r\nContent-Type: " + type +
                    "\r\nContent-Length: " + std::to_string(reply.second.size()) +
                    "\r\nConnection: close\r\n\r\n" + reply.second;
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
}

}  // namespace carledger::service
