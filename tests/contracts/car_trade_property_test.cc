// car_trade property test: thousands of random transactions (many of which must fail) over
// a few dozen blocks; after every block no money has been made or lost, no balance is
// negative, the escrow total matches the open escrows, and every car's state agrees with
// its escrows. At the end every car's event chain verifies and its owner count matches its
// sales.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

#include "tests/contracts/car_trade_fixture.h"

namespace carledger::car_trade_test {
namespace {

constexpr int kUsers = 20;
constexpr int kBlocks = 30;
constexpr int kTxsPerBlock = 100;

class CarTradePropertyTest : public CarTradeFixture {
 protected:
  std::vector<std::pair<std::string, Json>> Scan(const std::string& prefix) {
    std::string start = "c/car_trade/" + prefix + "/";
    std::string end = "c/car_trade/" + prefix + "0";
    auto rows = net.ledger().RangeState(start, end, 100000);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    std::vector<std::pair<std::string, Json>> out;
    if (!rows.ok()) return out;
    for (auto& [k, v] : *rows) {
      auto j = Json::Parse(v);
      EXPECT_TRUE(j.ok());
      out.emplace_back(k.substr(start.size()), j.ok() ? *j : Json());
    }
    return out;
  }

  static bool Open(const Json& e) {
    const std::string& s = e.get_string("status");
    return s == "FUNDED" || s == "HANDED_OVER" || s == "DISPUTED";
  }

  // The invariants, checked after every block.
  void CheckMoney(int64_t total, int block) {
    int64_t wallets = 0;
    for (const auto& [id, w] : Scan("wallet")) {
      int64_t b = w.get_int("balance");
      EXPECT_GE(b, 0) << "wallet " << id << " after block " << block;
      wallets += b;
    }
    Json stats = net.State("car_trade", "stats");
    int64_t locked = stats.get_int("escrow_locked");
    EXPECT_GE(locked, 0);
    EXPECT_EQ(wallets + locked, total) << "money changed in block " << block;
    EXPECT_EQ(stats.get_int("charged"), total);

    int64_t open_sum = 0;
    std::map<std::string, std::string> open_by_vin;
    for (const auto& [id, e] : Scan("escrow")) {
      if (!Open(e)) continue;
      open_sum += e.get_int("price");
      EXPECT_EQ(open_by_vin.count(e.get_string("vin")), 0u) << "two open escrows for one car";
      open_by_vin[e.get_string("vin")] = id;
    }
    EXPECT_EQ(open_sum, locked) << "after block " << block;
    for (const auto& [vin, car] : Scan("car")) {
      bool in_escrow = car.get_string("status") == "in_escrow";
      EXPECT_EQ(in_escrow, open_by_vin.count(vin) == 1) << vin << " after block " << block;
      if (in_escrow) {
        EXPECT_EQ(car.get_string("escrow"), open_by_vin[vin]);
      }
      if (car.get_string("status") == "listed" || in_escrow) {
        EXPECT_GT(car.get_int("price"), 0);
      }
    }
  }
};

TEST_F(CarTradePropertyTest, RandomTradingConservesMoney) {
  std::mt19937 rng(20260301);
  auto pick = [&](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  auto chance = [&](int percent) { return pick(100) < percent; };
  auto amount = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };

  // A pool of traders with approved charges.
  std::vector<Signer> users;
  std::map<std::string, int> index_of;
  std::vector<ledger::TxEnvelope> requests;
  for (int i = 0; i < kUsers; ++i) {
    users.push_back(net.NewUser());
    index_of[users.back().id()] = i;
    requests.push_back(net.Tx(users.back(), "car_trade", "request_charge",
                              Obj({{"amount", amount(5, 80) * 1'000'000}})));
  }
  std::vector<ledger::TxEnvelope> approvals;
  for (const auto& r : net.CommitBlock(requests)) {
    ASSERT_VALID(r);
    approvals.push_back(
        net.Tx(admin(), "car_trade", "approve_charge", Obj({{"charge_id", ToHex(r.tx_id())}})));
  }
  for (const auto& r : net.CommitBlock(approvals)) ASSERT_VALID(r);
  // A short inspection period, so that some escrows reach their deadline during the run.
  ASSERT_VALID(net.Car(admin(), "set_config", Obj({{"auto_confirm_days", 1}})));
  const int64_t total = net.State("car_trade", "stats").get_int("charged");
  ASSERT_GT(total, 0);
  CheckMoney(total, 0);

  int next_vin = 1;
  std::map<std::string, std::pair<int, int>> outcomes;  // function -> (valid, rejected)
  auto user = [&]() -> const Signer& { return users[static_cast<size_t>(pick(kUsers))]; };
  auto by_id = [&](const std::string& id) -> const Signer& {
    auto it = index_of.find(id);
    return it == index_of.end() ? user() : users[static_cast<size_t>(it->second)];
  };

  for (int block = 1; block <= kBlocks; ++block) {
    // Snapshot of the state the clients see before sending.
    std::vector<Json> cars;
    for (auto& [vin, car] : Scan("car")) cars.push_back(car);  // sorted by VIN: deterministic
    std::vector<Json> open;
    for (auto& [id, e] : Scan("escrow")) {
      if (Open(e)) open.push_back(e);
    }
    std::sort(open.begin(), open.end(), [](const Json& a, const Json& b) {
      return a.get_string("vin") < b.get_string("vin");
    });
    auto some_car = [&]() -> const Json& {
      return cars[static_cast<size_t>(pick(static_cast<int>(cars.size())))];
    };
    auto some_escrow = [&]() -> const Json& {
      return open[static_cast<size_t>(pick(static_cast<int>(open.size())))];
    };
    // Mostly an escrow in `status` (as of the snapshot), sometimes any open one.
    auto escrow_in = [&](const std::string& status) -> const Json& {
      std::vector<const Json*> in;
      for (const auto& e : open) {
        if (e.get_string("status") == status) in.push_back(&e);
      }
      if (in.empty() || chance(20)) return some_escrow();
      return *in[static_cast<size_t>(pick(static_cast<int>(in.size())))];
    };

    std::vector<ledger::TxEnvelope> txs;
    std::vector<std::string> fns;
    auto add = [&](const Signer& who, const std::string& fn, const Json& args, bool front = false) {
      txs.insert(front ? txs.begin() : txs.end(), net.Tx(who, "car_trade", fn, args));
      fns.insert(front ? fns.begin() : fns.end(), fn);
    };
    while (static_cast<int>(txs.size()) < kTxsPerBlock) {
      int op = pick(100);
      if (op < 18) {  // transfer, sometimes to oneself, sometimes too much or nothing
        const Signer& from = user();
        const Signer& to = chance(5) ? from : user();
        int64_t amt = chance(5) ? 0 : amount(1, 40) * 1'000'000;
        add(from, "transfer", Obj({{"to", to.id()}, {"amount", amt}}));
      } else if (op < 26 || cars.empty()) {  // register, sometimes a VIN that exists
        std::string vin =
            (chance(10) && !cars.empty()) ? some_car().get_string("vin") : KoreanVin(next_vin++);
        add(user(), "register_car", CarArgs(vin, amount(0, 200'000)));
      } else if (op < 36) {  // list, mostly by the owner
        const Json& car = some_car();
        const Signer& who = chance(85) ? by_id(car.get_string("owner")) : user();
        int64_t price = chance(3) ? 0 : amount(3, 45) * 1'000'000;
        add(who, "list", Obj({{"vin", car.get_string("vin")}, {"price", price}}));
      } else if (op < 41) {  // reprice
        const Json& car = some_car();
        add(by_id(car.get_string("owner")), "reprice",
            Obj({{"vin", car.get_string("vin")}, {"price", amount(3, 45) * 1'000'000}}));
      } else if (op < 44) {  // delist
        const Json& car = some_car();
        add(chance(90) ? by_id(car.get_string("owner")) : user(), "delist",
            Obj({{"vin", car.get_string("vin")}}));
      } else if (op < 64) {  // open an escrow, mostly at the listed price
        const Json& car = some_car();
        int64_t price = car.get_int("price", 10'000'000);
        if (chance(10)) price += 1'000'000;
        add(user(), "open_escrow", Obj({{"vin", car.get_string("vin")}, {"price", price}}));
      } else if (open.empty()) {
        continue;
      } else if (op < 74) {  // hand over, mostly by the seller
        const Json& e = escrow_in("FUNDED");
        add(chance(85) ? by_id(e.get_string("seller")) : user(), "hand_over",
            Obj({{"escrow_id", e.get_string("id")}}));
      } else if (op < 80) {  // confirm, mostly by the buyer
        const Json& e = escrow_in("HANDED_OVER");
        add(chance(85) ? by_id(e.get_string("buyer")) : user(), "confirm",
            Obj({{"escrow_id", e.get_string("id")}}));
      } else if (op < 86) {  // cancel by buyer, seller or someone else
        const Json& e = escrow_in("FUNDED");
        int who = pick(3);
        const Signer& s = who == 0   ? by_id(e.get_string("buyer"))
                          : who == 1 ? by_id(e.get_string("seller"))
                                     : user();
        add(s, "cancel", Obj({{"escrow_id", e.get_string("id")}}));
      } else if (op < 91) {  // dispute
        const Json& e = escrow_in("HANDED_OVER");
        add(by_id(e.get_string("buyer")), "dispute",
            Obj({{"escrow_id", e.get_string("id")}, {"reason", "not as described"}}));
      } else if (op < 95) {  // resolve, by an admin (and sometimes a trader)
        const Json& e = escrow_in("DISPUTED");
        const Signer& who = chance(90) ? admin() : user();
        add(who, "resolve",
            Obj({{"escrow_id", e.get_string("id")},
                 {"outcome", chance(50) ? "refund" : "release"}}));
      } else if (op < 99) {  // anyone may auto-confirm (once the deadline passed)
        std::vector<const Json*> due;
        for (const auto& e : open) {
          if (e.get_string("status") == "HANDED_OVER" && e.get_int("deadline") <= net.now_ms())
            due.push_back(&e);
        }
        // Due ones go first in the block, before a confirm or dispute in the same block.
        bool take_due = !due.empty() && chance(80);
        const Json& e = take_due ? *due[static_cast<size_t>(pick(static_cast<int>(due.size())))]
                                 : some_escrow();
        add(user(), "auto_confirm", Obj({{"escrow_id", e.get_string("id")}}), take_due);
      } else {  // a charge request that is never approved moves no money
        add(user(), "request_charge", Obj({{"amount", 1'000'000}}));
      }
    }

    auto results = net.CommitBlock(txs);
    ASSERT_EQ(results.size(), txs.size());
    for (size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      // A rule violation is a clean rejection; a runtime fault in the contract is a bug.
      ASSERT_TRUE(r.code() == ledger::VALID || r.code() == ledger::REJECTED)
          << fns[i] << ": " << Describe(r);
      if (r.code() == ledger::REJECTED) {
        EXPECT_FALSE(r.reason().empty());
      }
      auto& o = outcomes[fns[i]];
      (r.code() == ledger::VALID ? o.first : o.second)++;
    }
    CheckMoney(total, block);
    if (HasFailure()) return;
    net.Advance(amount(0, 2 * kDayMs));
  }

  // Every function was both exercised successfully and refused at least once.
  for (const std::string fn :
       {"transfer", "register_car", "list", "reprice", "delist", "open_escrow", "hand_over",
        "confirm", "cancel", "dispute", "resolve", "auto_confirm"}) {
    EXPECT_GT(outcomes[fn].first, 0) << fn << " never succeeded";
    EXPECT_GT(outcomes[fn].second, 0) << fn << " never failed";
  }
  int total_txs = 0;
  for (const auto& [fn, o] : outcomes) {
    total_txs += o.first + o.second;
    std::printf("  %-14s %4d valid %4d rejected\n", fn.c_str(), o.first, o.second);
  }
  EXPECT_EQ(total_txs, kBlocks * kTxsPerBlock);

  // Every car's history verifies, and its summary is the fold of its events.
  for (const auto& [vin, car] : Scan("car")) {
    ExpectChained(vin);
    int64_t sales = 0;
    for (const auto& ev : Events(vin)) sales += ev.get_string("type") == "sold";
    EXPECT_EQ(car.get("summary").get_int("owners"), 1 + sales) << vin;
  }
}

}  // namespace
}  // namespace carledger::car_trade_test
