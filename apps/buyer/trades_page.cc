#include "apps/buyer/trades_page.h"

#include <QHeaderView>
#include <QInputDialog>
#include <QJsonObject>
#include <QVBoxLayout>

#include "apps/common/format.h"

namespace carledger::app {

TradesPage::TradesPage(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("tradesPage"));
  table_ = new QTableWidget(0, 5);
  table_->setObjectName(QStringLiteral("tradesTable"));
  table_->setHorizontalHeaderLabels(
      {tr("Car"), tr("Side"), tr("Price"), tr("Status"), tr("Confirm by")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  connect(table_, &QTableWidget::itemSelectionChanged, this, &TradesPage::ShowSelected);
  detail_ = new QLabel;
  detail_->setObjectName(QStringLiteral("tradeDetail"));
  detail_->setTextFormat(Qt::RichText);
  detail_->setWordWrap(true);
  auto* actions = new QHBoxLayout;
  auto add = [&](const QString& action, const QString& label) {
    auto* b = new QPushButton(label);
    b->setObjectName(QStringLiteral("trade_") + action);
    buttons_.insert(action, b);
    actions->addWidget(b);
    return b;
  };
  connect(add("hand_over", tr("I handed the car over")), &QPushButton::clicked, this,
          [this] { step("hand_over"); });
  connect(add("confirm", tr("Confirm the purchase")), &QPushButton::clicked, this,
          [this] { step("confirm"); });
  connect(add("dispute", tr("Dispute…")), &QPushButton::clicked, this, [this] {
    bool ok = false;
    QString reason = QInputDialog::getMultiLineText(this, tr("Dispute"),
                                                    tr("What is wrong with the car?"), {}, &ok);
    if (ok && !reason.trimmed().isEmpty()) step("dispute", reason.trimmed());
  });
  connect(add("cancel", tr("Cancel the trade")), &QPushButton::clicked, this,
          [this] { step("cancel"); });
  connect(add("review", tr("Write a review…")), &QPushButton::clicked, this, [this] {
    if (const v1::Trade* t = selected()) emit reviewRequested(*t);
  });
  connect(add("chat", tr("Chat")), &QPushButton::clicked, this, [this] {
    const v1::Trade* t = selected();
    if (!t) return;
    const bool buyer = QString::fromStdString(t->buyer()) == session_->walletAddress();
    emit chatRequested(QString::fromStdString(buyer ? t->seller_user_id() : t->buyer_user_id()),
                       QString::fromStdString(t->vin()));
  });
  actions->addStretch();
  auto* reload = new QPushButton(tr("Refresh"));
  connect(reload, &QPushButton::clicked, this, &TradesPage::refresh);
  actions->addWidget(reload);
  auto* v = new QVBoxLayout(this);
  v->addWidget(table_, 1);
  v->addWidget(detail_);
  v->addLayout(actions);
  ShowSelected();
}

void TradesPage::refresh() {
  if (!session_->signedIn()) return;
  v1::ListTradesRequest req;
  req.set_page_size(100);
  // Every trade up to 1,000 (a dealer's newest ones beyond that).
  CallAllPages<v1::Trades>(session_->connection(), &TradesRpc::ListMyTrades, req, this,
                           [this](const RpcError& e, const v1::ListTradesReply& reply) {
                             if (e.ok() || reply.trades_size() > 0) Show(reply);
                           });
}

void TradesPage::select(const QString& escrow_id) {
  for (int i = 0; i < static_cast<int>(trades_.size()); ++i) {
    if (QString::fromStdString(trades_[i].escrow_id()) == escrow_id) {
      table_->selectRow(i);
      return;
    }
  }
  pending_select_ = escrow_id;
  refresh();
}

const v1::Trade* TradesPage::selected() const {
  int row = table_->currentRow();
  return row >= 0 && row < static_cast<int>(trades_.size()) ? &trades_[row] : nullptr;
}

void TradesPage::Show(const v1::ListTradesReply& reply) {
  QString keep = selected() ? QString::fromStdString(selected()->escrow_id()) : pending_select_;
  trades_.assign(reply.trades().begin(), reply.trades().end());
  QSignalBlocker block(table_);
  table_->setRowCount(0);
  int select_row = -1;
  for (const auto& t : trades_) {
    int row = table_->rowCount();
    table_->insertRow(row);
    const bool buyer = QString::fromStdString(t.buyer()) == session_->walletAddress();
    table_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(t.vin())));
    table_->setItem(row, 1, new QTableWidgetItem(buyer ? tr("buying") : tr("selling")));
    table_->setItem(row, 2, new QTableWidgetItem(FormatWon(t.price())));
    table_->setItem(row, 3, new QTableWidgetItem(EnumLabel(QString::fromStdString(t.status()))));
    table_->setItem(
        row, 4,
        new QTableWidgetItem(t.deadline_ms() > 0 ? FormatTime(t.deadline_ms()) : QString()));
    if (QString::fromStdString(t.escrow_id()) == keep) select_row = row;
  }
  if (select_row >= 0) {
    table_->selectRow(select_row);
    pending_select_.clear();
  }
  ShowSelected();
}

void TradesPage::ShowSelected() {
  const v1::Trade* t = selected();
  for (QPushButton* b : buttons_) b->setEnabled(false);
  if (!t) {
    detail_->setText(tr("Select a trade to see its steps."));
    return;
  }
  const bool buyer = QString::fromStdString(t->buyer()) == session_->walletAddress();
  const QString s = QString::fromStdString(t->status());
  auto mark = [&](bool done, const QString& text) {
    return QStringLiteral("<p>%1 %2</p>")
        .arg(done ? QStringLiteral("✅") : QStringLiteral("⬜"), text);
  };
  const bool handed = s == "HANDED_OVER" || s == "DISPUTED" || s == "COMPLETED";
  QString html = QStringLiteral("<b>%1</b> · %2<br>")
                     .arg(QString::fromStdString(t->vin()), FormatWon(t->price()));
  html += mark(true, tr("Funded: %1 locked in escrow on %2")
                         .arg(FormatWon(t->price()), FormatTime(t->opened_ms())));
  html += mark(handed, tr("Handed over to the buyer"));
  if (s == "HANDED_OVER") {
    html += QStringLiteral("<p>%1</p>")
                .arg(tr("The buyer confirms or disputes by %1; after that it is confirmed "
                        "automatically.")
                         .arg(FormatTime(t->deadline_ms())));
  }
  if (s == "DISPUTED") html += mark(true, tr("Disputed: an administrator will resolve it"));
  html += mark(s == "COMPLETED", tr("Completed: the money went to the seller and the car to "
                                    "the buyer"));
  if (s == "CANCELLED" || s == "REFUNDED") {
    html += QStringLiteral("<p><b>%1</b></p>").arg(EnumLabel(s));
  }
  detail_->setText(html);
  buttons_["hand_over"]->setEnabled(!buyer && s == "FUNDED");
  buttons_["confirm"]->setEnabled(buyer && s == "HANDED_OVER");
  buttons_["dispute"]->setEnabled(buyer && s == "HANDED_OVER");
  buttons_["cancel"]->setEnabled(s == "FUNDED");
  buttons_["review"]->setEnabled(s == "COMPLETED");
  buttons_["chat"]->setEnabled(true);
}

void TradesPage::step(const QString& function, const QString& reason) {
  const v1::Trade* t = selected();
  if (!t) return;
  QJsonObject args{{"escrow_id", QString::fromStdString(t->escrow_id())}};
  if (function == "dispute") args["reason"] = reason;
  auto tx = session_->sign(function, args);
  if (!tx.ok()) {
    emit stepFinished(function, LocalError(grpc::StatusCode::FAILED_PRECONDITION,
                                           QString::fromStdString(tx.status().message())));
    return;
  }
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = std::move(tx).value();
  Connection::CallOptions o;
  o.timeout_ms = 20000;
  for (QPushButton* b : buttons_) b->setEnabled(false);
  session_->connection()->call<v1::Trades>(
      &TradesRpc::Step, req, this,
      [this, function](const RpcError& e, const v1::Trade&) {
        emit stepFinished(function, e);
        refresh();
      },
      o);
}

}  // namespace carledger::app
