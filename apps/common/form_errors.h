// Puts the errors of a form next to the fields they are about: an INVALID_ARGUMENT (or a
// contract rejection "price: ...") names fields, each bound here to its input and the small
// label under it; what names no bound field goes to the form's general error label.
#pragma once

#include <QFormLayout>
#include <QLabel>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QWidget>

#include "apps/common/rpc_error.h"

namespace carledger::app {

class FormErrors : public QObject {
  Q_OBJECT

 public:
  // `general`: where errors that name no field are shown (may be null).
  explicit FormErrors(QLabel* general, QObject* parent = nullptr);

  // Adds a row "label: input" to `layout` with an error label under the input, bound to
  // `field` (the API's or the contract's name for it). Returns the input.
  QWidget* addRow(QFormLayout* layout, const QString& label, const QString& field, QWidget* input);
  // Binds `field` (also any "field.sub" or "field[i]...") to an input already laid out,
  // with its own error label.
  void bind(const QString& field, QWidget* input, QLabel* error_label);

  // Clears every mark, then marks what `error` names. Returns true when it marked a field.
  bool show(const RpcError& error);
  // Marks one field (local validation); returns false when `field` is not bound.
  bool mark(const QString& field, const QString& message);
  void clear();
  // The message shown for `field` ("" when none).
  QString errorFor(const QString& field) const;
  bool hasErrors() const { return !marked_.isEmpty() || (general_ && !general_->text().isEmpty()); }

 private:
  struct Binding {
    QPointer<QWidget> input;
    QPointer<QLabel> label;
  };
  const Binding* Find(const QString& field, QString* bound_name) const;

  QPointer<QLabel> general_;
  QMap<QString, Binding> fields_;
  QMap<QString, QString> marked_;
};

}  // namespace carledger::app
