#include "contracts/samples.h"

#include <cstdio>

namespace carledger {

std::string SampleVin(std::string_view series, uint64_t index) {
  std::string head(series.substr(0, 6));
  head.resize(6, 'K');
  char digits[16];
  std::snprintf(digits, sizeof(digits), "%011llu",
                static_cast<unsigned long long>(index % 100000000000ULL));
  return head + digits;
}

Json SampleCarRegistration(const std::string& vin, uint64_t index) {
  static const char* kMakes[] = {"Hyundai",   "Kia",           "Genesis",
                                 "Chevrolet", "Renault Korea", "KG Mobility"};
  Json a = Json::MakeObject();
  a["vin"] = vin;
  a["make"] = kMakes[index % 6];
  a["model"] = "Model " + std::to_string(index % 40);
  a["year"] = static_cast<int64_t>(2012 + index % 13);
  a["fuel"] = "gasoline";
  a["transmission"] = "automatic";
  a["colour"] = "white";
  a["odometer_km"] = static_cast<int64_t>(10000 + (index * 7919) % 150000);
  return a;
}

}  // namespace carledger
