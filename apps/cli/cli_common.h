// Shared pieces of the `carledger` commands (the network directory layout is in
// ledger/network_dir.h).
#pragma once

#include <string>
#include <vector>

#include "common/json.h"
#include "ledger/network.h"
#include "ledger/network_dir.h"

namespace carledger::cli {

int64_t NowMs();

using carledger::LoadNetworkDir;
using carledger::LoadSigner;
using carledger::NetworkDir;
using carledger::ReadFile;
using carledger::SaveSigner;
using carledger::WriteFile;

// "18,500,000"
std::string FormatWon(int64_t won);

}  // namespace carledger::cli

namespace carledger::cli {
// The value after `--name` in args, or `def`.
std::string Flag(const std::vector<std::string>& args, const std::string& name, const std::string& def = "");
}  // namespace carledger::cli
