#include "common/merkle.h"

namespace carledger {
namespace {

Bytes NodeHash(const Bytes& left, const Bytes& right) {
  Sha256Hasher h;
  h.Update(std::string_view("\x01", 1));
  h.Update(left);
  h.Update(right);
  return h.Finish();
}

// Largest power of two strictly less than n (n >= 2).
uint64_t SplitPoint(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Bytes SubtreeRoot(const std::vector<Bytes>& leaves, uint64_t begin, uint64_t end) {
  uint64_t n = end - begin;
  if (n == 1) return leaves[begin];
  uint64_t k = SplitPoint(n);
  return NodeHash(SubtreeRoot(leaves, begin, begin + k), SubtreeRoot(leaves, begin + k, end));
}

void Path(const std::vector<Bytes>& leaves, uint64_t m, uint64_t begin, uint64_t end,
          std::vector<Bytes>* out) {
  uint64_t n = end - begin;
  if (n <= 1) return;
  uint64_t k = SplitPoint(n);
  if (m < k) {
    Path(leaves, m, begin, begin + k, out);
    out->push_back(SubtreeRoot(leaves, begin + k, end));
  } else {
    Path(leaves, m - k, begin + k, end, out);
    out->push_back(SubtreeRoot(leaves, begin, begin + k));
  }
}

}  // namespace

Bytes MerkleLeafHash(std::string_view data) {
  Sha256Hasher h;
  h.Update(std::string_view("\x00", 1));
  h.Update(data);
  return h.Finish();
}

Bytes MerkleRoot(const std::vector<Bytes>& leaf_hashes) {
  if (leaf_hashes.empty()) return Sha256("");
  return SubtreeRoot(leaf_hashes, 0, leaf_hashes.size());
}

Result<MerkleProof> MakeMerkleProof(const std::vector<Bytes>& leaf_hashes, uint64_t index) {
  if (index >= leaf_hashes.size()) return Status::OutOfRange("leaf index past the last leaf");
  MerkleProof proof;
  proof.leaf_index = index;
  proof.leaf_count = leaf_hashes.size();
  Path(leaf_hashes, index, 0, leaf_hashes.size(), &proof.path);
  return proof;
}

bool VerifyMerkleProof(const Bytes& leaf_hash, const MerkleProof& proof, const Bytes& root) {
  if (proof.leaf_index >= proof.leaf_count) return false;
  uint64_t fn = proof.leaf_index;
  uint64_t sn = proof.leaf_count - 1;
  Bytes r = leaf_hash;
  for (const Bytes& p : proof.path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace carledger
