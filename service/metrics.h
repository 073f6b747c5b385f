// Operations endpoints of carledger-node for Kubernetes and Prometheus: a small HTTP/1.1
// server for /healthz (the process serves), /readyz (caught up with its peers and, with
// accounts, PostgreSQL answering) and /metrics (Prometheus text: committed transactions
// and their rate, height, view, queue depths, public-API latency histograms per method).
// Loopback or cluster-internal only: it carries no personal data and takes no input.
#pragma once

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace carledger::service {

// Latency histograms and call counts per RPC method and status code. Thread-safe.
class RpcMetrics {
 public:
  // Bucket upper bounds in seconds.
  static const std::vector<double>& Buckets();
  void Observe(const std::string& method, int code, double seconds);
  // Prometheus text for the histograms and counters.
  std::string Render() const;
  // A gRPC server interceptor factory that times every call into this registry.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> InterceptorFactory();

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket (not cumulative)
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Histogram> latency_;
  std::map<std::pair<std::string, int>, uint64_t> calls_;
};

struct HttpHandlers {
  // Each returns {status code, body}.
  std::function<std::pair<int, std::string>()> healthz, readyz, metrics;
};

class HttpServer {
 public:
  // Listens on host:port (port 0: any free port) and serves GET requests on one thread.
  static Result<std::unique_ptr<HttpServer>> Start(const std::string& listen, HttpHandlers h);
  ~HttpServer();
  void Stop();
  int port() const { return port_; }

 private:
  HttpServer() = default;
  void Serve();
  void Handle(int fd);
  HttpHandlers handlers_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace carledger::service
