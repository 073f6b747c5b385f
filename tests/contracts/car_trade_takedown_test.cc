// car_trade.take_down: an administrator ends a listing after the service's report queue
// confirmed reports on it (the community rule "three confirmed reports remove a listing").
#include "tests/contracts/car_trade_fixture.h"

namespace carledger::car_trade_test {
namespace {

class CarTradeTakeDownTest : public CarTradeFixture {};

TEST_F(CarTradeTakeDownTest, AnAdminTakesAListingDownAndTheOwnerMayListAgain) {
  Signer owner = FundedUser(0);
  const std::string vin = Register(owner, KoreanVin(41));
  List(owner, vin, 12'000'000);
  auto r = net.Car(admin(), "take_down",
                   Obj({{"vin", vin}, {"reason", "three confirmed reports: bait price"}}));
  ASSERT_VALID(r);
  EXPECT_EQ(Output(r).get_string("status"), "registered");
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_FALSE(car.has("price"));
  EXPECT_FALSE(car.get("summary").get_bool("fraud"));  // not a fraud flag
  Json ev = Events(vin).back();
  EXPECT_EQ(ev.get_string("type"), "taken_down");
  EXPECT_EQ(ev.get("data").get_string("reason"), "three confirmed reports: bait price");
  EXPECT_EQ(ev.get("data").get_int("price"), 12'000'000);
  EXPECT_EQ(ev.get_string("by"), admin().id());
  ExpectChained(vin);
  // Not listed any more: a second take-down is refused; the owner may list again.
  EXPECT_REJECTED(net.Car(admin(), "take_down", Obj({{"vin", vin}, {"reason", "again"}})),
                  "car is not listed");
  List(owner, vin, 11'000'000);
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
}

TEST_F(CarTradeTakeDownTest, OnlyAnAdminTakesDownAndArgumentsAreChecked) {
  Signer owner = FundedUser(0);
  Signer agency = net.NewAgency("inspect-co");
  const std::string vin = Register(owner, KoreanVin(42));
  List(owner, vin, 5'000'000);
  EXPECT_REJECTED(net.Car(owner, "take_down", Obj({{"vin", vin}, {"reason", "mine"}})),
                  "only an admin may take a listing down");
  EXPECT_REJECTED(net.Car(agency, "take_down", Obj({{"vin", vin}, {"reason", "x"}})),
                  "only an admin may take a listing down");
  EXPECT_REJECTED(net.Car(admin(), "take_down", Obj({{"vin", vin}})), "reason: required");
  EXPECT_REJECTED(
      net.Car(admin(), "take_down", Obj({{"vin", vin}, {"reason", std::string(1001, 'a')}})),
      "reason:");
  EXPECT_REJECTED(net.Car(admin(), "take_down", Obj({{"vin", KoreanVin(99)}, {"reason", "x"}})),
                  "vin: no car is registered");
  EXPECT_REJECTED(net.Car(admin(), "take_down", Obj({{"vin", vin}, {"reason", "x"}, {"price", 1}})),
                  "price");
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
}

TEST_F(CarTradeTakeDownTest, ACarInEscrowCannotBeTakenDown) {
  Signer owner = FundedUser(0);
  Signer buyer = FundedUser(10'000'000);
  const std::string vin = Register(owner, KoreanVin(43));
  List(owner, vin, 7'000'000);
  std::string escrow = OpenEscrow(buyer, vin, 7'000'000);
  ASSERT_FALSE(escrow.empty());
  EXPECT_REJECTED(net.Car(admin(), "take_down", Obj({{"vin", vin}, {"reason", "x"}})),
                  "car is in escrow");
  EXPECT_EQ(CarState(vin).get_string("status"), "in_escrow");
}

}  // namespace
}  // namespace carledger::car_trade_test
