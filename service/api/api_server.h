// The public API server of carledger-node (package carledger.v1 over TLS): one gRPC
// server carrying the services the desktop apps use. Each service is a thin layer over
// NodeBackend (the ledger, consensus) and, where it keeps off-ledger data, the
// PostgreSQL store.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "service/cluster_node.h"
#include "service/metrics.h"
#include "service/peer_transport.h"
#include "service/store/accounts.h"

namespace carledger::api {

struct ApiOptions {
  std::string listen;        // host:port (port 0: any free port)
  service::TlsMaterial tls;  // the node's certificate and key; clients trust the CA
  service::NodeBackend* backend = nullptr;
  // Accounts (PostgreSQL); without them only the public reads are served.
  store::AccountStore* accounts = nullptr;
  // The database behind `accounts` (the off-ledger stores: inspections, community, chat,
  // notifications, photos) and the clock they use. Both set or both null.
  store::PgPool* pool = nullptr;
  const store::Clock* clock = nullptr;
  // The network CA's certificate and key (PEM), to issue agency certificates from their
  // CSRs (Admin.IssueAgencyCertificate); empty: this node cannot issue them.
  std::string ca_cert_pem, ca_key_pem;
  std::string terms_version = "2026-01";
  service::RpcMetrics* metrics = nullptr;  // times every call when set
};

class ApiServer {
 public:
  static Result<std::unique_ptr<ApiServer>> Start(const ApiOptions& options);
  virtual ~ApiServer() = default;
  // Stops serving (open streams end) and waits for calls in flight. Idempotent.
  virtual void Shutdown() = 0;
  // host:port actually bound.
  virtual std::string address() const = 0;
};

}  // namespace carledger::api
