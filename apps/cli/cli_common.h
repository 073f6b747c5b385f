// Shared pieces of the `carledger` commands: the on-disk layout of a network directory
// made by init-network, and loading its identities.
//
//   DIR/network.json            name, organisations, validators
//   DIR/ca/ca.key, ca.crt       root CA (a dev network keeps it here; production keeps it offline)
//   DIR/admins/<org>.key/.crt   one admin per organisation
//   DIR/validators/validator<i>.key/.crt
//   DIR/node0/                  the first node's data directory (blocks/, state/)
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ledger/network.h"

namespace carledger::cli {

int64_t NowMs();

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

// "18,500,000"
std::string FormatWon(int64_t won);

}  // namespace carledger::cli

namespace carledger::cli {
// The value after `--name` in args, or `def`.
std::string Flag(const std::vector<std::string>& args, const std::string& name, const std::string& def = "");
}  // namespace carledger::cli
