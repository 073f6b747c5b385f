// service/store/pg: parameters and results, error mapping, transactions and their retries,
// the bounded pool, and reconnection after the server closed a connection — with the rule
// that nothing is ever run twice when its first run may have taken effect.
#include "service/store/pg.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

#include "tests/support/pg_fixture.h"

namespace carledger::store {
namespace {

using carledger::testing::PgTestSuite;

class PgTest : public PgTestSuite {
 protected:
  std::unique_ptr<PgPool> Pool(int size = 4, PgPoolOptions options = {}) {
    options.size = size;
    auto p = PgPool::Open(conninfo(), options);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(p).value() : nullptr;
  }
  void Must(PgPool& pool, const std::string& sql, const PgParams& params = {}) {
    auto r = pool.Exec(sql, params);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  int64_t Count(PgPool& pool, const std::string& table) {
    auto r = pool.Exec("SELECT count(*) AS n FROM " + table);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int("n") : -1;
  }
  // Terminates the server session behind `pid` and waits until it has exited.
  void Terminate(int64_t pid) {
    auto killer = Pool(1);
    auto r = killer->Exec("SELECT pg_terminate_backend($1::int, 10000) AS done", {pid});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE((*r)[0].Bool("done"));
  }
};

// Kills the session running it, mid-statement (the sleep is where the signal is acted on).
constexpr char kDie[] =
    "DO $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10); END $$";

const std::vector<std::string> kNasty = {
    "'; DROP TABLE users; --",
    "Robert'); DROP TABLE students; --",
    "\" OR 1=1 --",
    "$1 $$ $tag$ \\x00 \\\\ %s %d",
    "김민준 서울특별시 강남구 테헤란로 123",
    "emoji 🚗 and quotes ' \" `",
    "line\nbreak\ttab",
    "",
};

TEST_F(PgTest, ParametersAndResultsRoundTripVerbatim) {
  auto pool = Pool();
  Must(*pool,
       "CREATE TABLE t (id serial PRIMARY KEY, s text, n bigint, b boolean, raw bytea, "
       "ts timestamptz)");
  for (const std::string& s : kNasty) {
    Must(*pool, "INSERT INTO t (s) VALUES ($1)", {s});
  }
  auto rows = pool->Exec("SELECT s FROM t ORDER BY id");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), kNasty.size());
  for (size_t i = 0; i < kNasty.size(); ++i) EXPECT_EQ((*rows)[i].Str("s"), kNasty[i]);
  EXPECT_EQ(Count(*pool, "t"), static_cast<int64_t>(kNasty.size()));  // the table survived

  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  Must(*pool, "INSERT INTO t (s, n, b, raw, ts) VALUES ($1, $2, $3, $4, $5)",
       {std::nullopt, INT64_MIN, true, PgValue::Bytea(all_bytes), PgValue::TimeMs(1772323200123)});
  Must(*pool, "INSERT INTO t (s, n, b, raw, ts) VALUES ($1, $2, $3, $4, $5)",
       {std::optional<std::string>("x"), INT64_MAX, false, PgValue::Bytea(""), PgValue::TimeMs(0)});
  rows = pool->Exec(
      "SELECT s, n, b, raw, (extract(epoch FROM ts) * 1000)::bigint AS ms FROM t "
      "WHERE n IS NOT NULL ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_TRUE((*rows)[0].IsNull("s"));
  EXPECT_EQ((*rows)[0].OptStr("s"), std::nullopt);
  EXPECT_EQ((*rows)[0].Str("s"), "");
  EXPECT_EQ((*rows)[0].Int("n"), INT64_MIN);
  EXPECT_TRUE((*rows)[0].Bool("b"));
  EXPECT_EQ((*rows)[0].Bytea("raw"), all_bytes);
  EXPECT_EQ((*rows)[0].Int("ms"), 1772323200123);
  EXPECT_EQ((*rows)[1].OptStr("s"), "x");
  EXPECT_EQ((*rows)[1].Int("n"), INT64_MAX);
  EXPECT_FALSE((*rows)[1].Bool("b"));
  EXPECT_FALSE((*rows)[1].IsNull("raw"));
  EXPECT_EQ((*rows)[1].Bytea("raw"), "");
  EXPECT_EQ((*rows)[1].Int("ms"), 0);
}

TEST_F(PgTest, AffectedRowsAndCommandTag) {
  auto pool = Pool();
  Must(*pool, "CREATE TABLE a (x int)");
  auto r = pool->Exec("INSERT INTO a SELECT generate_series(1, 7)");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->affected(), 7);
  EXPECT_EQ(r->command_tag(), "INSERT 0 7");
  r = pool->Exec("DELETE FROM a WHERE x > $1", {5});
  EXPECT_EQ(r->affected(), 2);
}

TEST_F(PgTest, ParameterWithNulByteIsRefusedNotTruncated) {
  auto pool = Pool();
  Must(*pool, "CREATE TABLE n (s text)");
  auto r = pool->Exec("INSERT INTO n VALUES ($1)", {std::string("ab\0cd", 5)});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("$1"), std::string::npos);
  EXPECT_EQ(Count(*pool, "n"), 0);
}

TEST_F(PgTest, ServerErrorsMapToStatusCodes) {
  auto pool = Pool();
  Must(*pool, "CREATE TABLE parent (id int PRIMARY KEY)");
  Must(*pool,
       "CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent (id), "
       "rating int NOT NULL CONSTRAINT rating_range CHECK (rating BETWEEN 1 AND 5))");
  Must(*pool, "INSERT INTO parent VALUES (1)");
  Must(*pool, "INSERT INTO child VALUES (1, 1, 3)");
  auto conn = pool->Borrow();
  ASSERT_TRUE(conn.ok());
  struct Case {
    std::string sql;
    PgParams params;
    StatusCode code;
    std::string sqlstate, constraint;
  } cases[] = {
      {"INSERT INTO child VALUES ($1, 1, 3)",
       {1},
       StatusCode::kAlreadyExists,
       "23505",
       "child_pkey"},
      {"INSERT INTO child VALUES (2, $1, 3)",
       {9},
       StatusCode::kFailedPrecondition,
       "23503",
       "child_parent_fkey"},
      {"INSERT INTO child VALUES (3, 1, $1)",
       {6},
       StatusCode::kInvalidArgument,
       "23514",
       "rating_range"},
      {"INSERT INTO child VALUES (4, 1, $1)",
       {std::nullopt},
       StatusCode::kInvalidArgument,
       "23502",
       ""},
      {"INSERT INTO child VALUES (5, 1, $1)", {"three"}, StatusCode::kInvalidArgument, "22P02", ""},
      {"SELECT 1 / $1::int", {0}, StatusCode::kInvalidArgument, "22012", ""},
      {"SELEC 1", {}, StatusCode::kInternal, "42601", ""},
      {"SELECT * FROM no_such_table", {}, StatusCode::kInternal, "42P01", ""},
      {"SELECT pg_sleep(2)", {}, StatusCode::kDeadlineExceeded, "57014", ""},
  };
  ASSERT_TRUE(conn->Exec("SET statement_timeout = 100").ok());
  for (const auto& c : cases) {
    auto r = conn->Exec(c.sql, c.params);
    EXPECT_EQ(r.status().code(), c.code) << c.sql << ": " << r.status().ToString();
    EXPECT_EQ(conn->last_error().sqlstate, c.sqlstate) << c.sql;
    EXPECT_EQ(conn->last_error().constraint, c.constraint) << c.sql;
    EXPECT_NE(r.status().message().find("SQLSTATE " + c.sqlstate), std::string::npos);
    EXPECT_FALSE(conn->broken());
  }
  EXPECT_EQ(conn->Exec("INSERT INTO child VALUES (6, 1, NULL)").ok(), false);
  EXPECT_EQ(conn->last_error().column, "rating");
}

TEST_F(PgTest, TransactCommitsOrRollsBackAsAWhole) {
  auto pool = Pool();
  Must(*pool, "CREATE TABLE acct (id int PRIMARY KEY, balance int CHECK (balance >= 0))");
  Must(*pool, "INSERT INTO acct VALUES (1, 100), (2, 0)");
  auto transfer = [&](int amount) {
    return pool->Transact([&](Transaction& tx) -> Status {
      CL_RETURN_IF_ERROR(
          tx.Exec("UPDATE acct SET balance = balance + $1 WHERE id = 2", {amount}).status());
      return tx.Exec("UPDATE acct SET balance = balance - $1 WHERE id = 1", {amount}).status();
    });
  };
  EXPECT_TRUE(transfer(60).ok());
  EXPECT_EQ(transfer(60).code(), StatusCode::kInvalidArgument);  // would overdraw: all undone
  auto r = pool->Exec("SELECT sum(balance) AS total, max(balance) AS most FROM acct");
  EXPECT_EQ((*r)[0].Int("total"), 100);
  EXPECT_EQ((*r)[0].Int("most"), 60);
  // A function error rolls back what it wrote.
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(tx.Exec("DELETE FROM acct").status());
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(*pool, "acct"), 2);
}

TEST_F(PgTest, SwallowedStatementErrorIsNotReportedAsCommitted) {
  auto pool = Pool();
  Must(*pool, "CREATE TABLE u (id int PRIMARY KEY)");
  Must(*pool, "INSERT INTO u VALUES (1)");
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(tx.Exec("INSERT INTO u VALUES (2)").status());
    (void)tx.Exec("INSERT INTO u VALUES (1)");  // fails; the error is ignored
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), StatusCode::kAborted) << st.ToString();
  EXPECT_EQ(Count(*pool, "u"), 1);
}

TEST_F(PgTest, TransactionObjectRollsBackOnScopeExit) {
  auto pool = Pool(1);
  Must(*pool, "CREATE TABLE s (x int)");
  {
    auto conn = pool->Borrow();
    ASSERT_TRUE(conn.ok());
    auto tx = Transaction::Begin(*conn);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->Exec("INSERT INTO s VALUES (1)").ok());
  }  // no Commit
  EXPECT_EQ(Count(*pool, "s"), 0);
  {
    auto conn = pool->Borrow();
    auto tx = Transaction::Begin(*conn, Isolation::kRepeatableRead);
    ASSERT_TRUE((*tx)->Exec("INSERT INTO s VALUES (2)").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
    EXPECT_EQ((*tx)->Commit().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ((*tx)->Exec("SELECT 1").status().code(), StatusCode::kFailedPrecondition);
  }
  EXPECT_EQ(Count(*pool, "s"), 1);
}

TEST_F(PgTest, SerializationFailureIsRetried) {
  auto pool = Pool(2);
  Must(*pool, "CREATE TABLE oncall (doctor int PRIMARY KEY, seq int NOT NULL)");
  std::latch both_read(2);
  std::atomic<int> runs{0};
  auto worker = [&](int doctor) {
    bool first = true;
    Status st = pool->Transact(
        [&](Transaction& tx) -> Status {
          ++runs;
          CL_ASSIGN_OR_RETURN(PgRows r, tx.Exec("SELECT count(*) AS n FROM oncall"));
          if (first) {  // both read before either writes: a write-skew cycle
            first = false;
            both_read.arrive_and_wait();
          }
          return tx.Exec("INSERT INTO oncall VALUES ($1, $2)", {doctor, r[0].Int("n") + 1})
              .status();
        },
        Isolation::kSerializable);
    EXPECT_TRUE(st.ok()) << st.ToString();
  };
  std::thread a(worker, 1), b(worker, 2);
  a.join();
  b.join();
  // One of them ran again (more than once if it restarted before the other committed).
  EXPECT_GE(runs.load(), 3);
  auto r = pool->Exec("SELECT string_agg(seq::text, ',' ORDER BY seq) AS seqs FROM oncall");
  EXPECT_EQ((*r)[0].Str("seqs"), "1,2");  // serial: the retry saw the other's row
}

TEST_F(PgTest, DeadlockIsRetried) {
  auto pool = Pool(2);
  Must(*pool, "CREATE TABLE d (id int PRIMARY KEY, v int)");
  Must(*pool, "INSERT INTO d VALUES (1, 0), (2, 0)");
  std::latch both_locked(2);
  std::atomic<int> runs{0};
  auto worker = [&](int first_row, int second_row) {
    bool first = true;
    Status st = pool->Transact([&](Transaction& tx) -> Status {
      ++runs;
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE d SET v = v + 1 WHERE id = $1", {first_row}).status());
      if (first) {
        first = false;
        both_locked.arrive_and_wait();
      }
      return tx.Exec("UPDATE d SET v = v + 1 WHERE id = $1", {second_row}).status();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
  };
  std::thread a(worker, 1, 2), b(worker, 2, 1);
  a.join();
  b.join();
  // The victim ran again; more than once when its retry took row 1 before the survivor's
  // wait on it was granted, which is the same deadlock again and retried again.
  EXPECT_GE(runs.load(), 3);
  auto r = pool->Exec("SELECT sum(v) AS total FROM d");  // each committed exactly once
  EXPECT_EQ((*r)[0].Int("total"), 4);
}

TEST_F(PgTest, ConflictRetriesAreBounded) {
  PgPoolOptions o;
  o.conflict_retries = 3;
  auto pool = Pool(1, o);
  int runs = 0;
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    ++runs;
    return tx.Exec("DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = '40001'; END $$").status();
  });
  EXPECT_EQ(st.code(), StatusCode::kAborted);
  EXPECT_EQ(runs, 4);
}

TEST_F(PgTest, PoolIsBoundedAndHandsOverReturnedConnections) {
  PgPoolOptions o;
  o.borrow_timeout = std::chrono::milliseconds(100);
  auto pool = Pool(2, o);
  auto c1 = pool->Borrow();
  auto c2 = pool->Borrow();
  ASSERT_TRUE(c1.ok() && c2.ok());
  auto c3 = pool->Borrow();
  EXPECT_EQ(c3.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(c3.status().message().find("2 database connections"), std::string::npos);
  EXPECT_EQ(pool->Exec("SELECT 1").status().code(), StatusCode::kResourceExhausted);
  { PgConn gone = std::move(c1).value(); }
  EXPECT_TRUE(pool->Exec("SELECT 1").ok());
  // A waiter gets the connection when one comes back.
  PgPoolOptions patient;
  patient.borrow_timeout = std::chrono::seconds(30);
  auto pool2 = Pool(1, patient);
  auto held = pool2->Borrow();
  ASSERT_TRUE(held.ok());
  std::atomic<bool> got{false};
  std::thread waiter([&] { got = pool2->Exec("SELECT 1").ok(); });
  { PgConn release = std::move(held).value(); }
  waiter.join();
  EXPECT_TRUE(got.load());
}

TEST_F(PgTest, IdleConnectionClosedByServerIsResetBeforeUse) {
  auto pool = Pool(1);
  auto r = pool->Exec("SELECT pg_backend_pid() AS pid");
  ASSERT_TRUE(r.ok());
  int64_t pid = (*r)[0].Int("pid");
  Terminate(pid);
  // The statement is never sent on the dead session: it runs on a new one.
  r = pool->Exec("SELECT pg_backend_pid() AS pid");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_NE((*r)[0].Int("pid"), pid);
  EXPECT_EQ(pool->reconnects(), 1u);
}

// A repeated statement is prepared once per session and reused: it survives a rolled-back
// transaction (prepared statements are session state, not transactional) and a reconnect
// (the new session prepares it afresh instead of naming one it never had).
TEST_F(PgTest, RepeatedStatementsArePreparedOncePerSession) {
  auto pool = Pool(1);
  const std::string add = "SELECT $1::int + 1 AS n";
  auto prepared_count = [&] {
    auto r =
        pool->Exec("SELECT count(*) AS n FROM pg_prepared_statements WHERE statement = $1", {add});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int("n") : -1;
  };
  for (int i = 0; i < 3; ++i) {
    auto r = pool->Exec(add, {int64_t{i}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ((*r)[0].Int("n"), i + 1);
  }
  EXPECT_EQ(prepared_count(), 1);
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(tx.Exec(add, {int64_t{5}}).status());
    CL_RETURN_IF_ERROR(tx.Exec("SELECT $1::int / 0 AS n", {int64_t{5}}).status());
    return Status::Ok();
  });
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.ToString();  // 22012
  auto r = pool->Exec(add, {int64_t{41}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].Int("n"), 42);
  // A statement the server refuses to prepare reports the server's own error.
  auto bad = pool->Exec("SELECT no_such_column FROM pg_class WHERE oid = $1::oid", {"1"});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no_such_column"), std::string::npos)
      << bad.status().ToString();

  auto pid = pool->Exec("SELECT pg_backend_pid() AS pid");
  ASSERT_TRUE(pid.ok());
  Terminate((*pid)[0].Int("pid"));
  r = pool->Exec(add, {int64_t{1}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].Int("n"), 2);
  EXPECT_EQ(prepared_count(), 1);
}

TEST_F(PgTest, TransactionInterruptedBeforeCommitIsRetriedOnceOnANewConnection) {
  auto pool = Pool(1);
  Must(*pool, "CREATE TABLE once (k text PRIMARY KEY)");
  int runs = 0;
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    ++runs;
    CL_RETURN_IF_ERROR(tx.Exec("INSERT INTO once VALUES ($1)", {"k"}).status());
    if (runs == 1) return tx.Exec(kDie).status();
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count(*pool, "once"), 1);
  EXPECT_EQ(pool->reconnects(), 1u);

  // Lost again on the retry: UNAVAILABLE, nothing applied, not tried a third time.
  runs = 0;
  st = pool->Transact([&](Transaction& tx) -> Status {
    ++runs;
    CL_RETURN_IF_ERROR(tx.Exec("INSERT INTO once VALUES ($1)", {"again"}).status());
    return tx.Exec(kDie).status();
  });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("nothing was applied"), std::string::npos) << st.message();
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(Count(*pool, "once"), 1);
}

TEST_F(PgTest, CommitWithUnknownOutcomeIsNeverRetried) {
  auto pool = Pool(1);
  // A deferred trigger kills the session while COMMIT runs.
  Must(*pool, "CREATE TABLE doomed (x int)");
  Must(*pool,
       "CREATE FUNCTION die() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
       "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10); RETURN NULL; "
       "END $$");
  Must(*pool,
       "CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON doomed DEFERRABLE "
       "INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die()");
  int runs = 0;
  Status st = pool->Transact([&](Transaction& tx) -> Status {
    ++runs;
    return tx.Exec("INSERT INTO doomed VALUES (1)").status();
  });
  EXPECT_EQ(st.code(), StatusCode::kUnavailable);
  EXPECT_NE(st.message().find("outcome is unknown"), std::string::npos) << st.message();
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(pool->Exec("SELECT 1").ok());  // and the pool recovers
}

TEST_F(PgTest, AutocommitStatementLostInFlightIsNotResent) {
  auto pool = Pool(1);
  Must(*pool, "CREATE SEQUENCE calls");
  auto r = pool->Exec(
      "DO $$ BEGIN PERFORM nextval('calls'); "
      "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(10); END $$");
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(r.status().message().find("outcome is unknown"), std::string::npos);
  auto n = pool->Exec("SELECT last_value FROM calls");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ((*n)[0].Int("last_value"), 1);  // ran exactly once
}

TEST_F(PgTest, OpenRefusesBadConninfoAndUnreachableServers) {
  EXPECT_EQ(PgPool::Open("host=127.0.0.1 port=1 nonsense_key=1", 1).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(PgPool::Open("host=127.0.0.1 port=1 user=carledger dbname=x", 1).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(PgPool::Open(conninfo(), 0).status().code(), StatusCode::kInvalidArgument);
  // Options in the conninfo win over the pool's defaults.
  auto pool = PgPool::Open(conninfo() + " application_name=pgtest", 1);
  ASSERT_TRUE(pool.ok());
  auto r = (*pool)->Exec(
      "SELECT current_setting('application_name') AS a, "
      "current_setting('statement_timeout') AS t");
  EXPECT_EQ((*r)[0].Str("a"), "pgtest");
  EXPECT_EQ((*r)[0].Str("t"), "30s");
}

}  // namespace
}  // namespace carledger::store
