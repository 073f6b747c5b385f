#include "apps/cli/cli_common.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace carledger::cli {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string FormatWon(int64_t won) {
  std::string digits = std::to_string(won < 0 ? -won : won);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++count;
  }
  if (won < 0) out.push_back('-');
  return std::string(out.rbegin(), out.rend());
}

}  // namespace carledger::cli

namespace carledger::cli {
std::string Flag(const std::vector<std::string>& args, const std::string& name,
                 const std::string& def) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) return args[i + 1];
  }
  return def;
}
}  // namespace carledger::cli
