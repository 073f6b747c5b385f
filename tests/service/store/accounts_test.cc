// AccountStore registration, profiles, wallet keys and erasure: happy paths, every field's
// bad inputs, SQL-injection strings stored verbatim, and 20 racers for one id.
#include <atomic>
#include <thread>

#include "tests/service/store/account_fixture.h"

namespace carledger::store {
namespace {

TEST_F(AccountStoreTest, RegisterStoresTheAccountAndTheTermsAcceptance) {
  clock_.Advance(1234);
  auto p = store_->Register(Reg("alice"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto got = store_->GetProfile("alice");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, "alice");
  EXPECT_EQ(got->name, "Kim alice");
  EXPECT_EQ(got->address, "123 Teheran-ro, Gangnam-gu, Seoul");
  EXPECT_EQ(got->phone, "010-1234-5678");
  EXPECT_EQ(got->role, Role::kUser);
  EXPECT_EQ(got->terms_version, "2026-01");
  EXPECT_EQ(got->terms_accepted_ms, kStartMs + 1234);
  EXPECT_EQ(got->created_ms, kStartMs + 1234);
  EXPECT_EQ(got->key_fingerprint, "");
  EXPECT_FALSE(got->erased_ms.has_value());
  EXPECT_EQ(p->name, got->name);
  // The password is stored as scrypt, not as given.
  auto row = pool_->Exec("SELECT password_hash FROM users WHERE id = 'alice'");
  EXPECT_TRUE((*row)[0].Str("password_hash").starts_with("scrypt$1024$8$1$"));
  EXPECT_TRUE(VerifyPassword(Reg("alice").password, (*row)[0].Str("password_hash")).ok());
  auto audit = store_->ListAudit({});
  ASSERT_EQ(audit->entries.size(), 1u);
  EXPECT_EQ(audit->entries[0].action, "user.register");
  EXPECT_EQ(audit->entries[0].actor, "alice");
  EXPECT_EQ(audit->entries[0].detail, "role=user terms=2026-01");
  EXPECT_STATUS(store_->GetProfile("nobody").status(), StatusCode::kNotFound, "user not found");
}

TEST_F(AccountStoreTest, IdsAreCaseInsensitiveAndMayBeHangul) {
  MustRegister("Alice.Kim_01");
  EXPECT_TRUE(store_->GetProfile("alice.kim_01").ok());
  EXPECT_TRUE(store_->Login("ALICE.KIM_01", Reg("Alice.Kim_01").password, "c").ok());
  EXPECT_STATUS(store_->Register(Reg("alice.KIM_01")).status(), StatusCode::kAlreadyExists,
                "id: already taken");
  MustRegister("김민준");
  auto p = store_->GetProfile("김민준");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id, "김민준");
  EXPECT_TRUE(store_->Login("김민준", Reg("김민준").password, "c").ok());
}

struct BadField {
  std::string label;
  std::function<void(Registration&)> mutate;
  std::string prefix;  // the message must start with this
};

void PrintTo(const BadField& f, std::ostream* os) {
  *os << f.label;
}

class RegisterValidationTest : public AccountStoreTest,
                               public ::testing::WithParamInterface<BadField> {};

TEST_P(RegisterValidationTest, RefusesWithTheFieldNamed) {
  Registration r = Reg("valid.user");
  GetParam().mutate(r);
  auto p = store_->Register(r);
  EXPECT_STATUS(p.status(), StatusCode::kInvalidArgument, GetParam().prefix);
  EXPECT_EQ(Count("users"), 0);
}

std::vector<BadField> BadFields() {
  auto set = [](std::string Registration::*field, std::string value) {
    return [field, value](Registration& r) { r.*field = value; };
  };
  using R = Registration;
  return {
      {"id_missing", set(&R::id, ""), "id: required"},
      {"id_short", set(&R::id, "ab"), "id: must be 3 to 32"},
      {"id_long", set(&R::id, std::string(33, 'a')), "id: must be 3 to 32"},
      {"id_space", set(&R::id, "kim minjun"), "id: may contain only"},
      {"id_quote", set(&R::id, "x'; DROP TABLE users; --"), "id: may contain only"},
      {"id_leading_dot", set(&R::id, ".kim"), "id: may contain only"},
      {"id_at", set(&R::id, "kim@example.com"), "id: may contain only"},
      {"id_bad_utf8", set(&R::id, "ki\xffm"), "id: must be valid UTF-8"},
      {"password_missing", set(&R::password, ""), "password: required"},
      {"password_short", set(&R::password, "1234567"), "password: must be at least 8"},
      {"password_long", set(&R::password, std::string(129, 'p')), "password: must be at most 128"},
      {"password_is_id", set(&R::password, "valid.user"), "password: must not be the same as id"},
      {"name_missing", set(&R::name, ""), "name: required"},
      {"name_blank", set(&R::name, "   "), "name: required"},
      {"name_long", set(&R::name, std::string(101, 'n')), "name: must be at most 100"},
      {"name_control", set(&R::name, "Kim\x07"), "name: must not contain control"},
      {"name_newline", set(&R::name, "Kim\nLee"), "name: must not contain control"},
      {"name_nul", set(&R::name, std::string("Kim\0Lee", 7)), "name: must not contain control"},
      {"name_bad_utf8", set(&R::name, "\xc3\x28"), "name: must be valid UTF-8"},
      {"address_missing", set(&R::address, ""), "address: required"},
      {"address_long", set(&R::address, std::string(301, 'a')), "address: must be at most 300"},
      {"phone_missing", set(&R::phone, ""), "phone: required"},
      {"phone_letters", set(&R::phone, "010-CALL-ME"), "phone: must be digits"},
      {"phone_short", set(&R::phone, "1234567"), "phone: must be digits"},
      {"phone_long", set(&R::phone, "1234567890123456"), "phone: must be digits"},
      {"phone_double_dash", set(&R::phone, "010--1234-5678"), "phone: must be digits"},
      {"phone_injection", set(&R::phone, "010'; --"), "phone: must be digits"},
      {"terms_not_accepted", [](R& r) { r.terms_accepted = false; }, "terms: must be accepted"},
      {"terms_stale", set(&R::terms_version, "2025-01"), "terms_version: the current terms"},
      {"several",
       [](R& r) {
         r.name = "";
         r.phone = "x";
       },
       "name: required; phone: must be"},
  };
}

INSTANTIATE_TEST_SUITE_P(Fields, RegisterValidationTest, ::testing::ValuesIn(BadFields()),
                         [](const auto& info) { return info.param.label; });

TEST_F(AccountStoreTest, LongestValidFieldsAreAccepted) {
  Registration r = Reg(std::string(32, 'k'));
  r.name = std::string(100, 'n');
  r.address = std::string(299, 'a') + "\n";  // multi-line addresses allowed
  r.password = std::string(128, 'p');
  r.phone = "+82-10-1234-5678";
  ASSERT_TRUE(store_->Register(r).ok());
  Registration h = Reg("한국어아이디");
  h.name = "";
  for (int i = 0; i < 100; ++i) h.name += "가";  // 100 characters, 300 bytes
  ASSERT_TRUE(store_->Register(h).ok());
  EXPECT_EQ(store_->GetProfile("한국어아이디")->name, h.name);
}

TEST_F(AccountStoreTest, InjectionStringsAreStoredAndReturnedVerbatim) {
  MustRegister("admin", Role::kAdmin);
  int n = 0;
  for (const std::string& s : NastyStrings()) {
    const std::string id = "user" + std::to_string(n++);
    Registration r = Reg(id);
    r.name = s;
    r.address = s;
    r.password = s + " pw";
    auto reg = store_->Register(r);
    ASSERT_TRUE(reg.ok()) << s << ": " << reg.status().ToString();
    auto p = store_->GetProfile(id);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->name, s);
    EXPECT_EQ(p->address, s);
    auto t = store_->Login(id, s + " pw", s);  // the client address too
    ASSERT_TRUE(t.ok()) << s << ": " << t.status().ToString();
    // Search treats the text literally (no LIKE wildcards, no SQL).
    auto found = store_->ListUsers({.text = s});
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->users.size(), 1u) << s;
    EXPECT_EQ(found->users[0].id, id);
    EXPECT_EQ(found->users[0].name, s);
    auto restriction = store_->Restrict("admin", id, RestrictionKind::kReadOnly, s, std::nullopt);
    ASSERT_TRUE(restriction.ok()) << restriction.status().ToString();
    EXPECT_EQ(restriction->reason, s);
    auto active = store_->ActiveRestrictions(id);
    ASSERT_EQ(active->size(), 1u);
    EXPECT_EQ((*active)[0].reason, s);
    ASSERT_TRUE(store_->Lift("admin", restriction->id, s).ok());
    auto lifted =
        pool_->Exec("SELECT lift_reason FROM restrictions WHERE id = $1", {restriction->id});
    EXPECT_EQ((*lifted)[0].Str("lift_reason"), s);
    ASSERT_TRUE(store_->AppendAudit("admin", "test.inject", s, s).ok());
    auto audit = store_->ListAudit({.target = s, .action = "test.inject"});
    ASSERT_EQ(audit->entries.size(), 1u);
    EXPECT_EQ(audit->entries[0].target, s);
    EXPECT_EQ(audit->entries[0].detail, s);
    // As an id or a phone number they are refused, and as a login id they match nobody.
    Registration bad = Reg("other");
    bad.id = s;
    EXPECT_EQ(store_->Register(bad).status().code(), StatusCode::kInvalidArgument);
    bad = Reg("other");
    bad.phone = s;
    EXPECT_EQ(store_->Register(bad).status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(store_->Login(s, s, "203.0.113.9").status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(store_->GetProfile(s).status().code(), StatusCode::kNotFound);
  }
  EXPECT_EQ(Count("users"), static_cast<int64_t>(NastyStrings().size()) + 1);
}

TEST_F(AccountStoreTest, TwentyRacersForOneIdExactlyOneWins) {
  constexpr int kRacers = 20;
  std::vector<Status> results(kRacers);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRacers; ++i) {
    threads.emplace_back([&, i] {
      Registration r = Reg("popular");
      r.name = "racer " + std::to_string(i);
      ++ready;
      while (ready.load() < kRacers) std::this_thread::yield();
      results[i] = store_->Register(r).status();
    });
  }
  for (auto& t : threads) t.join();
  int winners = 0, winner = -1;
  for (int i = 0; i < kRacers; ++i) {
    if (results[i].ok()) {
      ++winners;
      winner = i;
    } else {
      EXPECT_STATUS(results[i], StatusCode::kAlreadyExists, "id: already taken");
    }
  }
  ASSERT_EQ(winners, 1);
  EXPECT_EQ(Count("users"), 1);
  EXPECT_EQ(store_->GetProfile("popular")->name, "racer " + std::to_string(winner));
  auto audit = store_->ListAudit({.action = "user.register"});
  EXPECT_EQ(audit->entries.size(), 1u);  // the losers left no trace
}

TEST_F(AccountStoreTest, WalletKeyIsRegisteredOnce) {
  MustRegister("alice");
  MustRegister("bob");
  const std::string key(64, 'a'), other(64, 'b');
  ASSERT_TRUE(store_->SetPublicKey("alice", key).ok());
  EXPECT_EQ(store_->GetProfile("alice")->key_fingerprint, key);
  EXPECT_TRUE(store_->SetPublicKey("alice", key).ok());  // the same again: fine
  EXPECT_STATUS(store_->SetPublicKey("alice", other), StatusCode::kFailedPrecondition,
                "public_key: this account already has");
  EXPECT_STATUS(store_->SetPublicKey("bob", key), StatusCode::kAlreadyExists,
                "public_key: already registered to another account");
  EXPECT_EQ(store_->GetProfile("bob")->key_fingerprint, "");
  for (const std::string& bad : {std::string(""), std::string(63, 'a'), std::string(64, 'A'),
                                 std::string(64, 'g'), std::string("'; DROP TABLE users; --")}) {
    EXPECT_STATUS(store_->SetPublicKey("bob", bad), StatusCode::kInvalidArgument, "public_key:");
  }
  EXPECT_STATUS(store_->SetPublicKey("nobody", other), StatusCode::kNotFound, "user not found");
  ASSERT_TRUE(store_->SetPublicKey("bob", other).ok());
  auto audit = store_->ListAudit({.action = "user.set_key"});
  EXPECT_EQ(audit->entries.size(), 2u);
}

TEST_F(AccountStoreTest, EraseRemovesPersonalDataAndKeepsThePseudonymousKey) {
  MustRegister("alice");
  MustRegister("admin", Role::kAdmin);
  MustRegister("mallory");
  const std::string key(64, 'c');
  ASSERT_TRUE(store_->SetPublicKey("alice", key).ok());
  Tokens t = MustLogin("alice");
  EXPECT_FALSE(store_->Login("alice", "wrong password", "198.51.100.7").ok());

  EXPECT_STATUS(store_->Erase("mallory", "alice"), StatusCode::kPermissionDenied,
                "only administrators");
  EXPECT_STATUS(store_->Erase("admin", "nobody"), StatusCode::kNotFound, "user not found");
  clock_.Advance(kMinute);
  ASSERT_TRUE(store_->Erase("alice", "alice").ok());

  auto p = store_->GetProfile("alice");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name, "");
  EXPECT_EQ(p->address, "");
  EXPECT_EQ(p->phone, "");
  EXPECT_EQ(p->erased_ms, kStartMs + kMinute);
  EXPECT_EQ(p->key_fingerprint, key);  // the ledger's pseudonym stays
  auto row = pool_->Exec(
      "SELECT name IS NULL AND address IS NULL AND phone IS NULL AND password_hash IS NULL AS gone "
      "FROM users WHERE id = 'alice'");
  EXPECT_TRUE((*row)[0].Bool("gone"));
  auto attempts = pool_->Exec("SELECT count(*) AS n FROM login_attempts WHERE login_id = 'alice'");
  EXPECT_EQ((*attempts)[0].Int("n"), 0);  // client addresses are personal data too
  auto clients = pool_->Exec("SELECT count(client) AS n FROM sessions WHERE user_id = 'alice'");
  EXPECT_EQ((*clients)[0].Int("n"), 0);

  EXPECT_STATUS(store_->Authenticate(t.access_token).status(), StatusCode::kUnauthenticated,
                "session ended");
  EXPECT_EQ(store_->Refresh(t.refresh_token).status().code(), StatusCode::kUnauthenticated);
  EXPECT_STATUS(store_->Login("alice", Reg("alice").password, "c").status(),
                StatusCode::kUnauthenticated, "wrong id or password");
  EXPECT_STATUS(store_->Register(Reg("alice")).status(), StatusCode::kAlreadyExists,
                "id: already taken");
  EXPECT_EQ(store_->SetPublicKey("alice", std::string(64, 'd')).code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_->Erase("alice", "alice").ok());  // again: nothing left to do
  ASSERT_TRUE(store_->Erase("admin", "mallory").ok());
  EXPECT_TRUE(store_->GetProfile("mallory")->erased_ms.has_value());
  auto audit = store_->ListAudit({.action = "user.erase"});
  ASSERT_EQ(audit->entries.size(), 2u);
  EXPECT_EQ(audit->entries[0].actor, "admin");
  EXPECT_EQ(audit->entries[1].actor, "alice");
  // Listed without personal data.
  auto users = store_->ListUsers({.text = "alice"});
  ASSERT_EQ(users->users.size(), 1u);
  EXPECT_TRUE(users->users[0].erased);
  EXPECT_EQ(users->users[0].name, "");
}

}  // namespace
}  // namespace carledger::store
