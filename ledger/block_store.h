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

class BlockStore {
 public:
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  static Result<std::unique_ptr<BlockStore>> Open(const std::string& dir,
                                                  const BlockStoreOptions& options,
                                                  BlockStoreOpenReport* report = nullptr);

  // Number of blocks stored; the next block's height.
  uint64_t size() const { return index_.size(); }

  // Appends `block`, whose height must be size() and whose prev_hash must chain to the
  // last block. Durable on return when options.sync.
  Status Append(const ledger::Block& block);

  // The block at `height`; NOT_FOUND past the end, DATA_LOSS if the record no longer
  // checks out.
  Result<ledger::Block> Read(uint64_t height) const;

  // The height of the block whose header hashes to `hash`; NOT_FOUND if none.
  Result<uint64_t> FindByHash(const std::string& hash) const;

  // Hash of the last block's header (empty when the store is empty).
  const std::string& last_hash() const { return last_hash_; }

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
  struct Segment {
    std::string path;
    int fd = -1;
    uint64_t size = 0;
  };

  BlockStore(std::string dir, BlockStoreOptions options);
  Status Load(BlockStoreOpenReport* report);
  Status OpenSegment(uint32_t number, bool create);
  Result<std::string> ReadRecord(const Location& loc) const;

  std::string dir_;
  BlockStoreOptions options_;
  std::vector<Segment> segments_;
  static uint64_t HashPrefix(const std::string& hash);

  std::vector<Location> index_;
  std::vector<uint64_t> hash_prefixes_;  // first 8 bytes of each block's hash, by height
  std::string last_hash_;
};

}  // namespace carledger
