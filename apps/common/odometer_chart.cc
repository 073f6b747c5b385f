#include "apps/common/odometer_chart.h"

#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QScatterSeries>
#include <QTextDocument>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

namespace carledger::app {
namespace {

constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;

QString SourceText(const QString& source) {
  if (source == u"registration") return OdometerChart::tr("registration");
  if (source == u"inspection") return OdometerChart::tr("inspection");
  return source;
}

}  // namespace

OdometerChart::OdometerChart(QWidget* parent)
    : QWidget(parent),
      view_(new QChartView(this)),
      time_axis_(new QDateTimeAxis),
      km_axis_(new QValueAxis) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_);
  view_->setObjectName(QStringLiteral("odometer_chart_view"));
  view_->setRenderHint(QPainter::Antialiasing);
  view_->setMinimumSize(240, 180);

  auto* chart = new QChart;
  chart->setLocalizeNumbers(true);  // "120,000" with the UI locale's separators
  chart->legend()->setAlignment(Qt::AlignBottom);
  time_axis_->setFormat(QStringLiteral("yyyy-MM"));
  time_axis_->setTitleText(tr("Date"));
  km_axis_->setLabelFormat(QStringLiteral("%.0f"));
  km_axis_->setTitleText(tr("Odometer (km)"));
  chart->addAxis(time_axis_, Qt::AlignBottom);  // the chart owns the axes from here on
  chart->addAxis(km_axis_, Qt::AlignLeft);
  view_->setChart(chart);  // and the view owns the chart
  setReadings({});
}

OdometerChart::~OdometerChart() = default;

void OdometerChart::setReadings(const QList<OdometerPoint>& readings) {
  readings_ = readings;
  std::stable_sort(
      readings_.begin(), readings_.end(),
      [](const OdometerPoint& a, const OdometerPoint& b) { return a.at_ms < b.at_ms; });

  QChart* chart = view_->chart();
  chart->removeAllSeries();
  auto* line = new QLineSeries;
  auto* normal = new QScatterSeries;
  auto* rollback = new QScatterSeries;
  line->setColor(QColor(0x90, 0xa4, 0xae));
  normal->setName(tr("Reading"));
  normal->setColor(QColor(0x15, 0x65, 0xc0));
  normal->setMarkerSize(9);
  rollback->setName(tr("Rollback (lower than an earlier reading)"));
  rollback->setColor(QColor(0xd3, 0x2f, 0x2f));
  rollback->setMarkerSize(12);

  rollbacks_ = 0;
  bool any = false;
  qint64 highest = 0;
  for (const OdometerPoint& r : readings_) {
    const QPointF point(static_cast<qreal>(r.at_ms), static_cast<qreal>(r.km));
    line->append(point);
    if (any && r.km < highest) {
      rollback->append(point);
      ++rollbacks_;
    } else {
      normal->append(point);
    }
    highest = any ? std::max(highest, r.km) : r.km;
    any = true;
  }

  for (QXYSeries* s : {static_cast<QXYSeries*>(line), static_cast<QXYSeries*>(normal),
                       static_cast<QXYSeries*>(rollback)}) {
    chart->addSeries(s);
    s->attachAxis(time_axis_);
    s->attachAxis(km_axis_);
  }
  for (QLegendMarker* m : chart->legend()->markers(line)) m->setVisible(false);
  if (rollbacks_ == 0) {
    for (QLegendMarker* m : chart->legend()->markers(rollback)) m->setVisible(false);
  }
  connect(normal, &QScatterSeries::hovered, this, &OdometerChart::ShowTooltip);
  connect(rollback, &QScatterSeries::hovered, this, &OdometerChart::ShowTooltip);

  chart->setTitle(readings_.isEmpty() ? tr("No odometer readings") : QString());
  // A single reading or readings on one day still get a readable time span.
  const qint64 first =
      readings_.isEmpty() ? QDateTime::currentMSecsSinceEpoch() : readings_.first().at_ms;
  const qint64 last = readings_.isEmpty() ? first : readings_.last().at_ms;
  const qint64 pad = std::max((last - first) / 20, 15 * kDayMs);
  time_axis_->setRange(QDateTime::fromMSecsSinceEpoch(first - pad),
                       QDateTime::fromMSecsSinceEpoch(last + pad));
  // Months repeat on the axis when the span is short: label days then.
  const bool short_span = (last - first) + 2 * pad < 180 * kDayMs;
  time_axis_->setFormat(short_span ? QStringLiteral("yyyy-MM-dd") : QStringLiteral("yyyy-MM"));
  time_axis_->setTickCount(short_span ? 3 : 5);
  km_axis_->setRange(0, std::max<qreal>(1000, static_cast<qreal>(highest) * 1.1));
  km_axis_->setTickCount(6);
  km_axis_->applyNiceNumbers();
}

int OdometerChart::rollbackPoints() const {
  return rollbacks_;
}

QChartView* OdometerChart::chartView() const {
  return view_;
}

void OdometerChart::ShowTooltip(const QPointF& value, bool state) {
  if (!state) {
    QToolTip::hideText();
    return;
  }
  qint64 highest = 0;
  bool any = false;
  for (const OdometerPoint& r : readings_) {
    if (r.at_ms == static_cast<qint64>(value.x()) && r.km == static_cast<qint64>(value.y())) {
      const QLocale locale;
      QString text = tr("%1: %2 km (%3)")
                         .arg(QDateTime::fromMSecsSinceEpoch(r.at_ms).date().toString(Qt::ISODate),
                              locale.toString(r.km), SourceText(r.source));
      if (any && r.km < highest) {
        text += QLatin1Char('\n') +
                tr("Lower than the earlier reading of %1 km").arg(locale.toString(highest));
      }
      QToolTip::showText(QCursor::pos(), Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal),
                         view_);
      return;
    }
    highest = any ? std::max(highest, r.km) : r.km;
    any = true;
  }
}

}  // namespace carledger::app
