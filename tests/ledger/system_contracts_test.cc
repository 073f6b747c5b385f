// ledger/system_contracts: membership (_msp) and contract lifecycle (_lifecycle), through
// whole blocks on a test network.
#include "ledger/system_contracts.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/block_format.h"
#include "tests/support/test_network.h"

namespace carledger {
namespace {

using testing::Describe;
using testing::TempDir;
using testing::TestNetwork;

constexpr int64_t kStartMs = 1772323200000;

ContractPackage Probe(int version) {
  return {"probe", std::to_string(version) + ".0",
          R"(
local M = {}
function M.whoami() local c = ledger.caller() return { role = c.role, org = c.org, name = c.name } end
function M.version() return { v = )" +
              std::to_string(version) + R"( } end
function M.put(a) ledger.put(a.k, a.v .. "@v)" +
              std::to_string(version) + R"(") return {} end
return M
)"};
}

Json Args(std::initializer_list<std::pair<const std::string, Json>> kv) {
  return Json(Json::Object(kv));
}

Json Output(const ledger::TxResult& r) {
  auto j = Json::Parse(r.output());
  return j.ok() ? *j : Json();
}

Json InstallArgs(const ContractPackage& p, int64_t seq) {
  return Args({{"name", p.name}, {"version", p.version}, {"sequence", seq}, {"source", p.source}});
}
Json ApproveArgs(const ContractPackage& p, int64_t seq) {
  return Args({{"name", p.name}, {"sequence", seq}, {"hash", ToHex(Sha256(p.source))}});
}
Json CommitArgs(const std::string& name, int64_t seq) {
  return Args({{"name", name}, {"sequence", seq}});
}

// A network whose admins come from several organisations (TestNetwork has one).
class MultiOrgNetwork {
 public:
  explicit MultiOrgNetwork(const std::vector<std::string>& orgs) {
    auto ids = CreateNetworkIdentities("MultiNet", orgs, 1, now_ / 1000);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    ids_ = std::move(ids).value();
    auto l = Ledger::Open(dir_.path());
    EXPECT_TRUE(l.ok()) << l.status().ToString();
    ledger_ = std::move(l).value();
    auto g = CommitGenesis(ledger_.get(), ids_, {Probe(1)}, now_);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    orderer_ = std::make_unique<SoloOrderer>(ledger_.get(),
                                             std::vector<PrivateKey>{ids_.validators[0].key});
  }
  const Signer& admin(size_t i) const { return ids_.admins[i]; }
  ledger::TxEnvelope Tx(const Signer& who, const std::string& contract, const std::string& fn,
                        const Json& args) {
    auto tx = MakeTransaction(who, contract, fn, args, nonce_++, now_);
    EXPECT_TRUE(tx.ok());
    return *tx;
  }
  std::vector<ledger::TxResult> Block(const std::vector<ledger::TxEnvelope>& txs) {
    auto b = orderer_->CommitBatch(txs, ++now_);
    EXPECT_TRUE(b.ok()) << b.status().ToString();
    if (!b.ok()) return {};
    return {b->results().begin(), b->results().end()};
  }
  ledger::TxResult Call(const Signer& who, const std::string& contract, const std::string& fn,
                        const Json& args) {
    auto r = Block({Tx(who, contract, fn, args)});
    return r.empty() ? ledger::TxResult() : r[0];
  }
  Ledger& ledger() { return *ledger_; }

 private:
  TempDir dir_;
  NetworkIdentities ids_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<SoloOrderer> orderer_;
  int64_t now_ = kStartMs;
  uint64_t nonce_ = 1;
};

// ---- _msp ----

TEST(MspTest, OnlyAdminsRegister) {
  TestNetwork net(1, {Probe(1)});
  Signer agency = net.NewAgency("Seoul Inspect");
  auto fresh =
      IssueMember(net.ids().ca, Role::kAgency, "Busan Inspect", "Busan", net.now_ms() / 1000);
  ASSERT_TRUE(fresh.ok());
  Json args = Args({{"cert", ToHex(fresh->certificate->der())}});
  auto by_agency = net.Call(agency, "_msp", "register", args);
  EXPECT_EQ(by_agency.code(), ledger::REJECTED) << Describe(by_agency);
  EXPECT_NE(by_agency.reason().find("requires an admin certificate"), std::string::npos);
  auto by_user = net.Call(net.NewUser(), "_msp", "register", args);
  EXPECT_EQ(by_user.code(), ledger::REJECTED);
  auto state = net.ledger().GetState(kMemberPrefix + fresh->id());
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->has_value());
}

TEST(MspTest, RegisterAgencyThenItSignsWithItsRole) {
  TestNetwork net(1, {Probe(1)});
  auto agency = IssueMember(net.ids().ca, Role::kAgency, "Seoul Inspect", "SeoulInspectCo",
                            net.now_ms() / 1000);
  ASSERT_TRUE(agency.ok());
  // Not yet registered: its certificate is unknown.
  auto early = net.Call(*agency, "probe", "whoami", Json::MakeObject());
  EXPECT_EQ(early.code(), ledger::UNKNOWN_CREATOR) << Describe(early);
  EXPECT_NE(early.reason().find("not a registered member"), std::string::npos);

  auto reg = net.Call(net.admin(), "_msp", "register",
                      Args({{"cert", ToHex(agency->certificate->der())}}));
  ASSERT_EQ(reg.code(), ledger::VALID) << Describe(reg);
  ASSERT_EQ(reg.events_size(), 1);
  EXPECT_EQ(reg.events(0).name(), "member_registered");
  EXPECT_EQ(Output(reg).get_string("id"), agency->id());
  auto rec = net.ledger().GetState(kMemberPrefix + agency->id());
  ASSERT_TRUE(rec.ok() && rec->has_value());
  Json member = *Json::Parse(**rec);
  EXPECT_EQ(member.get_string("role"), "agency");
  EXPECT_EQ(member.get_string("org"), "SeoulInspectCo");
  EXPECT_EQ(member.get_string("serial"), agency->certificate->serial());
  EXPECT_FALSE(member.get_bool("revoked"));

  auto who = net.Call(*agency, "probe", "whoami", Json::MakeObject());
  ASSERT_EQ(who.code(), ledger::VALID) << Describe(who);
  EXPECT_EQ(who.output(), R"({"name":"Seoul Inspect","org":"SeoulInspectCo","role":"agency"})");
  // A trader's bare key is a user.
  EXPECT_EQ(
      Output(net.Call(net.NewUser(), "probe", "whoami", Json::MakeObject())).get_string("role"),
      "user");

  auto again = net.Call(net.admin(), "_msp", "register",
                        Args({{"cert", ToHex(agency->certificate->der())}}));
  EXPECT_EQ(again.code(), ledger::REJECTED);
  EXPECT_NE(again.reason().find("already registered"), std::string::npos);
}

TEST(MspTest, RevokedAgencyIsUnknownCreator) {
  TestNetwork net(1, {Probe(1)});
  Signer agency = net.NewAgency("Daegu Inspect");
  EXPECT_EQ(net.Call(agency, "probe", "version", Json::MakeObject()).code(), ledger::VALID);

  EXPECT_EQ(net.Call(net.admin(), "_msp", "revoke", Args({{"id", agency.id()}})).code(),
            ledger::REJECTED);  // no reason
  auto revoke = net.Call(net.admin(), "_msp", "revoke",
                         Args({{"id", agency.id()}, {"reason", "forged reports"}}));
  ASSERT_EQ(revoke.code(), ledger::VALID) << Describe(revoke);
  EXPECT_EQ(revoke.events(0).name(), "member_revoked");

  auto after = net.Call(agency, "probe", "version", Json::MakeObject());
  EXPECT_EQ(after.code(), ledger::UNKNOWN_CREATOR) << Describe(after);
  EXPECT_NE(after.reason().find("revoked"), std::string::npos);
  // Revoked is final: no second revocation, no re-registration of the key.
  EXPECT_EQ(
      net.Call(net.admin(), "_msp", "revoke", Args({{"id", agency.id()}, {"reason", "x"}})).code(),
      ledger::REJECTED);
  auto rereg =
      net.Call(net.admin(), "_msp", "register", Args({{"cert", ToHex(agency.certificate->der())}}));
  EXPECT_EQ(rereg.code(), ledger::REJECTED);
  EXPECT_NE(rereg.reason().find("revoked"), std::string::npos);
  EXPECT_EQ(net.Call(net.admin(), "_msp", "revoke", Args({{"id", "no-such-key"}, {"reason", "x"}}))
                .code(),
            ledger::REJECTED);
  auto self =
      net.Call(net.admin(), "_msp", "revoke", Args({{"id", net.admin().id()}, {"reason", "x"}}));
  EXPECT_EQ(self.code(), ledger::REJECTED);
  EXPECT_NE(self.reason().find("themself"), std::string::npos);
}

TEST(MspTest, RevocationTakesEffectWithinTheBlock) {
  TestNetwork net(1, {Probe(1)});
  Signer agency = net.NewAgency("Gwangju Inspect");
  auto results = net.CommitBlock(
      {net.Tx(net.admin(), "_msp", "revoke", Args({{"id", agency.id()}, {"reason", "r"}})),
       net.Tx(agency, "probe", "version", Json::MakeObject())});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].code(), ledger::VALID);
  EXPECT_EQ(results[1].code(), ledger::UNKNOWN_CREATOR) << Describe(results[1]);
}

TEST(MspTest, CertificatesFromAnotherCaOrRoleAreRefused) {
  TestNetwork net(1, {Probe(1)});
  auto other = CreateNetworkIdentities("EvilNet", {"Evil"}, 1, net.now_ms() / 1000);
  ASSERT_TRUE(other.ok());
  auto foreign = IssueMember(other->ca, Role::kAgency, "Fake Inspect", "Evil", net.now_ms() / 1000);
  ASSERT_TRUE(foreign.ok());
  auto r = net.Call(net.admin(), "_msp", "register",
                    Args({{"cert", ToHex(foreign->certificate->der())}}));
  EXPECT_EQ(r.code(), ledger::REJECTED);
  EXPECT_NE(r.reason().find("not issued by the network's CA"), std::string::npos) << r.reason();
  // Even signed directly, a foreign certificate is an unknown creator.
  EXPECT_EQ(net.Call(*foreign, "probe", "version", Json::MakeObject()).code(),
            ledger::UNKNOWN_CREATOR);

  auto user_cert = IssueMember(net.ids().ca, Role::kUser, "someone", "o", net.now_ms() / 1000);
  ASSERT_TRUE(user_cert.ok());
  auto u = net.Call(net.admin(), "_msp", "register",
                    Args({{"cert", ToHex(user_cert->certificate->der())}}));
  EXPECT_EQ(u.code(), ledger::REJECTED);
  EXPECT_NE(u.reason().find("cannot be registered"), std::string::npos);
  EXPECT_EQ(net.Call(net.admin(), "_msp", "register", Args({{"cert", "zz"}})).code(),
            ledger::REJECTED);
  EXPECT_EQ(net.Call(net.admin(), "_msp", "register",
                     Args({{"cert", ToHex(net.ids().ca.certificate->der())}}))
                .code(),
            ledger::REJECTED);

  // An expired certificate (issued 900 days ago, valid 825) is refused at registration.
  auto old =
      IssueMember(net.ids().ca, Role::kAgency, "Old", "o", net.now_ms() / 1000 - 900 * 86400);
  ASSERT_TRUE(old.ok());
  auto e =
      net.Call(net.admin(), "_msp", "register", Args({{"cert", ToHex(old->certificate->der())}}));
  EXPECT_EQ(e.code(), ledger::REJECTED);
  EXPECT_NE(e.reason().find("expired"), std::string::npos) << e.reason();
}

TEST(MspTest, RegisteringAValidatorChangesTheValidatorSetAtTheNextEpoch) {
  TestNetwork net(1, {Probe(1)});
  ASSERT_EQ(net.ledger().Validators()->size(), 1u);
  ASSERT_EQ(net.ledger().epoch_blocks(), kDefaultEpochBlocks);
  auto v = IssueMember(net.ids().ca, Role::kValidator, "validator-new", "PlatformOrg",
                       net.now_ms() / 1000);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(
      net.Call(net.admin(), "_msp", "register", Args({{"cert", ToHex(v->certificate->der())}}))
          .code(),
      ledger::VALID);
  // Agreed, but not in force before the epoch boundary.
  EXPECT_EQ(net.ledger().Validators()->size(), 1u);
  while (net.ledger().height() <= kDefaultEpochBlocks) net.CommitBlock({});
  auto set = net.ledger().Validators();
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->size(), 2u);
  EXPECT_EQ(set->count(v->id()), 1u);
  EXPECT_EQ(net.ledger().ValidatorsFor(kDefaultEpochBlocks)->size(), 1u);
  EXPECT_EQ(*net.ledger().ValidatorSetChangedAt(net.ledger().height()), kDefaultEpochBlocks);
}

// ---- _lifecycle ----

TEST(LifecycleTest, UpgradeTakesEffectFromTheNextBlock) {
  TestNetwork net(1, {Probe(1)});
  ContractPackage v2 = Probe(2);
  auto wrong_seq = net.Call(net.admin(), "_lifecycle", "install", InstallArgs(v2, 3));
  EXPECT_EQ(wrong_seq.code(), ledger::REJECTED);
  EXPECT_NE(wrong_seq.reason().find("must be 2"), std::string::npos) << wrong_seq.reason();
  EXPECT_EQ(net.Call(net.NewUser(), "_lifecycle", "install", InstallArgs(v2, 2)).code(),
            ledger::REJECTED);
  auto broken = InstallArgs({"probe", "x", "return {"}, 2);
  EXPECT_EQ(net.Call(net.admin(), "_lifecycle", "install", broken).code(), ledger::REJECTED);

  auto install = net.Call(net.admin(), "_lifecycle", "install", InstallArgs(v2, 2));
  ASSERT_EQ(install.code(), ledger::VALID) << Describe(install);
  EXPECT_EQ(Output(install).get_string("hash"), ToHex(Sha256(v2.source)));
  // Committing before approval fails (0 of 1 organisations).
  auto early = net.Call(net.admin(), "_lifecycle", "commit", CommitArgs("probe", 2));
  EXPECT_EQ(early.code(), ledger::REJECTED);
  EXPECT_NE(early.reason().find("0 of 1"), std::string::npos) << early.reason();
  Json bad_hash = ApproveArgs(v2, 2);
  bad_hash["hash"] = ToHex(Sha256("something else"));
  EXPECT_EQ(net.Call(net.admin(), "_lifecycle", "approve", bad_hash).code(), ledger::REJECTED);
  ASSERT_EQ(net.Call(net.admin(), "_lifecycle", "approve", ApproveArgs(v2, 2)).code(),
            ledger::VALID);
  EXPECT_EQ(net.Call(net.admin(), "_lifecycle", "approve", ApproveArgs(v2, 2)).code(),
            ledger::REJECTED);

  // Commit and a call in one block: the call still runs version 1.
  auto user = net.NewUser();
  uint64_t commit_height = net.ledger().height();
  auto same = net.CommitBlock({net.Tx(net.admin(), "_lifecycle", "commit", CommitArgs("probe", 2)),
                               net.Tx(user, "probe", "version", Json::MakeObject())});
  ASSERT_EQ(same.size(), 2u);
  ASSERT_EQ(same[0].code(), ledger::VALID) << Describe(same[0]);
  EXPECT_EQ(Output(same[0]).get_int("effective_height"), static_cast<int64_t>(commit_height + 1));
  EXPECT_EQ(same[1].output(), R"({"v":1})");
  // The next block runs version 2.
  EXPECT_EQ(net.Call(user, "probe", "version", Json::MakeObject()).output(), R"({"v":2})");
  auto active = ActiveContract(net.ledger().state(), "probe", net.ledger().height());
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_EQ((*active)->sequence, 2);
  EXPECT_EQ((*active)->hash, ToHex(Sha256(v2.source)));
  auto at_commit = ActiveContract(net.ledger().state(), "probe", commit_height);
  EXPECT_EQ((*at_commit)->sequence, 1);
}

TEST(LifecycleTest, MajorityOfOrganisationsMustApprove) {
  MultiOrgNetwork net({"OrgA", "OrgB", "OrgC"});
  ContractPackage v2 = Probe(2);
  ASSERT_EQ(net.Call(net.admin(0), "_lifecycle", "install", InstallArgs(v2, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(0), "_lifecycle", "approve", ApproveArgs(v2, 2)).code(),
            ledger::VALID);
  auto one = net.Call(net.admin(0), "_lifecycle", "commit", CommitArgs("probe", 2));
  EXPECT_EQ(one.code(), ledger::REJECTED);
  EXPECT_NE(one.reason().find("1 of 3"), std::string::npos) << one.reason();
  ASSERT_EQ(net.Call(net.admin(1), "_lifecycle", "approve", ApproveArgs(v2, 2)).code(),
            ledger::VALID);
  auto two = net.Call(net.admin(2), "_lifecycle", "commit", CommitArgs("probe", 2));
  EXPECT_EQ(two.code(), ledger::VALID) << Describe(two);
  auto user = PrivateKey::Generate();
  Signer u{*user, std::nullopt};
  EXPECT_EQ(net.Call(u, "probe", "version", Json::MakeObject()).output(), R"({"v":2})");
}

TEST(LifecycleTest, ApprovalsAreForOnePackageHash) {
  // Re-installing the same sequence with other source must not inherit the approvals
  // given to the first package.
  MultiOrgNetwork net({"OrgA", "OrgB", "OrgC"});
  ContractPackage approved = Probe(2);
  ContractPackage swapped = Probe(3);
  swapped.version = "2.0";
  ASSERT_EQ(net.Call(net.admin(0), "_lifecycle", "install", InstallArgs(approved, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(0), "_lifecycle", "approve", ApproveArgs(approved, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(1), "_lifecycle", "approve", ApproveArgs(approved, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(2), "_lifecycle", "install", InstallArgs(swapped, 2)).code(),
            ledger::VALID);
  auto commit = net.Call(net.admin(2), "_lifecycle", "commit", CommitArgs("probe", 2));
  EXPECT_EQ(commit.code(), ledger::REJECTED) << "committed a package nobody approved";
  // Approving the package now installed works, and then the commit does.
  ASSERT_EQ(net.Call(net.admin(0), "_lifecycle", "approve", ApproveArgs(swapped, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(2), "_lifecycle", "approve", ApproveArgs(swapped, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(1), "_lifecycle", "commit", CommitArgs("probe", 2)).code(),
            ledger::VALID);
  auto active = ActiveContract(net.ledger().state(), "probe", net.ledger().height());
  ASSERT_TRUE(active.ok() && active->has_value());
  EXPECT_EQ((*active)->hash, ToHex(Sha256(swapped.source)));
}

TEST(LifecycleTest, FullReplayAfterUpgradeReproducesTheState) {
  TestNetwork net(1, {Probe(1)});
  auto user = net.NewUser();
  ASSERT_EQ(net.Call(user, "probe", "put", Args({{"k", "a"}, {"v", "x"}})).code(), ledger::VALID);
  ContractPackage v2 = Probe(2);
  ASSERT_EQ(net.Call(net.admin(), "_lifecycle", "install", InstallArgs(v2, 2)).code(),
            ledger::VALID);
  ASSERT_EQ(net.Call(net.admin(), "_lifecycle", "approve", ApproveArgs(v2, 2)).code(),
            ledger::VALID);
  auto mixed = net.CommitBlock({net.Tx(net.admin(), "_lifecycle", "commit", CommitArgs("probe", 2)),
                                net.Tx(user, "probe", "put", Args({{"k", "b"}, {"v", "y"}}))});
  ASSERT_EQ(mixed.size(), 2u);
  ASSERT_EQ(net.Call(user, "probe", "put", Args({{"k", "c"}, {"v", "z"}})).code(), ledger::VALID);
  EXPECT_EQ(**net.ledger().GetState("c/probe/b"), "y@v1");
  EXPECT_EQ(**net.ledger().GetState("c/probe/c"), "z@v2");
  std::string hash = net.ledger().state().state_hash();
  uint64_t height = net.ledger().height();

  net.Close();
  std::filesystem::remove_all(net.dir() + "/state");
  net.Reopen();  // replays every block; a block run with the wrong version would fail its check
  EXPECT_EQ(net.ledger().height(), height);
  EXPECT_EQ(net.ledger().state().state_hash(), hash);
  EXPECT_EQ(**net.ledger().GetState("c/probe/a"), "x@v1");
  EXPECT_EQ(**net.ledger().GetState("c/probe/b"), "y@v1");
  EXPECT_EQ(**net.ledger().GetState("c/probe/c"), "z@v2");
}

}  // namespace
}  // namespace carledger
