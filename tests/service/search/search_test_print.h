// Readable gtest output for listings (a failed comparison prints fields, not bytes).
#pragma once

#include <ostream>

#include "service/search/listing_index.h"

namespace carledger::search {

inline void PrintTo(const ListingSummary& s, std::ostream* os) {
  *os << "{accidents " << s.accidents << ", flood " << s.flood << ", rollback " << s.rollback
      << ", fraud " << s.fraud << ", inspections " << s.inspections << "}";
}

inline void PrintTo(const Listing& l, std::ostream* os) {
  *os << "{" << l.vin << " " << l.make << " " << l.model << " " << l.year << " " << l.fuel << " "
      << l.transmission << " " << l.colour << " region '" << l.region << "' price " << l.price
      << " km " << l.odometer_km << " seller " << l.seller.substr(0, 12) << " listed_at "
      << l.listed_at_ms << " photo " << l.photo.substr(0, 8) << " summary ";
  PrintTo(l.summary, os);
  *os << " height " << l.height << " events " << l.event_count << "}";
}

}  // namespace carledger::search
