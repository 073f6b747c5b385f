#include "apps/buyer/escrow_wizard.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QVBoxLayout>
#include <QWizardPage>

#include "apps/common/format.h"

namespace carledger::app {

EscrowWizard::EscrowWizard(Session* session, const v1::Car& car, QWidget* parent)
    : QWizard(parent), session_(session) {
  setObjectName(QStringLiteral("escrowWizard"));
  setWindowTitle(tr("Buy with escrow"));
  QJsonObject rec = QJsonDocument::fromJson(QByteArray::fromStdString(car.record_json())).object();
  vin_ = QString::fromStdString(car.vin());
  price_ = rec.value("price").toInteger();

  auto* p1 = new QWizardPage;
  p1->setTitle(tr("The car and its price"));
  auto* l1 = new QVBoxLayout(p1);
  auto* what = new QLabel(tr("<b>%1 %2 (%3)</b><br>VIN %4<br><br>Price: <b>%5</b>")
                              .arg(rec.value("make").toString(), rec.value("model").toString())
                              .arg(rec.value("year").toInt())
                              .arg(vin_, FormatWon(price_)));
  what->setTextFormat(Qt::RichText);
  l1->addWidget(what);
  addPage(p1);

  auto* p2 = new QWizardPage;
  p2->setTitle(tr("Your wallet"));
  auto* l2 = new QVBoxLayout(p2);
  balance_label_ = new QLabel(tr("Reading your balance…"));
  balance_label_->setObjectName(QStringLiteral("escrowBalance"));
  balance_label_->setWordWrap(true);
  l2->addWidget(balance_label_);
  addPage(p2);

  auto* p3 = new QWizardPage;
  p3->setTitle(tr("Confirm"));
  auto* l3 = new QVBoxLayout(p3);
  auto* explain = new QLabel(
      tr("%1 will be locked in escrow. The seller is paid only when you confirm that you "
         "received the car as described. If something is wrong, dispute it before the "
         "deadline and an administrator decides. If you do neither, the purchase is "
         "confirmed automatically at the deadline.")
          .arg(FormatWon(price_)));
  explain->setWordWrap(true);
  understood_ = new QCheckBox(tr("I understand, lock %1").arg(FormatWon(price_)));
  understood_->setObjectName(QStringLiteral("escrowUnderstood"));
  error_ = new QLabel;
  error_->setObjectName(QStringLiteral("escrowError"));
  error_->setStyleSheet(QStringLiteral("color: #c62828;"));
  error_->setWordWrap(true);
  l3->addWidget(explain);
  l3->addWidget(understood_);
  l3->addWidget(error_);
  addPage(p3);
  LoadBalance();
}

void EscrowWizard::LoadBalance() {
  session_->connection()->call<v1::Wallet>(
      &WalletRpc::GetBalance, v1::Empty(), this, [this](const RpcError& e, const v1::Balance& b) {
        if (!e.ok()) {
          balance_label_->setText(tr("Cannot read your balance: %1").arg(e.message));
          return;
        }
        balance_ = b.balance();
        balance_known_ = true;
        QString text = tr("Balance: <b>%1</b> (besides %2 locked in other trades)")
                           .arg(FormatWon(balance_), FormatWon(b.locked_in_escrow()));
        if (balance_ < price_) {
          text += QStringLiteral("<br><span style='color:#c62828'>%1</span>")
                      .arg(tr("%1 short: request a charge in the Wallet tab, and buy once an "
                              "administrator approved it.")
                               .arg(FormatWon(price_ - balance_)));
        }
        balance_label_->setText(text);
        emit balanceLoaded(balance_);
      });
}

bool EscrowWizard::validateCurrentPage() {
  if (currentId() == 1) return balance_known_ && balance_ >= price_;
  if (currentId() == 2) {
    if (!understood_->isChecked()) {
      error_->setText(tr("Tick the box to confirm you understand how escrow works."));
      return false;
    }
    if (!submitted_) submit();
    return false;  // closes when the ledger answers
  }
  return true;
}

void EscrowWizard::submit() {
  auto tx = session_->sign("open_escrow", QJsonObject{{"vin", vin_}, {"price", price_}});
  if (!tx.ok()) {
    error_->setText(QString::fromStdString(tx.status().message()));
    return;
  }
  submitted_ = true;
  button(QWizard::FinishButton)->setEnabled(false);
  error_->setText(tr("Locking the funds…"));
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = std::move(tx).value();
  Connection::CallOptions o;
  o.timeout_ms = 20000;
  session_->connection()->call<v1::Trades>(
      &TradesRpc::Step, req, this,
      [this](const RpcError& e, const v1::Trade& trade) {
        submitted_ = false;
        button(QWizard::FinishButton)->setEnabled(true);
        if (!e.ok()) {
          error_->setText(e.message);
          emit failed(e);
          return;
        }
        emit opened(QString::fromStdString(trade.escrow_id()));
        accept();
      },
      o);
}

}  // namespace carledger::app
