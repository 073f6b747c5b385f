#include "apps/buyer/car_page.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScrollArea>
#include <QVBoxLayout>

#include "apps/common/format.h"
#include "apps/common/inspection_sheet.h"
#include "apps/common/odometer_chart.h"

namespace carledger::app {
namespace {

QTableWidget* NewTable(const QStringList& headers, const QString& name) {
  auto* t = new QTableWidget(0, static_cast<int>(headers.size()));
  t->setObjectName(name);
  t->setHorizontalHeaderLabels(headers);
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->verticalHeader()->hide();
  t->horizontalHeader()->setStretchLastSection(true);
  return t;
}

QString Flag(bool bad, const QString& bad_text, const QString& good_text) {
  return bad ? QStringLiteral("<span style='color:#c62828'><b>%1</b></span>").arg(bad_text)
             : QStringLiteral("<span style='color:#2e7d32'>%1</span>").arg(good_text);
}

}  // namespace

CarPage::CarPage(Connection* connection, HistoryVerifier* verifier, QWidget* parent)
    : QWidget(parent), connection_(connection), verifier_(verifier) {
  setObjectName(QStringLiteral("carPage"));
  title_ = new QLabel;
  title_->setObjectName(QStringLiteral("carTitle"));
  title_->setStyleSheet(QStringLiteral("font-size: 18pt; font-weight: bold;"));
  price_ = new QLabel;
  price_->setObjectName(QStringLiteral("carPrice"));
  price_->setStyleSheet(QStringLiteral("font-size: 16pt; color: #0d47a1;"));
  status_ = new QLabel;
  badge_ = new VerificationBadge;
  buy_ = new QPushButton(tr("Buy with escrow…"));
  buy_->setObjectName(QStringLiteral("buyButton"));
  chat_ = new QPushButton(tr("Chat with the seller"));
  report_ = new QPushButton(tr("Report…"));
  connect(buy_, &QPushButton::clicked, this, [this] { emit buyRequested(car_); });
  connect(chat_, &QPushButton::clicked, this,
          [this] { emit chatRequested(QString::fromStdString(car_.seller().user_id()), vin_); });
  connect(report_, &QPushButton::clicked, this,
          [this] { emit reportRequested(QString::fromStdString(car_.seller().user_id()), vin_); });

  auto* head = new QGridLayout;
  head->addWidget(title_, 0, 0);
  head->addWidget(price_, 0, 1, Qt::AlignRight);
  head->addWidget(status_, 1, 0);
  auto* actions = new QHBoxLayout;
  actions->addWidget(chat_);
  actions->addWidget(report_);
  actions->addWidget(buy_);
  head->addLayout(actions, 1, 1, Qt::AlignRight);

  tabs_ = new QTabWidget;
  tabs_->setObjectName(QStringLiteral("carTabs"));
  tabs_->addTab(BuildOverview(), tr("Overview"));

  auto* inspection = new QWidget;
  auto* iv = new QVBoxLayout(inspection);
  inspection_pick_ = new QComboBox;
  inspection_pick_->setObjectName(QStringLiteral("inspectionPick"));
  sheet_ = new InspectionSheet;
  auto* scroll = new QScrollArea;
  scroll->setWidget(sheet_);
  scroll->setWidgetResizable(true);
  iv->addWidget(inspection_pick_);
  iv->addWidget(scroll, 1);
  connect(inspection_pick_, &QComboBox::currentIndexChanged, this, [this](int i) {
    if (i >= 0 && i < timeline_.inspections.size()) {
      sheet_->setRecord(timeline_.inspections[i].data);
    } else {
      sheet_->clear();
    }
  });
  tabs_->addTab(inspection, tr("Inspection record"));

  chart_ = new OdometerChart;
  tabs_->addTab(chart_, tr("Odometer"));
  prices_ = NewTable({tr("Date"), tr("Asking price")}, QStringLiteral("priceHistory"));
  tabs_->addTab(prices_, tr("Price history"));
  events_ = NewTable({tr("#"), tr("Date"), tr("Event"), tr("Block")}, QStringLiteral("eventTable"));
  // The event's description is what the reader wants: it gets the room.
  events_->horizontalHeader()->setStretchLastSection(false);
  events_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  events_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  tabs_->addTab(events_, tr("History"));

  auto* seller = new QWidget;
  auto* sv = new QVBoxLayout(seller);
  seller_ = new QLabel;
  seller_->setObjectName(QStringLiteral("sellerProfile"));
  seller_->setTextFormat(Qt::RichText);
  reviews_ = new QListWidget;
  reviews_->setObjectName(QStringLiteral("sellerReviews"));
  reviews_->setWordWrap(true);
  sv->addWidget(seller_);
  sv->addWidget(reviews_, 1);
  tabs_->addTab(seller, tr("Seller"));

  auto* v = new QVBoxLayout(this);
  v->addLayout(head);
  v->addWidget(badge_);
  cross_check_ = new QLabel;
  cross_check_->setObjectName(QStringLiteral("crossCheck"));
  cross_check_->setWordWrap(true);
  v->addWidget(cross_check_);
  v->addWidget(tabs_, 1);

  connect(verifier_, &HistoryVerifier::verified, this,
          [this](int serial, const QString& vin, const HistoryCheck& check) {
            if (serial != verify_serial_ || vin != vin_) return;  // an older car's verdict
            badge_->setResult(check);
            emit historyVerified(vin, check.ok);
            if (!check.ok) return;
            if (omitted_by_.isEmpty()) return CrossCheck();
            cross_check_->setText(tr("The history shown is %1's: it has events %2 did not serve.")
                                      .arg(history_node_, omitted_by_));
          });
  UpdateActions();
}

QWidget* CarPage::BuildOverview() {
  auto* w = new QWidget;
  auto* g = new QGridLayout(w);
  photos_ = new QListWidget;
  photos_->setObjectName(QStringLiteral("carPhotos"));
  photos_->setViewMode(QListView::IconMode);
  photos_->setIconSize(QSize(240, 160));
  photos_->setFlow(QListView::LeftToRight);
  photos_->setWrapping(false);
  photos_->setFixedHeight(190);
  specs_ = new QLabel;
  specs_->setObjectName(QStringLiteral("carSpecs"));
  specs_->setTextFormat(Qt::RichText);
  specs_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  summary_ = new QLabel;
  summary_->setObjectName(QStringLiteral("carSummary"));
  summary_->setTextFormat(Qt::RichText);
  summary_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  summary_->setStyleSheet(
      QStringLiteral("QLabel { border: 1px solid #b0bec5; border-radius: 6px; padding: 8px; }"));
  g->addWidget(photos_, 0, 0, 1, 2);
  g->addWidget(specs_, 1, 0);
  g->addWidget(summary_, 1, 1);
  g->setRowStretch(2, 1);
  return w;
}

void CarPage::show(const QString& vin) {
  vin_ = vin;
  car_.Clear();
  timeline_ = {};
  title_->setText(vin);
  price_->clear();
  status_->setText(tr("Loading…"));
  badge_->setVerifying();
  photos_->clear();
  photos_->hide();  // shown again when the car has photos
  reviews_->clear();
  summary_->clear();
  cross_check_->clear();
  history_node_.clear();
  omitted_by_.clear();
  cross_checked_ = false;
  specs_from_events_ = false;
  ++verify_serial_;  // whatever is being verified now is about another car
  v1::GetCarRequest req;
  req.set_vin(vin.toStdString());
  connection_->call<v1::Market>(&MarketRpc::GetCar, req, this,
                                [this, vin](const RpcError& e, const v1::Car& car) {
                                  if (vin != vin_) return;
                                  if (!e.ok()) {
                                    status_->setText(e.message);
                                    return;
                                  }
                                  ShowCar(car);
                                });
  v1::GetCarHistoryRequest hreq;
  hreq.set_vin(vin.toStdString());
  connection_->call<v1::Market>(
      &MarketRpc::GetCarHistory, hreq, this,
      [this, vin](const RpcError& e, const v1::CarHistory& h) {
        if (vin != vin_) return;
        if (!e.ok()) {
          HistoryCheck failed;
          failed.problem =
              tr("the node did not return the history: %1").arg(e.message).toStdString();
          badge_->setResult(failed);
          return;
        }
        ShowHistory(h, e.node);
      });
}

void CarPage::CrossCheck() {
  if (cross_checked_ || connection_->nodeCount() < 2) return;
  cross_checked_ = true;
  const int served_by = connection_->nodeIndex(history_node_);
  const int other = (std::max(served_by, 0) + 1) % connection_->nodeCount();
  const QString other_name = connection_->profile().nodes.value(other).name;
  const int shown = static_cast<int>(timeline_.events.size());
  v1::GetCarRequest req;
  req.set_vin(vin_.toStdString());
  Connection::CallOptions pinned;
  pinned.node = other;
  const QString vin = vin_;
  connection_->call<v1::Market>(
      &MarketRpc::GetCar, req, this,
      [this, vin, other, other_name, shown](const RpcError& e, const v1::Car& car) {
        if (vin != vin_) return;
        if (!e.ok()) {
          cross_check_->setText(tr("Not cross-checked: %1 did not answer.").arg(other_name));
          return;
        }
        const qint64 known = QJsonDocument::fromJson(QByteArray::fromStdString(car.record_json()))
                                 .object()
                                 .value("event_count")
                                 .toInteger();
        if (known <= shown) {
          cross_check_->setText(tr("Cross-checked with %1: no event left out.").arg(other_name));
          cross_check_->setStyleSheet({});
          emit historyCrossChecked(vin, true);
          return;
        }
        // The history shown ends early: take the other node's and verify it.
        omitted_by_ = history_node_;
        cross_check_->setText(tr("%1 served %2 of the %3 events %4 knows; loading %4's history…")
                                  .arg(history_node_)
                                  .arg(shown)
                                  .arg(known)
                                  .arg(other_name));
        cross_check_->setStyleSheet(QStringLiteral("color: #b00020; font-weight: bold;"));
        emit historyCrossChecked(vin, false);
        v1::GetCarHistoryRequest hreq;
        hreq.set_vin(vin.toStdString());
        Connection::CallOptions again;
        again.node = other;
        connection_->call<v1::Market>(
            &MarketRpc::GetCarHistory, hreq, this,
            [this, vin](const RpcError& e2, const v1::CarHistory& h) {
              if (vin != vin_ || !e2.ok()) return;
              ShowHistory(h, e2.node);
            },
            again);
      },
      pinned);
}

void CarPage::ShowCar(const v1::Car& car) {
  car_ = car;
  QJsonObject rec = QJsonDocument::fromJson(QByteArray::fromStdString(car.record_json())).object();
  const QString status = rec.value("status").toString();
  owner_ = rec.value("owner").toString();
  price_->setText(rec.contains("price") ? FormatWon(rec.value("price").toInteger()) : QString());
  status_->setText(EnumLabel(status) + QStringLiteral(" · ") + vin_);
  // The node's word, until the verified registration replaces it (ShowHistory).
  if (!specs_from_events_) ShowSpecs(rec, rec.value("odometer_km").toInteger());
  const auto& p = car.seller();
  seller_->setText(p.user_id().empty()
                       ? tr("The owner has no account on this node.")
                       : QStringLiteral("<b>%1</b> · %2<br>%3")
                             .arg(QString::fromStdString(p.login_id()),
                                  ShortId(QString::fromStdString(p.wallet())),
                                  p.reviews() > 0
                                      ? tr("rating %1 of 5 (%n review(s))", nullptr, p.reviews())
                                            .arg(QLocale().toString(p.rating(), 'f', 1))
                                      : tr("no reviews yet")));
  const QJsonArray photos = rec.value("photos").toArray();
  photos_->setVisible(!photos.isEmpty());
  for (const QJsonValue& ph : photos) LoadPhoto(ph.toString());
  if (!p.user_id().empty()) {
    v1::ListReviewsRequest r;
    r.set_user_id(p.user_id());
    r.set_page_size(20);
    connection_->call<v1::Community>(&CommunityRpc::ListReviews, r, this,
                                     [this](const RpcError& e, const v1::ListReviewsReply& rv) {
                                       if (e.ok()) ShowReviews(rv);
                                     });
  }
  UpdateActions();
  emit loaded(vin_);
}

void CarPage::ShowSpecs(const QJsonObject& spec, qint64 km) {
  title_->setText(QStringLiteral("%1 %2 (%3)")
                      .arg(spec.value("make").toString(), spec.value("model").toString())
                      .arg(spec.value("year").toInt()));
  specs_->setText(
      QStringLiteral(
          "<table cellpadding=3>"
          "<tr><td>%1</td><td><b>%2</b></td></tr><tr><td>%3</td><td><b>%4</b></td></tr>"
          "<tr><td>%5</td><td><b>%6</b></td></tr><tr><td>%7</td><td><b>%8</b></td></tr>"
          "<tr><td>%9</td><td><b>%10</b></td></tr><tr><td>%11</td><td><b>%12</b></td></tr>"
          "<tr><td>%13</td><td><b>%14</b></td></tr></table>")
          .arg(tr("VIN"), vin_, tr("Year"), QString::number(spec.value("year").toInt()),
               tr("Mileage"), FormatKm(km), tr("Fuel"), EnumLabel(spec.value("fuel").toString()),
               tr("Transmission"), EnumLabel(spec.value("transmission").toString()), tr("Colour"),
               spec.value("colour").toString())
          .arg(tr("Region"), spec.value("region").toString(QStringLiteral("—"))));
}

void CarPage::ShowHistory(const v1::CarHistory& history, const QString& node) {
  history_node_ = node;
  timeline_ = ReadTimeline(history);
  verify_serial_ = verifier_->verify(history);
  // The specs as registered on the ledger, the mileage as last read (registration or
  // inspection): what a seller might wish to alter comes from the verified events too.
  for (const CarEvent& e : timeline_.events) {
    if (e.type != "registered") continue;
    ShowSpecs(e.data, timeline_.odometer.isEmpty() ? e.data.value("odometer_km").toInteger()
                                                   : timeline_.odometer.back().km);
    specs_from_events_ = true;
    break;
  }
  // The report comes from the events under the verification badge, not from the node's
  // summary of them.
  const int accidents = timeline_.accidents;
  summary_->setText(
      QStringLiteral("<h3>%1</h3><p>%2: <b>%3</b></p><p>%4</p><p>%5</p><p>%6</p><p>%7</p><p>%8</p>")
          .arg(tr("History report"), tr("Owners"), QString::number(timeline_.owners),
               Flag(accidents > 0, tr("%n accident(s) on record", nullptr, accidents),
                    tr("No accident on record")),
               Flag(timeline_.flood, tr("Flood damage"), tr("No flood damage")),
               Flag(timeline_.rollback, tr("Odometer rollback detected"),
                    tr("No odometer rollback")),
               Flag(timeline_.fraud, tr("Flagged for fraud"), tr("No fraud flag")),
               tr("%n inspection(s)", nullptr, static_cast<int>(timeline_.inspections.size()))));
  QList<OdometerPoint> points;
  for (const auto& r : timeline_.odometer) {
    points.push_back(
        {r.at_ms, r.km, r.source == "registered" ? tr("registration") : tr("inspection")});
  }
  chart_->setReadings(points);
  prices_->setRowCount(0);
  for (const auto& pp : timeline_.prices) {
    int row = prices_->rowCount();
    prices_->insertRow(row);
    prices_->setItem(row, 0, new QTableWidgetItem(FormatTime(pp.at_ms)));
    prices_->setItem(row, 1, new QTableWidgetItem(FormatWon(pp.price)));
  }
  events_->setRowCount(0);
  for (const auto& e : timeline_.events) {
    int row = events_->rowCount();
    events_->insertRow(row);
    events_->setItem(row, 0, new QTableWidgetItem(QString::number(e.seq)));
    events_->setItem(row, 1, new QTableWidgetItem(FormatTime(e.at_ms)));
    events_->setItem(row, 2, new QTableWidgetItem(DescribeEvent(e)));
    events_->setItem(row, 3, new QTableWidgetItem(QString::number(e.block)));
  }
  {
    QSignalBlocker block(inspection_pick_);
    inspection_pick_->clear();
    for (const auto& e : timeline_.inspections) {
      QJsonObject agency = e.data.value("agency").toObject();
      inspection_pick_->addItem(
          tr("%1 by %2").arg(FormatDate(e.at_ms), agency.value("org").toString()));
    }
  }
  inspection_pick_->setCurrentIndex(static_cast<int>(timeline_.inspections.size()) - 1);
  if (timeline_.inspections.isEmpty())
    sheet_->clear();
  else
    sheet_->setRecord(timeline_.inspections.back().data);
}

void CarPage::ShowReviews(const v1::ListReviewsReply& reviews) {
  reviews_->clear();
  for (const auto& r : reviews.reviews()) {
    reviews_->addItem(QStringLiteral("%1  %2\n%3")
                          .arg(QString(r.rating(), QChar(0x2605)), FormatDate(r.created_ms()),
                               QString::fromStdString(r.text())));
  }
  if (reviews.reviews_size() == 0) reviews_->addItem(tr("No reviews yet."));
}

void CarPage::LoadPhoto(const QString& sha256) {
  v1::GetPhotoRequest req;
  req.set_sha256(sha256.toStdString());
  const QString vin = vin_;
  connection_->call<v1::Market>(
      &MarketRpc::GetPhoto, req, this, [this, vin](const RpcError& e, const v1::Photo& p) {
        if (!e.ok() || vin != vin_) return;
        QPixmap pix;
        if (!pix.loadFromData(reinterpret_cast<const uchar*>(p.data().data()),
                              static_cast<uint>(p.data().size()))) {
          return;
        }
        photos_->addItem(new QListWidgetItem(QIcon(pix), {}));
      });
}

void CarPage::UpdateActions() {
  const bool listed = car_.has_listing() && car_.listing().price() > 0;
  const bool own = !viewer_.isEmpty() && viewer_ == owner_;
  buy_->setEnabled(listed && !own);
  buy_->setToolTip(own ? tr("This is your car.") : listed ? QString() : tr("Not for sale now."));
  chat_->setEnabled(!own && !car_.seller().user_id().empty());
  report_->setEnabled(!car_.vin().empty());
}

}  // namespace carledger::app
