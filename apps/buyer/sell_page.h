// Selling: the listing form (the car's registration and asking price, with photos),
// validated here and by the contract, each error next to its field; the seller's cars
// with reprice, delist and list again; inspection requests and how they are going.
#pragma once

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>

#include "apps/common/form_errors.h"
#include "apps/common/session.h"

namespace carledger::app {

class InspectionRequestDialog;

class SellPage : public QWidget {
  Q_OBJECT

 public:
  SellPage(Session* session, QWidget* parent = nullptr);

  // For tests: the form's inputs by field name, and actions.
  QWidget* input(const QString& field) const { return inputs_.value(field); }
  FormErrors* errors() const { return errors_; }
  QPushButton* submitButton() const { return submit_; }
  void addPhotoFile(const QString& path);
  // Submits the form: uploads photos, registers the car, lists it.
  void submit();
  QTableWidget* myCars() const { return my_cars_; }
  QTableWidget* requests() const { return requests_; }
  // Reloads the seller's cars and inspection requests.
  void refresh();
  // Actions on one of the seller's cars (the dialogs call these).
  // Lists a car that is registered but not for sale (never listed, delisted, or bought).
  void list(const QString& vin, qint64 price);
  void reprice(const QString& vin, qint64 price);
  void delist(const QString& vin);
  // Opens the inspection request form for one of the seller's cars (it stays open, its
  // errors next to its fields, until the request is made; then the lists reload).
  InspectionRequestDialog* openInspectionRequest(const QString& vin);

 signals:
  void listed(const QString& vin);
  void actionFinished(const QString& what, const carledger::app::RpcError& error);
  void openCar(const QString& vin);

 private:
  QWidget* BuildForm();
  QWidget* BuildMine();
  void Submit(const QString& function, const QJsonObject& args,
              std::function<void(const RpcError&)> done);
  void UploadNext(QStringList files, QStringList hashes, std::function<void(QStringList)> done);
  void Register(const QStringList& photo_hashes);
  QString SelectedVin() const;
  void AddMyCar(const v1::Car& car);
  // Asks for a price in won; false (and an actionFinished error) when the text is no amount.
  bool AskPrice(const QString& what, const QString& title, qint64* price);

  Session* session_;
  QMap<QString, QWidget*> inputs_;
  FormErrors* errors_;
  QListWidget* photos_;
  QPushButton* submit_;
  QLabel* progress_;
  QTableWidget* my_cars_;
  QTableWidget* requests_;
  int refresh_generation_ = 0;  // answers to an older refresh() are dropped
};

}  // namespace carledger::app
