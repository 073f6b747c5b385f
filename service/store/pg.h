// PostgreSQL access for the service: a bounded pool of libpq connections, parameterised
// statements, transactions with retry, and server errors mapped onto Status.
//
// Every value reaches the server as a separate text parameter of PQexecParams, never inside
// the SQL text, so no input can change what a statement means. A connection broken by a
// database restart is reset and the work retried once, but only when that cannot apply it
// twice: the statement was never sent (the break was noticed before sending), or the
// transaction it belonged to never reached COMMIT. A COMMIT whose reply was lost is reported
// as UNAVAILABLE ("outcome unknown"), never retried.
#pragma once

#include <chrono>
#include <concepts>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace carledger::store {

// One statement parameter: text that PostgreSQL parses as the parameter's type, or NULL.
class PgValue {
 public:
  PgValue(std::nullopt_t) {}                           // NOLINT: implicit by design
  PgValue(std::string v) : v_(std::move(v)) {}         // NOLINT
  PgValue(std::string_view v) : v_(std::string(v)) {}  // NOLINT
  PgValue(const char* v) : v_(std::string(v)) {}       // NOLINT
  PgValue(bool v) : v_(v ? "true" : "false") {}        // NOLINT
  template <std::integral I>
  requires(!std::same_as<I, bool>) PgValue(I v) : v_(std::to_string(v)) {}  // NOLINT
  template <typename T>
  PgValue(const std::optional<T>& v) {  // NOLINT
    if (v) *this = PgValue(*v);
  }
  // A bytea value (sent in PostgreSQL's hex input form, "\x...").
  static PgValue Bytea(std::string_view bytes);
  // A timestamptz from Unix milliseconds (sent as ISO 8601 in UTC).
  static PgValue TimeMs(int64_t unix_ms);

  bool is_null() const { return !v_.has_value(); }
  const std::string& text() const { return *v_; }

 private:
  std::optional<std::string> v_;
};
using PgParams = std::vector<PgValue>;

// One row of a result. Column names are the SELECT's output names. Asking for a column the
// result does not have, or reading a non-integer as an integer, is a programming error and
// aborts with a message.
class PgRow {
 public:
  bool IsNull(std::string_view column) const;
  // The text value; "" for NULL.
  std::string Str(std::string_view column) const;
  std::optional<std::string> OptStr(std::string_view column) const;
  // An integer column (smallint, integer, bigint); 0 for NULL.
  int64_t Int(std::string_view column) const;
  std::optional<int64_t> OptInt(std::string_view column) const;
  // A boolean column; false for NULL.
  bool Bool(std::string_view column) const;
  // A bytea column, decoded to raw bytes; "" for NULL.
  std::string Bytea(std::string_view column) const;

 private:
  friend class PgRows;
  PgRow(std::shared_ptr<PGresult> r, int row) : r_(std::move(r)), row_(row) {}
  int Col(std::string_view column) const;
  std::shared_ptr<PGresult> r_;
  int row_;
};

// The result of one statement.
class PgRows {
 public:
  PgRows() = default;
  explicit PgRows(std::shared_ptr<PGresult> r) : r_(std::move(r)) {}
  size_t size() const;
  bool empty() const { return size() == 0; }
  // Rows inserted, updated or deleted (PQcmdTuples); for SELECT, the rows returned.
  int64_t affected() const;
  // The command tag, e.g. "INSERT 0 1" or "COMMIT".
  std::string command_tag() const;
  PgRow operator[](size_t i) const { return PgRow(r_, static_cast<int>(i)); }

 private:
  std::shared_ptr<PGresult> r_;
};

// What the server said about the last failed statement (empty when it did not fail or the
// failure was not the server's, e.g. a lost connection).
struct PgError {
  std::string sqlstate;    // e.g. "23505"
  std::string constraint;  // the violated constraint's name, if any
  std::string column;      // the offending column, if any (not-null violations)
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

class PgPool;

// A connection borrowed from a PgPool; returned to the pool when destroyed. Used by one
// thread at a time.
class PgConn {
 public:
  PgConn(PgConn&& other) noexcept;
  PgConn& operator=(PgConn&&) = delete;
  ~PgConn();

  // Runs one statement with `params` bound to $1, $2, ... (autocommit unless inside a
  // Transaction). INVALID_ARGUMENT for a parameter holding a NUL byte (libpq would cut it).
  // A lost connection gives UNAVAILABLE and marks the connection broken.
  Result<PgRows> Exec(std::string_view sql, const PgParams& params = {});
  // True once the connection was lost; the pool resets it before lending it again.
  bool broken() const;
  // The server's diagnostics for the last failed Exec.
  const PgError& last_error() const { return last_error_; }

  struct Slot;  // the pool's per-connection state (pg.cc)

 private:
  friend class PgPool;
  PgConn(PgPool* pool, Slot* slot) : pool_(pool), slot_(slot) {}
  // Maps a statement's result onto rows or a Status (marking the connection broken when
  // the server is gone).
  Result<PgRows> Finish(std::shared_ptr<PGresult> r);
  PgPool* pool_;
  Slot* slot_;
  PgError last_error_;
};

// BEGIN on construction through Begin(); COMMIT through Commit(); ROLLBACK when destroyed
// uncommitted (if the connection is still usable).
class Transaction {
 public:
  // Starts a transaction on `conn` (which must outlive it).
  static Result<std::unique_ptr<Transaction>> Begin(
      PgConn& conn, Isolation isolation = Isolation::kReadCommitted);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // Runs one statement inside the transaction (see PgConn::Exec).
  Result<PgRows> Exec(std::string_view sql, const PgParams& params = {});
  // Commits. ABORTED when the server rolled back instead (an earlier statement failed, or a
  // serialization conflict at commit). UNAVAILABLE when the connection broke while COMMIT
  // was in flight: the outcome is then unknown (commit_outcome_unknown() is true).
  Status Commit();
  // Rolls back now (also done by the destructor).
  void Rollback();

  bool finished() const { return finished_; }
  bool commit_outcome_unknown() const { return commit_unknown_; }
  // SQLSTATE of the first statement that failed in this transaction ("" if none).
  const std::string& first_failure() const { return first_failure_; }
  // Diagnostics of the most recent failed statement.
  const PgError& last_error() const { return conn_.last_error(); }
  PgConn& conn() { return conn_; }

 private:
  explicit Transaction(PgConn& conn) : conn_(conn) {}
  PgConn& conn_;
  bool finished_ = false;
  bool commit_unknown_ = false;
  std::string first_failure_;
};

struct PgPoolOptions {
  int size = 8;                                        // connections, at most
  std::chrono::milliseconds borrow_timeout{5000};      // waiting for a free connection
  int connect_timeout_s = 5;                           // per connection attempt
  std::chrono::milliseconds statement_timeout{30000};  // 0: none
  int conflict_retries = 8;  // serialization failures / deadlocks retried by Transact
};

// A bounded pool of connections to one database. Thread-safe. Connections are made on
// demand; one that broke (e.g. the server restarted) is reset before it is lent again.
class PgPool {
 public:
  // Checks `conninfo` (a libpq connection string or URI) and makes one connection, so a
  // wrong address fails here: INVALID_ARGUMENT for a malformed conninfo, UNAVAILABLE when
  // the server cannot be reached.
  static Result<std::unique_ptr<PgPool>> Open(const std::string& conninfo, int size);
  static Result<std::unique_ptr<PgPool>> Open(const std::string& conninfo, PgPoolOptions options);
  // Every borrowed PgConn must have been returned.
  ~PgPool();
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // Lends a healthy connection, waiting up to options.borrow_timeout for one to be free:
  // RESOURCE_EXHAUSTED when none frees up in time, UNAVAILABLE when the server cannot be
  // reached. A connection found broken (even one the server closed while it sat idle) is
  // reset here, before anything is sent on it.
  Result<PgConn> Borrow();

  // One statement in autocommit on a borrowed connection. Never retried after it was sent:
  // a connection lost while it ran gives UNAVAILABLE ("outcome unknown").
  Result<PgRows> Exec(std::string_view sql, const PgParams& params = {});

  // Runs `fn` inside BEGIN ... COMMIT and returns its Status (or the commit's). `fn` may run
  // more than once, so it must have no effects outside the transaction: it is re-run on a
  // serialization failure (40001) or deadlock (40P01), up to options.conflict_retries times,
  // and once after the connection broke before COMMIT was sent (on a reset connection). A
  // COMMIT whose outcome is unknown is returned as UNAVAILABLE, never re-run. `fn` must
  // not borrow another connection from this pool (it could wait for itself).
  Status Transact(const std::function<Status(Transaction&)>& fn,
                  Isolation isolation = Isolation::kReadCommitted);

  int size() const { return options_.size; }
  // The connection string the pool connects with (for a dedicated connection, e.g. LISTEN).
  const std::string& conninfo() const { return conninfo_; }
  // Connections re-established after they broke (for monitoring and tests).
  uint64_t reconnects() const;

 private:
  friend class PgConn;
  PgPool(std::string conninfo, PgPoolOptions options);
  Status Connect(PgConn::Slot* slot);
  void Return(PgConn::Slot* slot);

  const std::string conninfo_;
  const PgPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConn::Slot>> slots_;
  std::vector<PgConn::Slot*> free_;
  uint64_t reconnects_ = 0;
};

// Maps a failed result onto a Status: 23505 -> ALREADY_EXISTS, 23503 -> FAILED_PRECONDITION,
// 23514/23502/22xxx -> INVALID_ARGUMENT, 40001/40P01 -> ABORTED, 57014 -> DEADLINE_EXCEEDED,
// 08xxx/57P0x -> UNAVAILABLE, 53xxx -> RESOURCE_EXHAUSTED, anything else -> INTERNAL. The
// message carries the server's text and the SQLSTATE (and constraint, when there is one).
Status StatusFromSqlState(const std::string& sqlstate, const std::string& message,
                          const std::string& constraint);

// True for SQLSTATEs after which the whole transaction may simply be run again.
bool IsRetryableConflict(const std::string& sqlstate);

}  // namespace carledger::store
