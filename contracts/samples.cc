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

Json SampleInspection(const std::string& vin, int64_t odometer_km, int64_t model_year) {
  Json rec = Json::MakeObject();
  rec["odometer_km"] = odometer_km;
  rec["gauge_state"] = "good";
  rec["model_year"] = model_year;
  rec["first_registration"] = "2021-03-15";
  rec["engine_type"] = "G4FG";
  rec["transmission"] = "automatic";
  rec["warranty"] = "insurer";
  rec["identity_check"] = "good";
  rec["illegal_modification"] = false;
  rec["accident"] = false;
  rec["flood"] = false;
  rec["usage_history"] = "none";
  Json diag = Json::MakeObject();
  diag["engine"] = "good";
  diag["transmission"] = "good";
  rec["self_diagnosis"] = diag;
  rec["panels"] = Json::MakeArray();
  Json panel = Json::MakeObject();
  panel["panel"] = "front_door_right";
  panel["mark"] = "X";
  rec["panels"].push_back(panel);
  rec["remarks"] = "우측 앞도어 교환 (단순수리), 무사고";
  rec["inspector_name"] = "김점검";
  Json insp = Json::MakeObject();
  insp["vin"] = vin;
  insp["record"] = rec;
  return insp;
}

}  // namespace carledger
