// The public API against real carledger-node processes (4 validators, TLS, PostgreSQL):
// accounts (sign-up with the terms, sign-in, token rotation and reuse detection, wallet
// keys, profiles), and the ledger-backed services: signed transactions submitted and their fate
// mapped to the right status with field errors, cars read back, a car's history whose every event
// an app can verify (Merkle inclusion, commit certificate against the validator set, results hash,
// the chain of events), and the explorer (blocks by height and hash, transactions with
// proofs, a live block stream). Writers are signed-in accounts (PostgreSQL) whose
// registered wallet key signed the transaction.

#include "tests/service/public_api_fixture.h"

namespace carledger::service {
namespace {

TEST_F(PublicApiTest, SubmittedTransactionsCommitAndCarsReadBack) {
  Trader t = NewTrader("seller1");
  const Signer& seller = t.key;
  std::string vin = SampleVin("KMHAPX", 1);
  v1::TransactionOutcome out;
  ledger::TxEnvelope registration = Tx(seller, "register_car", SampleCarRegistration(vin, 1));
  grpc::Status st = Submit(t, registration, &out);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(out.code(), ledger::VALID);
  EXPECT_GT(out.height(), 0u);
  EXPECT_NE(out.output_json().find(vin), std::string::npos) << out.output_json();
  // Submitted again: answered from the ledger, with the same outcome and output.
  v1::TransactionOutcome resubmitted;
  ASSERT_TRUE(Submit(t, registration, &resubmitted).ok());
  EXPECT_EQ(resubmitted.height(), out.height());
  EXPECT_EQ(resubmitted.output_json(), out.output_json());
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
  // The node's role, view and leader agree with its own status (the API's node is node1).
  auto status = cluster_->NodeStatus("node1");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(info.node_role(), status->role());
  EXPECT_EQ(info.node_role(), "validator");
  EXPECT_EQ(info.view(), status->view());
  EXPECT_EQ(info.leader(), status->leader());
  EXPECT_FALSE(info.leader().empty());

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
  EXPECT_NE(out.find("buyer reviews the seller"), std::string::npos) << out;
  // The inspection went through the agency's workflow, not straight to the ledger.
  EXPECT_NE(out.find("seller requests an inspection"), std::string::npos) << out;
  EXPECT_NE(out.find("agency accepts it"), std::string::npos) << out;
  EXPECT_NE(out.find("inspected"), std::string::npos) << out;
  EXPECT_NE(out.find("the buyer: yes"), std::string::npos) << out;
  EXPECT_NE(out.find("verified: 6 events"), std::string::npos) << out;
  EXPECT_NE(out.find("trade COMPLETED"), std::string::npos) << out;
  EXPECT_NE(out.find("charge approved"), std::string::npos) << out;
  EXPECT_NE(out.find("seller's wallet: 18,500,000 won"), std::string::npos) << out;
}

}  // namespace
}  // namespace carledger::service
