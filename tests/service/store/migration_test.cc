// service/store/migrate: the statement splitter, file naming, applying embedded migrations
// once (also from several nodes at once), refusing changed, unknown or out-of-order
// migrations, all-or-nothing runs, and the constraints the first schema enforces.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "common/crypto.h"
#include "service/store/migrate.h"
#include "tests/support/pg_fixture.h"

namespace carledger::store {
namespace {

using carledger::testing::PgTestDatabase;

TEST(SplitSqlScriptTest, SplitsAtTopLevelSemicolonsOnly) {
  auto s = SplitSqlScript(R"(
    -- a comment; with a semicolon
    CREATE TABLE a (x text DEFAULT 'semi;colon' CHECK (x <> 'it''s;'));
    /* block; /* nested; */ still comment; */
    CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;
    CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 2; END; $body$;
    SELECT "odd;name" FROM a WHERE x = E'back\';slash' AND $1 = 'p';;
    ;  -- only a comment here
    SELECT 'last without semicolon')");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 5u);
  EXPECT_EQ((*s)[0].find("-- a comment"), 0u);
  EXPECT_NE((*s)[0].find("'it''s;'))"), std::string::npos);
  EXPECT_TRUE(
      (*s)[1].ends_with("still comment; */\n    CREATE FUNCTION f() RETURNS int LANGUAGE "
                        "sql AS $$ SELECT 1; $$"));
  EXPECT_TRUE((*s)[2].ends_with("$body$ BEGIN RETURN 2; END; $body$"));
  EXPECT_TRUE((*s)[3].ends_with("E'back\\';slash' AND $1 = 'p'"));
  EXPECT_EQ((*s)[4], "-- only a comment here\n    SELECT 'last without semicolon'");
}

TEST(SplitSqlScriptTest, RefusesUnterminatedQuotesAndComments) {
  for (const char* bad : {"SELECT 'open", "SELECT \"open", "SELECT $$ open", "/* open",
                          "/* /* nested */ open", "SELECT $a$ x $b$"}) {
    EXPECT_EQ(SplitSqlScript(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_TRUE(SplitSqlScript("")->empty());
  EXPECT_TRUE(SplitSqlScript("  -- nothing\n /* at all */ ;; ")->empty());
}

TEST(MigrationFilesTest, NamesAreVersioned) {
  auto m = MakeMigration("0042_add_index.sql", "SELECT 1");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->version, 42);
  EXPECT_EQ(m->name, "add_index");
  EXPECT_EQ(m->checksum, ToHex(Sha256("SELECT 1")));
  for (const char* bad : {"42_x.sql", "0000_zero.sql", "0001_.sql", "0001_Caps.sql", "0001-x.sql",
                          "0001_x.txt", "abcd_x.sql", "0001_x y.sql"}) {
    EXPECT_EQ(MakeMigration(bad, "").status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(MigrationFilesTest, EmbeddedMigrationsAreTheRepoFiles) {
  auto ms = EmbeddedMigrations();
  ASSERT_TRUE(ms.ok()) << ms.status().ToString();
  ASSERT_FALSE(ms->empty());
  EXPECT_EQ((*ms)[0].file, "0001_initial.sql");
  EXPECT_NE((*ms)[0].sql.find("CREATE TABLE users"), std::string::npos);
  for (size_t i = 0; i < ms->size(); ++i) {
    EXPECT_EQ((*ms)[i].checksum, ToHex(Sha256((*ms)[i].sql)));
    if (i > 0) {
      EXPECT_LT((*ms)[i - 1].version, (*ms)[i].version);
    }
    EXPECT_TRUE(SplitSqlScript((*ms)[i].sql).ok());
  }
}

// A fresh database per test: migrations are about what a database already holds.
class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = PgTestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    auto p = PgPool::Open(conninfo(), 4);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    pool_ = std::move(p).value();
  }
  Migration M(const std::string& file, const std::string& sql) {
    return MakeMigration(file, sql).value();
  }
  bool TableExists(const std::string& name) {
    auto r = pool_->Exec("SELECT to_regclass($1) IS NOT NULL AS e", {name});
    return r.ok() && (*r)[0].Bool("e");
  }
  std::vector<int> Applied() {
    std::vector<int> v;
    if (!TableExists("schema_migrations")) return v;
    auto r = pool_->Exec("SELECT version FROM schema_migrations ORDER BY version");
    for (size_t i = 0; r.ok() && i < r->size(); ++i)
      v.push_back(static_cast<int>((*r)[i].Int("version")));
    return v;
  }
  void TearDown() override {
    pool_.reset();
    db_.reset();
  }
  const std::string& conninfo() const { return db_->conninfo(); }
  std::unique_ptr<PgTestDatabase> db_;
  std::unique_ptr<PgPool> pool_;
};

TEST_F(MigrationTest, AppliesEmbeddedMigrationsOnceAndRecordsThem) {
  auto ms = EmbeddedMigrations();
  ASSERT_TRUE(ms.ok());
  auto n = Migrate(*pool_);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, static_cast<int>(ms->size()));
  for (const char* table :
       {"users", "sessions", "refresh_tokens", "access_tokens", "login_attempts", "restrictions",
        "audit_log", "inspection_requests", "reviews", "reports", "conversations", "chat_messages",
        "notifications", "photos"}) {
    EXPECT_TRUE(TableExists(table)) << table;
  }
  auto rows = pool_->Exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  ASSERT_EQ(rows->size(), ms->size());
  for (size_t i = 0; i < ms->size(); ++i) {
    EXPECT_EQ((*rows)[i].Int("version"), (*ms)[i].version);
    EXPECT_EQ((*rows)[i].Str("name"), (*ms)[i].name);
    EXPECT_EQ((*rows)[i].Str("checksum"), (*ms)[i].checksum);
  }
  n = Migrate(*pool_);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(Applied().size(), ms->size());
}

// epoch_ms() is read for every authenticated call and every listed row: the planner must
// inline it (an opaque call runs the SQL function executor per value) and keep its result.
TEST_F(MigrationTest, EpochMsIsInlinedAndExact) {
  ASSERT_TRUE(Migrate(*pool_).ok());
  auto plan = pool_->Exec("EXPLAIN (VERBOSE, COSTS OFF) SELECT epoch_ms(created_at) FROM users");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::string text;
  for (size_t i = 0; i < plan->size(); ++i) text += (*plan)[i].Str("\"QUERY PLAN\"") + "\n";
  EXPECT_EQ(text.find("epoch_ms("), std::string::npos) << text;
  EXPECT_NE(text.find("EXTRACT(epoch"), std::string::npos) << text;
  auto v = pool_->Exec(
      "SELECT epoch_ms('2026-12-06 10:11:12.345+00') AS ms, epoch_ms(NULL) IS NULL AS null_in");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ((*v)[0].Int("ms"), 1796551872345);
  EXPECT_TRUE((*v)[0].Bool("null_in"));
}

TEST_F(MigrationTest, NodesMigratingTogetherApplyEachMigrationOnce) {
  std::vector<Migration> ms = {M("0001_a.sql", "CREATE TABLE a (x int); INSERT INTO a VALUES (1);"),
                               M("0002_b.sql", "INSERT INTO a VALUES (2);")};
  std::atomic<int> total{0}, failures{0};
  std::vector<std::thread> nodes;
  for (int i = 0; i < 6; ++i) {
    nodes.emplace_back([&] {
      auto pool = PgPool::Open(conninfo(), 1);
      auto n = pool.ok() ? Migrate(**pool, ms) : Result<int>(pool.status());
      if (n.ok()) {
        total += *n;
      } else {
        ++failures;
        ADD_FAILURE() << n.status().ToString();
      }
    });
  }
  for (auto& t : nodes) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(total.load(), 2);
  auto r = pool_->Exec("SELECT count(*) AS n, sum(x) AS s FROM a");
  EXPECT_EQ((*r)[0].Int("n"), 2);
  EXPECT_EQ((*r)[0].Int("s"), 3);
}

TEST_F(MigrationTest, ChangedAppliedMigrationIsRefusedNamingTheFile) {
  ASSERT_TRUE(Migrate(*pool_, {M("0001_test.sql", "CREATE TABLE t (x int);")}).ok());
  auto n = Migrate(*pool_, {M("0001_test.sql", "CREATE TABLE t (x bigint);"),
                            M("0002_more.sql", "CREATE TABLE more (y int);")});
  EXPECT_EQ(n.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(n.status().message().find("0001_test.sql"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("checksum"), std::string::npos);
  EXPECT_FALSE(TableExists("more"));  // nothing after the mismatch ran
  EXPECT_EQ(Applied(), std::vector<int>({1}));
  // Even a whitespace change counts.
  EXPECT_FALSE(Migrate(*pool_, {M("0001_test.sql", "CREATE TABLE t (x int); ")}).ok());
  EXPECT_TRUE(Migrate(*pool_, {M("0001_test.sql", "CREATE TABLE t (x int);")}).ok());
}

TEST_F(MigrationTest, FailingMigrationLeavesNothingBehind) {
  auto n =
      Migrate(*pool_, {M("0001_good.sql", "CREATE TABLE good (x int);"),
                       M("0002_broken.sql", "CREATE TABLE fine (x int); CREATE TABLE oops (;")});
  EXPECT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("0002_broken.sql"), std::string::npos)
      << n.status().message();
  EXPECT_FALSE(TableExists("good"));
  EXPECT_FALSE(TableExists("fine"));
  EXPECT_TRUE(Applied().empty());
}

TEST_F(MigrationTest, MigrationUnknownToThisBinaryIsRefused) {
  ASSERT_TRUE(
      Migrate(*pool_, {M("0001_a.sql", "SELECT 1;"), M("0002_newer.sql", "SELECT 2;")}).ok());
  auto n = Migrate(*pool_, {M("0001_a.sql", "SELECT 1;")});
  EXPECT_EQ(n.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(n.status().message().find("0002_newer.sql"), std::string::npos) << n.status().message();
}

TEST_F(MigrationTest, MigrationOlderThanAnAppliedOneIsRefused) {
  ASSERT_TRUE(Migrate(*pool_, {M("0001_a.sql", "SELECT 1;"), M("0003_c.sql", "SELECT 3;")}).ok());
  auto n = Migrate(*pool_, {M("0001_a.sql", "SELECT 1;"), M("0002_late.sql", "SELECT 2;"),
                            M("0003_c.sql", "SELECT 3;")});
  EXPECT_EQ(n.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(n.status().message().find("0002_late.sql"), std::string::npos) << n.status().message();
  EXPECT_EQ(Applied(), std::vector<int>({1, 3}));
}

// The first schema's constraints, exercised directly (the stores validate first, but the
// database is the last line).
TEST_F(MigrationTest, InitialSchemaEnforcesItsInvariants) {
  ASSERT_TRUE(Migrate(*pool_).ok());
  auto exec = [&](const std::string& sql, const PgParams& params = {}) {
    return pool_->Exec(sql, params).status().code();
  };
  const char* kUser =
      "INSERT INTO users (id, password_hash, name, address, phone, terms_version, "
      "terms_accepted_at, created_at) VALUES ($1, 'scrypt$2$1$1$AAAA$AAAA', $2, 'Seoul', "
      "'010-1234-5678', '2026-01', now(), now())";
  ASSERT_EQ(exec(kUser, {"alice", "Alice"}), StatusCode::kOk);
  ASSERT_EQ(exec(kUser, {"bob", "Bob"}), StatusCode::kOk);
  ASSERT_EQ(exec(kUser, {"김민준", "김민준"}), StatusCode::kOk);
  EXPECT_EQ(exec(kUser, {"alice", "Again"}), StatusCode::kAlreadyExists);
  EXPECT_EQ(exec(kUser, {"Carol", "Upper"}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kUser, {"x'; --", "Inject"}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec("UPDATE users SET phone = NULL WHERE id = 'bob'"), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec("UPDATE users SET role = 'root' WHERE id = 'bob'"), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec("UPDATE users SET key_fingerprint = 'XYZ' WHERE id = 'bob'"),
            StatusCode::kInvalidArgument);

  const char* kReview =
      "INSERT INTO reviews (trade_id, author_id, subject_id, rating, body, created_at) "
      "VALUES ($1, $2, $3, $4, 'ok', now())";
  EXPECT_EQ(exec(kReview, {"T1", "alice", "bob", 5}), StatusCode::kOk);
  EXPECT_EQ(exec(kReview, {"T1", "bob", "alice", 4}), StatusCode::kOk);
  EXPECT_EQ(exec(kReview, {"T1", "alice", "bob", 3}), StatusCode::kAlreadyExists);  // once a side
  EXPECT_EQ(exec(kReview, {"T2", "alice", "bob", 6}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kReview, {"T2", "alice", "bob", 0}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kReview, {"T2", "alice", "alice", 5}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kReview, {"T2", "alice", "nobody", 5}), StatusCode::kFailedPrecondition);

  const char* kReport =
      "INSERT INTO reports (reporter_id, target_user_id, target_listing_id, reason, created_at) "
      "VALUES ($1, $2, $3, 'fraud', now())";
  EXPECT_EQ(exec(kReport, {"alice", "bob", std::nullopt}), StatusCode::kOk);
  EXPECT_EQ(exec(kReport, {"alice", "bob", std::nullopt}), StatusCode::kAlreadyExists);
  EXPECT_EQ(exec(kReport, {"alice", "bob", "L1"}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kReport, {"alice", std::nullopt, std::nullopt}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kReport, {"alice", "alice", std::nullopt}), StatusCode::kInvalidArgument);
  EXPECT_EQ(exec("UPDATE reports SET status = 'confirmed'"), StatusCode::kInvalidArgument);

  const char* kInspection =
      "INSERT INTO inspection_requests (vin, requester_id, agency_id, status, location, "
      "requested_at, accepted_at, closed_at, record_tx_id) VALUES ($1, 'alice', $2, $3, 'Seoul', "
      "now(), $4, $5, $6)";
  const std::string vin = "KMHD141GPMU123456";
  EXPECT_EQ(
      exec(kInspection, {vin, std::nullopt, "requested", std::nullopt, std::nullopt, std::nullopt}),
      StatusCode::kOk);
  EXPECT_EQ(
      exec(kInspection, {vin, std::nullopt, "requested", std::nullopt, std::nullopt, std::nullopt}),
      StatusCode::kAlreadyExists);  // one open request per car
  EXPECT_EQ(exec(kInspection, {"KMHD141GPMU12345I", std::nullopt, "requested", std::nullopt,
                               std::nullopt, std::nullopt}),
            StatusCode::kInvalidArgument);  // no I, O or Q in a VIN
  EXPECT_EQ(exec(kInspection, {"WVWZZZ1JZXW000001", "bob", "inspected", PgValue::TimeMs(1),
                               PgValue::TimeMs(2), std::nullopt}),
            StatusCode::kInvalidArgument);  // inspected without the ledger record

  ASSERT_EQ(exec("INSERT INTO conversations (user_a, user_b, created_at) VALUES ('alice', 'bob', "
                 "now())"),
            StatusCode::kOk);
  EXPECT_EQ(exec("INSERT INTO conversations (user_a, user_b, created_at) VALUES ('bob', 'alice', "
                 "now())"),
            StatusCode::kInvalidArgument);  // ordered pair: one row per pair
  const char* kChat =
      "INSERT INTO chat_messages (conversation_id, seq, sender_id, recipient_id, client_msg_id, "
      "body, sent_at) SELECT id, $1, 'alice', 'bob', $2, 'hi', now() FROM conversations";
  EXPECT_EQ(exec(kChat, {1, "m1"}), StatusCode::kOk);
  EXPECT_EQ(exec(kChat, {2, "m1"}), StatusCode::kAlreadyExists);  // resent: stored once
  EXPECT_EQ(exec(kChat, {1, "m2"}), StatusCode::kAlreadyExists);  // sequence numbers unique

  std::string jpeg = "\xff\xd8\xff\xe0 not really a jpeg";
  const char* kPhoto =
      "INSERT INTO photos (sha256, mime_type, size_bytes, bytes, created_at) VALUES ($1, $2, $3, "
      "$4, "
      "now())";
  EXPECT_EQ(exec(kPhoto, {ToHex(Sha256("other")), "image/jpeg", static_cast<int64_t>(jpeg.size()),
                          PgValue::Bytea(jpeg)}),
            StatusCode::kInvalidArgument);  // the key must be the content's hash
  EXPECT_EQ(exec(kPhoto, {ToHex(Sha256(jpeg)), "image/gif", static_cast<int64_t>(jpeg.size()),
                          PgValue::Bytea(jpeg)}),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kPhoto, {ToHex(Sha256(jpeg)), "image/jpeg", 1, PgValue::Bytea(jpeg)}),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(exec(kPhoto, {ToHex(Sha256(jpeg)), "image/jpeg", static_cast<int64_t>(jpeg.size()),
                          PgValue::Bytea(jpeg)}),
            StatusCode::kOk);
  auto photo = pool_->Exec("SELECT bytes FROM photos WHERE sha256 = $1", {ToHex(Sha256(jpeg))});
  EXPECT_EQ((*photo)[0].Bytea("bytes"), jpeg);

  ASSERT_EQ(exec("INSERT INTO audit_log (at, actor, action) VALUES (now(), 'alice', 'x.y')"),
            StatusCode::kOk);
  EXPECT_NE(exec("UPDATE audit_log SET action = 'forged'"), StatusCode::kOk);
  EXPECT_NE(exec("DELETE FROM audit_log"), StatusCode::kOk);
  auto audit = pool_->Exec("SELECT action FROM audit_log");
  ASSERT_EQ(audit->size(), 1u);
  EXPECT_EQ((*audit)[0].Str("action"), "x.y");

  auto ms = pool_->Exec("SELECT epoch_ms($1) AS ms", {PgValue::TimeMs(1772323200999)});
  EXPECT_EQ((*ms)[0].Int("ms"), 1772323200999);
}

}  // namespace
}  // namespace carledger::store
