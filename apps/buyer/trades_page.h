// The user's trades, bought and sold: each with its steps (funded, handed over, confirmed
// or disputed) and the deadline for confirming, and the actions this side may take now
// (hand over, confirm, dispute, cancel), then a review once it is completed.
#pragma once

#include <QLabel>
#include <QPushButton>
#include <QTableWidget>

#include "apps/common/session.h"

namespace carledger::app {

class TradesPage : public QWidget {
  Q_OBJECT

 public:
  TradesPage(Session* session, QWidget* parent = nullptr);

  void refresh();
  // Selects the trade `escrow_id` (after it is loaded).
  void select(const QString& escrow_id);
  QTableWidget* table() const { return table_; }
  QPushButton* button(const QString& action) const { return buttons_.value(action); }
  // Takes a step of the selected trade: hand_over, confirm, dispute (with a reason), cancel.
  void step(const QString& function, const QString& reason = {});
  const v1::Trade* selected() const;

 signals:
  void stepFinished(const QString& function, const carledger::app::RpcError& error);
  void reviewRequested(const carledger::v1::Trade& trade);
  void chatRequested(const QString& user_id, const QString& vin);

 private:
  void Show(const v1::ListTradesReply& reply);
  void ShowSelected();

  Session* session_;
  std::vector<v1::Trade> trades_;
  QString pending_select_;
  QTableWidget* table_;
  QLabel* detail_;
  QMap<QString, QPushButton*> buttons_;
};

}  // namespace carledger::app
