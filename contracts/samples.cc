#include "contracts/samples.h"

#include <algorithm>
#include <cstdio>

#include "common/crypto.h"

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
  rec["first_registration"] = std::to_string(model_year) + "-03-15";
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

SampleListing MakeSampleListing(const std::string& vin, uint64_t index) {
  struct Model {
    const char* make;
    const char* model;
    const char* fuel;
    int64_t new_price;  // won, when new
  };
  static const Model kModels[] = {{"Hyundai", "Avante (CN7)", "gasoline", 24'000'000},
                                  {"Hyundai", "Sonata (DN8)", "gasoline", 31'000'000},
                                  {"Hyundai", "Grandeur (GN7)", "hybrid", 45'000'000},
                                  {"Hyundai", "Tucson (NX4)", "diesel", 33'000'000},
                                  {"Hyundai", "Santa Fe (MX5)", "hybrid", 43'000'000},
                                  {"Hyundai", "Ioniq 5", "electric", 52'000'000},
                                  {"Kia", "Morning", "gasoline", 14'000'000},
                                  {"Kia", "K5 (DL3)", "lpg", 29'000'000},
                                  {"Kia", "Sorento (MQ4)", "diesel", 40'000'000},
                                  {"Kia", "Carnival (KA4)", "diesel", 42'000'000},
                                  {"Kia", "EV6", "electric", 55'000'000},
                                  {"Genesis", "G80 (RG3)", "gasoline", 62'000'000},
                                  {"Genesis", "GV80", "diesel", 75'000'000},
                                  {"Chevrolet", "Trailblazer", "gasoline", 27'000'000},
                                  {"Renault Korea", "QM6", "lpg", 30'000'000},
                                  {"KG Mobility", "Torres", "gasoline", 33'000'000},
                                  {"BMW", "520i (G30)", "gasoline", 70'000'000},
                                  {"Mercedes-Benz", "E250 (W213)", "gasoline", 75'000'000}};
  static const char* kRegions[] = {"서울", "경기", "인천", "부산", "대구",
                                   "대전", "광주", "울산", "제주", "충북"};
  static const char* kColours[] = {"white", "black", "grey", "silver", "blue", "red"};
  const Model& m = kModels[index % (sizeof(kModels) / sizeof(kModels[0]))];
  uint64_t mix = index * 2654435761u;
  int64_t year = 2014 + static_cast<int64_t>(mix % 11);  // 2014 .. 2024
  int64_t age = 2026 - year;
  int64_t km = age * (9'000 + static_cast<int64_t>((mix >> 8) % 12'000)) + 1'500;
  SampleListing out;
  out.registration = Json::MakeObject();
  out.registration["vin"] = vin;
  out.registration["make"] = m.make;
  out.registration["model"] = m.model;
  out.registration["year"] = year;
  out.registration["fuel"] = m.fuel;
  out.registration["transmission"] = "automatic";
  out.registration["colour"] = kColours[(mix >> 4) % 6];
  out.registration["odometer_km"] = km;
  out.registration["region"] = kRegions[(mix >> 12) % 10];
  out.registration["photos"] = Json::MakeArray();
  out.registration["photos"].push_back(ToHex(Sha256(vin + "-front.jpg")));
  out.registration["photos"].push_back(ToHex(Sha256(vin + "-interior.jpg")));
  out.inspection = SampleInspection(vin, km + 120, year);
  if (mix % 17 == 0) out.inspection["record"]["accident"] = true;
  // About 12% a year, then mileage; whole 10,000 won steps as dealers price.
  double value = static_cast<double>(m.new_price);
  for (int64_t y = 0; y < age; ++y) value *= 0.88;
  value *= 1.0 - std::min(0.3, static_cast<double>(km) / 1'000'000.0);
  if (mix % 17 == 0) value *= 0.8;
  out.price = std::max<int64_t>(1'000'000, static_cast<int64_t>(value) / 10'000 * 10'000);
  return out;
}

}  // namespace carledger
