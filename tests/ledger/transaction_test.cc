// ledger/transaction: building, signing and verifying transaction envelopes.
#include "ledger/transaction.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>

#include "common/block_format.h"
#include "ledger/network.h"

namespace carledger {
namespace {

constexpr int64_t kNowMs = 1772323200000;

Signer User() {
  return Signer{*PrivateKey::Generate(), std::nullopt};
}

Json Args() {
  return Json(Json::Object{{"vin", "KMH"}, {"price", 100}});
}

ledger::TxEnvelope Resign(const Signer& s, const ledger::TxPayload& p) {
  ledger::TxEnvelope env;
  p.SerializeToString(env.mutable_payload());
  *env.mutable_signature() = *s.key.Sign(env.payload());
  return env;
}

TEST(TransactionTest, RoundTripWithBareKey) {
  Signer u = User();
  auto env = MakeTransaction(u, "car_trade", "list", Args(), 42, kNowMs);
  ASSERT_TRUE(env.ok());
  auto v = VerifyTransaction(*env);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->tx_id, Sha256(env->payload()));
  EXPECT_EQ(v->tx_id, TxId(*env));
  EXPECT_EQ(v->payload.contract(), "car_trade");
  EXPECT_EQ(v->payload.function(), "list");
  EXPECT_EQ(v->payload.args(), R"({"price":100,"vin":"KMH"})");
  EXPECT_EQ(v->payload.nonce(), 42u);
  EXPECT_EQ(v->payload.timestamp_ms(), kNowMs);
  EXPECT_EQ(v->key.Fingerprint(), u.id());
  EXPECT_FALSE(v->certificate.has_value());
  // Different nonce: different transaction.
  EXPECT_NE(TxId(*MakeTransaction(u, "car_trade", "list", Args(), 43, kNowMs)), TxId(*env));
}

TEST(TransactionTest, RoundTripWithCertificate) {
  auto ids = CreateNetworkIdentities("TxNet", {"Org"}, 1, kNowMs / 1000);
  ASSERT_TRUE(ids.ok());
  const Signer& admin = ids->admins[0];
  auto env = MakeTransaction(admin, "_msp", "register", Json::MakeObject(), 1, kNowMs);
  ASSERT_TRUE(env.ok());
  auto v = VerifyTransaction(*env);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_TRUE(v->certificate.has_value());
  EXPECT_EQ(v->certificate->der(), admin.certificate->der());
  EXPECT_EQ(v->key.Fingerprint(), admin.id());
}

TEST(TransactionTest, ArgsMustBeAnObject) {
  Signer u = User();
  EXPECT_EQ(MakeTransaction(u, "c", "f", Json(5), 1, kNowMs).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(MakeTransaction(u, "c", "f", Json::MakeArray(), 1, kNowMs).ok());
}

TEST(TransactionTest, TamperedEnvelopesFail) {
  Signer u = User();
  auto env = *MakeTransaction(u, "car_trade", "list", Args(), 1, kNowMs);

  ledger::TxEnvelope bad_sig = env;
  (*bad_sig.mutable_signature())[0] ^= 1;
  auto r1 = VerifyTransaction(bad_sig);
  EXPECT_EQ(r1.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(r1.status().message().rfind("signature", 0), 0u) << r1.status().message();

  ledger::TxPayload p;
  ASSERT_TRUE(p.ParseFromString(env.payload()));
  p.set_args(R"({"price":1,"vin":"KMH"})");
  ledger::TxEnvelope swapped = env;
  p.SerializeToString(swapped.mutable_payload());
  EXPECT_EQ(VerifyTransaction(swapped).status().code(), StatusCode::kUnauthenticated);

  // Someone else's key named as creator, signed by the thief: signature does not verify.
  Signer thief = User();
  ledger::TxPayload claim;
  ASSERT_TRUE(claim.ParseFromString(env.payload()));
  ledger::TxEnvelope forged;
  claim.SerializeToString(forged.mutable_payload());
  *forged.mutable_signature() = *thief.key.Sign(forged.payload());
  EXPECT_EQ(VerifyTransaction(forged).status().code(), StatusCode::kUnauthenticated);

  // The malleated (high-S) twin of a valid signature is refused.
  BIGNUM* n = nullptr;
  BN_hex2bn(&n, "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
  BIGNUM* s =
      BN_bin2bn(reinterpret_cast<const unsigned char*>(env.signature().data()) + 32, 32, nullptr);
  BN_sub(s, n, s);
  std::string high(32, '\0');
  BN_bn2binpad(s, reinterpret_cast<unsigned char*>(high.data()), 32);
  BN_free(s);
  BN_free(n);
  ledger::TxEnvelope malleated = env;
  malleated.set_signature(env.signature().substr(0, 32) + high);
  EXPECT_FALSE(VerifyTransaction(malleated).ok());
}

TEST(TransactionTest, MalformedPayloadsNameTheField) {
  Signer u = User();
  ledger::TxPayload p;
  ASSERT_TRUE(p.ParseFromString(MakeTransaction(u, "c", "f", Args(), 1, kNowMs)->payload()));
  auto expect = [&](const ledger::TxEnvelope& env, const std::string& field) {
    auto r = VerifyTransaction(env);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(r.status().message().rfind(field, 0), 0u) << r.status().message();
  };
  ledger::TxPayload no_contract = p;
  no_contract.clear_contract();
  expect(Resign(u, no_contract), "contract");
  ledger::TxPayload no_function = p;
  no_function.clear_function();
  expect(Resign(u, no_function), "function");
  ledger::TxPayload no_creator = p;
  no_creator.clear_creator();
  expect(Resign(u, no_creator), "creator");
  ledger::TxPayload bad_key = p;
  bad_key.mutable_creator()->set_public_key("not a key");
  expect(Resign(u, bad_key), "creator.public_key");
  ledger::TxPayload bad_cert = p;
  bad_cert.mutable_creator()->set_certificate("not a cert");
  expect(Resign(u, bad_cert), "creator.certificate");

  ledger::TxEnvelope garbage;
  garbage.set_payload("\xff\xff\xff\xff");
  expect(garbage, "payload");
  ledger::TxPayload huge = p;
  huge.set_args(std::string(kMaxPayloadBytes, 'x'));
  expect(Resign(u, huge), "payload");
}

}  // namespace
}  // namespace carledger
