// Shared set-up for the AccountStore tests: a fresh migrated database per test, a manual
// clock, cheap scrypt parameters (the cost is tested in password_test), and helpers.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "service/store/accounts.h"
#include "service/store/migrate.h"
#include "tests/support/pg_fixture.h"

namespace carledger::store {

// 2026-03-01 00:00:00 UTC.
constexpr int64_t kStartMs = 1772323200000;
constexpr int64_t kMinute = 60 * 1000;

// Strings that would break a statement built by concatenation, and non-ASCII text.
inline const std::vector<std::string>& NastyStrings() {
  static const std::vector<std::string> v = {
      "'; DROP TABLE users; --",
      "Robert'); DROP TABLE students; --",
      "\" OR \"1\"=\"1",
      "' OR '1'='1' --",
      "$1; $$ DROP $$; \\x27 %s %_ \\",
      "김민준 서울특별시 강남구 테헤란로 152",
      "🚗 O'Brien \"quoted\" `tick`",
  };
  return v;
}

class AccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = carledger::testing::PgTestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    PgPoolOptions po;
    po.size = 24;
    auto pool = PgPool::Open(db_->conninfo(), po);
    ASSERT_TRUE(pool.ok()) << pool.status().ToString();
    pool_ = std::move(pool).value();
    auto migrated = Migrate(*pool_);
    ASSERT_TRUE(migrated.ok()) << migrated.status().ToString();
    options_.scrypt = ScryptParams{1024, 8, 1};
    store_ = std::make_unique<AccountStore>(*pool_, clock_, options_);
  }
  void TearDown() override {
    store_.reset();
    pool_.reset();
    db_.reset();
  }

  static Registration Reg(const std::string& id) {
    Registration r;
    r.id = id;
    r.password = "correct horse " + id;
    r.name = "Kim " + id;
    r.address = "123 Teheran-ro, Gangnam-gu, Seoul";
    r.phone = "010-1234-5678";
    r.terms_version = "2026-01";
    r.terms_accepted = true;
    return r;
  }
  // Registers `id` (with Reg's fields and `role`) and fails the test if that fails.
  void MustRegister(const std::string& id, Role role = Role::kUser) {
    Registration r = Reg(id);
    r.role = role;
    auto p = store_->Register(r);
    ASSERT_TRUE(p.ok()) << id << ": " << p.status().ToString();
  }
  Tokens MustLogin(const std::string& id, const std::string& client = "192.0.2.1") {
    auto t = store_->Login(id, Reg(id).password, client);
    EXPECT_TRUE(t.ok()) << id << ": " << t.status().ToString();
    return t.ok() ? *t : Tokens{};
  }
  int64_t Count(const std::string& table) {
    auto r = pool_->Exec("SELECT count(*) AS n FROM " + table);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int("n") : -1;
  }

  ManualClock clock_{kStartMs};
  AccountStoreOptions options_;
  std::unique_ptr<carledger::testing::PgTestDatabase> db_;
  std::unique_ptr<PgPool> pool_;
  std::unique_ptr<AccountStore> store_;
};

// EXPECTs `s` to have `code` and a message starting with `prefix`.
#define EXPECT_STATUS(s, code_, prefix)                                             \
  do {                                                                              \
    ::carledger::Status st_ = (s);                                                  \
    EXPECT_EQ(st_.code(), code_) << st_.ToString();                                 \
    EXPECT_TRUE(st_.message().starts_with(prefix)) << "message: " << st_.message(); \
  } while (0)

}  // namespace carledger::store
