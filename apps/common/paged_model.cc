#include "apps/common/paged_model.h"

namespace carledger::app {

PagedTableModel::PagedTableModel(Connection* connection, QObject* parent)
    : QAbstractTableModel(parent), connection_(connection) {}

void PagedTableModel::reload() {
  tokens_.clear();
  tokens_ << QString();
  Load(QString());
}

void PagedTableModel::nextPage() {
  if (next_token_.isEmpty()) return;
  tokens_ << next_token_;
  Load(next_token_);
}

void PagedTableModel::previousPage() {
  if (tokens_.size() < 2) return;
  tokens_.removeLast();
  Load(tokens_.last());
}

void PagedTableModel::Load(const QString& token) {
  if (loading_++ == 0) emit loadingChanged(true);
  Fetch(token, ++serial_);
}

bool PagedTableModel::Accept(int serial, const RpcError& error, const QString& next_token) {
  if (--loading_ == 0) emit loadingChanged(false);
  if (serial != serial_) return false;  // an older request answered late
  if (!error.ok()) {
    emit loadFailed(error);
    return false;
  }
  next_token_ = next_token;
  return true;
}

void PagedTableModel::SetRows(std::function<void()> install) {
  beginResetModel();
  install();
  endResetModel();
  emit pageLoaded();
}

}  // namespace carledger::app
