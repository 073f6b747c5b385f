// The body-panel diagram of the Korean used-car inspection record (back page): a top-down
// car with every panel of KnownPanels() as a region, marked panels filled and labelled with
// their mark letter, frame parts hatched, and a legend. Marks on panels the diagram cannot
// place (the ledger's panel field is free text) are listed as text underneath.
#pragma once

#include <QList>
#include <QPair>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <QWidget>

class QLabel;

namespace carledger::app {

class PanelCanvas;

// The translated meaning of a body-diagram mark: "X" -> "replaced", "W" -> "sheet metal /
// welded", "C" corrosion, "A" scratch, "U" dent, "T" damage (case and surrounding spaces
// ignored); any other text -> "unknown mark".
QString MarkDescription(const QString& mark);

class PanelDiagram : public QWidget {
  Q_OBJECT

 public:
  // An empty diagram (no marks).
  explicit PanelDiagram(QWidget* parent = nullptr);
  ~PanelDiagram() override;

  // Replaces all marks with `panelMarks` (panel name, mark letter). Panel names are looked
  // up with FindPanel(); a panel may carry several marks. Pairs with an unknown panel are
  // kept, in order, for the text list under the diagram; pairs with an empty panel or mark
  // are ignored.
  void setMarks(const QList<QPair<QString, QString>>& panelMarks);

  // The marks on panels not in KnownPanels(), one "panel: mark (meaning)" line each, in the
  // order given to setMarks().
  QStringList unlistedMarks() const;

  // The bounding box of a known panel's region in this widget's coordinates at its current
  // size (for tests and overlays); an empty rectangle when FindPanel(id) finds nothing.
  QRectF panelRect(QStringView id) const;

  // About 320x420: the car, the legend and no text list.
  QSize sizeHint() const override;

 private:
  PanelCanvas* canvas_;
  QLabel* unlisted_label_;
  QStringList unlisted_;
};

}  // namespace carledger::app
