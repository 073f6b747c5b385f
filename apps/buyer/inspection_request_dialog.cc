#include "apps/buyer/inspection_request_dialog.h"

#include <QDate>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace carledger::app {

InspectionRequestDialog::InspectionRequestDialog(Session* session, const QString& vin,
                                                 QWidget* parent)
    : QDialog(parent), session_(session), vin_(vin) {
  setObjectName(QStringLiteral("inspectionRequestDialog"));
  setWindowTitle(tr("Request an inspection of %1").arg(vin));
  auto* general = new QLabel;
  general->setObjectName(QStringLiteral("inspectionRequestError"));
  errors_ = new FormErrors(general, this);
  auto* form = new QFormLayout;
  auto add = [&](const QString& field, const QString& label, const QString& text = {}) {
    auto* e = new QLineEdit(text);
    e->setObjectName(QStringLiteral("inspection_") + field);
    inputs_[field] = e;
    errors_->addRow(form, label, field, e);
    return e;
  };
  add(QStringLiteral("agency_id"), tr("Agency (login ID)"))->setPlaceholderText(tr("any agency"));
  add(QStringLiteral("location"), tr("Where the car is"));
  add(QStringLiteral("preferred_date"), tr("Preferred date"),
      QDate::currentDate().addDays(3).toString(Qt::ISODate))
      ->setPlaceholderText(QStringLiteral("YYYY-MM-DD"));
  add(QStringLiteral("note"), tr("Note"));
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &InspectionRequestDialog::submit);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* v = new QVBoxLayout(this);
  v->addLayout(form);
  v->addWidget(general);
  v->addWidget(buttons);
}

void InspectionRequestDialog::submit() {
  errors_->clear();
  if (inputs_["location"]->text().trimmed().isEmpty()) {
    errors_->mark(QStringLiteral("location"), tr("say where the agency can see the car"));
    return;
  }
  v1::RequestInspectionRequest req;
  req.set_vin(vin_.toStdString());
  req.set_agency_id(inputs_["agency_id"]->text().trimmed().toStdString());
  req.set_location(inputs_["location"]->text().trimmed().toStdString());
  req.set_preferred_date(inputs_["preferred_date"]->text().trimmed().toStdString());
  req.set_note(inputs_["note"]->text().trimmed().toStdString());
  session_->connection()->call<v1::Inspections>(
      &InspectionsRpc::RequestInspection, req, this,
      [this](const RpcError& e, const v1::InspectionRequest&) {
        emit finished(e);
        if (!e.ok()) {
          errors_->show(e);
          return;
        }
        accept();
      });
}

}  // namespace carledger::app
