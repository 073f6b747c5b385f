#include "ledger/audit.h"

#include <filesystem>
#include <random>
#include <regex>

#include "common/block_format.h"
#include "ledger/block_store.h"
#include "ledger/executor.h"
#include "ledger/ledger.h"
#include "ledger/state_db.h"
#include "ledger/system_contracts.h"

namespace carledger {
namespace {

class ScratchDir {
 public:
  ScratchDir() {
    std::random_device rd;
    path_ = (std::filesystem::temp_directory_path() / ("carledger-audit-" + std::to_string(rd())))
                .string();
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void Fail(AuditReport* r, int64_t block, int64_t tx, std::string problem) {
  r->ok = false;
  r->bad_block = block;
  r->bad_tx = tx;
  r->problem = std::move(problem);
}

// "block N" and "transaction M" as named in a status message from the ledger.
void ParseLocation(const std::string& msg, int64_t* block, int64_t* tx) {
  std::smatch m;
  static const std::regex kBlock("block ([0-9]+)");
  static const std::regex kTx("transaction ([0-9]+)");
  if (std::regex_search(msg, m, kBlock)) *block = std::stoll(m[1]);
  if (std::regex_search(msg, m, kTx)) *tx = std::stoll(m[1]);
}

}  // namespace

Result<AuditReport> AuditDataDir(const std::string& dir) {
  if (!std::filesystem::is_directory(dir)) return Status::NotFound("no data directory " + dir);
  AuditReport report;
  BlockStoreOptions bo;
  bo.read_only = true;
  auto store = BlockStore::Open(dir, bo);
  if (!store.ok()) {
    if (store.status().code() != StatusCode::kDataLoss) return store.status();
    int64_t block = -1, tx = -1;
    ParseLocation(store.status().message(), &block, &tx);
    Fail(&report, block, -1, store.status().message());
    return report;
  }
  ScratchDir scratch;
  CL_ASSIGN_OR_RETURN(auto state, StateDb::Open(scratch.path()));
  for (uint64_t h = 0; h < (*store)->size(); ++h) {
    auto block = (*store)->Read(h);
    if (!block.ok()) {
      Fail(&report, static_cast<int64_t>(h), -1, block.status().message());
      return report;
    }
    const auto& header = block->header();
    if (TxRoot(*block) != header.tx_root()) {
      // Name the first transaction whose signature no longer verifies, if any.
      int64_t bad_tx = -1;
      for (int i = 0; i < block->transactions_size(); ++i) {
        if (block->results_size() > i &&
            TxId(block->transactions(i)) != block->results(i).tx_id()) {
          bad_tx = i;
          break;
        }
      }
      Fail(&report, static_cast<int64_t>(h), bad_tx,
           "block " + std::to_string(h) +
               ": transaction Merkle root does not match its transactions");
      return report;
    }
    std::vector<const ledger::TxEnvelope*> txs;
    for (const auto& tx : block->transactions()) txs.push_back(&tx);
    auto executed = ExecuteBlock(*state, h, header.timestamp_ms(), txs);
    if (!executed.ok()) return executed.status();
    Status check = CheckExecution(*block, *executed);
    if (!check.ok()) {
      int64_t b = static_cast<int64_t>(h), tx = -1;
      ParseLocation(check.message(), &b, &tx);
      Fail(&report, static_cast<int64_t>(h), tx, check.message());
      return report;
    }
    Result<ValidatorSet> validators =
        h == 0 ? ValidatorsFromWrites(executed->effects.writes) : Status::Internal("unset");
    if (h > 0) {
      // The validator set in force for block h: the one after its epoch boundary.
      auto epoch = EpochBlocks(*state);
      validators = epoch.ok() ? ValidatorsAtBoundary(*state, EpochBoundary(h, *epoch))
                              : Result<ValidatorSet>(epoch.status());
    }
    if (!validators.ok()) return validators.status();
    Status cert = VerifyCommitCertificate(*block, *validators);
    if (!cert.ok()) {
      Fail(&report, static_cast<int64_t>(h), -1, cert.message());
      return report;
    }
    CL_RETURN_IF_ERROR(state->Apply(executed->effects));
    ++report.blocks;
    report.transactions += static_cast<uint64_t>(block->transactions_size());
    for (const auto& r : executed->results) {
      if (r.code() == ledger::VALID) ++report.valid_transactions;
    }
  }
  report.ok = true;
  report.state_hash = state->state_hash();
  // Compare with what the node itself believes.
  auto node_state = StateDb::Open(dir, /*read_only=*/true);
  if (node_state.ok() && (*node_state)->applied_height() &&
      *(*node_state)->applied_height() + 1 == (*store)->size()) {
    report.node_state_matches = (*node_state)->state_hash() == report.state_hash;
    if (!report.node_state_matches) {
      Fail(&report, static_cast<int64_t>(*(*node_state)->applied_height()), -1,
           "the node's state database disagrees with re-execution of its blocks");
    }
  }
  return report;
}

}  // namespace carledger
