// Search results as a paged table: one row per listing (thumbnail, car, year, mileage,
// price, region, flags), the query a v1::SearchRequest. Thumbnails are fetched once per
// photo hash and cached; the row repaints when its picture arrives.
#pragma once

#include <QCache>
#include <QPixmap>
#include <QSet>

#include "apps/common/paged_model.h"

namespace carledger::app {

class SearchModel : public PagedTableModel {
  Q_OBJECT

 public:
  enum Column { kPhoto, kCar, kYear, kMileage, kPrice, kRegion, kFlags, kColumns };
  enum Role { kVinRole = Qt::UserRole + 1 };

  explicit SearchModel(Connection* connection, QObject* parent = nullptr);

  void setQuery(const v1::SearchRequest& query);
  const v1::SearchRequest& query() const { return query_; }
  const v1::ListingSummary* listing(int row) const;
  qint64 total() const { return total_; }
  // When the last page's reply reached the GUI thread (steady clock, ns): the benchmark's
  // start for "results on screen".
  qint64 lastReplyNs() const { return last_reply_ns_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation o, int role) const override;

 protected:
  void Fetch(const QString& token, int serial) override;

 private:
  void WantThumbnail(const QString& sha256) const;

  v1::SearchRequest query_;
  std::vector<v1::ListingSummary> rows_;
  qint64 total_ = 0;
  qint64 last_reply_ns_ = 0;
  mutable QCache<QString, QPixmap> thumbnails_{200};
  mutable QSet<QString> requested_;
};

}  // namespace carledger::app
