#include "common/x509.h"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace carledger {
namespace {

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
struct ReqDeleter {
  void operator()(X509_REQ* r) const { X509_REQ_free(r); }
};
using ReqPtr = std::unique_ptr<X509_REQ, ReqDeleter>;
struct NameDeleter {
  void operator()(X509_NAME* n) const { X509_NAME_free(n); }
};
using NamePtr = std::unique_ptr<X509_NAME, NameDeleter>;

std::string NameEntry(const X509_NAME* name, int nid) {
  int idx = X509_NAME_get_index_by_NID(name, nid, -1);
  if (idx < 0) return "";
  const ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
  unsigned char* utf8 = nullptr;
  int len = ASN1_STRING_to_UTF8(&utf8, s);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

int64_t AsnTimeToEpoch(const ASN1_TIME* t) {
  struct tm tm {};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

NamePtr MakeName(std::string_view cn, std::string_view org, std::string_view ou) {
  NamePtr name(X509_NAME_new());
  auto add = [&](const char* field, std::string_view v) {
    if (v.empty()) return;
    X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(v.data()),
                               static_cast<int>(v.size()), -1, 0);
  };
  add("O", org);
  add("OU", ou);
  add("CN", cn);
  return name;
}

bool AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

Result<Certificate> BuildCertificate(X509* issuer, const PrivateKey& signing_key,
                                     const PublicKey& subject_key, std::string_view cn,
                                     std::string_view org, Role role, int64_t now,
                                     int validity_days) {
  if (cn.empty()) return Status::InvalidArgument("certificate common name is empty");
  if (validity_days <= 0) return Status::InvalidArgument("validity must be at least one day");
  std::shared_ptr<X509> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  Bytes serial_bytes = RandomBytes(16);
  serial_bytes[0] = static_cast<char>(serial_bytes[0] & 0x7f);  // positive
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial_bytes.data()), 16, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_time_adj_ex(X509_getm_notBefore(cert.get()), 0, 0, reinterpret_cast<time_t*>(&now));
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), validity_days, 0, reinterpret_cast<time_t*>(&now));
  X509_set_pubkey(cert.get(), subject_key.raw());
  NamePtr subject = MakeName(cn, org, RoleName(role));
  X509_set_subject_name(cert.get(), subject.get());
  X509* issuer_cert = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer_cert));
  bool ca = role == Role::kCa;
  if (!AddExtension(cert.get(), issuer_cert, NID_basic_constraints,
                    ca ? "critical,CA:TRUE" : "critical,CA:FALSE") ||
      !AddExtension(cert.get(), issuer_cert, NID_key_usage,
                    ca ? "critical,keyCertSign,cRLSign,digitalSignature"
                       : "critical,digitalSignature") ||
      !AddExtension(cert.get(), issuer_cert, NID_subject_key_identifier, "hash")) {
    return Status::Internal("cannot add certificate extensions: " + OpenSslError());
  }
  if (X509_sign(cert.get(), signing_key.raw(), EVP_sha256()) <= 0) {
    return Status::Internal("cannot sign certificate: " + OpenSslError());
  }
  unsigned char* der = nullptr;
  int len = i2d_X509(cert.get(), &der);
  if (len <= 0) return Status::Internal("cannot encode certificate");
  Bytes der_bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return Certificate::FromDer(der_bytes);
}

}  // namespace

const char* RoleName(Role role) {
  switch (role) {
    case Role::kUser: return "user";
    case Role::kValidator: return "validator";
    case Role::kAgency: return "agency";
    case Role::kAdmin: return "admin";
    case Role::kObserver: return "observer";
    case Role::kCa: return "ca";
  }
  return "user";
}

Result<Role> ParseRole(std::string_view name) {
  for (Role r : {Role::kUser, Role::kValidator, Role::kAgency, Role::kAdmin, Role::kObserver,
                 Role::kCa}) {
    if (name == RoleName(r)) return r;
  }
  return Status::InvalidArgument("unknown role '" + std::string(name) + "'");
}

Result<Certificate> Certificate::FromDer(std::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509* raw = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
  if (raw == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("not a DER X.509 certificate");
  }
  Certificate c;
  c.cert_ = std::shared_ptr<X509>(raw, X509_free);
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Status::InvalidArgument("certificate DER has trailing bytes");
  }
  c.der_ = Bytes(der);
  const X509_NAME* subject = X509_get_subject_name(raw);
  c.common_name_ = NameEntry(subject, NID_commonName);
  c.organization_ = NameEntry(subject, NID_organizationName);
  std::string ou = NameEntry(subject, NID_organizationalUnitName);
  auto role = ParseRole(ou.empty() ? "user" : ou);
  if (!role.ok()) return Status::InvalidArgument("certificate OU is not a CarLedger role: " + ou);
  c.role_ = *role;
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(raw), nullptr);
  char* hex = BN_bn2hex(bn);
  c.serial_ = hex;
  for (char& ch : c.serial_) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  OPENSSL_free(hex);
  BN_free(bn);
  c.not_before_ = AsnTimeToEpoch(X509_get0_notBefore(raw));
  c.not_after_ = AsnTimeToEpoch(X509_get0_notAfter(raw));
  EVP_PKEY* pkey = X509_get0_pubkey(raw);
  if (pkey == nullptr) return Status::InvalidArgument("certificate has no public key");
  auto pub = PublicKeyFromEvp(pkey);
  if (!pub.ok()) return pub.status().WithContext("certificate key");
  c.public_key_ = std::move(pub).value();
  return c;
}

Result<Certificate> Certificate::FromPem(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) {
    ERR_clear_error();
    return Status::InvalidArgument("not a PEM X.509 certificate");
  }
  unsigned char* der = nullptr;
  int len = i2d_X509(raw, &der);
  X509_free(raw);
  if (len <= 0) return Status::InvalidArgument("cannot re-encode certificate");
  Bytes der_bytes(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return FromDer(der_bytes);
}

std::string Certificate::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert_.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string Certificate::Fingerprint() const { return ToHex(Sha256(der_)); }

Result<Certificate> CreateRootCa(const PrivateKey& key, std::string_view common_name,
                                 std::string_view organization, int64_t now, int validity_days) {
  return BuildCertificate(nullptr, key, key.public_key(), common_name, organization, Role::kCa, now,
                          validity_days);
}

Result<std::string> CreateCsr(const PrivateKey& key, std::string_view common_name,
                              std::string_view organization) {
  if (common_name.empty()) return Status::InvalidArgument("common name is empty");
  ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), 0);
  NamePtr name = MakeName(common_name, organization, "");
  X509_REQ_set_subject_name(req.get(), name.get());
  X509_REQ_set_pubkey(req.get(), key.raw());
  if (X509_REQ_sign(req.get(), key.raw(), EVP_sha256()) <= 0) {
    return Status::Internal("cannot sign CSR: " + OpenSslError());
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

Result<CertificateRequest> ParseCsr(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  if (!req) {
    ERR_clear_error();
    return Status::InvalidArgument("not a PEM certificate signing request");
  }
  EVP_PKEY* pkey = X509_REQ_get0_pubkey(req.get());
  if (pkey == nullptr) return Status::InvalidArgument("CSR has no public key");
  if (X509_REQ_verify(req.get(), pkey) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("CSR signature does not verify");
  }
  CertificateRequest out;
  const X509_NAME* subject = X509_REQ_get_subject_name(req.get());
  out.common_name = NameEntry(subject, NID_commonName);
  out.organization = NameEntry(subject, NID_organizationName);
  if (out.common_name.empty()) return Status::InvalidArgument("CSR has no common name");
  CL_ASSIGN_OR_RETURN(out.public_key, PublicKeyFromEvp(pkey));
  return out;
}

Result<Certificate> IssueCertificate(const Certificate& ca, const PrivateKey& ca_key,
                                     const CertificateRequest& request, Role role, int64_t now,
                                     int validity_days) {
  if (ca.role() != Role::kCa) return Status::InvalidArgument("issuer is not a CA certificate");
  if (role == Role::kCa) return Status::InvalidArgument("cannot issue another CA");
  if (ca.public_key().der() != ca_key.public_key().der()) {
    return Status::InvalidArgument("CA key does not match the CA certificate");
  }
  return BuildCertificate(ca.raw(), ca_key, request.public_key, request.common_name,
                          request.organization, role, now, validity_days);
}

Status VerifyCertificate(const Certificate& root, const Certificate& leaf, int64_t at,
                         const std::set<std::string>& revoked_serials) {
  if (!root.valid() || !leaf.valid()) return Status::InvalidArgument("missing certificate");
  if (X509_NAME_cmp(X509_get_issuer_name(leaf.raw()), X509_get_subject_name(root.raw())) != 0) {
    return Status::PermissionDenied("certificate '" + leaf.common_name() +
                                    "' was not issued by the network's CA");
  }
  if (X509_verify(leaf.raw(), root.public_key().raw()) != 1) {
    ERR_clear_error();
    return Status::PermissionDenied("certificate '" + leaf.common_name() +
                                    "' is not signed by the network's CA");
  }
  if (at < root.not_before() || at > root.not_after()) {
    return Status::PermissionDenied("the network's CA certificate is not valid at this time");
  }
  if (at < leaf.not_before()) {
    return Status::PermissionDenied("certificate '" + leaf.common_name() + "' is not yet valid");
  }
  if (at > leaf.not_after()) {
    return Status::PermissionDenied("certificate '" + leaf.common_name() + "' has expired");
  }
  if (revoked_serials.count(leaf.serial()) > 0) {
    return Status::PermissionDenied("certificate '" + leaf.common_name() + "' has been revoked");
  }
  return Status::Ok();
}

}  // namespace carledger
