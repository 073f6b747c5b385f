#include "apps/common/panel_diagram.h"

#include <QEvent>
#include <QFontMetricsF>
#include <QHash>
#include <QHelpEvent>
#include <QLabel>
#include <QLayout>
#include <QPainter>
#include <QPainterPath>
#include <QTextDocument>
#include <QToolTip>
#include <QTransform>
#include <QVBoxLayout>
#include <algorithm>
#include <string_view>
#include <vector>

#include "apps/common/inspection_panels.h"

namespace carledger::app {
namespace {

// The car is drawn in a fixed unit box, front at the top, the car's left on the left (as on
// the official form), and scaled to the widget.
constexpr double kUnitsW = 200;
constexpr double kUnitsH = 290;
constexpr int kTopTextPx = 16;  // room for the "Front" caption above the car

// Marks from the most to the least serious; a panel's marks are kept in this order and it
// is filled with the colour of the first.
constexpr char kMarkOrder[] = "XWTUCA";

struct Region {
  QString id;
  QPainterPath path;  // in units
  QPointF anchor;     // where the mark badge goes, in units
};

QPainterPath Rect(double x1, double y1, double x2, double y2) {
  QPainterPath p;
  p.addRect(QRectF(QPointF(x1, y1), QPointF(x2, y2)));
  return p;
}

QPainterPath RoundRect(double x1, double y1, double x2, double y2, double r) {
  QPainterPath p;
  p.addRoundedRect(QRectF(QPointF(x1, y1), QPointF(x2, y2)), r, r);
  return p;
}

QPainterPath Polygon(std::initializer_list<QPointF> points) {
  QPainterPath p;
  p.addPolygon(QPolygonF(QList<QPointF>(points)));
  p.closeSubpath();
  return p;
}

// A wheel arch: half an ellipse bulging inwards from the body's left edge (x = 28).
QPainterPath Arch(double y1, double y2) {
  QPainterPath p;
  p.moveTo(28, y1);
  p.arcTo(QRectF(12, y1, 32, y2 - y1), 90, -180);
  p.closeSubpath();
  return p;
}

QPainterPath BodyOutline() {
  QPainterPath p;
  p.moveTo(56, 6);
  p.lineTo(144, 6);
  p.quadTo(172, 6, 172, 40);
  p.lineTo(172, 262);
  p.quadTo(172, 284, 150, 284);
  p.lineTo(50, 284);
  p.quadTo(28, 284, 28, 262);
  p.lineTo(28, 40);
  p.quadTo(28, 6, 56, 6);
  return p;
}

QPainterPath Windshield() {
  return Polygon({{62, 108}, {138, 108}, {132, 128}, {68, 128}});
}
QPainterPath RearWindow() {
  return Polygon({{68, 186}, {132, 186}, {138, 206}, {62, 206}});
}

// Mirrors a left-hand shape to the right-hand side of the car.
QTransform Mirror() {
  return QTransform(-1, 0, 0, 1, kUnitsW, 0);
}

std::vector<Region> BuildRegions() {
  const QPainterPath body = BodyOutline();
  const QPainterPath arch_front = Arch(42, 80);
  const QPainterPath arch_rear = Arch(214, 252);
  const QPainterPath a_pillar = Polygon({{50, 108}, {62, 108}, {68, 128}, {56, 128}});
  const QPainterPath b_pillar = Rect(50, 151, 62, 163);
  const QPainterPath c_pillar = Polygon({{56, 186}, {68, 186}, {62, 206}, {50, 206}});
  const QPainterPath roof = RoundRect(68, 128, 132, 186, 8);

  // Left-hand panels; each gets a mirrored "_right" twin.
  const std::vector<Region> left = {
      {"front_fender_left", Rect(28, 6, 50, 104).subtracted(arch_front), {39, 93}},
      {"wheel_house_front_left", arch_front, {35, 61}},
      {"inside_panel_left", Rect(50, 30, 60, 100), {55, 46}},
      {"side_member_front_left", Rect(60, 30, 70, 100), {65, 84}},
      {"front_door_left", Rect(28, 104, 50, 155), {39, 130}},
      {"rear_door_left", Rect(28, 155, 50, 206), {39, 181}},
      {"a_pillar_left", a_pillar, {59, 118}},
      {"b_pillar_left", b_pillar, {56, 157}},
      {"c_pillar_left", c_pillar, {59, 196}},
      {"quarter_panel_left", Rect(28, 206, 50, 284).subtracted(arch_rear), {40, 266}},
      {"wheel_house_rear_left", arch_rear, {35, 233}},
      {"side_member_rear_left", Rect(50, 206, 62, 264), {56, 236}},
  };

  QPainterPath floor = Rect(50, 108, 150, 206);
  for (const QPainterPath& hole :
       {roof, Windshield(), RearWindow(), a_pillar, b_pillar, c_pillar}) {
    floor = floor.subtracted(hole).subtracted(Mirror().map(hole));
  }

  std::vector<Region> regions = {
      {"radiator_support", Rect(50, 18, 150, 30), {100, 24}},
      {"hood", RoundRect(70, 30, 130, 98, 6), {100, 64}},
      {"dash_panel", Rect(50, 100, 150, 108), {100, 104}},
      {"roof", roof, {100, 157}},
      {"floor_panel", floor, {59, 140}},
      {"trunk_lid", RoundRect(62, 208, 138, 248, 6), {100, 228}},
      {"trunk_floor", Rect(62, 250, 138, 264), {100, 257}},
      {"rear_panel", Rect(50, 264, 150, 274), {100, 269}},
  };
  for (const Region& r : left) {
    regions.push_back(r);
    QString right_id = r.id;
    right_id.replace(QLatin1String("_left"), QLatin1String("_right"));
    regions.push_back({right_id, Mirror().map(r.path), Mirror().map(r.anchor)});
  }
  // Clip to the body so corner panels follow its rounded outline.
  for (Region& r : regions) r.path = r.path.intersected(body);
  return regions;
}

const std::vector<Region>& Regions() {
  static const auto* const kRegions = new std::vector<Region>(BuildRegions());
  return *kRegions;
}

QColor MarkColor(QChar mark) {
  switch (mark.unicode()) {
    case 'X':
      return QColor(0xd3, 0x2f, 0x2f);
    case 'W':
      return QColor(0xef, 0x6c, 0x00);
    case 'T':
      return QColor(0xad, 0x14, 0x57);
    case 'U':
      return QColor(0x6a, 0x1b, 0x9a);
    case 'C':
      return QColor(0x79, 0x55, 0x48);
    case 'A':
      return QColor(0xf9, 0xa8, 0x25);
    default:
      return QColor(0x54, 0x6e, 0x7a);
  }
}

// Dark text on the light amber badge, white on the others.
QColor MarkTextColor(QChar mark) {
  return mark == u'A' ? QColor(0x21, 0x21, 0x21) : Qt::white;
}

QString NormaliseMark(const QString& mark) {
  return mark.trimmed().toUpper();
}

// Position in kMarkOrder; unknown marks after the known ones.
int MarkRank(const QString& mark) {
  const size_t pos = mark.size() == 1 ? std::string_view(kMarkOrder).find(mark.at(0).toLatin1())
                                      : std::string_view::npos;
  return pos == std::string_view::npos ? 100 : static_cast<int>(pos);
}

// The mark deciding a badge's colour: the first letter of the most serious mark.
QChar LeadingMark(const QStringList& marks) {
  return marks.isEmpty() || marks.first().isEmpty() ? QChar(u'?') : marks.first().at(0);
}

// Unmarked panels: outer panels tinted, frame parts light with hatching.
constexpr QRgb kOutline = 0x607d8b;
constexpr QRgb kOuterFill = 0xd9e4ea;
constexpr QRgb kFrameFill = 0xf3f5f6;
constexpr QRgb kHatch = 0x90a4ae;

}  // namespace

QString MarkDescription(const QString& mark) {
  const QString m = NormaliseMark(mark);
  if (m == u"X") return PanelDiagram::tr("replaced");
  if (m == u"W") return PanelDiagram::tr("sheet metal / welded");
  if (m == u"C") return PanelDiagram::tr("corrosion");
  if (m == u"A") return PanelDiagram::tr("scratch");
  if (m == u"U") return PanelDiagram::tr("dent");
  if (m == u"T") return PanelDiagram::tr("damage");
  return PanelDiagram::tr("unknown mark");
}

// Paints the car and the legend; PanelDiagram adds the text list below it.
class PanelCanvas : public QWidget {
 public:
  explicit PanelCanvas(QWidget* parent) : QWidget(parent) {
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setMinimumSize(160, 220);
  }

  void SetMarks(QHash<QString, QStringList> marks) {
    marks_ = std::move(marks);
    update();
  }

  QRectF RegionRect(const QString& id) const {
    for (const Region& r : Regions()) {
      if (r.id == id) return CarTransform().map(r.path).boundingRect();
    }
    return {};
  }

  QSize sizeHint() const override { return {320, heightForWidth(320)}; }
  bool hasHeightForWidth() const override { return true; }
  // The car gets a square-ish box as wide as the widget, plus the caption and legend.
  int heightForWidth(int w) const override { return kTopTextPx + w + LegendHeight(); }

 protected:
  void paintEvent(QPaintEvent*) override;
  bool event(QEvent* e) override;

 private:
  int LegendRowHeight() const { return std::max(fontMetrics().height(), 16) + 4; }
  int LegendHeight() const { return 4 * LegendRowHeight() + 8; }

  // Units -> pixels: the unit box scaled uniformly into the space between caption and
  // legend, centred.
  QTransform CarTransform() const {
    const QRectF area(4, kTopTextPx, width() - 8, height() - kTopTextPx - LegendHeight());
    const double scale = std::max(0.1, std::min(area.width() / kUnitsW, area.height() / kUnitsH));
    const double dx = area.left() + (area.width() - kUnitsW * scale) / 2;
    const double dy = area.top() + (area.height() - kUnitsH * scale) / 2;
    return QTransform(scale, 0, 0, scale, dx, dy);
  }

  void PaintCar(QPainter& p, const QTransform& t) const;
  void PaintBadge(QPainter& p, QPointF centre, const QString& text, double radius) const;
  void PaintLegend(QPainter& p) const;

  QHash<QString, QStringList> marks_;  // canonical panel id -> normalised marks
};

void PanelCanvas::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  const QTransform t = CarTransform();
  PaintCar(p, t);
  PaintLegend(p);
}

void PanelCanvas::PaintCar(QPainter& p, const QTransform& t) const {
  const double scale = t.m11();
  QFont small = font();
  small.setPixelSize(std::clamp(static_cast<int>(9 * scale), 9, 13));
  p.setFont(small);
  p.setPen(QColor(kOutline));
  const QPointF top = t.map(QPointF(kUnitsW / 2, 0));
  p.drawText(QRectF(top.x() - 100, top.y() - kTopTextPx, 200, kTopTextPx),
             Qt::AlignHCenter | Qt::AlignBottom, QStringLiteral("▲ ") + PanelDiagram::tr("Front"));
  const QPointF left = t.map(QPointF(9, 160));
  const QPointF right = t.map(QPointF(kUnitsW - 9, 160));
  p.drawText(QRectF(left.x() - 20, left.y() - 10, 40, 20), Qt::AlignCenter,
             PanelDiagram::tr("L", "left side of the car"));
  p.drawText(QRectF(right.x() - 20, right.y() - 10, 40, 20), Qt::AlignCenter,
             PanelDiagram::tr("R", "right side of the car"));

  // Decoration first: tyres, mirrors, body, glass.
  const QColor tyre(0x37, 0x47, 0x4f);
  p.setPen(Qt::NoPen);
  p.setBrush(tyre);
  for (const QPainterPath& shape : {RoundRect(18, 46, 29, 76, 3), RoundRect(18, 218, 29, 248, 3),
                                    Polygon({{28, 110}, {19, 113}, {19, 121}, {28, 121}})}) {
    p.drawPath(t.map(shape));
    p.drawPath(t.map(Mirror().map(shape)));
  }
  p.setPen(QPen(QColor(0x45, 0x5a, 0x64), 1.6));
  p.setBrush(Qt::white);
  p.drawPath(t.map(BodyOutline()));
  p.setPen(QPen(QColor(kOutline), 0.8));
  p.setBrush(QColor(0xcf, 0xe8, 0xf6));
  p.drawPath(t.map(Windshield()));
  p.drawPath(t.map(RearWindow()));

  for (const Region& r : Regions()) {
    const PanelInfo* info = FindPanel(r.id);
    const bool frame = info != nullptr && info->frame;
    const QPainterPath path = t.map(r.path);
    const auto it = marks_.constFind(r.id);
    const bool marked = it != marks_.constEnd();
    const QColor mark_color = marked ? MarkColor(LeadingMark(*it)) : QColor();
    QColor fill = frame ? QColor(kFrameFill) : QColor(kOuterFill);
    if (marked) {
      fill = mark_color;
      fill.setAlpha(110);
    }
    p.setPen(Qt::NoPen);
    p.fillPath(path, QColor(Qt::white));
    p.fillPath(path, fill);
    if (frame) {
      // Hatching (in pixels, independent of scale) tells frame parts from outer panels.
      p.fillPath(path, QBrush(marked ? mark_color.darker(130) : QColor(kHatch), Qt::BDiagPattern));
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(marked ? QPen(mark_color.darker(120), 1.6) : QPen(QColor(kOutline), 0.9));
    p.drawPath(path);
  }

  const double radius = std::clamp(6.0 * scale, 7.0, 12.0);
  for (const Region& r : Regions()) {
    const auto it = marks_.constFind(r.id);
    if (it != marks_.constEnd()) PaintBadge(p, t.map(r.anchor), it->join(QString()), radius);
  }
}

void PanelCanvas::PaintBadge(QPainter& p, QPointF centre, const QString& text,
                             double radius) const {
  QFont f = font();
  f.setBold(true);
  f.setPixelSize(static_cast<int>(radius * 1.35));
  p.setFont(f);
  const double text_w = QFontMetricsF(f).horizontalAdvance(text);
  const double w = std::max(2 * radius, text_w + radius);
  const QRectF box(centre.x() - w / 2, centre.y() - radius, w, 2 * radius);
  const QChar lead = text.isEmpty() ? QChar(u'?') : text.at(0);
  p.setPen(QPen(Qt::white, 1.2));
  p.setBrush(MarkColor(lead));
  p.drawRoundedRect(box, radius, radius);
  p.setPen(MarkTextColor(lead));
  p.drawText(box, Qt::AlignCenter, text);
}

void PanelCanvas::PaintLegend(QPainter& p) const {
  p.setFont(font());
  const int row_h = LegendRowHeight();
  const int top = height() - LegendHeight() + 6;
  const int col_w = (width() - 8) / 2;
  const int swatch = row_h - 6;
  auto cell = [&](int i) {
    return QRect(4 + (i % 2) * col_w, top + (i / 2) * row_h, col_w, row_h);
  };
  auto label = [&](const QRect& c, const QString& text) {
    const QRect text_rect = c.adjusted(swatch + 8, 0, -2, 0);
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(text_rect, Qt::AlignVCenter | Qt::AlignLeft,
               fontMetrics().elidedText(text, Qt::ElideRight, text_rect.width()));
  };

  p.setPen(QPen(QColor(kOutline), 0.9));
  const QRect outer = cell(0);
  const QRectF outer_box(outer.left() + 2, outer.center().y() - swatch / 2.0, swatch, swatch);
  p.setBrush(QColor(kOuterFill));
  p.drawRect(outer_box);
  label(outer, PanelDiagram::tr("Outer panel (bolt-on)"));

  const QRect frame = cell(1);
  const QRectF frame_box(frame.left() + 2, frame.center().y() - swatch / 2.0, swatch, swatch);
  p.fillRect(frame_box, QColor(kFrameFill));
  p.fillRect(frame_box, QBrush(QColor(kHatch), Qt::BDiagPattern));
  p.setPen(QPen(QColor(kOutline), 0.9));
  p.setBrush(Qt::NoBrush);
  p.drawRect(frame_box);
  label(frame, PanelDiagram::tr("Frame part (welded)"));

  int i = 2;
  for (const char* mark : {"X", "W", "C", "A", "U", "T"}) {
    const QRect c = cell(i++);
    const QString m = QString::fromLatin1(mark);
    PaintBadge(p, QPointF(c.left() + 2 + swatch / 2.0, c.center().y() + 0.5), m, swatch / 2.0 + 1);
    p.setFont(font());
    label(c, MarkDescription(m));
  }
}

bool PanelCanvas::event(QEvent* e) {
  if (e->type() != QEvent::ToolTip) return QWidget::event(e);
  const auto* help = static_cast<QHelpEvent*>(e);
  const QTransform t = CarTransform();
  // Badges and pillars sit on top of larger panels, so the last region drawn wins.
  const auto& regions = Regions();
  for (auto r = regions.rbegin(); r != regions.rend(); ++r) {
    if (!t.map(r->path).contains(help->pos())) continue;
    const PanelInfo* info = FindPanel(r->id);
    QString text = info != nullptr ? PanelLabel(*info) : r->id;
    for (const QString& m : marks_.value(r->id)) {
      text += QStringLiteral("\n%1: %2").arg(m, MarkDescription(m));
    }
    QToolTip::showText(help->globalPos(), Qt::convertFromPlainText(text, Qt::WhiteSpaceNormal),
                       this);
    return true;
  }
  QToolTip::hideText();
  e->ignore();
  return true;
}

PanelDiagram::PanelDiagram(QWidget* parent)
    : QWidget(parent), canvas_(new PanelCanvas(this)), unlisted_label_(new QLabel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addWidget(canvas_, 1);
  layout->addWidget(unlisted_label_);
  canvas_->setObjectName(QStringLiteral("panel_canvas"));
  unlisted_label_->setObjectName(QStringLiteral("unlisted_panels"));
  // Panel names come from the ledger as free text: never interpret them as HTML.
  unlisted_label_->setTextFormat(Qt::PlainText);
  unlisted_label_->setWordWrap(true);
  unlisted_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  unlisted_label_->hide();
}

PanelDiagram::~PanelDiagram() = default;

void PanelDiagram::setMarks(const QList<QPair<QString, QString>>& panelMarks) {
  QHash<QString, QStringList> known;
  unlisted_.clear();
  for (const auto& [panel, raw_mark] : panelMarks) {
    const QString name = panel.trimmed();
    const QString mark = NormaliseMark(raw_mark);
    if (name.isEmpty() || mark.isEmpty()) continue;
    if (const PanelInfo* info = FindPanel(name)) {
      QStringList& list = known[QString::fromLatin1(info->id)];
      if (!list.contains(mark)) list.append(mark);
    } else {
      unlisted_.append(tr("%1: %2 (%3)").arg(name, mark, MarkDescription(mark)));
    }
  }
  for (QStringList& list : known) {
    std::stable_sort(list.begin(), list.end(),
                     [](const QString& a, const QString& b) { return MarkRank(a) < MarkRank(b); });
  }
  canvas_->SetMarks(std::move(known));
  unlisted_label_->setText(unlisted_.isEmpty() ? QString()
                                               : tr("Other panels:") + QLatin1Char('\n') +
                                                     unlisted_.join(QLatin1Char('\n')));
  unlisted_label_->setVisible(!unlisted_.isEmpty());
  updateGeometry();
}

QStringList PanelDiagram::unlistedMarks() const {
  return unlisted_;
}

QRectF PanelDiagram::panelRect(QStringView id) const {
  const PanelInfo* info = FindPanel(id);
  if (info == nullptr) return {};
  if (layout() != nullptr) layout()->activate();  // the canvas may not be placed yet
  return canvas_->RegionRect(QString::fromLatin1(info->id)).translated(canvas_->pos());
}

QSize PanelDiagram::sizeHint() const {
  QSize hint = canvas_->sizeHint();
  if (!unlisted_.isEmpty()) hint.rheight() += 4 + unlisted_label_->heightForWidth(hint.width());
  return hint;
}

}  // namespace carledger::app
