// The contract runtime: Lua 5.4 in a deterministic sandbox.
//
// A contract is Lua source that returns a table of functions; a transaction calls one of
// them with its JSON args as a Lua table. The sandbox has no io, os, debug, package,
// require, load/dofile (so no bytecode), string.dump, collectgarbage, math.random, wall
// clock or addresses: tostring of a table prints no address (nor does string.format's
// %s, which follows tostring), string.format refuses float and pointer conversions,
// pairs iterates in sorted key order (stock Lua seeds its string hash per state, so raw
// next() order differs between nodes; next is removed), and table.sort is a stable merge
// sort (stock Lua's quicksort draws pivots from the clock).
// Each call has an instruction budget and a memory limit; exceeding either fails that
// call even if the contract catches the error with pcall (deterministically: counted in
// VM instructions, plus one per index for the C loops of table.move/insert/remove/concat,
// and allocated bytes) and leaves the host unharmed. A LuaContract is used for one block and then
// thrown away, so no Lua state outlives the block that made it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/json.h"
#include "common/status.h"
#include "ledger/state_db.h"

struct lua_State;

namespace carledger {

struct ContractLimits {
  uint64_t instruction_budget = 10'000'000;  // VM instructions per call
  size_t memory_bytes = 16u << 20;           // bytes a call may allocate beyond the baseline
  size_t load_memory_bytes = 64u << 20;      // for loading the package itself
};

struct CallerInfo {
  std::string id;    // key fingerprint (wallet address)
  std::string role;  // user, agency, admin, validator
  std::string org;   // organisation from the certificate, empty for users
  std::string name;  // certificate common name, empty for users
};

struct CallContext {
  std::string tx_id_hex;
  int64_t timestamp_ms = 0;  // the block's timestamp: the only clock a contract sees
  uint64_t height = 0;
  uint64_t seed = 0;  // deterministic per transaction
  CallerInfo caller;
};

// What a contract may touch. Keys are relative to the contract's namespace.
class ContractHost {
 public:
  virtual ~ContractHost() = default;
  virtual Result<std::optional<std::string>> Get(const std::string& key) = 0;
  virtual Status Put(const std::string& key, const std::string& value) = 0;
  virtual Status Delete(const std::string& key) = 0;
  virtual Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                         const std::string& end,
                                                                         size_t limit) = 0;
  virtual Result<std::vector<HistoryEntry>> History(const std::string& key, size_t after,
                                                    size_t limit) = 0;
  virtual void Emit(const std::string& name, const std::string& payload_json) = 0;
};

enum class CallOutcome { kOk, kRejected, kBudgetExceeded, kMemoryExceeded, kError };

struct CallResult {
  CallOutcome outcome = CallOutcome::kError;
  std::string output;   // canonical JSON of the return value (kOk)
  std::string message;  // why it failed
};

class LuaContract {
 public:
  ~LuaContract();
  LuaContract(const LuaContract&) = delete;
  LuaContract& operator=(const LuaContract&) = delete;

  // Loads `source` (text only) into a fresh sandbox and runs it to get the function table.
  static Result<std::unique_ptr<LuaContract>> Load(const std::string& name,
                                                   const std::string& source,
                                                   const ContractLimits& limits = {});
  // The same for a source known by its SHA-256 (32 bytes), as a deployed contract version
  // records it: `source` is read only when this process has not compiled it yet, so a
  // block need not read a package it ran before (lua_bytecode.h).
  static Result<std::unique_ptr<LuaContract>> LoadVersion(
      const std::string& name, const Bytes& source_sha256,
      const std::function<Result<std::string>()>& source, const ContractLimits& limits = {});

  // Calls `function` with `args_json` (a JSON object). Never throws; every failure is a
  // CallResult. The host's writes are the caller's to discard when outcome != kOk.
  CallResult Call(const std::string& function, const std::string& args_json,
                  const CallContext& context, ContractHost* host);
  // The same with `args` already parsed (the executor parses them to validate the
  // transaction first).
  CallResult CallParsed(const std::string& function, const Json& args, const CallContext& context,
                        ContractHost* host);

  // Names of the functions the package exports, sorted.
  std::vector<std::string> Functions() const;

  // Implementation state reached from Lua callbacks (public for the C callbacks only).
  struct Runtime;

 private:
  LuaContract() = default;
  std::unique_ptr<Runtime> rt_;
  lua_State* L_ = nullptr;
};

}  // namespace carledger
