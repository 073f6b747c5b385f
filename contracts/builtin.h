// Contract packages shipped with CarLedger (embedded at build time from contracts/*/).
#pragma once

#include <string>

namespace carledger {

// The Lua source of a built-in contract ("car_trade"), or nullptr.
const std::string* BuiltinContractSource(const std::string& name);

}  // namespace carledger
