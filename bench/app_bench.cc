// CarLedger Market's responsiveness (issue #5), against a real 4-validator cluster with
// PostgreSQL and 300 listed cars:
//   app_cold_start_ms  process start to a usable window (carledger-market --print-startup-ms,
//                      whole-process wall time, median of 5 after one warm-up)
//   search_paint_ms    a search reply's arrival on the GUI thread to its rows painted (p99 of 40)
//   gui_max_stall_ms   the longest the event loop went without running a 5 ms watchdog timer
//                      (wall clock), over sign-up, searches, car pages with history
//                      verification and its cross-check, a charge, listing a car with a
//                      photo, the escrow wizard and confirming the trade (with the
//                      notification and chat streams open throughout); the stall less the
//                      time the GUI thread sat waiting for a core is printed beside it
// The four validators run at nice 10: on a user's machine the cluster is elsewhere, and on
// this 2-core machine at equal priority they would decide when the app gets a core.
// Targets: <= 1000 ms, <= 100 ms, <= 50 ms.
#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>
#include <map>
#include <string>

#include "apps/buyer/car_page.h"
#include "apps/buyer/escrow_wizard.h"
#include "apps/buyer/main_window.h"
#include "apps/buyer/search_page.h"
#include "apps/buyer/sell_page.h"
#include "apps/buyer/trades_page.h"
#include "apps/buyer/wallet_page.h"
#include "bench/api_bench_support.h"
#include "contracts/samples.h"

using namespace carledger;
using namespace carledger::app;
using namespace carledger::bench;

namespace {

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

qint64 SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Nanoseconds this thread has spent runnable but waiting for a core (the second field of
// /proc/thread-self/schedstat), or -1 where the kernel does not say.
qint64 RunQueueDelayNs() {
  FILE* f = std::fopen("/proc/thread-self/schedstat", "r");
  if (f == nullptr) return -1;
  unsigned long long on_cpu = 0, waiting = 0;
  const int n = std::fscanf(f, "%llu %llu", &on_cpu, &waiting);
  std::fclose(f);
  return n == 2 ? static_cast<qint64>(waiting) : -1;
}

// The longest gap between ticks of a 5 ms timer on the GUI thread, minus the 5 ms: the
// longest the event loop could not run. Two readings: the wall-clock gap (the figure), and
// the gap less the time the thread sat ready in the kernel's run queue while other
// processes held both cores. A GUI thread that blocks on the network or computes is
// charged in both; only time it could not be scheduled at all is left out of the second.
class Watchdog : public QObject {
 public:
  Watchdog() {
    timer_.setTimerType(Qt::PreciseTimer);
    connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = SteadyNs();
      const qint64 delay = RunQueueDelayNs();
      if (last_ > 0) {
        const qint64 gap = now - last_;
        const qint64 own = delay >= 0 && last_delay_ >= 0 ? gap - (delay - last_delay_) : gap;
        max_gap_ns_ = std::max(max_gap_ns_, gap);
        max_own_ns_ = std::max(max_own_ns_, own);
        phase_max_[phase_].first = std::max(phase_max_[phase_].first, gap);
        phase_max_[phase_].second = std::max(phase_max_[phase_].second, own);
      }
      last_ = now;
      last_delay_ = delay;
    });
    timer_.start(5);
  }
  // Wall clock.
  double maxStallMs() const { return Ms(max_gap_ns_); }
  // Less the run-queue wait (equal to maxStallMs where the kernel keeps no schedstat).
  double maxOwnStallMs() const { return Ms(max_own_ns_); }
  // Labels what the app is doing now, so the longest stall can be traced to a phase.
  void setPhase(const std::string& phase) { phase_ = phase; }
  void printPhases() const {
    std::printf("  longest event-loop stall     wall clock   less run-queue wait\n");
    for (const auto& [phase, ns] : phase_max_)
      std::printf("    while %-22s %8.1f ms %12.1f ms\n", phase.c_str(), Ms(ns.first),
                  Ms(ns.second));
  }

 private:
  static double Ms(qint64 gap_ns) { return std::max<double>(0, gap_ns / 1e6 - 5.0); }
  QTimer timer_;
  qint64 last_ = 0;
  qint64 last_delay_ = -1;
  qint64 max_gap_ns_ = 0;
  qint64 max_own_ns_ = 0;
  std::string phase_ = "starting";
  std::map<std::string, std::pair<qint64, qint64>> phase_max_;
};

// Runs the benchmark's own setup (the administrator's approval, the seller's hand-over:
// blocking calls to the cluster) on another thread while the event loop keeps running,
// so that the watchdog charges the app only with its own stalls.
void OffTheGuiThread(const std::function<void()>& setup) {
  auto done = std::async(std::launch::async, setup);
  while (done.wait_for(std::chrono::milliseconds(0)) != std::future_status::ready) QTest::qWait(5);
  done.get();
}

bool Wait(QObject* sender, const char* what, QSignalSpy& spy, int ms = 30000) {
  if (spy.count() > 0 || spy.wait(ms)) return true;
  std::fprintf(stderr, "bench: timed out waiting for %s (%s)\n", what,
               sender->objectName().toUtf8().constData());
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  std::string pg;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--pg") pg = argv[i + 1];
  }
  if (pg.empty()) Die("usage: app_bench --pg CONNINFO");
  QTemporaryDir tmp;
  ScratchDatabase db(pg, "app");
  ApiCluster c(tmp.path().toStdString() + "/net", db.conninfo(), {}, /*niceness=*/10);
  Trader seller = c.NewTrader("appbench-seller");
  std::vector<std::string> vins = c.ListSampleCars(seller, "KMHAP", 300);
  const QString net = tmp.path() + "/net";

  // ---- cold start: the installed binary, as a user starts it
  std::vector<double> starts;
  for (int i = 0; i < 6; ++i) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    env.insert("XDG_DATA_HOME", tmp.path() + "/xdg");
    p.setProcessEnvironment(env);
    QElapsedTimer t;
    t.start();
    p.start(CARLEDGER_MARKET, {"--network", net, "--print-startup-ms", "--lang", "ko"});
    if (!p.waitForFinished(20000) || p.exitCode() != 0) {
      Die("carledger-market did not start: " + p.readAllStandardError().toStdString());
    }
    if (i > 0) starts.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  }

  // ---- one app, in this process
  auto profile = LoadNetworkProfile(net);
  if (!profile.ok()) Die(profile.status().ToString());
  Watchdog watchdog;
  Connection connection(*profile);
  KeyStore keys(tmp.path() + "/keys");
  Session session(&connection, &keys);
  HistoryVerifier verifier(profile->ca_pem);
  NotificationStream notifications(&connection);
  ChatStream chat(&connection);
  MainWindow window(MarketServices{&connection, &keys, &session, &verifier, &notifications, &chat});
  window.show();
  watchdog.setPhase("signing up");

  v1::RegisterRequest r;
  r.set_login_id("appbenchbuyer");
  r.set_password("bench password 1");
  r.set_name("벤치");
  r.set_address("서울");
  r.set_phone("01000000000");
  r.set_agree_terms(true);
  std::string terms_version;
  QObject::connect(&session, &Session::termsReady,
                   [&](const v1::Terms& t) { terms_version = t.version(); });
  session.fetchTerms();
  for (int i = 0; i < 100 && terms_version.empty(); ++i) QTest::qWait(100);
  r.set_terms_version(terms_version);
  session.signUp(r, "wallet passphrase");
  for (int i = 0; i < 100 && !session.canSign(); ++i) QTest::qWait(100);
  if (!session.canSign()) Die("sign-up did not finish");

  watchdog.setPhase("searching");
  SearchPage* search = window.searchPage();
  QTableView* table = search->table();
  std::vector<double> paint;
  const char* makes[] = {"", "Hyundai", "Kia", "Genesis"};
  for (int i = 0; i < 40; ++i) {
    search->filter("make")->setText(makes[i % 4]);
    search->sort()->blockSignals(true);
    search->sort()->setCurrentIndex(i % 6);
    search->sort()->blockSignals(false);
    QSignalSpy loaded(search->model(), &PagedTableModel::pageLoaded);
    search->search();
    if (!Wait(search, "search", loaded)) return 1;
    // Rows on screen: the view lays them out and paints them now.
    table->viewport()->repaint();
    paint.push_back(static_cast<double>(SteadyNs() - search->model()->lastReplyNs()) / 1e6);
  }
  watchdog.setPhase("opening car pages");
  // Car pages (history fetched and verified off the GUI thread), a charge request.
  for (int i = 0; i < 10; ++i) {
    QSignalSpy verified(window.carPage(), &CarPage::historyVerified);
    window.openCar(QString::fromStdString(vins[static_cast<size_t>(i * 29)]));
    if (!Wait(window.carPage(), "history", verified)) return 1;
  }
  watchdog.setPhase("requesting a charge");
  QSignalSpy charged(window.walletPage(), &WalletPage::chargeRequested);
  window.walletPage()->amount()->setText("500,000,000");
  window.walletPage()->requestCharge();
  if (!Wait(window.walletPage(), "charge", charged)) return 1;
  {
    Json approve = Json::MakeObject();
    approve["charge_id"] = charged.at(0).at(0).toString().toStdString();
    OffTheGuiThread(
        [&] { c.SubmitAll({c.Tx(c.admin(), "car_trade", "approve_charge", approve)}); });
  }

  // Selling: a photo uploaded, the car registered and listed.
  const QString photo = tmp.path() + "/car.jpg";  // the seller's camera, not the app
  OffTheGuiThread([&] {
    QImage image(1600, 1200, QImage::Format_RGB32);
    image.fill(QColor(40, 90, 160));
    image.save(photo, "JPEG", 85);
  });
  watchdog.setPhase("listing with a photo");
  SellPage* sell = window.sellPage();
  const std::map<QString, QString> form = {{"vin", "KMHD341CBNB123456"}, {"make", "Hyundai"},
                                           {"model", "Avante"},          {"year", "2021"},
                                           {"colour", "흰색"},           {"odometer_km", "42,180"},
                                           {"region", "서울"},           {"price", "18,500,000"}};
  for (const auto& [field, text] : form)
    qobject_cast<QLineEdit*>(sell->input(field))->setText(text);
  sell->addPhotoFile(photo);
  QSignalSpy listed(sell, &SellPage::listed);
  sell->submit();
  if (!Wait(sell, "listing", listed, 60000)) return 1;

  // Buying: the escrow wizard, then the seller's hand-over and the buyer's confirmation.
  watchdog.setPhase("buying through escrow");
  {
    QSignalSpy shown(window.carPage(), &CarPage::loaded);
    window.openCar(QString::fromStdString(vins[1]));
    if (!Wait(window.carPage(), "car", shown)) return 1;
  }
  auto* wizard = qobject_cast<EscrowWizard*>(window.buyCurrentCar());
  if (wizard == nullptr) Die("no escrow wizard");
  wizard->next();
  for (int i = 0; i < 100 && !wizard->balanceKnown(); ++i) QTest::qWait(50);
  wizard->next();
  wizard->understood()->setChecked(true);
  QSignalSpy opened(wizard, &EscrowWizard::opened);
  wizard->next();
  if (!Wait(wizard, "escrow", opened, 60000)) return 1;
  const QString escrow = opened.at(0).at(0).toString();
  {
    Json id = Json::MakeObject();
    id["escrow_id"] = escrow.toStdString();
    OffTheGuiThread([&] { c.SubmitAll({c.Tx(seller.key, "car_trade", "hand_over", id)}); });
  }
  watchdog.setPhase("confirming a trade");
  TradesPage* trades = window.tradesPage();
  trades->select(escrow);
  for (int i = 0; i < 200 && !(trades->selected() && trades->button("confirm")->isEnabled()); ++i) {
    trades->refresh();
    QTest::qWait(100);
  }
  QSignalSpy confirmed(trades, &TradesPage::stepFinished);
  trades->button("confirm")->click();
  if (!Wait(trades, "confirmation", confirmed, 60000)) return 1;
  if (!confirmed.at(0).at(1).value<RpcError>().ok())
    Die("confirm: " + confirmed.at(0).at(1).value<RpcError>().message.toStdString());
  QTest::qWait(200);

  watchdog.printPhases();
  std::printf("cold start (ms): median %.1f, max %.1f over %zu runs\n", Pct(starts, 0.5),
              Pct(starts, 1.0), starts.size());
  std::printf("search reply -> rows painted (ms): p50 %.2f  p99 %.2f  max %.2f over %zu searches\n",
              Pct(paint, 0.5), Pct(paint, 0.99), Pct(paint, 1.0), paint.size());
  std::printf("%-20s %10s %10s\n", "figure", "measured", "target");
  std::printf("%-20s %10.1f %10s\n", "app_cold_start_ms", Pct(starts, 0.5), "<= 1000");
  std::printf("%-20s %10.2f %10s\n", "search_paint_ms", Pct(paint, 0.99), "<= 100");
  std::printf("%-20s %10.1f %10s   (less run-queue wait: %.1f ms)\n", "gui_max_stall_ms",
              watchdog.maxStallMs(), "<= 50", watchdog.maxOwnStallMs());
  std::printf("FIGURE app_cold_start_ms %.1f ms\n", Pct(starts, 0.5));
  std::printf("FIGURE search_paint_ms %.2f ms\n", Pct(paint, 0.99));
  std::printf("FIGURE gui_max_stall_ms %.1f ms\n", watchdog.maxStallMs());
  return 0;
}
