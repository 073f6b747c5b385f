// CRC-32C (Castagnoli), used to detect torn and corrupted records in the block files.
#pragma once

#include <cstdint>
#include <string_view>

namespace carledger {

uint32_t Crc32c(std::string_view data);

}  // namespace carledger
