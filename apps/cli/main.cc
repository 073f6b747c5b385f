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
int ClusterStatusCommand(const std::vector<std::string>& args);
int RotateLeaderCommand(const std::vector<std::string>& args);
int LoadCommand(const std::vector<std::string>& args);
int AddValidatorCommand(const std::vector<std::string>& args);
int RemoveValidatorCommand(const std::vector<std::string>& args);
int TradeCommand(const std::vector<std::string>& args);
int SeedCommand(const std::vector<std::string>& args);
}  // namespace carledger::cli

namespace {

void Usage() {
  std::fprintf(
      stderr,
      "usage: carledger COMMAND [options]\n"
      "  init-network --dir DIR [--validators N] [--observers N] [--orgs ORG1,ORG2] [--name NAME]\n"
      "               [--base-port PORT] [--host HOST] [--epoch BLOCKS]\n"
      "        create a network: root CA, admins, validators, observers, genesis block\n"
      "        (DIR/genesis.block and DIR/node0) and each node's address\n"
      "  verify DATA_DIR\n"
      "        audit a node's data directory offline (hash chain, Merkle roots,\n"
      "        certificates, signatures, full re-execution); exit 1 names the first bad block\n"
      "  status DATA_DIR\n"
      "        height, last block, state hash and validators of a data directory\n"
      "  demo --dir DIR\n"
      "        run the end-to-end trade on the network in DIR and print the verified history\n"
      "  cluster-status --network DIR\n"
      "        view, leader, height, stable checkpoint and peer lag of every running node\n"
      "  rotate-leader --network DIR\n"
      "        ask every validator to move to the next view (a new leader)\n"
      "  load --network DIR [--count N] [--via NODE]\n"
      "        submit N signed car registrations to NODE and wait until they are committed\n"
      "  add-validator --network DIR [--name NODE] [--address HOST:PORT]\n"
      "        issue a validator certificate, add the node to network.json and register it\n"
      "        (in force from the next epoch boundary; then start the node)\n"
      "  remove-validator --network DIR --name NODE [--reason TEXT]\n"
      "        revoke a validator (it stops voting at the next epoch boundary)\n");
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
  if (cmd == "cluster-status") return carledger::cli::ClusterStatusCommand(args);
  if (cmd == "rotate-leader") return carledger::cli::RotateLeaderCommand(args);
  if (cmd == "load") return carledger::cli::LoadCommand(args);
  if (cmd == "add-validator") return carledger::cli::AddValidatorCommand(args);
  if (cmd == "remove-validator") return carledger::cli::RemoveValidatorCommand(args);
  if (cmd == "trade") return carledger::cli::TradeCommand(args);
  if (cmd == "seed") return carledger::cli::SeedCommand(args);
  std::fprintf(stderr, "carledger: unknown command '%s'\n", cmd.c_str());
  Usage();
  return 2;
}
