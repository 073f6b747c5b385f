// The Lua standard libraries a contract may use, made deterministic (every node must
// compute the same result) and bounded (C loops are charged to the call's instruction
// budget). Internal to the ledger module: contract_runtime.cc builds each sandbox with it.
#pragma once

#include <lua.hpp>

namespace carledger {

// Opens base, table, string, math, utf8 and coroutine into L's globals, then removes
// what could differ between nodes or escape the sandbox (load, dofile, string.dump,
// math.random, collectgarbage, ...) and replaces pairs, tostring, string.format,
// string.rep, setmetatable and table.move/insert/remove/concat/sort with deterministic,
// budget-charged versions.
void OpenDeterministicLibraries(lua_State* L);

// Charges `units` of work done inside a C library loop to the running call's instruction
// budget (raising a Lua error once it is spent): the count hook only sees VM
// instructions, so a C loop (table.move over 2^60 indices, say) would otherwise run
// unbounded. Defined by the contract runtime, which owns the budget.
void ChargeBudget(lua_State* L, lua_Integer units);

}  // namespace carledger
