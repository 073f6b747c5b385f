// Sample car_trade inputs for load generators, benchmarks and tests: realistic Korean
// market car registrations that the contract accepts, unique per (series, index).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/json.h"

namespace carledger {

// A 17-character VIN: `series` (up to 6 characters of the VIN alphabet, padded with 'K')
// followed by `index` in 11 digits.
std::string SampleVin(std::string_view series, uint64_t index);

// Arguments for car_trade.register_car for the car with this VIN; make, model, year and
// odometer vary with `index`.
Json SampleCarRegistration(const std::string& vin, uint64_t index);

// record_inspection args for `vin`: a clean official inspection record (one bolt-on
// panel replaced, no accident), with this odometer reading and model year.
Json SampleInspection(const std::string& vin, int64_t odometer_km, int64_t model_year);

// A realistic Korean-market car for the demo data: registration args (make, model,
// year, fuel, colour, region, mileage, photo hashes), an inspection record consistent with
// it (an accident now and then), and an asking price from age and mileage.
struct SampleListing {
  Json registration;
  Json inspection;  // record_inspection args
  int64_t price = 0;
};
SampleListing MakeSampleListing(const std::string& vin, uint64_t index);

}  // namespace carledger
