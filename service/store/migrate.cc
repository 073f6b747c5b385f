#include "service/store/migrate.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "common/crypto.h"

namespace carledger::store {

namespace internal {
// Defined in the generated embedded_migrations.cc: {file name, SQL text} per migration.
const std::vector<std::pair<std::string, std::string>>& EmbeddedMigrationFiles();
}  // namespace internal

namespace {

// pg_advisory_xact_lock key that serialises Migrate() across nodes: "cl_migr" in ASCII.
constexpr int64_t kMigrationLockKey = 0x636c5f6d696772;

constexpr char kCreateMigrationsTable[] = R"(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY CHECK (version > 0),
  name       text NOT NULL,
  checksum   text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
  applied_at timestamptz NOT NULL DEFAULT now()
))";

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string Trimmed(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Version4(int v) {
  std::string s = std::to_string(v);
  return std::string(s.size() < 4 ? 4 - s.size() : 0, '0') + s;
}

}  // namespace

Result<std::vector<std::string>> SplitSqlScript(std::string_view s) {
  std::vector<std::string> out;
  const size_t n = s.size();
  size_t start = 0, i = 0;
  bool meaningful = false;
  auto unterminated = [](const char* what) {
    return Status::InvalidArgument(std::string("unterminated ") + what);
  };
  while (i < n) {
    char c = s[i];
    char next = i + 1 < n ? s[i + 1] : '\0';
    if (c == '-' && next == '-') {
      size_t nl = s.find('\n', i);
      i = nl == std::string_view::npos ? n : nl;
    } else if (c == '/' && next == '*') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (s.compare(i, 2, "/*") == 0) {
          ++depth, i += 2;
        } else if (s.compare(i, 2, "*/") == 0) {
          --depth, i += 2;
        } else {
          ++i;
        }
      }
      if (depth > 0) return unterminated("comment");
    } else if (c == '\'' || c == '"') {
      // E'...' allows backslash escapes; '' (or "") is an escaped quote in every form.
      bool backslash = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
                       (i < 2 || !IsIdentChar(s[i - 2]));
      meaningful = true;
      ++i;
      for (;;) {
        if (i >= n) return unterminated(c == '\'' ? "string" : "quoted identifier");
        if (backslash && s[i] == '\\') {
          i += 2;
        } else if (s[i] == c) {
          if (i + 1 < n && s[i + 1] == c) {
            i += 2;
          } else {
            ++i;
            break;
          }
        } else {
          ++i;
        }
      }
    } else if (c == '$' && (i == 0 || !IsIdentChar(s[i - 1])) &&
               !std::isdigit(static_cast<unsigned char>(next))) {
      size_t j = i + 1;
      while (j < n && IsIdentChar(s[j]) && s[j] != '$') ++j;
      if (j < n && s[j] == '$') {
        std::string_view tag = s.substr(i, j - i + 1);
        size_t close = s.find(tag, j + 1);
        if (close == std::string_view::npos) return unterminated("dollar-quoted string");
        i = close + tag.size();
        meaningful = true;
      } else {
        ++i;
        meaningful = true;
      }
    } else if (c == ';') {
      if (meaningful) out.push_back(Trimmed(s.substr(start, i - start)));
      meaningful = false;
      start = ++i;
    } else {
      if (!std::isspace(static_cast<unsigned char>(c))) meaningful = true;
      ++i;
    }
  }
  if (meaningful) out.push_back(Trimmed(s.substr(start)));
  return out;
}

Result<Migration> MakeMigration(std::string file, std::string sql) {
  size_t digits = 0;
  while (digits < file.size() && std::isdigit(static_cast<unsigned char>(file[digits]))) ++digits;
  bool ok = digits >= 4 && digits < 9 && file.size() > digits + 5 && file[digits] == '_' &&
            file.ends_with(".sql");
  std::string name = ok ? file.substr(digits + 1, file.size() - digits - 5) : "";
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      ok = false;
    }
  }
  int version = ok ? std::stoi(file.substr(0, digits)) : 0;
  if (!ok || version < 1 || name.empty()) {
    return Status::InvalidArgument(file +
                                   ": a migration file must be named NNNN_name.sql (NNNN >= "
                                   "0001, name of lower-case letters, digits and '_')");
  }
  Migration m;
  m.version = version;
  m.name = std::move(name);
  m.file = std::move(file);
  m.checksum = ToHex(Sha256(sql));
  m.sql = std::move(sql);
  return m;
}

Result<std::vector<Migration>> EmbeddedMigrations() {
  std::vector<Migration> out;
  for (const auto& [file, sql] : internal::EmbeddedMigrationFiles()) {
    CL_ASSIGN_OR_RETURN(Migration m, MakeMigration(file, sql));
    out.push_back(std::move(m));
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].version == out[i - 1].version) {
      return Status::InvalidArgument(out[i - 1].file + " and " + out[i].file + " share a version");
    }
  }
  return out;
}

Result<int> Migrate(PgPool& pool) {
  CL_ASSIGN_OR_RETURN(auto migrations, EmbeddedMigrations());
  return Migrate(pool, migrations);
}

Result<int> Migrate(PgPool& pool, const std::vector<Migration>& input) {
  std::vector<Migration> ms = input;
  std::sort(ms.begin(), ms.end(), [](auto& a, auto& b) { return a.version < b.version; });
  std::vector<std::vector<std::string>> statements;
  for (size_t i = 0; i < ms.size(); ++i) {
    if (i > 0 && ms[i].version == ms[i - 1].version) {
      return Status::InvalidArgument(ms[i - 1].file + " and " + ms[i].file + " share a version");
    }
    auto split = SplitSqlScript(ms[i].sql);
    if (!split.ok()) return split.status().WithContext(ms[i].file);
    statements.push_back(std::move(split).value());
  }
  int applied = 0;
  Status st = pool.Transact([&](Transaction& tx) -> Status {
    applied = 0;
    CL_RETURN_IF_ERROR(tx.Exec("SELECT pg_advisory_xact_lock($1)", {kMigrationLockKey}).status());
    CL_RETURN_IF_ERROR(tx.Exec(kCreateMigrationsTable).status());
    CL_ASSIGN_OR_RETURN(
        PgRows rows,
        tx.Exec("SELECT version, name, checksum FROM schema_migrations ORDER BY version"));
    std::map<int, const Migration*> by_version;
    for (const auto& m : ms) by_version[m.version] = &m;
    int newest_applied = 0;
    std::string newest_file;
    std::map<int, bool> done;
    for (size_t r = 0; r < rows.size(); ++r) {
      int v = static_cast<int>(rows[r].Int("version"));
      auto it = by_version.find(v);
      if (it == by_version.end()) {
        return Status::FailedPrecondition(
            "the database has migration " + Version4(v) + "_" + rows[r].Str("name") +
            ".sql, which this binary does not have: a newer CarLedger migrated it");
      }
      if (it->second->checksum != rows[r].Str("checksum")) {
        return Status::FailedPrecondition(
            it->second->file + " was changed after it was applied (checksum " +
            rows[r].Str("checksum") + " in the database, " + it->second->checksum +
            " in this binary); an applied migration must never change: add a new one instead");
      }
      done[v] = true;
      newest_applied = v;
      newest_file = it->second->file;
    }
    for (size_t i = 0; i < ms.size(); ++i) {
      const Migration& m = ms[i];
      if (done.count(m.version)) continue;
      if (m.version < newest_applied) {
        return Status::FailedPrecondition(m.file + " is older than " + newest_file +
                                          ", which is already applied; renumber it after it");
      }
      for (const std::string& stmt : statements[i]) {
        auto r = tx.Exec(stmt);
        if (!r.ok()) return r.status().WithContext(m.file);
      }
      CL_RETURN_IF_ERROR(tx.Exec("INSERT INTO schema_migrations (version, name, checksum) "
                                 "VALUES ($1, $2, $3)",
                                 {m.version, m.name, m.checksum})
                             .status());
      ++applied;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return applied;
}

}  // namespace carledger::store
