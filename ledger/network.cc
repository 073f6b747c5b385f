#include "ledger/network.h"

namespace carledger {

Result<Signer> IssueMember(const Signer& ca, Role role, const std::string& common_name,
                           const std::string& org, int64_t now_s, int validity_days) {
  if (!ca.certificate) return Status::InvalidArgument("the CA signer has no certificate");
  CL_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate());
  CertificateRequest req{common_name, org, key.public_key()};
  // Backdate by an hour so a clock a little behind the CA's still accepts it.
  CL_ASSIGN_OR_RETURN(Certificate cert, IssueCertificate(*ca.certificate, ca.key, req, role,
                                                         now_s - 3600, validity_days));
  return Signer{key, cert};
}

Result<NetworkIdentities> CreateNetworkIdentities(const std::string& network_name,
                                                  const std::vector<std::string>& admin_orgs,
                                                  int validators, int64_t now_s,
                                                  int validity_days) {
  if (admin_orgs.empty())
    return Status::InvalidArgument("at least one admin organisation is needed");
  if (validators < 1) return Status::InvalidArgument("at least one validator is needed");
  NetworkIdentities ids;
  CL_ASSIGN_OR_RETURN(ids.ca.key, PrivateKey::Generate());
  CL_ASSIGN_OR_RETURN(Certificate ca_cert, CreateRootCa(ids.ca.key, network_name + " Root CA",
                                                        network_name, now_s - 3600, validity_days));
  ids.ca.certificate = ca_cert;
  for (const auto& org : admin_orgs) {
    CL_ASSIGN_OR_RETURN(
        Signer admin, IssueMember(ids.ca, Role::kAdmin, "admin@" + org, org, now_s, validity_days));
    ids.admins.push_back(std::move(admin));
  }
  for (int i = 0; i < validators; ++i) {
    CL_ASSIGN_OR_RETURN(
        Signer v,
        IssueMember(ids.ca, Role::kValidator, "validator" + std::to_string(i),
                    admin_orgs[static_cast<size_t>(i) % admin_orgs.size()], now_s, validity_days));
    ids.validators.push_back(std::move(v));
  }
  return ids;
}

Result<ledger::TxEnvelope> MakeGenesisTx(const Signer& ca, const std::vector<Certificate>& members,
                                         const std::vector<ContractPackage>& contracts,
                                         int64_t timestamp_ms, uint64_t epoch_blocks) {
  if (!ca.certificate) return Status::InvalidArgument("the CA signer has no certificate");
  Json args = Json::MakeObject();
  args["root_ca"] = ToHex(ca.certificate->der());
  args["members"] = Json::MakeArray();
  for (const auto& m : members) args["members"].push_back(ToHex(m.der()));
  args["epoch_blocks"] = static_cast<int64_t>(epoch_blocks);
  args["contracts"] = Json::MakeArray();
  for (const auto& c : contracts) {
    Json p = Json::MakeObject();
    p["name"] = c.name;
    p["version"] = c.version;
    p["source"] = c.source;
    args["contracts"].push_back(p);
  }
  return MakeTransaction(ca, "_genesis", "init", args, 0, timestamp_ms);
}

Result<ledger::Block> CommitGenesis(Ledger* ledger, const NetworkIdentities& ids,
                                    const std::vector<ContractPackage>& contracts,
                                    int64_t timestamp_ms, uint64_t epoch_blocks) {
  if (ledger->height() != 0)
    return Status::FailedPrecondition("the ledger already has a genesis block");
  std::vector<Certificate> members;
  for (const auto& a : ids.admins) members.push_back(*a.certificate);
  for (const auto& v : ids.validators) members.push_back(*v.certificate);
  CL_ASSIGN_OR_RETURN(ledger::TxEnvelope tx,
                      MakeGenesisTx(ids.ca, members, contracts, timestamp_ms, epoch_blocks));
  CL_ASSIGN_OR_RETURN(ledger::Block block,
                      ledger->Propose({tx}, timestamp_ms, ids.validators.front().id()));
  // Never commit a genesis block whose one transaction failed.
  if (block.results(0).code() != ledger::VALID) {
    return Status::InvalidArgument("genesis transaction was rejected: " +
                                   block.results(0).reason());
  }
  for (const auto& v : ids.validators) {
    CL_ASSIGN_OR_RETURN(*block.mutable_certificate()->add_signatures(),
                        SignCommit(block.header(), v.key));
  }
  CL_RETURN_IF_ERROR(ledger->Commit(block));
  return block;
}

}  // namespace carledger
