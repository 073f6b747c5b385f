// common/x509: root CA, CSRs, issued certificates with role (OU) and org (O), verification.
#include "common/x509.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <string>

namespace carledger {
namespace {

constexpr int64_t kNow = 1772323200;  // 2026-03-01 00:00:00 UTC
constexpr int64_t kDay = 86400;

PrivateKey NewKey() {
  auto k = PrivateKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k).value();
}

struct Ca {
  PrivateKey key;
  Certificate cert;
};

Ca MakeCa(const std::string& cn = "Test Root CA", const std::string& org = "TestNet",
          int64_t now = kNow, int days = 365) {
  Ca ca{NewKey(), {}};
  auto cert = CreateRootCa(ca.key, cn, org, now, days);
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  ca.cert = std::move(cert).value();
  return ca;
}

Certificate Issue(const Ca& ca, const std::string& cn, const std::string& org, Role role,
                  int64_t now = kNow, int days = 30) {
  PrivateKey key = NewKey();
  auto req = ParseCsr(*CreateCsr(key, cn, org));
  EXPECT_TRUE(req.ok()) << req.status().ToString();
  auto cert = IssueCertificate(ca.cert, ca.key, *req, role, now, days);
  EXPECT_TRUE(cert.ok()) << cert.status().ToString();
  return std::move(cert).value();
}

TEST(X509Test, RoleNamesRoundTrip) {
  for (Role r :
       {Role::kUser, Role::kValidator, Role::kAgency, Role::kAdmin, Role::kObserver, Role::kCa}) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_TRUE(parsed.ok()) << RoleName(r);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_STREQ(RoleName(Role::kAgency), "agency");
  EXPECT_STREQ(RoleName(Role::kAdmin), "admin");
  auto bad = ParseRole("Admin");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("Admin"), std::string::npos);
  EXPECT_FALSE(ParseRole("").ok());
}

TEST(X509Test, RootCaIsSelfSignedWithCaRole) {
  Ca ca = MakeCa("Test Root CA", "TestNet", kNow, 365);
  EXPECT_EQ(ca.cert.role(), Role::kCa);
  EXPECT_EQ(ca.cert.common_name(), "Test Root CA");
  EXPECT_EQ(ca.cert.organization(), "TestNet");
  EXPECT_EQ(ca.cert.not_before(), kNow);
  EXPECT_EQ(ca.cert.not_after(), kNow + 365 * kDay);
  EXPECT_EQ(ca.cert.public_key().der(), ca.key.public_key().der());
  EXPECT_TRUE(VerifyCertificate(ca.cert, ca.cert, kNow + 10).ok());
  EXPECT_FALSE(CreateRootCa(ca.key, "", "x", kNow, 1).ok());
  EXPECT_FALSE(CreateRootCa(ca.key, "x", "x", kNow, 0).ok());
}

TEST(X509Test, CertificateEncodingsRoundTrip) {
  Ca ca = MakeCa();
  auto from_pem = Certificate::FromPem(ca.cert.ToPem());
  ASSERT_TRUE(from_pem.ok());
  EXPECT_EQ(from_pem->der(), ca.cert.der());
  EXPECT_EQ(from_pem->Fingerprint(), ToHex(Sha256(ca.cert.der())));
  auto trailing = Certificate::FromDer(ca.cert.der() + std::string(1, '\0'));
  EXPECT_EQ(trailing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Certificate::FromDer("garbage").ok());
  EXPECT_FALSE(Certificate::FromPem("garbage").ok());
}

TEST(X509Test, CsrCarriesNameOrgAndKey) {
  PrivateKey key = NewKey();
  auto pem = CreateCsr(key, "Seoul Inspection Co", "SeoulInspect");
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("BEGIN CERTIFICATE REQUEST"), std::string::npos);
  auto req = ParseCsr(*pem);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->common_name, "Seoul Inspection Co");
  EXPECT_EQ(req->organization, "SeoulInspect");
  EXPECT_EQ(req->public_key.der(), key.public_key().der());
  EXPECT_FALSE(CreateCsr(key, "", "org").ok());
  EXPECT_FALSE(ParseCsr("not a csr").ok());
}

TEST(X509Test, TamperedCsrFailsItsSelfSignature) {
  PrivateKey key = NewKey();
  auto pem = CreateCsr(key, "honest-agency", "Org");
  ASSERT_TRUE(pem.ok());
  // Decode, change one byte of the subject, re-encode as PEM.
  BIO* in = BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size()));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  ASSERT_EQ(PEM_read_bio(in, &name, &header, &data, &len), 1);
  BIO_free(in);
  std::string der(reinterpret_cast<char*>(data), static_cast<size_t>(len));
  size_t at = der.find("honest-agency");
  ASSERT_NE(at, std::string::npos);
  der[at] = 'H';
  BIO* out = BIO_new(BIO_s_mem());
  PEM_write_bio(out, name, header, reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  char* p = nullptr;
  long n = BIO_get_mem_data(out, &p);
  std::string tampered(p, static_cast<size_t>(n));
  BIO_free(out);
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);

  auto req = ParseCsr(tampered);
  EXPECT_EQ(req.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(req.status().message().find("does not verify"), std::string::npos)
      << req.status().message();
}

TEST(X509Test, IssuedCertificateCarriesRoleAndOrg) {
  Ca ca = MakeCa();
  for (Role role : {Role::kAgency, Role::kAdmin, Role::kValidator, Role::kObserver, Role::kUser}) {
    Certificate c = Issue(ca, std::string("member-") + RoleName(role), "Busan Motors", role);
    EXPECT_EQ(c.role(), role);
    EXPECT_EQ(c.organization(), "Busan Motors");
    EXPECT_EQ(c.common_name(), std::string("member-") + RoleName(role));
    EXPECT_EQ(c.not_before(), kNow);
    EXPECT_EQ(c.not_after(), kNow + 30 * kDay);
    EXPECT_FALSE(c.serial().empty());
    for (char ch : c.serial())
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(ch)) &&
                  !std::isupper(static_cast<unsigned char>(ch)));
    // Survives a DER round trip with the role intact.
    auto again = Certificate::FromDer(c.der());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->role(), role);
  }
  EXPECT_NE(Issue(ca, "a", "o", Role::kAgency).serial(),
            Issue(ca, "a", "o", Role::kAgency).serial());
}

TEST(X509Test, IssueRefusesBadIssuersAndRoles) {
  Ca ca = MakeCa();
  PrivateKey key = NewKey();
  auto req = ParseCsr(*CreateCsr(key, "x", "o"));
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(IssueCertificate(ca.cert, ca.key, *req, Role::kCa, kNow, 10).status().code(),
            StatusCode::kInvalidArgument);
  // A leaf cannot issue.
  Certificate leaf = Issue(ca, "leaf", "o", Role::kAdmin);
  EXPECT_FALSE(IssueCertificate(leaf, key, *req, Role::kAgency, kNow, 10).ok());
  // The CA key must match the CA certificate.
  EXPECT_FALSE(IssueCertificate(ca.cert, key, *req, Role::kAgency, kNow, 10).ok());
}

TEST(X509Test, VerifyGoodCertificate) {
  Ca ca = MakeCa();
  Certificate c = Issue(ca, "agency", "o", Role::kAgency);
  EXPECT_TRUE(VerifyCertificate(ca.cert, c, kNow + kDay).ok());
  // Validity bounds are inclusive.
  EXPECT_TRUE(VerifyCertificate(ca.cert, c, c.not_before()).ok());
  EXPECT_TRUE(VerifyCertificate(ca.cert, c, c.not_after()).ok());
}

TEST(X509Test, VerifyExpiredAndNotYetValid) {
  Ca ca = MakeCa();
  Certificate c = Issue(ca, "agency", "o", Role::kAgency, kNow, 30);
  Status expired = VerifyCertificate(ca.cert, c, c.not_after() + 1);
  EXPECT_EQ(expired.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(expired.message().find("expired"), std::string::npos) << expired.message();

  Certificate later = Issue(ca, "later", "o", Role::kAgency, kNow + 10 * kDay, 30);
  Status early = VerifyCertificate(ca.cert, later, kNow + 5 * kDay);
  EXPECT_EQ(early.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(early.message().find("not yet valid"), std::string::npos) << early.message();

  // Outside the CA's own validity nothing verifies.
  Status ca_expired = VerifyCertificate(ca.cert, c, ca.cert.not_after() + 1);
  EXPECT_EQ(ca_expired.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(ca_expired.message().find("CA certificate is not valid"), std::string::npos);
}

TEST(X509Test, VerifyRevokedSerial) {
  Ca ca = MakeCa();
  Certificate c = Issue(ca, "agency", "o", Role::kAgency);
  Certificate other = Issue(ca, "other", "o", Role::kAgency);
  Status st = VerifyCertificate(ca.cert, c, kNow + 1, {c.serial()});
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("revoked"), std::string::npos);
  EXPECT_TRUE(VerifyCertificate(ca.cert, other, kNow + 1, {c.serial()}).ok());
}

TEST(X509Test, VerifyRefusesAnotherCa) {
  Ca ca = MakeCa();
  Ca other = MakeCa("Other Root CA", "Elsewhere");
  Certificate foreign = Issue(other, "agency", "o", Role::kAgency);
  Status st = VerifyCertificate(ca.cert, foreign, kNow + 1);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(st.message().find("not issued by"), std::string::npos) << st.message();

  // Same subject name, different key: the signature check catches it.
  Ca twin = MakeCa("Test Root CA", "TestNet");
  Certificate forged = Issue(twin, "agency", "o", Role::kAgency);
  Status st2 = VerifyCertificate(ca.cert, forged, kNow + 1);
  EXPECT_EQ(st2.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(st2.message().find("not signed by"), std::string::npos) << st2.message();
  EXPECT_FALSE(VerifyCertificate(ca.cert, Certificate(), kNow).ok());
}

}  // namespace
}  // namespace carledger
