// PreparedSlots: prepared proofs survive a reopen, a write is flushed before the next one
// picks its file, a write torn by a crash never destroys the newest record of its slot, damaged
// records are skipped, and proofs are rewritten in place (the same files, so no file-system journal
// commit per block).
#include "ledger/pbft/prepared_slots.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace carledger::pbft {
namespace {

namespace fs = std::filesystem;

class PreparedSlotsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("prepared-slots-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Load() {
    auto slots = PreparedSlots::Open(dir_.string());
    EXPECT_TRUE(slots.ok());
    auto all = (*slots)->LoadAll();
    EXPECT_TRUE(all.ok());
    std::vector<std::string> out = all.ok() ? *all : std::vector<std::string>{};
    std::sort(out.begin(), out.end());
    return out;
  }
  static ino_t Inode(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
  }
  fs::path dir_;
};

TEST_F(PreparedSlotsTest, ProofsSurviveAReopen) {
  {
    auto slots = PreparedSlots::Open(dir_.string());
    ASSERT_TRUE(slots.ok());
    ASSERT_TRUE((*slots)->Save(7, 0, "seven").ok());
    ASSERT_TRUE((*slots)->Save(8, 0, std::string(100000, 'x')).ok());
    ASSERT_TRUE((*slots)->Save(7 + PreparedSlots::kSlots, 1, "later in the same slot").ok());
  }
  EXPECT_EQ(Load(), (std::vector<std::string>{"later in the same slot", "seven",
                                              std::string(100000, 'x')}));
}

TEST_F(PreparedSlotsTest, AWriteIsDurableAfterFlushAndTheNextWriteWaitsForIt) {
  {
    auto slots = PreparedSlots::Open(dir_.string());
    ASSERT_TRUE(slots.ok());
    EXPECT_TRUE((*slots)->Flush().ok());  // nothing in flight
    ASSERT_TRUE((*slots)->Write(7, 0, "view 0").ok());
    // Same slot, no Flush in between: this write must know where the first one went, or
    // it would overwrite the record it is meant to keep.
    ASSERT_TRUE((*slots)->Write(7, 1, "view 1").ok());
    ASSERT_TRUE((*slots)->Flush().ok());
    ASSERT_TRUE((*slots)->Flush().ok());  // twice is harmless
  }
  EXPECT_EQ(Load(), (std::vector<std::string>{"view 0", "view 1"}));
}

TEST_F(PreparedSlotsTest, DestroyingTheSlotsWithAWriteInFlightKeepsEveryRecord) {
  {
    auto slots = PreparedSlots::Open(dir_.string());
    ASSERT_TRUE(slots.ok());
    for (uint64_t seq = 1; seq <= 40; ++seq)  // each waits for the one before
      ASSERT_TRUE((*slots)->Write(seq, 0, "proof " + std::to_string(seq)).ok());
  }  // the last write is still in flight here
  std::vector<std::string> all = Load();
  EXPECT_EQ(all.size(), 40u);
  EXPECT_EQ(std::count(all.begin(), all.end(), "proof 40"), 1);
}

TEST_F(PreparedSlotsTest, ATornWriteKeepsTheNewestRecordOfItsSlot) {
  {
    auto slots = PreparedSlots::Open(dir_.string());
    ASSERT_TRUE(slots.ok());
    ASSERT_TRUE((*slots)->Save(5, 0, "view 0").ok());
    ASSERT_TRUE((*slots)->Save(5, 1, "view 1").ok());
  }
  // A crash in the middle of the next write for slot 5: it lands on the older record's
  // file, leaving it half written.
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir_)) files.push_back(e.path());
  ASSERT_EQ(files.size(), 2u);
  std::string older;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), {});
    if (content.find("view 0") != std::string::npos) older = f.string();
  }
  ASSERT_FALSE(older.empty());
  {
    std::fstream out(older, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(30);
    out << "torn";
  }
  EXPECT_EQ(Load(), std::vector<std::string>{"view 1"});
  // The next write reuses the damaged file, never the intact newest one.
  {
    auto slots = PreparedSlots::Open(dir_.string());
    ASSERT_TRUE(slots.ok());
    ASSERT_TRUE((*slots)->Save(5, 2, "view 2").ok());
  }
  EXPECT_EQ(Load(), (std::vector<std::string>{"view 1", "view 2"}));
}

TEST_F(PreparedSlotsTest, ProofsAreRewrittenInPlace) {
  auto slots = PreparedSlots::Open(dir_.string());
  ASSERT_TRUE(slots.ok());
  ASSERT_TRUE((*slots)->Save(1, 0, "first").ok());
  ASSERT_TRUE((*slots)->Save(1 + PreparedSlots::kSlots, 0, "second").ok());
  std::map<std::string, ino_t> inodes;
  for (const auto& e : fs::directory_iterator(dir_)) inodes[e.path().string()] = Inode(e.path());
  ASSERT_EQ(inodes.size(), 2u);
  for (uint64_t k = 2; k < 40; ++k)
    ASSERT_TRUE(
        (*slots)->Save(1 + k * PreparedSlots::kSlots, 0, "round " + std::to_string(k)).ok());
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) {
    ++files;
    EXPECT_EQ(Inode(e.path()), inodes[e.path().string()]) << e.path();
  }
  EXPECT_EQ(files, 2u);
  auto all = (*slots)->LoadAll();
  ASSERT_TRUE(all.ok());
  std::sort(all->begin(), all->end());
  EXPECT_EQ(*all, (std::vector<std::string>{"round 38", "round 39"}));
}

}  // namespace
}  // namespace carledger::pbft
