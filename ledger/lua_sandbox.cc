// The standard libraries as contracts see them: deterministic on every node and bounded
// by the call's budgets (see lua_sandbox.h).
#include "ledger/lua_sandbox.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace carledger {
namespace {

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
  ChargeBudget(L, units);
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
  ChargeBudget(L, n);
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

}  // namespace

void OpenDeterministicLibraries(lua_State* L) {
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
}

}  // namespace carledger
