#include "ledger/pbft/ledger_app.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "ledger/network_dir.h"

namespace carledger::pbft {

namespace fs = std::filesystem;

Status WriteFileDurably(const std::string& path, const std::string& data) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create " + tmp);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n <= 0) {
      ::close(fd);
      return Status::Internal("cannot write " + tmp);
    }
    off += static_cast<size_t>(n);
  }
  bool ok = ::fdatasync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0)
    return Status::Internal("cannot replace " + path);
  int dfd = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::Ok();
}

namespace {

// The (seq, view) a proof is for; (0, 0) when its pre-prepare does not parse.
std::pair<uint64_t, uint64_t> ProofSlot(const consensus::PreparedProof& proof) {
  consensus::Message m;
  if (!m.ParseFromString(proof.pre_prepare().body()) || !m.has_pre_prepare()) return {0, 0};
  return {m.pre_prepare().seq(), m.pre_prepare().view()};
}

// A proof file in the format before slot files ("prepared-<seq>.pb"): still read, and
// removed once trimmed.
bool IsLegacyProofFile(const fs::path& path) {
  std::string name = path.filename().string();
  return name.rfind("prepared-", 0) == 0 && name.size() > 9 &&
         std::isdigit(static_cast<unsigned char>(name[9])) && path.extension() == ".pb";
}

}  // namespace

Result<std::unique_ptr<LedgerReplicaApp>> LedgerReplicaApp::Open(Ledger* ledger,
                                                                 const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir + ": " + ec.message());
  CL_ASSIGN_OR_RETURN(auto slots, PreparedSlots::Open(dir));
  return std::unique_ptr<LedgerReplicaApp>(new LedgerReplicaApp(ledger, dir, std::move(slots)));
}

std::vector<std::string> LedgerReplicaApp::Validators() {
  return ValidatorsAt(ledger_->height());
}

std::vector<std::string> LedgerReplicaApp::ValidatorsAt(uint64_t height) {
  std::vector<std::string> ids;
  auto set = ledger_->ValidatorsFor(height);
  if (!set.ok()) return ids;
  for (const auto& [id, key] : set.value()) ids.push_back(id);  // map order: by fingerprint
  return ids;
}

uint64_t LedgerReplicaApp::ValidatorSetChangedAt() {
  auto at = ledger_->ValidatorSetChangedAt(ledger_->height());
  return at.ok() ? at.value() : 0;
}

Result<ledger::BlockHeader> LedgerReplicaApp::Execute(const consensus::Batch& batch) {
  if (before_execute_) before_execute_(ledger_->height());
  std::vector<ledger::TxEnvelope> txs(batch.transactions().begin(), batch.transactions().end());
  int64_t ts = std::max(batch.timestamp_ms(), ledger_->last_timestamp_ms());
  CL_ASSIGN_OR_RETURN(auto block, ledger_->Propose(txs, ts, batch.proposer(), batch.view()));
  held_ = std::move(block);
  return held_->header();
}

Status LedgerReplicaApp::Commit(const ledger::CommitCertificate& certificate) {
  if (!held_) return Status::FailedPrecondition("no executed block is waiting for a certificate");
  *held_->mutable_certificate() = certificate;
  Status st = ledger_->Commit(*held_, CertificateSignatures::kCheckedByCaller);
  if (st.ok() && on_commit_) on_commit_(*held_);
  held_.reset();
  return st;
}

Status LedgerReplicaApp::Apply(const ledger::Block& block) {
  held_.reset();
  CL_RETURN_IF_ERROR(ledger_->Commit(block));
  if (on_commit_) on_commit_(block);
  return Status::Ok();
}

bool LedgerReplicaApp::IsCommitted(const Bytes& tx_id) {
  auto loc = ledger_->FindTx(tx_id);
  return loc.ok() && loc.value().has_value();
}

Result<consensus::ReplicaDisk> LedgerReplicaApp::LoadDisk() {
  consensus::ReplicaDisk disk;
  auto mark = ReadFile(dir_ + "/vote-mark.pb");
  if (mark.ok() && !disk.ParseFromString(mark.value()))
    return Status::DataLoss(dir_ + "/vote-mark.pb is damaged");
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (!IsLegacyProofFile(entry.path())) continue;
    CL_ASSIGN_OR_RETURN(auto data, ReadFile(entry.path().string()));
    consensus::PreparedProof proof;
    if (!proof.ParseFromString(data))
      return Status::DataLoss(entry.path().string() + " is damaged");
    *disk.add_prepared() = std::move(proof);
  }
  CL_ASSIGN_OR_RETURN(auto records, slots_->LoadAll());
  for (const auto& data : records) {
    // Checksummed on disk, so a record that does not parse was written by a bug.
    if (!disk.add_prepared()->ParseFromString(data))
      return Status::DataLoss("a prepared proof in " + dir_ + " does not parse");
  }
  return disk;
}

Status LedgerReplicaApp::SaveVoteMark(uint64_t view, uint64_t vote_mark) {
  consensus::ReplicaDisk d;
  d.set_view(view);
  d.set_vote_mark(vote_mark);
  return WriteFileDurably(dir_ + "/vote-mark.pb", d.SerializeAsString());
}

Status LedgerReplicaApp::SavePrepared(const consensus::PreparedProof& proof) {
  auto [seq, view] = ProofSlot(proof);
  return slots_->Write(seq, view, proof.SerializeAsString());
}

Status LedgerReplicaApp::FlushPrepared() {
  return slots_->Flush();
}

Status LedgerReplicaApp::TrimPrepared(uint64_t seq) {
  if (legacy_files_gone_) return Status::Ok();
  std::error_code list_error;
  bool left = false;  // a file kept (not yet trimmed) or one that could not be removed
  for (const auto& entry : fs::directory_iterator(dir_, list_error)) {
    if (!IsLegacyProofFile(entry.path())) continue;
    std::string name = entry.path().filename().string();
    uint64_t s = std::strtoull(name.c_str() + 9, nullptr, 10);
    std::error_code remove_error;
    if (s > seq || !fs::remove(entry.path(), remove_error)) left = true;
  }
  legacy_files_gone_ = !list_error && !left;
  return Status::Ok();
}

}  // namespace carledger::pbft
