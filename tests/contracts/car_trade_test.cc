// car_trade contract: a car's whole life, registration and VIN rules, inspections and
// their flags, listings, wallet, fraud flags, and who may sign what.
#include <gtest/gtest.h>

#include "tests/contracts/car_trade_fixture.h"

namespace carledger::car_trade_test {
namespace {

// ---------------------------------------------------------------------------------------
// A car's whole life
// ---------------------------------------------------------------------------------------

class CarTradeTest : public CarTradeFixture {};

TEST_F(CarTradeTest, WholeLifeFromRegistrationThroughTwoResales) {
  Signer first = FundedUser(0);
  Signer second = FundedUser(30'000'000);
  Signer third = FundedUser(25'000'000);
  Signer agency = net.NewAgency("Seoul Inspection Co");
  const std::string vin = kNorthAmericanVin;

  Register(first, vin, 42'000);
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("owner"), first.id());
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_EQ(car.get("summary").get_int("owners"), 1);

  auto insp =
      net.Car(agency, "record_inspection", Obj({{"vin", vin}, {"record", CleanRecord(45'000)}}));
  ASSERT_VALID(insp);
  EXPECT_FALSE(Output(insp).get("findings").get_bool("rollback"));

  // First sale.
  List(first, vin, 23'500'000);
  std::string e1 = OpenEscrow(second, vin, 23'500'000);
  EXPECT_EQ(Balance(second), 6'500'000);
  EXPECT_EQ(Locked(), 23'500'000);
  EXPECT_VALID(EscrowCall(first, "hand_over", e1));
  EXPECT_VALID(EscrowCall(second, "confirm", e1));
  EXPECT_EQ(Balance(first), 23'500'000);
  EXPECT_EQ(Locked(), 0);
  car = CarState(vin);
  EXPECT_EQ(car.get_string("owner"), second.id());
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_FALSE(car.has("price"));
  EXPECT_EQ(car.get("summary").get_int("owners"), 2);

  // Second sale, after a price cut.
  List(second, vin, 22'000'000);
  EXPECT_VALID(net.Car(second, "reprice", Obj({{"vin", vin}, {"price", 21'000'000}})));
  std::string e2 = OpenEscrow(third, vin, 21'000'000);
  EXPECT_VALID(EscrowCall(second, "hand_over", e2));
  EXPECT_VALID(EscrowCall(third, "confirm", e2));

  car = CarState(vin);
  EXPECT_EQ(car.get_string("owner"), third.id());
  Json summary = car.get("summary");
  EXPECT_EQ(summary.get_int("owners"), 3);
  EXPECT_EQ(summary.get_int("inspections"), 1);
  EXPECT_EQ(summary.get_int("accidents"), 0);
  EXPECT_FALSE(summary.get_bool("rollback"));
  EXPECT_FALSE(summary.get_bool("flood"));
  EXPECT_EQ(Balance(second), 6'500'000 + 21'000'000);
  EXPECT_EQ(Balance(third), 4'000'000);

  // The price history keeps every asking price.
  const auto& history = car.get("price_history").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].get_int("price"), 23'500'000);
  EXPECT_EQ(history[1].get_int("price"), 22'000'000);
  EXPECT_EQ(history[2].get_int("price"), 21'000'000);

  // Every event names the one before it; the car names the last.
  ExpectChained(vin);
  std::vector<std::string> types;
  for (const auto& ev : Events(vin)) types.push_back(ev.get_string("type"));
  EXPECT_EQ(types, (std::vector<std::string>{"registered", "inspected", "listed", "escrow_opened",
                                             "handed_over", "sold", "listed", "repriced",
                                             "escrow_opened", "handed_over", "sold"}));
  EXPECT_EQ(Events(vin)[1].get("data").get("record").get_int("odometer_km"), 45'000);
  EXPECT_EQ(Events(vin)[1].get("data").get("agency").get_string("name"), "Seoul Inspection Co");
  EXPECT_EQ(car.get_int("event_count"), 11);
}

TEST_F(CarTradeTest, EachEventIsEmittedWithItsChainLink) {
  Signer owner = FundedUser(0);
  auto r = net.Car(owner, "register_car", CarArgs(KoreanVin(1)));
  ASSERT_VALID(r);
  ASSERT_EQ(r.events_size(), 1);
  EXPECT_EQ(r.events(0).name(), "registered");
  auto payload = Json::Parse(r.events(0).payload());
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->get_string("tx_id"), ToHexId(r));
  EXPECT_EQ(payload->get_string("prev_tx"), "");
  auto l = net.Car(owner, "list", Obj({{"vin", KoreanVin(1)}, {"price", 1'000'000}}));
  ASSERT_VALID(l);
  payload = Json::Parse(l.events(0).payload());
  EXPECT_EQ(payload->get_string("prev_tx"), ToHexId(r));
}

// ---------------------------------------------------------------------------------------
// Registration and the VIN
// ---------------------------------------------------------------------------------------

class CarTradeVinTest : public CarTradeFixture {};

TEST_F(CarTradeVinTest, NorthAmericanVinWithCorrectCheckDigitIsAccepted) {
  Signer owner = FundedUser(0);
  auto r = net.Car(owner, "register_car", CarArgs("1M8GDM9AXKP042788"));
  EXPECT_VALID(r);
  // Another real-world example: check digit 3.
  EXPECT_VALID(net.Car(owner, "register_car", CarArgs("1HGCM82633A004352")));
}

TEST_F(CarTradeVinTest, WrongCheckDigitIsRejectedWithTheExpectedDigit) {
  Signer owner = FundedUser(0);
  auto r = net.Car(owner, "register_car", CarArgs("1M8GDM9A1KP042788"));
  EXPECT_REJECTED(r, "vin: check digit should be 'X'");
  r = net.Car(owner, "register_car", CarArgs("1HGCM82653A004352"));
  EXPECT_REJECTED(r, "vin: check digit should be '3'");
  EXPECT_TRUE(CarState("1M8GDM9A1KP042788").is_null());
}

TEST_F(CarTradeVinTest, KoreanVinIsAcceptedWithoutCheckDigit) {
  Signer owner = FundedUser(0);
  // Position 9 is not a check digit for K... VINs; these would fail the NA rule.
  EXPECT_VALID(net.Car(owner, "register_car", CarArgs("KMHD341CBHU123456")));
  EXPECT_VALID(net.Car(owner, "register_car", CarArgs("KNAGH4A87A5123456")));
}

TEST_F(CarTradeVinTest, LettersIOQAreRejected) {
  Signer owner = FundedUser(0);
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("KMHD341CBHI123456")),
                  "vin: letter 'I' at position 11");
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("KMHO341CBHU123456")),
                  "vin: letter 'O' at position 4");
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("QMHD341CBHU123456")),
                  "vin: letter 'Q' at position 1");
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("KMHD341CBHU12345*")),
                  "vin: character at position 17");
}

TEST_F(CarTradeVinTest, WrongLengthIsRejected) {
  Signer owner = FundedUser(0);
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("KMHD341CBHU12345")),
                  "vin: must be 17 characters, got 16");
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("KMHD341CBHU1234567")),
                  "vin: must be 17 characters, got 18");
  EXPECT_REJECTED(net.Car(owner, "register_car", CarArgs("")), "vin: must be 17 characters, got 0");
}

TEST_F(CarTradeVinTest, LowerCaseIsNormalisedAndAVinRegistersOnce) {
  Signer owner = FundedUser(0);
  Signer other = FundedUser(0);
  EXPECT_VALID(net.Car(owner, "register_car", CarArgs("kmhd341cbhu123456")));
  EXPECT_EQ(CarState("KMHD341CBHU123456").get_string("vin"), "KMHD341CBHU123456");
  EXPECT_REJECTED(net.Car(other, "register_car", CarArgs("KMHD341CBHU123456")),
                  "vin: KMHD341CBHU123456 is already registered");
  EXPECT_EQ(CarState("KMHD341CBHU123456").get_string("owner"), owner.id());
}

TEST_F(CarTradeVinTest, RegistrationFieldsAreValidated) {
  Signer owner = FundedUser(0);
  auto with = [&](const std::string& field, Json value) {
    Json a = CarArgs(KoreanVin(7));
    a[field] = std::move(value);
    return net.Car(owner, "register_car", a);
  };
  EXPECT_REJECTED(with("year", 1949), "year: must be between 1950 and 2027, got 1949");
  EXPECT_REJECTED(with("year", 2028), "year: must be between 1950 and 2027");
  Json next_year = CarArgs(KoreanVin(8));
  next_year["year"] = 2027;  // next year's models are already on sale
  EXPECT_VALID(net.Car(owner, "register_car", next_year));
  EXPECT_REJECTED(
      with("fuel", "coal"),
      "fuel: must be one of gasoline, diesel, lpg, hybrid, electric, hydrogen, got 'coal'");
  EXPECT_REJECTED(with("transmission", "dct"),
                  "transmission: must be one of automatic, manual, semi-auto, cvt");
  EXPECT_REJECTED(with("odometer_km", -1), "odometer_km: must be between 0");
  EXPECT_REJECTED(with("odometer_km", "12000"), "odometer_km: must be an integer");
  EXPECT_REJECTED(with("make", ""), "make: must not be empty");
  EXPECT_REJECTED(with("colour", Json()), "colour: required");
  EXPECT_REJECTED(with("photos", Json::Array{Json("not-a-hash")}),
                  "photos[1]: must be a sha256 digest");
  EXPECT_REJECTED(with("photos", Json::Array{Json(Sha256Hex("a")), Json(Sha256Hex("a"))}),
                  "photos[2]: duplicate photo");
  Json::Array many;
  for (int i = 0; i < 31; ++i) many.push_back(Sha256Hex(std::to_string(i)));
  EXPECT_REJECTED(with("photos", many), "photos: at most 30 items, got 31");
  many.pop_back();
  EXPECT_VALID(net.Car(owner, "register_car", [&] {
    Json b = CarArgs(KoreanVin(9));
    b["photos"] = many;
    return b;
  }()));
  EXPECT_REJECTED(with("mileage", 5), "mileage: unknown field");
  EXPECT_EQ(CarState(KoreanVin(9)).get("photos").as_array().size(), 30u);
}

TEST_F(CarTradeVinTest, OnlyTradersRegisterCars) {
  Signer agency = net.NewAgency("Busan Inspection");
  EXPECT_REJECTED(net.Car(agency, "register_car", CarArgs(KoreanVin(3))),
                  "only a trader may register a car");
}

// ---------------------------------------------------------------------------------------
// Inspections and flags
// ---------------------------------------------------------------------------------------

class CarTradeInspectionTest : public CarTradeFixture {
 protected:
  void SetUp() override {
    owner = FundedUser(0);
    agency = net.NewAgency("Seoul Inspection Co");
    Register(owner, vin, 60'000);
  }
  ledger::TxResult Inspect(const Json& record) {
    return net.Car(agency, "record_inspection", Obj({{"vin", vin}, {"record", record}}));
  }
  Signer owner;
  Signer agency;
  const std::string vin = KoreanVin(42);
};

TEST_F(CarTradeInspectionTest, OdometerLowerThanRegistrationFlagsRollback) {
  auto r = Inspect(CleanRecord(35'000));
  ASSERT_VALID(r);
  EXPECT_TRUE(Output(r).get("findings").get_bool("rollback"));
  Json summary = Summary(vin);
  EXPECT_TRUE(summary.get_bool("rollback"));
  auto events = Events(vin);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].get_string("type"), "inspected");
  EXPECT_EQ(events[2].get_string("type"), "rollback_detected");
  EXPECT_EQ(events[2].get("data").get_int("reading_km"), 35'000);
  EXPECT_EQ(events[2].get("data").get_int("highest_earlier_km"), 60'000);
  bool emitted = false;
  for (const auto& e : r.events()) emitted |= e.name() == "rollback_detected";
  EXPECT_TRUE(emitted);
  ExpectChained(vin);
}

TEST_F(CarTradeInspectionTest, ReadingBelowAnEarlierInspectionFlagsRollback) {
  ASSERT_VALID(Inspect(CleanRecord(80'000)));
  EXPECT_FALSE(Summary(vin).get_bool("rollback"));
  EXPECT_EQ(CarState(vin).get_int("max_odometer_km"), 80'000);
  // Above the registration reading, below the first inspection's.
  auto r = Inspect(CleanRecord(70'000));
  ASSERT_VALID(r);
  EXPECT_TRUE(Summary(vin).get_bool("rollback"));
  EXPECT_EQ(Summary(vin).get_int("inspections"), 2);
  EXPECT_EQ(CarState(vin).get_int("odometer_km"), 70'000);
}

TEST_F(CarTradeInspectionTest, FaultyOrUnknownGaugeMarksOdometerUnverified) {
  Json rec = CleanRecord(61'000);
  rec["gauge_state"] = "unknown";
  ASSERT_VALID(Inspect(rec));
  EXPECT_TRUE(Summary(vin).get_bool("odometer_unverified"));
  EXPECT_FALSE(Summary(vin).get_bool("rollback"));
  rec["gauge_state"] = "broken";
  EXPECT_REJECTED(Inspect(rec), "record.gauge_state: must be one of good, faulty, unknown");
}

TEST_F(CarTradeInspectionTest, AccidentAndFloodSetTheSummary) {
  Json rec = CleanRecord(61'000);
  rec["accident"] = true;
  rec["flood"] = true;
  ASSERT_VALID(Inspect(rec));
  Json s = Summary(vin);
  EXPECT_EQ(s.get_int("accidents"), 1);
  EXPECT_TRUE(s.get_bool("flood"));
  // A later clean inspection does not wash the flood history away.
  ASSERT_VALID(Inspect(CleanRecord(62'000)));
  s = Summary(vin);
  EXPECT_TRUE(s.get_bool("flood"));
  EXPECT_EQ(s.get_int("accidents"), 1);
  EXPECT_EQ(s.get_int("inspections"), 2);
}

TEST_F(CarTradeInspectionTest, ReplacedOrWeldedFrameMakesAnAccidentCar) {
  Json rec = CleanRecord(61'000);
  rec["panels"] = Json::Array{Obj({{"panel", "Front door (left)"}, {"mark", "X"}}),
                              Obj({{"panel", "Hood"}, {"mark", "X"}}),
                              Obj({{"panel", "B-Pillar left"}, {"mark", "W"}})};
  auto r = Inspect(rec);
  ASSERT_VALID(r);
  Json f = Output(r).get("findings");
  EXPECT_TRUE(f.get_bool("accident"));
  EXPECT_TRUE(f.get_bool("accident_by_frame_rule"));
  ASSERT_EQ(f.get("frame_repairs").as_array().size(), 1u);
  EXPECT_EQ(f.get("frame_repairs").as_array()[0].get_string("panel"), "B-Pillar left");
  EXPECT_EQ(Summary(vin).get_int("accidents"), 1);
  // Korean panel names from the official form count too.
  rec["panels"] = Json::Array{Obj({{"panel", "사이드멤버 (좌)"}, {"mark", "X"}})};
  ASSERT_VALID(Inspect(rec));
  EXPECT_EQ(Summary(vin).get_int("accidents"), 2);
}

TEST_F(CarTradeInspectionTest, OuterPanelsOrCosmeticMarksAreNotAnAccident) {
  Json rec = CleanRecord(61'000);
  rec["panels"] = Json::Array{Obj({{"panel", "front_fender_right"}, {"mark", "X"}}),
                              Obj({{"panel", "trunk lid"}, {"mark", "W"}}),
                              Obj({{"panel", "rear panel"}, {"mark", "A"}}),    // a scratch
                              Obj({{"panel", "wheel house"}, {"mark", "C"}})};  // corrosion
  auto r = Inspect(rec);
  ASSERT_VALID(r);
  EXPECT_FALSE(Output(r).get("findings").get_bool("accident"));
  EXPECT_EQ(Summary(vin).get_int("accidents"), 0);
  rec["panels"] = Json::Array{Obj({{"panel", "hood"}, {"mark", "Z"}})};
  EXPECT_REJECTED(Inspect(rec), "record.panels[1].mark: must be one of X, W, C, A, U, T");
}

TEST_F(CarTradeInspectionTest, TheRecordIsStoredInTheEventAndValidated) {
  Json rec = CleanRecord(61'000);
  rec["identity_check"] = "painted_over";
  rec["usage_history"] = "rental";
  ASSERT_VALID(Inspect(rec));
  Json stored = Events(vin)[1].get("data").get("record");
  EXPECT_EQ(stored.get_string("identity_check"), "painted_over");
  EXPECT_EQ(stored.get_string("usage_history"), "rental");
  EXPECT_EQ(stored.get("self_diagnosis").get_string("engine"), "good");
  EXPECT_EQ(stored.get("emissions").get_int("hc_ppm"), 50);
  EXPECT_EQ(stored.get("components").get_string("engine.idling"), "good");
  EXPECT_EQ(stored.get_string("inspector_name"), "Kim Inspector");
  EXPECT_TRUE(Summary(vin).get_bool("identity_issue"));

  auto bad = [&](const std::string& field, Json value) {
    Json r2 = CleanRecord(61'000);
    r2[field] = std::move(value);
    return Inspect(r2);
  };
  EXPECT_REJECTED(bad("warranty", "dealer"), "record.warranty: must be one of self, insurer");
  EXPECT_REJECTED(bad("identity_check", "odd"),
                  "record.identity_check: must be one of good, mismatch");
  EXPECT_REJECTED(bad("first_registration", "2019-02-30"),
                  "record.first_registration: '2019-02-30' is not a valid date");
  EXPECT_REJECTED(bad("first_registration", "2030-01-01"),
                  "record.first_registration: '2030-01-01' is in the future");
  EXPECT_REJECTED(bad("accident", "no"), "record.accident: must be true or false");
  EXPECT_REJECTED(bad("self_diagnosis", Obj({{"engine", "good"}})),
                  "record.self_diagnosis.transmission: required");
  EXPECT_REJECTED(bad("components", Obj({{"clutch", "broken"}})),
                  "record.components.clutch: must be one of good, leak, needs_repair");
  EXPECT_REJECTED(bad("emissions", Obj({{"smoke_pct", 101}})),
                  "record.emissions.smoke_pct: must be between 0 and 100");
  EXPECT_REJECTED(bad("usage_history", "taxi"),
                  "record.usage_history: must be one of none, rental, commercial");
  EXPECT_REJECTED(bad("inspector_name", Json()), "record.inspector_name: required");
  EXPECT_REJECTED(bad("remarks", std::string(4001, 'x')), "record.remarks: at most 4000 bytes");
  EXPECT_REJECTED(bad("colour", "red"), "record.colour: unknown field");
  Json::Array panels;
  for (int i = 0; i < 61; ++i)
    panels.push_back(Obj({{"panel", "p" + std::to_string(i)}, {"mark", "A"}}));
  EXPECT_REJECTED(bad("panels", panels), "record.panels: at most 60 items");
  EXPECT_EQ(Summary(vin).get_int("inspections"), 1);
}

TEST_F(CarTradeInspectionTest, InspectionOfAnUnknownCarIsRejected) {
  auto r = net.Car(agency, "record_inspection",
                   Obj({{"vin", KoreanVin(999)}, {"record", CleanRecord(1)}}));
  EXPECT_REJECTED(r, "vin: no car is registered with VIN KMHD341CBHU000999");
}

// ---------------------------------------------------------------------------------------
// Who may sign what; replays
// ---------------------------------------------------------------------------------------

class CarTradeAuthTest : public CarTradeFixture {};

TEST_F(CarTradeAuthTest, UserCannotRecordInspection) {
  Signer owner = FundedUser(0);
  Register(owner, KoreanVin(1));
  auto r = net.Car(owner, "record_inspection",
                   Obj({{"vin", KoreanVin(1)}, {"record", CleanRecord(50'000)}}));
  EXPECT_REJECTED(r,
                  "only an inspection agency may record an inspection (caller's role is 'user')");
  EXPECT_EQ(Summary(KoreanVin(1)).get_int("inspections"), 0);
  // Nor can an admin.
  r = net.Car(admin(), "record_inspection",
              Obj({{"vin", KoreanVin(1)}, {"record", CleanRecord(50'000)}}));
  EXPECT_REJECTED(r,
                  "only an inspection agency may record an inspection (caller's role is 'admin')");
}

TEST_F(CarTradeAuthTest, UserCannotApproveCharge) {
  Signer user = FundedUser(0);
  auto req = net.Car(user, "request_charge", Obj({{"amount", 1'000'000}}));
  ASSERT_VALID(req);
  std::string id = Output(req).get_string("charge_id");
  auto r = net.Car(user, "approve_charge", Obj({{"charge_id", id}}));
  EXPECT_REJECTED(r, "only an admin may approve a charge (caller's role is 'user')");
  EXPECT_EQ(Balance(user), 0);
  EXPECT_EQ(net.State("car_trade", "charge/" + id).get_string("status"), "pending");
}

TEST_F(CarTradeAuthTest, RevokedAgencyIsAnUnknownCreator) {
  Signer owner = FundedUser(0);
  Signer agency = net.NewAgency("Rogue Inspection");
  Register(owner, KoreanVin(1));
  EXPECT_VALID(net.Car(agency, "record_inspection",
                       Obj({{"vin", KoreanVin(1)}, {"record", CleanRecord(50'000)}})));
  auto revoke =
      net.Call(admin(), "_msp", "revoke", Obj({{"id", agency.id()}, {"reason", "forged records"}}));
  ASSERT_VALID(revoke);
  auto r = net.Car(agency, "record_inspection",
                   Obj({{"vin", KoreanVin(1)}, {"record", CleanRecord(51'000)}}));
  EXPECT_EQ(r.code(), ledger::UNKNOWN_CREATOR) << Describe(r);
  EXPECT_TRUE(Contains(r.reason(), "revoked")) << r.reason();
  EXPECT_EQ(Summary(KoreanVin(1)).get_int("inspections"), 1);
}

TEST_F(CarTradeAuthTest, ReplayedTransactionIsRejectedAsDuplicate) {
  Signer buyer = FundedUser(10'000'000);
  Signer payee = FundedUser(0);
  auto tx =
      net.Tx(buyer, "car_trade", "transfer", Obj({{"to", payee.id()}, {"amount", 1'000'000}}));
  auto first = net.CommitBlock({tx});
  ASSERT_VALID(first[0]);
  auto again = net.CommitBlock({tx});
  EXPECT_EQ(again[0].code(), ledger::DUPLICATE_TX) << Describe(again[0]);
  EXPECT_FALSE(again[0].reason().empty());
  // Within one block as well.
  auto tx2 =
      net.Tx(buyer, "car_trade", "transfer", Obj({{"to", payee.id()}, {"amount", 1'000'000}}));
  auto both = net.CommitBlock({tx2, tx2});
  EXPECT_VALID(both[0]);
  EXPECT_EQ(both[1].code(), ledger::DUPLICATE_TX) << Describe(both[1]);
  EXPECT_EQ(Balance(payee), 2'000'000);
  EXPECT_EQ(Balance(buyer), 8'000'000);
}

TEST_F(CarTradeAuthTest, OnlyTheOwnerListsRepricesAndDelists) {
  Signer owner = FundedUser(0);
  Signer stranger = FundedUser(0);
  Register(owner, KoreanVin(1));
  EXPECT_REJECTED(net.Car(stranger, "list", Obj({{"vin", KoreanVin(1)}, {"price", 1'000'000}})),
                  "only the car's owner may list it");
  List(owner, KoreanVin(1), 1'000'000);
  EXPECT_REJECTED(net.Car(stranger, "reprice", Obj({{"vin", KoreanVin(1)}, {"price", 1}})),
                  "only the car's owner may reprice it");
  EXPECT_REJECTED(net.Car(stranger, "delist", Obj({{"vin", KoreanVin(1)}})),
                  "only the car's owner may delist it");
  EXPECT_EQ(CarState(KoreanVin(1)).get_int("price"), 1'000'000);
}

TEST_F(CarTradeAuthTest, OnlyAnAdminFlagsFraud) {
  Signer owner = FundedUser(0);
  Register(owner, KoreanVin(1));
  EXPECT_REJECTED(net.Car(owner, "flag_fraud",
                          Obj({{"vin", KoreanVin(1)}, {"report_id", "r1"}, {"reason", "x"}})),
                  "only an admin may flag fraud");
  EXPECT_REJECTED(net.Car(owner, "set_config", Obj({{"auto_confirm_days", 1}})),
                  "only an admin may change");
}

// ---------------------------------------------------------------------------------------
// Listings
// ---------------------------------------------------------------------------------------

class CarTradeListingTest : public CarTradeFixture {};

TEST_F(CarTradeListingTest, ListRepriceDelistKeepPriceHistory) {
  Signer owner = FundedUser(0);
  const std::string vin = Register(owner, KoreanVin(5));
  EXPECT_REJECTED(net.Car(owner, "list", Obj({{"vin", vin}, {"price", 0}})),
                  "price: must be between 1 and");
  EXPECT_REJECTED(net.Car(owner, "list", Obj({{"vin", vin}})), "price: required");
  EXPECT_REJECTED(net.Car(owner, "reprice", Obj({{"vin", vin}, {"price", 5}})),
                  "car is not listed");
  EXPECT_REJECTED(net.Car(owner, "delist", Obj({{"vin", vin}})), "car is not listed");
  List(owner, vin, 15'000'000);
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
  EXPECT_REJECTED(net.Car(owner, "list", Obj({{"vin", vin}, {"price", 14'000'000}})),
                  "car is already listed at 15,000,000 won");
  EXPECT_REJECTED(net.Car(owner, "reprice", Obj({{"vin", vin}, {"price", 15'000'000}})),
                  "price: is already 15,000,000 won");
  auto r = net.Car(owner, "reprice", Obj({{"vin", vin}, {"price", 14'500'000}}));
  ASSERT_VALID(r);
  EXPECT_EQ(Output(r).get_int("previous"), 15'000'000);
  ASSERT_VALID(net.Car(owner, "delist", Obj({{"vin", vin}})));
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_FALSE(car.has("price"));
  ASSERT_EQ(car.get("price_history").as_array().size(), 2u);
  EXPECT_EQ(car.get("price_history").as_array()[1].get_int("price"), 14'500'000);
  ExpectChained(vin);
}

TEST_F(CarTradeListingTest, UnknownCarIsRejected) {
  Signer owner = FundedUser(0);
  EXPECT_REJECTED(net.Car(owner, "list", Obj({{"vin", KoreanVin(77)}, {"price", 1}})),
                  "vin: no car is registered");
}

TEST_F(CarTradeListingTest, FraudFlagSetsTheSummaryAndTakesTheListingDown) {
  Signer owner = FundedUser(0);
  const std::string vin = Register(owner, KoreanVin(6));
  List(owner, vin, 9'000'000);
  auto r =
      net.Car(admin(), "flag_fraud",
              Obj({{"vin", vin}, {"report_id", "rep-17"}, {"reason", "bait listing confirmed"}}));
  ASSERT_VALID(r);
  Json car = CarState(vin);
  EXPECT_TRUE(car.get("summary").get_bool("fraud"));
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_EQ(Events(vin).back().get_string("type"), "flagged_fraud");
  EXPECT_TRUE(Events(vin).back().get("data").get_bool("delisted"));
  EXPECT_REJECTED(net.Car(admin(), "flag_fraud",
                          Obj({{"vin", vin}, {"report_id", "rep-17"}, {"reason", "again"}})),
                  "report_id: report rep-17 was already recorded");
  ExpectChained(vin);
}

// ---------------------------------------------------------------------------------------
// Wallet
// ---------------------------------------------------------------------------------------

class CarTradeWalletTest : public CarTradeFixture {};

TEST_F(CarTradeWalletTest, ChargeIsCreditedOnceOnApproval) {
  Signer user = net.NewUser();
  auto req = net.Car(user, "request_charge", Obj({{"amount", 5'000'000}}));
  ASSERT_VALID(req);
  std::string id = Output(req).get_string("charge_id");
  EXPECT_EQ(id, ToHexId(req));
  EXPECT_EQ(Balance(user), 0);
  ASSERT_VALID(net.Car(admin(), "approve_charge", Obj({{"charge_id", id}})));
  EXPECT_EQ(Balance(user), 5'000'000);
  EXPECT_REJECTED(net.Car(admin(), "approve_charge", Obj({{"charge_id", id}})),
                  "charge_id: the charge is already approved");
  EXPECT_EQ(Balance(user), 5'000'000);
  EXPECT_EQ(net.State("car_trade", "stats").get_int("charged"), 5'000'000);
  EXPECT_REJECTED(net.Car(admin(), "approve_charge", Obj({{"charge_id", std::string(64, 'a')}})),
                  "charge_id: no charge request");
  EXPECT_REJECTED(net.Car(admin(), "approve_charge", Obj({{"charge_id", "xyz"}})),
                  "charge_id: must be 64 lower-case hex characters");
  EXPECT_REJECTED(net.Car(user, "request_charge", Obj({{"amount", 0}})),
                  "amount: must be between 1 and");
}

TEST_F(CarTradeWalletTest, DeclinedChargeCreditsNothing) {
  Signer user = net.NewUser();
  auto req = net.Car(user, "request_charge", Obj({{"amount", 5'000'000}}));
  std::string id = Output(req).get_string("charge_id");
  ASSERT_VALID(net.Car(admin(), "decline_charge",
                       Obj({{"charge_id", id}, {"reason", "payment not received"}})));
  EXPECT_REJECTED(net.Car(admin(), "approve_charge", Obj({{"charge_id", id}})),
                  "charge_id: the charge is already declined");
  EXPECT_EQ(Balance(user), 0);
}

TEST_F(CarTradeWalletTest, TransferMovesMoneyAndRefusesBadAmounts) {
  Signer a = FundedUser(3'000'000);
  Signer b = FundedUser(0);
  ASSERT_VALID(net.Car(a, "transfer", Obj({{"to", b.id()}, {"amount", 1'000'000}})));
  EXPECT_EQ(Balance(a), 2'000'000);
  EXPECT_EQ(Balance(b), 1'000'000);
  EXPECT_REJECTED(
      net.Car(a, "transfer", Obj({{"to", b.id()}, {"amount", 2'000'001}})),
      "amount: insufficient balance: 2,000,001 won needed, the wallet holds 2,000,000 won");
  EXPECT_REJECTED(net.Car(a, "transfer", Obj({{"to", b.id()}, {"amount", 0}})),
                  "amount: must be between 1");
  EXPECT_REJECTED(net.Car(a, "transfer", Obj({{"to", b.id()}, {"amount", -5}})),
                  "amount: must be between 1");
  EXPECT_REJECTED(net.Car(a, "transfer", Obj({{"to", a.id()}, {"amount", 1}})),
                  "to: cannot transfer to your own wallet");
  EXPECT_REJECTED(net.Car(a, "transfer", Obj({{"to", "bob"}, {"amount", 1}})),
                  "to: must be 64 lower-case hex");
  EXPECT_EQ(Balance(a) + Balance(b), 3'000'000);
}

}  // namespace
}  // namespace carledger::car_trade_test
