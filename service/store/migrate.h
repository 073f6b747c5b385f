// Schema migrations: versioned SQL files (service/store/migrations/NNNN_name.sql) compiled
// into the binary and applied at start.
//
// Migrate() runs every pending migration in one transaction under an advisory lock, so
// nodes starting together apply each exactly once and a failed migration leaves nothing
// behind. Applied migrations are recorded with a SHA-256 checksum of their text; an
// applied migration whose file later changed is refused (FAILED_PRECONDITION naming the
// file) rather than silently diverging from what the database holds. Migrations must be
// transactional SQL (no CREATE INDEX CONCURRENTLY, no VACUUM).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/store/pg.h"

namespace carledger::store {

struct Migration {
  int version = 0;   // from the file name's leading digits
  std::string name;  // the rest of the file name, without ".sql"
  std::string file;  // e.g. "0001_initial.sql"
  std::string sql;
  std::string checksum;  // hex SHA-256 of sql
};

// Builds a Migration from a file name "NNNN_name.sql" (NNNN >= 1) and its text.
// INVALID_ARGUMENT naming the file when the name does not have that form.
Result<Migration> MakeMigration(std::string file, std::string sql);

// The migrations embedded in this binary, in version order (checked: versions unique).
Result<std::vector<Migration>> EmbeddedMigrations();

// Applies the pending migrations of `migrations` (any order; sorted here) and returns how
// many were applied. FAILED_PRECONDITION when an applied migration's checksum differs from
// its file, when the database holds a migration this list does not know (a newer binary
// migrated it), or when a pending migration is older than one already applied. A failing
// migration's error names its file; nothing of that run is kept.
Result<int> Migrate(PgPool& pool, const std::vector<Migration>& migrations);
// Migrate(pool, EmbeddedMigrations()).
Result<int> Migrate(PgPool& pool);

// Splits a SQL script into statements at top-level semicolons, honouring quotes ('...',
// E'...', "..."), dollar quoting ($$...$$, $tag$...$tag$) and comments (--, nested /* */).
// Statements holding only whitespace and comments are dropped. INVALID_ARGUMENT for an
// unterminated quote or comment.
Result<std::vector<std::string>> SplitSqlScript(std::string_view script);

}  // namespace carledger::store
