// Odometer readings of one car over time (registration and inspections) as a QtCharts line
// chart; a reading lower than an earlier maximum (a rollback) is drawn in red.
#pragma once

#include <QList>
#include <QString>
#include <QWidget>

class QChartView;
class QDateTimeAxis;
class QValueAxis;

namespace carledger::app {

struct OdometerPoint {
  qint64 at_ms = 0;  // when the reading was taken, ms since the epoch (UTC)
  qint64 km = 0;
  QString source;  // "registration", "inspection" or any other text shown as is
};

class OdometerChart : public QWidget {
  Q_OBJECT

 public:
  // An empty chart ("No odometer readings").
  explicit OdometerChart(QWidget* parent = nullptr);
  ~OdometerChart() override;

  // Replaces the readings. They are sorted by time (readings at the same time keep their
  // order); a reading strictly lower than the highest reading before it counts as a
  // rollback point and is drawn in red.
  void setReadings(const QList<OdometerPoint>& readings);

  // How many of the current readings are rollback points (0 when there are none).
  int rollbackPoints() const;

  // The chart view, for hosts that want to style or export it.
  QChartView* chartView() const;

 private:
  void ShowTooltip(const QPointF& value, bool state);

  QChartView* view_;
  QDateTimeAxis* time_axis_;
  QValueAxis* km_axis_;
  QList<OdometerPoint> readings_;  // sorted by time
  int rollbacks_ = 0;
};

}  // namespace carledger::app
