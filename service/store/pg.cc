#include "service/store/pg.h"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>
#include <unordered_map>

#include "common/crypto.h"

namespace carledger::store {

struct PgConn::Slot {
  PGconn* conn = nullptr;
  bool broken = false;  // lost; reset before it is lent again
  bool connected_once = false;
  bool fatal_notice = false;  // the server announced (FATAL) that it is closing this session
  // Statements prepared on this session, by their text, with their server-side names: a
  // repeated statement then skips the server's parsing and, once PostgreSQL settles on a
  // generic plan, its planning. Session state, so a reconnect starts it afresh.
  std::unordered_map<std::string, std::string> prepared;
};

namespace {

[[noreturn]] void Fatal(const std::string& message) {
  std::fprintf(stderr, "carledger store: %s\n", message.c_str());
  std::abort();
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Field(const PGresult* r, int field) {
  const char* v = PQresultErrorField(r, field);
  return v ? v : "";
}

bool IsConnectionLoss(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

// The server sends an ErrorResponse with severity FATAL before it closes a session (e.g.
// "terminating connection due to administrator command" on shutdown). Arriving while the
// connection is idle, libpq hands it to the notice receiver.
void OnNotice(void* arg, const PGresult* r) {
  std::string severity = Field(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  if (severity == "FATAL" || severity == "PANIC")
    static_cast<PgConn::Slot*>(arg)->fatal_notice = true;
}

// True when `slot` can be used without resetting it. Reads whatever the server sent while
// the connection sat idle, so a session the server already closed is noticed here, before
// a statement is sent on it.
bool Healthy(PgConn::Slot* slot) {
  if (slot->conn == nullptr || slot->broken || slot->fatal_notice) return false;
  if (PQstatus(slot->conn) != CONNECTION_OK) return false;
  if (PQtransactionStatus(slot->conn) != PQTRANS_IDLE) return false;
  pollfd p{PQsocket(slot->conn), POLLIN, 0};
  int n = poll(&p, 1, 0);
  if (n < 0) return false;
  if (n > 0) {
    if (p.revents & (POLLERR | POLLNVAL)) return false;
    if (!PQconsumeInput(slot->conn)) return false;
    PQisBusy(slot->conn);  // parses what arrived; an ErrorResponse goes to OnNotice
  }
  return !slot->fatal_notice && PQstatus(slot->conn) == CONNECTION_OK;
}

const char* IsolationSql(Isolation isolation) {
  switch (isolation) {
    case Isolation::kReadCommitted:
      return "BEGIN";
    case Isolation::kRepeatableRead:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kSerializable:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
  }
  return "BEGIN";
}

}  // namespace

// ---- PgValue ----

PgValue PgValue::Bytea(std::string_view bytes) {
  return PgValue("\\x" + ToHex(bytes));
}

PgValue PgValue::TimeMs(int64_t unix_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> tp{milliseconds(unix_ms)};
  auto day = floor<days>(tp);
  year_month_day ymd(day);
  hh_mm_ss<milliseconds> hms(tp - day);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d.%03d+00",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return PgValue(std::string(buf));
}

// ---- PgRow / PgRows ----

int PgRow::Col(std::string_view column) const {
  int c = PQfnumber(r_.get(), std::string(column).c_str());
  if (c < 0) Fatal("result has no column \"" + std::string(column) + "\"");
  if (row_ < 0 || row_ >= PQntuples(r_.get())) Fatal("row index out of range");
  return c;
}

bool PgRow::IsNull(std::string_view column) const {
  return PQgetisnull(r_.get(), row_, Col(column));
}

std::string PgRow::Str(std::string_view column) const {
  return OptStr(column).value_or("");
}

std::optional<std::string> PgRow::OptStr(std::string_view column) const {
  int c = Col(column);
  if (PQgetisnull(r_.get(), row_, c)) return std::nullopt;
  return std::string(PQgetvalue(r_.get(), row_, c), PQgetlength(r_.get(), row_, c));
}

int64_t PgRow::Int(std::string_view column) const {
  return OptInt(column).value_or(0);
}

std::optional<int64_t> PgRow::OptInt(std::string_view column) const {
  auto s = OptStr(column);
  if (!s) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
  if (ec != std::errc() || end != s->data() + s->size()) {
    Fatal("column \"" + std::string(column) + "\" is not an integer: " + *s);
  }
  return v;
}

bool PgRow::Bool(std::string_view column) const {
  return Str(column) == "t";
}

std::string PgRow::Bytea(std::string_view column) const {
  std::string s = Str(column);
  if (s.empty()) return s;
  if (s.rfind("\\x", 0) != 0) Fatal("column \"" + std::string(column) + "\" is not hex bytea");
  auto bytes = FromHex(std::string_view(s).substr(2));
  if (!bytes.ok()) Fatal("column \"" + std::string(column) + "\": " + bytes.status().message());
  return std::move(bytes).value();
}

std::string PgRows::command_tag() const {
  return r_ ? PQcmdStatus(r_.get()) : "";
}

size_t PgRows::size() const {
  return r_ ? static_cast<size_t>(PQntuples(r_.get())) : 0;
}

int64_t PgRows::affected() const {
  if (!r_) return 0;
  const char* n = PQcmdTuples(r_.get());
  return (n && *n) ? std::strtoll(n, nullptr, 10) : 0;
}

// ---- errors ----

Status StatusFromSqlState(const std::string& sqlstate, const std::string& message,
                          const std::string& constraint) {
  std::string m = Trim(message) + " [SQLSTATE " + sqlstate;
  if (!constraint.empty()) m += ", constraint " + constraint;
  m += "]";
  std::string cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") return Status::AlreadyExists(m);
  if (sqlstate == "23503" || sqlstate == "23P01") return Status::FailedPrecondition(m);
  if (sqlstate == "23514" || sqlstate == "23502" || cls == "22") return Status::InvalidArgument(m);
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "25P02") {
    return Status(StatusCode::kAborted, m);
  }
  if (sqlstate == "57014") return Status::DeadlineExceeded(m);
  if (IsConnectionLoss(sqlstate)) return Status::Unavailable(m);
  if (cls == "53") return Status::ResourceExhausted(m);
  return Status::Internal(m);
}

bool IsRetryableConflict(const std::string& sqlstate) {
  return sqlstate == "40001" || sqlstate == "40P01";
}

// ---- PgConn ----

PgConn::PgConn(PgConn&& other) noexcept
    : pool_(other.pool_), slot_(other.slot_), last_error_(std::move(other.last_error_)) {
  other.pool_ = nullptr;
  other.slot_ = nullptr;
}

PgConn::~PgConn() {
  if (pool_ != nullptr) pool_->Return(slot_);
}

bool PgConn::broken() const {
  return slot_->broken;
}

namespace {

// At most this many statements are kept prepared per session: statements whose text is
// built per call (dynamic filters, multi-row inserts) would otherwise pile up.
constexpr size_t kMaxPreparedPerSession = 256;

// Plain data statements are worth preparing; utility commands (BEGIN, COMMIT, SET, DDL)
// are cheap to parse and some cannot be prepared.
bool WorthPreparing(std::string_view sql) {
  size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t')) ++i;
  std::string word;
  for (; i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])) && word.size() < 8; ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
  return word == "SELECT" || word == "INSERT" || word == "UPDATE" || word == "DELETE" ||
         word == "WITH";
}

}  // namespace

Result<PgRows> PgConn::Exec(std::string_view sql, const PgParams& params) {
  last_error_ = {};
  if (slot_->broken || slot_->conn == nullptr) {
    return Status::Unavailable("connection to the database lost");
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (params[i].is_null()) {
      values.push_back(nullptr);
      continue;
    }
    if (params[i].text().find('\0') != std::string::npos) {
      return Status::InvalidArgument("parameter $" + std::to_string(i + 1) +
                                     " contains a NUL byte");
    }
    values.push_back(params[i].text().c_str());
  }
  std::string text(sql);
  const int n = static_cast<int>(values.size());
  auto prepared = slot_->prepared.find(text);
  if (prepared == slot_->prepared.end() && slot_->prepared.size() < kMaxPreparedPerSession &&
      WorthPreparing(text)) {
    std::string name = "carledger_" + std::to_string(slot_->prepared.size());
    std::shared_ptr<PGresult> p(PQprepare(slot_->conn, name.c_str(), text.c_str(), n, nullptr),
                                PQclear);
    if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK) return Finish(std::move(p));
    prepared = slot_->prepared.emplace(std::move(text), std::move(name)).first;
  }
  std::shared_ptr<PGresult> r(
      prepared != slot_->prepared.end()
          ? PQexecPrepared(slot_->conn, prepared->second.c_str(), n, values.data(), nullptr,
                           nullptr, 0)
          : PQexecParams(slot_->conn, text.c_str(), n, nullptr, values.data(), nullptr, nullptr, 0),
      PQclear);
  return Finish(std::move(r));
}

Result<PgRows> PgConn::Finish(std::shared_ptr<PGresult> r) {
  ExecStatusType st = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return PgRows(r);
  std::string sqlstate = r ? Field(r.get(), PG_DIAG_SQLSTATE) : "";
  if (PQstatus(slot_->conn) != CONNECTION_OK || IsConnectionLoss(sqlstate) || !r) {
    slot_->broken = true;
    return Status::Unavailable("connection to the database lost: " +
                               Trim(PQerrorMessage(slot_->conn)));
  }
  if (st != PGRES_FATAL_ERROR && st != PGRES_NONFATAL_ERROR) {
    return Status::Internal(std::string("unexpected result: ") + PQresStatus(st));
  }
  last_error_ = PgError{sqlstate, Field(r.get(), PG_DIAG_CONSTRAINT_NAME),
                        Field(r.get(), PG_DIAG_COLUMN_NAME)};
  return StatusFromSqlState(sqlstate, Field(r.get(), PG_DIAG_MESSAGE_PRIMARY),
                            last_error_.constraint);
}

// ---- Transaction ----

Result<std::unique_ptr<Transaction>> Transaction::Begin(PgConn& conn, Isolation isolation) {
  CL_RETURN_IF_ERROR(conn.Exec(IsolationSql(isolation)).status());
  return std::unique_ptr<Transaction>(new Transaction(conn));
}

Transaction::~Transaction() {
  Rollback();
}

Result<PgRows> Transaction::Exec(std::string_view sql, const PgParams& params) {
  if (finished_) return Status::FailedPrecondition("transaction already finished");
  auto r = conn_.Exec(sql, params);
  if (!r.ok() && first_failure_.empty()) {
    first_failure_ = conn_.last_error().sqlstate.empty() ? "?" : conn_.last_error().sqlstate;
  }
  return r;
}

Status Transaction::Commit() {
  if (finished_) return Status::FailedPrecondition("transaction already finished");
  finished_ = true;
  auto r = conn_.Exec("COMMIT");
  if (!r.ok()) {
    if (conn_.broken()) {
      commit_unknown_ = true;
      return Status::Unavailable(
          "connection to the database lost during COMMIT: the transaction's outcome is unknown "
          "(it may or may not have been applied); check before repeating it");
    }
    if (first_failure_.empty()) first_failure_ = conn_.last_error().sqlstate;
    return r.status();
  }
  // COMMIT of a transaction in which a statement failed succeeds with the tag ROLLBACK.
  if (r->command_tag() != "COMMIT") {
    return Status(StatusCode::kAborted,
                  "transaction rolled back by the server: a statement in it had failed");
  }
  return Status::Ok();
}

void Transaction::Rollback() {
  if (finished_) return;
  finished_ = true;
  if (!conn_.broken()) (void)conn_.Exec("ROLLBACK");
}

// ---- PgPool ----

PgPool::PgPool(std::string conninfo, PgPoolOptions options)
    : conninfo_(std::move(conninfo)), options_(options) {
  for (int i = 0; i < options_.size; ++i) {
    slots_.push_back(std::make_unique<PgConn::Slot>());
    free_.push_back(slots_.back().get());
  }
}

PgPool::~PgPool() {
  if (free_.size() != slots_.size()) Fatal("PgPool destroyed while connections are borrowed");
  for (auto& s : slots_) {
    if (s->conn != nullptr) PQfinish(s->conn);
  }
}

Result<std::unique_ptr<PgPool>> PgPool::Open(const std::string& conninfo, int size) {
  PgPoolOptions options;
  options.size = size;
  return Open(conninfo, options);
}

Result<std::unique_ptr<PgPool>> PgPool::Open(const std::string& conninfo, PgPoolOptions options) {
  if (options.size < 1) return Status::InvalidArgument("pool size must be at least 1");
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &err);
  if (parsed == nullptr) {
    std::string m = err ? Trim(err) : "out of memory";
    PQfreemem(err);
    return Status::InvalidArgument("conninfo: " + m);
  }
  PQconninfoFree(parsed);
  std::unique_ptr<PgPool> pool(new PgPool(conninfo, options));
  CL_RETURN_IF_ERROR(pool->Borrow().status());
  return pool;
}

uint64_t PgPool::reconnects() const {
  std::lock_guard l(mu_);
  return reconnects_;
}

Status PgPool::Connect(PgConn::Slot* slot) {
  if (slot->conn != nullptr) PQfinish(slot->conn);
  slot->conn = nullptr;
  slot->broken = true;
  slot->fatal_notice = false;
  slot->prepared.clear();
  // Entries before "dbname" can be overridden by the expanded conninfo.
  std::string timeout = std::to_string(options_.connect_timeout_s);
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {timeout.c_str(), "carledger-node", conninfo_.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) {
    std::string m = c ? Trim(PQerrorMessage(c)) : "out of memory";
    if (c) PQfinish(c);
    return Status::Unavailable("cannot connect to the database: " + m);
  }
  PQsetNoticeReceiver(c, OnNotice, slot);
  if (options_.statement_timeout.count() > 0) {
    std::string ms = std::to_string(options_.statement_timeout.count());
    const char* p[] = {ms.c_str()};
    PGresult* r = PQexecParams(c, "SELECT set_config('statement_timeout', $1, false)", 1, nullptr,
                               p, nullptr, nullptr, 0);
    bool ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    if (!ok) {
      std::string m = Trim(PQerrorMessage(c));
      PQfinish(c);
      return Status::Unavailable("cannot set up the database session: " + m);
    }
  }
  slot->conn = c;
  slot->broken = false;
  if (slot->connected_once) {
    std::lock_guard l(mu_);
    ++reconnects_;
  }
  slot->connected_once = true;
  return Status::Ok();
}

void PgPool::Return(PgConn::Slot* slot) {
  {
    std::lock_guard l(mu_);
    free_.push_back(slot);
  }
  cv_.notify_one();
}

Result<PgConn> PgPool::Borrow() {
  PgConn::Slot* slot = nullptr;
  {
    std::unique_lock l(mu_);
    if (!cv_.wait_for(l, options_.borrow_timeout, [&] { return !free_.empty(); })) {
      return Status::ResourceExhausted("all " + std::to_string(options_.size) +
                                       " database connections stayed busy for " +
                                       std::to_string(options_.borrow_timeout.count()) + " ms");
    }
    slot = free_.back();
    free_.pop_back();
  }
  PgConn conn(this, slot);  // returns the slot however this ends
  if (!Healthy(slot)) CL_RETURN_IF_ERROR(Connect(slot));
  return conn;
}

Result<PgRows> PgPool::Exec(std::string_view sql, const PgParams& params) {
  CL_ASSIGN_OR_RETURN(PgConn conn, Borrow());
  auto r = conn.Exec(sql, params);
  if (!r.ok() && conn.broken()) {
    return Status::Unavailable(
        "connection to the database lost while a statement ran: its outcome is unknown (" +
        r.status().message() + ")");
  }
  return r;
}

Status PgPool::Transact(const std::function<Status(Transaction&)>& fn, Isolation isolation) {
  int reconnect_retries = 1;
  int conflict_retries = options_.conflict_retries;
  thread_local std::minstd_rand rng(std::random_device{}());
  for (int attempt = 1;; ++attempt) {
    CL_ASSIGN_OR_RETURN(PgConn conn, Borrow());
    Status st;
    bool unknown = false;
    std::string failure;
    {
      auto tx = Transaction::Begin(conn, isolation);
      if (!tx.ok()) {
        st = tx.status();
      } else {
        st = fn(**tx);
        if (st.ok() && !(*tx)->finished()) st = (*tx)->Commit();
        unknown = (*tx)->commit_outcome_unknown();
        failure = (*tx)->first_failure();
      }
    }  // rolls back unless committed
    if (st.ok() || unknown) return st;
    if (conn.broken()) {
      // COMMIT was never sent, so nothing was applied: safe to run again on a new session.
      if (reconnect_retries-- > 0) continue;
      return Status::Unavailable(
          "connection to the database lost (twice) before the transaction "
          "committed; nothing was applied: " +
          st.message());
    }
    if (IsRetryableConflict(failure) && conflict_retries-- > 0) {
      int cap = std::min(50, 2 * attempt);
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng() % cap));
      continue;
    }
    return st;
  }
}

}  // namespace carledger::store
