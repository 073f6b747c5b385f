// Template bodies for system_contracts.h (they read any view with Get/Range).
#pragma once

#include <algorithm>
#include <iterator>
#include <vector>

namespace carledger {

template <typename View>
Result<std::optional<ContractVersion>> ActiveContract(const View& view, const std::string& name,
                                                      uint64_t height) {
  CL_ASSIGN_OR_RETURN(auto raw, view.Get(ActiveKey(name)));
  if (!raw) return std::optional<ContractVersion>();
  CL_ASSIGN_OR_RETURN(Json rec, Json::Parse(*raw));
  const Json* use = &rec;
  if (static_cast<uint64_t>(rec.get_int("effective_height")) > height) {
    if (!rec.get("previous").is_object()) return std::optional<ContractVersion>();
    use = &rec.get("previous");
  }
  ContractVersion v{name, use->get_string("version"), use->get_int("sequence"),
                    use->get_string("hash")};
  return std::optional<ContractVersion>(v);
}

template <typename View>
Result<std::string> ContractSource(const View& view, const ContractVersion& version) {
  CL_ASSIGN_OR_RETURN(auto raw, view.Get(PackageKey(version.name, version.sequence)));
  if (!raw)
    return Status::NotFound("package " + version.name + " #" + std::to_string(version.sequence) +
                            " is missing");
  CL_ASSIGN_OR_RETURN(Json pkg, Json::Parse(*raw));
  return pkg.get_string("source");
}

template <typename View>
Result<std::optional<Json>> LoadMember(const View& view, const std::string& key_fingerprint) {
  CL_ASSIGN_OR_RETURN(auto raw, view.Get(kMemberPrefix + key_fingerprint));
  if (!raw) return std::optional<Json>();
  CL_ASSIGN_OR_RETURN(Json rec, Json::Parse(*raw));
  return std::optional<Json>(std::move(rec));
}

template <typename View>
Result<std::map<std::string, Json>> MembersWithRole(const View& view, Role role,
                                                    bool include_revoked) {
  std::map<std::string, Json> out;
  std::string start = kMemberPrefix;
  std::string end = kMemberPrefix.substr(0, kMemberPrefix.size() - 1) + "0";  // '/' + 1
  while (true) {
    CL_ASSIGN_OR_RETURN(auto rows, view.Range(start, end, 1000));
    for (auto& [k, v] : rows) {
      CL_ASSIGN_OR_RETURN(Json rec, Json::Parse(v));
      if (rec.get_string("role") == RoleName(role) &&
          (include_revoked || !rec.get_bool("revoked"))) {
        out.emplace(k.substr(kMemberPrefix.size()), std::move(rec));
      }
    }
    if (rows.size() < 1000) break;
    start = rows.back().first + std::string(1, '\0');
  }
  return out;
}

template <typename View>
Result<std::map<std::string, Json>> ActiveMembers(const View& view, Role role) {
  return MembersWithRole(view, role, /*include_revoked=*/false);
}

template <typename View>
Result<uint64_t> EpochBlocks(const View& view) {
  CL_ASSIGN_OR_RETURN(auto raw, view.Get(kConfigKey));
  if (!raw) return kDefaultEpochBlocks;
  CL_ASSIGN_OR_RETURN(Json cfg, Json::Parse(*raw));
  int64_t e = cfg.get_int("epoch_blocks", static_cast<int64_t>(kDefaultEpochBlocks));
  return static_cast<uint64_t>(e > 0 ? e : 1);
}

inline bool InSetAt(const Json& rec, uint64_t boundary) {
  if (static_cast<uint64_t>(rec.get_int("registered_height")) > boundary) return false;
  return !rec.get_bool("revoked") ||
         static_cast<uint64_t>(rec.get_int("revoked_height")) > boundary;
}

template <typename View>
Result<std::map<std::string, Json>> ValidatorRecordsAt(const View& view, uint64_t boundary) {
  CL_ASSIGN_OR_RETURN(auto all, MembersWithRole(view, Role::kValidator, true));
  for (auto it = all.begin(); it != all.end();) {
    it = InSetAt(it->second, boundary) ? std::next(it) : all.erase(it);
  }
  return all;
}

template <typename View>
Result<uint64_t> ValidatorSetChangedAt(const View& view, uint64_t boundary, uint64_t epoch) {
  CL_ASSIGN_OR_RETURN(auto all, MembersWithRole(view, Role::kValidator, true));
  uint64_t last = 0;
  auto effective = [epoch](uint64_t h) { return (h + epoch - 1) / epoch * epoch; };
  for (const auto& [id, rec] : all) {
    std::vector<uint64_t> points = {
        effective(static_cast<uint64_t>(rec.get_int("registered_height")))};
    if (rec.get_bool("revoked"))
      points.push_back(effective(static_cast<uint64_t>(rec.get_int("revoked_height"))));
    for (uint64_t p : points) {
      if (p <= boundary) last = std::max(last, p);
    }
  }
  return last;
}

}  // namespace carledger
