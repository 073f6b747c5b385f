// Offline audit of a node's data directory (`carledger verify DIR`): reads every block
// from the block files without trusting the node's state database, checks the hash
// chain, record checksums, Merkle roots, commit certificates against the validator set
// in force at each height, every signature, and re-executes every block from genesis on
// a scratch state, which must reproduce every recorded result and state hash. Stops at
// the first problem and names the block (and transaction when one is at fault).
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace carledger {

struct AuditReport {
  bool ok = false;
  uint64_t blocks = 0;        // blocks that passed
  uint64_t transactions = 0;  // transactions in them
  uint64_t valid_transactions = 0;
  // On failure: the first bad block (and transaction index, or -1) and what is wrong.
  int64_t bad_block = -1;
  int64_t bad_tx = -1;
  std::string problem;
  std::string state_hash;  // after the last good block
  // Whether the node's own state database agrees with the re-execution.
  bool node_state_matches = false;
};

// Audits DIR (a node data directory with blocks/ and state/). Returns a report; a
// non-OK Status only when the audit itself could not run (e.g. no such directory).
Result<AuditReport> AuditDataDir(const std::string& dir);

}  // namespace carledger
