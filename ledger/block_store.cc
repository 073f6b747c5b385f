#include "ledger/block_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "common/block_format.h"
#include "common/crc32c.h"

namespace carledger {
namespace {

constexpr size_t kRecordHeader = 8;
constexpr uint32_t kMaxRecord = 512u << 20;

void PutU32(char* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetU32(const char* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::string SegmentName(uint32_t n) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%06u.blk", n);
  return buf;
}

Status ErrnoStatus(const std::string& what) {
  return Status::IOError(what + ": " + std::strerror(errno));
}

Status PReadFull(int fd, char* buf, size_t n, uint64_t off) {
  while (n > 0) {
    ssize_t r = pread(fd, buf, n, static_cast<off_t>(off));
    if (r < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("pread");
    }
    if (r == 0) return Status::DataLoss("unexpected end of block file");
    buf += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return Status::Ok();
}

// True iff bytes [from, to) of the file are all zero (a crash can leave a file extended
// with zeros past the last write: that is still a torn tail, not data).
Result<bool> OnlyZeros(int fd, uint64_t from, uint64_t to) {
  std::string buf;
  while (from < to) {
    buf.resize(static_cast<size_t>(std::min<uint64_t>(to - from, 64 * 1024)));
    CL_RETURN_IF_ERROR(PReadFull(fd, buf.data(), buf.size(), from));
    if (buf.find_first_not_of('\0') != std::string::npos) return false;
    from += buf.size();
  }
  return true;
}

}  // namespace

BlockStore::BlockStore(std::string dir, BlockStoreOptions options)
    : dir_(std::move(dir)), options_(options) {}

BlockStore::SegmentFile::~SegmentFile() {
  if (fd >= 0) close(fd);
}

BlockStore::~BlockStore() = default;

Result<std::unique_ptr<BlockStore>> BlockStore::Open(const std::string& dir,
                                                     const BlockStoreOptions& options,
                                                     BlockStoreOpenReport* report) {
  std::error_code ec;
  std::filesystem::path blocks = std::filesystem::path(dir) / "blocks";
  if (!options.read_only) {
    std::filesystem::create_directories(blocks, ec);
    if (ec) return Status::IOError("cannot create " + blocks.string() + ": " + ec.message());
  } else if (!std::filesystem::is_directory(blocks)) {
    return Status::NotFound("no block store at " + blocks.string());
  }
  std::unique_ptr<BlockStore> store(new BlockStore(blocks.string(), options));
  BlockStoreOpenReport local;
  CL_RETURN_IF_ERROR(store->Load(report ? report : &local));
  return store;
}

Status BlockStore::OpenSegment(uint32_t number, bool create) {
  Segment seg;
  seg.file = std::make_shared<SegmentFile>();
  seg.file->path = dir_ + "/" + SegmentName(number);
  int flags = options_.read_only ? O_RDONLY : (O_RDWR | (create ? O_CREAT : 0));
  seg.file->fd = ::open(seg.file->path.c_str(), flags | O_CLOEXEC, 0644);
  if (seg.file->fd < 0) return ErrnoStatus("open " + seg.file->path);
  struct stat st;
  if (fstat(seg.file->fd, &st) != 0) return ErrnoStatus("stat " + seg.file->path);
  seg.size = static_cast<uint64_t>(st.st_size);
  if (create && !options_.read_only) {
    // Make the new file's directory entry durable too.
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      fsync(dfd);
      close(dfd);
    }
  }
  std::unique_lock lock(mu_);  // readers index segments_
  segments_.push_back(std::move(seg));
  return Status::Ok();
}

Status BlockStore::Load(BlockStoreOpenReport* report) {
  std::vector<uint32_t> numbers;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::string name = entry.path().filename().string();
    if (name.size() == 10 && name.substr(6) == ".blk" &&
        name.find_first_not_of("0123456789") == 6) {
      numbers.push_back(static_cast<uint32_t>(std::stoul(name.substr(0, 6))));
    }
  }
  std::sort(numbers.begin(), numbers.end());
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (numbers[i] != i)
      return Status::DataLoss("block segment " + SegmentName(static_cast<uint32_t>(i)) +
                              " is missing");
  }
  for (uint32_t n : numbers) CL_RETURN_IF_ERROR(OpenSegment(n, false));

  std::string prev_hash;
  std::string header(kRecordHeader, '\0');
  for (uint32_t s = 0; s < segments_.size(); ++s) {
    Segment& seg = segments_[s];
    bool last_segment = s + 1 == segments_.size();
    uint64_t off = 0;
    while (off < seg.size) {
      uint64_t height = index_.size();
      std::string where = "block " + std::to_string(height) + " (" + SegmentName(s) + " offset " +
                          std::to_string(off) + ")";
      auto bad = [&](const std::string& why) -> Status {
        // A bad record is a torn tail only if nothing follows it.
        if (last_segment && !options_.read_only) {
          uint64_t torn = seg.size - off;
          if (ftruncate(seg.file->fd, static_cast<off_t>(off)) != 0) return ErrnoStatus("truncate");
          fdatasync(seg.file->fd);
          seg.size = off;
          report->torn_bytes_truncated += torn;
          return Status::Ok();
        }
        return Status::DataLoss(where + ": " + why);
      };
      if (seg.size - off < kRecordHeader) {
        CL_RETURN_IF_ERROR(bad("incomplete record header"));
        break;
      }
      CL_RETURN_IF_ERROR(PReadFull(seg.file->fd, header.data(), kRecordHeader, off));
      uint32_t len = GetU32(header.data());
      uint32_t crc = GetU32(header.data() + 4);
      if (len == 0 && last_segment) {
        CL_ASSIGN_OR_RETURN(bool zeros, OnlyZeros(seg.file->fd, off, seg.size));
        if (zeros) {
          CL_RETURN_IF_ERROR(bad("zero-filled tail"));
          break;
        }
      }
      if (len > kMaxRecord || seg.size - off - kRecordHeader < len) {
        CL_RETURN_IF_ERROR(bad("incomplete record"));
        break;
      }
      std::string payload(len, '\0');
      CL_RETURN_IF_ERROR(PReadFull(seg.file->fd, payload.data(), len, off + kRecordHeader));
      bool followed = !last_segment;
      if (!followed && off + kRecordHeader + len < seg.size) {
        CL_ASSIGN_OR_RETURN(bool zeros,
                            OnlyZeros(seg.file->fd, off + kRecordHeader + len, seg.size));
        followed = !zeros;
      }
      if (Crc32c(payload) != crc) {
        if (followed) return Status::DataLoss(where + ": checksum mismatch");
        CL_RETURN_IF_ERROR(bad("checksum mismatch"));
        break;
      }
      ledger::Block block;
      if (!block.ParseFromString(payload))
        return Status::DataLoss(where + ": record is not a block");
      if (block.header().height() != height) {
        return Status::DataLoss(where + ": record claims height " +
                                std::to_string(block.header().height()));
      }
      if (block.header().prev_hash() != prev_hash) {
        return Status::DataLoss(where + ": prev_hash does not match the previous block's hash");
      }
      prev_hash = BlockHash(block.header());
      index_.push_back({s, off, len});
      hash_prefixes_.push_back(HashPrefix(prev_hash));
      off += kRecordHeader + len;
    }
  }
  last_hash_ = prev_hash;
  if (segments_.empty() && !options_.read_only) CL_RETURN_IF_ERROR(OpenSegment(0, true));
  report->blocks = index_.size();
  return Status::Ok();
}

Status BlockStore::Append(const ledger::Block& block) {
  if (options_.read_only) return Status::FailedPrecondition("block store is read-only");
  if (block.header().height() != size()) {
    return Status::InvalidArgument("block height " + std::to_string(block.header().height()) +
                                   " does not follow the store's " + std::to_string(size()));
  }
  if (block.header().prev_hash() != last_hash_) {
    return Status::InvalidArgument("block " + std::to_string(size()) +
                                   " does not chain to the previous block");
  }
  std::string record(kRecordHeader, '\0');
  if (!block.AppendToString(&record)) return Status::Internal("cannot serialise block");
  uint32_t len = static_cast<uint32_t>(record.size() - kRecordHeader);
  PutU32(record.data(), len);
  PutU32(record.data() + 4, Crc32c(std::string_view(record).substr(kRecordHeader)));
  if (segments_.back().size > 0 && segments_.back().size + record.size() > options_.segment_bytes) {
    CL_RETURN_IF_ERROR(OpenSegment(static_cast<uint32_t>(segments_.size()), true));
  }
  Segment& seg = segments_.back();
  const char* p = record.data();
  size_t left = record.size();
  uint64_t off = seg.size;
  while (left > 0) {
    ssize_t w = pwrite(seg.file->fd, p, left, static_cast<off_t>(off));
    if (w < 0) {
      if (errno == EINTR) continue;
      Status st = ErrnoStatus("append to " + seg.file->path);
      // Cut off whatever part was written, so the file ends at the last whole record.
      if (ftruncate(seg.file->fd, static_cast<off_t>(seg.size)) != 0) return st;
      return st;
    }
    p += w;
    left -= static_cast<size_t>(w);
    off += static_cast<uint64_t>(w);
  }
  if (options_.sync && fdatasync(seg.file->fd) != 0)
    return ErrnoStatus("fdatasync " + seg.file->path);
  // Written and durable: now readers may see it.
  std::unique_lock lock(mu_);
  index_.push_back({static_cast<uint32_t>(segments_.size() - 1), seg.size, len});
  seg.size = off;
  last_hash_ = BlockHash(block.header());
  hash_prefixes_.push_back(HashPrefix(last_hash_));
  return Status::Ok();
}

Result<std::string> BlockStore::ReadRecord(const RecordRef& ref) {
  const Location& loc = ref.loc;
  std::string buf(kRecordHeader + loc.length, '\0');
  CL_RETURN_IF_ERROR(PReadFull(ref.file->fd, buf.data(), buf.size(), loc.offset));
  if (GetU32(buf.data()) != loc.length ||
      Crc32c(std::string_view(buf).substr(kRecordHeader)) != GetU32(buf.data() + 4)) {
    return Status::DataLoss("record at " + ref.file->path + " offset " +
                            std::to_string(loc.offset) + " no longer matches its checksum");
  }
  return buf.substr(kRecordHeader);
}

Result<BlockStore::RecordRef> BlockStore::Locate(uint64_t height) const {
  if (height >= index_.size())
    return Status::NotFound("no block at height " + std::to_string(height));
  const Location& loc = index_[height];
  return RecordRef{loc, segments_[loc.segment].file};
}

Result<ledger::Block> BlockStore::ReadAt(const RecordRef& ref, uint64_t height) {
  CL_ASSIGN_OR_RETURN(std::string payload, ReadRecord(ref));
  ledger::Block block;
  if (!block.ParseFromString(payload)) {
    return Status::DataLoss("block " + std::to_string(height) + " does not parse");
  }
  if (block.header().height() != height) {
    return Status::DataLoss("block " + std::to_string(height) + " claims another height");
  }
  return block;
}

Result<ledger::Block> BlockStore::Read(uint64_t height) const {
  // Only finding the record needs the lock; reading it does not (records never change,
  // and the file stays open while this holds it), so readers hold up appends only briefly.
  Result<RecordRef> ref = Status::Internal("unset");
  {
    std::shared_lock lock(mu_);
    ref = Locate(height);
  }
  if (!ref.ok()) return ref.status();
  return ReadAt(*ref, height);
}

uint64_t BlockStore::HashPrefix(const std::string& hash) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < hash.size(); ++i) v = (v << 8) | static_cast<uint8_t>(hash[i]);
  return v;
}

Result<uint64_t> BlockStore::FindByHash(const std::string& hash) const {
  uint64_t prefix = HashPrefix(hash);
  std::vector<std::pair<uint64_t, RecordRef>> candidates;  // newest first
  {
    std::shared_lock lock(mu_);
    for (uint64_t h = hash_prefixes_.size(); h-- > 0;) {
      if (hash_prefixes_[h] == prefix) candidates.emplace_back(h, Locate(h).value());
    }
  }
  for (const auto& [h, ref] : candidates) {
    CL_ASSIGN_OR_RETURN(ledger::Block b, ReadAt(ref, h));
    if (BlockHash(b.header()) == hash) return h;
  }
  return Status::NotFound("hash: no block with hash " + ToHex(hash));
}

Status BlockStore::TruncateFrom(uint64_t height) {
  if (options_.read_only) return Status::FailedPrecondition("block store is read-only");
  std::unique_lock lock(mu_);
  if (height >= index_.size()) return Status::Ok();
  Location loc = index_[height];
  for (size_t s = segments_.size() - 1; s > loc.segment; --s) {
    std::filesystem::remove(segments_[s].file->path);  // closed by its last reader
    segments_.pop_back();
  }
  Segment& seg = segments_[loc.segment];
  if (ftruncate(seg.file->fd, static_cast<off_t>(loc.offset)) != 0) return ErrnoStatus("truncate");
  fdatasync(seg.file->fd);
  seg.size = loc.offset;
  index_.resize(height);
  hash_prefixes_.resize(height);
  if (height == 0) {
    last_hash_.clear();
  } else {
    CL_ASSIGN_OR_RETURN(RecordRef ref, Locate(height - 1));
    CL_ASSIGN_OR_RETURN(ledger::Block prev, ReadAt(ref, height - 1));
    last_hash_ = BlockHash(prev.header());
  }
  return Status::Ok();
}

std::vector<std::string> BlockStore::SegmentPaths() const {
  std::shared_lock lock(mu_);
  std::vector<std::string> out;
  for (const auto& s : segments_) out.push_back(s.file->path);
  return out;
}

}  // namespace carledger
