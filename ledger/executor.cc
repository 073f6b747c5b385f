#include "ledger/executor.h"

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

#include "common/block_format.h"
#include "ledger/block_overlay.h"
#include "ledger/parallel.h"
#include "ledger/system_contracts.h"
#include "ledger/transaction.h"
#include "ledger/tx_pool.h"

namespace carledger {
namespace {

constexpr int64_t kDefaultWindowMs = 10 * 60 * 1000;

// The contract-facing host: a transaction's state, confined to the contract's namespace.
class NamespacedHost : public ContractHost {
 public:
  NamespacedHost(TxState* state, std::string prefix) : state_(state), prefix_(std::move(prefix)) {}
  Result<std::optional<std::string>> Get(const std::string& key) override {
    return state_->Get(prefix_ + key);
  }
  Status Put(const std::string& key, const std::string& value) override {
    return state_->Put(prefix_ + key, value);
  }
  Status Delete(const std::string& key) override { return state_->Delete(prefix_ + key); }
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) override {
    // An empty end means "to the end of the contract's namespace".
    std::string upper = end.empty() ? prefix_.substr(0, prefix_.size() - 1) + "0" : prefix_ + end;
    CL_ASSIGN_OR_RETURN(auto rows, state_->Range(prefix_ + start, upper, limit));
    for (auto& kv : rows) kv.first = kv.first.substr(prefix_.size());
    return rows;
  }
  Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                            size_t limit) override {
    return state_->History(prefix_ + key, after, limit);
  }
  void Emit(const std::string& name, const std::string& payload) override {
    state_->Emit(name, payload);
  }

 private:
  TxState* state_;
  std::string prefix_;
};

ledger::ValidationCode CodeFor(CallOutcome o) {
  switch (o) {
    case CallOutcome::kOk:
      return ledger::VALID;
    case CallOutcome::kRejected:
      return ledger::REJECTED;
    case CallOutcome::kBudgetExceeded:
      return ledger::BUDGET_EXCEEDED;
    case CallOutcome::kMemoryExceeded:
      return ledger::MEMORY_EXCEEDED;
    case CallOutcome::kError:
      return ledger::CONTRACT_ERROR;
  }
  return ledger::CONTRACT_ERROR;
}

uint64_t SeedFromTxId(const Bytes& tx_id) {
  uint64_t s = 0;
  for (size_t i = 0; i < 8 && i < tx_id.size(); ++i)
    s = s << 8 | static_cast<unsigned char>(tx_id[i]);
  return s;
}

class BlockRun {
 public:
  BlockRun(const StateDb& db, uint64_t height, int64_t timestamp_ms, const ExecutorOptions& options)
      : overlay_(&db, height), height_(height), timestamp_ms_(timestamp_ms), options_(options) {}

  Result<ExecutedBlock> Run(const std::vector<const ledger::TxEnvelope*>& txs) {
    // Signatures are independent of state. Transactions verified at admission come from
    // the cache (shared, not copied); the rest are checked here, in parallel (or, in a
    // block a checked certificate vouches for, only parsed).
    std::vector<Checked> verified(txs.size());
    std::vector<size_t> unverified;
    ExecutedBlock out;
    out.tx_leaves.reserve(txs.size());
    for (size_t i = 0; i < txs.size(); ++i) {
      out.tx_leaves.push_back(TxLeafHash(*txs[i]));
      if (options_.verified != nullptr)
        verified[i].tx = options_.verified->Find(out.tx_leaves.back());
      if (!verified[i].tx) unverified.push_back(i);
    }
    const auto* certified = options_.certified_results;
    if (certified != nullptr && static_cast<size_t>(certified->size()) != txs.size())
      certified = nullptr;
    ParallelFor(unverified.size(), [&](size_t k) {
      size_t i = unverified[k];
      bool vouched =
          certified != nullptr && (*certified)[static_cast<int>(i)].code() != ledger::BAD_SIGNATURE;
      auto v = vouched ? ParseCertifiedTransaction(*txs[i]) : VerifyTransaction(*txs[i]);
      if (v.ok())
        verified[i].tx = std::make_shared<const VerifiedTx>(std::move(v).value());
      else
        verified[i].error = v.status();
    });

    CL_ASSIGN_OR_RETURN(auto cfg_raw, overlay_.Get(kConfigKey));
    if (cfg_raw) {
      CL_ASSIGN_OR_RETURN(Json cfg, Json::Parse(*cfg_raw));
      window_ms_ = cfg.get_int("timestamp_window_ms", kDefaultWindowMs);
    }

    out.results.reserve(txs.size());
    out.effects.height = height_;
    std::set<Bytes> seen;
    for (size_t i = 0; i < txs.size(); ++i) {
      ledger::TxResult r;
      // A verified transaction carries its id; hash only the ones that did not verify.
      Bytes tx_id = verified[i].tx ? verified[i].tx->tx_id : TxId(*txs[i]);
      r.set_tx_id(tx_id);
      out.effects.tx_ids.push_back(tx_id);
      bool duplicate = !seen.insert(tx_id).second;
      if (!duplicate) {
        CL_ASSIGN_OR_RETURN(auto found, overlay_.db()->FindTx(tx_id));
        duplicate = found.has_value();
      }
      if (duplicate) {
        r.set_code(ledger::DUPLICATE_TX);
        r.set_reason("duplicate transaction: this tx_id is already on the ledger");
      } else {
        out.effects.indexed.push_back(static_cast<uint32_t>(i));
        CL_RETURN_IF_ERROR(ExecuteOne(verified[i], static_cast<uint32_t>(i), &r));
      }
      out.results.push_back(std::move(r));
    }
    out.effects.writes = overlay_.TakeSortedWrites();
    out.effects.history = overlay_.TakeHistory();
    out.effects.state_hash = NextStateHash(overlay_.db()->state_hash(), out.effects.writes);
    return out;
  }

 private:
  // A transaction's signature check: the verified form, or why it failed.
  struct Checked {
    std::shared_ptr<const VerifiedTx> tx;
    Status error;
  };

  // Returns non-OK only for storage faults; everything else lands in `r`.
  Status ExecuteOne(const Checked& vtx, uint32_t index, ledger::TxResult* r) {
    if (!vtx.tx) {
      bool sig = vtx.error.message().rfind("signature", 0) == 0;
      r->set_code(sig ? ledger::BAD_SIGNATURE : ledger::MALFORMED);
      r->set_reason(vtx.error.message());
      return Status::Ok();
    }
    const VerifiedTx& tx = *vtx.tx;
    // The creator picks timestamp_ms freely: compute the distance without signed overflow
    // (undefined behaviour, which the compiler may turn into "within the window").
    uint64_t distance = tx.payload.timestamp_ms() >= timestamp_ms_
                            ? static_cast<uint64_t>(tx.payload.timestamp_ms()) -
                                  static_cast<uint64_t>(timestamp_ms_)
                            : static_cast<uint64_t>(timestamp_ms_) -
                                  static_cast<uint64_t>(tx.payload.timestamp_ms());
    if (window_ms_ < 0 || distance > static_cast<uint64_t>(window_ms_)) {
      r->set_code(ledger::BAD_TIMESTAMP);
      r->set_reason("timestamp is " + std::to_string(distance / 1000) +
                    " s away from the block time; the window is " +
                    std::to_string(window_ms_ / 1000) + " s");
      return Status::Ok();
    }
    auto args = Json::Parse(tx.payload.args());
    if (!args.ok() || !args->is_object()) {
      r->set_code(ledger::MALFORMED);
      r->set_reason("args: " +
                    (args.ok() ? std::string("must be a JSON object") : args.status().message()));
      return Status::Ok();
    }
    CallContext ctx;
    ctx.tx_id_hex = ToHex(tx.tx_id);
    ctx.timestamp_ms = timestamp_ms_;
    ctx.height = height_;
    ctx.seed = SeedFromTxId(tx.tx_id);
    const std::string& contract = tx.payload.contract();
    if (contract != "_genesis") {
      auto caller = ResolveCreator(tx);
      if (!caller.ok()) {
        if (caller.status().code() == StatusCode::kInternal) return caller.status();
        r->set_code(ledger::UNKNOWN_CREATOR);
        r->set_reason(caller.status().message());
        return Status::Ok();
      }
      ctx.caller = std::move(caller).value();
    } else {
      ctx.caller.id = Fingerprint(tx.key);
      ctx.caller.role = "ca";
    }

    TxState state(&overlay_);
    CallResult call;
    if (IsSystemContract(contract)) {
      call = RunSystemContract(contract, tx.payload.function(), *args, ctx, tx.certificate, &state);
      // Only system contracts write the lifecycle records (a Lua contract's writes stay in
      // its own namespace), so the active versions looked up so far hold until one runs.
      active_.clear();
    } else {
      CL_ASSIGN_OR_RETURN(LuaContract * lua, ContractFor(contract, &call));
      if (lua != nullptr) {
        NamespacedHost host(&state, kContractStatePrefix + contract + "/");
        call = lua->CallParsed(tx.payload.function(), *args, ctx, &host);
      }
    }
    r->set_code(CodeFor(call.outcome));
    if (call.outcome == CallOutcome::kOk) {
      r->set_output(call.output);
      for (auto& e : state.events()) *r->add_events() = std::move(e);
      overlay_.Merge(state.writes(), index, tx.tx_id);
    } else {
      r->set_reason(call.message);
    }
    return Status::Ok();
  }

  // The Lua contract for `name` at this height, loaded once per block. Sets *missing
  // (and returns nullptr) when no such contract is in force.
  Result<LuaContract*> ContractFor(const std::string& name, CallResult* missing) {
    auto active = active_.find(name);
    if (active == active_.end()) {
      CL_ASSIGN_OR_RETURN(auto found, ActiveContract(overlay_, name, height_));
      active = active_.emplace(name, std::move(found)).first;
    }
    const std::optional<ContractVersion>& version = active->second;
    if (!version) {
      missing->outcome = CallOutcome::kRejected;
      missing->message = "no contract named '" + name + "' is deployed";
      return static_cast<LuaContract*>(nullptr);
    }
    std::string cache_key = name + "#" + std::to_string(version->sequence);
    auto it = contracts_.find(cache_key);
    if (it != contracts_.end()) return it->second.get();
    CL_ASSIGN_OR_RETURN(Bytes source_sha256, FromHex(version->hash));
    // A package that cannot be read fails the block, as before; one that does not load
    // fails the call.
    Status unreadable;
    auto loaded = LuaContract::LoadVersion(
        name, source_sha256,
        [&]() -> Result<std::string> {
          auto source = ContractSource(overlay_, *version);
          if (!source.ok()) unreadable = source.status();
          return source;
        },
        options_.limits);
    CL_RETURN_IF_ERROR(unreadable);
    if (!loaded.ok()) {
      missing->outcome = CallOutcome::kError;
      missing->message = loaded.status().message();
      return static_cast<LuaContract*>(nullptr);
    }
    LuaContract* raw = loaded->get();
    contracts_.emplace(cache_key, std::move(loaded).value());
    return raw;
  }

  // A key's fingerprint, hashed once per block: a block holds many transactions by the
  // same few signers.
  const std::string& Fingerprint(const PublicKey& key) {
    auto it = fingerprints_.find(key.der());
    if (it == fingerprints_.end()) it = fingerprints_.emplace(key.der(), key.Fingerprint()).first;
    return it->second;
  }

  // Who signed: a bare key is a trader; a certificate must chain to the root CA, be
  // registered, and not be revoked (as of this point in the block).
  Result<CallerInfo> ResolveCreator(const VerifiedTx& tx) {
    CallerInfo c;
    c.id = Fingerprint(tx.key);
    if (!tx.certificate) {
      c.role = RoleName(Role::kUser);
      return c;
    }
    CL_ASSIGN_OR_RETURN(auto member, LoadMember(overlay_, c.id));
    if (!member)
      return Status::PermissionDenied("certificate '" + tx.certificate->common_name() +
                                      "' is not a registered member");
    if (member->get_bool("revoked")) {
      return Status::PermissionDenied("certificate '" + tx.certificate->common_name() +
                                      "' has been revoked");
    }
    if (member->get_string("cert") != ToHex(tx.certificate->der())) {
      return Status::PermissionDenied("certificate does not match the registered one for this key");
    }
    std::string fp = tx.certificate->Fingerprint();
    if (verified_certs_.count(fp) == 0) {
      if (!root_) {
        CL_ASSIGN_OR_RETURN(auto root_der, overlay_.Get(kRootCaKey));
        if (!root_der) return Status::PermissionDenied("the ledger has no root CA");
        auto root = Certificate::FromDer(*root_der);
        if (!root.ok()) return Status::Internal("stored root CA is invalid");
        root_ = std::move(root).value();
      }
      CL_RETURN_IF_ERROR(VerifyCertificate(*root_, *tx.certificate, timestamp_ms_ / 1000));
      verified_certs_.insert(fp);
    }
    c.role = member->get_string("role");
    c.org = member->get_string("org");
    c.name = member->get_string("name");
    return c;
  }

  BlockOverlay overlay_;
  uint64_t height_;
  int64_t timestamp_ms_;
  int64_t window_ms_ = kDefaultWindowMs;
  ExecutorOptions options_;
  std::map<std::string, std::unique_ptr<LuaContract>> contracts_;
  // Contract name -> the version in force, until a system contract runs.
  std::map<std::string, std::optional<ContractVersion>> active_;
  std::optional<Certificate> root_;
  std::set<std::string> verified_certs_;
  std::unordered_map<std::string, std::string> fingerprints_;  // key DER -> fingerprint
};

}  // namespace

Result<ExecutedBlock> ExecuteBlock(const StateDb& db, uint64_t height, int64_t timestamp_ms,
                                   const std::vector<const ledger::TxEnvelope*>& txs,
                                   const ExecutorOptions& options) {
  BlockRun run(db, height, timestamp_ms, options);
  return run.Run(txs);
}

}  // namespace carledger
