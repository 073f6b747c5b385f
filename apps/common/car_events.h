// A car's history as the screens need it, read from the events of a CarHistory (each
// `{seq, type, tx_id, prev_tx, at, by, data}`, contracts/car_trade/API.md): the events in
// order, the odometer readings over time, the asking prices over time, the inspections.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include "carledger_api.pb.h"

namespace carledger::app {

struct CarEvent {
  qint64 seq = 0;
  QString type;
  qint64 at_ms = 0;
  QString by;
  QString tx_id;
  quint64 block = 0;
  QJsonObject data;
};

struct OdometerReading {
  qint64 at_ms = 0;
  qint64 km = 0;
  QString source;  // "registered" or "inspected"
};

struct PricePoint {
  qint64 at_ms = 0;
  qint64 price = 0;
};

struct CarTimeline {
  QList<CarEvent> events;
  QList<OdometerReading> odometer;
  QList<PricePoint> prices;
  QList<CarEvent> inspections;  // the `inspected` events, oldest first
  // The history report, folded over the events as the contract folds its summary
  // (car_trade.lua, fold_summary), so what the app shows comes from the events it verified
  // rather than from the node's word.
  int owners = 0;
  int accidents = 0;  // inspections that found an accident
  bool flood = false;
  bool rollback = false;  // an odometer reading below an earlier one
  bool fraud = false;     // flagged by an administrator after a confirmed report
};

// Parses the events of `history` (malformed events are skipped, not fatal).
CarTimeline ReadTimeline(const v1::CarHistory& history);

// A one-line description of an event for the history list ("Listed at 18,500,000원").
QString DescribeEvent(const CarEvent& e);

}  // namespace carledger::app
