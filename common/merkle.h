// Merkle trees over a block's transactions, in the shape of RFC 6962 / RFC 9162: leaves
// and inner nodes are hashed with distinct prefixes (0x00 / 0x01), and an odd tree splits
// at the largest power of two, so no two different leaf lists share a root.
// Self-contained (SHA-256 only) so the desktop apps can verify inclusion proofs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/crypto.h"

namespace carledger {

struct MerkleProof {
  uint64_t leaf_index = 0;
  uint64_t leaf_count = 0;
  std::vector<Bytes> path;  // sibling hashes, leaf upwards
};

// Hash of one leaf's data: SHA-256(0x00 || data).
Bytes MerkleLeafHash(std::string_view data);

// Root over already-hashed leaves (see MerkleLeafHash). The root of zero leaves is SHA-256("").
Bytes MerkleRoot(const std::vector<Bytes>& leaf_hashes);

// Inclusion proof for leaf `index`; OUT_OF_RANGE if index >= leaf count.
Result<MerkleProof> MakeMerkleProof(const std::vector<Bytes>& leaf_hashes, uint64_t index);

// True iff `leaf_hash` is at proof.leaf_index in a tree of proof.leaf_count leaves with `root`.
bool VerifyMerkleProof(const Bytes& leaf_hash, const MerkleProof& proof, const Bytes& root);

}  // namespace carledger
