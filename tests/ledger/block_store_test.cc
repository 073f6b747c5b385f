// ledger/block_store: append-only, checksummed, hash-chained segment files; torn tails
// are cut off on open, corruption anywhere else is DATA_LOSS naming the block.
#include "ledger/block_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "common/block_format.h"
#include "common/crc32c.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::TempDir;
namespace fs = std::filesystem;

ledger::Block MakeBlock(uint64_t height, const std::string& prev_hash, size_t filler = 100) {
  ledger::Block b;
  b.mutable_header()->set_height(height);
  b.mutable_header()->set_prev_hash(prev_hash);
  b.mutable_header()->set_timestamp_ms(1772323200000 + static_cast<int64_t>(height));
  b.mutable_header()->set_proposer("proposer");
  auto* tx = b.add_transactions();
  tx->set_payload(std::string(filler, static_cast<char>('a' + height % 26)));
  tx->set_signature(std::string(64, 's'));
  return b;
}

// Appends `n` chained blocks to a fresh store; returns them.
std::vector<ledger::Block> Fill(BlockStore* store, int n, size_t filler = 100) {
  std::vector<ledger::Block> out;
  for (int i = 0; i < n; ++i) {
    auto b = MakeBlock(store->size(), store->last_hash(), filler);
    EXPECT_TRUE(store->Append(b).ok());
    out.push_back(b);
  }
  return out;
}

size_t RecordSize(const ledger::Block& b) {
  return 8 + b.ByteSizeLong();
}

std::unique_ptr<BlockStore> MustOpen(const std::string& dir, BlockStoreOptions o = {},
                                     BlockStoreOpenReport* report = nullptr) {
  auto s = BlockStore::Open(dir, o, report);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

std::string Segment0(const std::string& dir) {
  return dir + "/blocks/000000.blk";
}

void AppendBytes(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::app);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void FlipByte(const std::string& path, uint64_t offset) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(offset));
  char c;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

TEST(BlockStoreTest, AppendReadAndReopen) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    EXPECT_EQ(store->size(), 0u);
    EXPECT_EQ(store->last_hash(), "");
    blocks = Fill(store.get(), 5);
    EXPECT_EQ(store->size(), 5u);
    EXPECT_EQ(store->last_hash(), BlockHash(blocks.back().header()));
    for (uint64_t h = 0; h < 5; ++h) {
      auto b = store->Read(h);
      ASSERT_TRUE(b.ok());
      EXPECT_EQ(b->SerializeAsString(), blocks[h].SerializeAsString());
    }
    EXPECT_EQ(store->Read(5).status().code(), StatusCode::kNotFound);
  }
  BlockStoreOpenReport report;
  auto store = MustOpen(dir.path(), {}, &report);
  EXPECT_EQ(report.blocks, 5u);
  EXPECT_EQ(report.torn_bytes_truncated, 0u);
  EXPECT_EQ(store->size(), 5u);
  EXPECT_EQ(store->last_hash(), BlockHash(blocks.back().header()));
  EXPECT_EQ(store->Read(3)->SerializeAsString(), blocks[3].SerializeAsString());
  // And it keeps growing after a reopen.
  Fill(store.get(), 1);
  EXPECT_EQ(store->size(), 6u);
}

TEST(BlockStoreTest, RefusesWrongHeightAndPrevHash) {
  TempDir dir;
  auto store = MustOpen(dir.path());
  Fill(store.get(), 2);
  Status gap = store->Append(MakeBlock(3, store->last_hash()));
  EXPECT_EQ(gap.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(gap.message().find("height 3"), std::string::npos);
  EXPECT_FALSE(store->Append(MakeBlock(1, store->last_hash())).ok());
  Status chain = store->Append(MakeBlock(2, std::string(32, 'x')));
  EXPECT_EQ(chain.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(chain.message().find("does not chain"), std::string::npos);
  EXPECT_EQ(store->size(), 2u);
  EXPECT_TRUE(store->Append(MakeBlock(2, store->last_hash())).ok());
}

TEST(BlockStoreTest, TornTailIsTruncatedOnReopen) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    blocks = Fill(store.get(), 3);
  }
  uint64_t full = fs::file_size(Segment0(dir.path()));
  ASSERT_EQ(full, RecordSize(blocks[0]) + RecordSize(blocks[1]) + RecordSize(blocks[2]));
  fs::resize_file(Segment0(dir.path()), full - 5);

  BlockStoreOpenReport report;
  auto store = MustOpen(dir.path(), {}, &report);
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(report.blocks, 2u);
  EXPECT_EQ(report.torn_bytes_truncated, RecordSize(blocks[2]) - 5);
  EXPECT_EQ(fs::file_size(Segment0(dir.path())), RecordSize(blocks[0]) + RecordSize(blocks[1]));
  EXPECT_EQ(store->last_hash(), BlockHash(blocks[1].header()));
  // The lost block can be appended again.
  EXPECT_TRUE(store->Append(blocks[2]).ok());
  EXPECT_EQ(store->Read(2)->SerializeAsString(), blocks[2].SerializeAsString());
}

TEST(BlockStoreTest, TornRecordHeaderIsTruncated) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    blocks = Fill(store.get(), 3);
  }
  // Only 3 bytes of block 2's 8-byte record header made it to disk.
  fs::resize_file(Segment0(dir.path()), RecordSize(blocks[0]) + RecordSize(blocks[1]) + 3);
  BlockStoreOpenReport report;
  auto store = MustOpen(dir.path(), {}, &report);
  EXPECT_EQ(store->size(), 2u);
  EXPECT_EQ(report.torn_bytes_truncated, 3u);
}

TEST(BlockStoreTest, GarbageAfterLastBlockIsTruncated) {
  // Each kind of junk a crash can leave after the last whole record.
  const std::vector<std::pair<std::string, std::string>> junk = {
      {"short", "\xde\xad\xbe"},
      {"text", "garbage!garbage!garbage!"},
      {"zero-filled", std::string(4096, '\0')},
      {"length fits, checksum wrong", std::string("\x04\x00\x00\x00\x01\x02\x03\x04"
                                                  "abcd",
                                                  12)},
      {"header written, payload and more zero-filled",
       std::string("\x32\x00\x00\x00\x01\x02\x03\x04", 8) + std::string(300, '\0')},
  };
  for (const auto& [name, bytes] : junk) {
    SCOPED_TRACE(name);
    TempDir dir;
    std::vector<ledger::Block> blocks;
    {
      auto store = MustOpen(dir.path());
      blocks = Fill(store.get(), 3);
    }
    uint64_t good = fs::file_size(Segment0(dir.path()));
    AppendBytes(Segment0(dir.path()), bytes);
    BlockStoreOpenReport report;
    auto store = MustOpen(dir.path(), {}, &report);
    if (!store) continue;
    EXPECT_EQ(store->size(), 3u);
    EXPECT_EQ(report.torn_bytes_truncated, bytes.size());
    EXPECT_EQ(fs::file_size(Segment0(dir.path())), good);
    EXPECT_TRUE(store->Append(MakeBlock(3, store->last_hash())).ok());
  }
}

TEST(BlockStoreTest, CorruptionInTheMiddleIsDataLoss) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    blocks = Fill(store.get(), 3);
  }
  uint64_t size_before = fs::file_size(Segment0(dir.path()));
  FlipByte(Segment0(dir.path()), RecordSize(blocks[0]) + 8 + 20);  // inside block 1's payload
  auto store = BlockStore::Open(dir.path(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("block 1 "), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("checksum"), std::string::npos)
      << store.status().message();
  // Nothing was cut off.
  EXPECT_EQ(fs::file_size(Segment0(dir.path())), size_before);
}

TEST(BlockStoreTest, BrokenHashChainIsDataLoss) {
  TempDir dir;
  {
    auto store = MustOpen(dir.path());
    Fill(store.get(), 2);
  }
  // A well-formed record whose prev_hash names nothing: write it by hand.
  ledger::Block bad = MakeBlock(2, std::string(32, 'z'));
  std::string payload = bad.SerializeAsString();
  std::string rec(8, '\0');
  uint32_t len = static_cast<uint32_t>(payload.size());
  uint32_t crc = Crc32c(payload);
  for (int i = 0; i < 4; ++i) {
    rec[static_cast<size_t>(i)] = static_cast<char>((len >> (8 * i)) & 0xff);
    rec[static_cast<size_t>(4 + i)] = static_cast<char>((crc >> (8 * i)) & 0xff);
  }
  AppendBytes(Segment0(dir.path()), rec + payload);
  auto store = BlockStore::Open(dir.path(), {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("block 2"), std::string::npos);
  EXPECT_NE(store.status().message().find("prev_hash"), std::string::npos)
      << store.status().message();
}

TEST(BlockStoreTest, ReadOnlyOpenOfTornStoreFailsWithoutTruncating) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    blocks = Fill(store.get(), 3);
  }
  uint64_t torn = fs::file_size(Segment0(dir.path())) - 7;
  fs::resize_file(Segment0(dir.path()), torn);
  BlockStoreOptions ro;
  ro.read_only = true;
  auto store = BlockStore::Open(dir.path(), ro);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("block 2"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(fs::file_size(Segment0(dir.path())), torn);
}

TEST(BlockStoreTest, ReadOnlyStoreServesReadsAndRefusesWrites) {
  TempDir dir;
  BlockStoreOptions ro;
  ro.read_only = true;
  EXPECT_EQ(BlockStore::Open(dir.path(), ro).status().code(), StatusCode::kNotFound);
  {
    auto store = MustOpen(dir.path());
    Fill(store.get(), 2);
  }
  auto store = MustOpen(dir.path(), ro);
  EXPECT_EQ(store->size(), 2u);
  EXPECT_TRUE(store->Read(1).ok());
  EXPECT_EQ(store->Append(MakeBlock(2, store->last_hash())).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store->TruncateFrom(0).code(), StatusCode::kFailedPrecondition);
}

TEST(BlockStoreTest, ReadDetectsCorruptionAfterOpen) {
  TempDir dir;
  auto store = MustOpen(dir.path());
  auto blocks = Fill(store.get(), 2);
  FlipByte(Segment0(dir.path()), 8 + 10);
  EXPECT_EQ(store->Read(0).status().code(), StatusCode::kDataLoss);
  EXPECT_TRUE(store->Read(1).ok());
}

TEST(BlockStoreTest, TruncateFrom) {
  TempDir dir;
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path());
    blocks = Fill(store.get(), 4);
    EXPECT_TRUE(store->TruncateFrom(9).ok());  // past the end: nothing to do
    EXPECT_EQ(store->size(), 4u);
    ASSERT_TRUE(store->TruncateFrom(2).ok());
    EXPECT_EQ(store->size(), 2u);
    EXPECT_EQ(store->last_hash(), BlockHash(blocks[1].header()));
    EXPECT_EQ(store->Read(2).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(fs::file_size(Segment0(dir.path())), RecordSize(blocks[0]) + RecordSize(blocks[1]));
  }
  auto store = MustOpen(dir.path());
  EXPECT_EQ(store->size(), 2u);
  ledger::Block other = MakeBlock(2, store->last_hash(), 7);
  EXPECT_TRUE(store->Append(other).ok());
  ASSERT_TRUE(store->TruncateFrom(0).ok());
  EXPECT_EQ(store->size(), 0u);
  EXPECT_EQ(store->last_hash(), "");
  EXPECT_TRUE(store->Append(MakeBlock(0, "")).ok());
}

TEST(BlockStoreTest, SegmentRolloverAcrossReopen) {
  TempDir dir;
  BlockStoreOptions small;
  small.segment_bytes = 600;  // two ~220-byte records per segment
  std::vector<ledger::Block> blocks;
  {
    auto store = MustOpen(dir.path(), small);
    blocks = Fill(store.get(), 7);
    EXPECT_GE(store->SegmentPaths().size(), 3u);
    for (const auto& p : store->SegmentPaths()) EXPECT_LE(fs::file_size(p), 600u) << p;
  }
  size_t segments;
  {
    auto store = MustOpen(dir.path(), small);
    EXPECT_EQ(store->size(), 7u);
    segments = store->SegmentPaths().size();
    for (uint64_t h = 0; h < 7; ++h)
      EXPECT_EQ(store->Read(h)->SerializeAsString(), blocks[h].SerializeAsString());
    blocks.push_back(MakeBlock(7, store->last_hash()));
    ASSERT_TRUE(store->Append(blocks.back()).ok());
    // Truncating into an earlier segment removes the later files.
    ASSERT_TRUE(store->TruncateFrom(1).ok());
    EXPECT_EQ(store->SegmentPaths().size(), 1u);
    EXPECT_FALSE(fs::exists(dir.path() + "/blocks/000001.blk"));
    Fill(store.get(), 4);
  }
  EXPECT_GT(segments, 3u);
  auto store = MustOpen(dir.path(), small);
  EXPECT_EQ(store->size(), 5u);
  EXPECT_EQ(store->Read(0)->SerializeAsString(), blocks[0].SerializeAsString());
}

TEST(BlockStoreTest, TornTailOnlyInLastSegment) {
  TempDir dir;
  BlockStoreOptions small;
  small.segment_bytes = 600;
  {
    auto store = MustOpen(dir.path(), small);
    Fill(store.get(), 6);
    ASSERT_EQ(store->SegmentPaths().size(), 3u);  // blocks 0-1, 2-3, 4-5
  }
  std::string first = dir.path() + "/blocks/000000.blk";
  std::string last = dir.path() + "/blocks/000002.blk";
  // A torn tail in the last segment is cut off...
  fs::resize_file(last, fs::file_size(last) - 3);
  BlockStoreOpenReport report;
  auto store = MustOpen(dir.path(), small, &report);
  EXPECT_EQ(store->size(), 5u);
  EXPECT_GT(report.torn_bytes_truncated, 0u);
  store.reset();
  // ...but a short record at the end of an earlier segment is corruption.
  fs::resize_file(first, fs::file_size(first) - 3);
  auto bad = BlockStore::Open(dir.path(), small);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(bad.status().message().find("block 1"), std::string::npos) << bad.status().message();
}

TEST(BlockStoreTest, MissingSegmentIsDataLoss) {
  TempDir dir;
  BlockStoreOptions small;
  small.segment_bytes = 300;
  {
    auto store = MustOpen(dir.path(), small);
    Fill(store.get(), 4, 200);
  }
  fs::remove(dir.path() + "/blocks/000001.blk");
  auto store = BlockStore::Open(dir.path(), small);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("000001.blk is missing"), std::string::npos);
}

TEST(BlockStoreTest, UnrelatedFilesInTheDirectoryAreIgnored) {
  TempDir dir;
  {
    auto store = MustOpen(dir.path());
    Fill(store.get(), 2);
  }
  AppendBytes(dir.path() + "/blocks/backup.blk", "x");  // ten characters, ends in .blk
  AppendBytes(dir.path() + "/blocks/notes.txt", "x");
  auto store = MustOpen(dir.path());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->size(), 2u);
}

// One writer appending (across many small segments, so the store's vectors grow) while
// readers read every height they are told exists: each read is the whole block that was
// appended at that height, and lookups by hash find it.
TEST(BlockStoreTest, ConcurrentReadersSeeWholeBlocksWhileTheWriterAppends) {
  TempDir dir;
  BlockStoreOptions o;
  o.sync = false;
  o.segment_bytes = 2048;  // a new segment every few blocks
  auto store = MustOpen(dir.path(), o);
  ASSERT_TRUE(store);
  constexpr int kBlocks = 1500;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      uint64_t seed = static_cast<uint64_t>(r) + 1;
      while (!done.load()) {
        uint64_t n = store->size();
        if (n == 0) continue;
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t h = (seed >> 33) % n;
        auto b = store->Read(h);
        if (!b.ok() || b->header().height() != h ||
            b->transactions(0).payload() != std::string(300, static_cast<char>('a' + h % 26))) {
          ++bad;
          continue;
        }
        if (h % 97 == 0) {
          auto found = store->FindByHash(BlockHash(b->header()));
          if (!found.ok() || *found != h) ++bad;
        }
        ++reads;
      }
    });
  }
  Fill(store.get(), kBlocks, 300);
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(store->size(), static_cast<uint64_t>(kBlocks));
  EXPECT_GT(store->SegmentPaths().size(), 100u);
}

}  // namespace
}  // namespace carledger
