// In-block views of world state. A block executes on top of the committed StateDb:
// BlockOverlay holds the writes of the transactions already executed in this block, and
// TxState holds the running transaction's own writes until it succeeds (merged into the
// overlay) or fails (dropped). Later transactions in a block see earlier ones' writes,
// which is what makes two buyers racing for one car resolve deterministically.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ledger.pb.h"
#include "ledger/state_db.h"

namespace carledger {

class BlockOverlay {
 public:
  BlockOverlay(const StateDb* db, uint64_t height) : db_(db), height_(height) {}

  Result<std::optional<std::string>> Get(const std::string& key) const;
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) const;
  // Committed history followed by this block's earlier writes.
  Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                            size_t limit) const;
  // Folds a successful transaction's writes in.
  void Merge(const std::map<std::string, std::optional<std::string>>& writes, uint32_t tx_index,
             const std::string& tx_id);
  uint64_t height() const { return height_; }
  const StateDb* db() const { return db_; }

  // The block's net writes, sorted by key, and the history entries, for BlockEffects.
  std::vector<StateWrite> SortedWrites() const;
  // The same, moving the values out: for when the overlay is done with.
  std::vector<StateWrite> TakeSortedWrites();
  const std::vector<std::pair<std::string, uint32_t>>& history() const { return history_; }
  std::vector<std::pair<std::string, uint32_t>> TakeHistory() { return std::move(history_); }

 private:
  const StateDb* db_;
  uint64_t height_;
  std::map<std::string, std::optional<std::string>> writes_;
  std::vector<std::pair<std::string, uint32_t>> history_;
  std::map<std::string, std::vector<HistoryEntry>> pending_history_;
};

class TxState {
 public:
  explicit TxState(BlockOverlay* block) : block_(block) {}

  Result<std::optional<std::string>> Get(const std::string& key) const;
  Status Put(const std::string& key, std::string value);
  Status Delete(const std::string& key);
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) const;
  Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                            size_t limit) const {
    return block_->History(key, after, limit);
  }
  void Emit(std::string name, std::string payload);

  const std::map<std::string, std::optional<std::string>>& writes() const { return writes_; }
  std::vector<ledger::Event>& events() { return events_; }
  uint64_t height() const { return block_->height(); }

  static constexpr size_t kMaxWritesPerTx = 10'000;
  static constexpr size_t kMaxEventsPerTx = 100;

 private:
  BlockOverlay* block_;
  std::map<std::string, std::optional<std::string>> writes_;
  std::vector<ledger::Event> events_;
};

// Merges a sorted base range with sorted overlay writes in [start, end) (end empty = no
// bound); shared by both layers.
std::vector<std::pair<std::string, std::string>> MergeRange(
    std::vector<std::pair<std::string, std::string>> base,
    const std::map<std::string, std::optional<std::string>>& overlay, const std::string& start,
    const std::string& end, size_t limit);

}  // namespace carledger
