// carledger verify / status.
#include <cstdio>

#include "apps/cli/cli_common.h"
#include "common/block_format.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"

namespace carledger::cli {

int VerifyCommand(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: carledger verify DATA_DIR\n");
    return 2;
  }
  auto report = AuditDataDir(args[0]);
  if (!report.ok()) {
    std::fprintf(stderr, "verify: %s\n", report.status().ToString().c_str());
    return 2;
  }
  if (!report->ok) {
    std::printf("FAILED at block %lld", static_cast<long long>(report->bad_block));
    if (report->bad_tx >= 0)
      std::printf(", transaction %lld", static_cast<long long>(report->bad_tx));
    std::printf(": %s\n", report->problem.c_str());
    std::printf("%llu blocks before it verified\n",
                static_cast<unsigned long long>(report->blocks));
    return 1;
  }
  std::printf(
      "OK: %llu blocks, %llu transactions (%llu valid) verified: hash chain, Merkle roots, "
      "commit certificates, signatures, re-execution\n",
      static_cast<unsigned long long>(report->blocks),
      static_cast<unsigned long long>(report->transactions),
      static_cast<unsigned long long>(report->valid_transactions));
  std::printf("state hash %s%s\n", ToHex(report->state_hash).c_str(),
              report->node_state_matches ? " (matches the node's state database)" : "");
  return 0;
}

int StatusCommand(const std::vector<std::string>& args) {
  if (args.size() != 1) {
    std::fprintf(stderr, "usage: carledger status DATA_DIR\n");
    return 2;
  }
  LedgerOptions options;
  options.read_only = true;
  auto ledger = Ledger::Open(args[0], options);
  if (!ledger.ok()) {
    std::fprintf(stderr, "status: %s\n", ledger.status().ToString().c_str());
    return 1;
  }
  const Ledger& l = **ledger;
  std::printf("height        %llu blocks\n", static_cast<unsigned long long>(l.height()));
  std::printf("last block    %s\n", ToHex(l.last_block_hash()).c_str());
  std::printf("state hash    %s\n", ToHex(l.state().state_hash()).c_str());
  auto validators = l.Validators();
  if (validators.ok()) {
    std::printf("validators    %zu (quorum %zu)\n", validators->size(),
                QuorumSize(validators->size()));
    for (const auto& [id, key] : *validators) std::printf("  %s\n", id.c_str());
  }
  return 0;
}

}  // namespace carledger::cli
