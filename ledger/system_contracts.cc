#include "ledger/system_contracts.h"

#include <cstdio>
#include <set>

namespace carledger {
namespace {

CallResult Reject(std::string message) {
  CallResult r;
  r.outcome = CallOutcome::kRejected;
  r.message = std::move(message);
  return r;
}

CallResult Done(const Json& output) {
  CallResult r;
  r.outcome = CallOutcome::kOk;
  r.output = output.Dump();
  return r;
}

CallResult Fault(const Status& s) {
  CallResult r;
  r.outcome = CallOutcome::kError;
  r.message = s.ToString();
  return r;
}

bool ValidContractName(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '_') return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<Certificate> RootCa(TxState* state) {
  CL_ASSIGN_OR_RETURN(auto der, state->Get(kRootCaKey));
  if (!der) return Status::FailedPrecondition("the network has no root CA (genesis missing)");
  return Certificate::FromDer(*der);
}

// "host:port" with a non-blank host and a port in 1..65535.
bool ValidEndpoint(const std::string& address) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || address.size() > 255) return false;
  std::string port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  int p = std::stoi(port);
  for (size_t i = 0; i < colon; ++i) {
    if (static_cast<unsigned char>(address[i]) <= ' ') return false;
  }
  return p >= 1 && p <= 65535;
}

// Registers a certificate as a member after checking it against the root CA. A node
// (validator or observer) may name the address its peers reach it at.
Result<Json> AddMember(TxState* state, const Certificate& root, const std::string& cert_hex,
                       const CallContext& ctx, const std::string& address = "") {
  auto der = FromHex(cert_hex);
  if (!der.ok()) return Status::InvalidArgument("cert: must be hex DER");
  CL_ASSIGN_OR_RETURN(Certificate cert, Certificate::FromDer(*der));
  if (cert.role() == Role::kUser || cert.role() == Role::kCa) {
    return Status::InvalidArgument(std::string("cert: role '") + RoleName(cert.role()) +
                                   "' cannot be registered as a member");
  }
  CL_RETURN_IF_ERROR(VerifyCertificate(root, cert, ctx.timestamp_ms / 1000));
  std::string fp = cert.public_key().Fingerprint();
  CL_ASSIGN_OR_RETURN(auto existing, LoadMember(*state, fp));
  if (existing && !existing->get_bool("revoked")) {
    return Status::AlreadyExists("a member with this key is already registered");
  }
  if (existing && existing->get_bool("revoked")) {
    return Status::FailedPrecondition("this key was revoked and cannot be registered again");
  }
  Json rec = Json::MakeObject();
  rec["role"] = RoleName(cert.role());
  rec["org"] = cert.organization();
  rec["name"] = cert.common_name();
  rec["serial"] = cert.serial();
  rec["cert"] = cert_hex;
  rec["revoked"] = false;
  rec["registered_height"] = static_cast<int64_t>(state->height());
  if (!address.empty()) {
    if (cert.role() != Role::kValidator && cert.role() != Role::kObserver)
      return Status::InvalidArgument("address: only validators and observers have one");
    if (!ValidEndpoint(address)) return Status::InvalidArgument("address: must be host:port");
    rec["address"] = address;
  }
  CL_RETURN_IF_ERROR(state->Put(kMemberPrefix + fp, rec.Dump()));
  Json ev = Json::MakeObject();
  ev["id"] = fp;
  ev["role"] = RoleName(cert.role());
  ev["name"] = cert.common_name();
  ev["org"] = cert.organization();
  state->Emit("member_registered", ev.Dump());
  return ev;
}

Status InstallPackage(TxState* state, const std::string& name, const std::string& version,
                      int64_t sequence, const std::string& source) {
  if (!ValidContractName(name)) {
    return Status::InvalidArgument("name: 1-64 letters, digits, '_' or '-', not starting with '_'");
  }
  if (version.empty() || version.size() > 32)
    return Status::InvalidArgument("version: 1-32 characters");
  if (source.empty() || source.size() > 1024 * 1024)
    return Status::InvalidArgument("source: 1 byte to 1 MiB");
  // The package must load (compile and return its function table) before it is accepted.
  auto loaded = LuaContract::Load(name, source);
  if (!loaded.ok()) return Status::InvalidArgument("source: " + loaded.status().message());
  Json pkg = Json::MakeObject();
  pkg["name"] = name;
  pkg["version"] = version;
  pkg["sequence"] = sequence;
  pkg["hash"] = ToHex(Sha256(source));
  pkg["source"] = source;
  return state->Put(PackageKey(name, sequence), pkg.Dump());
}

Status ActivatePackage(TxState* state, const std::string& name, int64_t sequence) {
  CL_ASSIGN_OR_RETURN(auto raw, state->Get(PackageKey(name, sequence)));
  if (!raw)
    return Status::NotFound("package " + name + " #" + std::to_string(sequence) +
                            " is not installed");
  CL_ASSIGN_OR_RETURN(Json pkg, Json::Parse(*raw));
  CL_ASSIGN_OR_RETURN(auto old_raw, state->Get(ActiveKey(name)));
  Json rec = Json::MakeObject();
  rec["sequence"] = sequence;
  rec["version"] = pkg.get_string("version");
  rec["hash"] = pkg.get_string("hash");
  // In force from the next block, so every transaction of this block runs the old code.
  rec["effective_height"] = static_cast<int64_t>(state->height() + 1);
  if (old_raw) {
    CL_ASSIGN_OR_RETURN(Json old, Json::Parse(*old_raw));
    Json prev = Json::MakeObject();
    bool old_in_force = static_cast<uint64_t>(old.get_int("effective_height")) <= state->height();
    const Json& src = old_in_force ? old : old.get("previous");
    if (src.is_object()) {
      prev["sequence"] = src.get_int("sequence");
      prev["version"] = src.get_string("version");
      prev["hash"] = src.get_string("hash");
      rec["previous"] = prev;
    }
  }
  CL_RETURN_IF_ERROR(state->Put(ActiveKey(name), rec.Dump()));
  Json ev = Json::MakeObject();
  ev["name"] = name;
  ev["sequence"] = sequence;
  ev["version"] = pkg.get_string("version");
  ev["effective_height"] = static_cast<int64_t>(state->height() + 1);
  state->Emit("contract_committed", ev.Dump());
  return Status::Ok();
}

CallResult Genesis(const Json& args, const CallContext& ctx,
                   const std::optional<Certificate>& creator, TxState* state) {
  if (state->height() != 0) return Reject("_genesis.init is only valid in block 0");
  auto root_der = FromHex(args.get_string("root_ca"));
  if (!root_der.ok()) return Reject("root_ca: must be hex DER");
  auto root = Certificate::FromDer(*root_der);
  if (!root.ok()) return Reject("root_ca: " + root.status().message());
  if (root->role() != Role::kCa) return Reject("root_ca: not a CA certificate");
  if (!creator || creator->der() != root->der()) {
    return Reject("_genesis.init must be signed by the root CA's key");
  }
  Status st = state->Put(kRootCaKey, root->der());
  if (!st.ok()) return Fault(st);
  Json config = Json::MakeObject();
  config["timestamp_window_ms"] = args.get_int("timestamp_window_ms", 10 * 60 * 1000);
  int64_t epoch = args.get_int("epoch_blocks", static_cast<int64_t>(kDefaultEpochBlocks));
  if (epoch < 1 || epoch > 100000) return Reject("epoch_blocks: must be 1 to 100000");
  config["epoch_blocks"] = epoch;
  st = state->Put(kConfigKey, config.Dump());
  if (!st.ok()) return Fault(st);
  Json out = Json::MakeObject();
  for (const Json& m :
       args.get("members").is_array() ? args.get("members").as_array() : Json::Array{}) {
    if (!m.is_string()) return Reject("members: must be hex DER certificates");
    auto added = AddMember(state, *root, m.as_string(), ctx);
    if (!added.ok()) return Reject("members: " + added.status().message());
    out["members"].push_back(*added);
  }
  for (const Json& c :
       args.get("contracts").is_array() ? args.get("contracts").as_array() : Json::Array{}) {
    std::string name = c.get_string("name");
    st = InstallPackage(state, name, c.get_string("version"), 1, c.get_string("source"));
    if (st.ok()) st = ActivatePackage(state, name, 1);
    if (!st.ok()) return Reject("contracts." + name + ": " + st.message());
    out["contracts"].push_back(name);
  }
  return Done(out);
}

bool IsAdmin(const CallContext& ctx) {
  return ctx.caller.role == RoleName(Role::kAdmin);
}

// Marks a member revoked (the record stays: old blocks are still checked against it).
Result<Json> RevokeMember(TxState* state, const std::string& id, const std::string& reason,
                          const CallContext& ctx) {
  CL_ASSIGN_OR_RETURN(auto member, LoadMember(*state, id));
  if (!member) return Status::NotFound("id: no member with key " + id);
  Json rec = *member;
  if (rec.get_bool("revoked")) return Status::FailedPrecondition("id: member is already revoked");
  if (id == ctx.caller.id) return Status::FailedPrecondition("an admin cannot revoke themself");
  if (rec.get_string("role") == RoleName(Role::kValidator)) {
    CL_ASSIGN_OR_RETURN(auto validators, ActiveMembers(*state, Role::kValidator));
    if (validators.size() <= 1)
      return Status::FailedPrecondition("id: the last validator cannot be removed");
  }
  rec["revoked"] = true;
  rec["revoked_height"] = static_cast<int64_t>(state->height());
  rec["revoked_reason"] = reason;
  CL_RETURN_IF_ERROR(state->Put(kMemberPrefix + id, rec.Dump()));
  Json ev = Json::MakeObject();
  ev["id"] = id;
  ev["role"] = rec.get_string("role");
  ev["reason"] = reason;
  state->Emit("member_revoked", ev.Dump());
  return ev;
}

CallResult Msp(const std::string& function, const Json& args, const CallContext& ctx,
               TxState* state) {
  if (!IsAdmin(ctx)) return Reject("_msp." + function + " requires an admin certificate");
  auto root = RootCa(state);
  if (!root.ok()) return Fault(root.status());
  if (function == "register") {
    auto added = AddMember(state, *root, args.get_string("cert"), ctx, args.get_string("address"));
    if (!added.ok()) return Reject(added.status().message());
    return Done(*added);
  }
  if (function == "revoke") {
    std::string reason = args.get_string("reason");
    if (reason.empty()) return Reject("reason: required");
    auto ev = RevokeMember(state, args.get_string("id"), reason, ctx);
    if (!ev.ok()) return Reject(ev.status().message());
    return Done(*ev);
  }
  if (function == "replace") {
    // One validator out and another in, effective together at the next epoch boundary.
    std::string reason = args.get_string("reason");
    if (reason.empty()) return Reject("reason: required");
    auto member = LoadMember(*state, args.get_string("id"));
    if (!member.ok()) return Fault(member.status());
    if (*member && (*member)->get_string("role") != RoleName(Role::kValidator))
      return Reject("id: not a validator");
    auto der = FromHex(args.get_string("cert"));
    if (!der.ok()) return Reject("cert: must be hex DER");
    auto cert = Certificate::FromDer(*der);
    if (!cert.ok()) return Reject("cert: " + cert.status().message());
    if (cert->role() != Role::kValidator) return Reject("cert: not a validator certificate");
    auto added = AddMember(state, *root, args.get_string("cert"), ctx, args.get_string("address"));
    if (!added.ok()) return Reject(added.status().message());
    auto removed = RevokeMember(state, args.get_string("id"), reason, ctx);
    if (!removed.ok()) return Reject(removed.status().message());
    Json out = Json::MakeObject();
    out["added"] = *added;
    out["removed"] = *removed;
    return Done(out);
  }
  return Reject("_msp has no function '" + function + "'");
}

CallResult Lifecycle(const std::string& function, const Json& args, const CallContext& ctx,
                     TxState* state) {
  if (!IsAdmin(ctx)) return Reject("_lifecycle." + function + " requires an admin certificate");
  std::string name = args.get_string("name");
  if (!ValidContractName(name)) return Reject("name: not a valid contract name");
  auto active = ActiveContract(*state, name, state->height() + 1);
  if (!active.ok()) return Fault(active.status());
  int64_t next_seq = *active ? (*active)->sequence + 1 : 1;
  if (function == "install") {
    int64_t seq = args.get_int("sequence");
    if (seq != next_seq) return Reject("sequence: must be " + std::to_string(next_seq));
    Status st =
        InstallPackage(state, name, args.get_string("version"), seq, args.get_string("source"));
    if (!st.ok()) return Reject(st.message());
    Json out = Json::MakeObject();
    out["name"] = name;
    out["sequence"] = seq;
    out["hash"] = ToHex(Sha256(args.get_string("source")));
    return Done(out);
  }
  int64_t seq = args.get_int("sequence");
  if (seq != next_seq)
    return Reject("sequence: the next sequence for " + name + " is " + std::to_string(next_seq));
  auto pkg_raw = state->Get(PackageKey(name, seq));
  if (!pkg_raw.ok()) return Fault(pkg_raw.status());
  if (!*pkg_raw)
    return Reject("package " + name + " #" + std::to_string(seq) + " is not installed");
  auto pkg = Json::Parse(**pkg_raw);
  if (!pkg.ok()) return Fault(pkg.status());
  std::string approval_prefix = "_lc/approval/" + name + "/" + std::to_string(seq) + "/";
  if (function == "approve") {
    if (args.get_string("hash") != pkg->get_string("hash")) {
      return Reject("hash: does not match the installed package");
    }
    if (ctx.caller.org.empty())
      return Reject("the approving admin's certificate names no organisation");
    std::string key = approval_prefix + ctx.caller.org;
    auto existing = state->Get(key);
    if (!existing.ok()) return Fault(existing.status());
    // An approval of a package since replaced at this sequence may be replaced too.
    if (*existing) {
      auto prev = Json::Parse(**existing);
      if (!prev.ok()) return Fault(prev.status());
      if (prev->get_string("hash") == pkg->get_string("hash")) {
        return Reject("organisation " + ctx.caller.org + " has already approved");
      }
    }
    Json rec = Json::MakeObject();
    rec["hash"] = pkg->get_string("hash");
    rec["by"] = ctx.caller.id;
    Status st = state->Put(key, rec.Dump());
    if (!st.ok()) return Fault(st);
    Json out = Json::MakeObject();
    out["name"] = name;
    out["sequence"] = seq;
    out["org"] = ctx.caller.org;
    state->Emit("contract_approved", out.Dump());
    return Done(out);
  }
  if (function == "commit") {
    auto admins = ActiveMembers(*state, Role::kAdmin);
    if (!admins.ok()) return Fault(admins.status());
    std::set<std::string> orgs;
    for (const auto& [id, rec] : *admins) orgs.insert(rec.get_string("org"));
    size_t approvals = 0;
    for (const auto& org : orgs) {
      auto a = state->Get(approval_prefix + org);
      if (!a.ok()) return Fault(a.status());
      if (!*a) continue;
      // Only approvals of the package installed now count: the sequence may have been
      // re-installed with other source after some organisations approved.
      auto rec = Json::Parse(**a);
      if (!rec.ok()) return Fault(rec.status());
      if (rec->get_string("hash") == pkg->get_string("hash")) ++approvals;
    }
    if (approvals * 2 <= orgs.size()) {
      return Reject("approval policy not met: " + std::to_string(approvals) + " of " +
                    std::to_string(orgs.size()) + " organisations approved, a majority is needed");
    }
    Status st = ActivatePackage(state, name, seq);
    if (!st.ok()) return Reject(st.message());
    Json out = Json::MakeObject();
    out["name"] = name;
    out["sequence"] = seq;
    out["effective_height"] = static_cast<int64_t>(state->height() + 1);
    return Done(out);
  }
  return Reject("_lifecycle has no function '" + function + "'");
}

}  // namespace

bool IsSystemContract(const std::string& name) {
  return name == "_genesis" || name == "_msp" || name == "_lifecycle";
}

std::string PackageKey(const std::string& name, int64_t sequence) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "%010lld", static_cast<long long>(sequence));
  return "_lc/pkg/" + name + "/" + buf;
}

std::string ActiveKey(const std::string& name) {
  return "_lc/active/" + name;
}

CallResult RunSystemContract(const std::string& contract, const std::string& function,
                             const Json& args, const CallContext& ctx,
                             const std::optional<Certificate>& creator_cert, TxState* state) {
  if (contract == "_genesis") {
    if (function != "init") return Reject("_genesis has no function '" + function + "'");
    return Genesis(args, ctx, creator_cert, state);
  }
  if (contract == "_msp") return Msp(function, args, ctx, state);
  if (contract == "_lifecycle") return Lifecycle(function, args, ctx, state);
  return Reject("unknown system contract " + contract);
}

}  // namespace carledger
