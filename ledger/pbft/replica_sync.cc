// State transfer: a replica that is behind fetches certified blocks from a peer that
// claims to be ahead. Nothing a peer sends is taken on its word: the app checks each
// block's commit certificate against the validators and re-executes it; a peer that
// sends a bad block is skipped for the next fetches.
#include <algorithm>

#include "common/block_format.h"
#include "ledger/pbft/replica_internal.h"

namespace carledger::pbft {

namespace {
// The size on the wire a fetcher aims its ranges at. Smaller ranges pipeline better (two
// stay in flight while one executes): at 6 MB (about 8 blocks of 1,000 transactions) a
// restarted validator caught up at ~11k tx/s, at 16 MB ~9k.
constexpr size_t kRangeBytes = 6 << 20;
// What a server sends at most for one request, whatever was asked. Above kRangeBytes so
// that a range sized from the average block is not cut short by a few larger blocks (the
// ranges asked after it would then leave a gap, to be fetched again).
constexpr size_t kMaxServeBytes = 16 << 20;
// The first ranges a fetcher asks for, in blocks: one block arrives and executes while the
// larger ranges are still travelling (a first range of 8 blocks took 0.5-0.8 s to arrive
// at a restarted validator, which had nothing to do meanwhile).
constexpr uint64_t kRampRanges[] = {1, 2, 4};
}  // namespace

void Replica::MaybeFetch() {
  uint64_t h = app_->Height();
  int64_t now = host_->NowMs();
  if (fetch_sent_ms_ >= 0 && now - fetch_sent_ms_ < fetch_wait_ms_) return;
  if (prefetched_to_ > h && fetch_sent_ms_ >= 0 && now - fetch_sent_ms_ < 4 * opt_.retransmit_ms)
    return;
  std::vector<std::string> ahead;
  for (const auto& [id, p] : peers_) {
    if (p.height > h && p.bad_until_ms <= now) ahead.push_back(id);
  }
  if (ahead.empty()) return;
  // Only when we cannot go on by ourselves: the next batch is not committed here, or
  // nothing has moved for a while.
  bool can_progress = committed_.count(h) > 0;
  bool stalled = now - last_progress_ms_ >= 2 * opt_.retransmit_ms;
  if (!stuck_fetch_ && can_progress && !stalled) return;
  // A lone claim (at most f liars) is followed only once we have stalled.
  if (ahead.size() < f() + 1 && !stalled && !stuck_fetch_) return;
  const std::string& peer = ahead[fetch_rr_++ % ahead.size()];
  const uint64_t peer_height = peers_[peer].height;
  // Asking afresh (whatever was asked ahead before may be lost): small ranges first, each
  // answer then asks for ranges up to twice its size (OnBlockBatch).
  uint64_t from = h;
  for (uint64_t size : kRampRanges) {
    if (from >= peer_height) break;
    size = std::min<uint64_t>(size, opt_.fetch_max_blocks);
    consensus::Message body;
    body.mutable_fetch_blocks()->set_from_height(from);
    body.mutable_fetch_blocks()->set_max_blocks(static_cast<uint32_t>(size));
    SendTo(peer, body);
    from += size;
  }
  fetch_sent_ms_ = now;
  prefetched_to_ = from;
  // A long range is megabytes to send and thousands of transactions to execute before it
  // counts: asking again (another peer) every retransmit period only buried the first
  // answer under copies of itself (a restarted node took 16 s to apply its first range).
  // So wait twice as long as the last answer took.
  fetch_wait_ms_ = peer_height > h + 4
                       ? std::clamp(2 * fetch_rtt_ms_, opt_.retransmit_ms, 50 * opt_.retransmit_ms)
                       : opt_.retransmit_ms;
}

void Replica::OnFetchBlocks(const std::string& sender, const consensus::FetchBlocks& req) {
  uint64_t h = app_->Height();
  if (req.from_height() >= h) return;
  uint64_t count =
      std::min<uint64_t>({req.max_blocks(), opt_.fetch_max_blocks, h - req.from_height()});
  consensus::Message body;
  size_t bytes = 0;
  for (uint64_t i = 0; i < count; ++i) {
    auto block = app_->GetBlock(req.from_height() + i);
    if (!block.ok()) break;  // e.g. a damaged block file: serve nothing we cannot vouch for
    bytes += block.value().ByteSizeLong();
    *body.mutable_block_batch()->add_blocks() = std::move(block).value();
    if (bytes >= kMaxServeBytes) break;
  }
  if (body.block_batch().blocks_size() > 0) SendTo(sender, body);
}

void Replica::OnBlockBatch(const std::string& sender, const consensus::BlockBatch& batch) {
  bool applied_any = false;
  // A batch from a peer that is further ahead: keep two more ranges on their way from it,
  // so the next one has travelled and been parsed (on the stream thread) by the time this
  // one has executed. (With one, the two alternated.) A range is up to twice this batch's
  // blocks, as many as make about kRangeBytes at this batch's average block size. One
  // peer's answers arrive in the order asked, so none comes before its predecessor.
  if (batch.blocks_size() > 0 && batch.blocks(0).header().height() == app_->Height()) {
    if (fetch_sent_ms_ >= 0) fetch_rtt_ms_ = host_->NowMs() - fetch_sent_ms_;
    uint64_t n = static_cast<uint64_t>(batch.blocks_size());
    uint64_t per_block = std::max<uint64_t>(1, batch.ByteSizeLong() / n);
    uint64_t range = std::clamp<uint64_t>(kRangeBytes / per_block, 1,
                                          std::min<uint64_t>(2 * n, opt_.fetch_max_blocks));
    uint64_t next = batch.blocks(batch.blocks_size() - 1).header().height() + 1;
    auto peer = peers_.find(sender);
    uint64_t from = std::max(next, prefetched_to_);
    while (peer != peers_.end() && peer->second.height > from && from < next + 2 * range) {
      consensus::Message body;
      body.mutable_fetch_blocks()->set_from_height(from);
      body.mutable_fetch_blocks()->set_max_blocks(static_cast<uint32_t>(range));
      SendTo(sender, body);
      from += range;
      prefetched_to_ = from;
    }
  }
  for (const auto& block : batch.blocks()) {
    uint64_t h = app_->Height();
    if (block.header().height() < h) continue;
    if (block.header().height() > h) break;
    Status st = app_->Apply(block);
    if (!st.ok()) {
      ++counters_.fetch_failures;
      peers_[sender].bad_until_ms = host_->NowMs() + 10 * opt_.retransmit_ms;
      break;
    }
    ++counters_.blocks_fetched;
    applied_any = true;
    holding_ = false;
    std::vector<Bytes> tx_ids;
    tx_ids.reserve(block.transactions_size());
    for (const auto& tx : block.transactions()) tx_ids.push_back(TxId(tx));
    AfterCommit(h, block.header(), block.certificate(), tx_ids);
  }
  if (applied_any) {
    fetch_sent_ms_ = prefetched_to_ > app_->Height() ? host_->NowMs() : -1;
    TryExecute();
    MaybeFetch();
  }
}

}  // namespace carledger::pbft
