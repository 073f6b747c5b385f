// CarLedger Market's main window: the market (search), a car, selling, trades, wallet and
// chat as tabs; the account and language menus; the connection state and live
// notifications in the status bar. It only talks to the cluster through the services it is
// given (Connection, Session and the streams), never blocking on them.
#pragma once

#include <QLabel>
#include <QListWidget>
#include <QMainWindow>
#include <QTabWidget>

#include "apps/common/chat_stream.h"
#include "apps/common/history_verifier.h"
#include "apps/common/key_store.h"
#include "apps/common/notification_stream.h"
#include "apps/common/session.h"

namespace carledger::app {

class SearchPage;
class CarPage;
class SellPage;
class TradesPage;
class WalletPage;
class ChatWindow;

// Everything the window talks to, owned outside it (it outlives a language switch).
struct MarketServices {
  Connection* connection;
  KeyStore* keys;
  Session* session;
  HistoryVerifier* verifier;
  NotificationStream* notifications;
  ChatStream* chat;
};

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(MarketServices services, QWidget* parent = nullptr);

  SearchPage* searchPage() const { return search_; }
  CarPage* carPage() const { return car_; }
  SellPage* sellPage() const { return sell_; }
  TradesPage* tradesPage() const { return trades_; }
  WalletPage* walletPage() const { return wallet_; }
  ChatWindow* chatWindow() const { return chat_; }
  QTabWidget* tabs() const { return tabs_; }
  QListWidget* notificationList() const { return notes_; }

  void openCar(const QString& vin);
  // Opens the escrow wizard for the car on the car page (non-modal; returned for tests).
  QWidget* buyCurrentCar();
  // Shows the sign-in dialog (non-modal; returned for tests).
  QWidget* showLogin();

 signals:
  void languageRequested(const QString& language);

 private:
  void BuildMenus();
  void OnSignedIn(bool in);
  void OnNotification(const v1::Notification& n);

  MarketServices s_;
  QTabWidget* tabs_;
  SearchPage* search_;
  CarPage* car_;
  SellPage* sell_;
  TradesPage* trades_;
  WalletPage* wallet_;
  ChatWindow* chat_;
  QListWidget* notes_;
  QLabel* account_;
};

}  // namespace carledger::app
