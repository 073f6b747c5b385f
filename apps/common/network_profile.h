// Where the apps connect: the network's CA certificate (the only root they trust) and the
// public API address of each node. Read from a network directory (network.json and
// ca/ca.crt, as `carledger init-network` writes them) or from a client profile JSON
// ({"ca_pem": "...", "nodes": [{"name", "api_address", "tls_name"}]}).
#pragma once

#include <QList>
#include <QString>

#include "common/status.h"

namespace carledger::app {

struct NodeEndpoint {
  QString name;
  QString address;   // host:port of the public API
  QString tls_name;  // the name in the node's TLS certificate
};

struct NetworkProfile {
  QString ca_pem;
  QList<NodeEndpoint> nodes;
};

// Loads a profile from a network directory or a profile file. Errors: NOT_FOUND when
// nothing is there, INVALID_ARGUMENT naming what is malformed, or a profile with no node.
Result<NetworkProfile> LoadNetworkProfile(const QString& path);

// The profile as a client profile JSON document (what an operator hands to users).
QByteArray ProfileToJson(const NetworkProfile& profile);

// True when `pem` holds a PEM certificate: the network's CA, the only root the apps trust
// (with none, gRPC would fall back to the system's roots).
inline bool IsPemCertificate(const QString& pem) {
  return pem.contains(QStringLiteral("-----BEGIN CERTIFICATE-----"));
}

}  // namespace carledger::app
