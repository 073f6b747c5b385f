#include "apps/buyer/community_dialogs.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace carledger::app {

ReviewDialog::ReviewDialog(Session* session, const QString& escrow_id, QWidget* parent)
    : QDialog(parent), session_(session), escrow_id_(escrow_id) {
  setObjectName(QStringLiteral("reviewDialog"));
  setWindowTitle(tr("Review this trade"));
  auto* general = new QLabel;
  errors_ = new FormErrors(general, this);
  auto* form = new QFormLayout;
  rating_ = new QSpinBox;
  rating_->setObjectName(QStringLiteral("reviewRating"));
  rating_->setRange(1, 5);
  rating_->setValue(5);
  rating_->setSuffix(tr(" of 5"));
  text_ = new QPlainTextEdit;
  text_->setObjectName(QStringLiteral("reviewText"));
  errors_->addRow(form, tr("Rating"), QStringLiteral("rating"), rating_);
  errors_->addRow(form, tr("Review"), QStringLiteral("text"), text_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &ReviewDialog::submit);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* v = new QVBoxLayout(this);
  v->addLayout(form);
  v->addWidget(general);
  v->addWidget(buttons);
}

void ReviewDialog::submit() {
  errors_->clear();
  const QString text = text_->toPlainText().trimmed();
  if (text.toUtf8().size() > 2000) {
    errors_->mark(QStringLiteral("text"), tr("at most 2000 bytes (about 660 Korean characters)"));
    return;
  }
  v1::ReviewRequest req;
  req.set_escrow_id(escrow_id_.toStdString());
  req.set_rating(rating_->value());
  req.set_text(text.toStdString());
  session_->connection()->call<v1::Community>(&CommunityRpc::Review, req, this,
                                              [this](const RpcError& e, const v1::ReviewEntry&) {
                                                emit finished(e);
                                                if (!e.ok()) {
                                                  errors_->show(e);
                                                  return;
                                                }
                                                accept();
                                              });
}

ReportDialog::ReportDialog(Session* session, const QString& user_id, const QString& vin,
                           QWidget* parent)
    : QDialog(parent), session_(session), user_id_(user_id), vin_(vin) {
  setObjectName(QStringLiteral("reportDialog"));
  setWindowTitle(tr("Report"));
  auto* general = new QLabel;
  errors_ = new FormErrors(general, this);
  auto* form = new QFormLayout;
  target_ = new QComboBox;
  target_->setObjectName(QStringLiteral("reportTarget"));
  if (!vin.isEmpty()) target_->addItem(tr("This listing (%1)").arg(vin), QStringLiteral("vin"));
  if (!user_id.isEmpty()) target_->addItem(tr("The seller"), QStringLiteral("user"));
  reason_ = new QPlainTextEdit;
  reason_->setObjectName(QStringLiteral("reportReason"));
  reason_->setPlaceholderText(tr("What is wrong? An administrator reviews every report."));
  errors_->addRow(form, tr("Report"), QStringLiteral("target"), target_);
  errors_->addRow(form, tr("Reason"), QStringLiteral("reason"), reason_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &ReportDialog::submit);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* v = new QVBoxLayout(this);
  v->addLayout(form);
  v->addWidget(general);
  v->addWidget(buttons);
}

void ReportDialog::submit() {
  errors_->clear();
  if (reason_->toPlainText().trimmed().isEmpty()) {
    errors_->mark(QStringLiteral("reason"), tr("say what is wrong"));
    return;
  }
  v1::ReportRequest req;
  if (target_->currentData().toString() == "vin")
    req.set_vin(vin_.toStdString());
  else
    req.set_user_id(user_id_.toStdString());
  req.set_reason(reason_->toPlainText().trimmed().toStdString());
  session_->connection()->call<v1::Community>(
      &CommunityRpc::Report, req, this, [this](const RpcError& e, const v1::ReportEntry&) {
        emit finished(e);
        if (!e.ok()) {
          RpcError shown = e;
          if (shown.fields.remove("vin") + shown.fields.remove("user_id") > 0) {
            shown.fields.insert(QStringLiteral("target"), e.message);
          }
          errors_->show(shown);
          return;
        }
        accept();
      });
}

}  // namespace carledger::app
