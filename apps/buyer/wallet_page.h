// The wallet: balance, money locked in open trades, charge requests (an administrator
// approves each) and their status.
#pragma once

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>

#include "apps/common/form_errors.h"
#include "apps/common/session.h"

namespace carledger::app {

class WalletPage : public QWidget {
  Q_OBJECT

 public:
  WalletPage(Session* session, QWidget* parent = nullptr);

  void refresh();
  // Requests a charge of the amount in the form.
  void requestCharge();
  QLineEdit* amount() const { return amount_; }
  QLabel* balanceLabel() const { return balance_; }
  QTableWidget* charges() const { return charges_; }
  FormErrors* errors() const { return errors_; }
  qint64 balance() const { return balance_won_; }

 signals:
  void balanceChanged(qint64 balance);
  void chargeRequested(const QString& charge_id, const carledger::app::RpcError& error);

 private:
  Session* session_;
  QLabel* balance_;
  QLabel* address_;
  QLineEdit* amount_;
  QTableWidget* charges_;
  FormErrors* errors_;
  qint64 balance_won_ = 0;
};

}  // namespace carledger::app
