#include "ledger/lua_json.h"

#include <algorithm>
#include <charconv>
#include <lua.hpp>
#include <string>
#include <string_view>
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

const char kTooLarge[] = "value is larger than 16 MiB as JSON";

// Appends the canonical JSON text of the Lua value at `index` (what Json::Dump would print
// for the converted value) straight to `out`, without building a Json tree: contracts
// encode every record they store and every event they emit, so this is on the hot path.
Status Encode(lua_State* L, int index, int depth, size_t* budget, std::string* out) {
  if (depth > 64) return Status::InvalidArgument("value nested deeper than 64");
  auto spend = [budget](size_t n) {
    if (n > *budget) return false;
    *budget -= n;
    return true;
  };
  if (!spend(16)) return Status::InvalidArgument(kTooLarge);
  index = lua_absindex(L, index);
  switch (lua_type(L, index)) {
    case LUA_TNIL:
      out->append("null");
      return Status::Ok();
    case LUA_TBOOLEAN:
      out->append(lua_toboolean(L, index) != 0 ? "true" : "false");
      return Status::Ok();
    case LUA_TNUMBER: {
      if (!lua_isinteger(L, index)) {
        return Status::InvalidArgument("floating-point numbers are not allowed (use integers)");
      }
      char buf[24];
      auto res =
          std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(lua_tointeger(L, index)));
      out->append(buf, res.ptr);
      return Status::Ok();
    }
    case LUA_TSTRING: {
      size_t len;
      const char* s = lua_tolstring(L, index, &len);
      if (!spend(len)) return Status::InvalidArgument(kTooLarge);
      AppendJsonString(out, std::string_view(s, len));
      return Status::Ok();
    }
    case LUA_TLIGHTUSERDATA:
      if (IsNull(L, index)) {
        out->append("null");
        return Status::Ok();
      }
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
  // Count keys and see whether they form the sequence 1..n; collect the string keys on
  // the way, the first kValuesOnStack with their values left on the stack (so they are
  // not looked up again by key: that re-hashed every key of every record a contract
  // stores). Only a few: the stack is the contract's memory, and a table with more
  // members keeps using what the lookup path used. The views stay valid: the table (on
  // the stack) holds its keys and no Lua code runs while encoding.
  constexpr size_t kValuesOnStack = 32;
  struct Member {
    std::string_view key;
    int value;  // stack index; 0: look it up
  };
  const int base = lua_gettop(L);
  lua_Integer count = 0;
  bool all_int = true;
  bool all_string = true;
  std::vector<Member> members;
  lua_pushnil(L);
  while (lua_next(L, index) != 0) {
    ++count;
    if (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1) all_int = false;
    if (all_string && lua_type(L, -2) == LUA_TSTRING) {
      size_t klen;
      const char* k = lua_tolstring(L, -2, &klen);
      if (members.size() < kValuesOnStack) {
        members.push_back({std::string_view(k, klen), lua_gettop(L)});
        luaL_checkstack(L, 3, "json");
        lua_pushvalue(L, -2);  // the key again, for lua_next; the pair stays below it
      } else {
        members.push_back({std::string_view(k, klen), 0});
        lua_pop(L, 1);
      }
    } else {
      all_string = false;
      lua_pop(L, 1);
    }
  }
  lua_Integer len = static_cast<lua_Integer>(lua_rawlen(L, index));
  if ((count > 0 && all_int && len == count) || (count == 0 && marked_array)) {
    lua_settop(L, base);
    out->push_back('[');
    for (lua_Integer i = 1; i <= len; ++i) {
      if (i > 1) out->push_back(',');
      lua_rawgeti(L, index, i);
      Status st = Encode(L, -1, depth + 1, budget, out);
      lua_pop(L, 1);
      if (!st.ok()) return st;
    }
    out->push_back(']');
    return Status::Ok();
  }
  // The values sit on the stack above `base` until the object is written.
  Status st = [&]() -> Status {
    if (marked_array) return Status::InvalidArgument("a json.array has non-sequence keys");
    if (!all_string) {
      return Status::InvalidArgument("object keys must be strings (or use a sequence 1..n)");
    }
    // Members go in key order, not lua_next's: that order follows the state's randomly
    // seeded string hash, and the first bad member names itself in the error, which ends
    // up in the block's results. Sorted byte-wise, as Json::Object (a std::map) orders
    // them.
    std::sort(members.begin(), members.end(),
              [](const Member& a, const Member& b) { return a.key < b.key; });
    out->push_back('{');
    bool first = true;
    for (const Member& m : members) {
      if (!spend(m.key.size())) return Status::InvalidArgument(kTooLarge);
      if (!first) out->push_back(',');
      first = false;
      AppendJsonString(out, m.key);
      out->push_back(':');
      Status one;
      if (m.value != 0) {
        one = Encode(L, m.value, depth + 1, budget, out);
      } else {
        lua_pushlstring(L, m.key.data(), m.key.size());
        lua_rawget(L, index);
        one = Encode(L, -1, depth + 1, budget, out);
        lua_pop(L, 1);
      }
      if (!one.ok()) return one.WithContext(std::string(m.key));
    }
    out->push_back('}');
    return Status::Ok();
  }();
  lua_settop(L, base);
  return st;
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
  auto s = LuaToJsonText(L, 1);
  if (!s.ok()) return luaL_error(L, "json.encode: %s", s.status().message().c_str());
  lua_pushlstring(L, s->data(), s->size());
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

Result<std::string> LuaToJsonText(lua_State* L, int index) {
  size_t budget = kMaxConvertedBytes;
  std::string out;
  CL_RETURN_IF_ERROR(Encode(L, index, 0, &budget, &out));
  return out;
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
