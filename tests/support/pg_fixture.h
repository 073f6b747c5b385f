// PostgreSQL for tests. The store tests run against a real server started through the
// repo's scripts/pg (so they exercise what production runs), with their own data directory
// and port so they never touch a developer's or another build's server.
//
// - The shared test server (data under the build directory; port CARLEDGER_TEST_PGPORT, or a
//   free one if another server holds that) is started on first use if it is not running;
//   starts are serialised by a file lock, so tests running in parallel (ctest -j) share
//   one server. Each test suite gets a fresh
//   database (so parallel tests never see each other's rows), dropped afterwards. ctest
//   also starts it in a fixture test and stops it after the last store test.
// - Tests that stop and restart PostgreSQL get a PrivatePgServer: their own data directory
//   and a free port, removed afterwards.
//
// Environment overrides: CARLEDGER_TEST_PGDIR, CARLEDGER_TEST_PGPORT.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace carledger::testing {

struct PgServer {
  std::string dir;  // PGDIR: data, socket and log
  int port = 0;
};

// The shared test server's data directory.
std::string SharedTestServerDir();
// Starts the shared test server unless it is running (once per process).
Result<PgServer> SharedTestServer();
// Stops the shared test server.
Status StopSharedTestServer();

// Runs `scripts/pg command` (start, stop) for `server`, under a lock on the server's lock
// file. INTERNAL with the script's exit status on failure (its output goes to stderr).
Status RunPgScript(const PgServer& server, const std::string& command);
// The same, for a caller already holding the lock; `quiet` discards the script's output.
Status RunPgScriptLocked(const PgServer& server, const std::string& command, bool quiet = false);

// libpq conninfo for database `db` on `server`.
std::string ConnInfo(const PgServer& server, const std::string& db);

// A fresh, empty database; dropped (WITH FORCE) when destroyed.
class PgTestDatabase {
 public:
  static Result<std::unique_ptr<PgTestDatabase>> Create(const PgServer& server);
  // On the shared test server (started if needed).
  static Result<std::unique_ptr<PgTestDatabase>> Create();
  ~PgTestDatabase();

  const std::string& name() const { return name_; }
  const std::string& conninfo() const { return conninfo_; }

 private:
  PgTestDatabase(PgServer server, std::string name)
      : server_(std::move(server)), name_(std::move(name)), conninfo_(ConnInfo(server_, name_)) {}
  PgServer server_;
  std::string name_;
  std::string conninfo_;
};

// A server of one's own, for tests that stop and start it. Stopped and deleted when destroyed.
class PrivatePgServer {
 public:
  static Result<std::unique_ptr<PrivatePgServer>> Start();
  ~PrivatePgServer();

  const PgServer& server() const { return server_; }
  Status Stop() { return RunPgScript(server_, "stop"); }
  Status Restart() { return RunPgScript(server_, "start"); }

 private:
  explicit PrivatePgServer(PgServer server) : server_(std::move(server)) {}
  PgServer server_;
};

// Base for gtest suites that need a database: one fresh database per suite on the shared
// server, available as conninfo() in every test.
class PgTestSuite : public ::testing::Test {
 public:
  static void SetUpTestSuite();
  static void TearDownTestSuite();

 protected:
  void SetUp() override { ASSERT_NE(db_, nullptr) << setup_error_; }
  static const std::string& conninfo() { return db_->conninfo(); }

 private:
  static std::unique_ptr<PgTestDatabase> db_;
  static std::string setup_error_;
};

}  // namespace carledger::testing
