// ledger/contract_runtime: the deterministic Lua sandbox, driven through a fake host.
#include "ledger/contract_runtime.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/json.h"

namespace carledger {
namespace {

class FakeHost : public ContractHost {
 public:
  Result<std::optional<std::string>> Get(const std::string& key) override {
    auto it = kv.find(key);
    if (it == kv.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Status Put(const std::string& key, const std::string& value) override {
    kv[key] = value;
    return Status::Ok();
  }
  Status Delete(const std::string& key) override {
    kv.erase(key);
    return Status::Ok();
  }
  Result<std::vector<std::pair<std::string, std::string>>> Range(const std::string& start,
                                                                 const std::string& end,
                                                                 size_t limit) override {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = kv.lower_bound(start); it != kv.end() && out.size() < limit; ++it) {
      if (!end.empty() && it->first >= end) break;
      out.push_back(*it);
    }
    return out;
  }
  Result<std::vector<HistoryEntry>> History(const std::string&, size_t, size_t) override {
    return std::vector<HistoryEntry>{{7, 1, std::string("\xab\xcd", 2)}};
  }
  void Emit(const std::string& name, const std::string& payload) override {
    events.emplace_back(name, payload);
  }

  std::map<std::string, std::string> kv;
  std::vector<std::pair<std::string, std::string>> events;
};

// Small limits keep the runaway cases quick.
ContractLimits Limits() {
  ContractLimits l;
  l.instruction_budget = 2'000'000;
  l.memory_bytes = 4u << 20;
  return l;
}

// Every test contract gets these beside its own functions.
const char kPrelude[] = R"(
local M = {}
function M.ok(a) return { fine = true } end
)";

std::string Src(const std::string& body) {
  return std::string(kPrelude) + body + "\nreturn M\n";
}

std::unique_ptr<LuaContract> MustLoad(const std::string& source, ContractLimits limits = Limits()) {
  auto c = LuaContract::Load("test", source, limits);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? std::move(c).value() : nullptr;
}

CallContext Ctx() {
  CallContext c;
  c.tx_id_hex = "00ff";
  c.timestamp_ms = 1772323200000;
  c.height = 42;
  c.seed = 0xFFFFFFFFFFFFFFFFull;
  c.caller = {"fp", "agency", "Org", "Name"};
  return c;
}

CallResult Invoke(LuaContract* c, const std::string& fn, const std::string& args = "{}",
                  FakeHost* host = nullptr) {
  FakeHost local;
  return c->Call(fn, args, Ctx(), host ? host : &local);
}

const char* Name(CallOutcome o) {
  switch (o) {
    case CallOutcome::kOk:
      return "kOk";
    case CallOutcome::kRejected:
      return "kRejected";
    case CallOutcome::kBudgetExceeded:
      return "kBudgetExceeded";
    case CallOutcome::kMemoryExceeded:
      return "kMemoryExceeded";
    case CallOutcome::kError:
      return "kError";
  }
  return "?";
}

// Runs `fn` of a contract whose body defines it: expects `want`, checks that the same
// state still serves a normal call afterwards, and that a fresh state gives the very same
// outcome and message (what re-execution on another node needs). Returns the message.
std::string ExpectContained(const std::string& body, const std::string& fn, CallOutcome want) {
  auto c = MustLoad(Src(body));
  if (!c) return "";
  CallResult r = Invoke(c.get(), fn);
  EXPECT_EQ(r.outcome, want) << fn << ": got " << Name(r.outcome) << " '" << r.message << "'";
  EXPECT_FALSE(r.message.empty()) << fn;
  CallResult after = Invoke(c.get(), "ok");
  EXPECT_EQ(after.outcome, CallOutcome::kOk) << fn << " broke the runtime: " << after.message;
  EXPECT_EQ(after.output, R"({"fine":true})");
  auto fresh = MustLoad(Src(body));
  CallResult again = Invoke(fresh.get(), fn);
  EXPECT_EQ(again.outcome, r.outcome) << fn;
  EXPECT_EQ(again.message, r.message) << fn;
  return r.message;
}

TEST(ContractRuntimeTest, CallsWithArgsHostAndContext) {
  auto c = MustLoad(Src(R"(
function M.store(a)
  ledger.put(a.key, json.encode({ n = a.n + 1 }))
  ledger.emit("stored", { key = a.key })
  local c = ledger.caller()
  return { got = json.decode(ledger.get(a.key)).n, missing = ledger.get("nope") == nil, role = c.role,
           org = c.org, id = c.id, name = c.name, h = ledger.height(), ts = ledger.timestamp(),
           tx = ledger.tx_id(), seed = ledger.seed() }
end
function M.scan(a)
  local rows = ledger.range("k", "l", 10)
  local hist = ledger.history("k1")
  ledger.del("k1")
  return { n = #rows, first = rows[1].key, hist = hist[1].tx_id, hh = hist[1].height }
end
function M._hidden() return {} end
)"));
  FakeHost host;
  CallResult r = c->Call("store", R"({"key":"k1","n":41})", Ctx(), &host);
  ASSERT_EQ(r.outcome, CallOutcome::kOk) << r.message;
  EXPECT_EQ(
      r.output,
      R"({"got":42,"h":42,"id":"fp","missing":true,"name":"Name","org":"Org","role":"agency",)"
      R"("seed":9223372036854775807,"ts":1772323200000,"tx":"00ff"})");
  EXPECT_EQ(host.kv["k1"], R"({"n":42})");
  ASSERT_EQ(host.events.size(), 1u);
  EXPECT_EQ(host.events[0], std::make_pair(std::string("stored"), std::string(R"({"key":"k1"})")));
  host.kv["k2"] = "x";
  CallResult scan = c->Call("scan", "{}", Ctx(), &host);
  ASSERT_EQ(scan.outcome, CallOutcome::kOk) << scan.message;
  EXPECT_EQ(scan.output, R"({"first":"k1","hh":7,"hist":"abcd","n":2})");
  EXPECT_EQ(host.kv.count("k1"), 0u);

  EXPECT_EQ(c->Functions(), (std::vector<std::string>{"_hidden", "ok", "scan", "store"}));
  CallResult missing = Invoke(c.get(), "nope");
  EXPECT_EQ(missing.outcome, CallOutcome::kRejected);
  EXPECT_NE(missing.message.find("no function 'nope'"), std::string::npos);
  EXPECT_EQ(Invoke(c.get(), "_hidden").outcome, CallOutcome::kRejected);
  EXPECT_EQ(Invoke(c.get(), "").outcome, CallOutcome::kRejected);
  EXPECT_EQ(Invoke(c.get(), "ok", "[1]").outcome, CallOutcome::kError);
  EXPECT_EQ(Invoke(c.get(), "ok", "{bad").outcome, CallOutcome::kError);
}

TEST(ContractRuntimeTest, LoadRefusesBytecodeAndBadPackages) {
  auto bytecode = LuaContract::Load("x", std::string("\x1bLua\x54\x00", 6) + "junk", Limits());
  EXPECT_EQ(bytecode.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bytecode.status().message().find("bytecode"), std::string::npos);
  EXPECT_NE(
      LuaContract::Load("x", "return {", Limits()).status().message().find("does not compile"),
      std::string::npos);
  EXPECT_NE(
      LuaContract::Load("x", "return 5", Limits()).status().message().find("must return a table"),
      std::string::npos);
  EXPECT_NE(LuaContract::Load("x", "error('boom')", Limits()).status().message().find("boom"),
            std::string::npos);
  auto spin = LuaContract::Load("x", "while true do end", Limits());
  EXPECT_FALSE(spin.ok());
  EXPECT_NE(spin.status().message().find("budget"), std::string::npos) << spin.status().message();
}

TEST(ContractRuntimeTest, AVersionReadsItsSourceOnlyUntilItIsCompiled) {
  const std::string source = "local M = {} function M.v() return {v = 7} end return M";
  int reads = 0;
  auto read = [&]() -> Result<std::string> {
    ++reads;
    return source;
  };
  // A name of its own: the compiled chunks are cached for the whole process.
  const std::string name = "version-cache-test";
  for (int i = 0; i < 3; ++i) {
    auto c = LuaContract::LoadVersion(name, Sha256(source), read, Limits());
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(Invoke(c->get(), "v").output, R"({"v":7})");
  }
  EXPECT_EQ(reads, 1);
  // A source that is not the one the hash names is refused, and not cached under it.
  auto wrong =
      LuaContract::LoadVersion("version-cache-other", Sha256("something else"), read, Limits());
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);
  // The reader's own error comes back as it is.
  auto unreadable = LuaContract::LoadVersion(
      "version-cache-missing", Sha256("x"),
      []() -> Result<std::string> { return Status::NotFound("package gone"); }, Limits());
  EXPECT_EQ(unreadable.status().code(), StatusCode::kNotFound);
}

TEST(ContractRuntimeTest, NoOsIoLoadOrDebug) {
  std::string body = R"(
function M.os() return os.execute("touch /tmp/carledger-pwned") end
function M.io() return io.open("/etc/passwd") end
function M.load() return load("return 1")() end
function M.loadstring() return loadstring("return 1")() end
function M.dofile() return dofile("/etc/passwd") end
function M.require() return require("os") end
function M.debug() return debug.getinfo(1) end
function M.package() return package.loaded end
function M.dump() return string.dump(M.ok) end
function M.method_dump() return ("x").dump(M.ok) end
function M.gc() return collectgarbage("count") end
function M.random() return math.random(10) end
function M.randomseed() return math.randomseed(1) end
function M.next() return next({}) end
function M.print() print("x") end
)";
  for (const char* fn : {"os", "io", "load", "loadstring", "dofile", "require", "debug", "package",
                         "dump", "method_dump", "gc", "random", "randomseed", "next", "print"}) {
    std::string msg = ExpectContained(body, fn, CallOutcome::kError);
    EXPECT_NE(msg.find("nil value"), std::string::npos) << fn << ": " << msg;
  }
}

TEST(ContractRuntimeTest, MemoryBombsAreContained) {
  std::string body = R"(
function M.rep() return #string.rep("x", 1 << 30) end
function M.rep_pcall()
  local ok = pcall(string.rep, "x", 1 << 30)
  return { caught = not ok }
end
function M.grow()
  local t = {}
  for i = 1, 100000000 do t[i] = "entry number " .. i end
  return #t
end
function M.grow_pcall()
  local ok = pcall(function() local t = {} for i = 1, 100000000 do t[i] = {} end end)
  return { caught = not ok }
end
function M.concat()
  local s = "x"
  while true do s = s .. s end
end
)";
  for (const char* fn : {"rep", "rep_pcall", "grow", "grow_pcall", "concat"}) {
    std::string msg = ExpectContained(body, fn, CallOutcome::kMemoryExceeded);
    EXPECT_NE(msg.find("memory limit"), std::string::npos) << fn << ": " << msg;
  }
}

TEST(ContractRuntimeTest, RunawayLoopsExhaustTheBudget) {
  std::string body = R"(
function M.spin() while true do end end
function M.pcall_spin()
  while true do pcall(function() while true do end end) end
end
function M.pcall_error_spin()
  while true do pcall(error, "x") end
end
function M.coroutine_spin()
  while true do pcall(coroutine.wrap(function() while true do end end)) end
end
function M.empty_rep() return #string.rep("", 1 << 62) + #(""):rep(1 << 62, "") end
function M.move() local t = {} table.move(t, 1, 1 << 60, 2) end
function M.move_pcall()
  while true do pcall(table.move, {}, 1, 1 << 60, 2) end
end
function M.insert()
  local t = setmetatable({}, { __len = function() return 1 << 60 end })
  table.insert(t, 1, "x")
end
function M.remove()
  local t = setmetatable({}, { __len = function() return 1 << 60 end })
  table.remove(t, 1)
end
function M.concat_meta()
  local t = setmetatable({}, { __index = table.concat })
  return #table.concat(t, "", 1, 1 << 60)
end
)";
  for (const char* fn : {"spin", "pcall_spin", "pcall_error_spin", "coroutine_spin", "move",
                         "move_pcall", "insert", "remove", "concat_meta"}) {
    std::string msg = ExpectContained(body, fn, CallOutcome::kBudgetExceeded);
    EXPECT_NE(msg.find("instruction budget"), std::string::npos) << fn << ": " << msg;
  }
  // string.rep of nothing is nothing, at once.
  auto c = MustLoad(Src(body));
  CallResult rep = Invoke(c.get(), "empty_rep");
  EXPECT_EQ(rep.outcome, CallOutcome::kOk) << rep.message;
  EXPECT_EQ(rep.output, "0");
}

TEST(ContractRuntimeTest, DeepRecursionIsAnErrorNotACrash) {
  std::string body = R"(
local function down(n) return down(n + 1) + 1 end
function M.lua_recursion() return down(1) end
function M.meta_recursion()
  local t = setmetatable({}, {})
  getmetatable(t).__index = function(tt, k) return tt[k] end
  return t.x
end
function M.tostring_recursion()
  local t = setmetatable({}, {})
  getmetatable(t).__tostring = function(v) return tostring(v) end
  return tostring(t)
end
function M.pcall_nesting()
  local f
  f = function() return pcall(f) end
  return f()
end
)";
  for (const char* fn : {"lua_recursion", "meta_recursion", "tostring_recursion"}) {
    auto c = MustLoad(Src(body));
    CallResult r = Invoke(c.get(), fn);
    EXPECT_NE(r.outcome, CallOutcome::kOk) << fn;
    EXPECT_EQ(Invoke(c.get(), "ok").outcome, CallOutcome::kOk) << fn;
    auto fresh = MustLoad(Src(body));
    CallResult again = Invoke(fresh.get(), fn);
    EXPECT_EQ(again.outcome, r.outcome) << fn;
    EXPECT_EQ(again.message, r.message) << fn;
  }
  auto c = MustLoad(Src(body));
  Invoke(c.get(), "pcall_nesting");  // whatever it returns, the host survives
  EXPECT_EQ(Invoke(c.get(), "ok").outcome, CallOutcome::kOk);
}

TEST(ContractRuntimeTest, NoAddressesOrFloatFormatting) {
  auto c = MustLoad(Src(R"(
function M.names()
  return { t = tostring({}), f = tostring(print or M.ok), co = tostring(coroutine.create(M.ok)),
           i = tostring(42), s = tostring("s"), b = tostring(true), n = tostring(nil),
           fmt_t = string.format("%s|%s|%5s", {}, M.ok, "ab"), fmt_d = string.format("%d%%%x", 7, 255),
           meta = tostring(setmetatable({}, { __tostring = function() return "car" end })),
           null = tostring(json.null) }
end
function M.float_tostring() return tostring(1.5) end
function M.format_f() return string.format("%f", 1) end
function M.format_g() return string.format("%.3g", 2) end
function M.format_a() return string.format("%a", 1) end
function M.format_p() return string.format("%p", {}) end
function M.format_s_float() return string.format("%s", 0.5) end
)"));
  CallResult names = Invoke(c.get(), "names");
  ASSERT_EQ(names.outcome, CallOutcome::kOk) << names.message;
  EXPECT_EQ(
      names.output,
      R"({"b":"true","co":"thread","f":"function","fmt_d":"7%ff","fmt_t":"table|function|   ab",)"
      R"("i":"42","meta":"car","n":"nil","null":"userdata","s":"s","t":"table"})");
  for (const char* fn :
       {"float_tostring", "format_f", "format_g", "format_a", "format_p", "format_s_float"}) {
    CallResult r = Invoke(c.get(), fn);
    EXPECT_EQ(r.outcome, CallOutcome::kError) << fn << ": " << r.output;
    EXPECT_TRUE(r.message.find("not allowed") != std::string::npos) << fn << ": " << r.message;
  }
}

TEST(ContractRuntimeTest, PairsIteratesInSortedOrder) {
  auto c = MustLoad(Src(R"(
function M.order()
  local t = {}
  for _, k in ipairs({ "zeta", "alpha", "mid", "Beta", "alphabet", "" }) do t[k] = true end
  for _, k in ipairs({ 30, -5, 2, 1000000 }) do t[k] = true end
  t[2.5] = true
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = type(k) == "number" and (math.type(k) == "integer" and k or "2.5") or k end
  return keys
end
function M.big_integer_keys()
  local a, b = (1 << 53) + 1, (1 << 62) + 3
  local t = { [b] = "b", [a] = "a", [-b] = "neg" }
  local out = {}
  for k, v in pairs(t) do out[#out + 1] = { k = k, v = v, exact = (t[k] == v) } end
  return out
end
function M.bad_keys() for k in pairs({ [true] = 1 }) do end end
)"));
  CallResult r = Invoke(c.get(), "order");
  ASSERT_EQ(r.outcome, CallOutcome::kOk) << r.message;
  EXPECT_EQ(r.output, R"([-5,2,"2.5",30,1000000,"","Beta","alpha","alphabet","mid","zeta"])");
  CallResult big = Invoke(c.get(), "big_integer_keys");
  ASSERT_EQ(big.outcome, CallOutcome::kOk) << big.message;
  EXPECT_EQ(
      big.output,
      R"([{"exact":true,"k":-4611686018427387907,"v":"neg"},{"exact":true,"k":9007199254740993,"v":"a"},)"
      R"({"exact":true,"k":4611686018427387907,"v":"b"}])");
  EXPECT_EQ(Invoke(c.get(), "bad_keys").outcome, CallOutcome::kError);
}

TEST(ContractRuntimeTest, TableSortIsStableAndDeterministic) {
  std::string src = Src(R"(
function M.sort()
  local items = {}
  for i = 1, 600 do items[i] = { k = (i * 7919) % 3, id = i } end
  local calls = 0
  table.sort(items, function(a, b) calls = calls + 1 return a.k < b.k end)
  local ids = {}
  for i, it in ipairs(items) do ids[i] = it.id end
  local plain = { 5, 3, 9, 1, 3 }
  table.sort(plain)
  local desc = { "b", "c", "a" }
  table.sort(desc, function(x, y) return x > y end)
  return { ids = ids, calls = calls, plain = plain, desc = desc }
end
)");
  auto c = MustLoad(src);
  CallResult r = Invoke(c.get(), "sort");
  ASSERT_EQ(r.outcome, CallOutcome::kOk) << r.message;
  auto out = Json::Parse(r.output);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->get("plain").Dump(), "[1,3,3,5,9]");
  EXPECT_EQ(out->get("desc").Dump(), R"(["c","b","a"])");
  // Stable: within each key class, ids keep ascending order.
  const auto& ids = out->get("ids").as_array();
  ASSERT_EQ(ids.size(), 600u);
  for (size_t i = 1; i < ids.size(); ++i) {
    int64_t a = ids[i - 1].as_int(), b = ids[i].as_int();
    if ((a * 7919) % 3 == (b * 7919) % 3) {
      EXPECT_LT(a, b) << i;
    }
    EXPECT_LE((a * 7919) % 3, (b * 7919) % 3) << i;
  }
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Invoke(MustLoad(src).get(), "sort").output, r.output);
}

TEST(ContractRuntimeTest, GlobalsAreReadOnlyAfterLoad) {
  auto c = MustLoad(R"(
helper_set_at_load = 5
local M = {}
function M.set() newglobal = 1 return {} end
function M.read() return { v = helper_set_at_load } end
return M
)");
  CallResult set = Invoke(c.get(), "set");
  EXPECT_EQ(set.outcome, CallOutcome::kError);
  EXPECT_NE(set.message.find("cannot set global 'newglobal'"), std::string::npos) << set.message;
  CallResult read = Invoke(c.get(), "read");
  EXPECT_EQ(read.output, R"({"v":5})");
}

TEST(ContractRuntimeTest, RejectInsidePcallStillRejects) {
  std::string msg = ExpectContained(R"(
function M.sneaky()
  local ok = pcall(ledger.reject, "car is already in escrow")
  ledger.put("k", "written after the reject")
  return { swallowed = not ok }
end
)",
                                    "sneaky", CallOutcome::kRejected);
  EXPECT_EQ(msg, "car is already in escrow");
  auto c = MustLoad(Src("function M.plain() ledger.reject() end"));
  CallResult r = Invoke(c.get(), "plain");
  EXPECT_EQ(r.outcome, CallOutcome::kRejected);
  EXPECT_EQ(r.message, "rejected by the contract");
}

TEST(ContractRuntimeTest, SetmetatableRefusesFinalizers) {
  std::string msg = ExpectContained(
      "function M.gc() setmetatable({}, { __gc = function() end }) end", "gc", CallOutcome::kError);
  EXPECT_NE(msg.find("__gc"), std::string::npos);
}

TEST(ContractRuntimeTest, FloatsInResultsAreErrors) {
  std::string body = R"(
function M.float() return { price = 1.5 } end
function M.nested() return { a = { b = { 1, 2, 0.1 } } } end
function M.emit() ledger.emit("e", { x = 0.5 }) end
function M.encode() return json.encode({ 1 / 3 }) end
function M.whole_float() return { n = 3.0 } end
)";
  for (const char* fn : {"float", "nested", "emit", "encode", "whole_float"}) {
    std::string msg = ExpectContained(body, fn, CallOutcome::kError);
    EXPECT_NE(msg.find("floating-point"), std::string::npos) << fn << ": " << msg;
  }
}

TEST(ContractRuntimeTest, ConversionErrorsDoNotDependOnHashOrder) {
  // Many float members: the one named in the error must not depend on the state's
  // (randomly seeded) string hash order.
  std::string src = Src(R"(
function M.many()
  local t = {}
  for i = 1, 64 do t["member" .. i] = i / 2 end
  return t
end
function M.keys()
  local t = {}
  for i = 1, 64 do t["k" .. i] = { [true] = 1 } end
  return t
end
)");
  std::string first_many, first_keys;
  for (int i = 0; i < 12; ++i) {
    auto c = MustLoad(src);
    CallResult many = Invoke(c.get(), "many");
    CallResult keys = Invoke(c.get(), "keys");
    EXPECT_EQ(many.outcome, CallOutcome::kError);
    if (i == 0) {
      first_many = many.message;
      first_keys = keys.message;
      EXPECT_NE(many.message.find("member1:"), std::string::npos)
          << many.message;  // sorted: "member1" first
    }
    EXPECT_EQ(many.message, first_many);
    EXPECT_EQ(keys.message, first_keys);
  }
}

TEST(ContractRuntimeTest, HugeSharedStructuresAreRefusedNotBuilt) {
  std::string msg = ExpectContained(R"(
function M.dag()
  local t = { "leaf" }
  for i = 1, 60 do t = { t, t } end
  return t
end
)",
                                    "dag", CallOutcome::kError);
  EXPECT_NE(msg.find("larger than"), std::string::npos) << msg;
}

TEST(ContractRuntimeTest, JsonRoundTripInsideLua) {
  auto c = MustLoad(Src(R"(
function M.roundtrip(a)
  local text = json.encode(a)
  local back = json.decode(text)
  local again = json.encode(back)
  return { same = (text == again), text = text, empty_array = json.encode(json.array()),
           empty_object = json.encode({}), with_null = json.encode({ 1, json.null, 3 }),
           null_member_dropped = json.encode(json.decode('{"a":null,"b":1}')),
           big = json.decode("9223372036854775807") }
end
function M.bad_decode() return json.decode("{\"a\":1.5}") end
function M.bad_keys() return json.encode({ [1] = "a", [3] = "c" }) end
)"));
  CallResult r = Invoke(c.get(), "roundtrip",
                        R"({"z":[1,{"b":"\u00e9"},[]],"a":"x","n":-9223372036854775808})");
  ASSERT_EQ(r.outcome, CallOutcome::kOk) << r.message;
  auto out = Json::Parse(r.output);
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->get_bool("same"));
  EXPECT_EQ(out->get_string("text"),
            "{\"a\":\"x\",\"n\":-9223372036854775808,\"z\":[1,{\"b\":\"\xc3\xa9\"},[]]}");
  EXPECT_EQ(out->get_string("empty_array"), "[]");
  EXPECT_EQ(out->get_string("empty_object"), "{}");
  EXPECT_EQ(out->get_string("with_null"), "[1,null,3]");
  EXPECT_EQ(out->get_string("null_member_dropped"), R"({"b":1})");
  EXPECT_EQ(out->get_int("big"), INT64_MAX);
  CallResult bad = Invoke(c.get(), "bad_decode");
  EXPECT_EQ(bad.outcome, CallOutcome::kError);
  EXPECT_NE(bad.message.find("only integers"), std::string::npos) << bad.message;
  EXPECT_EQ(Invoke(c.get(), "bad_keys").outcome, CallOutcome::kError);
}

// Wide objects: the first members' values are encoded from the stack, the rest looked up
// by key; both give the canonical text, and an error names its member either way.
TEST(ContractRuntimeTest, WideObjectsEncodeCanonically) {
  auto c = MustLoad(Src(R"(
function M.encode(a) return { text = json.encode(a) } end
function M.bad(a)
  local t = {}
  for i = 1, 60 do t[string.format("k%02d", i)] = i end
  t[a.key] = 1 / 3
  return { text = json.encode(t) }
end
)"));
  Json wide = Json::MakeObject();
  for (int i = 0; i < 70; ++i) {
    Json inner = Json::MakeObject();
    for (int j = 0; j < 40; ++j) inner["f" + std::to_string(j)] = static_cast<int64_t>(i * j);
    inner["list"] = Json::Parse("[1,{\"z\":2,\"a\":[]},\"s\"]").value();
    wide["m" + std::to_string(1000 - i)] = inner;
  }
  CallResult r = Invoke(c.get(), "encode", wide.Dump());
  ASSERT_EQ(r.outcome, CallOutcome::kOk) << r.message;
  EXPECT_EQ(Json::Parse(r.output)->get_string("text"), wide.Dump());
  for (const char* key : {"k00", "k61", "zz"}) {
    CallResult bad = Invoke(c.get(), "bad", std::string("{\"key\":\"") + key + "\"}");
    EXPECT_EQ(bad.outcome, CallOutcome::kError) << key;
    EXPECT_NE(bad.message.find(key), std::string::npos) << bad.message;
    EXPECT_NE(bad.message.find("floating-point"), std::string::npos) << bad.message;
  }
}

TEST(ContractRuntimeTest, MemoryIsAccountedPerCall) {
  // Each call may use the full allowance again: memory kept from earlier calls is not charged
  // twice.
  auto c = MustLoad(Src(R"(
local keep = {}
function M.chunk()
  keep[#keep + 1] = string.rep("x", 1 << 20)  -- peaks at 2 MiB (buffer + string)
  return #keep
end
)"));
  // 6 MiB kept in total, more than one call's 4 MiB allowance.
  for (int i = 1; i <= 6; ++i) {
    CallResult r = Invoke(c.get(), "chunk");
    EXPECT_EQ(r.outcome, CallOutcome::kOk) << i << ": " << r.message;
  }
}

}  // namespace
}  // namespace carledger
