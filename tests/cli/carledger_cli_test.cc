// The `carledger` binary end to end: init-network, status, verify, and verify naming a
// tampered block with exit code 1.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <sys/wait.h>

#include "tests/support/test_network.h"

namespace carledger {
namespace {

struct RunResult {
  int exit_code;
  std::string output;
};

RunResult RunCli(const std::string& args) {
  std::string cmd = std::string(CARLEDGER_CLI) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(CarledgerCliTest, InitNetworkThenVerifyAndStatus) {
  testing::TempDir dir;
  std::string net = dir.path() + "/net";
  auto init = RunCli("init-network --dir " + net + " --validators 4 --orgs OrgA,OrgB");
  ASSERT_EQ(init.exit_code, 0) << init.output;
  EXPECT_NE(init.output.find("validators   4 (quorum 3)"), std::string::npos) << init.output;
  auto again = RunCli("init-network --dir " + net);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("already holds a network"), std::string::npos);
  auto status = RunCli("status " + net + "/node0");
  ASSERT_EQ(status.exit_code, 0) << status.output;
  EXPECT_NE(status.output.find("height        1 blocks"), std::string::npos) << status.output;
  auto verify = RunCli("verify " + net + "/node0");
  ASSERT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_NE(verify.output.find("OK: 1 blocks"), std::string::npos) << verify.output;

  // Flip one byte in the middle of the genesis block.
  std::string path = net + "/node0/blocks/000000.blk";
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(0, std::ios::end);
  auto size = static_cast<std::streamoff>(f.tellg());
  f.seekp(size / 2);
  char c;
  f.seekg(size / 2);
  f.get(c);
  f.seekp(size / 2);
  f.put(static_cast<char>(c ^ 1));
  f.close();
  auto bad = RunCli("verify " + net + "/node0");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("FAILED at block 0"), std::string::npos) << bad.output;
}

TEST(CarledgerCliTest, UsageErrorsExitTwo) {
  EXPECT_EQ(RunCli("").exit_code, 2);
  EXPECT_EQ(RunCli("no-such-command").exit_code, 2);
  EXPECT_EQ(RunCli("init-network").exit_code, 2);
  EXPECT_EQ(RunCli("verify").exit_code, 2);
  auto missing = RunCli("verify /nonexistent/dir");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("no data directory"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace carledger
