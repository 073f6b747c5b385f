#include "ledger/lua_json.h"

#include <algorithm>
#include <lua.hpp>
#include <string>
#include <vector>

namespace carledger {
namespace {

// Registry keys (addresses of these statics are unique light userdata).
char kArrayMeta;
char kNullSentinel;

void PushArrayMeta(lua_State* L) {
  lua_rawgetp(L, LUA_REGISTRYINDEX, &kArrayMeta);
}

bool IsNull(lua_State* L, int index) {
  return lua_type(L, index) == LUA_TLIGHTUSERDATA && lua_touserdata(L, index) == &kNullSentinel;
}

// Bound on a converted value's size (string and key bytes plus 16 per value). Lua tables
// may share subtables, so a small Lua heap can stand for an exponentially large tree,
// which would be built in C++ memory that the contract's memory limit does not cover.
constexpr size_t kMaxConvertedBytes = 16u << 20;

Result<Json> Convert(lua_State* L, int index, int depth, size_t* budget) {
  if (depth > 64) return Status::InvalidArgument("value nested deeper than 64");
  auto spend = [budget](size_t n) {
    if (n > *budget) return false;
    *budget -= n;
    return true;
  };
  if (!spend(16)) return Status::InvalidArgument("value is larger than 16 MiB as JSON");
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      return Json(nullptr);
    case LUA_TBOOLEAN:
      return Json(lua_toboolean(L, index) != 0);
    case LUA_TNUMBER:
      if (!lua_isinteger(L, index)) {
        return Status::InvalidArgument("floating-point numbers are not allowed (use integers)");
      }
      return Json(static_cast<int64_t>(lua_tointeger(L, index)));
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, index, &len);
      if (!spend(len)) return Status::InvalidArgument("value is larger than 16 MiB as JSON");
      return Json(std::string(s, len));
    }
    case LUA_TLIGHTUSERDATA:
      if (IsNull(L, index)) return Json(nullptr);
      return Status::InvalidArgument("cannot encode a userdata value");
    case LUA_TTABLE:
      break;
    default:
      return Status::InvalidArgument(std::string("cannot encode a ") + luaL_typename(L, index));
  }
  luaL_checkstack(L, 4, "json");
  bool marked_array = false;
  if (lua_getmetatable(L, index)) {
    PushArrayMeta(L);
    marked_array = lua_rawequal(L, -1, -2) != 0;
    lua_pop(L, 2);
  }
  // Count keys and see whether they form the sequence 1..n.
  lua_Integer count = 0;
  bool all_int = true;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    ++count;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1) all_int = false;
    lua_pop(L, 1);
  }
  lua_Integer len = static_cast<lua_Integer>(lua_rawlen(L, index));
  if ((count > 0 && all_int && len == count) || (count == 0 && marked_array)) {
    Json::Array a;
    a.reserve(static_cast<size_t>(len));
    for (lua_Integer i = 1; i <= len; ++i) {
      lua_rawgeti(L, index, i);
      auto v = Convert(L, -1, depth + 1, budget);
      lua_pop(L, 1);
      if (!v.ok()) return v.status();
      a.push_back(std::move(v).value());
    }
    return Json(std::move(a));
  }
  if (marked_array) return Status::InvalidArgument("a json.array has non-sequence keys");
  std::vector<std::string> keys;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    if (lua_type(L, -2) != LUA_TSTRING) {
      lua_pop(L, 2);
      return Status::InvalidArgument("object keys must be strings (or use a sequence 1..n)");
    }
    size_t klen;
    const char* k = lua_tolstring(L, -2, &klen);
    keys.emplace_back(k, klen);
    lua_pop(L, 1);
  }
  // Members are converted in key order, not lua_next's: that order follows the state's
  // randomly seeded string hash, and the first bad member names itself in the error, which
  // ends up in the block's results.
  std::sort(keys.begin(), keys.end());
  Json::Object o;
  for (auto& key : keys) {
    if (!spend(key.size())) return Status::InvalidArgument("value is larger than 16 MiB as JSON");
    lua_pushlstring(L, key.data(), key.size());
    lua_rawget(L, index);
    auto v = Convert(L, -1, depth + 1, budget);
    lua_pop(L, 1);
    if (!v.ok()) return v.status().WithContext(key);
    o.emplace(std::move(key), std::move(v).value());
  }
  return Json(std::move(o));
}

void Push(lua_State* L, const Json& v, bool in_array) {
  luaL_checkstack(L, 4, "json");
  if (v.is_null()) {
    if (in_array)
      lua_pushlightuserdata(L, &kNullSentinel);
    else
      lua_pushnil(L);
  } else if (v.is_bool()) {
    lua_pushboolean(L, v.as_bool());
  } else if (v.is_int()) {
    lua_pushinteger(L, static_cast<lua_Integer>(v.as_int()));
  } else if (v.is_string()) {
    lua_pushlstring(L, v.as_string().data(), v.as_string().size());
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    lua_createtable(L, static_cast<int>(a.size()), 0);
    for (size_t i = 0; i < a.size(); ++i) {
      Push(L, a[i], true);
      lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
    }
    PushArrayMeta(L);
    lua_setmetatable(L, -2);
  } else {
    const auto& o = v.as_object();
    lua_createtable(L, 0, static_cast<int>(o.size()));
    for (const auto& [k, val] : o) {
      if (val.is_null()) continue;
      Push(L, val, false);
      lua_setfield(L, -2, k.c_str());
    }
  }
}

int LuaEncode(lua_State* L) {
  luaL_checkany(L, 1);
  size_t budget = kMaxConvertedBytes;
  auto j = Convert(L, 1, 0, &budget);
  if (!j.ok()) return luaL_error(L, "json.encode: %s", j.status().message().c_str());
  std::string s = j->Dump();
  lua_pushlstring(L, s.data(), s.size());
  return 1;
}

int LuaDecode(lua_State* L) {
  size_t len;
  const char* s = luaL_checklstring(L, 1, &len);
  auto j = Json::Parse(std::string_view(s, len));
  if (!j.ok()) return luaL_error(L, "json.decode: %s", j.status().message().c_str());
  Push(L, *j, false);
  return 1;
}

int LuaArray(lua_State* L) {
  if (lua_isnoneornil(L, 1)) lua_newtable(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  PushArrayMeta(L);
  lua_setmetatable(L, 1);
  return 1;
}

}  // namespace

void PushJson(lua_State* L, const Json& value) {
  Push(L, value, false);
}

Result<Json> LuaToJson(lua_State* L, int index) {
  size_t budget = kMaxConvertedBytes;
  return Convert(L, index, 0, &budget);
}

void OpenLuaJson(lua_State* L) {
  lua_newtable(L);  // the array marker metatable
  lua_pushliteral(L, "array");
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &kArrayMeta);

  lua_newtable(L);
  lua_pushcfunction(L, LuaEncode);
  lua_setfield(L, -2, "encode");
  lua_pushcfunction(L, LuaDecode);
  lua_setfield(L, -2, "decode");
  lua_pushcfunction(L, LuaArray);
  lua_setfield(L, -2, "array");
  lua_pushlightuserdata(L, &kNullSentinel);
  lua_setfield(L, -2, "null");
  lua_setglobal(L, "json");
}

}  // namespace carledger
