#include "ledger/network_dir.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace carledger {

Status WriteFile(const std::string& path, const std::string& content, bool secret) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot write " + path);
  out << content;
  out.close();
  if (!out) return Status::IOError("cannot write " + path);
  if (secret) chmod(path.c_str(), 0600);
  return Status::Ok();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status SaveSigner(const std::string& prefix, const Signer& signer) {
  CL_ASSIGN_OR_RETURN(std::string pem, signer.key.ToPem());
  CL_RETURN_IF_ERROR(WriteFile(prefix + ".key", pem, /*secret=*/true));
  if (signer.certificate) CL_RETURN_IF_ERROR(WriteFile(prefix + ".crt", signer.certificate->ToPem()));
  return Status::Ok();
}

Result<Signer> LoadSigner(const std::string& prefix) {
  CL_ASSIGN_OR_RETURN(std::string key_pem, ReadFile(prefix + ".key"));
  Signer s;
  CL_ASSIGN_OR_RETURN(s.key, PrivateKey::FromPem(key_pem));
  if (std::filesystem::exists(prefix + ".crt")) {
    CL_ASSIGN_OR_RETURN(std::string cert_pem, ReadFile(prefix + ".crt"));
    CL_ASSIGN_OR_RETURN(Certificate cert, Certificate::FromPem(cert_pem));
    s.certificate = std::move(cert);
  }
  return s;
}

Result<NetworkDir> LoadNetworkDir(const std::string& root) {
  NetworkDir nd;
  nd.root = root;
  CL_ASSIGN_OR_RETURN(std::string text, ReadFile(root + "/network.json"));
  CL_ASSIGN_OR_RETURN(nd.manifest, Json::Parse(text));
  CL_ASSIGN_OR_RETURN(nd.ids.ca, LoadSigner(root + "/ca/ca"));
  for (const auto& org : nd.manifest.get("organisations").as_array()) {
    CL_ASSIGN_OR_RETURN(Signer a, LoadSigner(root + "/admins/" + org.as_string()));
    nd.ids.admins.push_back(std::move(a));
  }
  int64_t n = nd.manifest.get_int("validators");
  for (int64_t i = 0; i < n; ++i) {
    CL_ASSIGN_OR_RETURN(Signer v, LoadSigner(root + "/validators/validator" + std::to_string(i)));
    nd.ids.validators.push_back(std::move(v));
  }
  return nd;
}

}  // namespace carledger
