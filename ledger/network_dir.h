// The on-disk layout of a network directory made by `carledger init-network`, and
// loading its identities (used by the CLI and by carledger-node).
//
//   DIR/network.json            name, organisations, validators, nodes (name, id, address)
//   DIR/genesis.block           block 0 (a new node starts from it)
//   DIR/ca/ca.key, ca.crt       root CA (a dev network keeps it here; production keeps it offline)
//   DIR/admins/<org>.key/.crt   one admin per organisation
//   DIR/validators/validator<i>.key/.crt
//   DIR/observers/observer<i>.key/.crt
//   DIR/node<i>/, DIR/observer<i>/   each node's data directory (blocks/, state/, consensus/)
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ledger/network.h"

namespace carledger {

Status WriteFile(const std::string& path, const std::string& content, bool secret = false);
Result<std::string> ReadFile(const std::string& path);

// Writes key (PEM, mode 0600) and certificate (PEM) as PREFIX.key / PREFIX.crt.
Status SaveSigner(const std::string& prefix, const Signer& signer);
Result<Signer> LoadSigner(const std::string& prefix);

struct NetworkDir {
  std::string root;
  Json manifest;
  NetworkIdentities ids;
};

Result<NetworkDir> LoadNetworkDir(const std::string& root);

}  // namespace carledger
