// ledger/executor: the same block on separate fresh states gives the same results and
// writes, byte for byte; and Commit refuses a block whose recorded results differ.
#include "ledger/executor.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/block_format.h"
#include "ledger/network.h"
#include "ledger/solo_orderer.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::Describe;
using testing::TempDir;

constexpr int64_t kStartMs = 1772323200000;

// Exercises the stock-Lua hazards: hash-ordered iteration, unstable sorting, addresses,
// error messages naming one of many members, plus writes, deletes and rejections.
ContractPackage Hazards() {
  return {"hazards", "1", R"(
local M = {}
function M.mix(a)
  local t = {}
  for i = 1, 60 do t["key" .. ((i * 37) % 101)] = i end
  local order = {}
  for k in pairs(t) do order[#order + 1] = k end
  ledger.put("order/" .. a.n, table.concat(order, ","))
  local items = {}
  for i = 1, 400 do items[i] = { k = (i * 13) % 3, id = i } end
  table.sort(items, function(x, y) return x.k < y.k end)
  local ids = {}
  for i = 1, #items do ids[i] = items[i].id end
  ledger.put("sorted/" .. a.n, json.encode(ids))
  ledger.emit("mixed", { n = a.n, s = string.format("%s/%s/%d", {}, M.mix, a.n) })
  return { first = order[1], count = #order, tbl = tostring(t) }
end
function M.floaty(a)
  local t = {}
  for i = 1, 60 do t["f" .. i] = i / 7 end
  return t
end
function M.bump(a)
  local v = tonumber(ledger.get("counter") or "0") + a.by
  ledger.put("counter", tostring(v))
  return { counter = v }
end
function M.drop(a) ledger.del("order/" .. a.n) return {} end
function M.no(a) ledger.reject("no " .. a.n) end
function M.spin(a) while true do end end
return M
)"};
}

Json N(int64_t n) {
  return Json(Json::Object{{"n", n}});
}

// One network's worth of identities, shared by several independent ledgers.
struct Twins {
  NetworkIdentities ids;
  TempDir dir_a, dir_b;
  std::unique_ptr<Ledger> a, b;
  ledger::Block genesis;

  Twins() {
    auto made = CreateNetworkIdentities("TwinNet", {"OrgA"}, 1, kStartMs / 1000);
    EXPECT_TRUE(made.ok());
    ids = std::move(made).value();
    a = std::move(Ledger::Open(dir_a.path())).value();
    b = std::move(Ledger::Open(dir_b.path())).value();
    auto g = CommitGenesis(a.get(), ids, {Hazards()}, kStartMs);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    genesis = *g;
    // The second node re-executes the certified genesis block itself.
    Status st = b->Commit(genesis);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
};

std::vector<ledger::TxEnvelope> Batch(const NetworkIdentities& ids, int64_t now) {
  std::vector<Signer> users;
  for (int i = 0; i < 3; ++i) users.push_back(Signer{*PrivateKey::Generate(), std::nullopt});
  std::vector<ledger::TxEnvelope> txs;
  uint64_t nonce = 100;
  auto add = [&](const Signer& s, const std::string& fn, const Json& args, int64_t ts) {
    auto tx = MakeTransaction(s, "hazards", fn, args, nonce++, ts);
    EXPECT_TRUE(tx.ok());
    txs.push_back(*tx);
  };
  for (int i = 0; i < 3; ++i) add(users[static_cast<size_t>(i)], "mix", N(i), now);
  add(users[0], "floaty", N(0), now);
  add(users[1], "bump", Json(Json::Object{{"by", 5}}), now);
  add(users[2], "bump", Json(Json::Object{{"by", 7}}), now);
  add(users[0], "drop", N(1), now);
  add(users[1], "no", N(9), now);
  add(users[2], "spin", N(0), now);
  add(ids.admins[0], "bump", Json(Json::Object{{"by", 1}}), now);
  txs.push_back(txs[4]);  // duplicate within the block
  add(users[0], "bump", Json(Json::Object{{"by", 1}}), now + 3600 * 1000);  // outside the window
  add(users[1], "bump", Json(Json::Object{{"by", 100}}), now);
  (*txs.back().mutable_signature())[3] ^= 1;  // bad signature
  return txs;
}

std::vector<const ledger::TxEnvelope*> Ptrs(const std::vector<ledger::TxEnvelope>& txs) {
  std::vector<const ledger::TxEnvelope*> out;
  for (const auto& t : txs) out.push_back(&t);
  return out;
}

void ExpectSameExecution(const ExecutedBlock& x, const ExecutedBlock& y) {
  ASSERT_EQ(x.results.size(), y.results.size());
  for (size_t i = 0; i < x.results.size(); ++i) {
    EXPECT_EQ(x.results[i].SerializeAsString(), y.results[i].SerializeAsString())
        << "tx " << i << ": " << Describe(x.results[i]) << " vs " << Describe(y.results[i]);
  }
  ASSERT_EQ(x.effects.writes.size(), y.effects.writes.size());
  for (size_t i = 0; i < x.effects.writes.size(); ++i) {
    EXPECT_EQ(x.effects.writes[i].key, y.effects.writes[i].key);
    EXPECT_EQ(x.effects.writes[i].value, y.effects.writes[i].value) << x.effects.writes[i].key;
    EXPECT_EQ(x.effects.writes[i].deleted, y.effects.writes[i].deleted) << x.effects.writes[i].key;
  }
  EXPECT_EQ(x.effects.history, y.effects.history);
  EXPECT_EQ(x.effects.tx_ids, y.effects.tx_ids);
  EXPECT_EQ(x.effects.indexed, y.effects.indexed);
  EXPECT_EQ(x.effects.height, y.effects.height);
  EXPECT_EQ(x.effects.state_hash, y.effects.state_hash);
}

TEST(ExecutorTest, SameBlockOnSeparateStatesGivesIdenticalResultsAndWrites) {
  Twins t;
  ASSERT_EQ(t.a->state().state_hash(), t.b->state().state_hash());
  int64_t now = kStartMs + 1000;
  auto txs = Batch(t.ids, now);
  ExecutorOptions opts;
  opts.limits.instruction_budget = 2'000'000;
  auto first = ExecuteBlock(t.a->state(), 1, now, Ptrs(txs), opts);
  ASSERT_TRUE(first.ok()) << first.status().ToString();

  // What the block did, so the comparison below is not vacuous.
  const auto& r = first->results;
  ASSERT_EQ(r.size(), txs.size());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(r[static_cast<size_t>(i)].code(), ledger::VALID)
        << Describe(r[static_cast<size_t>(i)]);
  EXPECT_EQ(r[0].events_size(), 1);
  EXPECT_NE(r[0].events(0).payload().find("table/function/0"), std::string::npos)
      << r[0].events(0).payload();
  EXPECT_EQ(r[3].code(), ledger::CONTRACT_ERROR);
  EXPECT_NE(r[3].reason().find("f1:"), std::string::npos) << r[3].reason();
  EXPECT_EQ(r[5].output(), R"({"counter":12})");
  EXPECT_EQ(r[7].code(), ledger::REJECTED);
  EXPECT_EQ(r[8].code(), ledger::BUDGET_EXCEEDED);
  EXPECT_EQ(r[9].code(), ledger::VALID) << Describe(r[9]);  // an admin's certificate
  EXPECT_EQ(r[9].output(), R"({"counter":13})");
  EXPECT_EQ(r[10].code(), ledger::DUPLICATE_TX);
  EXPECT_EQ(r[11].code(), ledger::BAD_TIMESTAMP);
  EXPECT_EQ(r[12].code(), ledger::BAD_SIGNATURE);
  EXPECT_EQ(first->effects.indexed.size(), txs.size() - 1);

  // Re-run on the same state (fresh Lua states every time) and on the other node.
  for (int i = 0; i < 3; ++i) {
    auto again = ExecuteBlock(t.a->state(), 1, now, Ptrs(txs), opts);
    ASSERT_TRUE(again.ok());
    ExpectSameExecution(*first, *again);
    auto other = ExecuteBlock(t.b->state(), 1, now, Ptrs(txs), opts);
    ASSERT_TRUE(other.ok());
    ExpectSameExecution(*first, *other);
  }
}

TEST(ExecutorTest, CertifiedBlockCommitsOnTheOtherNode) {
  Twins t;
  LedgerOptions lo;
  lo.executor.limits.instruction_budget = 2'000'000;
  auto txs = Batch(t.ids, kStartMs + 1000);
  SoloOrderer orderer(t.a.get(), {t.ids.validators[0].key});
  auto block = orderer.CommitBatch(txs, kStartMs + 1000);
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  Status st = t.b->Commit(*block);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(t.a->state().state_hash(), t.b->state().state_hash());
  EXPECT_EQ(t.a->last_block_hash(), t.b->last_block_hash());
  EXPECT_EQ(**t.b->GetState("c/hazards/counter"), "13");
}

TEST(ExecutorTest, CommitRefusesATamperedEventPayload) {
  Twins t;
  auto user = Signer{*PrivateKey::Generate(), std::nullopt};
  auto tx = MakeTransaction(user, "hazards", "mix", N(1), 1, kStartMs + 1000);
  ASSERT_TRUE(tx.ok());
  auto block = t.a->Propose({*tx}, kStartMs + 1000, "p");
  ASSERT_TRUE(block.ok());
  ASSERT_EQ(block->results(0).events_size(), 1);
  // Same code, reason, output and event count; only what the event says is changed.
  block->mutable_results(0)->mutable_events(0)->set_payload(R"({"n":999})");
  block->mutable_header()->set_results_hash(ResultsHash(*block));
  *block->mutable_certificate()->add_signatures() =
      *SignCommit(block->header(), t.ids.validators[0].key);
  Status on_b = t.b->Commit(*block);
  EXPECT_EQ(on_b.code(), StatusCode::kFailedPrecondition) << on_b.ToString();
  EXPECT_NE(on_b.message().find("transaction 0"), std::string::npos) << on_b.message();
  EXPECT_EQ(t.b->height(), 1u);
}

TEST(ExecutorTest, ExtremeTimestampsAreOutsideTheWindow) {
  Twins t;
  auto user = Signer{*PrivateKey::Generate(), std::nullopt};
  std::vector<ledger::TxEnvelope> txs;
  uint64_t nonce = 1;
  for (int64_t ts :
       {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), int64_t{0},
        kStartMs + 1000 - 10 * 60 * 1000, kStartMs + 1000 + 10 * 60 * 1000 + 1}) {
    txs.push_back(
        *MakeTransaction(user, "hazards", "bump", Json(Json::Object{{"by", 1}}), nonce++, ts));
  }
  auto run = ExecuteBlock(t.a->state(), 1, kStartMs + 1000, Ptrs(txs));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->results[0].code(), ledger::BAD_TIMESTAMP);
  EXPECT_EQ(run->results[1].code(), ledger::BAD_TIMESTAMP);
  EXPECT_EQ(run->results[2].code(), ledger::BAD_TIMESTAMP);
  EXPECT_EQ(run->results[3].code(), ledger::VALID)
      << Describe(run->results[3]);  // exactly at the edge
  EXPECT_EQ(run->results[4].code(), ledger::BAD_TIMESTAMP);
}

}  // namespace
}  // namespace carledger
