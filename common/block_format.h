// Canonical hashes of the ledger's structures. Everything that is signed or chained is a
// hash defined here over explicit, length-prefixed fields, never over a protobuf
// serialisation. Usable without the ledger library (the desktop apps verify with it).
#pragma once

#include <vector>

#include "common/crypto.h"
#include "common/merkle.h"
#include "ledger.pb.h"

namespace carledger {

// tx_id: SHA-256 of the payload bytes exactly as signed.
Bytes TxId(const ledger::TxEnvelope& envelope);

// Merkle leaf data for a transaction: tx_id || SHA-256(signature).
Bytes TxLeafHash(const ledger::TxEnvelope& envelope);

// Merkle root over a block's transactions.
Bytes TxRoot(const std::vector<const ledger::TxEnvelope*>& txs);
Bytes TxRoot(const ledger::Block& block);

// Digest over every result in order (code, reason, output, events).
Bytes ResultsHash(const ledger::Block& block);

// Votes needed among n validators tolerating f = (n-1)/3 faults: the smallest q with
// 2q - n >= f + 1, so any two quorums share an honest validator (2f+1 when n = 3f+1;
// more for other n, e.g. 4 of 5, 4 of 6).
inline size_t QuorumSize(size_t n) {
  size_t f = n == 0 ? 0 : (n - 1) / 3;
  return (n + f + 2) / 2;
}

// Hash of a header: the block's identity and what the next block's prev_hash names.
Bytes BlockHash(const ledger::BlockHeader& header);

// What each validator signs to certify a block: a domain tag and the block hash.
Bytes CommitDigest(const ledger::BlockHeader& header);

// A write to world state, as folded into the state hash.
struct StateWrite {
  std::string key;
  std::string value;
  bool deleted = false;
};

// state_hash(h) = SHA-256(prev_state_hash || writes sorted by key, each (key, deleted, value)).
Bytes NextStateHash(const Bytes& prev_state_hash, const std::vector<StateWrite>& sorted_writes);

}  // namespace carledger
