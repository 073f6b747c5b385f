#include "ledger/contract_runtime.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
#include <lua.hpp>
#include <map>
#include <mutex>
#include <string_view>

#include "common/crypto.h"
#include "ledger/lua_bytecode.h"
#include "ledger/lua_json.h"
#include "ledger/lua_sandbox.h"

namespace carledger {

struct LuaContract::Runtime {
  // Memory accounting: the allocator refuses growth past `limit` and notes it.
  size_t used = 0;
  size_t limit = 0;
  bool memory_exceeded = false;
  // The core retries a refused allocation once, with the same request, after an emergency
  // collection; a second refusal means the call really ran out. Other refusals (the
  // auxiliary library's buffers, e.g. string.rep) are not retried and count at once,
  // even if the contract catches the error with pcall.
  bool refusal_pending = false;
  void* refused_ptr = nullptr;
  size_t refused_size = 0;
  // Instruction budget, counted by a hook every kHookEvery instructions.
  uint64_t budget = 0;
  uint64_t spent = 0;
  bool budget_exceeded = false;
  // ledger.reject() was called.
  bool rejected = false;
  std::string reject_message;
  // Per-call context.
  const CallContext* context = nullptr;
  ContractHost* host = nullptr;
  ContractLimits limits;
  std::string name;
};

namespace {

constexpr int kHookEvery = 1000;
constexpr size_t kMaxKeyBytes = 512;
constexpr size_t kMaxValueBytes = 256 * 1024;
constexpr size_t kMaxRange = 1000;

char kRuntimeKey;
char kModuleKey;

LuaContract::Runtime* GetRuntime(lua_State* L) {
  void* ud = nullptr;
  lua_getallocf(L, &ud);
  return static_cast<LuaContract::Runtime*>(ud);
}

void* Allocate(void* ud, void* ptr, size_t osize, size_t nsize) {
  auto* rt = static_cast<LuaContract::Runtime*>(ud);
  if (nsize == 0) {
    std::free(ptr);
    if (ptr != nullptr) rt->used -= osize;
    return nullptr;
  }
  bool retry = rt->refusal_pending && ptr == rt->refused_ptr && nsize == rt->refused_size;
  if (rt->refusal_pending && !retry) rt->memory_exceeded = true;  // the refusal stood
  rt->refusal_pending = false;
  size_t old = ptr != nullptr ? osize : 0;
  if (nsize > old && rt->used - old + nsize > rt->limit) {
    if (retry) {
      rt->memory_exceeded = true;
    } else {
      rt->refusal_pending = true;
      rt->refused_ptr = ptr;
      rt->refused_size = nsize;
    }
    return nullptr;
  }
  void* out = std::realloc(ptr, nsize);
  if (out != nullptr) rt->used = rt->used - old + nsize;
  return out;
}

void CountHook(lua_State* L, lua_Debug*) {
  auto* rt = GetRuntime(L);
  rt->spent += kHookEvery;
  if (rt->spent > rt->budget) {
    rt->budget_exceeded = true;
    // From now on stop at the very next instruction, so a pcall in the contract
    // cannot swallow the error and keep running.
    lua_sethook(L, CountHook, LUA_MASKCOUNT, 1);
    luaL_error(L, "instruction budget of %d exceeded", static_cast<int>(rt->budget));
  }
}

}  // namespace

// Declared in lua_sandbox.h: the runtime owns the budget the sandbox libraries charge.
void ChargeBudget(lua_State* L, lua_Integer units) {
  if (units <= 0) return;
  auto* rt = GetRuntime(L);
  uint64_t u = static_cast<uint64_t>(units);
  if (rt->spent > rt->budget || u > rt->budget - rt->spent) {
    rt->spent = rt->budget + 1;
    rt->budget_exceeded = true;
    lua_sethook(L, CountHook, LUA_MASKCOUNT, 1);
    luaL_error(L, "instruction budget of %d exceeded", static_cast<int>(rt->budget));
  }
  rt->spent += u;
}

namespace {

int ReadOnlyGlobals(lua_State* L) {
  return luaL_error(L, "cannot set global '%s': globals are read-only, use locals",
                    lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
}

// ---- the host API: the `ledger` table ----

ContractHost* Host(lua_State* L) {
  auto* rt = GetRuntime(L);
  if (rt->host == nullptr) luaL_error(L, "the ledger API is only available during a call");
  return rt->host;
}

std::string CheckKey(lua_State* L, int index) {
  size_t len;
  const char* k = luaL_checklstring(L, index, &len);
  if (len == 0 || len > kMaxKeyBytes)
    luaL_error(L, "key must be 1..%d bytes", static_cast<int>(kMaxKeyBytes));
  return std::string(k, len);
}

[[noreturn]] void RaiseStatus(lua_State* L, const Status& s) {
  luaL_error(L, "%s", s.ToString().c_str());
  std::abort();  // unreachable: luaL_error does not return
}

int LGet(lua_State* L) {
  std::string key = CheckKey(L, 1);
  auto v = Host(L)->Get(key);
  if (!v.ok()) RaiseStatus(L, v.status());
  if (!v->has_value()) {
    lua_pushnil(L);
  } else {
    lua_pushlstring(L, (*v)->data(), (*v)->size());
  }
  return 1;
}

int LPut(lua_State* L) {
  std::string key = CheckKey(L, 1);
  size_t len;
  const char* v = luaL_checklstring(L, 2, &len);
  if (lua_type(L, 2) != LUA_TSTRING) luaL_error(L, "ledger.put: value must be a string");
  if (len > kMaxValueBytes)
    luaL_error(L, "ledger.put: value larger than %d bytes", static_cast<int>(kMaxValueBytes));
  Status s = Host(L)->Put(key, std::string(v, len));
  if (!s.ok()) RaiseStatus(L, s);
  return 0;
}

int LDel(lua_State* L) {
  std::string key = CheckKey(L, 1);
  Status s = Host(L)->Delete(key);
  if (!s.ok()) RaiseStatus(L, s);
  return 0;
}

int LRange(lua_State* L) {
  std::string start = CheckKey(L, 1);
  size_t elen;
  const char* e = luaL_optlstring(L, 2, "", &elen);
  lua_Integer limit = luaL_optinteger(L, 3, 100);
  if (limit < 1 || limit > static_cast<lua_Integer>(kMaxRange))
    luaL_error(L, "ledger.range: limit must be 1..%d", static_cast<int>(kMaxRange));
  auto rows = Host(L)->Range(start, std::string(e, elen), static_cast<size_t>(limit));
  if (!rows.ok()) RaiseStatus(L, rows.status());
  lua_createtable(L, static_cast<int>(rows->size()), 0);
  lua_Integer i = 0;
  for (const auto& [k, v] : *rows) {
    lua_createtable(L, 0, 2);
    lua_pushlstring(L, k.data(), k.size());
    lua_setfield(L, -2, "key");
    lua_pushlstring(L, v.data(), v.size());
    lua_setfield(L, -2, "value");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

int LHistory(lua_State* L) {
  std::string key = CheckKey(L, 1);
  lua_Integer after = luaL_optinteger(L, 2, 0);
  lua_Integer limit = luaL_optinteger(L, 3, 100);
  if (after < 0 || limit < 1 || limit > static_cast<lua_Integer>(kMaxRange))
    luaL_error(L, "ledger.history: bad paging");
  auto rows = Host(L)->History(key, static_cast<size_t>(after), static_cast<size_t>(limit));
  if (!rows.ok()) RaiseStatus(L, rows.status());
  lua_createtable(L, static_cast<int>(rows->size()), 0);
  lua_Integer i = 0;
  for (const auto& h : *rows) {
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, static_cast<lua_Integer>(h.height));
    lua_setfield(L, -2, "height");
    lua_pushinteger(L, static_cast<lua_Integer>(h.tx_index));
    lua_setfield(L, -2, "index");
    std::string hex = ToHex(h.tx_id);
    lua_pushlstring(L, hex.data(), hex.size());
    lua_setfield(L, -2, "tx_id");
    lua_rawseti(L, -2, ++i);
  }
  return 1;
}

const CallContext& Ctx(lua_State* L) {
  auto* rt = GetRuntime(L);
  if (rt->context == nullptr) luaL_error(L, "no transaction context outside a call");
  return *rt->context;
}

int LCaller(lua_State* L) {
  const CallerInfo& c = Ctx(L).caller;
  lua_createtable(L, 0, 4);
  lua_pushlstring(L, c.id.data(), c.id.size());
  lua_setfield(L, -2, "id");
  lua_pushlstring(L, c.role.data(), c.role.size());
  lua_setfield(L, -2, "role");
  lua_pushlstring(L, c.org.data(), c.org.size());
  lua_setfield(L, -2, "org");
  lua_pushlstring(L, c.name.data(), c.name.size());
  lua_setfield(L, -2, "name");
  return 1;
}

int LTxId(lua_State* L) {
  const auto& id = Ctx(L).tx_id_hex;
  lua_pushlstring(L, id.data(), id.size());
  return 1;
}
int LTimestamp(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(Ctx(L).timestamp_ms));
  return 1;
}
int LHeight(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(Ctx(L).height));
  return 1;
}
int LSeed(lua_State* L) {
  lua_pushinteger(L, static_cast<lua_Integer>(Ctx(L).seed & 0x7fffffffffffffffull));
  return 1;
}

int LEmit(lua_State* L) {
  std::string name = CheckKey(L, 1);
  std::string payload = "{}";
  if (!lua_isnoneornil(L, 2)) {
    auto j = LuaToJsonText(L, 2);
    if (!j.ok()) return luaL_error(L, "ledger.emit: %s", j.status().message().c_str());
    payload = std::move(j).value();
  }
  Host(L)->Emit(name, payload);
  return 0;
}

int LReject(lua_State* L) {
  auto* rt = GetRuntime(L);
  rt->rejected = true;
  size_t len;
  const char* m = luaL_optlstring(L, 1, "rejected by the contract", &len);
  rt->reject_message.assign(m, len);
  lua_pushlstring(L, m, len);
  return lua_error(L);
}

void OpenHostApi(lua_State* L) {
  static const luaL_Reg kFuncs[] = {
      {"get", LGet},         {"put", LPut},       {"del", LDel},    {"range", LRange},
      {"history", LHistory}, {"caller", LCaller}, {"tx_id", LTxId}, {"timestamp", LTimestamp},
      {"height", LHeight},   {"seed", LSeed},     {"emit", LEmit},  {"reject", LReject},
      {nullptr, nullptr}};
  luaL_newlib(L, kFuncs);
  lua_setglobal(L, "ledger");
}

int BuildSandbox(lua_State* L) {
  OpenDeterministicLibraries(L);
  OpenHostApi(L);
  OpenLuaJson(L);
  return 0;
}

}  // namespace

LuaContract::~LuaContract() {
  if (L_ != nullptr) lua_close(L_);
}

Result<std::unique_ptr<LuaContract>> LuaContract::Load(const std::string& name,
                                                       const std::string& source,
                                                       const ContractLimits& limits) {
  return LoadVersion(
      name, Sha256(source), [&]() -> Result<std::string> { return source; }, limits);
}

Result<std::unique_ptr<LuaContract>> LuaContract::LoadVersion(
    const std::string& name, const Bytes& source_sha256,
    const std::function<Result<std::string>()>& source, const ContractLimits& limits) {
  CL_ASSIGN_OR_RETURN(std::string bytecode, CompiledContractChunk(name, source_sha256, source));
  std::unique_ptr<LuaContract> c(new LuaContract());
  c->rt_ = std::make_unique<Runtime>();
  c->rt_->limits = limits;
  c->rt_->limit = limits.load_memory_bytes;
  c->rt_->name = name;
  c->L_ = lua_newstate(Allocate, c->rt_.get());
  if (c->L_ == nullptr) return Status::ResourceExhausted("cannot create a Lua state");
  lua_State* L = c->L_;
  lua_pushcfunction(L, BuildSandbox);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
    return Status::Internal("cannot build the contract sandbox: " +
                            std::string(lua_tostring(L, -1)));
  }
  // Run the package with the same budget a call gets.
  c->rt_->budget = limits.instruction_budget;
  c->rt_->spent = 0;
  lua_sethook(L, CountHook, LUA_MASKCOUNT, kHookEvery);
  std::string chunk = "=" + name;
  int rc = luaL_loadbufferx(L, bytecode.data(), bytecode.size(), chunk.c_str(), "b");
  if (rc != LUA_OK) {
    return Status::InvalidArgument("contract " + name +
                                   " does not compile: " + lua_tostring(L, -1));
  }
  rc = lua_pcall(L, 0, 1, 0);
  if (rc != LUA_OK) {
    return Status::InvalidArgument("contract " + name + " failed to load: " +
                                   (lua_isstring(L, -1) ? lua_tostring(L, -1) : "error"));
  }
  if (!lua_istable(L, -1)) {
    return Status::InvalidArgument("contract " + name + " must return a table of functions");
  }
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kModuleKey);
  // From here on, globals are read-only.
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, ReadOnlyGlobals);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  lua_pushlightuserdata(L, c->rt_.get());
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kRuntimeKey);
  return c;
}

std::vector<std::string> LuaContract::Functions() const {
  std::vector<std::string> out;
  lua_State* L = L_;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleKey);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_isfunction(L, -1)) out.push_back(lua_tostring(L, -2));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  std::sort(out.begin(), out.end());
  return out;
}

CallResult LuaContract::Call(const std::string& function, const std::string& args_json,
                             const CallContext& context, ContractHost* host) {
  auto args = Json::Parse(args_json);
  if (!args.ok() || !args->is_object()) {
    CallResult result;
    result.message =
        "args: " + (args.ok() ? std::string("must be a JSON object") : args.status().message());
    return result;
  }
  return CallParsed(function, *args, context, host);
}

CallResult LuaContract::CallParsed(const std::string& function, const Json& args,
                                   const CallContext& context, ContractHost* host) {
  CallResult result;
  if (!args.is_object()) {
    result.message = "args: must be a JSON object";
    return result;
  }
  lua_State* L = L_;
  Runtime& rt = *rt_;
  int base = lua_gettop(L);
  rt.context = &context;
  rt.host = host;
  rt.rejected = false;
  rt.reject_message.clear();
  rt.memory_exceeded = false;
  rt.refusal_pending = false;
  rt.budget_exceeded = false;
  rt.budget = rt.limits.instruction_budget;
  rt.spent = 0;
  rt.limit = rt.used + rt.limits.memory_bytes;
  lua_sethook(L, CountHook, LUA_MASKCOUNT, kHookEvery);

  lua_rawgetp(L, LUA_REGISTRYINDEX, &kModuleKey);
  int rc = LUA_OK;
  if (function.empty() || function[0] == '_' ||
      lua_getfield(L, -1, function.c_str()) != LUA_TFUNCTION) {
    result.outcome = CallOutcome::kRejected;
    result.message = "contract " + rt.name + " has no function '" + function + "'";
  } else {
    PushJson(L, args);
    rc = lua_pcall(L, 1, 1, 0);
    if (rt.refusal_pending) rt.memory_exceeded = true;  // refused and never retried
    if (rt.memory_exceeded || rc == LUA_ERRMEM) {
      result.outcome = CallOutcome::kMemoryExceeded;
      result.message =
          "memory limit of " + std::to_string(rt.limits.memory_bytes) + " bytes exceeded";
    } else if (rt.budget_exceeded) {
      result.outcome = CallOutcome::kBudgetExceeded;
      result.message = "instruction budget of " + std::to_string(rt.budget) + " exceeded";
    } else if (rt.rejected) {
      result.outcome = CallOutcome::kRejected;
      result.message = rt.reject_message;
    } else if (rc != LUA_OK) {
      result.outcome = CallOutcome::kError;
      result.message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                      : "contract raised a non-string error";
    } else {
      auto out = LuaToJsonText(L, -1);
      if (!out.ok()) {
        result.outcome = CallOutcome::kError;
        result.message = "return value: " + out.status().message();
      } else {
        result.outcome = CallOutcome::kOk;
        result.output = std::move(out).value();
      }
    }
  }
  lua_settop(L, base);
  lua_sethook(L, nullptr, 0, 0);
  rt.context = nullptr;
  rt.host = nullptr;
  // Let the next call start from a heap that does not count this call's growth.
  rt.limit = rt.used + rt.limits.memory_bytes;
  return result;
}

}  // namespace carledger
