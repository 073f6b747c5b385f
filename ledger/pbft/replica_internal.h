// Shared by the replica's source files only.
#pragma once

#include "ledger/pbft/replica.h"

namespace carledger::pbft {

// One sequence number in the current view.
struct Replica::Slot {
  uint64_t seq = 0;
  int64_t created_ms = 0;
  int64_t next_retransmit_ms = 0;  // backs off: a slow slot is not flooded
  int retransmits = 0;
  MessagePtr pre_prepare;  // the accepted one
  consensus::PrePrepare pp;
  Bytes digest;
  std::map<Bytes, std::map<std::string, MessagePtr>> prepares;  // digest -> sender -> message
  std::map<Bytes, std::set<std::string>> commits;               // digest -> senders
  bool prepared = false;
  bool committed = false;
  MessagePtr my_prepare;
  MessagePtr my_commit;
};

// The view of the pre-prepare inside a prepared proof (0 if it does not parse).
inline uint64_t ProofView(const consensus::PreparedProof& proof) {
  consensus::Message m;
  if (!m.ParseFromString(proof.pre_prepare().body()) || !m.has_pre_prepare()) return 0;
  return m.pre_prepare().view();
}

}  // namespace carledger::pbft
