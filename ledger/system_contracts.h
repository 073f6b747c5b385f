// The ledger's built-in contracts, in C++ because they define who may do what:
//   _genesis.init      (height 0 only) the root CA, first members, contracts, parameters
//   _msp.register      an admin registers a validator/agency/admin/observer certificate
//   _msp.revoke        an admin revokes a member
//   _msp.replace       an admin swaps one validator for another in one transaction
// Validator-set changes (register, revoke or replace a validator) take effect at the
// next epoch boundary: the validators of block h are those in force in the state after
// block B(h) = floor((h-1)/E)*E, E = epoch_blocks (the checkpoint interval), so every
// replica switches sets at the same certified checkpoint.
//   _lifecycle.install / approve / commit   Fabric-style contract rollout: a package is
//                      installed, approved once per organisation (admins' O field), and
//                      committed when a majority of organisations approved its hash; it
//                      takes effect at the next block.
// State they keep (full keys):
//   _msp/root_ca                DER of the root CA certificate
//   _msp/config                 {"timestamp_window_ms": n, "epoch_blocks": E}
//   _msp/member/<key fp>        {"role","org","name","serial","cert"(hex DER),"revoked",
//                                "registered_height","revoked_height","address"(host:port)}
//   _lc/pkg/<name>/<seq>        {"name","version","sequence","hash","source"}
//   _lc/approval/<name>/<seq>/<org>  {"hash","by"}
//   _lc/active/<name>           {"sequence","version","hash","effective_height","previous":{...}}
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/json.h"
#include "common/x509.h"
#include "ledger/block_overlay.h"
#include "ledger/contract_runtime.h"

namespace carledger {

inline const std::string kRootCaKey = "_msp/root_ca";
inline const std::string kConfigKey = "_msp/config";
inline const std::string kMemberPrefix = "_msp/member/";
inline const std::string kContractStatePrefix = "c/";
inline constexpr uint64_t kDefaultEpochBlocks = 16;

bool IsSystemContract(const std::string& name);

// Runs a built-in contract function. `root_ca` is the network's CA (absent at genesis).
CallResult RunSystemContract(const std::string& contract, const std::string& function,
                             const Json& args, const CallContext& ctx,
                             const std::optional<Certificate>& creator_cert, TxState* state);

struct ContractVersion {
  std::string name;
  std::string version;
  int64_t sequence = 0;
  std::string hash;  // hex SHA-256 of the source
};

// The version of `name` in force at `height`, from state as seen by `view`.
template <typename View>
Result<std::optional<ContractVersion>> ActiveContract(const View& view, const std::string& name,
                                                      uint64_t height);

// The contract's source for a version.
template <typename View>
Result<std::string> ContractSource(const View& view, const ContractVersion& version);

// A member record, or nullopt.
template <typename View>
Result<std::optional<Json>> LoadMember(const View& view, const std::string& key_fingerprint);

// Members with a role that are not revoked: key fingerprint -> record.
template <typename View>
Result<std::map<std::string, Json>> ActiveMembers(const View& view, Role role);
// Members with a role, revoked ones too when `include_revoked`.
template <typename View>
Result<std::map<std::string, Json>> MembersWithRole(const View& view, Role role,
                                                    bool include_revoked);

// The network's epoch length E in blocks (validator sets change only at multiples of E).
template <typename View>
Result<uint64_t> EpochBlocks(const View& view);
// The validator records in force after block `boundary` (registered at or before it and
// not revoked at or before it). `view` may be any later state: records are never deleted.
template <typename View>
Result<std::map<std::string, Json>> ValidatorRecordsAt(const View& view, uint64_t boundary);
// The last epoch boundary at or below `boundary` at which the validator set changed (0:
// it is the genesis set).
template <typename View>
Result<uint64_t> ValidatorSetChangedAt(const View& view, uint64_t boundary, uint64_t epoch);

std::string PackageKey(const std::string& name, int64_t sequence);
std::string ActiveKey(const std::string& name);

}  // namespace carledger

#include "ledger/system_contracts_inl.h"
