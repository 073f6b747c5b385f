#include "ledger/block_overlay.h"

namespace carledger {

std::vector<std::pair<std::string, std::string>> MergeRange(
    std::vector<std::pair<std::string, std::string>> base,
    const std::map<std::string, std::optional<std::string>>& overlay, const std::string& start,
    const std::string& end, size_t limit) {
  std::map<std::string, std::string> merged(std::make_move_iterator(base.begin()),
                                            std::make_move_iterator(base.end()));
  auto it = overlay.lower_bound(start);
  for (; it != overlay.end() && (end.empty() || it->first < end); ++it) {
    if (it->second)
      merged[it->first] = *it->second;
    else
      merged.erase(it->first);
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& kv : merged) {
    if (out.size() >= limit) break;
    out.emplace_back(kv.first, std::move(kv.second));
  }
  return out;
}

namespace {
// How many overlay entries fall in the range: the base scan must fetch that many extra
// rows, since each could be a deletion hiding a base row.
size_t OverlayCount(const std::map<std::string, std::optional<std::string>>& overlay,
                    const std::string& start, const std::string& end) {
  size_t n = 0;
  for (auto it = overlay.lower_bound(start);
       it != overlay.end() && (end.empty() || it->first < end); ++it)
    ++n;
  return n;
}
}  // namespace

Result<std::optional<std::string>> BlockOverlay::Get(const std::string& key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return db_->Get(key);
}

Result<std::vector<std::pair<std::string, std::string>>> BlockOverlay::Range(
    const std::string& start, const std::string& end, size_t limit) const {
  CL_ASSIGN_OR_RETURN(auto base, db_->Range(start, end, limit + OverlayCount(writes_, start, end)));
  return MergeRange(std::move(base), writes_, start, end, limit);
}

Result<std::vector<HistoryEntry>> BlockOverlay::History(const std::string& key, size_t after,
                                                        size_t limit) const {
  CL_ASSIGN_OR_RETURN(auto out, db_->History(key, after, limit));
  auto pending = pending_history_.find(key);
  if (pending == pending_history_.end() || out.size() >= limit) return out;
  // Entries of this block follow the committed ones.
  CL_ASSIGN_OR_RETURN(auto all_committed, db_->History(key, 0, SIZE_MAX));
  size_t skip = after > all_committed.size() ? after - all_committed.size() : 0;
  for (size_t i = skip; i < pending->second.size() && out.size() < limit; ++i) {
    out.push_back(pending->second[i]);
  }
  return out;
}

void BlockOverlay::Merge(const std::map<std::string, std::optional<std::string>>& writes,
                         uint32_t tx_index, const std::string& tx_id) {
  for (const auto& [k, v] : writes) {
    writes_[k] = v;
    history_.emplace_back(k, tx_index);
    pending_history_[k].push_back({height_, tx_index, tx_id});
  }
}

std::vector<StateWrite> BlockOverlay::SortedWrites() const {
  std::vector<StateWrite> out;
  out.reserve(writes_.size());
  for (const auto& [k, v] : writes_) {
    out.push_back({k, v.value_or(""), !v.has_value()});
  }
  return out;
}

std::vector<StateWrite> BlockOverlay::TakeSortedWrites() {
  std::vector<StateWrite> out;
  out.reserve(writes_.size());
  for (auto& [k, v] : writes_) {
    bool deleted = !v.has_value();
    out.push_back({k, deleted ? std::string() : std::move(*v), deleted});
  }
  writes_.clear();
  return out;
}

Result<std::optional<std::string>> TxState::Get(const std::string& key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return block_->Get(key);
}

Status TxState::Put(const std::string& key, std::string value) {
  if (writes_.size() >= kMaxWritesPerTx && writes_.count(key) == 0) {
    return Status::ResourceExhausted("more than " + std::to_string(kMaxWritesPerTx) +
                                     " writes in one transaction");
  }
  writes_[key] = std::move(value);
  return Status::Ok();
}

Status TxState::Delete(const std::string& key) {
  if (writes_.size() >= kMaxWritesPerTx && writes_.count(key) == 0) {
    return Status::ResourceExhausted("more than " + std::to_string(kMaxWritesPerTx) +
                                     " writes in one transaction");
  }
  writes_[key] = std::nullopt;
  return Status::Ok();
}

Result<std::vector<std::pair<std::string, std::string>>> TxState::Range(const std::string& start,
                                                                        const std::string& end,
                                                                        size_t limit) const {
  CL_ASSIGN_OR_RETURN(auto base,
                      block_->Range(start, end, limit + OverlayCount(writes_, start, end)));
  return MergeRange(std::move(base), writes_, start, end, limit);
}

void TxState::Emit(std::string name, std::string payload) {
  if (events_.size() >= kMaxEventsPerTx) return;
  ledger::Event e;
  e.set_name(std::move(name));
  e.set_payload(std::move(payload));
  events_.push_back(std::move(e));
}

}  // namespace carledger
