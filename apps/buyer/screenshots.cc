// market-screenshots: the README's pictures of CarLedger Market, in Korean and English,
// taken from the real app against a running network (scripts/screenshots runs it under
// Xvfb after scripts/run): the market, a car with its verified history, its inspection
// record and odometer chart, the escrow wizard, the listing form, the wallet and sign-up.
// It signs up a fresh demo trader first, so the signed-in screens are the real ones.
// Usage: market-screenshots --network DIR --out DIR [--vin VIN]
#include <QApplication>
#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

#include "apps/buyer/car_page.h"
#include "apps/buyer/main_window.h"
#include "apps/buyer/search_page.h"
#include "apps/buyer/sell_page.h"
#include "apps/buyer/wallet_page.h"
#include "apps/common/language.h"
#include "apps/common/login_dialog.h"
#include "apps/common/session.h"

using namespace carledger::app;

namespace {

void Save(QWidget* w, const QString& path) {
  QTest::qWait(300);  // let thumbnails and charts arrive and lay out
  if (!w->grab().save(path)) std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
  std::printf("  %s\n", qPrintable(path));
}

// Signs up a new trader (with a wallet key) through the app's own session.
bool SignUpTrader(Session& session) {
  std::string version;
  auto once =
      QObject::connect(&session, &Session::termsReady,
                       [&version](const carledger::v1::Terms& t) { version = t.version(); });
  session.fetchTerms();
  for (int i = 0; i < 200 && version.empty(); ++i) QTest::qWait(100);
  QObject::disconnect(once);  // the login dialog fetches the terms again later
  if (version.empty()) {
    std::fprintf(stderr, "no terms from the network\n");
    return false;
  }
  carledger::v1::RegisterRequest r;
  r.set_login_id("shot" + std::to_string(QDateTime::currentSecsSinceEpoch()));
  r.set_password("screenshot password");
  r.set_name("김민준");
  r.set_address("서울특별시 강남구 테헤란로 1");
  r.set_phone("01012345678");
  r.set_terms_version(version);
  r.set_agree_terms(true);
  session.signUp(r, QStringLiteral("screenshot passphrase"));
  for (int i = 0; i < 200 && !session.canSign(); ++i) QTest::qWait(100);
  if (!session.canSign()) std::fprintf(stderr, "sign-up did not finish\n");
  return session.canSign();
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("CarLedger");
  QApplication::setApplicationName("CarLedger Market Screenshots");
  QCommandLineParser cli;
  QCommandLineOption network("network", "network directory", "dir");
  QCommandLineOption out("out", "output directory", "dir");
  QCommandLineOption vin("vin", "the car to show (default: the first search result)", "vin");
  cli.addOptions({network, out, vin});
  cli.process(app);
  QStandardPaths::setTestModeEnabled(true);
  auto profile = LoadNetworkProfile(cli.value(network));
  if (!profile.ok()) {
    std::fprintf(stderr, "%s\n", profile.status().ToString().c_str());
    return 2;
  }
  QDir().mkpath(cli.value(out));
  QTemporaryDir keys_dir;
  Connection connection(*profile);
  KeyStore keys(keys_dir.path());
  Session session(&connection, &keys);
  HistoryVerifier verifier(profile->ca_pem);
  NotificationStream notifications(&connection);
  ChatStream chat(&connection);
  MarketServices services{&connection, &keys, &session, &verifier, &notifications, &chat};
  if (!SignUpTrader(session)) return 1;

  for (const QString& lang : {QStringLiteral("ko"), QStringLiteral("en")}) {
    InstallLanguage(lang, {QStringLiteral("carledger_common"), QStringLiteral("carledger_market")});
    MainWindow window(services);
    window.resize(1360, 860);
    window.show();
    const QString dir = cli.value(out) + "/";
    SearchPage* search = window.searchPage();
    QSignalSpy loaded(search->model(), &PagedTableModel::pageLoaded);
    search->sort()->setCurrentIndex(1);  // searches
    if (!loaded.wait(20000)) return 1;
    Save(&window, dir + "market-" + lang + ".png");
    QString car = cli.value(vin);
    if (car.isEmpty() && search->model()->rowCount() > 0) {
      car = search->model()->data(search->model()->index(0, 0), SearchModel::kVinRole).toString();
    }
    if (!car.isEmpty()) {
      QSignalSpy loaded_car(window.carPage(), &CarPage::loaded);
      QSignalSpy verified(window.carPage(), &CarPage::historyVerified);
      window.openCar(car);
      // The car and its verified history arrive in either order; picture both.
      if (loaded_car.isEmpty()) loaded_car.wait(20000);
      if (verified.isEmpty()) verified.wait(20000);
      Save(&window, dir + "car-" + lang + ".png");
      auto* tabs = window.carPage()->findChild<QTabWidget*>("carTabs");
      tabs->setCurrentIndex(1);
      Save(&window, dir + "inspection-" + lang + ".png");
      tabs->setCurrentIndex(2);
      Save(&window, dir + "odometer-" + lang + ".png");
      tabs->setCurrentIndex(4);
      Save(&window, dir + "history-" + lang + ".png");
      tabs->setCurrentIndex(0);
    }
    // The escrow wizard on a car that is for sale (the scripted trade's car is sold).
    if (search->model()->rowCount() > 0) {
      const QString listed =
          search->model()->data(search->model()->index(0, 0), SearchModel::kVinRole).toString();
      QSignalSpy loaded_car(window.carPage(), &CarPage::loaded);
      window.openCar(listed);
      if (loaded_car.wait(20000)) {
        if (QWidget* wizard = window.buyCurrentCar()) {
          QTest::qWait(500);  // the wallet balance arrives
          Save(wizard, dir + "escrow-" + lang + ".png");
          wizard->close();
        }
      }
    }
    window.tabs()->setCurrentWidget(window.sellPage());
    Save(&window, dir + "sell-" + lang + ".png");
    window.tabs()->setCurrentWidget(window.walletPage());
    Save(&window, dir + "wallet-" + lang + ".png");
    auto* login = qobject_cast<LoginDialog*>(window.showLogin());
    login->tabs()->setCurrentIndex(1);
    QTest::qWait(500);  // the terms arrive
    Save(login, dir + "signup-" + lang + ".png");
    login->close();
  }
  return 0;
}
