// pg_test_server start|stop: the shared PostgreSQL server of the store tests, for ctest's
// fixture tests (started before the first store test, stopped after the last).
#include <cstdio>
#include <string>

#include "tests/support/pg_fixture.h"

int main(int argc, char** argv) {
  std::string cmd = argc == 2 ? argv[1] : "";
  if (cmd != "start" && cmd != "stop") {
    std::fprintf(stderr, "usage: pg_test_server start|stop\n");
    return 2;
  }
  carledger::Status st = cmd == "start" ? carledger::testing::SharedTestServer().status()
                                        : carledger::testing::StopSharedTestServer();
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
