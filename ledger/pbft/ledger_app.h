// The ReplicaApp a real node runs: blocks go through the Ledger (execution, block file,
// state), and the replica's own durable state lives beside it in DIR (one small file for
// the view and vote mark, written atomically; prepared proofs in reused slot files, see
// prepared_slots.h), each fsynced before the replica acts on it.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "ledger/ledger.h"
#include "ledger/pbft/prepared_slots.h"
#include "ledger/pbft/replica.h"

namespace carledger::pbft {

class LedgerReplicaApp : public ReplicaApp {
 public:
  // `ledger` is not owned and must outlive the app. `dir` is created if missing.
  static Result<std::unique_ptr<LedgerReplicaApp>> Open(Ledger* ledger, const std::string& dir);

  uint64_t Height() override { return ledger_->height(); }
  std::vector<std::string> Validators() override;
  std::vector<std::string> ValidatorsAt(uint64_t height) override;
  uint64_t ValidatorSetChangedAt() override;
  bool ValidatorSetChangePending() override { return ledger_->ValidatorSetChangePending(); }
  int64_t LastTimestampMs() override { return ledger_->last_timestamp_ms(); }
  Result<ledger::BlockHeader> Execute(const consensus::Batch& batch) override;
  Status Commit(const ledger::CommitCertificate& certificate) override;
  Status Apply(const ledger::Block& block) override;
  Result<ledger::Block> GetBlock(uint64_t height) override { return ledger_->GetBlock(height); }
  bool IsCommitted(const Bytes& tx_id) override;

  Result<consensus::ReplicaDisk> LoadDisk() override;
  Status SaveVoteMark(uint64_t view, uint64_t vote_mark) override;
  Status SavePrepared(const consensus::PreparedProof& proof) override;
  Status FlushPrepared() override;
  Status TrimPrepared(uint64_t seq) override;

  // Called after each block becomes durable (for clients waiting on their transactions).
  void set_on_commit(std::function<void(const ledger::Block&)> f) { on_commit_ = std::move(f); }
  // Called before block `height` executes (the host may still be checking its client
  // signatures elsewhere and can wait for that instead of checking them twice).
  void set_before_execute(std::function<void(uint64_t height)> f) {
    before_execute_ = std::move(f);
  }

 private:
  LedgerReplicaApp(Ledger* ledger, std::string dir, std::unique_ptr<PreparedSlots> slots)
      : ledger_(ledger), dir_(std::move(dir)), slots_(std::move(slots)) {}

  Ledger* ledger_;
  std::string dir_;
  std::unique_ptr<PreparedSlots> slots_;
  // No proof files of the old format are left (none are made any more): trimming stops
  // listing the directory at every checkpoint.
  bool legacy_files_gone_ = false;
  std::optional<ledger::Block> held_;
  std::function<void(const ledger::Block&)> on_commit_;
  std::function<void(uint64_t)> before_execute_;
};

// Writes `data` to `path` atomically (temp file, fsync, rename, fsync of the directory).
Status WriteFileDurably(const std::string& path, const std::string& data);

}  // namespace carledger::pbft
