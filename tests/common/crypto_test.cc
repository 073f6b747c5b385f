// common/crypto: SHA-256, hex, P-256 keys, PEM, canonical (low-S, fixed-width) signatures.
#include "common/crypto.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace carledger {
namespace {

// ---- helpers built directly on OpenSSL, independent of the code under test ----

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

const char kP256OrderHex[] = "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551";

Bn P256Order() {
  BIGNUM* n = nullptr;
  BN_hex2bn(&n, kP256OrderHex);
  return Bn(n);
}

Bn BnFrom(std::string_view bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

std::string Bytes32(const BIGNUM* b) {
  std::string out(32, '\0');
  EXPECT_EQ(BN_bn2binpad(b, reinterpret_cast<unsigned char*>(out.data()), 32), 32);
  return out;
}

std::string SpkiDer(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  EXPECT_GT(len, 0);
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

// Verifies r||s with OpenSSL's own ECDSA (no low-S rule): "is this mathematically valid?"
bool OpenSslAccepts(const PublicKey& key, const std::string& message, const std::string& sig64) {
  ECDSA_SIG* sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(sig, BnFrom(sig64.substr(0, 32)).release(), BnFrom(sig64.substr(32)).release());
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(sig, &der);
  ECDSA_SIG_free(sig);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key.raw()) == 1 &&
      EVP_DigestVerify(ctx, der, static_cast<size_t>(der_len),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  OPENSSL_free(der);
  return ok;
}

PrivateKey NewKey() {
  auto k = PrivateKey::Generate();
  EXPECT_TRUE(k.ok()) << k.status().ToString();
  return std::move(k).value();
}

// ---- SHA-256 and hex ----

TEST(CryptoTest, Sha256KnownVectors) {
  EXPECT_EQ(ToHex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(ToHex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

TEST(CryptoTest, IncrementalHasherMatchesOneShotAndEncodesFields) {
  Sha256Hasher h;
  h.Update("ab");
  h.Update("c");
  EXPECT_EQ(h.Finish(), Sha256("abc"));

  Sha256Hasher u;
  u.UpdateU64(0x0102030405060708ull);
  EXPECT_EQ(u.Finish(), Sha256(std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8)));

  Sha256Hasher f;
  f.UpdateField("xyz");
  EXPECT_EQ(f.Finish(), Sha256(std::string("\x00\x00\x00\x03xyz", 7)));

  // Length prefixes keep adjacent fields from running together.
  Sha256Hasher a, b;
  a.UpdateField("ab");
  a.UpdateField("c");
  b.UpdateField("a");
  b.UpdateField("bc");
  EXPECT_NE(a.Finish(), b.Finish());
}

TEST(CryptoTest, HexRoundTripAndErrors) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string hex = ToHex(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  auto back = FromHex(hex);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, all);

  auto upper = FromHex("DEADbeef");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, std::string("\xde\xad\xbe\xef", 4));
  EXPECT_TRUE(FromHex("").ok());
  EXPECT_TRUE(FromHex("")->empty());

  auto odd = FromHex("abc");
  EXPECT_EQ(odd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(odd.status().message().find("odd length"), std::string::npos);
  for (const char* bad : {"zz", "0g", "g0", "12 4", "0x12"}) {
    auto r = FromHex(bad);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.status().message().find("non-hex"), std::string::npos) << bad;
  }
}

TEST(CryptoTest, RandomBytesHaveRequestedLengthAndDiffer) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

// ---- keys ----

TEST(CryptoTest, GeneratedKeysAreDistinctP256) {
  PrivateKey a = NewKey(), b = NewKey();
  ASSERT_TRUE(a.valid());
  EXPECT_TRUE(a.public_key().valid());
  EXPECT_NE(a.public_key().der(), b.public_key().der());
  EXPECT_EQ(a.public_key().Fingerprint(), ToHex(Sha256(a.public_key().der())));
  EXPECT_EQ(a.public_key().Fingerprint().size(), 64u);
  // The public half round-trips through DER and PEM to the same identity.
  auto from_der = PublicKey::FromDer(a.public_key().der());
  ASSERT_TRUE(from_der.ok()) << from_der.status().ToString();
  EXPECT_EQ(from_der->Fingerprint(), a.public_key().Fingerprint());
  auto from_pem = PublicKey::FromPem(a.public_key().ToPem());
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  EXPECT_EQ(from_pem->der(), a.public_key().der());
}

TEST(CryptoTest, PrivateKeyPemRoundTripPlain) {
  PrivateKey key = NewKey();
  auto pem = key.ToPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("BEGIN PRIVATE KEY"), std::string::npos);
  auto back = PrivateKey::FromPem(*pem);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_key().der(), key.public_key().der());
  // The restored key signs for the original public key.
  auto sig = back->Sign("hello");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.public_key().Verify("hello", *sig).ok());
}

TEST(CryptoTest, PrivateKeyPemRoundTripEncrypted) {
  PrivateKey key = NewKey();
  auto pem = key.ToPem("correct horse");
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  auto back = PrivateKey::FromPem(*pem, "correct horse");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->public_key().der(), key.public_key().der());

  auto wrong = PrivateKey::FromPem(*pem, "battery staple");
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong.status().message().find("passphrase"), std::string::npos);
  // No passphrase for an encrypted key: an error, never a prompt on the terminal.
  auto none = PrivateKey::FromPem(*pem);
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
}

TEST(CryptoTest, GarbagePemIsRefused) {
  EXPECT_FALSE(PrivateKey::FromPem("not a pem").ok());
  EXPECT_FALSE(
      PublicKey::FromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
  EXPECT_FALSE(PublicKey::FromDer("").ok());
  EXPECT_FALSE(PublicKey::FromDer(std::string(91, '\x30')).ok());
}

TEST(CryptoTest, NonP256KeysAreRefused) {
  Pkey p384(EVP_EC_gen("P-384"));
  ASSERT_TRUE(p384);
  auto r384 = PublicKey::FromDer(SpkiDer(p384.get()));
  EXPECT_EQ(r384.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(PublicKeyFromEvp(p384.get()).ok());

  // secp256k1 has the same sizes as P-256; only the curve differs.
  Pkey k1(EVP_EC_gen("secp256k1"));
  ASSERT_TRUE(k1);
  EXPECT_FALSE(PublicKey::FromDer(SpkiDer(k1.get())).ok());

  Pkey rsa(EVP_RSA_gen(2048));
  ASSERT_TRUE(rsa);
  auto rrsa = PublicKey::FromDer(SpkiDer(rsa.get()));
  EXPECT_EQ(rrsa.status().code(), StatusCode::kInvalidArgument);

  // A valid P-256 SPKI with trailing bytes is not canonical.
  PrivateKey key = NewKey();
  EXPECT_FALSE(PublicKey::FromDer(key.public_key().der() + "x").ok());
}

// ---- signatures ----

TEST(CryptoTest, SignAndVerify) {
  PrivateKey key = NewKey();
  auto sig = key.Sign("pay 1000 won");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), kSignatureSize);
  EXPECT_TRUE(key.public_key().Verify("pay 1000 won", *sig).ok());

  Status other = key.public_key().Verify("pay 9000 won", *sig);
  EXPECT_EQ(other.code(), StatusCode::kUnauthenticated);
  PrivateKey stranger = NewKey();
  EXPECT_EQ(stranger.public_key().Verify("pay 1000 won", *sig).code(),
            StatusCode::kUnauthenticated);

  std::string flipped = *sig;
  flipped[10] ^= 0x01;
  EXPECT_FALSE(key.public_key().Verify("pay 1000 won", flipped).ok());
  EXPECT_FALSE(PublicKey().Verify("pay 1000 won", *sig).ok());
  EXPECT_FALSE(PrivateKey().Sign("x").ok());
}

TEST(CryptoTest, VerifyDigestChecksTheSameSignatureOverAPrecomputedHash) {
  PrivateKey key = NewKey();
  auto sig = key.Sign("pay 1000 won");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(key.public_key().VerifyDigest(Sha256("pay 1000 won"), *sig).ok());
  EXPECT_EQ(key.public_key().VerifyDigest(Sha256("pay 9000 won"), *sig).code(),
            StatusCode::kUnauthenticated);
  // Not the message itself, and only a whole SHA-256.
  EXPECT_FALSE(key.public_key().VerifyDigest("pay 1000 won", *sig).ok());
  EXPECT_EQ(key.public_key().VerifyDigest(Sha256("pay 1000 won").substr(1), *sig).code(),
            StatusCode::kInvalidArgument);
}

// Decoded keys are cached by DER: a key decoded again must still be that key (and no
// other), and a point off the curve must be refused however often it is offered.
TEST(CryptoTest, DecodingAKeyAgainGivesTheSameKeyAndOffCurvePointsStayRefused) {
  PrivateKey a = NewKey(), b = NewKey();
  auto sig_a = a.Sign("lease");
  ASSERT_TRUE(sig_a.ok());
  for (int round = 0; round < 3; ++round) {
    auto ka = PublicKey::FromDer(a.public_key().der());
    auto kb = PublicKey::FromDer(b.public_key().der());
    ASSERT_TRUE(ka.ok() && kb.ok());
    EXPECT_EQ(ka->der(), a.public_key().der());
    EXPECT_EQ(kb->der(), b.public_key().der());
    EXPECT_TRUE(ka->Verify("lease", *sig_a).ok());
    EXPECT_EQ(kb->Verify("lease", *sig_a).code(), StatusCode::kUnauthenticated);
  }
  std::string off_curve = a.public_key().der();
  off_curve.back() ^= 0x01;  // y no longer matches x
  for (int round = 0; round < 3; ++round) {
    auto k = PublicKey::FromDer(off_curve);
    ASSERT_FALSE(k.ok());
    EXPECT_NE(k.status().message().find("not a point on P-256"), std::string::npos);
  }
}

TEST(CryptoTest, SignaturesAreAlwaysLowS) {
  PrivateKey key = NewKey();
  Bn half(BN_dup(P256Order().get()));
  BN_rshift1(half.get(), half.get());
  // ECDSA picks s uniformly; 40 signatures all in the lower half would be a 2^-40 fluke.
  for (int i = 0; i < 40; ++i) {
    auto sig = key.Sign("message " + std::to_string(i));
    ASSERT_TRUE(sig.ok());
    Bn s = BnFrom(sig->substr(32));
    EXPECT_LE(BN_cmp(s.get(), half.get()), 0) << i;
  }
}

TEST(CryptoTest, HighSSignatureIsRejectedThoughMathematicallyValid) {
  PrivateKey key = NewKey();
  const std::string msg = "transfer car KMHxx to buyer";
  auto sig = key.Sign(msg);
  ASSERT_TRUE(sig.ok());
  Bn n = P256Order();
  Bn s = BnFrom(sig->substr(32));
  Bn high(BN_new());
  ASSERT_EQ(BN_sub(high.get(), n.get(), s.get()), 1);
  std::string malleated = sig->substr(0, 32) + Bytes32(high.get());
  ASSERT_NE(malleated, *sig);
  // OpenSSL alone accepts (r, n - s): it is the classic malleated twin.
  EXPECT_TRUE(OpenSslAccepts(key.public_key(), msg, *sig));
  EXPECT_TRUE(OpenSslAccepts(key.public_key(), msg, malleated));
  Status st = key.public_key().Verify(msg, malleated);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("high S"), std::string::npos) << st.message();
}

TEST(CryptoTest, OutOfRangeComponentsAreRejected) {
  PrivateKey key = NewKey();
  const std::string msg = "m";
  auto sig = key.Sign(msg);
  ASSERT_TRUE(sig.ok());
  std::string r = sig->substr(0, 32), s = sig->substr(32);
  std::string zero(32, '\0');
  Bn n = P256Order();
  std::string n_bytes = Bytes32(n.get());
  Bn n_plus(BN_dup(n.get()));
  BN_add_word(n_plus.get(), 5);
  std::string n_plus_bytes = Bytes32(n_plus.get());
  std::string ones(32, '\xff');

  for (const auto& [name, bad] :
       std::vector<std::pair<std::string, std::string>>{{"r=0", zero + s},
                                                        {"s=0", r + zero},
                                                        {"r=n", n_bytes + s},
                                                        {"r=n+5", n_plus_bytes + s},
                                                        {"r=2^256-1", ones + s},
                                                        {"s=n", r + n_bytes},
                                                        {"s=2^256-1", r + ones}}) {
    Status st = key.public_key().Verify(msg, bad);
    EXPECT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << name << ": " << st.ToString();
  }
  // r + n reduces to the same r mod n in some implementations; it must not verify here.
  Bn r_bn = BnFrom(r);
  Bn r_plus_n(BN_new());
  BN_add(r_plus_n.get(), r_bn.get(), n.get());
  if (BN_num_bytes(r_plus_n.get()) <= 32) {
    EXPECT_FALSE(key.public_key().Verify(msg, Bytes32(r_plus_n.get()) + s).ok());
  }
}

TEST(CryptoTest, WrongLengthSignaturesAreRejected) {
  PrivateKey key = NewKey();
  auto sig = key.Sign("m");
  ASSERT_TRUE(sig.ok());
  for (size_t len : {0u, 1u, 63u, 65u, 72u}) {
    std::string bad = (*sig + std::string(16, '\0')).substr(0, len);
    Status st = key.public_key().Verify("m", bad);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << len;
    EXPECT_NE(st.message().find("64 bytes"), std::string::npos) << st.message();
  }
  // A DER-encoded ECDSA signature is not the accepted encoding either.
  ECDSA_SIG* der_sig = ECDSA_SIG_new();
  ECDSA_SIG_set0(der_sig, BnFrom(sig->substr(0, 32)).release(), BnFrom(sig->substr(32)).release());
  unsigned char* der = nullptr;
  int der_len = i2d_ECDSA_SIG(der_sig, &der);
  std::string der_str(reinterpret_cast<char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  ECDSA_SIG_free(der_sig);
  if (der_str.size() != kSignatureSize) {
    EXPECT_FALSE(key.public_key().Verify("m", der_str).ok());
  }
}

}  // namespace
}  // namespace carledger
