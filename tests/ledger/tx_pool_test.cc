// Admission: TxPool verifies once, queues in arrival order, refuses duplicates and
// overflow with the right codes; VerifiedTxCache is keyed by the leaf hash (payload and
// signature) and evicts oldest first; block execution uses what the cache holds.
#include "ledger/tx_pool.h"

#include <gtest/gtest.h>

#include "common/block_format.h"
#include "ledger/executor.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

constexpr int64_t kNowMs = 1772323200000;

ledger::TxEnvelope Tx(const Signer& who, uint64_t nonce) {
  Json args = Json::MakeObject();
  args["amount"] = static_cast<int64_t>(1000 + nonce);
  return MakeTransaction(who, "car_trade", "request_charge", args, nonce, kNowMs).value();
}

Signer NewUser() {
  return Signer{PrivateKey::Generate().value(), std::nullopt};
}

TEST(TxPoolTest, AdmitsVerifiedTransactionsInArrivalOrder) {
  VerifiedTxCache cache;
  TxPool pool(&cache);
  Signer u = NewUser();
  std::vector<ledger::TxEnvelope> txs = {Tx(u, 1), Tx(u, 2), Tx(u, 3)};
  auto st = pool.Admit(txs);
  ASSERT_EQ(st.size(), 3u);
  for (const auto& s : st) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(pool.size(), 3u);
  auto batch = pool.TakeBatch(2);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(TxId(batch[0]), TxId(txs[0]));
  EXPECT_EQ(TxId(batch[1]), TxId(txs[1]));
  EXPECT_EQ(pool.size(), 1u);
  // Every admitted transaction is in the cache under its leaf hash.
  for (const auto& tx : txs) {
    auto hit = cache.Find(TxLeafHash(tx));
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->tx_id, TxId(tx));
  }
}

TEST(TxPoolTest, RefusesBadSignaturesDuplicatesAndOverflowWithTheirCodes) {
  VerifiedTxCache cache;
  TxPool pool(&cache, TxPoolOptions{2});
  Signer u = NewUser();
  ledger::TxEnvelope good = Tx(u, 1);
  ledger::TxEnvelope forged = Tx(u, 2);
  std::string sig = forged.signature();
  sig[5] = static_cast<char>(sig[5] ^ 1);
  forged.set_signature(sig);
  ledger::TxEnvelope garbage;
  garbage.set_payload("not a payload");
  garbage.set_signature(std::string(64, '\1'));

  auto st = pool.Admit({good, forged, garbage, good});
  EXPECT_TRUE(st[0].ok());
  EXPECT_EQ(st[1].code(), StatusCode::kUnauthenticated) << st[1].ToString();
  EXPECT_EQ(st[2].code(), StatusCode::kInvalidArgument) << st[2].ToString();
  EXPECT_EQ(st[3].code(), StatusCode::kAlreadyExists) << st[3].ToString();
  EXPECT_EQ(cache.Find(TxLeafHash(forged)), nullptr);  // nothing unverified is cached

  auto more = pool.Admit({Tx(u, 3), Tx(u, 4)});
  EXPECT_TRUE(more[0].ok());
  EXPECT_EQ(more[1].code(), StatusCode::kResourceExhausted) << more[1].ToString();
  EXPECT_EQ(pool.size(), 2u);

  // Once taken for a block, the same transaction may be queued again (the ledger, not
  // the pool, rejects a committed duplicate).
  pool.TakeBatch(10);
  EXPECT_TRUE(pool.Admit({good})[0].ok());
}

TEST(VerifiedTxCacheTest, EvictsOldestFirstAndKeysOnTheSignatureToo) {
  VerifiedTxCache cache(2);
  Signer u = NewUser();
  std::vector<ledger::TxEnvelope> txs = {Tx(u, 1), Tx(u, 2), Tx(u, 3)};
  for (const auto& tx : txs) {
    cache.Insert(TxLeafHash(tx), std::make_shared<VerifiedTx>(VerifyTransaction(tx).value()));
  }
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(TxLeafHash(txs[0])), nullptr);
  EXPECT_NE(cache.Find(TxLeafHash(txs[2])), nullptr);
  // Same payload, another (non-canonical) signature: a different key, so not a hit.
  ledger::TxEnvelope other = txs[2];
  std::string sig = other.signature();
  sig[0] = static_cast<char>(sig[0] ^ 0x80);
  other.set_signature(sig);
  EXPECT_EQ(TxId(other), TxId(txs[2]));
  EXPECT_EQ(cache.Find(TxLeafHash(other)), nullptr);
}

TEST(VerifiedTxCacheTest, ExecutionTrustsTheCacheAndChecksEverythingElse) {
  carledger::testing::TestNetwork net;
  Signer u = NewUser();
  ledger::TxEnvelope cached = Tx(u, 1);
  ledger::TxEnvelope forged = Tx(u, 2);
  std::string sig = forged.signature();
  sig[7] = static_cast<char>(sig[7] ^ 1);
  forged.set_signature(sig);

  VerifiedTxCache cache;
  cache.Insert(TxLeafHash(cached), std::make_shared<VerifiedTx>(VerifyTransaction(cached).value()));
  ExecutorOptions opt;
  opt.verified = &cache;
  auto out = ExecuteBlock(net.ledger().state(), net.ledger().height(), kNowMs + 10,
                          {&cached, &forged}, opt);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->results.size(), 2u);
  EXPECT_NE(out->results[0].code(), ledger::BAD_SIGNATURE);
  EXPECT_EQ(out->results[1].code(), ledger::BAD_SIGNATURE) << out->results[1].reason();
}

}  // namespace
}  // namespace carledger
