// carledger: the operator's command-line tool.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace carledger::cli {
int InitNetworkCommand(const std::vector<std::string>& args);
int VerifyCommand(const std::vector<std::string>& args);
int DemoCommand(const std::vector<std::string>& args);
int StatusCommand(const std::vector<std::string>& args);
}  // namespace carledger::cli

namespace {

void Usage() {
  std::fprintf(stderr,
               "usage: carledger COMMAND [options]\n"
               "  init-network --dir DIR [--validators N] [--orgs ORG1,ORG2] [--name NAME]\n"
               "        create a network: root CA, admins, validators, genesis block in DIR/node0\n"
               "  verify DATA_DIR\n"
               "        audit a node's data directory offline (hash chain, Merkle roots,\n"
               "        certificates, signatures, full re-execution); exit 1 names the first bad block\n"
               "  status DATA_DIR\n"
               "        height, last block, state hash and validators of a data directory\n"
               "  demo --dir DIR\n"
               "        run the end-to-end trade on the network in DIR and print the verified history\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    Usage();
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "init-network") return carledger::cli::InitNetworkCommand(args);
  if (cmd == "verify") return carledger::cli::VerifyCommand(args);
  if (cmd == "demo") return carledger::cli::DemoCommand(args);
  if (cmd == "status") return carledger::cli::StatusCommand(args);
  std::fprintf(stderr, "carledger: unknown command '%s'\n", cmd.c_str());
  Usage();
  return 2;
}
