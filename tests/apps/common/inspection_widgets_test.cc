// apps/common: the inspection sheet, the body-panel diagram and the odometer chart, driven
// through their public API and the objectNames GUI tests rely on.
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QtTest>

#include "apps/common/inspection_panels.h"
#include "apps/common/inspection_sheet.h"
#include "apps/common/odometer_chart.h"
#include "apps/common/panel_diagram.h"

namespace {

// Widgets need a platform plugin; the offscreen one works without a display. Set before
// QTEST_MAIN creates the application, unless the caller chose one.
const bool kOffscreen = [] {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  return true;
}();

const QString kDash = QStringLiteral("—");

// The `data` of an `inspected` event as the contract stores it: no accident declared, but
// the left A pillar was welded, so the frame rule makes it an accident car.
QJsonObject SampleEvent() {
  return QJsonDocument::fromJson(R"({
    "record": {
      "odometer_km": 42215, "gauge_state": "good", "model_year": 2019,
      "first_registration": "2019-03-15", "engine_type": "G4FG", "transmission": "automatic",
      "warranty": "insurer", "identity_check": "good", "illegal_modification": false,
      "accident": false, "flood": false,
      "self_diagnosis": {"engine": "good", "transmission": "needs_repair"},
      "emissions": {"co_pct_x100": 25, "hc_ppm": 40},
      "components": {"engine.oil_leak": "leak", "engine.idling": "good",
                     "brakes.booster": "needs_repair"},
      "usage_history": "rental",
      "panels": [{"panel": "a_pillar_left", "mark": "W"}, {"panel": "hood", "mark": "X"},
                 {"panel": "trunk hinge", "mark": "X"}],
      "remarks": "Rear bumper repainted.\n<b>not bold</b>",
      "inspector_name": "Kim Min-jun", "plate": "12가 3456"
    },
    "findings": {
      "accident": true, "accident_by_frame_rule": true,
      "frame_repairs": [{"panel": "a_pillar_left", "mark": "W"}],
      "flood": false, "odometer_unverified": false, "rollback": false,
      "year_mismatch": false, "identity_issue": false
    },
    "agency": {"id": "ab12", "org": "Seoul Inspection Center", "name": "Gangnam branch"}
  })")
      .object();
}

}  // namespace

class InspectionWidgetsTest : public QObject {
  Q_OBJECT

 private:
  static QString Value(const QWidget& w, const QString& name) {
    auto* label = w.findChild<QLabel*>(name);
    return label != nullptr ? label->text() : QStringLiteral("<missing %1>").arg(name);
  }
  static bool Shown(const QWidget& w, const QString& name) {
    auto* label = w.findChild<QLabel*>(name);
    return label != nullptr && !label->isHidden();
  }

 private slots:
  void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

  void sheetShowsRecordValues() {
    carledger::app::InspectionSheet sheet;
    sheet.setRecord(SampleEvent());
    QCOMPARE(Value(sheet, "value_odometer_km"), QStringLiteral("42,215 km"));
    QCOMPARE(Value(sheet, "value_gauge_state"), QStringLiteral("good"));
    QCOMPARE(Value(sheet, "value_model_year"), QStringLiteral("2019"));
    QCOMPARE(Value(sheet, "value_first_registration"), QStringLiteral("2019-03-15"));
    QCOMPARE(Value(sheet, "value_engine_type"), QStringLiteral("G4FG"));
    QCOMPARE(Value(sheet, "value_transmission"), QStringLiteral("automatic"));
    QCOMPARE(Value(sheet, "value_warranty"), QStringLiteral("insurance company"));
    QCOMPARE(Value(sheet, "value_identity_check"), QStringLiteral("good"));
    QCOMPARE(Value(sheet, "value_accident"), QStringLiteral("none"));  // as declared
    QCOMPARE(Value(sheet, "value_flood"), QStringLiteral("none"));
    QCOMPARE(Value(sheet, "value_self_diagnosis_transmission"), QStringLiteral("needs repair"));
    QCOMPARE(Value(sheet, "value_emissions"), QStringLiteral("CO 0.25 % · HC 40 ppm"));
    QCOMPARE(Value(sheet, "value_usage_history"), QStringLiteral("rental"));
    QCOMPARE(Value(sheet, "value_plate"), QStringLiteral("12가 3456"));
    QCOMPARE(Value(sheet, "value_inspector_name"), QStringLiteral("Kim Min-jun"));
    QCOMPARE(Value(sheet, "value_agency"),
             QStringLiteral("Seoul Inspection Center · Gangnam branch"));
    // Ledger text is shown as plain text, markup and all.
    QCOMPARE(Value(sheet, "value_remarks"),
             QStringLiteral("Rear bumper repainted.\n<b>not bold</b>"));
    QCOMPARE(sheet.findChild<QLabel*>("value_remarks")->textFormat(), Qt::PlainText);

    QVERIFY(Shown(sheet, "finding_accident"));
    QCOMPARE(Value(sheet, "finding_accident"), QStringLiteral("Accident (by frame rule)"));
    QVERIFY(sheet.findChild<QLabel*>("finding_accident")->toolTip().contains("A pillar (left)"));
    QVERIFY(!Shown(sheet, "finding_flood"));
    QVERIFY(!Shown(sheet, "finding_rollback"));
    QVERIFY(!Shown(sheet, "finding_odometer_unverified"));
    QVERIFY(!Shown(sheet, "finding_identity_issue"));

    auto* table = sheet.findChild<QTableWidget*>("components_table");
    QVERIFY(table != nullptr);
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("Brakes"));  // sorted by key
    QCOMPARE(table->item(0, 2)->text(), QStringLiteral("needs repair"));
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("oil leak"));
    QCOMPARE(table->item(2, 2)->text(), QStringLiteral("leak"));

    auto* diagram = sheet.findChild<carledger::app::PanelDiagram*>("panel_diagram");
    QVERIFY(diagram != nullptr);
    QCOMPARE(diagram->unlistedMarks(), QStringList{"trunk hinge: X (replaced)"});
  }

  void otherFindingsShowAsBadges() {
    QJsonObject event = SampleEvent();
    QJsonObject record = event["record"].toObject();
    record["accident"] = true;
    record["flood"] = true;
    record["gauge_state"] = "faulty";
    event["record"] = record;
    event["findings"] = QJsonObject{{"accident", true},      {"accident_by_frame_rule", false},
                                    {"flood", true},         {"odometer_unverified", true},
                                    {"rollback", true},      {"year_mismatch", true},
                                    {"identity_issue", true}};
    carledger::app::InspectionSheet sheet;
    sheet.setRecord(event);
    QCOMPARE(Value(sheet, "finding_accident"), QStringLiteral("Accident"));
    QCOMPARE(Value(sheet, "finding_flood"), QStringLiteral("Flood damage"));
    QCOMPARE(Value(sheet, "finding_rollback"), QStringLiteral("Odometer rollback"));
    QCOMPARE(Value(sheet, "finding_odometer_unverified"), QStringLiteral("Odometer unverified"));
    QCOMPARE(Value(sheet, "finding_identity_issue"), QStringLiteral("Identity issue"));
    QCOMPARE(Value(sheet, "value_gauge_state"), QStringLiteral("faulty"));
    QCOMPARE(Value(sheet, "value_accident"), QStringLiteral("yes"));

    event["findings"] = QJsonObject{{"accident", false}, {"flood", false}};
    sheet.setRecord(event);
    QCOMPARE(Value(sheet, "finding_accident"), QStringLiteral("No accident"));
    QVERIFY(!Shown(sheet, "finding_flood"));
    QVERIFY(!Shown(sheet, "finding_rollback"));
  }

  void malformedInputShowsDashes() {
    carledger::app::InspectionSheet sheet;
    sheet.setRecord(SampleEvent());
    QJsonObject bad = QJsonDocument::fromJson(R"({
      "record": {"odometer_km": "lots", "gauge_state": 5, "model_year": 2019.5,
                 "first_registration": "2019-02-30", "transmission": null,
                 "accident": "no", "self_diagnosis": [1, 2], "emissions": "none",
                 "components": ["engine"], "panels": [7, {"panel": 3, "mark": "X"}, "hood"],
                 "remarks": {"text": "x"}, "inspector_name": ""},
      "findings": "none", "agency": 12})")
                          .object();
    sheet.setRecord(bad);
    for (const char* name :
         {"value_odometer_km", "value_gauge_state", "value_model_year", "value_first_registration",
          "value_transmission", "value_accident", "value_self_diagnosis_engine", "value_emissions",
          "value_remarks", "value_inspector_name", "value_agency", "value_components"}) {
      QCOMPARE(Value(sheet, name), kDash);
    }
    QVERIFY(!Shown(sheet, "finding_accident"));
    QVERIFY(sheet.findChild<QTableWidget*>("components_table")->isHidden());

    for (const QJsonObject& junk : {QJsonObject{}, QJsonObject{{"record", QJsonArray{1, 2}}},
                                    QJsonObject{{"record", "x"}, {"findings", QJsonArray{}}}}) {
      sheet.setRecord(junk);
      QCOMPARE(Value(sheet, "value_odometer_km"), kDash);
      QVERIFY(!sheet.grab().isNull());
    }
    sheet.setRecord(SampleEvent());
    sheet.clear();
    QCOMPARE(Value(sheet, "value_odometer_km"), kDash);
    QVERIFY(!Shown(sheet, "finding_accident"));
  }

  void panelNamesResolve() {
    using carledger::app::FindPanel;
    for (const auto& p : carledger::app::KnownPanels()) {
      QCOMPARE(FindPanel(QString::fromLatin1(p.id)), &p);
    }
    QCOMPARE(QString(FindPanel(u"A 필러(좌)")->id), QStringLiteral("a_pillar_left"));
    QCOMPARE(QString(FindPanel(u"Front-Fender right")->id), QStringLiteral("front_fender_right"));
    QVERIFY(FindPanel(u"a_pillar_left")->frame);
    QVERIFY(!FindPanel(u"hood")->frame);
    QVERIFY(FindPanel(u"trunk hinge") == nullptr);
    QVERIFY(FindPanel(u"") == nullptr);
    QCOMPARE(carledger::app::MarkDescription(" w "), QStringLiteral("sheet metal / welded"));
  }

  void diagramListsUnknownPanels() {
    carledger::app::PanelDiagram diagram;
    diagram.setMarks({{"hood", "X"}, {"door handle", "A"}, {"a_pillar_left", "W"}, {"", "X"}});
    QCOMPARE(diagram.unlistedMarks(), QStringList{"door handle: A (scratch)"});
    auto* label = diagram.findChild<QLabel*>("unlisted_panels");
    QVERIFY(label != nullptr && !label->isHidden());
    QVERIFY(label->text().contains("door handle: A"));
    diagram.setMarks({{"hood", "X"}});
    QVERIFY(label->isHidden());
  }

  void diagramPaintsMarkedPanels() {
    carledger::app::PanelDiagram diagram;
    diagram.resize(diagram.sizeHint());
    QVERIFY(diagram.sizeHint().width() >= 280 && diagram.sizeHint().height() >= 380);
    for (const auto& p : carledger::app::KnownPanels()) {
      QVERIFY2(!diagram.panelRect(QString::fromLatin1(p.id)).isEmpty(), p.id);
    }
    const QImage plain = diagram.grab().toImage();
    diagram.setMarks({{"hood", "X"}});
    const QImage marked = diagram.grab().toImage();
    QCOMPARE(marked.size(), plain.size());

    const QRect hood = diagram.panelRect(u"hood").toAlignedRect() & marked.rect();
    QVERIFY(!hood.isEmpty());
    const QColor background = marked.pixelColor(1, 1);
    int changed = 0;
    int reddish = 0;
    for (int y = hood.top(); y <= hood.bottom(); ++y) {
      for (int x = hood.left(); x <= hood.right(); ++x) {
        const QColor c = marked.pixelColor(x, y);
        if (c != plain.pixelColor(x, y)) ++changed;
        if (c != background && c.red() > c.green() + 40 && c.red() > c.blue() + 40) ++reddish;
      }
    }
    // Most of the hood is filled with the "replaced" colour; the rest of the car is not.
    QVERIFY2(reddish > hood.width() * hood.height() / 2, qPrintable(QString::number(reddish)));
    QVERIFY(changed > hood.width() * hood.height() / 2);
    const QRect roof = diagram.panelRect(u"roof").toAlignedRect();
    QCOMPARE(marked.copy(roof), plain.copy(roof));
  }

  void chartCountsRollbacks() {
    using carledger::app::OdometerPoint;
    carledger::app::OdometerChart chart;
    QCOMPARE(chart.rollbackPoints(), 0);
    const qint64 day = 24LL * 3600 * 1000;
    const qint64 t0 = 1'600'000'000'000;
    chart.setReadings({{t0, 10000, "registration"},
                       {t0 + 300 * day, 50000, "inspection"},
                       {t0 + 600 * day, 30000, "inspection"}});
    QCOMPARE(chart.rollbackPoints(), 1);
    // Sorted by time first; every reading below the maximum so far counts, equal ones don't.
    chart.setReadings({{t0 + 900 * day, 40000, "inspection"},
                       {t0 + 300 * day, 50000, "inspection"},
                       {t0, 10000, "registration"},
                       {t0 + 600 * day, 30000, "inspection"},
                       {t0 + 950 * day, 50000, "inspection"}});
    QCOMPARE(chart.rollbackPoints(), 2);
    chart.setReadings({{t0, 10000, "registration"}, {t0 + day, 10000, "inspection"}});
    QCOMPARE(chart.rollbackPoints(), 0);
    chart.setReadings({});
    QCOMPARE(chart.rollbackPoints(), 0);
    chart.resize(480, 320);
    QVERIFY(!chart.grab().isNull());
  }
};

QTEST_MAIN(InspectionWidgetsTest)
#include "inspection_widgets_test.moc"
