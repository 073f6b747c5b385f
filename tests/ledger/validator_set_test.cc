// Validator-set changes by configuration transaction: register, revoke and replace a
// validator; each takes effect at the next epoch boundary, and every block's certificate
// is checked against the set in force at its height (also by the offline audit).
#include <gtest/gtest.h>

#include "ledger/audit.h"
#include "ledger/system_contracts.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::Describe;
using testing::TestNetwork;

Json Args(std::initializer_list<std::pair<const std::string, Json>> kv) {
  Json j = Json::MakeObject();
  for (const auto& [k, v] : kv) j[k] = v;
  return j;
}

class ValidatorSetTest : public ::testing::Test {
 protected:
  ValidatorSetTest() : net_(4) {
    auto v = IssueMember(net_.ids().ca, Role::kValidator, "validator4", "PlatformOrg",
                         net_.now_ms() / 1000);
    EXPECT_TRUE(v.ok());
    fifth_ = std::move(v).value();
  }
  const Signer& validator(size_t i) const { return net_.ids().validators[i]; }
  void PassEpochBoundary() {
    uint64_t k = net_.ledger().epoch_blocks();
    uint64_t target = (net_.ledger().height() - 1) / k * k + k;  // the next boundary
    while (net_.ledger().height() <= target) net_.CommitBlock({});
  }
  // The next block, certified by `signers` only.
  Status CommitSignedBy(const std::vector<const Signer*>& signers) {
    net_.Advance(1);
    auto block = net_.ledger().Propose({}, net_.now_ms(), validator(1).id());
    if (!block.ok()) return block.status();
    for (const Signer* s : signers) {
      auto sig = SignCommit(block->header(), s->key);
      if (!sig.ok()) return sig.status();
      *block->mutable_certificate()->add_signatures() = *sig;
    }
    return net_.ledger().Commit(*block);
  }

  TestNetwork net_;
  Signer fifth_;
};

TEST_F(ValidatorSetTest, AddAndRemoveTakeEffectTogetherAtTheBoundary) {
  auto add =
      net_.Call(net_.admin(), "_msp", "register",
                Args({{"cert", ToHex(fifth_.certificate->der())}, {"address", "127.0.0.1:7105"}}));
  ASSERT_EQ(add.code(), ledger::VALID) << Describe(add);
  auto remove = net_.Call(net_.admin(), "_msp", "revoke",
                          Args({{"id", validator(0).id()}, {"reason", "retired"}}));
  ASSERT_EQ(remove.code(), ledger::VALID) << Describe(remove);
  uint64_t before = net_.ledger().height();
  EXPECT_EQ(net_.ledger().Validators()->count(validator(0).id()), 1u);
  EXPECT_EQ(net_.ledger().Validators()->count(fifth_.id()), 0u);

  PassEpochBoundary();
  uint64_t boundary = net_.ledger().height() - 1;
  ASSERT_EQ(boundary % net_.ledger().epoch_blocks(), 0u);
  auto now = net_.ledger().Validators();
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->size(), 4u);
  EXPECT_EQ(now->count(validator(0).id()), 0u);
  EXPECT_EQ(now->count(fifth_.id()), 1u);
  // History keeps its own sets.
  EXPECT_EQ(net_.ledger().ValidatorsFor(before)->count(validator(0).id()), 1u);
  EXPECT_EQ(net_.ledger().ValidatorsFor(boundary)->count(fifth_.id()), 0u);
  EXPECT_EQ(*net_.ledger().ValidatorSetChangedAt(net_.ledger().height()), boundary);
  EXPECT_EQ(
      net_.ledger().ValidatorsFor(boundary + 2 * net_.ledger().epoch_blocks()).status().code(),
      StatusCode::kOutOfRange);
  // The peers can find the new validator.
  auto all = net_.ledger().AllValidators();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->at(fifth_.id()).first.get_string("address"), "127.0.0.1:7105");
  EXPECT_TRUE(all->at(validator(0).id()).first.get_bool("revoked"));

  // n = 4 again (quorum 3): the removed validator's signature no longer counts...
  Status st = CommitSignedBy({&validator(0), &validator(1), &validator(2)});
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  EXPECT_NE(st.message().find("not a validator"), std::string::npos) << st.ToString();
  // ...and the new one's does.
  EXPECT_TRUE(CommitSignedBy({&validator(1), &validator(2), &fifth_}).ok());

  // The offline audit checks every certificate against the set of its height.
  net_.Close();
  auto report = AuditDataDir(net_.dir());
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST_F(ValidatorSetTest, ReplaceSwapsOneValidatorInOneTransaction) {
  auto r = net_.Call(net_.admin(), "_msp", "replace",
                     Args({{"id", validator(3).id()},
                           {"cert", ToHex(fifth_.certificate->der())},
                           {"reason", "hardware refresh"}}));
  ASSERT_EQ(r.code(), ledger::VALID) << Describe(r);
  PassEpochBoundary();
  auto set = net_.ledger().Validators();
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 4u);
  EXPECT_EQ(set->count(validator(3).id()), 0u);
  EXPECT_EQ(set->count(fifth_.id()), 1u);
}

TEST_F(ValidatorSetTest, BadChangesAreRefusedWithTheReason) {
  auto not_admin = net_.Call(validator(1), "_msp", "register",
                             Args({{"cert", ToHex(fifth_.certificate->der())}}));
  EXPECT_EQ(not_admin.code(), ledger::REJECTED);
  auto bad_address =
      net_.Call(net_.admin(), "_msp", "register",
                Args({{"cert", ToHex(fifth_.certificate->der())}, {"address", "no-port"}}));
  ASSERT_EQ(bad_address.code(), ledger::REJECTED);
  EXPECT_EQ(bad_address.reason().rfind("address:", 0), 0u) << bad_address.reason();
  auto replace_agency = net_.Call(net_.admin(), "_msp", "replace",
                                  Args({{"id", validator(0).id()},
                                        {"cert", ToHex(net_.NewAgency("A").certificate->der())},
                                        {"reason", "x"}}));
  ASSERT_EQ(replace_agency.code(), ledger::REJECTED);
  EXPECT_NE(replace_agency.reason().find("not a validator certificate"), std::string::npos)
      << replace_agency.reason();
  auto no_reason =
      net_.Call(net_.admin(), "_msp", "replace",
                Args({{"id", validator(0).id()}, {"cert", ToHex(fifth_.certificate->der())}}));
  EXPECT_EQ(no_reason.reason(), "reason: required");
}

TEST(ValidatorSetSingleTest, TheLastValidatorCannotBeRemoved) {
  TestNetwork net(1);
  auto r = net.Call(net.admin(), "_msp", "revoke",
                    Args({{"id", net.ids().validators[0].id()}, {"reason", "oops"}}));
  ASSERT_EQ(r.code(), ledger::REJECTED);
  EXPECT_NE(r.reason().find("last validator"), std::string::npos) << r.reason();
}

TEST(ValidatorSetSingleTest, EpochLengthComesFromGenesis) {
  testing::TempDir dir;
  auto ledger = Ledger::Open(dir.path());
  ASSERT_TRUE(ledger.ok());
  auto ids = CreateNetworkIdentities("net", {"Org"}, 1, 1'700'000'000);
  ASSERT_TRUE(ids.ok());
  ASSERT_TRUE(CommitGenesis(ledger->get(), *ids, {}, 1'700'000'000'000, 4).ok());
  EXPECT_EQ((*ledger)->epoch_blocks(), 4u);
  ledger->reset();
  auto reopened = Ledger::Open(dir.path());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ((*reopened)->epoch_blocks(), 4u);
}

}  // namespace
}  // namespace carledger
