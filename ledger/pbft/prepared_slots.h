// Durable prepared proofs in reused slot files. A replica must have its prepared proof on
// disk before its commit leaves, once per block: creating a file per proof (write, fsync,
// rename, fsync the directory) made every block wait for several file-system journal
// commits, serialised across all the nodes sharing a disk. Here each proof overwrites a
// slot file in place, so the usual write costs one data flush and no journal commit.
//
// Slot (seq mod kSlots) has two files; a proof goes to the one holding the older record,
// so a write torn by a crash can only destroy a record that was already superseded (an
// earlier view of the same sequence number, or one below the stable checkpoint: a
// sequence number kSlots back is always below it, as kSlots exceeds twice the window).
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"

namespace carledger::pbft {

class PreparedSlots {
 public:
  static constexpr uint64_t kSlots = 256;

  // Scans `dir` (which must exist) for slot files written before.
  static Result<std::unique_ptr<PreparedSlots>> Open(const std::string& dir);
  // Waits for the write in flight, if any.
  ~PreparedSlots();
  PreparedSlots(const PreparedSlots&) = delete;
  PreparedSlots& operator=(const PreparedSlots&) = delete;

  // Writes `proof` (serialised) for (seq, view) and starts flushing it on another thread,
  // so the caller can work meanwhile; the proof is durable once Flush() returns OK. Waits
  // for the previous write's flush first (one write is in flight at most).
  Status Write(uint64_t seq, uint64_t view, const std::string& proof);
  // Waits until the last Write is on disk. OK at once when nothing is in flight.
  Status Flush();
  // Write, then Flush.
  Status Save(uint64_t seq, uint64_t view, const std::string& proof);
  // Every intact record on disk (torn or foreign ones are skipped): the newest per file,
  // possibly including proofs the replica has since trimmed (callers drop those below
  // their stable checkpoint).
  Result<std::vector<std::string>> LoadAll() const;

 private:
  struct FileState {
    bool exists = false;
    uint64_t seq = 0, view = 0;  // of the record it holds (0, 0: none or torn)
  };
  // The write whose flush is running: the file it becomes the record of once durable.
  struct InFlight {
    FileState* file = nullptr;
    uint64_t seq = 0, view = 0;
    bool new_file = false;
    std::future<Status> flushed;
  };
  // What the flusher thread does for one write: flush `fd` (then close it), and the
  // directory too when `dir` is set.
  struct FlushJob {
    int fd = -1;
    std::string path, dir;
    std::promise<Status> done;
  };
  explicit PreparedSlots(std::string dir);
  std::string PathOf(uint64_t slot, int which) const;
  // The flusher: one thread for the object's life (a thread per block cost a clone and an
  // exit on every node for every block).
  void RunFlusher();

  const std::string dir_;
  std::array<std::array<FileState, 2>, kSlots> files_;  // [slot][a or b]
  std::optional<InFlight> in_flight_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<FlushJob> job_;  // guarded by mu_
  bool stopping_ = false;        // guarded by mu_
  std::thread flusher_;
};

}  // namespace carledger::pbft
