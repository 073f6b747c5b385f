#include "common/history_verify.h"

#include <map>
#include <set>

#include "common/block_format.h"
#include "common/json.h"
#include "common/merkle.h"

namespace carledger {

namespace {

struct KeySet {
  uint64_t from_height = 0;
  std::map<std::string, PublicKey> keys;
};

}  // namespace

HistoryCheck VerifyCarHistory(const v1::CarHistory& history, const Certificate& ca, int64_t now_s) {
  HistoryCheck out;
  auto fail = [&](const std::string& what) {
    out.ok = false;
    out.problem = what;
    return out;
  };
  std::vector<KeySet> sets;
  for (const auto& vs : history.validator_sets()) {
    KeySet s;
    s.from_height = vs.from_height();
    for (const auto& der : vs.certificates_der()) {
      auto cert = Certificate::FromDer(der);
      if (!cert.ok()) return fail("a validator certificate does not parse");
      if (cert->role() != Role::kValidator) return fail("a listed validator is not a validator");
      // Validity at signing time is the ledger's business; here only the chain to the CA.
      Status chain = VerifyCertificate(ca, *cert, now_s);
      if (!chain.ok() && chain.message().find("expired") == std::string::npos)
        return fail("validator certificate: " + chain.message());
      s.keys.emplace(cert->public_key().Fingerprint(), cert->public_key());
    }
    sets.push_back(std::move(s));
  }
  std::map<uint64_t, const ledger::Block*> blocks;
  for (const auto& b : history.headers()) blocks[b.header().height()] = &b;
  out.signers = SIZE_MAX;
  std::set<uint64_t> checked;
  std::string prev_tx;
  uint64_t expected_seq = 1;
  for (const auto& e : history.events()) {
    std::string where = "event " + std::to_string(e.seq());
    if (e.seq() != expected_seq) return fail(where + ": out of order or missing events before it");
    ++expected_seq;
    auto it = blocks.find(e.block_height());
    if (it == blocks.end()) return fail(where + ": its block is missing");
    const ledger::Block& block = *it->second;
    MerkleProof proof;
    proof.leaf_index = e.tx_index();
    proof.leaf_count = e.tx_count();
    for (const auto& p : e.merkle_path()) proof.path.push_back(p);
    if (!VerifyMerkleProof(TxLeafHash(e.transaction()), proof, block.header().tx_root()))
      return fail(where + ": its transaction is not in block " + std::to_string(e.block_height()));
    if (ResultsHash(block) != block.header().results_hash())
      return fail("block " + std::to_string(e.block_height()) +
                  ": results do not match its header");
    if (e.tx_index() >= static_cast<uint64_t>(block.results_size()) ||
        block.results(static_cast<int>(e.tx_index())).tx_id() != TxId(e.transaction()) ||
        block.results(static_cast<int>(e.tx_index())).code() != ledger::VALID)
      return fail(where + ": its transaction was not valid");
    if (checked.insert(e.block_height()).second) {
      const KeySet* set = nullptr;
      for (const auto& s : sets) {
        if (s.from_height <= e.block_height() && (!set || s.from_height > set->from_height))
          set = &s;
      }
      if (!set) return fail("block " + std::to_string(e.block_height()) + ": no validator set");
      Bytes digest = CommitDigest(block.header());
      std::set<std::string> good;
      for (const auto& sig : block.certificate().signatures()) {
        auto k = set->keys.find(sig.validator());
        if (k != set->keys.end() && k->second.Verify(digest, sig.signature()).ok())
          good.insert(sig.validator());
      }
      if (good.size() < QuorumSize(set->keys.size()))
        return fail("block " + std::to_string(e.block_height()) + ": certified by " +
                    std::to_string(good.size()) + " of " + std::to_string(set->keys.size()) +
                    " validators, " + std::to_string(QuorumSize(set->keys.size())) + " needed");
      if (good.size() < out.signers) {
        out.signers = good.size();
        out.validators = set->keys.size();
      }
    }
    auto ev = Json::Parse(e.event_json());
    if (!ev.ok()) return fail(where + ": does not parse");
    if (ev->get_string("tx_id") != ToHex(TxId(e.transaction())))
      return fail(where + ": names another transaction");
    if (ev->get_string("prev_tx") != prev_tx)
      return fail(where + ": does not follow the one before");
    // The event's content must be what the contract emitted for it: the results are
    // certified through the header, the event_json the node serves is not.
    bool emitted = false;
    const auto& emitted_events = block.results(static_cast<int>(e.tx_index())).events();
    for (const auto& le : emitted_events) {
      if (le.name() != ev->get_string("type")) continue;
      auto payload = Json::Parse(le.payload());
      if (!payload.ok() || payload->get_int("seq") != static_cast<int64_t>(e.seq())) continue;
      emitted = payload->get("data") == ev->get("data") &&
                payload->get_string("prev_tx") == ev->get_string("prev_tx");
      break;
    }
    if (!emitted) return fail(where + ": differs from what the contract recorded");
    prev_tx = ev->get_string("tx_id");
    ++out.events;
  }
  auto car = Json::Parse(history.car_json());
  if (!car.ok()) return fail("the car record does not parse");
  if (car->get_string("last_tx") != prev_tx)
    return fail("the history ends before the car's last event (events left out)");
  if (out.signers == SIZE_MAX) out.signers = 0;
  out.ok = true;
  return out;
}

}  // namespace carledger
