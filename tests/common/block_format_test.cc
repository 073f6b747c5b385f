// common/block_format: the canonical hashes the ledger signs and chains.
#include "common/block_format.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace carledger {
namespace {

ledger::Block SampleBlock() {
  ledger::Block b;
  auto* h = b.mutable_header();
  h->set_height(7);
  h->set_prev_hash(std::string(32, 'p'));
  h->set_tx_root(std::string(32, 't'));
  h->set_results_hash(std::string(32, 'r'));
  h->set_state_hash(std::string(32, 's'));
  h->set_timestamp_ms(1772323200000);
  h->set_proposer("proposer-fp");
  h->set_view(2);
  for (int i = 0; i < 3; ++i) {
    auto* tx = b.add_transactions();
    tx->set_payload("payload-" + std::to_string(i));
    tx->set_signature("sig-" + std::to_string(i));
    auto* r = b.add_results();
    r->set_tx_id(TxId(*tx));
    r->set_code(i == 1 ? ledger::REJECTED : ledger::VALID);
    r->set_reason(i == 1 ? "no" : "");
    r->set_output(i == 1 ? "" : "{}");
    auto* e = r->add_events();
    e->set_name("ev");
    e->set_payload("{\"i\":" + std::to_string(i) + "}");
  }
  return b;
}

TEST(BlockFormatTest, TxIdAndLeaf) {
  ledger::TxEnvelope tx;
  tx.set_payload("the payload");
  tx.set_signature("the signature");
  EXPECT_EQ(TxId(tx), Sha256("the payload"));
  EXPECT_EQ(TxLeafHash(tx), MerkleLeafHash(Sha256("the payload") + Sha256("the signature")));
  // A different signature over the same payload: same id, different leaf.
  ledger::TxEnvelope other = tx;
  other.set_signature("another signature");
  EXPECT_EQ(TxId(other), TxId(tx));
  EXPECT_NE(TxLeafHash(other), TxLeafHash(tx));
}

TEST(BlockFormatTest, TxRootIsMerkleRootOfLeaves) {
  ledger::Block b = SampleBlock();
  std::vector<Bytes> leaves;
  std::vector<const ledger::TxEnvelope*> ptrs;
  for (const auto& tx : b.transactions()) {
    leaves.push_back(TxLeafHash(tx));
    ptrs.push_back(&tx);
  }
  EXPECT_EQ(TxRoot(b), MerkleRoot(leaves));
  EXPECT_EQ(TxRoot(ptrs), TxRoot(b));
  EXPECT_EQ(TxRoot(ledger::Block()), Sha256(""));
  std::swap(ptrs[0], ptrs[1]);
  EXPECT_NE(TxRoot(ptrs), TxRoot(b));
}

TEST(BlockFormatTest, BlockHashCoversEveryHeaderField) {
  ledger::Block b = SampleBlock();
  const Bytes base = BlockHash(b.header());
  EXPECT_EQ(base.size(), 32u);
  EXPECT_EQ(BlockHash(b.header()), base);
  std::vector<std::function<void(ledger::BlockHeader*)>> edits = {
      [](auto* h) { h->set_height(8); },
      [](auto* h) { h->set_prev_hash(std::string(32, 'q')); },
      [](auto* h) { h->set_tx_root(std::string(32, 'u')); },
      [](auto* h) { h->set_results_hash(std::string(32, 'x')); },
      [](auto* h) { h->set_state_hash(std::string(32, 'y')); },
      [](auto* h) { h->set_timestamp_ms(1772323200001); },
      [](auto* h) { h->set_proposer("someone-else"); },
      [](auto* h) { h->set_view(3); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    ledger::BlockHeader h = b.header();
    edits[i](&h);
    EXPECT_NE(BlockHash(h), base) << "field " << i;
  }
  // Length prefixes: moving a byte between adjacent fields changes the hash.
  ledger::BlockHeader shifted = b.header();
  shifted.set_prev_hash(std::string(31, 'p'));
  shifted.set_tx_root("p" + std::string(32, 't'));
  EXPECT_NE(BlockHash(shifted), base);
  // The certificate and the body are not part of the header hash.
  ledger::Block signed_block = b;
  signed_block.mutable_certificate()->set_view(9);
  EXPECT_EQ(BlockHash(signed_block.header()), base);
  EXPECT_EQ(CommitDigest(b.header()), "carledger-commit-v1:" + base);
}

TEST(BlockFormatTest, ResultsHashCoversEveryResultField) {
  ledger::Block b = SampleBlock();
  const Bytes base = ResultsHash(b);
  std::vector<std::function<void(ledger::Block*)>> edits = {
      [](auto* x) { x->mutable_results(0)->set_tx_id("other"); },
      [](auto* x) { x->mutable_results(1)->set_code(ledger::VALID); },
      [](auto* x) { x->mutable_results(1)->set_reason("nope"); },
      [](auto* x) { x->mutable_results(2)->set_output("{\"a\":1}"); },
      [](auto* x) { x->mutable_results(2)->mutable_events(0)->set_name("other"); },
      [](auto* x) { x->mutable_results(2)->mutable_events(0)->set_payload("{}"); },
      [](auto* x) { x->mutable_results(2)->add_events(); },
      [](auto* x) { x->mutable_results()->RemoveLast(); },
  };
  for (size_t i = 0; i < edits.size(); ++i) {
    ledger::Block copy = b;
    edits[i](&copy);
    EXPECT_NE(ResultsHash(copy), base) << "edit " << i;
  }
  ledger::Block header_only = b;
  header_only.mutable_header()->set_height(99);
  EXPECT_EQ(ResultsHash(header_only), base);
}

TEST(BlockFormatTest, NextStateHashChainsAndCoversWrites) {
  std::vector<StateWrite> writes = {{"a", "1", false}, {"b", "", true}};
  Bytes h1 = NextStateHash("", writes);
  EXPECT_EQ(h1.size(), 32u);
  EXPECT_EQ(NextStateHash("", writes), h1);
  EXPECT_NE(NextStateHash(h1, writes), h1);  // chained on the previous hash
  EXPECT_NE(NextStateHash("", {}), NextStateHash(h1, {}));
  EXPECT_NE(NextStateHash("", {{"a", "2", false}, {"b", "", true}}), h1);
  EXPECT_NE(NextStateHash("", {{"a", "1", false}, {"b", "", false}}), h1);  // put "" vs delete
  EXPECT_NE(NextStateHash("", {{"a", "1", false}}), h1);
  EXPECT_NE(NextStateHash("", {{"a1", "", false}}), NextStateHash("", {{"a", "1", false}}));
  // A deleted key's stale value does not matter.
  EXPECT_EQ(NextStateHash("", {{"a", "1", false}, {"b", "junk", true}}), h1);
}

}  // namespace
}  // namespace carledger
