// Conversion between Lua values and canonical JSON text, for contract arguments, return
// values and stored records. Integers only (a float is an error: money is whole won);
// a table is a JSON array when it is a sequence 1..n (or marked with json.array()),
// otherwise an object whose keys must be strings. Members are converted in key order (so an
// error names the same member on every node); a value larger than 16 MiB as JSON is refused.
#pragma once

#include <string>

#include "common/json.h"
#include "common/status.h"

struct lua_State;

namespace carledger {

// Pushes `value` onto the Lua stack. JSON null becomes json.null inside arrays, nil elsewhere.
void PushJson(lua_State* L, const Json& value);

// The canonical JSON text (as Json::Dump prints it) of the Lua value at `index`;
// INVALID_ARGUMENT says what could not be converted.
Result<std::string> LuaToJsonText(lua_State* L, int index);

// Registers the global `json` table: encode, decode, array, null.
void OpenLuaJson(lua_State* L);

}  // namespace carledger
