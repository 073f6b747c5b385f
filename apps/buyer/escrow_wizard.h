// Buying through escrow, step by step: the car and its price; the wallet balance against
// it (with what is missing, and a charge request when short); the confirmation of what
// escrow means (funds locked until the buyer confirms, disputes, or the deadline passes).
// Finishing signs open_escrow with the wallet key and submits it.
#pragma once

#include <QCheckBox>
#include <QLabel>
#include <QWizard>

#include "apps/common/session.h"

namespace carledger::app {

class EscrowWizard : public QWizard {
  Q_OBJECT

 public:
  EscrowWizard(Session* session, const v1::Car& car, QWidget* parent = nullptr);

  qint64 price() const { return price_; }
  qint64 balance() const { return balance_; }
  bool balanceKnown() const { return balance_known_; }
  QCheckBox* understood() const { return understood_; }
  QLabel* errorLabel() const { return error_; }
  // Signs and submits open_escrow (what Finish does).
  void submit();

 signals:
  void balanceLoaded(qint64 balance);
  void opened(const QString& escrow_id);
  void failed(const carledger::app::RpcError& error);

 protected:
  bool validateCurrentPage() override;

 private:
  void LoadBalance();

  Session* session_;
  QString vin_;
  qint64 price_ = 0;
  qint64 balance_ = 0;
  bool balance_known_ = false;
  bool submitted_ = false;
  QLabel* balance_label_;
  QCheckBox* understood_;
  QLabel* error_;
};

}  // namespace carledger::app
