#include "ledger/pbft/prepared_slots.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>

#include "common/crc32c.h"

namespace carledger::pbft {

namespace fs = std::filesystem;

namespace {

// Record: magic, payload length, crc32c of everything after it (seq, view, payload), seq,
// view, payload; integers in this machine's byte order (the files never leave it).
constexpr uint32_t kMagic = 0x50504c43;  // "CLPP"
constexpr size_t kCovered = 12;          // the checksum covers the record from here on
constexpr size_t kHeader = kCovered + 8 + 8;

uint32_t Checksum(std::string_view record) {
  return Crc32c(record.substr(kCovered));
}

struct Record {
  uint64_t seq = 0, view = 0;
  std::string payload;
};

// The record in `path`, or nothing when the file is missing, torn or foreign.
std::optional<Record> ReadRecord(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data(kHeader, '\0');
  std::optional<Record> out;
  uint32_t magic = 0, len = 0, crc = 0;
  if (::pread(fd, data.data(), kHeader, 0) == static_cast<ssize_t>(kHeader)) {
    std::memcpy(&magic, data.data(), 4);
    std::memcpy(&len, data.data() + 4, 4);
    std::memcpy(&crc, data.data() + 8, 4);
  }
  if (magic == kMagic && len <= (1u << 30)) {
    data.resize(kHeader + len);
    if (::pread(fd, data.data() + kHeader, len, kHeader) == static_cast<ssize_t>(len) &&
        Checksum(data) == crc) {
      Record r;
      std::memcpy(&r.seq, data.data() + 12, 8);
      std::memcpy(&r.view, data.data() + 20, 8);
      r.payload = data.substr(kHeader);
      out = std::move(r);
    }
  }
  ::close(fd);
  return out;
}

}  // namespace

std::string PreparedSlots::PathOf(uint64_t slot, int which) const {
  char name[64];
  std::snprintf(name, sizeof(name), "prepared-slot-%03llu-%c.bin",
                static_cast<unsigned long long>(slot), which == 0 ? 'a' : 'b');
  return dir_ + "/" + name;
}

PreparedSlots::PreparedSlots(std::string dir)
    : dir_(std::move(dir)), flusher_([this] { RunFlusher(); }) {}

PreparedSlots::~PreparedSlots() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  flusher_.join();  // after the job in hand, if any
}

void PreparedSlots::RunFlusher() {
  for (;;) {
    FlushJob job;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return job_.has_value() || stopping_; });
      if (!job_) return;
      job = std::move(*job_);
      job_.reset();
    }
    bool ok = ::fdatasync(job.fd) == 0;
    ::close(job.fd);
    if (!ok) {
      job.done.set_value(Status::Internal("cannot flush " + job.path));
      continue;
    }
    if (job.dir.empty()) {
      job.done.set_value(Status::Ok());
      continue;
    }
    int dfd = ::open(job.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ok = dfd >= 0 && ::fsync(dfd) == 0;
    if (dfd >= 0) ::close(dfd);
    job.done.set_value(ok ? Status::Ok()
                          : Status::Internal("cannot flush the directory " + job.dir));
  }
}

Result<std::unique_ptr<PreparedSlots>> PreparedSlots::Open(const std::string& dir) {
  std::unique_ptr<PreparedSlots> slots(new PreparedSlots(dir));
  for (uint64_t slot = 0; slot < kSlots; ++slot) {
    for (int which = 0; which < 2; ++which) {
      FileState& f = slots->files_[slot][which];
      std::string path = slots->PathOf(slot, which);
      std::error_code ec;
      f.exists = fs::exists(path, ec);
      if (!f.exists) continue;
      if (auto r = ReadRecord(path)) {
        f.seq = r->seq;
        f.view = r->view;
      }
    }
  }
  return slots;
}

Status PreparedSlots::Write(uint64_t seq, uint64_t view, const std::string& proof) {
  CL_RETURN_IF_ERROR(Flush());
  const uint64_t slot = seq % kSlots;
  FileState& a = files_[slot][0];
  FileState& b = files_[slot][1];
  // Overwrite the older record; the newer one survives a torn write.
  const int which = std::make_pair(a.seq, a.view) <= std::make_pair(b.seq, b.view) ? 0 : 1;
  FileState& f = which == 0 ? a : b;
  std::string path = PathOf(slot, which);
  std::string data(kHeader, '\0');
  uint32_t magic = kMagic, len = static_cast<uint32_t>(proof.size());
  std::memcpy(data.data(), &magic, 4);
  std::memcpy(data.data() + 4, &len, 4);
  std::memcpy(data.data() + 12, &seq, 8);
  std::memcpy(data.data() + 20, &view, 8);
  data += proof;
  uint32_t crc = Checksum(data);
  std::memcpy(data.data() + 8, &crc, 4);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot open " + path);
  // Until the flush the file holds neither record reliably.
  f.seq = f.view = 0;
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::pwrite(fd, data.data() + off, data.size() - off, static_cast<off_t>(off));
    if (n <= 0) {
      ::close(fd);
      return Status::Internal("cannot write " + path);
    }
    off += static_cast<size_t>(n);
  }
  InFlight w;
  w.file = &f;
  w.seq = seq;
  w.view = view;
  w.new_file = !f.exists;
  // A new file's name must be durable too: once per file, ever.
  FlushJob job;
  job.fd = fd;
  job.path = path;
  if (w.new_file) job.dir = dir_;
  w.flushed = job.done.get_future();
  {
    std::lock_guard lock(mu_);
    job_ = std::move(job);  // empty: the previous one was waited for above
  }
  cv_.notify_one();
  in_flight_ = std::move(w);
  return Status::Ok();
}

Status PreparedSlots::Flush() {
  if (!in_flight_) return Status::Ok();
  InFlight w = std::move(*in_flight_);
  in_flight_.reset();
  CL_RETURN_IF_ERROR(w.flushed.get());
  if (w.new_file) w.file->exists = true;
  w.file->seq = w.seq;
  w.file->view = w.view;
  return Status::Ok();
}

Status PreparedSlots::Save(uint64_t seq, uint64_t view, const std::string& proof) {
  CL_RETURN_IF_ERROR(Write(seq, view, proof));
  return Flush();
}

Result<std::vector<std::string>> PreparedSlots::LoadAll() const {
  std::vector<std::string> out;
  for (uint64_t slot = 0; slot < kSlots; ++slot) {
    for (int which = 0; which < 2; ++which) {
      if (!files_[slot][which].exists) continue;
      if (auto r = ReadRecord(PathOf(slot, which))) out.push_back(std::move(r->payload));
    }
  }
  return out;
}

}  // namespace carledger::pbft
