// World state, history index and tx index in RocksDB. Every block's effects are written
// in one atomic WriteBatch together with the applied height and state hash, so after a
// crash the database is exactly at some block boundary and the ledger replays the rest.
//
// Key layout (one column family):
//   s<key>                         -> value               world state
//   h<key>\0<height:8><index:4>    -> tx_id               history index
//   t<tx_id>                       -> <height:8><index:4> tx index
//   m<name>                        -> metadata (applied height, state hash)
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/block_format.h"
#include "common/status.h"

namespace rocksdb {
class DB;
}

namespace carledger {

struct HistoryEntry {
  uint64_t height = 0;
  uint32_t tx_index = 0;
  std::string tx_id;
};

struct TxLocation {
  uint64_t height = 0;
  uint32_t tx_index = 0;
};

// The effects of one block, as applied to the database.
struct BlockEffects {
  uint64_t height = 0;
  std::string state_hash;
  std::vector<StateWrite> writes;  // sorted by key, one per key
  // (key, tx_index) for every write by a valid transaction, for the history index.
  std::vector<std::pair<std::string, uint32_t>> history;
  std::vector<std::string> tx_ids;  // every transaction in the block, in order
  // Indexes into tx_ids of the transactions to enter into the tx index: all but duplicates
  // of an already indexed tx_id, so a replay can never move a transaction's location.
  std::vector<uint32_t> indexed;
};

class StateDb {
 public:
  ~StateDb();
  static Result<std::unique_ptr<StateDb>> Open(const std::string& dir, bool read_only = false);

  // Height of the last applied block, or nullopt when nothing has been applied.
  std::optional<uint64_t> applied_height() const { return applied_height_; }
  const std::string& state_hash() const { return state_hash_; }

  Result<std::optional<std::string>> Get(const std::string& key) const;
  // Keys in [start, end) in order, at most `limit` of them.
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) const;
  // Writes of `key`, oldest first, starting after `after` entries, at most `limit`.
  Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                            size_t limit) const;
  Result<std::optional<TxLocation>> FindTx(const std::string& tx_id) const;

  // Applies one block atomically; its height must be applied_height()+1 (or 0 at first).
  // `sync` makes the write durable on return; without it the block file is the durable
  // copy and a lost write is replayed on open.
  Status Apply(const BlockEffects& effects, bool sync = false);

 private:
  StateDb() = default;
  rocksdb::DB* db_ = nullptr;
  std::optional<uint64_t> applied_height_;
  std::string state_hash_;
  bool unlogged_ = false;  // batches written without the WAL since the last flush
};

}  // namespace carledger
