// ListingIndexer on a real Ledger running real car_trade transactions: after every block
// the incrementally maintained index must equal a rebuild from scratch, and the listings
// must carry the values the contract's records say (price, seller, listed_at, summary...).
#include "service/search/listing_indexer.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "tests/contracts/car_trade_fixture.h"
#include "tests/service/search/search_test_print.h"

namespace carledger::search {
namespace {

using car_trade_test::CarArgs;
using car_trade_test::CleanRecord;
using car_trade_test::KoreanVin;
using car_trade_test::Obj;
using car_trade_test::Output;
using car_trade_test::Sha256Hex;
using carledger::testing::Describe;

class ListingIndexerTest : public car_trade_test::CarTradeFixture {
 protected:
  void SetUp() override { ASSERT_TRUE(indexer.Rebuild(net.ledger()).ok()); }

  // Feeds every block committed since the last call to the indexer, one OnBlock each,
  // and checks that the index then equals a rebuild from the ledger's state.
  void Sync() {
    Ledger& l = net.ledger();
    while (index.height() < l.height()) {
      auto block = l.GetBlock(index.height());
      ASSERT_TRUE(block.ok()) << block.status().ToString();
      auto st = indexer.OnBlock(*block, l);
      ASSERT_TRUE(st.ok()) << st.ToString();
      ++blocks_applied;
    }
    ExpectEqualsRebuild();
  }

  void ExpectEqualsRebuild() {
    ListingIndex fresh;
    ListingIndexer rebuild(&fresh);
    auto st = rebuild.Rebuild(net.ledger());
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(index.height(), fresh.height());
    EXPECT_EQ(index.All(), fresh.All())
        << "incremental index differs from a rebuild at height " << net.ledger().height();
  }

  // One transaction in its own block, then Sync.
  ledger::TxResult Do(const Signer& who, const std::string& fn, const Json& args) {
    auto r = net.Car(who, fn, args);
    Sync();
    return r;
  }

  uint64_t LastHeight() { return net.ledger().height() - 1; }

  ListingIndex index;
  ListingIndexer indexer{&index};
  int blocks_applied = 0;
};

TEST_F(ListingIndexerTest, FollowsACarThroughListRepriceEscrowAndResale) {
  Signer seller = FundedUser(0);
  Signer buyer = FundedUser(100'000'000);
  Signer agency = net.NewAgency("Seoul Inspection");
  const std::string vin = KoreanVin(1);
  const std::string other = KoreanVin(2);
  ASSERT_VALID(Do(seller, "register_car", CarArgs(vin)));
  ASSERT_VALID(Do(seller, "register_car", CarArgs(other)));
  EXPECT_EQ(index.size(), 0u);  // registered is not listed

  net.Advance(60'000);
  ASSERT_VALID(Do(seller, "list", Obj({{"vin", vin}, {"price", 23'500'000}})));
  const int64_t listed_at = net.now_ms();
  auto l = index.Get(vin);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->make, "Hyundai");
  EXPECT_EQ(l->model, "Avante");
  EXPECT_EQ(l->year, 2019);
  EXPECT_EQ(l->fuel, "gasoline");
  EXPECT_EQ(l->transmission, "automatic");
  EXPECT_EQ(l->colour, "white");
  EXPECT_EQ(l->region, "Seoul");
  EXPECT_EQ(l->price, 23'500'000);
  EXPECT_EQ(l->odometer_km, 42'000);
  EXPECT_EQ(l->seller, seller.id());
  EXPECT_EQ(l->listed_at_ms, listed_at);
  EXPECT_EQ(l->photo, Sha256Hex(vin + "-front"));
  EXPECT_EQ(l->summary, ListingSummary{});
  EXPECT_EQ(l->height, LastHeight());
  EXPECT_EQ(l->event_count, 2);

  // A reprice changes the price and the height, not listed_at.
  net.Advance(60'000);
  ASSERT_VALID(Do(seller, "reprice", Obj({{"vin", vin}, {"price", 22'000'000}})));
  l = index.Get(vin);
  EXPECT_EQ(l->price, 22'000'000);
  EXPECT_EQ(l->listed_at_ms, listed_at);
  EXPECT_EQ(l->height, LastHeight());

  // Listed then delisted: in, then out.
  ASSERT_VALID(Do(seller, "list", Obj({{"vin", other}, {"price", 9'900'000}})));
  EXPECT_TRUE(index.Get(other).has_value());
  ASSERT_VALID(Do(seller, "delist", Obj({{"vin", other}})));
  EXPECT_FALSE(index.Get(other).has_value());

  // An inspection of a listed car updates its summary and odometer (a rollback here).
  ASSERT_VALID(
      Do(agency, "record_inspection", Obj({{"vin", vin}, {"record", CleanRecord(30'000)}})));
  l = index.Get(vin);
  EXPECT_EQ(l->odometer_km, 30'000);
  EXPECT_EQ(l->summary.inspections, 1);
  EXPECT_TRUE(l->summary.rollback);
  EXPECT_EQ(l->listed_at_ms, listed_at);

  // Escrow takes it out; a cancel puts it back as it was listed (same listed_at).
  auto open = Do(buyer, "open_escrow", Obj({{"vin", vin}, {"price", 22'000'000}}));
  ASSERT_VALID(open);
  EXPECT_FALSE(index.Get(vin).has_value());
  ASSERT_VALID(Do(buyer, "cancel", Obj({{"escrow_id", Output(open).get_string("escrow_id")}})));
  l = index.Get(vin);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->price, 22'000'000);
  EXPECT_EQ(l->listed_at_ms, listed_at);
  EXPECT_EQ(l->height, LastHeight());

  // Bought through escrow: out for good; the buyer lists it again as the new seller.
  open = Do(buyer, "open_escrow", Obj({{"vin", vin}, {"price", 22'000'000}}));
  ASSERT_VALID(open);
  std::string id = Output(open).get_string("escrow_id");
  ASSERT_VALID(Do(seller, "hand_over", Obj({{"escrow_id", id}})));
  EXPECT_FALSE(index.Get(vin).has_value());
  ASSERT_VALID(Do(buyer, "confirm", Obj({{"escrow_id", id}})));
  EXPECT_FALSE(index.Get(vin).has_value());
  net.Advance(60'000);
  ASSERT_VALID(Do(buyer, "list", Obj({{"vin", vin}, {"price", 25'000'000}})));
  l = index.Get(vin);
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->seller, buyer.id());
  EXPECT_EQ(l->listed_at_ms, net.now_ms());
  EXPECT_EQ(l->summary.inspections, 1);

  // A rejected transaction changes nothing.
  auto before = index.All();
  EXPECT_EQ(Do(buyer, "reprice", Obj({{"vin", vin}, {"price", 25'000'000}})).code(),
            ledger::REJECTED);
  EXPECT_EQ(index.All(), before);

  // Fraud flag delists; a relist carries the flag.
  ASSERT_VALID(Do(admin(), "flag_fraud",
                  Obj({{"vin", vin}, {"report_id", "r-1"}, {"reason", "forged papers"}})));
  EXPECT_FALSE(index.Get(vin).has_value());
  ASSERT_VALID(Do(buyer, "list", Obj({{"vin", vin}, {"price", 20'000'000}})));
  EXPECT_TRUE(index.Get(vin)->summary.fraud);

  // The index answers queries over what it followed.
  ListingQuery q;
  q.seller = buyer.id();
  auto page = index.Search(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 1u);
  EXPECT_EQ(page->height, net.ledger().height());
}

TEST_F(ListingIndexerTest, SeveralChangesToOneCarInOneBlock) {
  Signer seller = FundedUser(0);
  const std::string a = KoreanVin(10), b = KoreanVin(11);
  ASSERT_VALID(Do(seller, "register_car", CarArgs(a)));
  ASSERT_VALID(Do(seller, "register_car", CarArgs(b)));
  ASSERT_VALID(Do(seller, "list", Obj({{"vin", b}, {"price", 5'000'000}})));
  // One block: list a and reprice it, delist b, and a transaction the contract refuses.
  auto results = net.CommitBlock({
      net.Tx(seller, "car_trade", "list", Obj({{"vin", a}, {"price", 10'000'000}})),
      net.Tx(seller, "car_trade", "reprice", Obj({{"vin", a}, {"price", 9'000'000}})),
      net.Tx(seller, "car_trade", "delist", Obj({{"vin", b}})),
      net.Tx(seller, "car_trade", "delist", Obj({{"vin", b}})),
  });
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[3].code(), ledger::REJECTED);
  Sync();
  ASSERT_TRUE(index.Get(a).has_value());
  EXPECT_EQ(index.Get(a)->price, 9'000'000);
  EXPECT_EQ(index.Get(a)->listed_at_ms, net.now_ms());
  EXPECT_FALSE(index.Get(b).has_value());
  EXPECT_EQ(index.size(), 1u);
}

TEST_F(ListingIndexerTest, MissedBlocksAreReadFromTheLedgerAndOldOnesIgnored) {
  Signer seller = FundedUser(0);
  for (int i = 0; i < 5; ++i) {
    std::string vin = KoreanVin(20 + i);
    ASSERT_VALID(net.Car(seller, "register_car", CarArgs(vin)));
    ASSERT_VALID(net.Car(seller, "list", Obj({{"vin", vin}, {"price", 1'000'000 * (i + 1)}})));
  }
  ASSERT_VALID(net.Car(seller, "delist", Obj({{"vin", KoreanVin(22)}})));
  // Only the latest block is offered: the ones before it are fetched.
  auto last = net.ledger().GetBlock(LastHeight());
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(indexer.OnBlock(*last, net.ledger()).ok());
  EXPECT_EQ(index.height(), net.ledger().height());
  EXPECT_EQ(index.size(), 4u);
  ExpectEqualsRebuild();
  // Offering an old block again changes nothing.
  auto old = net.ledger().GetBlock(1);
  ASSERT_TRUE(old.ok());
  ASSERT_TRUE(indexer.OnBlock(*old, net.ledger()).ok());
  EXPECT_EQ(index.height(), net.ledger().height());
  ExpectEqualsRebuild();
  // CatchUp after a restart.
  ASSERT_VALID(net.Car(seller, "delist", Obj({{"vin", KoreanVin(23)}})));
  net.Reopen();
  ASSERT_TRUE(indexer.CatchUp(net.ledger()).ok());
  EXPECT_EQ(index.size(), 3u);
  ExpectEqualsRebuild();
}

TEST_F(ListingIndexerTest, ReadListingAndParseCarRecord) {
  Signer seller = FundedUser(0);
  const std::string vin = KoreanVin(30);
  ASSERT_VALID(net.Car(seller, "register_car", CarArgs(vin)));
  auto none = ReadListing(net.ledger(), vin);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(ReadListing(net.ledger(), KoreanVin(31))->has_value());  // unknown car
  ASSERT_VALID(net.Car(seller, "list", Obj({{"vin", vin}, {"price", 7'000'000}})));
  auto l = ReadListing(net.ledger(), vin);
  ASSERT_TRUE(l.ok() && l->has_value());
  EXPECT_EQ((*l)->listed_at_ms, net.now_ms());
  EXPECT_EQ((*l)->height, LastHeight());
  EXPECT_FALSE(ParseCarRecord("[1]").ok());
  EXPECT_FALSE(ParseCarRecord("{\"status\":\"listed\"}").ok());
  EXPECT_FALSE(ParseCarRecord("not json").ok());
}

// Random traders doing random things (many refused by the contract), a few transactions
// per block; after every block the index equals a rebuild.
TEST_F(ListingIndexerTest, RandomTradingEqualsRebuildAfterEveryBlock) {
  std::mt19937_64 rng(20260301);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  std::vector<Signer> users;
  for (int i = 0; i < 4; ++i) users.push_back(FundedUser(200'000'000));
  Signer agency = net.NewAgency("Busan Inspection");
  std::vector<std::string> vins;
  for (int i = 0; i < 10; ++i) {
    vins.push_back(KoreanVin(100 + i));
    ASSERT_VALID(net.Car(users[i % 4], "register_car", CarArgs(vins.back(), 40'000 + i)));
  }
  Sync();
  std::vector<std::string> escrows;
  std::map<std::string, int> valid;  // function -> valid transactions
  size_t max_listed = 0;
  // Mostly the car's owner, sometimes anyone (the contract refuses strangers).
  auto owner_or_anyone = [&](const std::string& vin) -> const Signer& {
    std::string owner = CarState(vin).get_string("owner");
    for (const Signer& u : users) {
      if (u.id() == owner && pick(5) != 0) return u;
    }
    return users[pick(users.size())];
  };
  for (int block = 0; block < 150; ++block) {
    std::vector<ledger::TxEnvelope> txs;
    std::vector<std::string> fns;
    auto add = [&](const Signer& who, const std::string& fn, const Json& args) {
      txs.push_back(net.Tx(who, "car_trade", fn, args));
      fns.push_back(fn);
    };
    const size_t n = 1 + pick(4);
    for (size_t t = 0; t < n; ++t) {
      const std::string& vin = vins[pick(vins.size())];
      const int64_t price = 10'000'000 + 1'000'000 * static_cast<int64_t>(pick(10));
      switch (pick(9)) {
        case 0:
        case 1:
          add(owner_or_anyone(vin), "list", Obj({{"vin", vin}, {"price", price}}));
          break;
        case 2:
          add(owner_or_anyone(vin), "reprice", Obj({{"vin", vin}, {"price", price}}));
          break;
        case 3:
          add(owner_or_anyone(vin), "delist", Obj({{"vin", vin}}));
          break;
        case 4: {
          // At the listed price, so that escrows do open.
          int64_t listed = CarState(vin).get_int("price", price);
          add(users[pick(users.size())], "open_escrow", Obj({{"vin", vin}, {"price", listed}}));
          break;
        }
        case 5:
        case 6:
        case 7: {
          if (escrows.empty()) break;
          const std::string& id = escrows[pick(escrows.size())];
          Json e = Escrow(id);
          static const char* kSteps[] = {"hand_over", "confirm", "cancel"};
          const char* step = kSteps[pick(3)];
          // The party the step needs, mostly; the contract refuses the wrong ones.
          std::string party = std::string(step) == "confirm" || pick(2) ? e.get_string("buyer")
                                                                        : e.get_string("seller");
          for (const Signer& u : users) {
            if (u.id() == party) add(u, step, Obj({{"escrow_id", id}}));
          }
          break;
        }
        default:
          add(agency, "record_inspection",
              Obj({{"vin", vin},
                   {"record", CleanRecord(30'000 + 1000 * static_cast<int64_t>(pick(30)))}}));
      }
    }
    if (txs.empty()) continue;
    net.Advance(1000 * static_cast<int64_t>(pick(5)));
    auto results = net.CommitBlock(txs);
    ASSERT_EQ(results.size(), txs.size());
    for (size_t i = 0; i < results.size(); ++i) {
      if (results[i].code() != ledger::VALID) continue;
      ++valid[fns[i]];
      if (fns[i] == "open_escrow") escrows.push_back(Output(results[i]).get_string("escrow_id"));
    }
    Sync();
    if (HasFailure()) return;
    max_listed = std::max(max_listed, index.size());
  }
  // The run did exercise every path into and out of the index.
  EXPECT_GE(max_listed, 4u);
  for (const char* fn : {"list", "reprice", "delist", "open_escrow", "hand_over", "confirm",
                         "cancel", "record_inspection"}) {
    EXPECT_GE(valid[fn], 1) << fn;
  }
  EXPECT_GE(blocks_applied, 150);
}

}  // namespace
}  // namespace carledger::search
