#include "apps/common/car_events.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include "apps/common/format.h"

namespace carledger::app {
CarTimeline ReadTimeline(const v1::CarHistory& history) {
  CarTimeline t;
  for (const auto& pe : history.events()) {
    QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(pe.event_json()));
    if (!doc.isObject()) continue;
    QJsonObject o = doc.object();
    CarEvent e;
    e.seq = o.value("seq").toInteger();
    e.type = o.value("type").toString();
    e.at_ms = o.value("at").toInteger();
    e.by = o.value("by").toString();
    e.tx_id = o.value("tx_id").toString();
    e.block = pe.block_height();
    e.data = o.value("data").toObject();
    if (e.type == "registered") {
      t.owners = 1;
      t.odometer.push_back({e.at_ms, e.data.value("odometer_km").toInteger(), e.type});
    } else if (e.type == "inspected") {
      t.inspections.push_back(e);
      const QJsonObject findings = e.data.value("findings").toObject();
      if (findings.value("accident").toBool()) ++t.accidents;
      if (findings.value("flood").toBool()) t.flood = true;
      QJsonObject rec = e.data.value("record").toObject();
      if (rec.contains("odometer_km")) {
        t.odometer.push_back({e.at_ms, rec.value("odometer_km").toInteger(), e.type});
      }
    } else if (e.type == "listed" || e.type == "repriced") {
      t.prices.push_back({e.at_ms, e.data.value("price").toInteger()});
    } else if (e.type == "sold") {
      ++t.owners;
    } else if (e.type == "rollback_detected") {
      t.rollback = true;
    } else if (e.type == "flagged_fraud") {
      t.fraud = true;
    }
    t.events.push_back(std::move(e));
  }
  return t;
}

// Each string is a literal QCoreApplication::translate call so that lupdate finds it.
QString DescribeEvent(const CarEvent& e) {
  const QJsonObject& d = e.data;
  if (e.type == "registered") {
    return QCoreApplication::translate("CarEvents", "Registered at %1")
        .arg(FormatKm(d.value("odometer_km").toInteger()));
  }
  if (e.type == "inspected") {
    QJsonObject agency = d.value("agency").toObject();
    return QCoreApplication::translate("CarEvents", "Inspected by %1 at %2")
        .arg(agency.value("org").toString(agency.value("name").toString()),
             FormatKm(d.value("record").toObject().value("odometer_km").toInteger()));
  }
  if (e.type == "rollback_detected") {
    return QCoreApplication::translate("CarEvents", "Odometer rollback: %1 after %2 before")
        .arg(FormatKm(d.value("reading_km").toInteger()),
             FormatKm(d.value("highest_earlier_km").toInteger()));
  }
  if (e.type == "listed")
    return QCoreApplication::translate("CarEvents", "Listed at %1")
        .arg(FormatWon(d.value("price").toInteger()));
  if (e.type == "repriced") {
    return QCoreApplication::translate("CarEvents", "Repriced from %1 to %2")
        .arg(FormatWon(d.value("previous").toInteger()), FormatWon(d.value("price").toInteger()));
  }
  if (e.type == "delisted") return QCoreApplication::translate("CarEvents", "Delisted");
  if (e.type == "escrow_opened") {
    return QCoreApplication::translate("CarEvents", "Escrow opened at %1")
        .arg(FormatWon(d.value("price").toInteger()));
  }
  if (e.type == "handed_over")
    return QCoreApplication::translate("CarEvents", "Handed over to the buyer");
  if (e.type == "disputed")
    return QCoreApplication::translate("CarEvents", "Disputed: %1")
        .arg(d.value("reason").toString());
  if (e.type == "sold")
    return QCoreApplication::translate("CarEvents", "Sold for %1")
        .arg(FormatWon(d.value("price").toInteger()));
  if (e.type == "escrow_cancelled")
    return QCoreApplication::translate("CarEvents", "Escrow cancelled");
  if (e.type == "refunded") return QCoreApplication::translate("CarEvents", "Buyer refunded");
  if (e.type == "flagged_fraud")
    return QCoreApplication::translate("CarEvents", "Flagged for fraud: %1")
        .arg(d.value("reason").toString());
  if (e.type == "taken_down")
    return QCoreApplication::translate("CarEvents", "Listing taken down after reports");
  return e.type;
}

}  // namespace carledger::app
