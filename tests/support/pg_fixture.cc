#include "tests/support/pg_fixture.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

#include "common/crypto.h"
#include "service/store/pg.h"

namespace carledger::testing {

namespace fs = std::filesystem;

namespace {

// Whether every existing ancestor of `path` can be entered by other users: as root,
// scripts/pg runs the server as the postgres user, which must reach its data directory.
bool ReachableByOthers(const fs::path& path) {
  for (fs::path p = fs::absolute(path);; p = p.parent_path()) {
    struct stat st {};
    if (stat(p.c_str(), &st) == 0 && !(st.st_mode & S_IXOTH)) return false;
    if (p == p.parent_path()) return true;
  }
}

// `preferred`, unless the server could not use it (unreachable for the postgres user when
// running as root, or too long for a Unix socket path); then a directory under /tmp.
std::string UsableDir(const std::string& preferred) {
  if (preferred.size() <= 80 && (geteuid() != 0 || ReachableByOthers(preferred))) return preferred;
  std::string h = ToHex(Sha256(preferred)).substr(0, 12);
  return "/tmp/carledger-pg-" + std::to_string(geteuid()) + "-" + h;
}

// Binds 127.0.0.1:`port` (0: any) and returns the port bound, or 0.
int BindPort(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // as the server will
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof a;
  port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  close(fd);
  return port;
}

int FreePort() {
  return BindPort(0);
}
bool PortIsFree(int port) {
  return BindPort(port) == port;
}

// An exclusive flock on `path` for the object's lifetime.
class FileLock {
 public:
  explicit FileLock(const std::string& path) {
    fs::create_directories(fs::path(path).parent_path());
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }

 private:
  int fd_ = -1;
};

std::string RandomName() {
  static std::atomic<int> counter{0};
  return "t_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         ToHex(RandomBytes(4));
}

// Runs `sql` built by format() on the server from a fixed template and an identifier
// passed as a parameter: CREATE/DROP DATABASE take no parameters, so the name is quoted
// by the server (%I), never spliced in here.
Status ExecFormatted(const PgServer& server, const std::string& format, const std::string& ident) {
  auto pool = store::PgPool::Open(ConnInfo(server, "postgres"), 1);
  CL_RETURN_IF_ERROR(pool.status());
  CL_ASSIGN_OR_RETURN(store::PgRows rows,
                      (*pool)->Exec("SELECT format($1, $2::text) AS sql", {format, ident}));
  return (*pool)->Exec(rows[0].Str("sql")).status();
}

}  // namespace

std::string SharedTestServerDir() {
  const char* dir = std::getenv("CARLEDGER_TEST_PGDIR");
  return UsableDir(dir && *dir ? dir : CARLEDGER_TEST_PGDIR);
}

Result<PgServer> SharedTestServer() {
  static std::mutex mu;
  static std::optional<PgServer> started;
  std::lock_guard l(mu);
  if (started) return *started;
  PgServer s{SharedTestServerDir(), 0};
  FileLock lock(s.dir + ".lock");
  // A running server keeps its port (line 4 of postmaster.pid); a stopped one gets the
  // configured port, or a free one if another server (another build tree) holds that.
  const char* env_port = std::getenv("CARLEDGER_TEST_PGPORT");
  const bool running = fs::exists(s.dir + "/data/postmaster.pid") &&
                       RunPgScriptLocked(s, "status", /*quiet=*/true).ok();
  if (env_port && *env_port) {
    s.port = std::atoi(env_port);
  } else if (running) {
    std::ifstream pid_file(s.dir + "/data/postmaster.pid");
    std::string line;
    for (int i = 0; i < 4 && std::getline(pid_file, line); ++i) s.port = std::atoi(line.c_str());
  } else {
    s.port = PortIsFree(CARLEDGER_TEST_PGPORT) ? CARLEDGER_TEST_PGPORT : FreePort();
  }
  if (s.port <= 0) return Status::Internal("no free port for the test PostgreSQL");
  // Not "start" on a running server: as root, scripts/pg start chowns the whole data
  // directory, which races with other tests creating and dropping databases.
  if (!running) CL_RETURN_IF_ERROR(RunPgScriptLocked(s, "start"));
  started = s;
  return s;
}

Status StopSharedTestServer() {
  PgServer s{SharedTestServerDir(), 0};
  return RunPgScript(s, "stop");
}

Status RunPgScript(const PgServer& server, const std::string& command) {
  FileLock lock(server.dir + ".lock");
  return RunPgScriptLocked(server, command);
}

Status RunPgScriptLocked(const PgServer& server, const std::string& command, bool quiet) {
  std::string script = std::string(CARLEDGER_SOURCE_DIR) + "/scripts/pg";
  // The environment is built before spawning: the caller may have other threads running.
  std::vector<std::string> env_strings = {"PGDIR=" + server.dir,
                                          "PGPORT=" + std::to_string(server.port)};
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "PGDIR=", 6) != 0 && std::strncmp(*e, "PGPORT=", 7) != 0) {
      env_strings.push_back(*e);
    }
  }
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::string cmd = command;
  char* argv[] = {script.data(), cmd.data(), nullptr};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);  // keep gtest's stdout for results
  }
  pid_t pid = 0;
  int rc = posix_spawn(&pid, script.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return Status::Internal("cannot run " + script + ": " + std::strerror(rc));
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Internal("scripts/pg " + command + " failed (PGDIR=" + server.dir +
                            " PGPORT=" + std::to_string(server.port) + ", status " +
                            std::to_string(status) + "); see " + server.dir + "/server.log");
  }
  return Status::Ok();
}

std::string ConnInfo(const PgServer& server, const std::string& db) {
  return "host=127.0.0.1 port=" + std::to_string(server.port) + " user=carledger dbname=" + db +
         " connect_timeout=10";
}

Result<std::unique_ptr<PgTestDatabase>> PgTestDatabase::Create(const PgServer& server) {
  std::string name = RandomName();
  CL_RETURN_IF_ERROR(
      ExecFormatted(server, "CREATE DATABASE %I TEMPLATE template0 ENCODING 'UTF8'", name));
  return std::unique_ptr<PgTestDatabase>(new PgTestDatabase(server, name));
}

Result<std::unique_ptr<PgTestDatabase>> PgTestDatabase::Create() {
  CL_ASSIGN_OR_RETURN(PgServer s, SharedTestServer());
  return Create(s);
}

PgTestDatabase::~PgTestDatabase() {
  Status st = ExecFormatted(server_, "DROP DATABASE IF EXISTS %I WITH (FORCE)", name_);
  if (!st.ok())
    std::fprintf(stderr, "dropping test database %s: %s\n", name_.c_str(), st.ToString().c_str());
}

Result<std::unique_ptr<PrivatePgServer>> PrivatePgServer::Start() {
  static std::atomic<int> counter{0};
  PgServer s;
  s.dir = UsableDir(SharedTestServerDir() + "-private/" + std::to_string(getpid()) + "-" +
                    std::to_string(counter++));
  s.port = FreePort();
  if (s.port == 0) return Status::Internal("no free port for a private PostgreSQL");
  std::unique_ptr<PrivatePgServer> server(new PrivatePgServer(s));
  CL_RETURN_IF_ERROR(server->Restart());
  return server;
}

PrivatePgServer::~PrivatePgServer() {
  (void)Stop();
  std::error_code ec;
  fs::remove_all(server_.dir, ec);
  fs::remove(server_.dir + ".lock", ec);
}

std::unique_ptr<PgTestDatabase> PgTestSuite::db_;
std::string PgTestSuite::setup_error_;

void PgTestSuite::SetUpTestSuite() {
  auto db = PgTestDatabase::Create();
  if (db.ok()) {
    db_ = std::move(db).value();
  } else {
    setup_error_ = "no test database: " + db.status().ToString();
  }
}

void PgTestSuite::TearDownTestSuite() {
  db_.reset();
}

}  // namespace carledger::testing
