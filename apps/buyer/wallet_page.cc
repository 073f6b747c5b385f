#include "apps/buyer/wallet_page.h"

#include <QFormLayout>
#include <QHeaderView>
#include <QJsonObject>
#include <QVBoxLayout>

#include "apps/common/format.h"

namespace carledger::app {

WalletPage::WalletPage(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("walletPage"));
  balance_ = new QLabel;
  balance_->setObjectName(QStringLiteral("walletBalance"));
  balance_->setStyleSheet(QStringLiteral("font-size: 16pt;"));
  address_ = new QLabel;
  address_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* general = new QLabel;
  errors_ = new FormErrors(general, this);
  auto* form = new QFormLayout;
  amount_ = new QLineEdit;
  amount_->setObjectName(QStringLiteral("chargeAmount"));
  amount_->setPlaceholderText(tr("e.g. 20,000,000"));
  errors_->addRow(form, tr("Charge amount (won)"), QStringLiteral("amount"), amount_);
  auto* request = new QPushButton(tr("Request a charge"));
  request->setObjectName(QStringLiteral("chargeButton"));
  connect(request, &QPushButton::clicked, this, &WalletPage::requestCharge);
  charges_ = new QTableWidget(0, 3);
  charges_->setObjectName(QStringLiteral("chargesTable"));
  charges_->setHorizontalHeaderLabels({tr("Requested"), tr("Amount"), tr("Status")});
  charges_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  charges_->horizontalHeader()->setStretchLastSection(true);
  charges_->verticalHeader()->hide();
  auto* v = new QVBoxLayout(this);
  v->addWidget(balance_);
  v->addWidget(address_);
  v->addLayout(form);
  v->addWidget(general);
  v->addWidget(request);
  v->addWidget(new QLabel(tr("Charge requests")));
  v->addWidget(charges_, 1);
}

void WalletPage::refresh() {
  if (!session_->signedIn()) return;
  address_->setText(tr("Wallet address: %1").arg(session_->walletAddress()));
  session_->connection()->call<v1::Wallet>(
      &WalletRpc::GetBalance, v1::Empty(), this, [this](const RpcError& e, const v1::Balance& b) {
        if (!e.ok()) {
          balance_->setText(e.message);
          return;
        }
        balance_won_ = b.balance();
        balance_->setText(tr("Balance %1 · locked in trades %2")
                              .arg(FormatWon(b.balance()), FormatWon(b.locked_in_escrow())));
        emit balanceChanged(balance_won_);
      });
  v1::ListChargesRequest req;
  req.set_page_size(100);
  CallAllPages<v1::Wallet>(
      session_->connection(), &WalletRpc::ListCharges, req, this,
      [this](const RpcError& e, const v1::ListChargesReply& reply) {
        if (!e.ok() && reply.charges_size() == 0) return;
        charges_->setRowCount(0);
        for (const auto& c : reply.charges()) {
          int row = charges_->rowCount();
          charges_->insertRow(row);
          charges_->setItem(row, 0, new QTableWidgetItem(FormatTime(c.requested_ms())));
          charges_->setItem(row, 1, new QTableWidgetItem(FormatWon(c.amount())));
          charges_->setItem(row, 2,
                            new QTableWidgetItem(EnumLabel(QString::fromStdString(c.status()))));
        }
      });
}

void WalletPage::requestCharge() {
  errors_->clear();
  qint64 amount = 0;
  if (!ParseWon(amount_->text(), &amount)) {
    errors_->mark(QStringLiteral("amount"), tr("a whole amount of won, e.g. 20,000,000"));
    return;
  }
  auto tx = session_->sign("request_charge", QJsonObject{{"amount", amount}});
  if (!tx.ok()) {
    errors_->show(LocalError(grpc::StatusCode::FAILED_PRECONDITION,
                             QString::fromStdString(tx.status().message())));
    return;
  }
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = std::move(tx).value();
  Connection::CallOptions o;
  o.timeout_ms = 20000;
  session_->connection()->call<v1::Wallet>(
      &WalletRpc::RequestCharge, req, this,
      [this](const RpcError& e, const v1::Charge& c) {
        if (!e.ok())
          errors_->show(e);
        else
          amount_->clear();
        emit chargeRequested(QString::fromStdString(c.charge_id()), e);
        refresh();
      },
      o);
}

}  // namespace carledger::app
