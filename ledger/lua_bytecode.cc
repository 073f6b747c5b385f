#include "ledger/lua_bytecode.h"

#include <lua.hpp>
#include <map>
#include <mutex>

namespace carledger {
namespace {

int AppendToString(lua_State*, const void* p, size_t size, void* ud) {
  static_cast<std::string*>(ud)->append(static_cast<const char*>(p), size);
  return 0;
}

// Keyed by name and source hash.
class ChunkCache {
 public:
  std::string Find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = map_.find(key);
    return it == map_.end() ? std::string() : it->second;
  }
  void Insert(const std::string& key, std::string chunk) {
    std::lock_guard<std::mutex> lock(mu_);
    if (map_.size() >= 64) map_.clear();  // a handful of contracts: a crude bound is enough
    map_.emplace(key, std::move(chunk));
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::string> map_;
};

ChunkCache& CompiledChunks() {
  static ChunkCache cache;
  return cache;
}

}  // namespace

Result<std::string> CompiledContractChunk(const std::string& name, const Bytes& source_sha256,
                                          const std::function<Result<std::string>()>& source) {
  // Compiling a large contract costs ~0.7 ms, and reading its package back (the source is
  // one JSON string) a tenth of a one-transaction block. Only the host ever loads
  // bytecode; contracts cannot (no load, no string.dump).
  const std::string key = name + '\0' + source_sha256;
  std::string bytecode = CompiledChunks().Find(key);
  if (!bytecode.empty()) return bytecode;
  CL_ASSIGN_OR_RETURN(std::string text, source());
  if (!text.empty() && text[0] == LUA_SIGNATURE[0])
    return Status::InvalidArgument("contract " + name + ": precompiled bytecode is not accepted");
  if (Sha256(text) != source_sha256)
    return Status::FailedPrecondition("contract " + name +
                                      ": its source does not match the hash recorded for it");
  // Compiled in a scratch state, so the contract's state always loads the same bytecode
  // and starts from the same heap whether or not this node had it cached: compiling in
  // place left parser garbage that raised the per-call memory baseline on a cold node
  // only, so a call near the memory limit could pass there and fail elsewhere.
  lua_State* scratch = luaL_newstate();
  if (scratch == nullptr) return Status::ResourceExhausted("cannot create a Lua state");
  std::string chunk_name = "=" + name;
  if (luaL_loadbufferx(scratch, text.data(), text.size(), chunk_name.c_str(), "t") != LUA_OK) {
    std::string error = lua_tostring(scratch, -1);
    lua_close(scratch);
    return Status::InvalidArgument("contract " + name + " does not compile: " + error);
  }
  lua_dump(scratch, AppendToString, &bytecode, /*strip=*/0);
  lua_close(scratch);
  CompiledChunks().Insert(key, bytecode);
  return bytecode;
}

}  // namespace carledger
