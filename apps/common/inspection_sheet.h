// One used-car inspection record (중고자동차 성능·상태점검기록부) laid out like the official
// form: the findings as coloured badges, the front page (vehicle details, self-diagnosis,
// emissions, major components), the back page (body-panel diagram), remarks and the
// inspector. Fed with the `data` of an `inspected` ledger event.
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QWidget>

class QGridLayout;
class QLabel;
class QTableWidget;

namespace carledger::app {

class PanelDiagram;

class InspectionSheet : public QWidget {
  Q_OBJECT

 public:
  // An empty sheet: every value "—", no findings.
  explicit InspectionSheet(QWidget* parent = nullptr);
  ~InspectionSheet() override;

  // Shows `eventData` = {record, findings, agency: {id, org, name}} as documented for the
  // `inspected` event in contracts/car_trade/API.md. Fields that are missing or have the
  // wrong type show "—"; unknown enum values are shown as given. Findings missing from
  // `findings` are taken from the record where it says them directly (accident, flood,
  // gauge state, identity check). Replaces whatever was shown before.
  void setRecord(const QJsonObject& eventData);

  // Back to the empty sheet.
  void clear();

  // The back-page diagram, e.g. for hosts that print it separately.
  PanelDiagram* panelDiagram() const;

 private:
  // Colour of a value or badge; the order matches the tone numbers in the .cc's EnumText().
  enum class Tone { kNormal, kGood, kWarning, kBad };

  // A plain-text value label named "value_<key>", registered in values_.
  QLabel* NewValue(const QString& key, bool wrap);
  // A "label: value" row in a two-column grid.
  void AddValue(QGridLayout* grid, int row, const QString& label, const QString& key, bool wrap);
  void SetValue(const QString& key, const QString& text, Tone tone = Tone::kNormal);
  void SetBadge(QLabel* badge, const QString& text, Tone tone, const QString& tooltip = {});
  void ShowFindings(const QJsonObject& findings, const QJsonObject& record);
  void ShowComponents(const QJsonObject& components);

  QHash<QString, QLabel*> values_;  // key ("odometer_km") -> value label "value_<key>"
  QLabel* finding_accident_;
  QLabel* finding_flood_;
  QLabel* finding_rollback_;
  QLabel* finding_unverified_;
  QLabel* finding_identity_;
  QTableWidget* components_;
  PanelDiagram* diagram_;
};

}  // namespace carledger::app
