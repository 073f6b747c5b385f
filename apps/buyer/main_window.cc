#include "apps/buyer/main_window.h"

#include <QDockWidget>
#include <QFileDialog>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include "apps/buyer/car_page.h"
#include "apps/buyer/chat_window.h"
#include "apps/buyer/community_dialogs.h"
#include "apps/buyer/escrow_wizard.h"
#include "apps/buyer/search_page.h"
#include "apps/buyer/sell_page.h"
#include "apps/buyer/trades_page.h"
#include "apps/buyer/wallet_page.h"
#include "apps/common/format.h"
#include "apps/common/login_dialog.h"
#include "apps/common/status_widgets.h"

namespace carledger::app {

MainWindow::MainWindow(MarketServices services, QWidget* parent)
    : QMainWindow(parent), s_(services) {
  setObjectName(QStringLiteral("marketWindow"));
  setWindowTitle(tr("CarLedger Market"));
  resize(1280, 820);
  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("mainTabs"));
  search_ = new SearchPage(s_.connection);
  car_ = new CarPage(s_.connection, s_.verifier);
  sell_ = new SellPage(s_.session);
  trades_ = new TradesPage(s_.session);
  wallet_ = new WalletPage(s_.session);
  chat_ = new ChatWindow(s_.session, s_.chat);
  tabs_->addTab(search_, tr("Market"));
  tabs_->addTab(car_, tr("Car"));
  tabs_->addTab(sell_, tr("Sell"));
  tabs_->addTab(trades_, tr("My trades"));
  tabs_->addTab(wallet_, tr("Wallet"));
  tabs_->addTab(chat_, tr("Chat"));
  setCentralWidget(tabs_);

  notes_ = new QListWidget;
  notes_->setObjectName(QStringLiteral("notifications"));
  auto* dock = new QDockWidget(tr("Notifications"));
  dock->setObjectName(QStringLiteral("notificationsDock"));
  dock->setWidget(notes_);
  addDockWidget(Qt::RightDockWidgetArea, dock);
  dock->hide();

  account_ = new QLabel;
  statusBar()->addPermanentWidget(account_);
  statusBar()->addPermanentWidget(new ConnectionIndicator(s_.connection));
  BuildMenus();

  connect(search_, &SearchPage::openCar, this, &MainWindow::openCar);
  connect(sell_, &SellPage::openCar, this, &MainWindow::openCar);
  connect(car_, &CarPage::buyRequested, this, [this] { buyCurrentCar(); });
  connect(car_, &CarPage::chatRequested, this, [this](const QString& user, const QString& vin) {
    tabs_->setCurrentWidget(chat_);
    chat_->openWith(user, vin);
  });
  connect(car_, &CarPage::reportRequested, this, [this](const QString& user, const QString& vin) {
    auto* d = new ReportDialog(s_.session, user, vin, this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
  });
  connect(trades_, &TradesPage::reviewRequested, this, [this](const v1::Trade& t) {
    auto* d = new ReviewDialog(s_.session, QString::fromStdString(t.escrow_id()), this);
    d->setAttribute(Qt::WA_DeleteOnClose);
    d->show();
  });
  connect(trades_, &TradesPage::chatRequested, this,
          [this](const QString& user, const QString& vin) {
            tabs_->setCurrentWidget(chat_);
            chat_->openWith(user, vin);
          });
  connect(trades_, &TradesPage::stepFinished, this, [this](const QString&, const RpcError& e) {
    if (!e.ok()) QMessageBox::warning(this, tr("The step was not taken"), e.message);
  });
  connect(sell_, &SellPage::actionFinished, this, [this](const QString&, const RpcError& e) {
    if (!e.ok()) QMessageBox::warning(this, tr("Not done"), e.message);
  });
  connect(s_.session, &Session::signedInChanged, this, &MainWindow::OnSignedIn);
  connect(s_.session, &Session::expired, this, [this](const QString& reason) {
    statusBar()->showMessage(tr("Your session ended (%1). Please sign in again.").arg(reason));
    showLogin();
  });
  connect(s_.notifications, &NotificationStream::notification, this, &MainWindow::OnNotification);
  OnSignedIn(s_.session->signedIn());
}

void MainWindow::BuildMenus() {
  QMenu* account = menuBar()->addMenu(tr("&Account"));
  account->addAction(tr("Sign in…"), this, [this] { showLogin(); });
  account->addAction(tr("Sign out"), s_.session, &Session::logout);
  account->addSeparator();
  account->addAction(tr("Export key backup…"), this, [this] {
    QString login = QString::fromStdString(s_.session->profile().login_id());
    if (login.isEmpty()) return;
    QString path = QFileDialog::getSaveFileName(this, tr("Key backup"), login + ".key.pem");
    if (path.isEmpty()) return;
    Status st = s_.keys->Export(login, path);
    if (!st.ok())
      QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(st.message()));
  });
  account->addAction(tr("Import key backup…"), this, [this] {
    QString login = QString::fromStdString(s_.session->profile().login_id());
    if (login.isEmpty()) return;
    QString path = QFileDialog::getOpenFileName(this, tr("Key backup"));
    if (path.isEmpty()) return;
    bool ok = false;
    QString pass = QInputDialog::getText(this, tr("Key backup"), tr("Passphrase of the backup"),
                                         QLineEdit::Password, {}, &ok);
    if (!ok) return;
    auto r = s_.keys->Import(login, path, pass, /*replace=*/true);
    if (!r.ok()) {
      QMessageBox::warning(this, tr("Import failed"), QString::fromStdString(r.status().message()));
    } else {
      QMessageBox::information(this, tr("Key imported"), tr("Sign in again to use it."));
    }
  });
  QMenu* language = menuBar()->addMenu(tr("&Language"));
  language->addAction(QStringLiteral("한국어"), this, [this] { emit languageRequested("ko"); });
  language->addAction(QStringLiteral("English"), this, [this] { emit languageRequested("en"); });
  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(tr("Notifications"), this, [this] {
    if (auto* d = findChild<QDockWidget*>(QStringLiteral("notificationsDock"))) d->show();
  });
}

QWidget* MainWindow::showLogin() {
  auto* d = new LoginDialog(s_.session, /*allow_sign_up=*/true, this);
  d->setAttribute(Qt::WA_DeleteOnClose);
  d->show();
  return d;
}

void MainWindow::openCar(const QString& vin) {
  if (vin.isEmpty()) return;
  car_->setViewer(s_.session->walletAddress());
  car_->show(vin);
  tabs_->setCurrentWidget(car_);
}

QWidget* MainWindow::buyCurrentCar() {
  if (!s_.session->canSign()) {
    showLogin();
    return nullptr;
  }
  auto* w = new EscrowWizard(s_.session, car_->car(), this);
  w->setAttribute(Qt::WA_DeleteOnClose);
  connect(w, &EscrowWizard::opened, this, [this](const QString& escrow_id) {
    tabs_->setCurrentWidget(trades_);
    trades_->select(escrow_id);
    wallet_->refresh();
  });
  w->show();
  return w;
}

void MainWindow::OnSignedIn(bool in) {
  const auto& p = s_.session->profile();
  account_->setText(in ? tr("Signed in as %1").arg(QString::fromStdString(p.login_id()))
                       : tr("Not signed in"));
  car_->setViewer(s_.session->walletAddress());
  if (in) {
    s_.notifications->start();
    s_.chat->start();
    trades_->refresh();
    wallet_->refresh();
    sell_->refresh();
  } else {
    s_.notifications->stop();
    s_.chat->stop();
  }
}

void MainWindow::OnNotification(const v1::Notification& n) {
  const QString kind = QString::fromStdString(n.kind());
  QJsonObject p = QJsonDocument::fromJson(QByteArray::fromStdString(n.payload_json())).object();
  QString text;
  if (kind == "trade") {
    text =
        tr("Trade %1: %2").arg(p.value("vin").toString(), EnumLabel(p.value("status").toString()));
    trades_->refresh();
    wallet_->refresh();
  } else if (kind == "inspection") {
    text = tr("Inspection of %1: %2")
               .arg(p.value("vin").toString(), EnumLabel(p.value("status").toString()));
    sell_->refresh();
  } else if (kind == "charge") {
    text = tr("Wallet charge %1").arg(EnumLabel(p.value("status").toString()));
    wallet_->refresh();
  } else if (kind == "chat") {
    text = tr("New message from %1").arg(p.value("from").toString());
  } else {
    text = tr("Report %1").arg(EnumLabel(p.value("status").toString()));
  }
  notes_->insertItem(0, FormatTime(n.created_ms()) + "  " + text);
  statusBar()->showMessage(text, 8000);
}

}  // namespace carledger::app
