// The block store: append-only segment files under DIR/blocks/, one record per block:
//   [u32 length][u32 crc32c(payload)][payload = serialised ledger.Block]
// Blocks are hash-chained (header.prev_hash = BlockHash(previous header)).
//
// On open every record is checked. A bad or incomplete record at the very end of the
// last segment (followed by nothing, or only by zero bytes a crash can leave in an
// extended file) is a torn tail (a crash mid-append, never acknowledged) and is cut off,
// unless read-only. A bad record anywhere else, or a broken hash chain, is corruption:
// Open fails with DATA_LOSS naming the block.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger.pb.h"

namespace carledger {

struct BlockStoreOptions {
  bool read_only = false;
  // fdatasync after every append (what makes a committed block survive a power cut).
  bool sync = true;
  uint64_t segment_bytes = 64ull << 20;
};

// What Open found.
struct BlockStoreOpenReport {
  uint64_t blocks = 0;
  uint64_t torn_bytes_truncated = 0;
};

// Thread-safe: one writer and any number of concurrent readers.
class BlockStore {
 public:
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  static Result<std::unique_ptr<BlockStore>> Open(const std::string& dir,
                                                  const BlockStoreOptions& options,
                                                  BlockStoreOpenReport* report = nullptr);

  // Number of blocks stored; the next block's height.
  uint64_t size() const {
    std::shared_lock lock(mu_);
    return index_.size();
  }

  // Appends `block`, whose height must be size() and whose prev_hash must chain to the
  // last block. Durable on return when options.sync.
  Status Append(const ledger::Block& block);

  // The block at `height`; NOT_FOUND past the end, DATA_LOSS if the record no longer
  // checks out.
  Result<ledger::Block> Read(uint64_t height) const;

  // The height of the block whose header hashes to `hash`; NOT_FOUND if none.
  Result<uint64_t> FindByHash(const std::string& hash) const;

  // Hash of the last block's header (empty when the store is empty).
  std::string last_hash() const {
    std::shared_lock lock(mu_);
    return last_hash_;
  }

  // Drops every block at `height` and above (repair after detected corruption).
  Status TruncateFrom(uint64_t height);

  // Files of the store, in order (for tests and tooling).
  std::vector<std::string> SegmentPaths() const;

 private:
  struct Location {
    uint32_t segment;
    uint64_t offset;  // of the record header
    uint32_t length;  // of the payload
  };
  // An open segment file, shared with readers so that it stays open while one reads
  // (TruncateFrom may drop it from segments_ meanwhile).
  struct SegmentFile {
    ~SegmentFile();
    std::string path;
    int fd = -1;
  };
  struct Segment {
    std::shared_ptr<SegmentFile> file;
    uint64_t size = 0;  // the writer's only
  };
  // Where a block's record is, with its file held open.
  struct RecordRef {
    Location loc;
    std::shared_ptr<SegmentFile> file;
  };

  BlockStore(std::string dir, BlockStoreOptions options);
  Status Load(BlockStoreOpenReport* report);
  Status OpenSegment(uint32_t number, bool create);
  // With mu_ held (either way): where block `height` is (NOT_FOUND past the end).
  Result<RecordRef> Locate(uint64_t height) const;
  // No lock needed: records never change once in index_.
  static Result<ledger::Block> ReadAt(const RecordRef& ref, uint64_t height);
  static Result<std::string> ReadRecord(const RecordRef& ref);

  std::string dir_;
  BlockStoreOptions options_;
  std::vector<Segment> segments_;
  static uint64_t HashPrefix(const std::string& hash);

  // One writer (Append, TruncateFrom) and concurrent readers: mu_ guards the vectors
  // and last_hash_. A record is written and synced before it enters index_, so readers
  // only ever see whole blocks.
  mutable std::shared_mutex mu_;
  std::vector<Location> index_;
  std::vector<uint64_t> hash_prefixes_;  // first 8 bytes of each block's hash, by height
  std::string last_hash_;
};

}  // namespace carledger
