// PartyIndex (service/api): kept block by block from the contract's events, it says the
// same as a rebuild from the world state: who owns which car (registered, bought), whose
// trades they are. The node serves "my cars" and "my trades" from it.
#include "service/api/party_index.h"

#include <algorithm>

#include "tests/contracts/car_trade_fixture.h"

namespace carledger::car_trade_test {
namespace {

class PartyIndexTest : public CarTradeFixture {
 protected:
  // Feeds `index` every block committed since the last call.
  void Follow(api::PartyIndex* index) {
    for (; fed_ < net.ledger().height(); ++fed_) {
      auto block = net.ledger().GetBlock(fed_);
      ASSERT_TRUE(block.ok()) << block.status().ToString();
      ASSERT_TRUE(index->OnBlock(*block, net.ledger()).ok());
    }
  }
  static std::vector<std::string> Cars(const api::PartyIndex& index, const std::string& wallet) {
    auto page = index.Cars(wallet, 100, "");
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->ids : std::vector<std::string>{};
  }
  static std::vector<std::string> Trades(const api::PartyIndex& index, const std::string& wallet) {
    auto page = index.Trades(wallet, 100, "");
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    return page.ok() ? page->ids : std::vector<std::string>{};
  }
  uint64_t fed_ = 0;
};

TEST_F(PartyIndexTest, CarsFollowRegistrationAndSaleAndAgreeWithARebuild) {
  Signer seller = FundedUser(0);
  Signer buyer = FundedUser(30'000'000);
  api::PartyIndex live;
  const std::string sold = Register(seller, KoreanVin(1));
  const std::string kept = Register(seller, KoreanVin(2));
  List(seller, sold, 20'000'000);
  Follow(&live);
  std::vector<std::string> both = {sold, kept};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(Cars(live, seller.id()), both);
  EXPECT_TRUE(Cars(live, buyer.id()).empty());

  const std::string escrow = OpenEscrow(buyer, sold, 20'000'000);
  ASSERT_FALSE(escrow.empty());
  EXPECT_VALID(EscrowCall(seller, "hand_over", escrow));
  Follow(&live);
  EXPECT_EQ(Cars(live, seller.id()), both);  // not the buyer's until confirmed
  EXPECT_VALID(EscrowCall(buyer, "confirm", escrow));
  Follow(&live);
  EXPECT_EQ(Cars(live, buyer.id()), std::vector<std::string>{sold});
  EXPECT_EQ(Cars(live, seller.id()), std::vector<std::string>{kept});
  EXPECT_EQ(Trades(live, buyer.id()), std::vector<std::string>{escrow});
  EXPECT_EQ(Trades(live, seller.id()), std::vector<std::string>{escrow});

  // A restarted node rebuilds the same index from the state.
  api::PartyIndex rebuilt;
  ASSERT_TRUE(rebuilt.Rebuild(net.ledger()).ok());
  for (const Signer* who : {&seller, &buyer}) {
    EXPECT_EQ(Cars(rebuilt, who->id()), Cars(live, who->id()));
    EXPECT_EQ(Trades(rebuilt, who->id()), Trades(live, who->id()));
  }
  // Pages of one car: the token resumes after the last VIN.
  auto first = live.Cars(seller.id(), 1, "");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->next_page_token.empty());  // one car: nothing more
  EXPECT_EQ(live.Cars(seller.id(), 1, "!!").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace carledger::car_trade_test
