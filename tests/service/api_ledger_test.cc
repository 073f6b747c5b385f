// The public API's ledger-backed services against real carledger-node processes (4
// validators, TLS): signed transactions submitted and their fate mapped to the right
// status with field errors, cars read back, a car's history whose every event an app can
// verify (Merkle inclusion, commit certificate against the validator set, results hash,
// the chain of events), and the explorer (blocks by height and hash, transactions with
// proofs, a live block stream).
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "carledger_api.grpc.pb.h"
#include "common/block_format.h"
#include "common/merkle.h"
#include "common/x509.h"
#include "contracts/samples.h"
#include "ledger/ledger.h"
#include "ledger/network_dir.h"
#include "ledger/transaction.h"
#include "service/local_cluster.h"
#include "tests/support/test_network.h"

namespace carledger::service {
namespace {

using carledger::testing::TempDir;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ApiLedgerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    LocalClusterOptions o;
    o.dir = tmp_->path() + "/net";
    o.node_binary = CARLEDGER_NODE;
    o.cli_binary = CARLEDGER_CLI;
    o.validators = 4;
    o.node_args = {"--batch", "100"};
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
    auto channel = grpc::CreateCustomChannel(node.get_string("api_address"),
                                             grpc::SslCredentials(creds), args);
    market_ = v1::Market::NewStub(channel).release();
    explorer_ = v1::Explorer::NewStub(channel).release();
  }
  static void TearDownTestSuite() {
    delete market_;
    delete explorer_;
    delete cluster_;
    delete tmp_;
  }

  static ledger::TxEnvelope Tx(const Signer& who, const std::string& function, const Json& args) {
    return MakeTransaction(who, "car_trade", function, args, nonce_++, NowMs()).value();
  }

  static grpc::Status Submit(const ledger::TxEnvelope& tx, v1::TransactionOutcome* out,
                             v1::FieldErrors* field_errors = nullptr) {
    grpc::ClientContext ctx;
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
  static LocalCluster* cluster_;
  static v1::Market::Stub* market_;
  static v1::Explorer::Stub* explorer_;
  static uint64_t nonce_;
};

TempDir* ApiLedgerTest::tmp_ = nullptr;
LocalCluster* ApiLedgerTest::cluster_ = nullptr;
v1::Market::Stub* ApiLedgerTest::market_ = nullptr;
v1::Explorer::Stub* ApiLedgerTest::explorer_ = nullptr;
uint64_t ApiLedgerTest::nonce_ = 1;

TEST_F(ApiLedgerTest, SubmittedTransactionsCommitAndCarsReadBack) {
  Signer seller{PrivateKey::Generate().value(), std::nullopt};
  std::string vin = SampleVin("KMHAPX", 1);
  v1::TransactionOutcome out;
  grpc::Status st = Submit(Tx(seller, "register_car", SampleCarRegistration(vin, 1)), &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.code(), ledger::VALID);
  EXPECT_GT(out.height(), 0u);
  EXPECT_NE(out.output_json().find(vin), std::string::npos) << out.output_json();
  Json price = Json::MakeObject();
  price["vin"] = vin;
  price["price"] = static_cast<int64_t>(23'500'000);
  ASSERT_TRUE(Submit(Tx(seller, "list", price), &out).ok());

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
  ASSERT_TRUE(Submit(tx, &first).ok());
  ASSERT_TRUE(Submit(tx, &again).ok());
  EXPECT_EQ(first.tx_id(), again.tx_id());
  EXPECT_EQ(first.height(), again.height());
}

TEST_F(ApiLedgerTest, BadInputGetsTheRightStatusAndNamesTheField) {
  v1::TransactionOutcome out;
  v1::FieldErrors fields;
  grpc::Status st = Submit(ledger::TxEnvelope(), &out, &fields);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(fields.errors_size(), 1);
  EXPECT_EQ(fields.errors(0).field(), "transaction");

  Signer user{PrivateKey::Generate().value(), std::nullopt};
  auto forged = Tx(user, "register_car", SampleCarRegistration(SampleVin("KMHAPX", 2), 2));
  forged.mutable_signature()->back() ^= 1;
  st = Submit(forged, &out);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(st.error_message().rfind("transaction: ", 0), 0u) << st.error_message();

  // The contract's rule about one field: INVALID_ARGUMENT naming it.
  Json bad = SampleCarRegistration(SampleVin("KMHAPX", 3), 3);
  bad["year"] = static_cast<int64_t>(1900);
  fields.Clear();
  st = Submit(Tx(user, "register_car", bad), &out, &fields);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  ASSERT_GE(fields.errors_size(), 1) << st.error_message();
  EXPECT_EQ(fields.errors(0).field(), "year");

  // A rule that is not about a field: FAILED_PRECONDITION.
  std::string vin = SampleVin("KMHAPX", 4);
  ASSERT_TRUE(Submit(Tx(user, "register_car", SampleCarRegistration(vin, 4)), &out).ok());
  Signer stranger{PrivateKey::Generate().value(), std::nullopt};
  Json list = Json::MakeObject();
  list["vin"] = vin;
  list["price"] = static_cast<int64_t>(10'000'000);
  st = Submit(Tx(stranger, "list", list), &out);
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

TEST_F(ApiLedgerTest, ACarsHistoryCarriesProofsThatVerify) {
  Signer seller{PrivateKey::Generate().value(), std::nullopt};
  std::string vin = SampleVin("KMHAPX", 10);
  v1::TransactionOutcome out;
  ASSERT_TRUE(Submit(Tx(seller, "register_car", SampleCarRegistration(vin, 10)), &out).ok());
  for (int64_t price : {30'000'000, 29'000'000, 28'500'000}) {
    Json j = Json::MakeObject();
    j["vin"] = vin;
    j["price"] = price;
    ASSERT_TRUE(Submit(Tx(seller, price == 30'000'000 ? "list" : "reprice", j), &out).ok());
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
}

TEST_F(ApiLedgerTest, ExplorerServesBlocksTransactionsAndAStream) {
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
  Signer user{PrivateKey::Generate().value(), std::nullopt};
  v1::TransactionOutcome out;
  auto tx = Tx(user, "register_car", SampleCarRegistration(SampleVin("KMHAPX", 20), 20));
  ASSERT_TRUE(Submit(tx, &out).ok());
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

}  // namespace
}  // namespace carledger::service
