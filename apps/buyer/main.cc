// carledger-market: CarLedger Market, the traders' desktop app.
// Usage: carledger-market [--network DIR_OR_PROFILE] [--lang ko|en]
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTimer>

#include "apps/buyer/main_window.h"
#include "apps/common/language.h"

using namespace carledger::app;

int main(int argc, char** argv) {
  QElapsedTimer started;
  started.start();
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("CarLedger"));
  QApplication::setApplicationName(QStringLiteral("CarLedger Market"));
  QCommandLineParser cli;
  cli.addHelpOption();
  QCommandLineOption network({"n", "network"}, "network directory or client profile", "path");
  QCommandLineOption lang("lang", "UI language (ko or en)", "language");
  QCommandLineOption print_startup("print-startup-ms",
                                   "print the time until the window is usable, then quit");
  cli.addOptions({network, lang, print_startup});
  cli.process(app);

  QString language = cli.isSet(lang) ? cli.value(lang) : PreferredLanguage();
  InstallLanguage(language,
                  {QStringLiteral("carledger_common"), QStringLiteral("carledger_market")});
  QString path = cli.value(network);
  if (path.isEmpty()) path = qEnvironmentVariable("CARLEDGER_NETWORK");
  if (path.isEmpty()) {
    path = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/network.json";
  }
  auto profile = LoadNetworkProfile(path);
  if (!profile.ok()) {
    QMessageBox::critical(nullptr, QObject::tr("CarLedger Market"),
                          QObject::tr("Cannot read the network profile: %1")
                              .arg(QString::fromStdString(profile.status().message())));
    return 2;
  }
  Connection connection(profile.value());
  KeyStore keys(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + "/keys");
  Session session(&connection, &keys);
  HistoryVerifier verifier(profile->ca_pem);
  NotificationStream notifications(&connection);
  ChatStream chat(&connection);
  MarketServices services{&connection, &keys, &session, &verifier, &notifications, &chat};

  std::unique_ptr<MainWindow> window;
  std::function<void(const QString&)> open = [&](const QString& language_now) {
    InstallLanguage(language_now,
                    {QStringLiteral("carledger_common"), QStringLiteral("carledger_market")});
    SaveLanguage(language_now);
    auto next = std::make_unique<MainWindow>(services);
    QObject::connect(next.get(), &MainWindow::languageRequested, &app,
                     [&](const QString& l) { QTimer::singleShot(0, &app, [&, l] { open(l); }); });
    if (window) next->setGeometry(window->geometry());
    next->show();
    window = std::move(next);
  };
  open(language);
  connection.setProbeInterval(4000);
  if (cli.isSet(print_startup)) {
    QTimer::singleShot(0, &app, [&] {
      std::printf("startup_ms %lld\n", static_cast<long long>(started.elapsed()));
      app.quit();
    });
  } else if (!session.signedIn()) {
    QTimer::singleShot(0, window.get(), [&] { window->showLogin(); });
  }
  int rc = app.exec();
  window.reset();
  return rc;
}
