#include "apps/buyer/sell_page.h"

#include <QDate>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QImageReader>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QPointer>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "apps/buyer/inspection_request_dialog.h"
#include "apps/common/format.h"

namespace carledger::app {
namespace {

QString InputText(QWidget* w) {
  if (auto* e = qobject_cast<QLineEdit*>(w)) return e->text().trimmed();
  if (auto* c = qobject_cast<QComboBox*>(w)) return c->currentData().toString();
  return {};
}

}  // namespace

SellPage::SellPage(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("sellPage"));
  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(BuildForm());
  split->addWidget(BuildMine());
  split->setStretchFactor(1, 1);
  auto* v = new QVBoxLayout(this);
  v->addWidget(split);
  connect(session_, &Session::signedInChanged, this, [this](bool) { refresh(); });
}

QWidget* SellPage::BuildForm() {
  auto* w = new QWidget;
  auto* form = new QFormLayout;
  auto* general = new QLabel;
  general->setObjectName(QStringLiteral("sellError"));
  errors_ = new FormErrors(general, this);
  auto edit = [&](const QString& field, const QString& label, const QString& hint = {}) {
    auto* e = new QLineEdit;
    e->setObjectName(QStringLiteral("sell_") + field);
    e->setPlaceholderText(hint);
    inputs_.insert(field, e);
    errors_->addRow(form, label, field, e);
  };
  auto combo = [&](const QString& field, const QString& label) {
    auto* c = new QComboBox;
    c->setObjectName(QStringLiteral("sell_") + field);
    for (const QString& v : EnumValues(field)) c->addItem(EnumLabel(v), v);
    inputs_.insert(field, c);
    errors_->addRow(form, label, field, c);
  };
  edit("vin", tr("VIN"), tr("17 characters, e.g. KMHD341CBNU123456"));
  edit("make", tr("Make"), tr("e.g. Hyundai"));
  edit("model", tr("Model"), tr("e.g. Avante (CN7) 1.6"));
  edit("year", tr("Model year"), tr("e.g. 2021"));
  combo("fuel", tr("Fuel"));
  combo("transmission", tr("Transmission"));
  edit("colour", tr("Colour"), tr("e.g. 흰색"));
  edit("odometer_km", tr("Mileage (km)"), tr("e.g. 42,180"));
  edit("plate", tr("Plate (optional)"), tr("e.g. 12가 3456"));
  edit("region", tr("Region"), tr("e.g. 서울"));
  edit("price", tr("Asking price (won)"), tr("e.g. 18,500,000"));
  photos_ = new QListWidget;
  photos_->setObjectName(QStringLiteral("sell_photos"));
  photos_->setMaximumHeight(90);
  auto* add_photo = new QPushButton(tr("Add photos…"));
  connect(add_photo, &QPushButton::clicked, this, [this] {
    for (const QString& f : QFileDialog::getOpenFileNames(
             this, tr("Photos of the car"), {}, tr("Images (*.jpg *.jpeg *.png *.webp)"))) {
      addPhotoFile(f);
    }
  });
  auto* photo_box = new QWidget;
  auto* pv = new QVBoxLayout(photo_box);
  pv->setContentsMargins(0, 0, 0, 0);
  pv->addWidget(photos_);
  pv->addWidget(add_photo);
  auto* photo_error = new QLabel;
  photo_error->setObjectName(QStringLiteral("error_photos"));
  photo_error->setStyleSheet(QStringLiteral("color: #c62828;"));
  photo_error->hide();
  pv->addWidget(photo_error);
  form->addRow(tr("Photos"), photo_box);
  errors_->bind(QStringLiteral("photos"), photos_, photo_error);

  submit_ = new QPushButton(tr("Register and list"));
  submit_->setObjectName(QStringLiteral("sellSubmit"));
  connect(submit_, &QPushButton::clicked, this, &SellPage::submit);
  progress_ = new QLabel;
  progress_->setObjectName(QStringLiteral("sellProgress"));
  auto* v = new QVBoxLayout(w);
  auto* title = new QLabel(tr("List a car"));
  title->setStyleSheet(QStringLiteral("font-size: 14pt; font-weight: bold;"));
  v->addWidget(title);
  v->addLayout(form);
  v->addWidget(general);
  v->addWidget(progress_);
  v->addWidget(submit_);
  v->addStretch();
  return w;
}

QWidget* SellPage::BuildMine() {
  auto* w = new QWidget;
  my_cars_ = new QTableWidget(0, 4);
  my_cars_->setObjectName(QStringLiteral("myCars"));
  my_cars_->setHorizontalHeaderLabels({tr("VIN"), tr("Car"), tr("Status"), tr("Price")});
  my_cars_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  my_cars_->setSelectionBehavior(QAbstractItemView::SelectRows);
  my_cars_->horizontalHeader()->setStretchLastSection(true);
  my_cars_->verticalHeader()->hide();
  connect(my_cars_, &QTableWidget::cellDoubleClicked, this,
          [this](int row, int) { emit openCar(my_cars_->item(row, 0)->text()); });
  auto* list_btn = new QPushButton(tr("List for sale…"));
  auto* reprice_btn = new QPushButton(tr("Reprice…"));
  auto* delist_btn = new QPushButton(tr("Delist"));
  auto* inspect_btn = new QPushButton(tr("Request inspection…"));
  connect(list_btn, &QPushButton::clicked, this, [this] {
    QString vin = SelectedVin();
    qint64 price = 0;
    if (!vin.isEmpty() && AskPrice(QStringLiteral("list"), tr("List for sale"), &price))
      list(vin, price);
  });
  connect(reprice_btn, &QPushButton::clicked, this, [this] {
    QString vin = SelectedVin();
    qint64 price = 0;
    if (!vin.isEmpty() && AskPrice(QStringLiteral("reprice"), tr("Reprice"), &price))
      reprice(vin, price);
  });
  connect(delist_btn, &QPushButton::clicked, this, [this] {
    if (QString vin = SelectedVin(); !vin.isEmpty()) delist(vin);
  });
  connect(inspect_btn, &QPushButton::clicked, this, [this] {
    if (QString vin = SelectedVin(); !vin.isEmpty()) openInspectionRequest(vin);
  });
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(list_btn);
  buttons->addWidget(reprice_btn);
  buttons->addWidget(delist_btn);
  buttons->addWidget(inspect_btn);
  buttons->addStretch();
  requests_ = new QTableWidget(0, 4);
  requests_->setObjectName(QStringLiteral("inspectionRequests"));
  requests_->setHorizontalHeaderLabels({tr("VIN"), tr("Agency"), tr("Status"), tr("Updated")});
  requests_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  requests_->horizontalHeader()->setStretchLastSection(true);
  requests_->verticalHeader()->hide();
  auto* v = new QVBoxLayout(w);
  v->addWidget(new QLabel(tr("My cars")));
  v->addWidget(my_cars_, 2);
  v->addLayout(buttons);
  v->addWidget(new QLabel(tr("Inspection requests")));
  v->addWidget(requests_, 1);
  return w;
}

void SellPage::addPhotoFile(const QString& path) {
  auto* item = new QListWidgetItem(QFileInfo(path).fileName());
  item->setData(Qt::UserRole, path);
  photos_->addItem(item);
  // The thumbnail is decoded on a worker (a camera's photo takes tens of milliseconds even
  // at reduced scale); the icon appears when it is ready, if the photo is still listed.
  auto* watcher = new QFutureWatcher<QImage>(this);
  QPointer<QListWidget> list = photos_;
  connect(watcher, &QFutureWatcher<QImage>::finished, this, [watcher, list, path] {
    const QImage thumb = watcher->result();
    watcher->deleteLater();
    if (!list || thumb.isNull()) return;
    for (int i = 0; i < list->count(); ++i) {
      if (list->item(i)->data(Qt::UserRole).toString() == path)
        list->item(i)->setIcon(QIcon(QPixmap::fromImage(thumb)));
    }
  });
  watcher->setFuture(QtConcurrent::run([path] {
    QImageReader reader(path);
    const QSize size = reader.size();
    if (size.isValid()) reader.setScaledSize(size.scaled(64, 48, Qt::KeepAspectRatio));
    return reader.read();
  }));
}

void SellPage::Submit(const QString& function, const QJsonObject& args,
                      std::function<void(const RpcError&)> done) {
  auto tx = session_->sign(function, args);
  if (!tx.ok()) {
    done(LocalError(grpc::StatusCode::FAILED_PRECONDITION,
                    QString::fromStdString(tx.status().message())));
    return;
  }
  v1::SubmitTransactionRequest req;
  *req.mutable_transaction() = std::move(tx).value();
  Connection::CallOptions o;
  o.timeout_ms = 20000;
  session_->connection()->call<v1::Market>(
      &MarketRpc::SubmitTransaction, req, this,
      [done](const RpcError& e, const v1::TransactionOutcome&) { done(e); }, o);
}

void SellPage::submit() {
  errors_->clear();
  // Local checks first: what the user can fix without asking the network.
  bool bad = false;
  for (const char* f : {"vin", "make", "model", "year", "colour", "odometer_km", "price"}) {
    if (InputText(inputs_.value(f)).isEmpty()) bad |= errors_->mark(f, tr("required"));
  }
  qint64 price = 0;
  if (!InputText(inputs_["price"]).isEmpty() && !ParseWon(InputText(inputs_["price"]), &price)) {
    bad |= errors_->mark("price", tr("a whole amount of won, e.g. 18,500,000"));
  }
  qint64 km = 0;
  QString km_text = InputText(inputs_["odometer_km"]);
  if (!km_text.isEmpty() && !ParseWon(km_text, &km) && km_text != "0") {
    bad |= errors_->mark("odometer_km", tr("a whole number of kilometres"));
  }
  bool year_ok = false;
  InputText(inputs_["year"]).toInt(&year_ok);
  if (!InputText(inputs_["year"]).isEmpty() && !year_ok) {
    bad |= errors_->mark("year", tr("a year, e.g. 2021"));
  }
  if (InputText(inputs_["vin"]).size() != 17 && !InputText(inputs_["vin"]).isEmpty()) {
    bad |= errors_->mark(
        "vin", tr("must be 17 characters (it has %1)").arg(InputText(inputs_["vin"]).size()));
  }
  if (bad) return;
  submit_->setEnabled(false);
  QStringList files;
  for (int i = 0; i < photos_->count(); ++i)
    files << photos_->item(i)->data(Qt::UserRole).toString();
  progress_->setText(tr("Uploading photos…"));
  UploadNext(files, {}, [this](QStringList hashes) { Register(hashes); });
}

void SellPage::UploadNext(QStringList files, QStringList hashes,
                          std::function<void(QStringList)> done) {
  if (files.isEmpty()) return done(hashes);
  QString path = files.takeFirst();
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    errors_->mark("photos", tr("cannot read %1").arg(path));
    submit_->setEnabled(true);
    progress_->clear();
    return;
  }
  v1::UploadPhotoRequest req;
  req.set_mime_type(QMimeDatabase().mimeTypeForFile(path).name().toStdString());
  QByteArray data = f.readAll();
  req.set_data(data.constData(), static_cast<size_t>(data.size()));
  session_->connection()->call<v1::Market>(
      &MarketRpc::UploadPhoto, req, this,
      [this, files, hashes, done, path](const RpcError& e, const v1::PhotoRef& ref) mutable {
        if (!e.ok()) {
          errors_->mark("photos", QFileInfo(path).fileName() + ": " + e.message);
          submit_->setEnabled(true);
          progress_->clear();
          return;
        }
        hashes << QString::fromStdString(ref.sha256());
        UploadNext(files, hashes, done);
      });
}

void SellPage::Register(const QStringList& photo_hashes) {
  QJsonObject car;
  for (const char* f : {"vin", "make", "model", "fuel", "transmission", "colour"}) {
    car[f] = InputText(inputs_.value(f));
  }
  car["year"] = InputText(inputs_["year"]).toInt();
  qint64 km = 0;
  ParseWon(InputText(inputs_["odometer_km"]), &km);
  car["odometer_km"] = km;
  for (const char* f : {"plate", "region"}) {
    if (!InputText(inputs_.value(f)).isEmpty()) car[f] = InputText(inputs_.value(f));
  }
  car["photos"] = QJsonArray::fromStringList(photo_hashes);
  const QString vin = InputText(inputs_["vin"]).toUpper();
  qint64 price = 0;
  ParseWon(InputText(inputs_["price"]), &price);
  progress_->setText(tr("Registering the car on the ledger…"));
  Submit("register_car", car, [this, vin, price](const RpcError& e) {
    if (!e.ok()) {
      errors_->show(e);
      progress_->clear();
      submit_->setEnabled(true);
      return;
    }
    progress_->setText(tr("Listing it…"));
    Submit("list", QJsonObject{{"vin", vin}, {"price", price}}, [this, vin](const RpcError& e2) {
      submit_->setEnabled(true);
      if (!e2.ok()) {
        errors_->show(e2);
        progress_->setText(
            tr("Registered, but not listed: fix the price and list it from My cars."));
        refresh();
        return;
      }
      progress_->setText(tr("Listed %1.").arg(vin));
      photos_->clear();
      refresh();
      emit listed(vin);
    });
  });
}

QString SellPage::SelectedVin() const {
  int row = my_cars_->currentRow();
  return row >= 0 && my_cars_->item(row, 0) ? my_cars_->item(row, 0)->text() : QString();
}

bool SellPage::AskPrice(const QString& what, const QString& title, qint64* price) {
  bool ok = false;
  QString text =
      QInputDialog::getText(this, title, tr("Asking price (won)"), QLineEdit::Normal, {}, &ok);
  if (!ok) return false;
  if (ParseWon(text, price) && *price > 0) return true;
  RpcError e;
  e.code = grpc::StatusCode::INVALID_ARGUMENT;
  e.message = tr("price: '%1' is not an amount in won (for example 15,000,000)").arg(text);
  e.fields.insert(QStringLiteral("price"), e.message);
  emit actionFinished(what, e);
  return false;
}

void SellPage::refresh() {
  const int generation = ++refresh_generation_;
  my_cars_->setRowCount(0);
  requests_->setRowCount(0);
  if (!session_->signedIn()) return;
  // The cars the ledger says the wallet owns now: registered from any computer, or bought.
  v1::ListMyCarsRequest cars;
  cars.set_page_size(100);
  CallAllPages<v1::Market>(
      session_->connection(), &MarketRpc::ListMyCars, cars, this,
      [this, generation](const RpcError& e, const v1::ListMyCarsReply& reply) {
        if ((!e.ok() && reply.cars_size() == 0) || generation != refresh_generation_) return;
        for (const auto& car : reply.cars()) AddMyCar(car);
      });
  v1::ListRequestsRequest lr;
  lr.set_page_size(100);
  CallAllPages<v1::Inspections>(
      session_->connection(), &InspectionsRpc::ListMyRequests, lr, this,
      [this, generation](const RpcError& e, const v1::ListRequestsReply& reply) {
        if ((!e.ok() && reply.requests_size() == 0) || generation != refresh_generation_) return;
        requests_->setRowCount(0);
        for (const auto& r : reply.requests()) {
          int row = requests_->rowCount();
          requests_->insertRow(row);
          requests_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(r.vin())));
          requests_->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(r.agency_id())));
          QString status = EnumLabel(QString::fromStdString(r.status()));
          if (!r.decline_reason().empty())
            status += ": " + QString::fromStdString(r.decline_reason());
          requests_->setItem(row, 2, new QTableWidgetItem(status));
          requests_->setItem(row, 3, new QTableWidgetItem(FormatTime(r.updated_ms())));
        }
      });
}

void SellPage::AddMyCar(const v1::Car& car) {
  QJsonObject rec = QJsonDocument::fromJson(QByteArray::fromStdString(car.record_json())).object();
  int row = my_cars_->rowCount();
  my_cars_->insertRow(row);
  my_cars_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(car.vin())));
  my_cars_->setItem(
      row, 1,
      new QTableWidgetItem(rec.value("make").toString() + " " + rec.value("model").toString()));
  my_cars_->setItem(row, 2, new QTableWidgetItem(EnumLabel(rec.value("status").toString())));
  my_cars_->setItem(
      row, 3,
      new QTableWidgetItem(rec.contains("price") ? FormatWon(rec.value("price").toInteger())
                                                 : QString()));
}

void SellPage::list(const QString& vin, qint64 price) {
  Submit("list", QJsonObject{{"vin", vin}, {"price", price}}, [this, vin](const RpcError& e) {
    emit actionFinished(QStringLiteral("list"), e);
    if (e.ok()) emit listed(vin);
    refresh();
  });
}

void SellPage::reprice(const QString& vin, qint64 price) {
  Submit("reprice", QJsonObject{{"vin", vin}, {"price", price}}, [this](const RpcError& e) {
    emit actionFinished(QStringLiteral("reprice"), e);
    refresh();
  });
}

void SellPage::delist(const QString& vin) {
  Submit("delist", QJsonObject{{"vin", vin}}, [this](const RpcError& e) {
    emit actionFinished(QStringLiteral("delist"), e);
    refresh();
  });
}

InspectionRequestDialog* SellPage::openInspectionRequest(const QString& vin) {
  auto* d = new InspectionRequestDialog(session_, vin, this);
  d->setAttribute(Qt::WA_DeleteOnClose);
  connect(d, &InspectionRequestDialog::finished, this, [this](const RpcError& e) {
    if (e.ok()) refresh();
  });
  d->show();
  return d;
}

}  // namespace carledger::app
