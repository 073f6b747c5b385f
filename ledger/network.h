// Making a network: the root CA, the first admin and validators, and the genesis block
// that records them with the initial contracts. Used by `carledger init-network`, the
// tests and the benchmarks.
#pragma once

#include <string>
#include <vector>

#include "ledger/ledger.h"
#include "ledger/transaction.h"

namespace carledger {

struct ContractPackage {
  std::string name;
  std::string version;
  std::string source;
};

struct NetworkIdentities {
  Signer ca;                   // root CA key and certificate
  std::vector<Signer> admins;  // one per organisation
  std::vector<Signer> validators;
};

// Creates a root CA, `admin_orgs.size()` admins (one per organisation name) and
// `validators` validator identities, all valid from `now_s` - 1 h for `validity_days`.
Result<NetworkIdentities> CreateNetworkIdentities(const std::string& network_name,
                                                  const std::vector<std::string>& admin_orgs,
                                                  int validators, int64_t now_s,
                                                  int validity_days = 3650);

// Issues a member certificate (agency, admin, validator, observer) from a fresh key.
Result<Signer> IssueMember(const Signer& ca, Role role, const std::string& common_name,
                           const std::string& org, int64_t now_s, int validity_days = 825);

// The genesis transaction: signed by the CA, registering `members` and deploying
// `contracts`; validator-set changes take effect every `epoch_blocks` blocks (the
// consensus checkpoint interval).
Result<ledger::TxEnvelope> MakeGenesisTx(const Signer& ca, const std::vector<Certificate>& members,
                                         const std::vector<ContractPackage>& contracts,
                                         int64_t timestamp_ms, uint64_t epoch_blocks = 16);

// Proposes, certifies (with every validator key) and commits block 0 on an empty ledger.
Result<ledger::Block> CommitGenesis(Ledger* ledger, const NetworkIdentities& ids,
                                    const std::vector<ContractPackage>& contracts,
                                    int64_t timestamp_ms, uint64_t epoch_blocks = 16);

}  // namespace carledger
