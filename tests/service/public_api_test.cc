// The public API against real carledger-node processes (4 validators, TLS, PostgreSQL):
// accounts (sign-up with the terms, sign-in, token rotation and reuse detection, wallet
// keys, profiles), and the ledger-backed services: signed transactions submitted and their fate
// mapped to the right status with field errors, cars read back, a car's history whose every event
// an app can verify (Merkle inclusion, commit certificate against the validator set, results hash,
// the chain of events), and the explorer (blocks by height and hash, transactions with
// proofs, a live block stream). Writers are signed-in accounts (PostgreSQL) whose
// registered wallet key signed the transaction.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

#include "carledger_api.grpc.pb.h"
#include "common/block_format.h"
#include "common/history_verify.h"
#include "common/merkle.h"
#include "common/x509.h"
#include "contracts/samples.h"
#include "ledger/ledger.h"
#include "ledger/network_dir.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"
#include "service/store/accounts.h"
#include "tests/support/pg_fixture.h"
#include "tests/support/test_network.h"

namespace carledger::service {
namespace {

using carledger::testing::TempDir;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class PublicApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    auto db = carledger::testing::PgTestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = db.value().release();
    LocalClusterOptions o;
    o.dir = tmp_->path() + "/net";
    o.node_binary = CARLEDGER_NODE;
    o.cli_binary = CARLEDGER_CLI;
    o.validators = 4;
    o.node_args = {"--batch", "100", "--pg", db_->conninfo()};
    o.init_args = {"--epoch", "8"};
    auto c = LocalCluster::Create(o);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = c.value().release();
    ASSERT_TRUE(cluster_->StartAll().ok());
    auto manifest = Json::Parse(ReadFile(o.dir + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[1];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(o.dir + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
    auto channel = grpc::CreateCustomChannel(node.get_string("api_address"),
                                             grpc::SslCredentials(creds), args);
    market_ = v1::Market::NewStub(channel).release();
    accounts_ = v1::Accounts::NewStub(channel).release();
    // The public API comes up after the cluster port (and the schema migration).
    bool up = false;
    std::string last_error;
    for (int i = 0; i < 3 && !up; ++i) {
      grpc::ClientContext ctx;
      ctx.set_wait_for_ready(true);
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      v1::Terms terms;
      grpc::Status st = accounts_->GetTerms(&ctx, v1::Empty(), &terms);
      up = st.ok();
      last_error = st.error_message();
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(up) << "node1's public API did not come up (" << last_error << "):\n"
                    << ReadFile(o.dir + "/node1.log").value();
    explorer_ = v1::Explorer::NewStub(channel).release();
  }
  static void TearDownTestSuite() {
    delete market_;
    delete explorer_;
    delete accounts_;
    delete cluster_;
    delete db_;
    delete tmp_;
  }

  // A signed-in trader with a wallet key registered to the account.
  struct Trader {
    Signer key;
    std::string token;
  };
  static Trader NewTrader(const std::string& login) {
    Trader t{Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    grpc::ClientContext c0;
    v1::Terms terms;
    EXPECT_TRUE(accounts_->GetTerms(&c0, v1::Empty(), &terms).ok());
    grpc::ClientContext c1;
    v1::RegisterRequest r;
    r.set_login_id(login);
    r.set_password("correct horse battery");
    r.set_name("김민준");
    r.set_address("서울특별시 강남구 테헤란로 1");
    r.set_phone("010-1234-5678");
    r.set_terms_version(terms.version());
    r.set_agree_terms(true);
    v1::Session session;
    grpc::Status st = accounts_->Register(&c1, r, &session);
    EXPECT_TRUE(st.ok()) << st.error_message();
    t.token = session.access_token();
    grpc::ClientContext c2;
    c2.AddMetadata("authorization", "Bearer " + t.token);
    v1::SetPublicKeyRequest k;
    k.set_public_key_der(t.key.key.public_key().der());
    k.set_proof_signature(t.key.key.Sign("carledger-key:" + login).value());
    v1::Profile profile;
    st = accounts_->SetPublicKey(&c2, k, &profile);
    EXPECT_TRUE(st.ok()) << st.error_message();
    EXPECT_EQ(profile.wallet(), t.key.id());
    return t;
  }

  static ledger::TxEnvelope Tx(const Signer& who, const std::string& function, const Json& args) {
    return MakeTransaction(who, "car_trade", function, args, nonce_++, NowMs()).value();
  }

  static grpc::Status Submit(const Trader& who, const ledger::TxEnvelope& tx,
                             v1::TransactionOutcome* out, v1::FieldErrors* field_errors = nullptr) {
    grpc::ClientContext ctx;
    if (!who.token.empty()) ctx.AddMetadata("authorization", "Bearer " + who.token);
    v1::SubmitTransactionRequest req;
    *req.mutable_transaction() = tx;
    grpc::Status st = market_->SubmitTransaction(&ctx, req, out);
    if (field_errors) {
      auto it = ctx.GetServerTrailingMetadata().find("field-errors-bin");
      if (it != ctx.GetServerTrailingMetadata().end())
        field_errors->ParseFromString(std::string(it->second.data(), it->second.size()));
    }
    return st;
  }

  static TempDir* tmp_;
  static carledger::testing::PgTestDatabase* db_;
  static v1::Accounts::Stub* accounts_;
  static LocalCluster* cluster_;
  static v1::Market::Stub* market_;
  static v1::Explorer::Stub* explorer_;
  static uint64_t nonce_;
};

TempDir* PublicApiTest::tmp_ = nullptr;
carledger::testing::PgTestDatabase* PublicApiTest::db_ = nullptr;
v1::Accounts::Stub* PublicApiTest::accounts_ = nullptr;
LocalCluster* PublicApiTest::cluster_ = nullptr;
v1::Market::Stub* PublicApiTest::market_ = nullptr;
v1::Explorer::Stub* PublicApiTest::explorer_ = nullptr;
uint64_t PublicApiTest::nonce_ = 1;

TEST_F(PublicApiTest, SubmittedTransactionsCommitAndCarsReadBack) {
  Trader t = NewTrader("seller1");
  const Signer& seller = t.key;
  std::string vin = SampleVin("KMHAPX", 1);
  v1::TransactionOutcome out;
  grpc::Status st = Submit(t, Tx(seller, "register_car", SampleCarRegistration(vin, 1)), &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.code(), ledger::VALID);
  EXPECT_GT(out.height(), 0u);
  EXPECT_NE(out.output_json().find(vin), std::string::npos) << out.output_json();
  Json price = Json::MakeObject();
  price["vin"] = vin;
  price["price"] = static_cast<int64_t>(23'500'000);
  ASSERT_TRUE(Submit(t, Tx(seller, "list", price), &out).ok());

  grpc::ClientContext ctx;
  v1::GetCarRequest req;
  req.set_vin(vin);
  v1::Car car;
  ASSERT_TRUE(market_->GetCar(&ctx, req, &car).ok());
  auto record = Json::Parse(car.record_json()).value();
  EXPECT_EQ(record.get_string("owner"), seller.id());
  EXPECT_EQ(record.get_string("status"), "listed");
  EXPECT_EQ(car.listing().price(), 23'500'000);
  EXPECT_EQ(car.listing().seller(), seller.id());
  EXPECT_EQ(car.listing().vin(), vin);

  // Resubmitting the same signed transaction is harmless: the same outcome.
  auto tx = Tx(seller, "reprice", [&] {
    Json j = price;
    j["price"] = static_cast<int64_t>(22'900'000);
    return j;
  }());
  v1::TransactionOutcome first, again;
  ASSERT_TRUE(Submit(t, tx, &first).ok());
  ASSERT_TRUE(Submit(t, tx, &again).ok());
  EXPECT_EQ(first.tx_id(), again.tx_id());
  EXPECT_EQ(first.height(), again.height());
}

TEST_F(PublicApiTest, BadInputGetsTheRightStatusAndNamesTheField) {
  Trader t = NewTrader("buyer1");
  const Signer& user = t.key;
  v1::TransactionOutcome out;
  v1::FieldErrors fields;
  grpc::Status st = Submit(t, ledger::TxEnvelope(), &out, &fields);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(fields.errors_size(), 1);
  EXPECT_EQ(fields.errors(0).field(), "transaction");

  auto good = Tx(user, "register_car", SampleCarRegistration(SampleVin("KMHAPX", 2), 2));
  // Not signed in; a forged token; someone else's key.
  st = Submit(Trader{}, good, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
  st = Submit(Trader{user, "at_forged"}, good, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
  Trader other = NewTrader("buyer2");
  st = Submit(other, good, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();

  auto forged = good;
  forged.mutable_signature()->back() ^= 1;
  st = Submit(t, forged, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(st.error_message().rfind("transaction: ", 0), 0u) << st.error_message();

  // The contract's rule about one field: INVALID_ARGUMENT naming it.
  Json bad = SampleCarRegistration(SampleVin("KMHAPX", 3), 3);
  bad["year"] = static_cast<int64_t>(1900);
  fields.Clear();
  st = Submit(t, Tx(user, "register_car", bad), &out, &fields);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  ASSERT_GE(fields.errors_size(), 1) << st.error_message();
  EXPECT_EQ(fields.errors(0).field(), "year");

  // A rule that is not about a field: FAILED_PRECONDITION.
  std::string vin = SampleVin("KMHAPX", 4);
  ASSERT_TRUE(Submit(t, Tx(user, "register_car", SampleCarRegistration(vin, 4)), &out).ok());
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(10'000'000);
  st = Submit(other, Tx(other.key, "list", list), &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();

  grpc::ClientContext c1;
  v1::GetCarRequest req;
  req.set_vin("short");
  v1::Car car;
  st = market_->GetCar(&c1, req, &car);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message().rfind("vin: ", 0), 0u);
  grpc::ClientContext c2;
  req.set_vin(SampleVin("KMHAPX", 999));
  st = market_->GetCar(&c2, req, &car);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
}

TEST_F(PublicApiTest, ACarsHistoryCarriesProofsThatVerify) {
  Trader t = NewTrader("seller2");
  const Signer& seller = t.key;
  std::string vin = SampleVin("KMHAPX", 10);
  v1::TransactionOutcome out;
  ASSERT_TRUE(Submit(t, Tx(seller, "register_car", SampleCarRegistration(vin, 10)), &out).ok());
  for (int64_t price : {30'000'000, 29'000'000, 28'500'000}) {
    Json j = Json::MakeObject();
    j["vin"] = vin;
    j["price"] = price;
    ASSERT_TRUE(Submit(t, Tx(seller, price == 30'000'000 ? "list" : "reprice", j), &out).ok());
  }
  grpc::ClientContext ctx;
  v1::GetCarHistoryRequest req;
  req.set_vin(vin);
  v1::CarHistory history;
  ASSERT_TRUE(market_->GetCarHistory(&ctx, req, &history).ok());
  ASSERT_EQ(history.events_size(), 4);

  // Everything below uses only what the reply carries plus the network's CA.
  Certificate ca = Certificate::FromPem(ReadFile(cluster_->dir() + "/ca/ca.crt").value()).value();
  std::map<uint64_t, const ledger::Block*> headers;
  for (const auto& b : history.headers()) headers[b.header().height()] = &b;
  std::string prev_tx;
  for (const auto& e : history.events()) {
    ASSERT_TRUE(headers.count(e.block_height()));
    const ledger::Block& block = *headers[e.block_height()];
    MerkleProof proof;
    proof.leaf_index = e.tx_index();
    proof.leaf_count = e.tx_count();
    for (const auto& p : e.merkle_path()) proof.path.push_back(p);
    EXPECT_TRUE(VerifyMerkleProof(TxLeafHash(e.transaction()), proof, block.header().tx_root()))
        << "event " << e.seq();
    EXPECT_EQ(ResultsHash(block), block.header().results_hash());
    EXPECT_EQ(block.results(static_cast<int>(e.tx_index())).tx_id(), TxId(e.transaction()));
    EXPECT_EQ(block.results(static_cast<int>(e.tx_index())).code(), ledger::VALID);
    // The certificate, against the validator set of that block (certificates from the CA).
    ValidatorSet set;
    for (const auto& vs : history.validator_sets()) {
      if (vs.from_height() > e.block_height()) continue;
      set.clear();
      for (const auto& der : vs.certificates_der()) {
        auto cert = Certificate::FromDer(der).value();
        ASSERT_TRUE(VerifyCertificate(ca, cert, NowMs() / 1000).ok());
        set.emplace(cert.public_key().Fingerprint(), cert.public_key());
      }
    }
    EXPECT_TRUE(VerifyCommitCertificate(block, set).ok()) << "block " << e.block_height();
    auto ev = Json::Parse(e.event_json()).value();
    EXPECT_EQ(ev.get_string("prev_tx"), prev_tx);
    EXPECT_EQ(ev.get_string("tx_id"), ToHex(TxId(e.transaction())));
    prev_tx = ev.get_string("tx_id");
  }
  EXPECT_EQ(Json::Parse(history.car_json()).value().get_string("last_tx"), prev_tx);

  // The apps' verifier agrees, and catches each kind of tampering.
  HistoryCheck check = VerifyCarHistory(history, ca, NowMs() / 1000);
  ASSERT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.events, 4u);
  EXPECT_EQ(check.validators, 4u);
  EXPECT_GE(check.signers, 3u);
  v1::CarHistory left_out = history;
  left_out.mutable_events()->DeleteSubrange(3, 1);
  EXPECT_FALSE(VerifyCarHistory(left_out, ca, NowMs() / 1000).ok);
  v1::CarHistory forged_cert = history;
  for (auto& b : *forged_cert.mutable_headers()) {
    for (auto& sig : *b.mutable_certificate()->mutable_signatures())
      sig.mutable_signature()->back() ^= 1;
  }
  HistoryCheck bad = VerifyCarHistory(forged_cert, ca, NowMs() / 1000);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.problem.find("certified by 0 of 4"), std::string::npos) << bad.problem;
  v1::CarHistory rewritten = history;
  rewritten.mutable_events(1)->set_event_json(
      Json::Parse(history.events(1).event_json()).value().Dump() + " ");
  auto* tx = rewritten.mutable_events(2)->mutable_transaction();
  tx->mutable_payload()->back() ^= 1;
  bad = VerifyCarHistory(rewritten, ca, NowMs() / 1000);
  EXPECT_FALSE(bad.ok);
  EXPECT_NE(bad.problem.find("event 3"), std::string::npos) << bad.problem;
}

TEST_F(PublicApiTest, ExplorerServesBlocksTransactionsAndAStream) {
  grpc::ClientContext c0;
  v1::ChainInfo info;
  ASSERT_TRUE(explorer_->GetChainInfo(&c0, v1::Empty(), &info).ok());
  EXPECT_GT(info.height(), 0u);
  EXPECT_EQ(info.validators_size(), 4);
  EXPECT_EQ(info.epoch_blocks(), 8u);

  grpc::ClientContext c1;
  v1::GetBlockRequest by_height;
  by_height.set_height(0);
  ledger::Block genesis;
  ASSERT_TRUE(explorer_->GetBlock(&c1, by_height, &genesis).ok());
  grpc::ClientContext c2;
  v1::GetBlockRequest by_hash;
  by_hash.set_hash(BlockHash(genesis.header()));
  ledger::Block same;
  ASSERT_TRUE(explorer_->GetBlock(&c2, by_hash, &same).ok());
  EXPECT_EQ(same.header().height(), 0u);
  grpc::ClientContext c3;
  by_height.set_height(1'000'000);
  EXPECT_EQ(explorer_->GetBlock(&c3, by_height, &same).error_code(), grpc::StatusCode::NOT_FOUND);

  // A live stream: start at the next height, then commit something.
  grpc::ClientContext watch_ctx;
  v1::WatchBlocksRequest w;
  w.set_from_height(info.height());
  w.set_headers_only(true);
  auto reader = explorer_->WatchBlocks(&watch_ctx, w);
  Trader t = NewTrader("seller3");
  v1::TransactionOutcome out;
  auto tx = Tx(t.key, "register_car", SampleCarRegistration(SampleVin("KMHAPX", 20), 20));
  ASSERT_TRUE(Submit(t, tx, &out).ok());
  ledger::Block streamed;
  ASSERT_TRUE(reader->Read(&streamed));
  EXPECT_EQ(streamed.header().height(), info.height());
  EXPECT_EQ(streamed.transactions_size(), 0);
  watch_ctx.TryCancel();

  grpc::ClientContext c4;
  v1::GetTransactionRequest treq;
  treq.set_tx_id(out.tx_id());
  v1::TransactionDetail detail;
  ASSERT_TRUE(explorer_->GetTransaction(&c4, treq, &detail).ok());
  EXPECT_EQ(detail.height(), out.height());
  grpc::ClientContext c5;
  by_height.set_height(detail.height());
  ledger::Block holder;
  ASSERT_TRUE(explorer_->GetBlock(&c5, by_height, &holder).ok());
  MerkleProof proof{detail.index(), detail.tx_count(), {}};
  for (const auto& p : detail.merkle_path()) proof.path.push_back(p);
  EXPECT_TRUE(
      VerifyMerkleProof(TxLeafHash(detail.transaction()), proof, holder.header().tx_root()));
  grpc::ClientContext c6;
  treq.set_tx_id("short");
  EXPECT_EQ(explorer_->GetTransaction(&c6, treq, &detail).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(PublicApiTest, AccountsSignUpSignInRotateAndProtectPersonalData) {
  grpc::ClientContext c0;
  v1::Terms terms;
  ASSERT_TRUE(accounts_->GetTerms(&c0, v1::Empty(), &terms).ok());
  EXPECT_FALSE(terms.text_ko().empty());

  // Bad sign-ups name their fields as the form has them.
  auto register_as = [&](v1::RegisterRequest r, v1::Session* s, v1::FieldErrors* fields) {
    grpc::ClientContext ctx;
    grpc::Status st = accounts_->Register(&ctx, r, s);
    auto it = ctx.GetServerTrailingMetadata().find("field-errors-bin");
    if (fields && it != ctx.GetServerTrailingMetadata().end())
      fields->ParseFromString(std::string(it->second.data(), it->second.size()));
    return st;
  };
  v1::RegisterRequest r;
  r.set_login_id("A B");
  r.set_password("short");
  r.set_name("Robert'); DROP TABLE users; --");
  r.set_address("부산광역시 해운대구");
  r.set_phone("010-9876-5432");
  r.set_terms_version(terms.version());
  r.set_agree_terms(false);
  v1::Session session;
  v1::FieldErrors fields;
  grpc::Status st = register_as(r, &session, &fields);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  std::set<std::string> named;
  for (const auto& f : fields.errors()) named.insert(f.field());
  EXPECT_TRUE(named.count("login_id")) << st.error_message();
  EXPECT_TRUE(named.count("password")) << st.error_message();
  EXPECT_TRUE(named.count("agree_terms")) << st.error_message();

  // A good one; the injection string is just a name, stored and returned verbatim.
  r.set_login_id("injector");
  r.set_password("a long enough password");
  r.set_agree_terms(true);
  st = register_as(r, &session, nullptr);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(session.profile().name(), "Robert'); DROP TABLE users; --");
  EXPECT_EQ(register_as(r, &session, nullptr).error_code(), grpc::StatusCode::ALREADY_EXISTS);

  // Wrong password; then sign in and rotate: the used refresh token revokes the family.
  grpc::ClientContext c1;
  v1::LoginRequest login;
  login.set_login_id("injector");
  login.set_password("wrong password!");
  v1::Session s1;
  EXPECT_EQ(accounts_->Login(&c1, login, &s1).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  grpc::ClientContext c2;
  login.set_password("a long enough password");
  ASSERT_TRUE(accounts_->Login(&c2, login, &s1).ok());
  grpc::ClientContext c3;
  v1::RefreshRequest refresh;
  refresh.set_refresh_token(s1.refresh_token());
  v1::Session s2;
  ASSERT_TRUE(accounts_->Refresh(&c3, refresh, &s2).ok());
  EXPECT_NE(s2.refresh_token(), s1.refresh_token());
  grpc::ClientContext c4;
  v1::Session s3;
  st = accounts_->Refresh(&c4, refresh, &s3);  // the old one again: stolen
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(st.error_message().find("reuse"), std::string::npos) << st.error_message();
  grpc::ClientContext c5;
  c5.AddMetadata("authorization", "Bearer " + s2.access_token());
  v1::GetProfileRequest me;
  v1::Profile profile;
  EXPECT_EQ(accounts_->GetProfile(&c5, me, &profile).error_code(),
            grpc::StatusCode::UNAUTHENTICATED)
      << "the whole family must be revoked";

  // A wallet key needs proof of possession; others see no personal data.
  Trader t = NewTrader("keyholder");
  grpc::ClientContext c6;
  c6.AddMetadata("authorization", "Bearer " + t.token);
  v1::SetPublicKeyRequest k;
  Signer other{PrivateKey::Generate().value(), std::nullopt};
  k.set_public_key_der(other.key.public_key().der());
  k.set_proof_signature(t.key.key.Sign("carledger-key:keyholder").value());
  st = accounts_->SetPublicKey(&c6, k, &profile);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(st.error_message().rfind("proof_signature: ", 0), 0u) << st.error_message();
  grpc::ClientContext c7;
  c7.AddMetadata("authorization", "Bearer " + t.token);
  v1::GetProfileRequest them;
  them.set_user_id("injector");
  ASSERT_TRUE(accounts_->GetProfile(&c7, them, &profile).ok());
  EXPECT_EQ(profile.login_id(), "injector");
  EXPECT_TRUE(profile.name().empty());
  EXPECT_TRUE(profile.phone().empty());
  EXPECT_TRUE(profile.address().empty());

  // Logout ends the session.
  grpc::ClientContext c8;
  c8.AddMetadata("authorization", "Bearer " + t.token);
  v1::Empty none;
  ASSERT_TRUE(accounts_->Logout(&c8, v1::Empty(), &none).ok());
  grpc::ClientContext c9;
  c9.AddMetadata("authorization", "Bearer " + t.token);
  EXPECT_EQ(accounts_->GetProfile(&c9, me, &profile).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

// The README's scripted trade (carledger trade), through this cluster's public API.
TEST_F(PublicApiTest, TheScriptedTradeRunsThroughThePublicApi) {
  std::string out;
  int rc = cluster_->RunCli({"trade", "--pg", db_->conninfo(), "--via", "node2"}, &out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("buyer confirms the purchase"), std::string::npos) << out;
  EXPECT_NE(out.find("the buyer: yes"), std::string::npos) << out;
  EXPECT_NE(out.find("verified: 6 events"), std::string::npos) << out;
  EXPECT_NE(out.find("trade COMPLETED"), std::string::npos) << out;
  EXPECT_NE(out.find("charge approved"), std::string::npos) << out;
  EXPECT_NE(out.find("seller's wallet: 18,500,000 won"), std::string::npos) << out;
}

TEST_F(PublicApiTest, SearchFindsListedCarsWithFiltersSortAndPages) {
  Trader t = NewTrader("dealer1");
  v1::TransactionOutcome out;
  const std::vector<std::pair<std::string, int64_t>> cars = {{"Genesis", 41'000'000},
                                                             {"Genesis", 39'500'000},
                                                             {"Genesis", 45'000'000},
                                                             {"Kia", 9'900'000}};
  for (size_t i = 0; i < cars.size(); ++i) {
    std::string vin = SampleVin("KMHSRC", 100 + i);
    Json reg = SampleCarRegistration(vin, 100 + i);
    reg["make"] = cars[i].first;
    reg["model"] = "G80 Search Test";
    ASSERT_TRUE(Submit(t, Tx(t.key, "register_car", reg), &out).ok());
    Json list = Json::MakeObject();
    list["vin"] = vin;
    list["price"] = cars[i].second;
    ASSERT_TRUE(Submit(t, Tx(t.key, "list", list), &out).ok());
  }
  auto search = [&](v1::SearchRequest req, v1::SearchReply* reply) {
    grpc::ClientContext ctx;
    return market_->Search(&ctx, req, reply);
  };
  v1::SearchRequest req;
  req.set_model("G80 Search Test");
  req.set_make("Genesis");
  req.set_sort(v1::SORT_PRICE_ASC);
  req.set_page_size(2);
  v1::SearchReply page1, page2;
  ASSERT_TRUE(search(req, &page1).ok());
  EXPECT_EQ(page1.total(), 3);
  ASSERT_EQ(page1.results_size(), 2);
  EXPECT_EQ(page1.results(0).price(), 39'500'000);
  EXPECT_EQ(page1.results(1).price(), 41'000'000);
  EXPECT_EQ(page1.results(0).seller(), t.key.id());
  ASSERT_FALSE(page1.next_page_token().empty());
  req.set_page_token(page1.next_page_token());
  ASSERT_TRUE(search(req, &page2).ok());
  ASSERT_EQ(page2.results_size(), 1);
  EXPECT_EQ(page2.results(0).price(), 45'000'000);
  EXPECT_TRUE(page2.next_page_token().empty());

  // A price range across makes.
  v1::SearchRequest cheap;
  cheap.set_model("G80 Search Test");
  cheap.set_price_max(10'000'000);
  v1::SearchReply r;
  ASSERT_TRUE(search(cheap, &r).ok());
  ASSERT_EQ(r.results_size(), 1);
  EXPECT_EQ(r.results(0).make(), "Kia");

  // Bad queries name their fields; a token for another query is refused.
  v1::SearchRequest bad;
  bad.set_year_min(2020);
  bad.set_year_max(2010);
  bad.set_mileage_min_km(-5);
  grpc::ClientContext ctx;
  grpc::Status st = market_->Search(&ctx, bad, &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("year_min"), std::string::npos) << st.error_message();
  EXPECT_NE(st.error_message().find("mileage_min_km"), std::string::npos) << st.error_message();
  v1::SearchRequest other = cheap;
  other.set_page_token(page1.next_page_token());
  EXPECT_EQ(search(other, &r).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

// 100 buyers race for one car through the public API: exactly one escrow opens; every
// other buyer is told why (FAILED_PRECONDITION), and nobody's money moves but the winner's.
TEST_F(PublicApiTest, HundredConcurrentBuyersOpenExactlyOneEscrow) {
  constexpr int kBuyers = 100;
  // Accounts made directly in the store with a cheap password hash (sign-in cost is not
  // under test here); wallets charged through the cluster API.
  auto pool = store::PgPool::Open(db_->conninfo(), 4);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  store::SystemClock clock;
  store::AccountStoreOptions cheap;
  cheap.scrypt.n = 1 << 10;
  store::AccountStore direct(**pool, clock, cheap);
  auto net = LoadNetworkDir(cluster_->dir());
  ASSERT_TRUE(net.ok()) << net.status().ToString();
  const Signer& admin = net->ids.admins.front();
  std::vector<Trader> buyers;
  std::vector<ledger::TxEnvelope> charges;
  for (int i = 0; i < kBuyers; ++i) {
    std::string login = "racer" + std::to_string(i);
    store::Registration r{login,           "racing password", "구매자", "서울",
                          "010-1111-2222", "2026-01",         true};
    ASSERT_TRUE(direct.Register(r).ok());
    Trader t{Signer{PrivateKey::Generate().value(), std::nullopt}, ""};
    ASSERT_TRUE(direct.SetPublicKey(login, t.key.id()).ok());
    auto tokens = direct.Login(login, "racing password", "test");
    ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
    t.token = tokens->access_token;
    Json c = Json::MakeObject();
    c["amount"] = static_cast<int64_t>(50'000'000);
    charges.push_back(Tx(t.key, "request_charge", c));
    buyers.push_back(std::move(t));
  }
  auto stub = cluster_->Stub("node0");
  auto requested = SubmitAndWait(stub.get(), charges);
  ASSERT_TRUE(requested.ok()) << requested.status().ToString();
  std::vector<ledger::TxEnvelope> approvals;
  for (const auto& tx : charges) {
    Json a = Json::MakeObject();
    a["charge_id"] = ToHex(TxId(tx));
    approvals.push_back(
        MakeTransaction(admin, "car_trade", "approve_charge", a, nonce_++, NowMs()).value());
  }
  auto approved = SubmitAndWait(stub.get(), approvals);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  for (const auto& s : *approved) ASSERT_EQ(s.code(), ledger::VALID) << s.reason();

  Trader seller = NewTrader("racedseller");
  std::string vin = SampleVin("KMHRCE", 1);
  v1::TransactionOutcome out;
  ASSERT_TRUE(
      Submit(seller, Tx(seller.key, "register_car", SampleCarRegistration(vin, 1)), &out).ok());
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(33'000'000);
  ASSERT_TRUE(Submit(seller, Tx(seller.key, "list", list), &out).ok());

  auto channel = [&] {
    auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
    const Json& node = manifest.get("nodes").as_array()[2];
    grpc::SslCredentialsOptions creds;
    creds.pem_root_certs = ReadFile(cluster_->dir() + "/ca/ca.crt").value();
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride(node.get_string("tls_name"));
    return grpc::CreateCustomChannel(node.get_string("api_address"), grpc::SslCredentials(creds),
                                     args);
  }();
  auto trades = v1::Trades::NewStub(channel);
  std::vector<ledger::TxEnvelope> bids;
  for (const auto& b : buyers) bids.push_back(Tx(b.key, "open_escrow", list));
  std::atomic<int> won{0}, refused{0}, other{0};
  int winner = -1;
  std::string escrow_id;
  std::vector<std::thread> racers;
  for (int i = 0; i < kBuyers; ++i) {
    racers.emplace_back([&, i] {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + buyers[i].token);
      v1::SubmitTransactionRequest req;
      *req.mutable_transaction() = bids[i];
      req.set_timeout_ms(30000);
      v1::Trade trade;
      grpc::Status st = trades->Step(&ctx, req, &trade);
      if (st.ok() && trade.status() == "FUNDED") {
        ++won;
        winner = i;  // one thread only (asserted below)
        escrow_id = trade.escrow_id();
      } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        ++refused;
      else {
        ++other;
        ADD_FAILURE() << st.error_code() << " " << st.error_message();
      }
    });
  }
  for (auto& t : racers) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), kBuyers - 1);
  EXPECT_EQ(other.load(), 0);
  grpc::ClientContext ctx;
  v1::GetCarRequest req;
  req.set_vin(vin);
  v1::Car car;
  ASSERT_TRUE(market_->GetCar(&ctx, req, &car).ok());
  EXPECT_EQ(Json::Parse(car.record_json()).value().get_string("status"), "in_escrow");

  // The trade is its parties' business: the winner sees it, another buyer may not.
  ASSERT_GE(winner, 0);
  auto get_trade = [&](const Trader& who, const std::string& id, v1::Trade* t) {
    grpc::ClientContext c;
    c.AddMetadata("authorization", "Bearer " + who.token);
    v1::GetTradeRequest r;
    r.set_escrow_id(id);
    return trades->GetTrade(&c, r, t);
  };
  v1::Trade trade;
  ASSERT_TRUE(get_trade(buyers[static_cast<size_t>(winner)], escrow_id, &trade).ok());
  EXPECT_EQ(trade.buyer(), buyers[static_cast<size_t>(winner)].key.id());
  EXPECT_EQ(trade.seller(), seller.key.id());
  EXPECT_EQ(trade.price(), 33'000'000);
  const Trader& loser = buyers[static_cast<size_t>((winner + 1) % kBuyers)];
  EXPECT_EQ(get_trade(loser, escrow_id, &trade).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(get_trade(loser, "not-an-id", &trade).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(get_trade(loser, std::string(64, 'a'), &trade).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The demo data generator (carledger seed): inspected, listed cars that search finds.
TEST_F(PublicApiTest, SeededDemoListingsAreInspectedAndSearchable) {
  std::string out;
  ASSERT_EQ(cluster_->RunCli({"seed", "--count", "40", "--via", "node3"}, &out), 0) << out;
  EXPECT_NE(out.find("40 listed"), std::string::npos) << out;
  v1::SearchRequest req;
  req.set_region("서울");
  req.set_sort(v1::SORT_PRICE_DESC);
  req.set_page_size(100);
  v1::SearchReply reply;
  // node1 (searched) may be a block behind node3 (which confirmed the commits).
  for (int i = 0; i < 50 && reply.results_size() == 0; ++i) {
    grpc::ClientContext ctx;
    ASSERT_TRUE(market_->Search(&ctx, req, &reply).ok());
    if (reply.results_size() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GT(reply.results_size(), 0);
  for (const auto& r : reply.results()) {
    EXPECT_EQ(r.region(), "서울");
    EXPECT_GE(r.inspections(), 1) << r.vin();
    EXPECT_GT(r.price(), 0);
  }
  for (int i = 1; i < reply.results_size(); ++i)
    EXPECT_GE(reply.results(i - 1).price(), reply.results(i).price());
}

// GET `path` from host:port; returns "<status line>\n<body>".
std::string HttpGet(const std::string& address, const std::string& path) {
  size_t colon = address.rfind(':');
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::atoi(address.c_str() + colon + 1)));
  ::inet_pton(AF_INET, address.substr(0, colon).c_str(), &a.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return "connect failed";
  }
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)!::send(fd, req.data(), req.size(), 0);
  std::string resp;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) resp.append(buf, static_cast<size_t>(n));
  ::close(fd);
  size_t eol = resp.find("\r\n");
  size_t body = resp.find("\r\n\r\n");
  if (eol == std::string::npos || body == std::string::npos) return resp;
  return resp.substr(0, eol) + "\n" + resp.substr(body + 4);
}

TEST_F(PublicApiTest, HealthReadinessAndMetricsOverHttp) {
  auto manifest = Json::Parse(ReadFile(cluster_->dir() + "/network.json").value()).value();
  std::string http = manifest.get("nodes").as_array()[1].get_string("http_address");
  // Some traffic for the histograms.
  grpc::ClientContext ctx;
  v1::Terms terms;
  ASSERT_TRUE(accounts_->GetTerms(&ctx, v1::Empty(), &terms).ok());
  EXPECT_EQ(HttpGet(http, "/healthz").rfind("HTTP/1.1 200", 0), 0u);
  std::string ready = HttpGet(http, "/readyz");
  EXPECT_EQ(ready.rfind("HTTP/1.1 200", 0), 0u) << ready;
  std::string metrics = HttpGet(http, "/metrics");
  ASSERT_EQ(metrics.rfind("HTTP/1.1 200", 0), 0u) << metrics;
  for (const char* want :
       {"carledger_height ", "carledger_view ", "carledger_pending_transactions ",
        "carledger_transactions_per_second ", "carledger_committed_transactions_total ",
        "carledger_rpc_duration_seconds_bucket{method=\"/carledger.v1.Accounts/"
        "GetTerms\",le=\"+Inf\"} ",
        "carledger_peer_lag_blocks{peer="}) {
    EXPECT_NE(metrics.find(want), std::string::npos) << want << "\n" << metrics;
  }
  EXPECT_EQ(HttpGet(http, "/nothing").rfind("HTTP/1.1 404", 0), 0u);
}

}  // namespace
}  // namespace carledger::service
