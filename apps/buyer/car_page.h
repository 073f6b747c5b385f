// One car: specs, photos, asking-price history, a summary in the manner of a vehicle
// history report (owners, accidents, flood, odometer rollback, fraud), the inspection
// record laid out like the official form with its panel diagram, the odometer over time,
// every event of its history, the verification badge, and the seller's profile and
// reviews. The history is verified on arrival; nothing is shown as verified before that.
#pragma once

#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>

#include "apps/common/car_events.h"
#include "apps/common/connection.h"
#include "apps/common/history_verifier.h"
#include "apps/common/status_widgets.h"

namespace carledger::app {

class InspectionSheet;
class OdometerChart;

class CarPage : public QWidget {
  Q_OBJECT

 public:
  CarPage(Connection* connection, HistoryVerifier* verifier, QWidget* parent = nullptr);

  // Loads `vin` (car, history, photos, seller).
  void show(const QString& vin);
  const QString& vin() const { return vin_; }
  const v1::Car& car() const { return car_; }
  const CarTimeline& timeline() const { return timeline_; }
  VerificationBadge* badge() const { return badge_; }
  // What a second node says about the shown history (same events, or what was left out).
  QLabel* crossCheck() const { return cross_check_; }
  // The title and the specs table (from the registered event once the history arrived).
  QLabel* titleLabel() const { return title_; }
  QLabel* specs() const { return specs_; }
  // The history report, from the verified events.
  QLabel* summary() const { return summary_; }
  QPushButton* buyButton() const { return buy_; }
  QPushButton* chatButton() const { return chat_; }
  // The wallet address of the signed-in user (to offer buying only to others).
  void setViewer(const QString& wallet) {
    viewer_ = wallet;
    UpdateActions();
  }

 signals:
  void buyRequested(const carledger::v1::Car& car);
  void chatRequested(const QString& user_id, const QString& about_vin);
  void reportRequested(const QString& user_id, const QString& vin);
  void loaded(const QString& vin);
  void historyVerified(const QString& vin, bool ok);
  // A second node was asked how many events the car has; `complete` is false when it knew
  // more than the history shown (that history is then replaced with the second node's).
  void historyCrossChecked(const QString& vin, bool complete);

 private:
  QWidget* BuildOverview();
  void ShowCar(const v1::Car& car);
  void ShowHistory(const v1::CarHistory& history, const QString& node);
  // Title and specs table from a registration record (the car's or its event's data).
  void ShowSpecs(const QJsonObject& spec, qint64 km);
  // Asks a node other than the one that served the verified history for the car's event
  // count: certified events cannot be forged, only left out, so a node that knows more
  // events shows what was left out, and its history is shown instead.
  void CrossCheck();
  void ShowReviews(const v1::ListReviewsReply& reviews);
  void LoadPhoto(const QString& sha256);
  void UpdateActions();

  Connection* connection_;
  HistoryVerifier* verifier_;
  QString vin_;
  QString viewer_;
  QString owner_;  // the car's owner (wallet address)
  v1::Car car_;
  CarTimeline timeline_;
  int verify_serial_ = 0;
  QString history_node_;            // the node that served the history shown
  QString omitted_by_;              // a node whose history was found to leave events out
  bool cross_checked_ = false;      // once per car shown
  bool specs_from_events_ = false;  // the specs shown come from the registered event

  QLabel* title_;
  QLabel* price_;
  QLabel* status_;
  VerificationBadge* badge_;
  QLabel* cross_check_;
  QPushButton* buy_;
  QPushButton* chat_;
  QPushButton* report_;
  QTabWidget* tabs_;
  QLabel* specs_;
  QLabel* summary_;
  QListWidget* photos_;
  QTableWidget* prices_;
  QTableWidget* events_;
  QComboBox* inspection_pick_;
  InspectionSheet* sheet_;
  OdometerChart* chart_;
  QLabel* seller_;
  QListWidget* reviews_;
};

}  // namespace carledger::app
