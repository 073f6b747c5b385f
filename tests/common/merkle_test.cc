// common/merkle: RFC 6962-shaped roots and inclusion proofs.
#include "common/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace carledger {
namespace {

Bytes Node(const Bytes& l, const Bytes& r) {
  return Sha256(std::string("\x01", 1) + l + r);
}

// An independent reference: RFC 6962 section 2.1, MTH(D[n]).
Bytes ReferenceRoot(const std::vector<Bytes>& leaves, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 0) return Sha256("");
  if (n == 1) return leaves[begin];
  size_t k = 1;
  while (k << 1 < n) k <<= 1;
  return Node(ReferenceRoot(leaves, begin, begin + k), ReferenceRoot(leaves, begin + k, end));
}

std::vector<Bytes> Leaves(size_t n) {
  std::vector<Bytes> out;
  for (size_t i = 0; i < n; ++i) out.push_back(MerkleLeafHash("tx-" + std::to_string(i)));
  return out;
}

TEST(MerkleTest, LeafHashHasZeroPrefix) {
  EXPECT_EQ(MerkleLeafHash("abc"), Sha256(std::string("\x00", 1) + "abc"));
  EXPECT_NE(MerkleLeafHash("abc"), Sha256("abc"));
}

TEST(MerkleTest, EmptyAndSingleLeaf) {
  EXPECT_EQ(MerkleRoot({}), Sha256(""));
  auto one = Leaves(1);
  EXPECT_EQ(MerkleRoot(one), one[0]);
}

TEST(MerkleTest, StructureOfSmallTrees) {
  auto l = Leaves(5);
  EXPECT_EQ(MerkleRoot({l[0], l[1]}), Sha256(std::string("\x01", 1) + l[0] + l[1]));
  // Three leaves split at two: ((l0 l1) l2), not (l0 (l1 l2)).
  EXPECT_EQ(MerkleRoot({l[0], l[1], l[2]}), Node(Node(l[0], l[1]), l[2]));
  EXPECT_EQ(MerkleRoot({l[0], l[1], l[2], l[3]}), Node(Node(l[0], l[1]), Node(l[2], l[3])));
  EXPECT_EQ(MerkleRoot(l), Node(Node(Node(l[0], l[1]), Node(l[2], l[3])), l[4]));
  // Order matters.
  EXPECT_NE(MerkleRoot({l[0], l[1]}), MerkleRoot({l[1], l[0]}));
  // No duplication of the odd leaf (Bitcoin's CVE-2012-2459 shape): [a b c] != [a b c c].
  EXPECT_NE(MerkleRoot({l[0], l[1], l[2]}), MerkleRoot({l[0], l[1], l[2], l[2]}));
}

TEST(MerkleTest, RootsMatchReferenceUpTo33Leaves) {
  std::vector<Bytes> seen;
  for (size_t n = 0; n <= 33; ++n) {
    auto leaves = Leaves(n);
    Bytes root = MerkleRoot(leaves);
    EXPECT_EQ(root, ReferenceRoot(leaves, 0, n)) << n << " leaves";
    EXPECT_EQ(root.size(), 32u);
    for (const auto& s : seen)
      EXPECT_NE(root, s) << n << " leaves share a root with a shorter list";
    seen.push_back(root);
  }
}

TEST(MerkleTest, EveryProofVerifiesUpTo33Leaves) {
  for (size_t n = 1; n <= 33; ++n) {
    auto leaves = Leaves(n);
    Bytes root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      auto proof = MakeMerkleProof(leaves, i);
      ASSERT_TRUE(proof.ok()) << n << "/" << i;
      EXPECT_EQ(proof->leaf_index, i);
      EXPECT_EQ(proof->leaf_count, n);
      EXPECT_TRUE(VerifyMerkleProof(leaves[i], *proof, root)) << n << " leaves, index " << i;
      // Path length is at most ceil(log2 n).
      size_t depth = 0;
      while ((size_t{1} << depth) < n) ++depth;
      EXPECT_LE(proof->path.size(), depth);
    }
  }
}

TEST(MerkleTest, ProofOutOfRange) {
  auto leaves = Leaves(3);
  EXPECT_EQ(MakeMerkleProof(leaves, 3).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(MakeMerkleProof({}, 0).status().code(), StatusCode::kOutOfRange);
}

TEST(MerkleTest, TamperedProofsFail) {
  for (size_t n : {2u, 3u, 5u, 8u, 13u, 33u}) {
    auto leaves = Leaves(n);
    Bytes root = MerkleRoot(leaves);
    for (size_t i = 0; i < n; ++i) {
      auto proof = MakeMerkleProof(leaves, i);
      ASSERT_TRUE(proof.ok());
      SCOPED_TRACE("n=" + std::to_string(n) + " i=" + std::to_string(i));
      // Wrong leaf.
      EXPECT_FALSE(VerifyMerkleProof(leaves[(i + 1) % n], *proof, root));
      EXPECT_FALSE(VerifyMerkleProof(MerkleLeafHash("forged"), *proof, root));
      // Wrong index.
      for (uint64_t j = 0; j < n + 2; ++j) {
        if (j == i) continue;
        MerkleProof p = *proof;
        p.leaf_index = j;
        EXPECT_FALSE(VerifyMerkleProof(leaves[i], p, root)) << "index " << j;
      }
      // Wrong count: a count that leaves no room for the index, and for the last leaf
      // (whose path depends on where the right edge is) any other count. (As in RFC 9162,
      // a leaf inside a complete left subtree has the same path in larger trees, so the
      // count must come from an authenticated header; the block header's tx list does.)
      for (uint64_t c : {uint64_t{0}, uint64_t{i}}) {
        MerkleProof p = *proof;
        p.leaf_count = c;
        EXPECT_FALSE(VerifyMerkleProof(leaves[i], p, root)) << "count " << c;
      }
      if (i == n - 1) {
        for (uint64_t c :
             {uint64_t{n} + 1, uint64_t{n} + 2, uint64_t{n} * 2, uint64_t{n} * 4 + 1}) {
          MerkleProof p = *proof;
          p.leaf_count = c;
          EXPECT_FALSE(VerifyMerkleProof(leaves[i], p, root)) << "count " << c;
        }
      }
      // Tampered path element, dropped element, extra element.
      for (size_t k = 0; k < proof->path.size(); ++k) {
        MerkleProof p = *proof;
        p.path[k][0] = static_cast<char>(p.path[k][0] ^ 0x80);
        EXPECT_FALSE(VerifyMerkleProof(leaves[i], p, root)) << "path " << k;
      }
      if (!proof->path.empty()) {
        MerkleProof p = *proof;
        p.path.pop_back();
        EXPECT_FALSE(VerifyMerkleProof(leaves[i], p, root));
      }
      MerkleProof longer = *proof;
      longer.path.push_back(leaves[0]);
      EXPECT_FALSE(VerifyMerkleProof(leaves[i], longer, root));
      // Wrong root.
      EXPECT_FALSE(VerifyMerkleProof(leaves[i], *proof, MerkleRoot(Leaves(n + 1))));
    }
  }
}

}  // namespace
}  // namespace carledger
