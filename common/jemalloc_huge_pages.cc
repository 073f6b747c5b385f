// jemalloc's built-in settings for the single-ledger processes (carledger_allocator(...
// HUGE_PAGES) in the top CMakeLists.txt, which says why not for carledger-node). jemalloc
// reads this symbol when it starts; MALLOC_CONF in the environment still overrides it.
//
// Transparent huge pages for jemalloc's arenas and metadata: a block's RocksDB memtable
// inserts and protobuf messages touch tens of megabytes of fresh memory a second, and with
// 4 KB pages every first touch was a page fault (9% of the block loop's CPU in a profile).
// ledger_bench b1000, interleaved A/B, 4 pairs: process CPU -6%, 19.3k -> 20.4k tx/s.
// The kernel's default THP mode ("madvise") only gives huge pages to memory that asks.
extern "C" {
__attribute__((used, visibility("default"))) const char* malloc_conf =
    "thp:always,metadata_thp:always";
}
