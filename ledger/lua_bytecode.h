// Compiled contract chunks, cached process-wide. Every block runs its contracts in a fresh
// Lua state (a contract's upvalues must not carry state from one block to the next), so
// the compiled bytecode, and with it the package's source, is what is worth keeping.
#pragma once

#include <functional>
#include <string>

#include "common/crypto.h"
#include "common/status.h"

namespace carledger {

// The bytecode of contract `name` whose source has SHA-256 `source_sha256` (32 bytes).
// `source` is called only when this process has not compiled that source yet; its text
// must hash to `source_sha256`. INVALID_ARGUMENT when the source is precompiled bytecode
// (only text is accepted) or does not compile; FAILED_PRECONDITION when it does not match
// the hash; `source`'s own error as it is.
Result<std::string> CompiledContractChunk(const std::string& name, const Bytes& source_sha256,
                                          const std::function<Result<std::string>()>& source);

}  // namespace carledger
