// AccountStore: registration, profiles, wallet keys, restrictions, user search, the audit
// log and erasure. Sign-in and sessions are in sessions.cc.
#include "service/store/accounts.h"

#include <charconv>

#include "service/store/account_fields.h"

namespace carledger::store {

using fields::CheckText;

namespace {

Result<int> PageSize(int requested) {
  if (requested == 0) return 50;
  if (requested < 1 || requested > 200) {
    return Status::InvalidArgument("page_size: must be between 1 and 200");
  }
  return requested;
}

// Page tokens are opaque to clients: base64url of the last key of the previous page.
std::string PageToken(std::string_view key) {
  return Base64Encode(key, /*url=*/true);
}

Result<std::string> FromPageToken(std::string_view token) {
  auto key = Base64Decode(token, /*url=*/true);
  if (!key.ok() || key->empty() || fields::Utf8Length(*key) < 0) {
    return Status::InvalidArgument("page_token: invalid; use the token of the previous page");
  }
  return key;
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kUser:
      return "user";
    case Role::kAdmin:
      return "admin";
    case Role::kAgency:
      return "agency";
  }
  return "user";
}

Result<Role> ParseRole(std::string_view name) {
  if (name == "user") return Role::kUser;
  if (name == "admin") return Role::kAdmin;
  if (name == "agency") return Role::kAgency;
  return Status::InvalidArgument("role: must be user, admin or agency");
}

const char* RestrictionKindName(RestrictionKind kind) {
  switch (kind) {
    case RestrictionKind::kReadOnly:
      return "read_only";
    case RestrictionKind::kNoTrading:
      return "no_trading";
    case RestrictionKind::kBanned:
      return "banned";
    case RestrictionKind::kNoListing:
      return "no_listing";
  }
  return "read_only";
}

Result<RestrictionKind> ParseRestrictionKind(std::string_view name) {
  if (name == "read_only") return RestrictionKind::kReadOnly;
  if (name == "no_trading") return RestrictionKind::kNoTrading;
  if (name == "banned") return RestrictionKind::kBanned;
  if (name == "no_listing") return RestrictionKind::kNoListing;
  return Status::InvalidArgument("kind: must be read_only, no_trading, banned or no_listing");
}

bool AuthContext::Has(RestrictionKind kind) const {
  for (const auto& r : restrictions) {
    if (r.kind == kind) return true;
  }
  return false;
}

Status BannedStatus(const Restriction& ban) {
  std::string until =
      ban.expires_ms ? "until " + fields::FormatTimeMs(*ban.expires_ms) : "until lifted";
  return Status::PermissionDenied("account banned " + until + ": " + ban.reason);
}

Status AppendAudit(Transaction& tx, int64_t now_ms, std::string_view actor, std::string_view action,
                   std::string_view target, std::string_view detail) {
  bool action_ok = !action.empty() && action.size() <= 64 && action[0] >= 'a' && action[0] <= 'z';
  for (char c : action) action_ok = action_ok && ((c >= 'a' && c <= 'z') || c == '_' || c == '.');
  CL_RETURN_IF_ERROR(fields::Collect(
      {action_ok ? Status::Ok()
                 : Status::InvalidArgument("action: lower-case letters, '_' and '.', at most 64"),
       CheckText("target", target, 0, 200), CheckText("detail", detail, 0, 4000, true)}));
  auto r = tx.Exec(
      "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)",
      {PgValue::TimeMs(now_ms), actor.empty() ? PgValue(std::nullopt) : PgValue(actor), action,
       target, detail});
  if (r.status().code() == StatusCode::kFailedPrecondition) {
    return Status::InvalidArgument("actor: unknown user");
  }
  return r.status();
}

AccountStore::AccountStore(PgPool& pool, const Clock& clock, AccountStoreOptions options)
    : pool_(pool), clock_(clock), options_(std::move(options)) {
  auto h = HashPassword("no such account", options_.scrypt);
  dummy_hash_ = h.ok() ? *h : "";
}

Result<Profile> AccountStore::Register(const Registration& r) {
  auto id = fields::NormalizeId("id", r.id);
  Status terms = r.terms_accepted ? Status::Ok()
                                  : Status::InvalidArgument("terms: must be accepted to sign up");
  Status version =
      r.terms_version == options_.terms_version
          ? Status::Ok()
          : Status::InvalidArgument("terms_version: the current terms are version " +
                                    options_.terms_version + "; show them and ask again");
  CL_RETURN_IF_ERROR(fields::Collect(
      {id.status(), fields::CheckPassword(r.password, id.ok() ? *id : r.id),
       CheckText("name", r.name, 1, 100), CheckText("address", r.address, 1, 300, true),
       fields::CheckPhone(r.phone), terms, version}));
  CL_ASSIGN_OR_RETURN(std::string hash, HashPassword(r.password, options_.scrypt));
  const int64_t now = clock_.NowMs();
  Profile p;
  p.id = *id;
  p.name = r.name;
  p.address = r.address;
  p.phone = r.phone;
  p.role = r.role;
  p.terms_version = r.terms_version;
  p.terms_accepted_ms = now;
  p.created_ms = now;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    auto ins = tx.Exec(
        "INSERT INTO users (id, password_hash, name, address, phone, role, terms_version, "
        "terms_accepted_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        {p.id, hash, p.name, p.address, p.phone, RoleName(p.role), p.terms_version,
         PgValue::TimeMs(now)});
    if (ins.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("id: already taken");
    }
    CL_RETURN_IF_ERROR(ins.status());
    return store::AppendAudit(
        tx, now, p.id, "user.register", p.id,
        std::string("role=") + RoleName(p.role) + " terms=" + p.terms_version);
  });
  if (!st.ok()) return st;
  return p;
}

Result<Profile> AccountStore::GetProfile(std::string_view user_id) {
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec("SELECT id, name, address, phone, role, terms_version, "
                 "epoch_ms(terms_accepted_at) AS terms_accepted_at, key_fingerprint, "
                 "epoch_ms(created_at) AS created_at, epoch_ms(erased_at) AS erased_at "
                 "FROM users WHERE id = $1",
                 {user_id}));
  if (rows.empty()) return Status::NotFound("user not found");
  PgRow row = rows[0];
  Profile p;
  p.id = row.Str("id");
  p.name = row.Str("name");
  p.address = row.Str("address");
  p.phone = row.Str("phone");
  p.role = ParseRole(row.Str("role")).value();
  p.terms_version = row.Str("terms_version");
  p.terms_accepted_ms = row.Int("terms_accepted_at");
  p.key_fingerprint = row.Str("key_fingerprint");
  p.created_ms = row.Int("created_at");
  p.erased_ms = row.OptInt("erased_at");
  return p;
}

Result<std::string> AccountStore::UserByWallet(std::string_view fingerprint) {
  CL_ASSIGN_OR_RETURN(PgRows rows,
                      pool_.Exec("SELECT id FROM users WHERE key_fingerprint = $1", {fingerprint}));
  if (rows.empty()) return Status::NotFound("no account has wallet " + std::string(fingerprint));
  return rows[0].Str("id");
}

Status AccountStore::SetPublicKey(std::string_view user_id, std::string_view fingerprint) {
  CL_RETURN_IF_ERROR(fields::CheckFingerprint("public_key", fingerprint));
  const int64_t now = clock_.NowMs();
  return pool_.Transact([&](Transaction& tx) -> Status {
    CL_ASSIGN_OR_RETURN(PgRows rows, tx.Exec("SELECT key_fingerprint FROM users WHERE id = $1 "
                                             "AND erased_at IS NULL FOR UPDATE",
                                             {user_id}));
    if (rows.empty()) return Status::NotFound("user not found");
    std::string current = rows[0].Str("key_fingerprint");
    if (current == fingerprint) return Status::Ok();
    if (!current.empty()) {
      return Status::FailedPrecondition(
          "public_key: this account already has a wallet key; an administrator must replace it");
    }
    auto upd =
        tx.Exec("UPDATE users SET key_fingerprint = $2 WHERE id = $1", {user_id, fingerprint});
    if (upd.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("public_key: already registered to another account");
    }
    CL_RETURN_IF_ERROR(upd.status());
    return store::AppendAudit(tx, now, user_id, "user.set_key", user_id, std::string(fingerprint));
  });
}

Status AccountStore::RequireAdmin(Transaction& tx, std::string_view actor, const char* what) {
  CL_ASSIGN_OR_RETURN(PgRows rows, tx.Exec("SELECT role FROM users WHERE id = $1 AND erased_at "
                                           "IS NULL",
                                           {actor}));
  if (rows.empty() || rows[0].Str("role") != "admin") {
    return Status::PermissionDenied(std::string("only administrators can ") + what);
  }
  return Status::Ok();
}

Restriction AccountStore::RestrictionFromRow(const PgRow& row) {
  Restriction r;
  r.id = row.Int("id");
  r.user_id = row.Str("user_id");
  r.kind = ParseRestrictionKind(row.Str("kind")).value();
  r.reason = row.Str("reason");
  r.created_by = row.Str("created_by");
  r.created_ms = row.Int("created_at");
  r.expires_ms = row.OptInt("expires_at");
  return r;
}

Result<std::vector<Restriction>> AccountStore::Active(Transaction* tx, const std::string& user_id,
                                                      int64_t now) {
  std::string sql = std::string("SELECT ") + kRestrictionColumns +
                    " FROM restrictions WHERE user_id = $1 AND " + kActiveAt2 + " ORDER BY id";
  PgParams params = {user_id, PgValue::TimeMs(now)};
  CL_ASSIGN_OR_RETURN(PgRows rows, tx ? tx->Exec(sql, params) : pool_.Exec(sql, params));
  std::vector<Restriction> out;
  for (size_t i = 0; i < rows.size(); ++i) out.push_back(RestrictionFromRow(rows[i]));
  return out;
}

Result<std::vector<Restriction>> AccountStore::ActiveRestrictions(std::string_view user_id) {
  return Active(nullptr, std::string(user_id), clock_.NowMs());
}

Result<Restriction> AccountStore::Restrict(std::string_view actor, std::string_view user_id,
                                           RestrictionKind kind, std::string_view reason,
                                           std::optional<int64_t> expires_ms) {
  const int64_t now = clock_.NowMs();
  CL_RETURN_IF_ERROR(
      fields::Collect({CheckText("reason", reason, 1, 500, true),
                       expires_ms && *expires_ms <= now
                           ? Status::InvalidArgument("expires_at: must be in the future")
                           : Status::Ok()}));
  Restriction out;
  Status st = pool_.Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(RequireAdmin(tx, actor, "restrict accounts"));
    if (actor == user_id) return Status::FailedPrecondition("cannot restrict your own account");
    CL_ASSIGN_OR_RETURN(PgRows user, tx.Exec("SELECT 1 FROM users WHERE id = $1", {user_id}));
    if (user.empty()) return Status::NotFound("user not found");
    CL_ASSIGN_OR_RETURN(
        PgRows rows,
        tx.Exec(std::string("INSERT INTO restrictions (user_id, kind, reason, created_by, "
                            "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ") +
                    kRestrictionColumns,
                {user_id, RestrictionKindName(kind), reason, actor, PgValue::TimeMs(now),
                 expires_ms ? PgValue::TimeMs(*expires_ms) : PgValue(std::nullopt)}));
    out = RestrictionFromRow(rows[0]);
    if (kind == RestrictionKind::kBanned) {
      CL_RETURN_IF_ERROR(tx.Exec("UPDATE sessions SET revoked_at = $2, revoke_reason = 'banned' "
                                 "WHERE user_id = $1 AND revoked_at IS NULL",
                                 {user_id, PgValue::TimeMs(now)})
                             .status());
    }
    return store::AppendAudit(tx, now, actor, "user.restrict", user_id,
                              std::string("restriction=") + std::to_string(out.id) +
                                  " kind=" + RestrictionKindName(kind) + " until=" +
                                  (expires_ms ? fields::FormatTimeMs(*expires_ms) : "lifted"));
  });
  if (!st.ok()) return st;
  return out;
}

Status AccountStore::Lift(std::string_view actor, int64_t restriction_id, std::string_view reason) {
  CL_RETURN_IF_ERROR(CheckText("reason", reason, 1, 500, true));
  const int64_t now = clock_.NowMs();
  return pool_.Transact([&](Transaction& tx) -> Status {
    CL_RETURN_IF_ERROR(RequireAdmin(tx, actor, "lift restrictions"));
    CL_ASSIGN_OR_RETURN(
        PgRows rows,
        tx.Exec("UPDATE restrictions SET lifted_at = $2, lifted_by = $3, "
                "lift_reason = $4 WHERE id = $1 AND lifted_at IS NULL RETURNING user_id",
                {restriction_id, PgValue::TimeMs(now), actor, reason}));
    if (rows.empty()) {
      CL_ASSIGN_OR_RETURN(PgRows any,
                          tx.Exec("SELECT 1 FROM restrictions WHERE id = $1", {restriction_id}));
      return any.empty() ? Status::NotFound("restriction not found")
                         : Status::FailedPrecondition("restriction already lifted");
    }
    return store::AppendAudit(tx, now, actor, "user.lift", rows[0].Str("user_id"),
                              "restriction=" + std::to_string(restriction_id));
  });
}

Result<UserPage> AccountStore::ListUsers(const UserQuery& q) {
  CL_ASSIGN_OR_RETURN(int page_size, PageSize(q.page_size));
  CL_RETURN_IF_ERROR(CheckText("text", q.text, 0, 100));
  std::string after;
  if (!q.page_token.empty()) {
    CL_ASSIGN_OR_RETURN(after, FromPageToken(q.page_token));
  }
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec(
          std::string("SELECT u.id, u.name, u.role, epoch_ms(u.created_at) AS created_at, "
                      "u.erased_at IS NOT NULL AS erased, (SELECT string_agg(DISTINCT kind, ',') "
                      "FROM restrictions WHERE user_id = u.id AND ") +
              kActiveAt2 +
              ") AS kinds FROM users u WHERE ($1 = '' OR strpos(u.id, lower($1)) > 0 "
              "OR strpos(lower(u.name), lower($1)) > 0) "
              "AND ($3::text IS NULL OR u.role = $3) AND u.id > $4 "
              "AND (NOT $5 OR EXISTS (SELECT 1 FROM restrictions WHERE user_id = u.id AND " +
              kActiveAt2 + ")) ORDER BY u.id LIMIT $6",
          {q.text, PgValue::TimeMs(clock_.NowMs()),
           q.role ? PgValue(RoleName(*q.role)) : PgValue(std::nullopt), after, q.restricted_only,
           page_size + 1}));
  UserPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
    UserSummary u;
    u.id = rows[i].Str("id");
    u.name = rows[i].Str("name");
    u.role = ParseRole(rows[i].Str("role")).value();
    u.created_ms = rows[i].Int("created_at");
    u.erased = rows[i].Bool("erased");
    std::string kinds = rows[i].Str("kinds");
    for (size_t start = 0; start < kinds.size();) {
      size_t comma = kinds.find(',', start);
      if (comma == std::string::npos) comma = kinds.size();
      u.restrictions.push_back(ParseRestrictionKind(kinds.substr(start, comma - start)).value());
      start = comma + 1;
    }
    page.users.push_back(std::move(u));
  }
  if (static_cast<int>(rows.size()) > page_size)
    page.next_page_token = PageToken(page.users.back().id);
  return page;
}

Status AccountStore::AppendAudit(std::string_view actor, std::string_view action,
                                 std::string_view target, std::string_view detail) {
  const int64_t now = clock_.NowMs();
  return pool_.Transact(
      [&](Transaction& tx) { return store::AppendAudit(tx, now, actor, action, target, detail); });
}

Result<AuditPage> AccountStore::ListAudit(const AuditQuery& q) {
  CL_ASSIGN_OR_RETURN(int page_size, PageSize(q.page_size));
  int64_t before = INT64_MAX;
  if (!q.page_token.empty()) {
    CL_ASSIGN_OR_RETURN(std::string key, FromPageToken(q.page_token));
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), before);
    if (ec != std::errc() || end != key.data() + key.size()) {
      return Status::InvalidArgument("page_token: invalid; use the token of the previous page");
    }
  }
  CL_ASSIGN_OR_RETURN(
      PgRows rows,
      pool_.Exec("SELECT id, epoch_ms(at) AS at, actor, action, target, detail FROM audit_log "
                 "WHERE id < $1 AND ($2 = '' OR actor = $2) AND ($3 = '' OR target = $3) "
                 "AND ($4 = '' OR action = $4) ORDER BY id DESC LIMIT $5",
                 {before, q.actor, q.target, q.action, page_size + 1}));
  AuditPage page;
  for (size_t i = 0; i < rows.size() && static_cast<int>(i) < page_size; ++i) {
    page.entries.push_back(AuditEntry{rows[i].Int("id"), rows[i].Int("at"), rows[i].Str("actor"),
                                      rows[i].Str("action"), rows[i].Str("target"),
                                      rows[i].Str("detail")});
  }
  if (static_cast<int>(rows.size()) > page_size) {
    page.next_page_token = PageToken(std::to_string(page.entries.back().id));
  }
  return page;
}

Status AccountStore::Erase(std::string_view actor, std::string_view user_id) {
  const int64_t now = clock_.NowMs();
  return pool_.Transact([&](Transaction& tx) -> Status {
    if (actor != user_id) CL_RETURN_IF_ERROR(RequireAdmin(tx, actor, "erase other accounts"));
    CL_ASSIGN_OR_RETURN(
        PgRows rows,
        tx.Exec("UPDATE users SET name = NULL, address = NULL, phone = NULL, password_hash = NULL, "
                "erased_at = $2 WHERE id = $1 AND erased_at IS NULL RETURNING id",
                {user_id, PgValue::TimeMs(now)}));
    if (rows.empty()) {
      CL_ASSIGN_OR_RETURN(PgRows any, tx.Exec("SELECT 1 FROM users WHERE id = $1", {user_id}));
      return any.empty() ? Status::NotFound("user not found") : Status::Ok();
    }
    CL_RETURN_IF_ERROR(tx.Exec("UPDATE sessions SET revoked_at = coalesce(revoked_at, $2), "
                               "revoke_reason = coalesce(revoke_reason, 'erased'), client = NULL "
                               "WHERE user_id = $1",
                               {user_id, PgValue::TimeMs(now)})
                           .status());
    CL_RETURN_IF_ERROR(
        tx.Exec("DELETE FROM login_attempts WHERE login_id = $1", {user_id}).status());
    return store::AppendAudit(tx, now, actor, "user.erase", user_id, "");
  });
}

}  // namespace carledger::store
