// AccountStore: sign-in with rate limiting, token issue and rotation, logout and
// authentication (see accounts.h for the token design).
#include <algorithm>
#include <cctype>

#include "service/store/account_fields.h"
#include "service/store/accounts.h"

namespace carledger::store {

namespace {

constexpr char kAccessPrefix[] = "at_";
constexpr char kRefreshPrefix[] = "rt_";
constexpr size_t kTokenBody = 43;  // base64url of 32 bytes, unpadded
constexpr char kBadCredentials[] = "wrong id or password";

bool LooksLikeToken(std::string_view token, std::string_view prefix) {
  if (token.size() != prefix.size() + kTokenBody || !token.starts_with(prefix)) return false;
  return std::all_of(token.begin() + prefix.size(), token.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

// When the next attempt is allowed, given the counted failures (column "at", oldest first),
// or 0 when not blocked: once the failure that tipped over the limit leaves the window.
int64_t BlockedUntil(const PgRows& failures, int max, int64_t window_ms) {
  int64_t n = static_cast<int64_t>(failures.size());
  if (n < max) return 0;
  return failures[static_cast<size_t>(n - max)].Int("at") + window_ms;
}

}  // namespace

Result<Tokens> AccountStore::IssueTokens(Transaction& tx, const std::string& session_id,
                                         const std::string& parent_hash, const std::string& user_id,
                                         Role role, int64_t now) {
  Tokens t;
  t.user_id = user_id;
  t.role = role;
  t.access_token = NewToken(kAccessPrefix);
  t.access_expires_ms = now + options_.access_ttl_ms;
  t.refresh_token = NewToken(kRefreshPrefix);
  t.refresh_expires_ms = now + options_.refresh_ttl_ms;
  CL_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO refresh_tokens (token_hash, session_id, parent_hash, created_at, "
              "expires_at) VALUES ($1, $2, $3, $4, $5)",
              {HashToken(t.refresh_token), session_id,
               parent_hash.empty() ? PgValue(std::nullopt) : PgValue(parent_hash),
               PgValue::TimeMs(now), PgValue::TimeMs(t.refresh_expires_ms)})
          .status());
  CL_RETURN_IF_ERROR(tx.Exec("INSERT INTO access_tokens (token_hash, session_id, created_at, "
                             "expires_at) VALUES ($1, $2, $3, $4)",
                             {HashToken(t.access_token), session_id, PgValue::TimeMs(now),
                              PgValue::TimeMs(t.access_expires_ms)})
                         .status());
  return t;
}

Result<Tokens> AccountStore::Login(std::string_view id, std::string_view password,
                                   std::string_view client) {
  CL_RETURN_IF_ERROR(fields::CheckText("client", client, 1, 100));
  const int64_t now = clock_.NowMs();
  auto normalized = fields::NormalizeId("id", id);
  // A malformed id matches no account; its attempts still count against the client.
  const std::string key = normalized.ok() ? *normalized : "";
  const PgValue since = PgValue::TimeMs(now - options_.failure_window_ms);

  // 1. Under per-id and per-client locks: refuse if over a limit, else record the attempt as
  //    failed (it is marked successful in step 3), so concurrent guesses count too.
  int64_t attempt = 0, blocked_until = 0;
  std::optional<std::string> hash;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    hash.reset();
    blocked_until = 0;
    CL_RETURN_IF_ERROR(tx.Exec("SELECT pg_advisory_xact_lock(1, hashtext($1))", {key}).status());
    CL_RETURN_IF_ERROR(tx.Exec("SELECT pg_advisory_xact_lock(2, hashtext($1))", {client}).status());
    if (!key.empty()) {
      CL_ASSIGN_OR_RETURN(
          PgRows f, tx.Exec("SELECT epoch_ms(at) AS at FROM login_attempts WHERE login_id = $1 "
                            "AND NOT succeeded AND at > $2 AND at > coalesce((SELECT max(at) FROM "
                            "login_attempts WHERE login_id = $1 AND succeeded), '-infinity') "
                            "ORDER BY at",
                            {key, since}));
      blocked_until = BlockedUntil(f, options_.max_failures_per_id, options_.failure_window_ms);
    }
    CL_ASSIGN_OR_RETURN(PgRows c,
                        tx.Exec("SELECT epoch_ms(at) AS at FROM login_attempts WHERE client = $1 "
                                "AND NOT succeeded AND at > $2 ORDER BY at",
                                {client, since}));
    blocked_until = std::max(blocked_until, BlockedUntil(c, options_.max_failures_per_client,
                                                         options_.failure_window_ms));
    if (blocked_until > 0) return Status::Ok();
    CL_ASSIGN_OR_RETURN(PgRows a, tx.Exec("INSERT INTO login_attempts (login_id, client, at) "
                                          "VALUES ($1, $2, $3) RETURNING id",
                                          {key, client, PgValue::TimeMs(now)}));
    attempt = a[0].Int("id");
    if (key.empty()) return Status::Ok();
    CL_ASSIGN_OR_RETURN(PgRows u, tx.Exec("SELECT password_hash FROM users WHERE id = $1 AND "
                                          "erased_at IS NULL",
                                          {key}));
    if (!u.empty()) hash = u[0].Str("password_hash");
    return Status::Ok();
  });
  CL_RETURN_IF_ERROR(st);
  if (blocked_until > 0) {
    int64_t minutes = (blocked_until - now + 59999) / 60000;
    return Status::ResourceExhausted(
        "too many failed sign-in attempts; try again after " + fields::FormatTimeMs(blocked_until) +
        " (in " + std::to_string(minutes) + (minutes == 1 ? " minute)" : " minutes)"));
  }

  // 2. The password, outside any transaction (scrypt is slow on purpose). Unknown ids are
  //    checked against a dummy hash so they take as long as wrong passwords.
  Status v = VerifyPassword(password, hash ? *hash : dummy_hash_);
  if (hash && v.code() == StatusCode::kInvalidArgument) {
    return Status::Internal("stored password hash is unreadable: " + v.message());
  }
  if (!hash || !v.ok()) return Status::Unauthenticated(kBadCredentials);

  // 3. Success: mark the attempt, refuse a banned or meanwhile erased account, open a session.
  Tokens tokens;
  Status refused;
  st = pool_.Transact([&](Transaction& tx) -> Status {
    refused = Status::Ok();
    CL_RETURN_IF_ERROR(
        tx.Exec("UPDATE login_attempts SET succeeded = true WHERE id = $1", {attempt}).status());
    CL_ASSIGN_OR_RETURN(PgRows u, tx.Exec("SELECT role FROM users WHERE id = $1 AND erased_at IS "
                                          "NULL FOR SHARE",
                                          {key}));
    if (u.empty()) {
      refused = Status::Unauthenticated(kBadCredentials);
      return Status::Ok();
    }
    CL_ASSIGN_OR_RETURN(Role role, ParseRole(u[0].Str("role")));
    CL_ASSIGN_OR_RETURN(auto active, Active(&tx, key, now));
    for (const auto& r : active) {
      if (r.kind == RestrictionKind::kBanned) {
        refused = BannedStatus(r);
        return Status::Ok();
      }
    }
    CL_ASSIGN_OR_RETURN(PgRows s, tx.Exec("INSERT INTO sessions (user_id, created_at, client) "
                                          "VALUES ($1, $2, $3) RETURNING id",
                                          {key, PgValue::TimeMs(now), client}));
    CL_ASSIGN_OR_RETURN(tokens, IssueTokens(tx, s[0].Str("id"), "", key, role, now));
    return Status::Ok();
  });
  CL_RETURN_IF_ERROR(st);
  CL_RETURN_IF_ERROR(refused);
  return tokens;
}

Result<Tokens> AccountStore::Refresh(std::string_view refresh_token) {
  if (!LooksLikeToken(refresh_token, kRefreshPrefix)) {
    return Status::Unauthenticated("invalid refresh token");
  }
  const std::string hash = HashToken(refresh_token);
  const int64_t now = clock_.NowMs();
  Tokens tokens;
  Status outcome;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    outcome = Status::Ok();
    CL_ASSIGN_OR_RETURN(
        PgRows rows,
        tx.Exec("SELECT r.session_id, epoch_ms(r.expires_at) AS expires_at, "
                "r.used_at IS NOT NULL AS used, s.revoked_at IS NOT NULL AS revoked, s.user_id, "
                "u.role, u.erased_at IS NOT NULL AS erased FROM refresh_tokens r "
                "JOIN sessions s ON s.id = r.session_id JOIN users u ON u.id = s.user_id "
                "WHERE r.token_hash = $1 FOR UPDATE OF r, s",
                {hash}));
    if (rows.empty()) {
      outcome = Status::Unauthenticated("invalid refresh token");
      return Status::Ok();
    }
    PgRow row = rows[0];
    const std::string session = row.Str("session_id"), user = row.Str("user_id");
    if (row.Bool("revoked") || row.Bool("erased")) {
      outcome = Status::Unauthenticated("session ended; sign in again");
      return Status::Ok();
    }
    if (row.Bool("used")) {
      // Someone holds a copy of a rotated token: end the session for everyone (committed).
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE sessions SET revoked_at = $2, revoke_reason = 'reuse' "
                                 "WHERE id = $1",
                                 {session, PgValue::TimeMs(now)})
                             .status());
      CL_RETURN_IF_ERROR(
          store::AppendAudit(tx, now, "", "session.token_reuse", user, "session=" + session));
      outcome = Status::Unauthenticated("refresh token reuse detected; sign in again");
      return Status::Ok();
    }
    if (now >= row.Int("expires_at")) {
      outcome = Status::Unauthenticated("refresh token expired; sign in again");
      return Status::Ok();
    }
    CL_ASSIGN_OR_RETURN(auto active, Active(&tx, user, now));
    for (const auto& r : active) {
      if (r.kind == RestrictionKind::kBanned) {
        outcome = BannedStatus(r);
        return Status::Ok();
      }
    }
    CL_RETURN_IF_ERROR(tx.Exec("UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1",
                               {hash, PgValue::TimeMs(now)})
                           .status());
    CL_ASSIGN_OR_RETURN(Role role, ParseRole(row.Str("role")));
    CL_ASSIGN_OR_RETURN(tokens, IssueTokens(tx, session, hash, user, role, now));
    return Status::Ok();
  });
  CL_RETURN_IF_ERROR(st);
  CL_RETURN_IF_ERROR(outcome);
  return tokens;
}

Status AccountStore::Logout(std::string_view token) {
  bool access = LooksLikeToken(token, kAccessPrefix);
  if (!access && !LooksLikeToken(token, kRefreshPrefix))
    return Status::Unauthenticated("invalid token");
  const std::string hash = HashToken(token);
  const int64_t now = clock_.NowMs();
  return pool_.Transact([&](Transaction& tx) -> Status {
    CL_ASSIGN_OR_RETURN(
        PgRows rows, tx.Exec(access ? "SELECT session_id FROM access_tokens WHERE token_hash = $1"
                                    : "SELECT session_id FROM refresh_tokens WHERE token_hash = $1",
                             {hash}));
    if (rows.empty()) return Status::Unauthenticated("invalid token");
    return tx
        .Exec(
            "UPDATE sessions SET revoked_at = $2, revoke_reason = 'logout' WHERE id = $1 "
            "AND revoked_at IS NULL",
            {rows[0].Str("session_id"), PgValue::TimeMs(now)})
        .status();
  });
}

Result<AuthContext> AccountStore::Authenticate(std::string_view access_token) {
  if (!LooksLikeToken(access_token, kAccessPrefix)) {
    return Status::Unauthenticated("invalid access token");
  }
  const int64_t now = clock_.NowMs();
  // One round trip for the session, the user and their active restrictions (a row per
  // restriction, or one row with NULL restriction columns): every authenticated call
  // pays for it. The restriction's user_id column repeats s.user_id, which comes first.
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec(std::string("SELECT s.id AS session_id, s.user_id, u.role, "
                             "epoch_ms(a.expires_at) AS token_expires_at, s.revoked_at IS NOT "
                             "NULL AS revoked, u.erased_at IS NOT NULL AS erased, "
                             "u.key_fingerprint, r.* FROM access_tokens a JOIN sessions s ON "
                             "s.id = a.session_id JOIN users u ON u.id = s.user_id "
                             "LEFT JOIN LATERAL (SELECT ") +
                     kRestrictionColumns + " FROM restrictions WHERE user_id = s.user_id AND " +
                     kActiveAt2 + ") r ON true WHERE a.token_hash = $1 ORDER BY r.id",
                 {HashToken(access_token), PgValue::TimeMs(now)}));
  if (rows.empty()) return Status::Unauthenticated("invalid access token");
  PgRow row = rows[0];
  if (row.Bool("revoked") || row.Bool("erased")) {
    return Status::Unauthenticated("session ended; sign in again");
  }
  if (now >= row.Int("token_expires_at")) {
    return Status::Unauthenticated("access token expired; refresh it");
  }
  AuthContext ctx;
  ctx.user_id = row.Str("user_id");
  CL_ASSIGN_OR_RETURN(ctx.role, ParseRole(row.Str("role")));
  ctx.session_id = row.Str("session_id");
  ctx.key_fingerprint = row.OptStr("key_fingerprint").value_or("");
  for (size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].IsNull("id")) ctx.restrictions.push_back(RestrictionFromRow(rows[i]));
  }
  for (const auto& r : ctx.restrictions) {
    if (r.kind == RestrictionKind::kBanned) return BannedStatus(r);
  }
  return ctx;
}

Result<int64_t> AccountStore::PurgeExpired() {
  const int64_t now = clock_.NowMs();
  int64_t deleted = 0;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    deleted = 0;
    CL_ASSIGN_OR_RETURN(PgRows attempts,
                        tx.Exec("DELETE FROM login_attempts WHERE at <= $1",
                                {PgValue::TimeMs(now - options_.failure_window_ms)}));
    CL_ASSIGN_OR_RETURN(PgRows access, tx.Exec("DELETE FROM access_tokens WHERE expires_at <= $1",
                                               {PgValue::TimeMs(now)}));
    CL_ASSIGN_OR_RETURN(
        PgRows sessions,
        tx.Exec("DELETE FROM sessions s WHERE (s.revoked_at IS NOT NULL AND s.revoked_at <= $2) "
                "OR (s.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM refresh_tokens r WHERE "
                "r.session_id = s.id AND r.used_at IS NULL AND r.expires_at > $1) AND NOT EXISTS "
                "(SELECT 1 FROM access_tokens a WHERE a.session_id = s.id))",
                {PgValue::TimeMs(now), PgValue::TimeMs(now - options_.refresh_ttl_ms)}));
    deleted = attempts.affected() + access.affected() + sessions.affected();
    return Status::Ok();
  });
  CL_RETURN_IF_ERROR(st);
  return deleted;
}

}  // namespace carledger::store
