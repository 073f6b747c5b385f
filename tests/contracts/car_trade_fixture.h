// Shared helpers for the car_trade contract tests: a one-node TestNetwork with the
// car_trade package, funded traders, a standard car and a standard inspection record.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "tests/support/test_network.h"

namespace carledger::car_trade_test {

using carledger::testing::Describe;
using carledger::testing::TestNetwork;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

// The classic valid North American VIN (check digit 'X').
inline const std::string kNorthAmericanVin = "1M8GDM9AXKP042788";

inline Json Obj(std::initializer_list<std::pair<const std::string, Json>> kv) {
  return Json(Json::Object(kv));
}

// A Korean-style VIN (no check digit required): "KMHD341CBHU" + 6 digits.
inline std::string KoreanVin(int serial) {
  std::string digits = std::to_string(serial);
  return "KMHD341CBHU" + std::string(6 - digits.size(), '0') + digits;
}

inline std::string Sha256Hex(const std::string& data) {
  return ToHex(Sha256(data));
}

// Registration args for a plausible car.
inline Json CarArgs(const std::string& vin, int64_t odometer_km = 42000) {
  Json photos = Json::MakeArray();
  photos.push_back(Sha256Hex(vin + "-front"));
  photos.push_back(Sha256Hex(vin + "-rear"));
  return Obj({{"vin", vin},
              {"make", "Hyundai"},
              {"model", "Avante"},
              {"year", 2019},
              {"fuel", "gasoline"},
              {"transmission", "automatic"},
              {"colour", "white"},
              {"odometer_km", odometer_km},
              {"photos", photos},
              {"plate", "12가3456"},
              {"region", "Seoul"}});
}

// An inspection record with nothing to report.
inline Json CleanRecord(int64_t odometer_km) {
  Json components = Json::MakeObject();
  components["engine.idling"] = "good";
  components["brakes.booster"] = "good";
  return Obj({{"odometer_km", odometer_km},
              {"gauge_state", "good"},
              {"model_year", 2019},
              {"first_registration", "2019-03-15"},
              {"engine_type", "G4FG"},
              {"transmission", "automatic"},
              {"warranty", "insurer"},
              {"identity_check", "good"},
              {"illegal_modification", false},
              {"accident", false},
              {"flood", false},
              {"self_diagnosis", Obj({{"engine", "good"}, {"transmission", "good"}})},
              {"emissions", Obj({{"co_pct_x100", 10}, {"hc_ppm", 50}})},
              {"components", components},
              {"usage_history", "none"},
              {"panels", Json::MakeArray()},
              {"remarks", "No findings."},
              {"inspector_name", "Kim Inspector"}});
}

inline Json Output(const ledger::TxResult& r) {
  auto j = Json::Parse(r.output());
  return j.ok() ? *j : Json();
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

#define EXPECT_VALID(r) EXPECT_EQ((r).code(), ::carledger::ledger::VALID) << Describe(r)
#define ASSERT_VALID(r) ASSERT_EQ((r).code(), ::carledger::ledger::VALID) << Describe(r)
// Rejected by the contract with a reason that contains `text`.
#define EXPECT_REJECTED(r, text)                                                 \
  do {                                                                           \
    const auto& r_ = (r);                                                        \
    EXPECT_EQ(r_.code(), ::carledger::ledger::REJECTED) << Describe(r_);         \
    EXPECT_TRUE(::carledger::car_trade_test::Contains(r_.reason(), text))        \
        << "reason '" << r_.reason() << "' does not mention '" << (text) << "'"; \
  } while (0)

class CarTradeFixture : public ::testing::Test {
 protected:
  TestNetwork net;

  const Signer& admin() const { return net.admin(); }

  // A trader whose wallet holds `amount` won (requested and approved).
  Signer FundedUser(int64_t amount) {
    Signer u = net.NewUser();
    if (amount > 0) Fund(u, amount);
    return u;
  }

  void Fund(const Signer& u, int64_t amount) {
    auto req = net.Car(u, "request_charge", Obj({{"amount", amount}}));
    ASSERT_VALID(req);
    auto ok = net.Car(admin(), "approve_charge",
                      Obj({{"charge_id", Output(req).get_string("charge_id")}}));
    ASSERT_VALID(ok);
  }

  int64_t Balance(const Signer& u) { return Balance(u.id()); }
  int64_t Balance(const std::string& id) {
    return net.State("car_trade", "wallet/" + id).get_int("balance", 0);
  }
  int64_t Locked() { return net.State("car_trade", "stats").get_int("escrow_locked", 0); }

  Json CarState(const std::string& vin) { return net.State("car_trade", "car/" + vin); }
  Json Summary(const std::string& vin) { return CarState(vin).get("summary"); }
  Json Escrow(const std::string& id) { return net.State("car_trade", "escrow/" + id); }
  Json Event(const std::string& vin, int64_t seq) {
    char key[64];
    std::snprintf(key, sizeof key, "/%08lld", static_cast<long long>(seq));
    return net.State("car_trade", "event/" + vin + key);
  }
  std::vector<Json> Events(const std::string& vin) {
    std::vector<Json> out;
    int64_t n = CarState(vin).get_int("event_count");
    for (int64_t i = 1; i <= n; ++i) out.push_back(Event(vin, i));
    return out;
  }

  // Checks the event chain of a car: seq 1..n, each prev_tx the previous tx_id, the car's
  // last_tx the last event's tx_id.
  void ExpectChained(const std::string& vin) {
    Json car = CarState(vin);
    auto events = Events(vin);
    ASSERT_FALSE(events.empty());
    std::string prev;
    for (size_t i = 0; i < events.size(); ++i) {
      EXPECT_EQ(events[i].get_int("seq"), static_cast<int64_t>(i + 1));
      EXPECT_EQ(events[i].get_string("prev_tx"), prev) << "event " << i + 1 << " of " << vin;
      prev = events[i].get_string("tx_id");
    }
    EXPECT_EQ(car.get_string("last_tx"), prev);
  }

  std::string Register(const Signer& owner, const std::string& vin, int64_t odometer_km = 42000) {
    auto r = net.Car(owner, "register_car", CarArgs(vin, odometer_km));
    EXPECT_VALID(r);
    return vin;
  }

  void List(const Signer& owner, const std::string& vin, int64_t price) {
    auto r = net.Car(owner, "list", Obj({{"vin", vin}, {"price", price}}));
    EXPECT_VALID(r);
  }

  // Opens an escrow and returns its id ("" if refused).
  std::string OpenEscrow(const Signer& buyer, const std::string& vin, int64_t price) {
    auto r = net.Car(buyer, "open_escrow", Obj({{"vin", vin}, {"price", price}}));
    EXPECT_VALID(r);
    return Output(r).get_string("escrow_id");
  }

  ledger::TxResult EscrowCall(const Signer& who, const std::string& fn, const std::string& id) {
    return net.Car(who, fn, Obj({{"escrow_id", id}}));
  }

  std::string ToHexId(const ledger::TxResult& r) { return ToHex(r.tx_id()); }
};

}  // namespace carledger::car_trade_test
