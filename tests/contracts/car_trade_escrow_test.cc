// car_trade escrow ("pay after confirming"): the happy path, every unhappy path, and 50
// buyers racing for one car in one block.
#include <gtest/gtest.h>

#include "tests/contracts/car_trade_fixture.h"

namespace carledger::car_trade_test {
namespace {

constexpr int64_t kPrice = 23'500'000;

class CarTradeEscrowTest : public CarTradeFixture {
 protected:
  void SetUp() override {
    seller = FundedUser(0);
    buyer = FundedUser(30'000'000);
    stranger = FundedUser(30'000'000);
    Register(seller, vin);
    List(seller, vin, kPrice);
  }

  // Opens the standard escrow (buyer, listed price) and returns its id.
  std::string Open() { return OpenEscrow(buyer, vin, kPrice); }

  std::string OpenAndHandOver() {
    std::string id = Open();
    EXPECT_VALID(EscrowCall(seller, "hand_over", id));
    return id;
  }

  // The money in the system: every wallet here plus what escrows hold.
  int64_t Total() { return Balance(seller) + Balance(buyer) + Balance(stranger) + Locked(); }

  Signer seller;
  Signer buyer;
  Signer stranger;
  const std::string vin = KoreanVin(100);
};

TEST_F(CarTradeEscrowTest, HappyPathOpenHandOverConfirm) {
  auto open = net.Car(buyer, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}}));
  ASSERT_VALID(open);
  std::string id = Output(open).get_string("escrow_id");
  EXPECT_EQ(id, ToHexId(open));
  Json e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "FUNDED");
  EXPECT_EQ(e.get_string("buyer"), buyer.id());
  EXPECT_EQ(e.get_string("seller"), seller.id());
  EXPECT_EQ(e.get_int("price"), kPrice);
  EXPECT_EQ(CarState(vin).get_string("status"), "in_escrow");
  EXPECT_EQ(CarState(vin).get_string("escrow"), id);
  EXPECT_EQ(Balance(buyer), 30'000'000 - kPrice);
  EXPECT_EQ(Locked(), kPrice);

  auto handed = EscrowCall(seller, "hand_over", id);
  ASSERT_VALID(handed);
  e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "HANDED_OVER");
  EXPECT_EQ(e.get_int("deadline"), e.get_int("handed_over_at") + 7 * kDayMs);

  ASSERT_VALID(EscrowCall(buyer, "confirm", id));
  e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "COMPLETED");
  EXPECT_EQ(e.get_string("outcome"), "confirm");
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("owner"), buyer.id());
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_FALSE(car.has("escrow"));
  EXPECT_EQ(car.get("summary").get_int("owners"), 2);
  EXPECT_EQ(Balance(seller), kPrice);
  EXPECT_EQ(Locked(), 0);
  EXPECT_EQ(Total(), 60'000'000);
  // A closed escrow cannot be used again.
  EXPECT_REJECTED(EscrowCall(buyer, "confirm", id),
                  "escrow is COMPLETED; confirm needs HANDED_OVER");
  EXPECT_REJECTED(EscrowCall(buyer, "cancel", id), "escrow is COMPLETED; cancel needs FUNDED");
  ExpectChained(vin);
}

TEST_F(CarTradeEscrowTest, CancelByBuyerRefundsAndRelists) {
  std::string id = Open();
  auto r = EscrowCall(buyer, "cancel", id);
  ASSERT_VALID(r);
  EXPECT_EQ(Escrow(id).get_string("status"), "CANCELLED");
  EXPECT_EQ(Escrow(id).get_string("cancelled_by"), "buyer");
  EXPECT_EQ(Balance(buyer), 30'000'000);
  EXPECT_EQ(Locked(), 0);
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("status"), "listed");
  EXPECT_EQ(car.get_int("price"), kPrice);
  EXPECT_EQ(car.get_string("owner"), seller.id());
  EXPECT_EQ(Events(vin).back().get_string("type"), "escrow_cancelled");
  // The car can be bought again.
  EXPECT_FALSE(OpenEscrow(stranger, vin, kPrice).empty());
}

TEST_F(CarTradeEscrowTest, CancelBySellerRefundsAndRelists) {
  std::string id = Open();
  ASSERT_VALID(EscrowCall(seller, "cancel", id));
  EXPECT_EQ(Escrow(id).get_string("cancelled_by"), "seller");
  EXPECT_EQ(Balance(buyer), 30'000'000);
  EXPECT_EQ(Balance(seller), 0);
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
  EXPECT_EQ(Total(), 60'000'000);
}

TEST_F(CarTradeEscrowTest, CancelByAStrangerIsRefused) {
  std::string id = Open();
  EXPECT_REJECTED(EscrowCall(stranger, "cancel", id), "only the buyer or the seller may cancel");
  EXPECT_EQ(Escrow(id).get_string("status"), "FUNDED");
}

TEST_F(CarTradeEscrowTest, CancelAfterHandOverIsRefused) {
  std::string id = OpenAndHandOver();
  EXPECT_REJECTED(EscrowCall(buyer, "cancel", id), "cancel is only possible before hand-over");
  EXPECT_REJECTED(EscrowCall(seller, "cancel", id), "cancel is only possible before hand-over");
  EXPECT_EQ(Escrow(id).get_string("status"), "HANDED_OVER");
  EXPECT_EQ(Locked(), kPrice);
}

TEST_F(CarTradeEscrowTest, DisputeThenResolveRefund) {
  std::string id = OpenAndHandOver();
  EXPECT_REJECTED(net.Car(buyer, "dispute", Obj({{"escrow_id", id}})), "reason: required");
  EXPECT_REJECTED(net.Car(seller, "dispute", Obj({{"escrow_id", id}, {"reason", "x"}})),
                  "only the buyer may dispute");
  ASSERT_VALID(net.Car(buyer, "dispute",
                       Obj({{"escrow_id", id}, {"reason", "odometer differs from the listing"}})));
  EXPECT_EQ(Escrow(id).get_string("status"), "DISPUTED");
  // While disputed, neither confirm nor auto-confirm nor cancel moves money.
  EXPECT_REJECTED(EscrowCall(buyer, "confirm", id),
                  "escrow is DISPUTED; confirm needs HANDED_OVER");
  net.Advance(8 * kDayMs);
  EXPECT_REJECTED(EscrowCall(stranger, "auto_confirm", id), "escrow is DISPUTED");
  // Only an admin resolves.
  EXPECT_REJECTED(net.Car(seller, "resolve", Obj({{"escrow_id", id}, {"outcome", "release"}})),
                  "only an admin may resolve a dispute");
  EXPECT_REJECTED(net.Car(admin(), "resolve", Obj({{"escrow_id", id}, {"outcome", "split"}})),
                  "outcome: must be one of refund, release");
  ASSERT_VALID(net.Car(admin(), "resolve",
                       Obj({{"escrow_id", id}, {"outcome", "refund"}, {"note", "seller agreed"}})));
  Json e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "REFUNDED");
  EXPECT_EQ(e.get_string("resolved_by"), admin().id());
  EXPECT_EQ(Balance(buyer), 30'000'000);
  EXPECT_EQ(Balance(seller), 0);
  EXPECT_EQ(Locked(), 0);
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("owner"), seller.id());
  EXPECT_EQ(car.get_string("status"), "registered");
  EXPECT_FALSE(car.has("price"));
  EXPECT_EQ(car.get("summary").get_int("owners"), 1);
  EXPECT_EQ(Events(vin).back().get_string("type"), "refunded");
  EXPECT_REJECTED(net.Car(admin(), "resolve", Obj({{"escrow_id", id}, {"outcome", "refund"}})),
                  "escrow is REFUNDED; resolve needs DISPUTED");
  ExpectChained(vin);
}

TEST_F(CarTradeEscrowTest, DisputeThenResolveRelease) {
  std::string id = OpenAndHandOver();
  ASSERT_VALID(
      net.Car(buyer, "dispute", Obj({{"escrow_id", id}, {"reason", "scratch not disclosed"}})));
  ASSERT_VALID(net.Car(admin(), "resolve", Obj({{"escrow_id", id}, {"outcome", "release"}})));
  Json e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "COMPLETED");
  EXPECT_EQ(e.get_string("outcome"), "resolve");
  EXPECT_EQ(Balance(seller), kPrice);
  EXPECT_EQ(Locked(), 0);
  EXPECT_EQ(CarState(vin).get_string("owner"), buyer.id());
  EXPECT_EQ(Summary(vin).get_int("owners"), 2);
  EXPECT_EQ(Events(vin).back().get("data").get_string("via"), "resolve");
}

TEST_F(CarTradeEscrowTest, DisputeAfterDeadlineIsRefused) {
  std::string id = OpenAndHandOver();
  net.Advance(7 * kDayMs + 1);
  EXPECT_REJECTED(net.Car(buyer, "dispute", Obj({{"escrow_id", id}, {"reason", "too late"}})),
                  "escrow: the dispute window closed");
  EXPECT_EQ(Escrow(id).get_string("status"), "HANDED_OVER");
  // The buyer may still confirm.
  EXPECT_VALID(EscrowCall(buyer, "confirm", id));
}

TEST_F(CarTradeEscrowTest, AutoConfirmBeforeDeadlineIsRefusedAfterItSucceeds) {
  std::string id = Open();
  EXPECT_REJECTED(EscrowCall(stranger, "auto_confirm", id),
                  "escrow is FUNDED; auto_confirm needs HANDED_OVER");
  ASSERT_VALID(EscrowCall(seller, "hand_over", id));
  net.Advance(6 * kDayMs);
  EXPECT_REJECTED(EscrowCall(stranger, "auto_confirm", id),
                  "escrow: the confirmation deadline has not passed");
  EXPECT_EQ(Escrow(id).get_string("status"), "HANDED_OVER");
  net.Advance(kDayMs);
  // Anyone may call it once the deadline passed.
  ASSERT_VALID(EscrowCall(stranger, "auto_confirm", id));
  Json e = Escrow(id);
  EXPECT_EQ(e.get_string("status"), "COMPLETED");
  EXPECT_EQ(e.get_string("outcome"), "auto_confirm");
  EXPECT_EQ(CarState(vin).get_string("owner"), buyer.id());
  EXPECT_EQ(Balance(seller), kPrice);
  EXPECT_EQ(Balance(stranger), 30'000'000);
  EXPECT_EQ(Locked(), 0);
}

TEST_F(CarTradeEscrowTest, AutoConfirmDaysComeFromTheConfig) {
  ASSERT_VALID(net.Car(admin(), "set_config", Obj({{"auto_confirm_days", 3}})));
  EXPECT_REJECTED(net.Car(admin(), "set_config", Obj({{"auto_confirm_days", 0}})),
                  "auto_confirm_days: must be between 1 and 90");
  std::string id = OpenAndHandOver();
  Json e = Escrow(id);
  EXPECT_EQ(e.get_int("deadline"), e.get_int("handed_over_at") + 3 * kDayMs);
  net.Advance(3 * kDayMs);
  EXPECT_VALID(EscrowCall(stranger, "auto_confirm", id));
}

TEST_F(CarTradeEscrowTest, ConfirmByANonBuyerIsRefused) {
  std::string id = OpenAndHandOver();
  EXPECT_REJECTED(EscrowCall(seller, "confirm", id), "only the buyer may confirm the purchase");
  EXPECT_REJECTED(EscrowCall(stranger, "confirm", id), "only the buyer may confirm the purchase");
  EXPECT_EQ(Escrow(id).get_string("status"), "HANDED_OVER");
  EXPECT_EQ(CarState(vin).get_string("owner"), seller.id());
}

TEST_F(CarTradeEscrowTest, ConfirmBeforeHandOverIsRefused) {
  std::string id = Open();
  EXPECT_REJECTED(EscrowCall(buyer, "confirm", id), "escrow is FUNDED; confirm needs HANDED_OVER");
}

TEST_F(CarTradeEscrowTest, HandOverByANonSellerIsRefused) {
  std::string id = Open();
  EXPECT_REJECTED(EscrowCall(buyer, "hand_over", id), "only the seller may hand the car over");
  ASSERT_VALID(EscrowCall(seller, "hand_over", id));
  EXPECT_REJECTED(EscrowCall(seller, "hand_over", id),
                  "escrow is HANDED_OVER; hand-over needs FUNDED");
}

TEST_F(CarTradeEscrowTest, InsufficientBalanceIsRefused) {
  Signer poor = FundedUser(kPrice - 1);
  auto r = net.Car(poor, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}}));
  EXPECT_REJECTED(
      r, "price: insufficient balance: 23,500,000 won needed, the wallet holds 23,499,999 won");
  EXPECT_EQ(Balance(poor), kPrice - 1);
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
  EXPECT_EQ(Locked(), 0);
}

TEST_F(CarTradeEscrowTest, PriceMismatchIsRefused) {
  // The seller reprices between the buyer reading the listing and buying.
  auto stale = net.Tx(buyer, "car_trade", "open_escrow", Obj({{"vin", vin}, {"price", kPrice}}));
  auto reprice = net.Tx(seller, "car_trade", "reprice", Obj({{"vin", vin}, {"price", 24'000'000}}));
  auto results = net.CommitBlock({reprice, stale});
  ASSERT_VALID(results[0]);
  EXPECT_REJECTED(results[1],
                  "price: must equal the listed price 24,000,000 won, got 23,500,000 won");
  EXPECT_EQ(Balance(buyer), 30'000'000);
  EXPECT_EQ(CarState(vin).get_string("status"), "listed");
}

TEST_F(CarTradeEscrowTest, OwnerBuyingOwnCarIsRefused) {
  Fund(seller, 30'000'000);
  EXPECT_REJECTED(net.Car(seller, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}})),
                  "you own this car and cannot buy it");
  EXPECT_EQ(Balance(seller), 30'000'000);
}

TEST_F(CarTradeEscrowTest, UnlistedCarCannotBeBought) {
  ASSERT_VALID(net.Car(seller, "delist", Obj({{"vin", vin}})));
  EXPECT_REJECTED(net.Car(buyer, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}})),
                  "car is not listed for sale");
}

TEST_F(CarTradeEscrowTest, ListingChangesWhileInEscrowAreRefused) {
  std::string id = Open();
  EXPECT_REJECTED(net.Car(seller, "delist", Obj({{"vin", vin}})), "car is in escrow");
  EXPECT_REJECTED(net.Car(seller, "reprice", Obj({{"vin", vin}, {"price", 1'000'000}})),
                  "car is in escrow");
  EXPECT_REJECTED(net.Car(seller, "list", Obj({{"vin", vin}, {"price", 1'000'000}})),
                  "car is in escrow");
  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("status"), "in_escrow");
  EXPECT_EQ(car.get_int("price"), kPrice);
  EXPECT_EQ(Escrow(id).get_string("status"), "FUNDED");
}

TEST_F(CarTradeEscrowTest, ACarInEscrowCannotBeSoldTwice) {
  std::string id = Open();
  EXPECT_REJECTED(net.Car(stranger, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}})),
                  "car is already in escrow");
  EXPECT_REJECTED(net.Car(buyer, "open_escrow", Obj({{"vin", vin}, {"price", kPrice}})),
                  "car is already in escrow");
  EXPECT_EQ(Balance(stranger), 30'000'000);
  EXPECT_EQ(Locked(), kPrice);
  EXPECT_EQ(CarState(vin).get_string("escrow"), id);
}

TEST_F(CarTradeEscrowTest, UnknownEscrowIsRefused) {
  EXPECT_REJECTED(EscrowCall(buyer, "confirm", std::string(64, '0')), "escrow_id: no escrow");
  EXPECT_REJECTED(EscrowCall(buyer, "confirm", "nope"),
                  "escrow_id: must be 64 lower-case hex characters");
}

// ---------------------------------------------------------------------------------------
// 50 buyers, one car, one block
// ---------------------------------------------------------------------------------------

class CarTradeRaceTest : public CarTradeFixture {};

TEST_F(CarTradeRaceTest, FiftyBuyersInOneBlockGetExactlyOneEscrow) {
  constexpr int kBuyers = 50;
  constexpr int64_t kFunds = 20'000'000;
  constexpr int64_t kCarPrice = 18'900'000;
  Signer seller = FundedUser(0);
  const std::string vin = Register(seller, kNorthAmericanVin);
  List(seller, vin, kCarPrice);

  // Fund 50 buyers: one block of requests, one block of approvals.
  std::vector<Signer> buyers;
  std::vector<ledger::TxEnvelope> requests;
  for (int i = 0; i < kBuyers; ++i) {
    buyers.push_back(net.NewUser());
    requests.push_back(
        net.Tx(buyers.back(), "car_trade", "request_charge", Obj({{"amount", kFunds}})));
  }
  std::vector<ledger::TxEnvelope> approvals;
  for (const auto& r : net.CommitBlock(requests)) {
    ASSERT_VALID(r);
    approvals.push_back(
        net.Tx(admin(), "car_trade", "approve_charge", Obj({{"charge_id", ToHex(r.tx_id())}})));
  }
  for (const auto& r : net.CommitBlock(approvals)) ASSERT_VALID(r);

  std::vector<ledger::TxEnvelope> race;
  for (const auto& b : buyers) {
    race.push_back(
        net.Tx(b, "car_trade", "open_escrow", Obj({{"vin", vin}, {"price", kCarPrice}})));
  }
  auto results = net.CommitBlock(race);
  ASSERT_EQ(results.size(), static_cast<size_t>(kBuyers));
  int valid = 0;
  int winner = -1;
  for (int i = 0; i < kBuyers; ++i) {
    const auto& r = results[static_cast<size_t>(i)];
    if (r.code() == ledger::VALID) {
      ++valid;
      winner = i;
    } else {
      EXPECT_EQ(r.code(), ledger::REJECTED) << Describe(r);
      EXPECT_TRUE(Contains(r.reason(), "car is already in escrow")) << r.reason();
    }
  }
  ASSERT_EQ(valid, 1);
  // Order, then execute: the first in the block wins, deterministically.
  EXPECT_EQ(winner, 0);

  Json car = CarState(vin);
  EXPECT_EQ(car.get_string("status"), "in_escrow");
  EXPECT_EQ(Escrow(car.get_string("escrow")).get_string("buyer"), buyers[0].id());
  EXPECT_EQ(Locked(), kCarPrice);
  int locked_buyers = 0;
  for (int i = 0; i < kBuyers; ++i) {
    int64_t b = Balance(buyers[static_cast<size_t>(i)]);
    if (b == kFunds - kCarPrice) {
      ++locked_buyers;
      EXPECT_EQ(i, winner);
    } else {
      EXPECT_EQ(b, kFunds) << "buyer " << i;
    }
  }
  EXPECT_EQ(locked_buyers, 1);
  // Only one escrow record exists.
  auto escrows = net.ledger().RangeState("c/car_trade/escrow/", "c/car_trade/escrow0", 1000);
  ASSERT_TRUE(escrows.ok());
  EXPECT_EQ(escrows->size(), 1u);
  EXPECT_EQ(car.get_int("event_count"), 3);  // registered, listed, escrow_opened
}

}  // namespace
}  // namespace carledger::car_trade_test
