#include "ledger/state_db.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

namespace carledger {
namespace {

std::string EncodeU64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i) {
    s[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return s;
}
uint64_t DecodeU64(std::string_view s) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = v << 8 | static_cast<unsigned char>(s[i]);
  return v;
}
std::string EncodeU32(uint32_t v) {
  return EncodeU64(v).substr(4);
}
uint32_t DecodeU32(std::string_view s) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(s[i]);
  return v;
}

Status FromRocks(const rocksdb::Status& s, const std::string& what) {
  if (s.ok()) return Status::Ok();
  if (s.IsCorruption()) return Status::DataLoss(what + ": " + s.ToString());
  return Status::IOError(what + ": " + s.ToString());
}

const char kAppliedHeight[] = "mapplied_height";
const char kStateHash[] = "mstate_hash";

}  // namespace

StateDb::~StateDb() {
  delete db_;
}

Result<std::unique_ptr<StateDb>> StateDb::Open(const std::string& dir, bool read_only) {
  rocksdb::Options options;
  options.create_if_missing = !read_only;
  options.IncreaseParallelism(2);
  // Flushes and compactions run niced (the pools are the process's): a validator's consensus
  // thread should not wait for them. Replicas of one chain fill their memtables in step, so
  // four validators on one machine all flushed at once, 0.6 s each: at 2,500 tx/s the worst
  // 100 ms of latency went from ~85 ms to 260-410 ms (niced: 180-270 ms). They catch up in
  // idle time; should they fall behind, RocksDB's write stall slows the writer until they do.
  for (auto pool : {rocksdb::Env::Priority::HIGH, rocksdb::Env::Priority::LOW}) {
    options.env->LowerThreadPoolCPUPriority(pool, rocksdb::CpuPriority::kLow)
        .PermitUncheckedError();
  }
  options.compression = rocksdb::kNoCompression;
  // A memtable Bloom filter over whole keys: most point reads in a block miss (a new
  // transaction's id in the tx index, a new car's record) and would otherwise walk the
  // memtable's skip list.
  options.memtable_prefix_bloom_size_ratio = 0.05;
  options.memtable_whole_key_filtering = true;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::unique_ptr<StateDb> out(new StateDb());
  rocksdb::Status s = read_only ? rocksdb::DB::OpenForReadOnly(options, dir + "/state", &out->db_)
                                : rocksdb::DB::Open(options, dir + "/state", &out->db_);
  CL_RETURN_IF_ERROR(FromRocks(s, "open state database"));
  std::string v;
  s = out->db_->Get(rocksdb::ReadOptions(), kAppliedHeight, &v);
  if (s.ok()) {
    out->applied_height_ = DecodeU64(v);
    s = out->db_->Get(rocksdb::ReadOptions(), kStateHash, &out->state_hash_);
    CL_RETURN_IF_ERROR(FromRocks(s, "read state hash"));
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "read applied height");
  }
  return out;
}

Result<std::optional<std::string>> StateDb::Get(const std::string& key) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), "s" + key, &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  CL_RETURN_IF_ERROR(FromRocks(s, "read state"));
  return std::optional<std::string>(std::move(v));
}

Result<std::vector<std::pair<std::string, std::string>>> StateDb::Range(const std::string& start,
                                                                        const std::string& end,
                                                                        size_t limit) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  std::string upper = "s" + end;
  for (it->Seek("s" + start); it->Valid() && out.size() < limit; it->Next()) {
    rocksdb::Slice k = it->key();
    if (k.empty() || k[0] != 's') break;
    if (!end.empty() && k.compare(upper) >= 0) break;
    out.emplace_back(k.ToString().substr(1), it->value().ToString());
  }
  CL_RETURN_IF_ERROR(FromRocks(it->status(), "range scan"));
  return out;
}

Result<std::vector<HistoryEntry>> StateDb::History(const std::string& key, size_t after,
                                                   size_t limit) const {
  std::vector<HistoryEntry> out;
  std::string prefix = "h" + key + std::string(1, '\0');
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  size_t skipped = 0;
  for (it->Seek(prefix); it->Valid() && out.size() < limit; it->Next()) {
    rocksdb::Slice k = it->key();
    if (!k.starts_with(prefix) || k.size() != prefix.size() + 12) break;
    if (skipped++ < after) continue;
    std::string_view rest(k.data() + prefix.size(), 12);
    out.push_back(
        {DecodeU64(rest.substr(0, 8)), DecodeU32(rest.substr(8, 4)), it->value().ToString()});
  }
  CL_RETURN_IF_ERROR(FromRocks(it->status(), "history scan"));
  return out;
}

Result<std::optional<TxLocation>> StateDb::FindTx(const std::string& tx_id) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), "t" + tx_id, &v);
  if (s.IsNotFound()) return std::optional<TxLocation>();
  CL_RETURN_IF_ERROR(FromRocks(s, "read tx index"));
  if (v.size() != 12) return Status::DataLoss("tx index entry has the wrong size");
  return std::optional<TxLocation>(
      TxLocation{DecodeU64(v.substr(0, 8)), DecodeU32(v.substr(8, 4))});
}

Status StateDb::Apply(const BlockEffects& effects, bool sync) {
  uint64_t expected = applied_height_ ? *applied_height_ + 1 : 0;
  if (effects.height != expected) {
    return Status::FailedPrecondition(
        "state is at height " + (applied_height_ ? std::to_string(*applied_height_) : "none") +
        ", cannot apply block " + std::to_string(effects.height));
  }
  // Reserve the batch's bytes up front: a block's batch runs to megabytes, and growing it
  // by doubling copies it over and over.
  size_t bytes = 64;
  for (const auto& w : effects.writes) bytes += w.key.size() + w.value.size() + 16;
  for (const auto& h : effects.history) bytes += h.first.size() + 64 + 16;
  bytes += effects.indexed.size() * (32 + 12 + 16);
  // The batch goes in in key order ("h" < "m" < "s" < "t"): the memtable's skip list
  // starts each insert from where the last one went in, so sorted inserts are cheap and
  // random ones walk down from the top.
  rocksdb::WriteBatch batch(bytes);
  std::string height = EncodeU64(effects.height);
  std::vector<const std::pair<std::string, uint32_t>*> history;
  history.reserve(effects.history.size());
  for (const auto& h : effects.history) history.push_back(&h);
  std::sort(history.begin(), history.end(), [](const auto* a, const auto* b) { return *a < *b; });
  std::string hk;
  for (const auto* h : history) {
    hk.assign("h").append(h->first).push_back('\0');
    hk += height;
    hk += EncodeU32(h->second);
    batch.Put(hk, effects.tx_ids[h->second]);
  }
  batch.Put(kAppliedHeight, height);
  batch.Put(kStateHash, effects.state_hash);
  std::string sk;
  for (const auto& w : effects.writes) {  // sorted by key
    sk.assign("s").append(w.key);
    if (w.deleted)
      batch.Delete(sk);
    else
      batch.Put(sk, w.value);
  }
  std::vector<uint32_t> indexed = effects.indexed;
  std::sort(indexed.begin(), indexed.end(),
            [&](uint32_t a, uint32_t b) { return effects.tx_ids[a] < effects.tx_ids[b]; });
  std::string tk;
  for (uint32_t i : indexed) {
    tk.assign("t").append(effects.tx_ids[i]);
    batch.Put(tk, height + EncodeU32(i));
  }
  if (sync && unlogged_) {
    // A logged batch must not be recovered after earlier unlogged ones were lost: persist
    // those first.
    CL_RETURN_IF_ERROR(FromRocks(db_->Flush(rocksdb::FlushOptions()), "flush state"));
    unlogged_ = false;
  }
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  // Unsynced batches skip RocksDB's own log: they follow a block that is already durable
  // in the block files, and a crash that loses them is repaired by replaying those blocks
  // on open (the applied height travels in the same batch, so the state stays a
  // consistent prefix of the chain).
  wo.disableWAL = !sync;
  CL_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "apply block"));
  unlogged_ = unlogged_ || wo.disableWAL;
  applied_height_ = effects.height;
  state_hash_ = effects.state_hash;
  return Status::Ok();
}

}  // namespace carledger
