#include "apps/buyer/search_model.h"

#include <QColor>
#include <chrono>

#include "apps/common/format.h"

namespace carledger::app {

SearchModel::SearchModel(Connection* connection, QObject* parent)
    : PagedTableModel(connection, parent) {}

void SearchModel::setQuery(const v1::SearchRequest& query) {
  query_ = query;
  reload();
}

const v1::ListingSummary* SearchModel::listing(int row) const {
  return row >= 0 && row < static_cast<int>(rows_.size()) ? &rows_[row] : nullptr;
}

void SearchModel::Fetch(const QString& token, int serial) {
  v1::SearchRequest req = query_;
  req.set_page_token(token.toStdString());
  connection()->call<v1::Market>(
      &MarketRpc::Search, req, this,
      [this, serial](const RpcError& e, const v1::SearchReply& reply) {
        last_reply_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
        if (!Accept(serial, e, QString::fromStdString(reply.next_page_token()))) return;
        SetRows([this, &reply] {
          rows_.assign(reply.results().begin(), reply.results().end());
          total_ = reply.total();
        });
      });
}

int SearchModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int SearchModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumns;
}

QVariant SearchModel::headerData(int section, Qt::Orientation o, int role) const {
  if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kPhoto:
      return tr("Photo");
    case kCar:
      return tr("Car");
    case kYear:
      return tr("Year");
    case kMileage:
      return tr("Mileage");
    case kPrice:
      return tr("Price");
    case kRegion:
      return tr("Region");
    case kFlags:
      return tr("History");
  }
  return {};
}

void SearchModel::WantThumbnail(const QString& sha256) const {
  if (sha256.isEmpty() || requested_.contains(sha256)) return;
  requested_.insert(sha256);
  v1::GetPhotoRequest req;
  req.set_sha256(sha256.toStdString());
  auto* self = const_cast<SearchModel*>(this);
  connection()->call<v1::Market>(
      &MarketRpc::GetPhoto, req, self, [self, sha256](const RpcError& e, const v1::Photo& p) {
        if (!e.ok()) return;  // no picture: the cell stays a placeholder
        QPixmap pix;
        if (!pix.loadFromData(reinterpret_cast<const uchar*>(p.data().data()),
                              static_cast<uint>(p.data().size()))) {
          return;
        }
        self->thumbnails_.insert(
            sha256, new QPixmap(pix.scaled(96, 64, Qt::KeepAspectRatio, Qt::SmoothTransformation)));
        for (int r = 0; r < static_cast<int>(self->rows_.size()); ++r) {
          if (QString::fromStdString(self->rows_[r].thumbnail()) == sha256) {
            QModelIndex i = self->index(r, kPhoto);
            emit self->dataChanged(i, i, {Qt::DecorationRole});
          }
        }
      });
}

QVariant SearchModel::data(const QModelIndex& index, int role) const {
  const v1::ListingSummary* l = listing(index.row());
  if (!l) return {};
  if (role == kVinRole) return QString::fromStdString(l->vin());
  if (index.column() == kPhoto && role == Qt::DecorationRole) {
    QString sha = QString::fromStdString(l->thumbnail());
    if (QPixmap* p = thumbnails_.object(sha)) return *p;
    WantThumbnail(sha);
    return {};
  }
  if (role == Qt::ForegroundRole && index.column() == kFlags &&
      (l->accidents() > 0 || l->flood() || l->rollback() || l->fraud())) {
    return QColor(0xc6, 0x28, 0x28);
  }
  if (role == Qt::TextAlignmentRole &&
      (index.column() == kPrice || index.column() == kMileage || index.column() == kYear)) {
    return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kCar:
      return QStringLiteral("%1 %2").arg(QString::fromStdString(l->make()),
                                         QString::fromStdString(l->model()));
    case kYear:
      return l->year();
    case kMileage:
      return FormatKm(l->odometer_km());
    case kPrice:
      return FormatWon(l->price());
    case kRegion:
      return QString::fromStdString(l->region());
    case kFlags: {
      QStringList flags;
      if (l->fraud()) flags << tr("fraud");
      if (l->rollback()) flags << tr("odometer rollback");
      if (l->flood()) flags << tr("flood");
      if (l->accidents() > 0) flags << tr("%n accident(s)", nullptr, l->accidents());
      if (flags.isEmpty())
        flags << (l->inspections() > 0 ? tr("inspected, no accident") : tr("not inspected"));
      return flags.join(", ");
    }
  }
  return {};
}

}  // namespace carledger::app
