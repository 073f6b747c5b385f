// Accounts, sessions, restrictions and the audit log, in PostgreSQL.
//
// Tokens are opaque: "at_" / "rt_" followed by 32 random bytes (base64url), stored only as
// SHA-256. Opaque rather than signed so that revoking a session (logout, refresh-token
// reuse, a ban, erasure) takes effect at once for every token issued with it; the cost is
// one indexed lookup per authenticated call. A sign-in opens a session (a refresh-token
// family); each refresh rotates the refresh token inside the family, and presenting an
// already-rotated one revokes the whole family (the token was stolen or replayed).
//
// Personal data (name, address, phone) lives only here; Erase() removes it and keeps the
// account's id and pseudonymous key fingerprint, which ledger entries refer to. The store
// checks field formats and who may restrict or erase; everything else about who may call
// what is the service's business. All times come from the Clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/store/clock.h"
#include "service/store/password.h"
#include "service/store/pg.h"

namespace carledger::store {

enum class Role { kUser, kAdmin, kAgency };
// "user", "admin", "agency".
const char* RoleName(Role role);
Result<Role> ParseRole(std::string_view name);

enum class RestrictionKind { kReadOnly, kNoTrading, kBanned, kNoListing };
// "read_only", "no_trading", "banned", "no_listing" (may not register, list or reprice cars).
const char* RestrictionKindName(RestrictionKind kind);
Result<RestrictionKind> ParseRestrictionKind(std::string_view name);

struct Registration {
  std::string id;  // login name; ASCII letters are folded to lower case
  std::string password;
  std::string name;
  std::string address;
  std::string phone;
  std::string terms_version;  // the version of the terms the user was shown
  bool terms_accepted = false;
  Role role = Role::kUser;  // the service lets only administrators create other roles
};

struct Profile {
  std::string id;
  std::string name, address, phone;  // empty once erased
  Role role = Role::kUser;
  std::string terms_version;
  int64_t terms_accepted_ms = 0;
  std::string key_fingerprint;  // empty: no wallet key registered
  int64_t created_ms = 0;
  std::optional<int64_t> erased_ms;
};

struct Restriction {
  int64_t id = 0;
  std::string user_id;
  RestrictionKind kind = RestrictionKind::kReadOnly;
  std::string reason;
  std::string created_by;  // "": the system (the repeat-offender rule)
  int64_t created_ms = 0;
  std::optional<int64_t> expires_ms;  // none: until lifted
};

struct Tokens {
  std::string user_id;
  Role role = Role::kUser;
  std::string access_token;
  int64_t access_expires_ms = 0;
  std::string refresh_token;
  int64_t refresh_expires_ms = 0;
};

// Who is calling, from a valid access token.
struct AuthContext {
  std::string user_id;
  Role role = Role::kUser;
  std::string session_id;
  std::string key_fingerprint;            // the account's wallet key ("" until registered)
  std::vector<Restriction> restrictions;  // active ones (never a ban: banned users are refused)
  bool Has(RestrictionKind kind) const;
};

// Built with designated initializers, e.g. {.text = "kim", .page_size = 20}.
struct UserQuery {
  std::string text{};  // matched (case-insensitively) anywhere in the id or the name; "": all
  std::optional<Role> role{};
  bool restricted_only = false;  // only users with an active restriction
  int page_size = 50;            // 1..200
  std::string page_token{};      // from the previous page; "": first page
};

struct UserSummary {
  std::string id;
  std::string name;  // empty once erased
  Role role = Role::kUser;
  int64_t created_ms = 0;
  bool erased = false;
  std::vector<RestrictionKind> restrictions;  // active ones
};

struct UserPage {
  std::vector<UserSummary> users;  // ordered by id
  std::string next_page_token;     // "": no more
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  std::string actor;  // "": the system
  std::string action, target, detail;
};

struct AuditQuery {
  std::string actor{};  // exact filters; "": any
  std::string target{};
  std::string action{};
  int page_size = 50;  // 1..200
  std::string page_token{};
};

struct AuditPage {
  std::vector<AuditEntry> entries;  // newest first
  std::string next_page_token;
};

struct AccountStoreOptions {
  std::string terms_version = "2026-01";  // the terms a new account must accept
  ScryptParams scrypt;                    // for new password hashes
  int64_t access_ttl_ms = 15 * 60 * 1000;
  int64_t refresh_ttl_ms = int64_t{30} * 24 * 3600 * 1000;
  // Sign-in rate limits: failed attempts within the window (per id: since its last
  // successful sign-in). Per client address is higher: many people can share one.
  int max_failures_per_id = 5;
  int max_failures_per_client = 20;
  int64_t failure_window_ms = 15 * 60 * 1000;
};

class AccountStore {
 public:
  // `pool` must be migrated (Migrate) and outlive the store, as must `clock`. Hashes one
  // dummy password (so unknown ids cost as much to refuse as wrong passwords).
  AccountStore(PgPool& pool, const Clock& clock, AccountStoreOptions options = {});

  // Creates an account. INVALID_ARGUMENT naming every bad field ("id: ...; phone: ..."),
  // including unaccepted terms ("terms: ...") or a stale terms_version; ALREADY_EXISTS
  // "id: already taken". Records the terms version and time of acceptance.
  Result<Profile> Register(const Registration& r);

  // Signs in from client address `client` (e.g. the peer IP). UNAUTHENTICATED with the same
  // message for an unknown id and a wrong password; RESOURCE_EXHAUSTED, saying when to try
  // again, after too many failures; PERMISSION_DENIED with the reason for a banned account.
  Result<Tokens> Login(std::string_view id, std::string_view password, std::string_view client);

  // Exchanges a refresh token for new tokens in the same session; the old one is used up.
  // Presenting a used one revokes the session: UNAUTHENTICATED "refresh token reuse
  // detected; sign in again". UNAUTHENTICATED for unknown, expired or revoked tokens.
  Result<Tokens> Refresh(std::string_view refresh_token);

  // Ends the session of an access or refresh token (OK if it had already ended);
  // UNAUTHENTICATED for an unknown token.
  Status Logout(std::string_view token);

  // The caller behind an access token. UNAUTHENTICATED for unknown, expired or revoked
  // tokens; PERMISSION_DENIED with the reason when the account is banned.
  Result<AuthContext> Authenticate(std::string_view access_token);

  // Registers the user's wallet key (its fingerprint). OK if it is already that key;
  // FAILED_PRECONDITION if the account has another; ALREADY_EXISTS if another account
  // has this one; NOT_FOUND for an unknown or erased user.
  Status SetPublicKey(std::string_view user_id, std::string_view fingerprint);

  // NOT_FOUND for an unknown id. Erased accounts are returned without personal data.
  Result<Profile> GetProfile(std::string_view user_id);

  // The account whose wallet key has this fingerprint (hex SHA-256 of the key's DER).
  // NOT_FOUND when no account has it (the ledger knows keys the service does not, e.g.
  // agencies' and validators').
  Result<std::string> UserByWallet(std::string_view fingerprint);

  // Restricts `user_id` until `expires_ms` (none: until lifted). `actor` must be an
  // administrator (PERMISSION_DENIED) other than the user (FAILED_PRECONDITION). A ban
  // also ends the user's sessions. Audited.
  Result<Restriction> Restrict(std::string_view actor, std::string_view user_id,
                               RestrictionKind kind, std::string_view reason,
                               std::optional<int64_t> expires_ms);

  // Lifts a restriction (administrators only). NOT_FOUND for an unknown id,
  // FAILED_PRECONDITION if already lifted. Audited.
  Status Lift(std::string_view actor, int64_t restriction_id, std::string_view reason);

  // The user's restrictions in force now (not lifted, not expired), oldest first.
  Result<std::vector<Restriction>> ActiveRestrictions(std::string_view user_id);

  // A page of users matching `query`, ordered by id.
  Result<UserPage> ListUsers(const UserQuery& query);

  // Appends to the audit log. `actor` "" is the system; `action` is lower-case dotted
  // ("listing.remove"); `detail` must not hold personal data.
  Status AppendAudit(std::string_view actor, std::string_view action, std::string_view target,
                     std::string_view detail);

  // A page of the audit log, newest first.
  Result<AuditPage> ListAudit(const AuditQuery& query);

  // Erases the account's personal data and password and ends its sessions; the id and key
  // fingerprint stay (the ledger refers to them) and the id cannot be registered again.
  // `actor` must be the user or an administrator. OK if already erased. Audited.
  Status Erase(std::string_view actor, std::string_view user_id);

  // Maintenance (run periodically): deletes sign-in attempts older than the rate-limit
  // window, expired access tokens, and whole sessions that can no longer be used (revoked
  // longer than the refresh lifetime ago, or without an unexpired, unused refresh token).
  // Live sessions keep all their tokens, so refresh-token reuse is still detected. Returns
  // the number of rows deleted.
  Result<int64_t> PurgeExpired();

 private:
  Result<Tokens> IssueTokens(Transaction& tx, const std::string& session_id,
                             const std::string& parent_hash, const std::string& user_id, Role role,
                             int64_t now);
  Result<std::vector<Restriction>> Active(Transaction* tx, const std::string& user_id, int64_t now);
  // The columns RestrictionFromRow reads, and the condition for a restriction active at $2
  // (neither lifted nor expired).
  static constexpr char kRestrictionColumns[] =
      "id, user_id, kind, reason, created_by, epoch_ms(created_at) AS created_at, "
      "epoch_ms(expires_at) AS expires_at";
  static constexpr char kActiveAt2[] =
      "lifted_at IS NULL AND (expires_at IS NULL OR expires_at > $2)";
  // A restriction from a row with kRestrictionColumns.
  static Restriction RestrictionFromRow(const PgRow& row);
  Status RequireAdmin(Transaction& tx, std::string_view actor, const char* what);

  PgPool& pool_;
  const Clock& clock_;
  const AccountStoreOptions options_;
  std::string dummy_hash_;
};

// Appends an audit entry inside `tx` (see AccountStore::AppendAudit).
Status AppendAudit(Transaction& tx, int64_t now_ms, std::string_view actor, std::string_view action,
                   std::string_view target, std::string_view detail);

// PERMISSION_DENIED naming a ban's reason and end, for messages people read.
Status BannedStatus(const Restriction& ban);

}  // namespace carledger::store
