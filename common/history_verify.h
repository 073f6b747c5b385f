// Checking a car's history as served by any node, trusting only the network's root CA:
// every event's transaction is in its block (Merkle path to the header's tx root), the
// block's results hash matches and the transaction was valid, the block carries a commit
// certificate from a quorum of the validator set of its epoch (their certificates chain
// to the CA), and the events form one unbroken chain ending at the car's last
// transaction. Used by the desktop apps and the CLI; needs no ledger or network.
#pragma once

#include <string>
#include <vector>

#include "carledger_api.pb.h"
#include "common/status.h"
#include "common/x509.h"

namespace carledger {

struct HistoryCheck {
  bool ok = false;
  size_t events = 0;      // events checked
  size_t signers = 0;     // the fewest valid validator signatures on any block involved
  size_t validators = 0;  // size of that block's validator set
  std::string problem;    // the first thing that failed, for a red warning
};

// Verifies `history` against `ca` at time `now_s` (for certificate validity).
HistoryCheck VerifyCarHistory(const v1::CarHistory& history, const Certificate& ca, int64_t now_s);

}  // namespace carledger
