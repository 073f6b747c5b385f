#include "apps/cli/cli_common.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace carledger::cli {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

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

std::string FormatWon(int64_t won) {
  std::string digits = std::to_string(won < 0 ? -won : won);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++count;
  }
  if (won < 0) out.push_back('-');
  return std::string(out.rbegin(), out.rend());
}

}  // namespace carledger::cli

namespace carledger::cli {
std::string Flag(const std::vector<std::string>& args, const std::string& name, const std::string& def) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) return args[i + 1];
  }
  return def;
}
}  // namespace carledger::cli
