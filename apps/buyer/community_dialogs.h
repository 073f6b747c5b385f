// Reviewing a completed trade (rating and text, once per side) and reporting a user or a
// listing: small forms whose errors land next to their fields.
#pragma once

#include <QComboBox>
#include <QDialog>
#include <QPlainTextEdit>
#include <QSpinBox>

#include "apps/common/form_errors.h"
#include "apps/common/session.h"

namespace carledger::app {

class ReviewDialog : public QDialog {
  Q_OBJECT

 public:
  ReviewDialog(Session* session, const QString& escrow_id, QWidget* parent = nullptr);
  QSpinBox* rating() const { return rating_; }
  QPlainTextEdit* text() const { return text_; }
  FormErrors* errors() const { return errors_; }
  void submit();

 signals:
  void finished(const carledger::app::RpcError& error);

 private:
  Session* session_;
  QString escrow_id_;
  QSpinBox* rating_;
  QPlainTextEdit* text_;
  FormErrors* errors_;
};

class ReportDialog : public QDialog {
  Q_OBJECT

 public:
  // Reports `vin` (a listing) or, when it is empty, the user `user_id`.
  ReportDialog(Session* session, const QString& user_id, const QString& vin,
               QWidget* parent = nullptr);
  QComboBox* target() const { return target_; }
  QPlainTextEdit* reason() const { return reason_; }
  FormErrors* errors() const { return errors_; }
  void submit();

 signals:
  void finished(const carledger::app::RpcError& error);

 private:
  Session* session_;
  QString user_id_;
  QString vin_;
  QComboBox* target_;
  QPlainTextEdit* reason_;
  FormErrors* errors_;
};

}  // namespace carledger::app
