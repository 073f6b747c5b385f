// A seller's request to have a car inspected (the off-ledger workflow: requested ->
// accepted by an agency -> inspected or declined): a small form whose errors land next to
// their fields, and which stays open until the request is made.
#pragma once

#include <QDialog>
#include <QLineEdit>

#include "apps/common/form_errors.h"
#include "apps/common/session.h"

namespace carledger::app {

class InspectionRequestDialog : public QDialog {
  Q_OBJECT

 public:
  InspectionRequestDialog(Session* session, const QString& vin, QWidget* parent = nullptr);
  // The form's inputs by field name: agency_id, location, preferred_date, note.
  QLineEdit* input(const QString& field) const { return inputs_.value(field); }
  FormErrors* errors() const { return errors_; }
  // Sends the request; the dialog closes when it is made, else marks what is wrong.
  void submit();

 signals:
  void finished(const carledger::app::RpcError& error);

 private:
  Session* session_;
  QString vin_;
  QMap<QString, QLineEdit*> inputs_;
  FormErrors* errors_;
};

}  // namespace carledger::app
