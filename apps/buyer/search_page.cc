#include "apps/buyer/search_page.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QVBoxLayout>

#include "apps/common/format.h"

namespace carledger::app {
SearchPage::SearchPage(Connection* connection, QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("searchPage"));
  model_ = new SearchModel(connection, this);
  auto* general = new QLabel;
  errors_ = new FormErrors(general, this);

  auto* left = new QFormLayout;
  auto edit = [&](const QString& name, const QString& label, const QString& hint) {
    auto* e = new QLineEdit;
    e->setObjectName(QStringLiteral("filter_") + name);
    e->setPlaceholderText(hint);
    e->setClearButtonEnabled(true);
    connect(e, &QLineEdit::returnPressed, this, &SearchPage::search);
    edits_.insert(name, e);
    errors_->addRow(left, label, name, e);
  };
  edit("make", tr("Make"), tr("e.g. Hyundai"));
  edit("model", tr("Model"), tr("e.g. Avante"));
  edit("year_min", tr("Year from"), tr("e.g. 2018"));
  edit("year_max", tr("Year to"), {});
  edit("price_min", tr("Price from (won)"), {});
  edit("price_max", tr("Price to (won)"), tr("e.g. 20,000,000"));
  edit("mileage_max_km", tr("Mileage up to (km)"), {});
  edit("region", tr("Region"), tr("e.g. 서울"));
  fuel_ = new QComboBox;
  fuel_->setObjectName(QStringLiteral("filter_fuel"));
  fuel_->addItem(tr("any"), QString());
  for (const QString& f : EnumValues("fuel")) fuel_->addItem(EnumLabel(f), f);
  errors_->addRow(left, tr("Fuel"), QStringLiteral("fuel"), fuel_);
  transmission_ = new QComboBox;
  transmission_->setObjectName(QStringLiteral("filter_transmission"));
  transmission_->addItem(tr("any"), QString());
  for (const QString& t : EnumValues("transmission")) transmission_->addItem(EnumLabel(t), t);
  errors_->addRow(left, tr("Transmission"), QStringLiteral("transmission"), transmission_);
  sort_ = new QComboBox;
  sort_->setObjectName(QStringLiteral("sortOrder"));
  sort_->addItem(tr("Newest"), v1::SORT_NEWEST);
  sort_->addItem(tr("Price: low to high"), v1::SORT_PRICE_ASC);
  sort_->addItem(tr("Price: high to low"), v1::SORT_PRICE_DESC);
  sort_->addItem(tr("Year: newest"), v1::SORT_YEAR_DESC);
  sort_->addItem(tr("Year: oldest"), v1::SORT_YEAR_ASC);
  sort_->addItem(tr("Mileage: lowest"), v1::SORT_MILEAGE_ASC);
  left->addRow(tr("Sort"), sort_);
  connect(sort_, &QComboBox::currentIndexChanged, this, [this] { search(); });

  auto* go = new QPushButton(tr("Search"));
  go->setObjectName(QStringLiteral("searchButton"));
  go->setDefault(true);
  connect(go, &QPushButton::clicked, this, &SearchPage::search);
  saved_ = new QComboBox;
  saved_->setObjectName(QStringLiteral("savedSearches"));
  saved_->addItem(tr("Saved searches…"));
  saved_->addItems(savedSearches());
  connect(saved_, &QComboBox::activated, this, [this](int i) {
    if (i > 0) applySavedSearch(saved_->itemText(i));
  });
  auto* save = new QPushButton(tr("Save search"));
  connect(save, &QPushButton::clicked, this, [this] {
    bool ok = false;
    QString name =
        QInputDialog::getText(this, tr("Save search"), tr("Name"), QLineEdit::Normal, {}, &ok);
    if (ok && !name.trimmed().isEmpty()) saveSearch(name.trimmed());
  });

  auto* filters = new QVBoxLayout;
  filters->addLayout(left);
  filters->addWidget(general);
  filters->addWidget(go);
  filters->addWidget(saved_);
  filters->addWidget(save);
  filters->addStretch();

  table_ = new QTableView;
  table_->setObjectName(QStringLiteral("resultsTable"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->setDefaultSectionSize(68);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(SearchModel::kCar, QHeaderView::Stretch);
  table_->setColumnWidth(SearchModel::kPhoto, 100);
  table_->setAlternatingRowColors(true);
  connect(table_, &QTableView::activated, this, [this](const QModelIndex& i) {
    emit openCar(model_->data(i, SearchModel::kVinRole).toString());
  });

  prev_ = new QPushButton(tr("‹ Previous"));
  next_ = new QPushButton(tr("Next ›"));
  next_->setObjectName(QStringLiteral("nextPage"));
  pager_ = new QLabel;
  pager_->setObjectName(QStringLiteral("pagerLabel"));
  connect(prev_, &QPushButton::clicked, model_, &PagedTableModel::previousPage);
  connect(next_, &QPushButton::clicked, model_, &PagedTableModel::nextPage);
  connect(model_, &PagedTableModel::pageLoaded, this, &SearchPage::UpdatePager);
  connect(model_, &PagedTableModel::loadingChanged, this, [this](bool busy) {
    if (busy) pager_->setText(tr("Searching…"));
  });
  connect(model_, &PagedTableModel::loadFailed, this, [this](const RpcError& e) {
    errors_->show(e);
    UpdatePager();
  });
  auto* pager = new QHBoxLayout;
  pager->addWidget(prev_);
  pager->addWidget(pager_, 1);
  pager->addWidget(next_);

  auto* right = new QVBoxLayout;
  right->addWidget(table_, 1);
  right->addLayout(pager);
  auto* h = new QHBoxLayout(this);
  auto* filter_box = new QWidget;
  filter_box->setLayout(filters);
  filter_box->setMaximumWidth(320);
  h->addWidget(filter_box);
  h->addLayout(right, 1);
  UpdatePager();
}

bool SearchPage::BuildQuery(v1::SearchRequest* q) {
  errors_->clear();
  bool ok = true;
  auto number = [&](const QString& name, qint64 lo, qint64 hi, qint64* out) {
    QString text = edits_[name]->text().trimmed();
    *out = 0;
    if (text.isEmpty()) return;
    qint64 v = 0;
    if (!ParseWon(text, &v) || v < lo || v > hi) {
      errors_->mark(
          name,
          tr("a whole number from %1 to %2").arg(QLocale().toString(lo), QLocale().toString(hi)));
      ok = false;
      return;
    }
    *out = v;
  };
  qint64 year_min, year_max, price_min, price_max, mileage;
  number("year_min", 1950, 2100, &year_min);
  number("year_max", 1950, 2100, &year_max);
  number("price_min", 1, 1'000'000'000'000, &price_min);
  number("price_max", 1, 1'000'000'000'000, &price_max);
  number("mileage_max_km", 1, 9'999'999, &mileage);
  if (ok && year_min && year_max && year_min > year_max) {
    errors_->mark("year_max", tr("must not be before the 'from' year"));
    ok = false;
  }
  if (ok && price_min && price_max && price_min > price_max) {
    errors_->mark("price_max", tr("must not be below the 'from' price"));
    ok = false;
  }
  if (!ok) return false;
  q->Clear();
  q->set_make(edits_["make"]->text().trimmed().toStdString());
  q->set_model(edits_["model"]->text().trimmed().toStdString());
  q->set_region(edits_["region"]->text().trimmed().toStdString());
  q->set_year_min(static_cast<int>(year_min));
  q->set_year_max(static_cast<int>(year_max));
  q->set_price_min(price_min);
  q->set_price_max(price_max);
  q->set_mileage_max_km(mileage);
  q->set_fuel(fuel_->currentData().toString().toStdString());
  q->set_transmission(transmission_->currentData().toString().toStdString());
  q->set_sort(static_cast<v1::SortOrder>(sort_->currentData().toInt()));
  q->set_page_size(20);
  return true;
}

bool SearchPage::search() {
  v1::SearchRequest q;
  if (!BuildQuery(&q)) return false;
  model_->setQuery(q);
  return true;
}

void SearchPage::UpdatePager() {
  prev_->setEnabled(model_->hasPreviousPage());
  next_->setEnabled(model_->hasNextPage());
  pager_->setText(tr("Page %1 · %n car(s) found", nullptr, static_cast<int>(model_->total()))
                      .arg(model_->pageNumber()));
}

QStringList SearchPage::savedSearches() const {
  QSettings s;
  s.beginGroup(QStringLiteral("savedSearches"));
  return s.childKeys();
}

void SearchPage::saveSearch(const QString& name) {
  QJsonObject o;
  for (auto it = edits_.begin(); it != edits_.end(); ++it) o[it.key()] = it.value()->text();
  o["fuel"] = fuel_->currentData().toString();
  o["transmission"] = transmission_->currentData().toString();
  o["sort"] = sort_->currentIndex();
  QSettings s;
  s.setValue(QStringLiteral("savedSearches/") + name,
             QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
  if (saved_->findText(name) < 0) saved_->addItem(name);
}

bool SearchPage::applySavedSearch(const QString& name) {
  QSettings s;
  QJsonDocument d =
      QJsonDocument::fromJson(s.value(QStringLiteral("savedSearches/") + name).toString().toUtf8());
  if (!d.isObject()) return false;
  QJsonObject o = d.object();
  for (auto it = edits_.begin(); it != edits_.end(); ++it) {
    it.value()->setText(o.value(it.key()).toString());
  }
  fuel_->setCurrentIndex(std::max(0, fuel_->findData(o.value("fuel").toString())));
  transmission_->setCurrentIndex(
      std::max(0, transmission_->findData(o.value("transmission").toString())));
  {
    QSignalBlocker block(sort_);
    sort_->setCurrentIndex(o.value("sort").toInt());
  }
  return search();
}

}  // namespace carledger::app
