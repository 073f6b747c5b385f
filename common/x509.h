// X.509 for CarLedger's membership: a root CA, CSRs, and certificates that carry the
// holder's role in the subject's OU (as Fabric's "NodeOUs" do), organisation in O.
// Times are seconds since the Unix epoch and are always passed in: ledger validation
// must never read the wall clock.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "common/crypto.h"

typedef struct x509_st X509;

namespace carledger {

enum class Role { kUser = 0, kValidator = 1, kAgency = 2, kAdmin = 3, kObserver = 4, kCa = 5 };

// "user", "validator", "agency", "admin", "observer", "ca".
const char* RoleName(Role role);
// Parses a RoleName; INVALID_ARGUMENT otherwise.
Result<Role> ParseRole(std::string_view name);

class Certificate {
 public:
  Certificate() = default;
  static Result<Certificate> FromPem(std::string_view pem);
  static Result<Certificate> FromDer(std::string_view der);

  bool valid() const { return cert_ != nullptr; }
  const Bytes& der() const { return der_; }
  std::string ToPem() const;

  const std::string& common_name() const { return common_name_; }
  const std::string& organization() const { return organization_; }
  Role role() const { return role_; }
  // Serial number as lower-case hex.
  const std::string& serial() const { return serial_; }
  int64_t not_before() const { return not_before_; }
  int64_t not_after() const { return not_after_; }
  const PublicKey& public_key() const { return public_key_; }
  // Hex SHA-256 of the DER certificate.
  std::string Fingerprint() const;

  X509* raw() const { return cert_.get(); }

 private:
  std::shared_ptr<X509> cert_;
  Bytes der_;
  std::string common_name_, organization_, serial_;
  Role role_ = Role::kUser;
  int64_t not_before_ = 0, not_after_ = 0;
  PublicKey public_key_;
};

struct CertificateRequest {
  std::string common_name;
  std::string organization;
  PublicKey public_key;
};

// A self-signed root CA certificate (role "ca"), valid from `now` for `validity_days`.
Result<Certificate> CreateRootCa(const PrivateKey& key, std::string_view common_name,
                                 std::string_view organization, int64_t now, int validity_days);

// A PEM PKCS#10 request for `key`, signed by it.
Result<std::string> CreateCsr(const PrivateKey& key, std::string_view common_name,
                              std::string_view organization);

// Parses a PEM CSR and checks its self-signature (proof that the requester holds the key).
Result<CertificateRequest> ParseCsr(std::string_view pem);

// Issues a certificate for the CSR's key with `role`, signed by the CA. Serial numbers are
// random 128-bit values.
Result<Certificate> IssueCertificate(const Certificate& ca, const PrivateKey& ca_key,
                                     const CertificateRequest& request, Role role, int64_t now,
                                     int validity_days);

// Checks that `leaf` was signed by `root`, that both are valid at time `at`, and that
// the leaf's serial is not in `revoked_serials`. Messages say which check failed.
Status VerifyCertificate(const Certificate& root, const Certificate& leaf, int64_t at,
                         const std::set<std::string>& revoked_serials = {});

}  // namespace carledger
