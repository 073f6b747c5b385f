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

// Charges `units` of work done inside a C library loop to the instruction budget: the
// count hook only sees VM instructions, so a C loop (table.move over 2^60 indices, say)
// would otherwise run unbounded.
void Charge(lua_State* L, lua_Integer units) {
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

// ---- deterministic replacements for base functions ----

// A number key kept exactly: integers stay integers (a double holds only 53 bits).
struct NumKey {
  bool is_int;
  lua_Integer i;
  lua_Number f;
  long double value() const {
    return is_int ? static_cast<long double>(i) : static_cast<long double>(f);
  }
  bool operator<(const NumKey& o) const {
    if (is_int && o.is_int) return i < o.i;
    return value() < o.value();
  }
};
static_assert(std::numeric_limits<long double>::digits >= 64,
              "long double must hold every int64 exactly");
// A key of the table being iterated: a number, or a string viewed in place (the table
// holds its keys, and no Lua code runs while they are sorted and copied out).
struct SortKey {
  bool is_num;
  NumKey num;
  std::string_view str;
  bool operator<(const SortKey& o) const {  // numbers before strings, then by value
    if (is_num != o.is_num) return is_num;
    return is_num ? num < o.num : str < o.str;
  }
};

// pairs(t): iterates keys in sorted order (numbers first, then strings).
int SortedNext(lua_State* L) {
  // upvalue 1: table of keys, upvalue 2: the table, upvalue 3: position
  lua_Integer pos = lua_tointeger(L, lua_upvalueindex(3)) + 1;
  lua_pushinteger(L, pos);
  lua_replace(L, lua_upvalueindex(3));
  if (lua_rawgeti(L, lua_upvalueindex(1), pos) == LUA_TNIL) return 1;
  lua_pushvalue(L, -1);
  lua_rawget(L, lua_upvalueindex(2));
  return 2;
}

int SortedPairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_newtable(L);  // keys table at index 2 (made first, grown as before: the Lua heap's
                    // growth, which the memory limit counts, stays what it was)
  std::vector<SortKey> collected;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    int t = lua_type(L, -1);
    if (t == LUA_TNUMBER) {
      NumKey k{lua_isinteger(L, -1) != 0, lua_tointeger(L, -1), lua_tonumber(L, -1)};
      collected.push_back(SortKey{true, k, {}});
    } else if (t == LUA_TSTRING) {
      size_t len;
      const char* s = lua_tolstring(L, -1, &len);
      collected.push_back(SortKey{false, {}, std::string_view(s, len)});
    } else {
      return luaL_error(L, "pairs: table keys must be numbers or strings, found a %s",
                        luaL_typename(L, -1));
    }
  }
  std::sort(collected.begin(), collected.end());
  lua_Integer i = 0;
  for (const auto& k : collected) {
    if (k.is_num) {
      if (k.num.is_int) {
        lua_pushinteger(L, k.num.i);
      } else {
        lua_pushnumber(L, k.num.f);
      }
    } else {
      lua_pushlstring(L, k.str.data(), k.str.size());
    }
    lua_rawseti(L, 2, ++i);
  }
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, SortedNext, 3);
  lua_pushnil(L);
  lua_pushnil(L);
  return 3;
}

// Pushes the value at `idx` as tostring shows it: no addresses, no floats.
void PushSafeString(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  int t = lua_type(L, idx);
  if (t == LUA_TNUMBER && !lua_isinteger(L, idx)) {
    luaL_error(L, "tostring: floating-point numbers are not allowed");
  }
  if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
    lua_pushvalue(L, idx);
    lua_call(L, 1, 1);
    if (lua_type(L, -1) != LUA_TSTRING && !lua_isinteger(L, -1)) {
      luaL_error(L, "'__tostring' must return a string");
    }
    return;
  }
  if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
      t == LUA_TLIGHTUSERDATA) {
    lua_pushstring(L, luaL_typename(L, idx));  // no address: it would differ between nodes
    return;
  }
  luaL_tolstring(L, idx, nullptr);
}

int SafeToString(lua_State* L) {
  luaL_checkany(L, 1);
  PushSafeString(L, 1);
  return 1;
}

int SafeFormat(lua_State* L) {
  size_t len;
  const char* fmt = luaL_checklstring(L, 1, &len);
  int arg = 1;
  for (size_t i = 0; i < len; ++i) {
    if (fmt[i] != '%') continue;
    ++i;
    if (i < len && fmt[i] == '%') continue;  // a literal '%'
    while (i < len && std::strchr("-+ #0123456789.", fmt[i]) != nullptr) ++i;
    if (i < len && std::strchr("aAeEfFgGp", fmt[i]) != nullptr) {
      return luaL_error(L, "string.format: '%%%c' is not allowed (no floats or pointers)", fmt[i]);
    }
    ++arg;
    // '%s' would print a table's address or a float through luaL_tolstring: give it
    // tostring's deterministic form instead.
    if (i < len && fmt[i] == 's' && arg <= lua_gettop(L)) {
      PushSafeString(L, arg);
      lua_replace(L, arg);
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

int SafeSetMetatable(lua_State* L) {
  if (lua_type(L, 2) == LUA_TTABLE) {
    if (lua_getfield(L, 2, "__gc") != LUA_TNIL) {
      return luaL_error(L, "setmetatable: __gc finalizers are not allowed");
    }
    lua_pop(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// string.rep: stock Lua loops n times even when every copy is empty, a C loop no budget
// sees ("" :rep(2^62)); the result is "" anyway. Otherwise memory bounds the loop.
int SafeRep(lua_State* L) {
  size_t l = 0, lsep = 0;
  luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  luaL_optlstring(L, 3, "", &lsep);
  if (n > 0 && l == 0 && lsep == 0) {
    lua_pushliteral(L, "");
    return 1;
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

lua_Integer Span(lua_Integer first, lua_Integer last) {
  if (last < first) return 0;
  lua_Unsigned span = static_cast<lua_Unsigned>(last) - static_cast<lua_Unsigned>(first);
  return span >= static_cast<lua_Unsigned>(LUA_MAXINTEGER) ? LUA_MAXINTEGER
                                                           : static_cast<lua_Integer>(span) + 1;
}

// table.move/insert/remove/concat loop in C over index ranges the contract chooses (or a
// __len metamethod reports); charge each index to the budget before the real function runs.
int ChargedTableFn(lua_State* L) {
  int which = static_cast<int>(lua_tointeger(L, lua_upvalueindex(2)));
  int top = lua_gettop(L);
  lua_Integer units = 0;
  if (which == 0) {  // move(a1, f, e, t [,a2])
    units = Span(luaL_checkinteger(L, 2), luaL_checkinteger(L, 3));
  } else if (which == 1 && top == 3) {  // insert(t, pos, v)
    units = Span(luaL_checkinteger(L, 2), luaL_len(L, 1));
  } else if (which == 2 && top >= 2 && !lua_isnil(L, 2)) {  // remove(t, pos)
    units = Span(luaL_checkinteger(L, 2), luaL_len(L, 1));
  } else if (which == 3) {  // concat(t [,sep [,i [,j]]])
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer j = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
    units = Span(i, j);
  }
  Charge(L, units);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, top, LUA_MULTRET);
  return lua_gettop(L);
}

// a < b for table.sort: the comparator (stack index 2) or the < operator.
bool SortLess(lua_State* L, int a, int b) {
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (lua_isnil(L, 2)) return lua_compare(L, a, b, LUA_OPLT) != 0;
  lua_pushvalue(L, 2);
  lua_pushvalue(L, a);
  lua_pushvalue(L, b);
  lua_call(L, 2, 1);
  bool less = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return less;
}

// table.sort as a stable bottom-up merge sort. Stock Lua's quicksort re-randomises its
// pivot from clock() and time() when a partition is unbalanced, so elements that compare
// equal came out in an order (and after a number of comparator calls) that differed
// between nodes.
int StableSort(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_settop(L, 2);
  lua_Integer n = luaL_len(L, 1);
  if (n < 2) return 0;
  luaL_argcheck(L, n < INT_MAX, 1, "array too big");
  Charge(L, n);
  luaL_checkstack(L, 8, "table.sort");
  lua_createtable(L, static_cast<int>(n), 0);  // 3: source run
  lua_createtable(L, static_cast<int>(n), 0);  // 4: destination run
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_geti(L, 1, i);
    lua_rawseti(L, 3, i);
  }
  int src = 3, dst = 4;
  for (lua_Integer width = 1; width < n; width *= 2) {
    for (lua_Integer lo = 1; lo <= n; lo += 2 * width) {
      lua_Integer mid = std::min(lo + width, n + 1), hi = std::min(lo + 2 * width, n + 1);
      lua_Integer i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        lua_rawgeti(L, src, i);
        lua_rawgeti(L, src, j);
        // Take the right element only if strictly smaller: equal elements keep their order.
        if (SortLess(L, -1, -2)) {
          lua_rawseti(L, dst, k++);
          lua_pop(L, 1);
          ++j;
        } else {
          lua_pop(L, 1);
          lua_rawseti(L, dst, k++);
          ++i;
        }
      }
      for (; i < mid; ++i) {
        lua_rawgeti(L, src, i);
        lua_rawseti(L, dst, k++);
      }
      for (; j < hi; ++j) {
        lua_rawgeti(L, src, j);
        lua_rawseti(L, dst, k++);
      }
    }
    std::swap(src, dst);
  }
  for (lua_Integer i = 1; i <= n; ++i) {
    lua_rawgeti(L, src, i);
    lua_seti(L, 1, i);
  }
  return 0;
}

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

void RemoveField(lua_State* L, const char* table, const char* field) {
  if (lua_getglobal(L, table) == LUA_TTABLE) {
    lua_pushnil(L);
    lua_setfield(L, -2, field);
  }
  lua_pop(L, 1);
}

void WrapGlobal(lua_State* L, const char* table, const char* field, lua_CFunction wrapper) {
  if (table != nullptr) {
    lua_getglobal(L, table);
    lua_getfield(L, -1, field);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, field);
    lua_pop(L, 1);
  } else {
    lua_getglobal(L, field);
    lua_pushcclosure(L, wrapper, 1);
    lua_setglobal(L, field);
  }
}

int BuildSandbox(lua_State* L) {
  static const luaL_Reg kLibs[] = {{LUA_GNAME, luaopen_base},
                                   {LUA_TABLIBNAME, luaopen_table},
                                   {LUA_STRLIBNAME, luaopen_string},
                                   {LUA_MATHLIBNAME, luaopen_math},
                                   {LUA_UTF8LIBNAME, luaopen_utf8},
                                   {LUA_COLIBNAME, luaopen_coroutine},
                                   {nullptr, nullptr}};
  for (const luaL_Reg* lib = kLibs; lib->func != nullptr; ++lib) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  for (const char* name :
       {"dofile", "loadfile", "load", "collectgarbage", "next", "print", "require", "rawequal"}) {
    lua_pushnil(L);
    lua_setglobal(L, name);
  }
  RemoveField(L, "string", "dump");
  RemoveField(L, "math", "random");
  RemoveField(L, "math", "randomseed");
  lua_pushcfunction(L, SortedPairs);
  lua_setglobal(L, "pairs");
  lua_pushcfunction(L, SafeToString);
  lua_setglobal(L, "tostring");
  WrapGlobal(L, "string", "format", SafeFormat);
  WrapGlobal(L, "string", "rep", SafeRep);
  lua_getglobal(L, "table");
  int which = 0;
  for (const char* fn : {"move", "insert", "remove", "concat"}) {
    lua_getfield(L, -1, fn);
    lua_pushinteger(L, which++);
    lua_pushcclosure(L, ChargedTableFn, 2);
    lua_setfield(L, -2, fn);
  }
  lua_pushcfunction(L, StableSort);
  lua_setfield(L, -2, "sort");
  lua_pop(L, 1);
  WrapGlobal(L, nullptr, "setmetatable", SafeSetMetatable);
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
