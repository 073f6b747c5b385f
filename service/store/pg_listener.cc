#include "service/store/pg_listener.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace carledger::store {

namespace {

bool IsIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

Result<std::unique_ptr<PgListener>> PgListener::Start(std::string conninfo, std::string channel,
                                                      EventFn on_event, ConnectedFn on_connected,
                                                      PgListenerOptions options) {
  if (!IsIdentifier(channel))
    return Status::InvalidArgument("channel: must be 1..63 of a-z, 0-9 and '_'");
  std::unique_ptr<PgListener> l(new PgListener(std::move(conninfo), std::move(channel),
                                               std::move(on_event), std::move(on_connected),
                                               options));
  if (::pipe2(l->wake_fd_, O_CLOEXEC | O_NONBLOCK) != 0)
    return Status::Internal("pg listener: cannot create a pipe");
  l->thread_ = std::thread([p = l.get()] { p->Run(); });
  return l;
}

PgListener::PgListener(std::string conninfo, std::string channel, EventFn on_event,
                       ConnectedFn on_connected, PgListenerOptions options)
    : conninfo_(std::move(conninfo)),
      channel_(std::move(channel)),
      on_event_(std::move(on_event)),
      on_connected_(std::move(on_connected)),
      options_(options) {}

PgListener::~PgListener() {
  Stop();
  for (int fd : wake_fd_) {
    if (fd >= 0) ::close(fd);
  }
}

void PgListener::Stop() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (wake_fd_[1] >= 0) (void)!::write(wake_fd_[1], "x", 1);
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool PgListener::SleepUnlessStopped(std::chrono::milliseconds d) {
  std::unique_lock l(mu_);
  return cv_.wait_for(l, d, [&] { return stop_.load(); });
}

void PgListener::Run() {
  auto backoff = options_.min_backoff;
  while (!stop_.load()) {
    if (ServeOneConnection()) backoff = options_.min_backoff;  // it worked for a while
    if (stop_.load()) break;
    if (SleepUnlessStopped(backoff)) break;
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

bool PgListener::ServeOneConnection() {
  // Keywords before "dbname" may be overridden by the expanded conninfo. Keepalives notice
  // a peer that vanished without closing the connection.
  std::string timeout = std::to_string(options_.connect_timeout_s);
  const char* keys[] = {"connect_timeout",  "keepalives",
                        "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "fallback_application_name",
                        "dbname",           nullptr};
  const char* values[] = {timeout.c_str(),   "1",    "10", "5", "3", "carledger-node-listener",
                          conninfo_.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, 1);
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn(c, [](PGconn* p) {
    if (p) PQfinish(p);
  });
  if (c == nullptr || PQstatus(c) != CONNECTION_OK) return false;
  std::string sql = "LISTEN " + channel_;  // a checked identifier, not user input
  PGresult* r = PQexec(c, sql.c_str());
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  PQclear(r);
  if (!ok) {
    std::fprintf(stderr, "pg listener: LISTEN failed: %s", PQerrorMessage(c));
    return false;
  }
  listening_ = true;
  ++connections_;
  if (on_connected_) on_connected_();
  while (!stop_.load()) {
    pollfd fds[2] = {{PQsocket(c), POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, 1000);
    if (n < 0) continue;  // EINTR
    if (fds[1].revents) break;
    if (fds[0].revents == 0) continue;
    if (!PQconsumeInput(c) || PQstatus(c) != CONNECTION_OK) break;
    while (PGnotify* note = PQnotifies(c)) {
      std::string payload = note->extra ? note->extra : "";
      PQfreemem(note);
      if (on_event_) on_event_(payload);
    }
    // Anything else the server sent (an error before it closes the session) ends it.
    PQisBusy(c);
    if (PQstatus(c) != CONNECTION_OK) break;
  }
  listening_ = false;
  return true;
}

}  // namespace carledger::store
