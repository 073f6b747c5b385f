// The market: filters (make, model, year, price, mileage, fuel, transmission, region),
// sort, the results table with thumbnails, paging, and saved searches (kept in QSettings).
#pragma once

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>

#include "apps/buyer/search_model.h"
#include "apps/common/form_errors.h"

namespace carledger::app {

class SearchPage : public QWidget {
  Q_OBJECT

 public:
  SearchPage(Connection* connection, QWidget* parent = nullptr);

  SearchModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  // Runs the search in the filter fields (false when a filter is invalid; it is marked).
  bool search();
  // The filters as a request (fields not set are empty).
  bool BuildQuery(v1::SearchRequest* query);
  QLineEdit* filter(const QString& name) const { return edits_.value(name); }
  QComboBox* fuel() const { return fuel_; }
  QComboBox* sort() const { return sort_; }
  FormErrors* errors() const { return errors_; }
  // Saves the current filters under `name`; applies a saved search.
  void saveSearch(const QString& name);
  bool applySavedSearch(const QString& name);
  QStringList savedSearches() const;

 signals:
  void openCar(const QString& vin);

 private:
  void UpdatePager();

  SearchModel* model_;
  QTableView* table_;
  QMap<QString, QLineEdit*> edits_;
  QComboBox* fuel_;
  QComboBox* transmission_;
  QComboBox* sort_;
  QComboBox* saved_;
  QPushButton* prev_;
  QPushButton* next_;
  QLabel* pager_;
  FormErrors* errors_;
};

}  // namespace carledger::app
