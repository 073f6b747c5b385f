#include "apps/common/form_errors.h"

#include <QStyle>
#include <QVBoxLayout>

namespace carledger::app {
namespace {

void SetMarked(QWidget* input, bool marked) {
  if (!input) return;
  input->setProperty("fieldError", marked);
  input->setStyleSheet(marked ? QStringLiteral("border: 1px solid #c62828;") : QString());
}

}  // namespace

FormErrors::FormErrors(QLabel* general, QObject* parent) : QObject(parent), general_(general) {
  if (general_) {
    general_->setWordWrap(true);
    general_->setStyleSheet(QStringLiteral("color: #c62828;"));
  }
}

QWidget* FormErrors::addRow(QFormLayout* layout, const QString& label, const QString& field,
                            QWidget* input) {
  auto* box = new QWidget;
  auto* v = new QVBoxLayout(box);
  v->setContentsMargins(0, 0, 0, 0);
  v->setSpacing(2);
  auto* error = new QLabel;
  error->setObjectName(QStringLiteral("error_") + field);
  error->setStyleSheet(QStringLiteral("color: #c62828; font-size: small;"));
  error->setWordWrap(true);
  error->hide();
  v->addWidget(input);
  v->addWidget(error);
  layout->addRow(label, box);
  bind(field, input, error);
  return input;
}

void FormErrors::bind(const QString& field, QWidget* input, QLabel* error_label) {
  fields_.insert(field, Binding{input, error_label});
}

const FormErrors::Binding* FormErrors::Find(const QString& field, QString* bound_name) const {
  // "record.odometer_km" or "photos[2]" fall back to the bound prefix.
  QString name = field;
  while (!name.isEmpty()) {
    auto it = fields_.find(name);
    if (it != fields_.end()) {
      *bound_name = name;
      return &it.value();
    }
    int cut = std::max(name.lastIndexOf('.'), name.lastIndexOf('['));
    if (cut <= 0) break;
    name = name.left(cut);
  }
  return nullptr;
}

bool FormErrors::mark(const QString& field, const QString& message) {
  QString bound;
  const Binding* b = Find(field, &bound);
  if (!b) return false;
  SetMarked(b->input, true);
  if (b->label) {
    b->label->setText(message);
    b->label->show();
  }
  marked_.insert(bound, message);
  return true;
}

void FormErrors::clear() {
  for (auto it = fields_.begin(); it != fields_.end(); ++it) {
    SetMarked(it->input, false);
    if (it->label) {
      it->label->clear();
      it->label->hide();
    }
  }
  marked_.clear();
  if (general_) general_->clear();
}

bool FormErrors::show(const RpcError& error) {
  clear();
  if (error.ok()) return false;
  bool any = false;
  QStringList unmatched;
  for (auto it = error.fields.begin(); it != error.fields.end(); ++it) {
    if (mark(it.key(), it.value())) {
      any = true;
    } else {
      unmatched << it.key() + ": " + it.value();
    }
  }
  if (general_) {
    if (!any) {
      general_->setText(error.message);
    } else if (!unmatched.isEmpty()) {
      general_->setText(unmatched.join("; "));
    }
  }
  return any;
}

QString FormErrors::errorFor(const QString& field) const {
  return marked_.value(field);
}

}  // namespace carledger::app
