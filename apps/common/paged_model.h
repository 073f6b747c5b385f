// A table model over a paged list RPC: one page at a time, next and previous through the
// API's opaque page tokens (previous pages' tokens are remembered), loading state and
// errors as signals. Subclasses issue the RPC for a token and hand back the rows.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>

#include "apps/common/connection.h"

namespace carledger::app {

class PagedTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  explicit PagedTableModel(Connection* connection, QObject* parent = nullptr);

  // Loads the first page again (after the query changed).
  void reload();
  void nextPage();
  void previousPage();
  bool hasNextPage() const { return !next_token_.isEmpty(); }
  bool hasPreviousPage() const { return tokens_.size() > 1; }
  int pageNumber() const { return static_cast<int>(tokens_.size()); }
  bool loading() const { return loading_ > 0; }

 signals:
  // A page is in the model (rows may be 0).
  void pageLoaded();
  void loadFailed(const carledger::app::RpcError& error);
  void loadingChanged(bool loading);

 protected:
  // Issues the request for the page at `token` ("" = first) and calls Deliver with it.
  virtual void Fetch(const QString& token, int serial) = 0;
  // Subclasses call this from their RPC's completion: installs the rows (via SetRows) when
  // `serial` is still the latest request.
  bool Accept(int serial, const RpcError& error, const QString& next_token);
  // Replaces the rows between beginResetModel/endResetModel (subclass storage).
  virtual void SetRows(std::function<void()> install);
  Connection* connection() const { return connection_; }

 private:
  void Load(const QString& token);

  Connection* connection_;
  QStringList tokens_;  // token of each page shown so far (the current is last)
  QString next_token_;
  int serial_ = 0;
  int loading_ = 0;
};

}  // namespace carledger::app
