#include "apps/common/inspection_sheet.h"

#include <QCoreApplication>
#include <QDate>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonValue>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>
#include <cmath>
#include <optional>
#include <string_view>

#include "apps/common/inspection_panels.h"
#include "apps/common/panel_diagram.h"

namespace carledger::app {
namespace {

constexpr char kContext[] = "carledger::app::InspectionSheet";  // for QT_TRANSLATE_NOOP tables

QString Dash() {
  return QStringLiteral("—");
}

// Typed reads that treat a wrong type (or an out-of-range number) as absent, so malformed
// ledger data shows "—" instead of a misleading 0 or "false".
std::optional<qint64> Int(const QJsonValue& v, qint64 lo, qint64 hi) {
  if (!v.isDouble()) return std::nullopt;
  const double d = v.toDouble();
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) ||
      d > static_cast<double>(hi)) {
    return std::nullopt;
  }
  return static_cast<qint64>(d);
}

std::optional<QString> Text(const QJsonValue& v) {
  if (!v.isString() || v.toString().trimmed().isEmpty()) return std::nullopt;
  return v.toString().trimmed();
}

std::optional<bool> Bool(const QJsonValue& v) {
  if (!v.isBool()) return std::nullopt;
  return v.toBool();
}

// The display text and tone (0 normal, 1 good, 2 warning, 3 bad) of an enum value of the
// record (contracts/car_trade/API.md, record_inspection); unknown values as given, neutral.
std::pair<QString, int> EnumText(std::string_view field, const QString& v) {
  if (v == u"good")
    return {InspectionSheet::tr("good", "state"), 1};  // gauge, identity, diagnosis, parts
  if (v == u"needs_repair") return {InspectionSheet::tr("needs repair", "state"), 3};
  if (field == "gauge_state" && v == u"faulty") return {InspectionSheet::tr("faulty", "gauge"), 2};
  if (field == "gauge_state" && v == u"unknown")
    return {InspectionSheet::tr("unknown", "gauge"), 2};
  if (field == "component" && v == u"leak") return {InspectionSheet::tr("leak", "state"), 2};
  if (field == "transmission") {
    if (v == u"automatic") return {InspectionSheet::tr("automatic"), 0};
    if (v == u"manual") return {InspectionSheet::tr("manual"), 0};
    if (v == u"semi-auto") return {InspectionSheet::tr("semi-automatic"), 0};
    if (v == u"cvt") return {InspectionSheet::tr("CVT"), 0};
  }
  if (field == "warranty" && v == u"self") return {InspectionSheet::tr("self-warranty"), 0};
  if (field == "warranty" && v == u"insurer") return {InspectionSheet::tr("insurance company"), 0};
  if (field == "identity_check") {
    if (v == u"mismatch") return {InspectionSheet::tr("mismatch", "identity check"), 3};
    if (v == u"corroded") return {InspectionSheet::tr("corroded", "identity check"), 2};
    if (v == u"damaged") return {InspectionSheet::tr("damaged", "identity check"), 2};
    if (v == u"altered") return {InspectionSheet::tr("altered (re-stamped)", "identity check"), 3};
    if (v == u"painted_over") return {InspectionSheet::tr("painted over", "identity check"), 3};
  }
  if (field == "usage_history") {
    if (v == u"none") return {InspectionSheet::tr("none", "usage history"), 0};
    if (v == u"rental") return {InspectionSheet::tr("rental", "usage history"), 2};
    if (v == u"commercial") return {InspectionSheet::tr("commercial", "usage history"), 2};
  }
  return {v, 0};
}

// Names of the major-component groups and items as the inspector app writes them
// ("engine.oil_leak"); the list on the form is not closed, so others are shown as given.
constexpr const char* kComponentNames[][2] = {
    {"engine", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Engine")},
    {"transmission", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Transmission")},
    {"power_train", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Power train")},
    {"steering", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Steering")},
    {"brakes", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Brakes")},
    {"electrical", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Electrical")},
    {"fuel", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Fuel")},
    {"other", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "Other")},
    {"idling", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "idling")},
    {"oil_leak", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "oil leak")},
    {"oil_level",
     QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "oil level / contamination")},
    {"coolant_leak", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "coolant leak")},
    {"common_rail", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "common rail")},
    {"at", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "A/T")},
    {"mt", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "M/T")},
    {"clutch", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "clutch")},
    {"cv_joint", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "CV joint")},
    {"propeller_shaft", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "propeller shaft")},
    {"gear", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "gear box")},
    {"pump", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "pump")},
    {"tie_rod_end", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "tie-rod end")},
    {"oil", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "fluid")},
    {"booster", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "booster")},
    {"alternator", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "alternator")},
    {"starter", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "starter motor")},
    {"fuel_leak", QT_TRANSLATE_NOOP("carledger::app::InspectionSheet", "fuel leak")},
};

QString ComponentName(const QString& raw) {
  for (const auto& [key, text] : kComponentNames) {
    if (raw == QLatin1String(key)) return QCoreApplication::translate(kContext, text);
  }
  return QString(raw).replace(QLatin1Char('_'), QLatin1Char(' '));
}

// Text and background colours per tone (index as in EnumText).
constexpr QRgb kToneText[] = {0, 0x2e7d32, 0xb26a00, 0xc62828};
constexpr QRgb kToneBackground[] = {0, 0xe8f5e9, 0xfff3e0, 0xffebee};

QString ToneStyle(int tone) {
  return tone == 0 ? QString()
                   : QStringLiteral("QLabel { color: %1; }").arg(QColor(kToneText[tone]).name());
}

}  // namespace

InspectionSheet::InspectionSheet(QWidget* parent)
    : QWidget(parent),
      finding_accident_(new QLabel),
      finding_flood_(new QLabel),
      finding_rollback_(new QLabel),
      finding_unverified_(new QLabel),
      finding_identity_(new QLabel),
      components_(new QTableWidget(0, 3)),
      diagram_(new PanelDiagram) {
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(0, 0, 0, 0);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  outer->addWidget(scroll);
  auto* page = new QWidget;
  scroll->setWidget(page);
  auto* main = new QVBoxLayout(page);

  auto* title = new QLabel(tr("Used car performance and condition inspection record"));
  title->setObjectName(QStringLiteral("sheet_title"));
  QFont title_font = title->font();
  title_font.setBold(true);
  title_font.setPointSizeF(title_font.pointSizeF() * 1.3);
  title->setFont(title_font);
  main->addWidget(title);

  auto* badges = new QHBoxLayout;
  const std::pair<QLabel*, const char*> badge_names[] = {
      {finding_accident_, "finding_accident"},
      {finding_flood_, "finding_flood"},
      {finding_rollback_, "finding_rollback"},
      {finding_unverified_, "finding_odometer_unverified"},
      {finding_identity_, "finding_identity_issue"}};
  for (const auto& [badge, name] : badge_names) {
    badge->setObjectName(QLatin1String(name));
    badge->setTextFormat(Qt::PlainText);
    badges->addWidget(badge);
  }
  badges->addStretch(1);
  main->addLayout(badges);

  auto* columns = new QHBoxLayout;
  auto* left = new QVBoxLayout;
  auto* right = new QVBoxLayout;
  columns->addLayout(left, 3);
  columns->addLayout(right, 2);
  main->addLayout(columns, 1);

  // Front page: label/value rows in the order of the official form.
  auto* front = new QGroupBox(tr("Vehicle (front page)"));
  auto* grid = new QGridLayout(front);
  grid->setHorizontalSpacing(12);
  grid->setColumnStretch(1, 1);
  const std::pair<QString, const char*> rows[] = {
      {tr("Registration plate"), "plate"},
      {tr("Model year"), "model_year"},
      {tr("First registration"), "first_registration"},
      {tr("Odometer"), "odometer_km"},
      {tr("Gauge state"), "gauge_state"},
      {tr("Engine type"), "engine_type"},
      {tr("Transmission"), "transmission"},
      {tr("Warranty"), "warranty"},
      {tr("Identity check (VIN, plate)"), "identity_check"},
      {tr("Illegal modification"), "illegal_modification"},
      {tr("Accident history"), "accident"},
      {tr("Flood damage"), "flood"},
      {tr("Self-diagnosis: engine"), "self_diagnosis_engine"},
      {tr("Self-diagnosis: transmission"), "self_diagnosis_transmission"},
      {tr("Emissions"), "emissions"},
      {tr("Usage history"), "usage_history"},
  };
  int row = 0;
  for (const auto& [label, key] : rows) {
    // The front-page values are short (enums, numbers, text <= 40 bytes): no wrapping.
    AddValue(grid, row++, label, QLatin1String(key), false);
  }
  left->addWidget(front);

  auto* parts = new QGroupBox(tr("Major components"));
  auto* parts_layout = new QVBoxLayout(parts);
  components_->setObjectName(QStringLiteral("components_table"));
  components_->setHorizontalHeaderLabels({tr("Device"), tr("Item"), tr("State")});
  components_->verticalHeader()->hide();
  components_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  components_->horizontalHeader()->setStretchLastSection(true);
  components_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  components_->setSelectionMode(QAbstractItemView::NoSelection);
  components_->setFocusPolicy(Qt::NoFocus);
  components_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  parts_layout->addWidget(components_);
  parts_layout->addWidget(NewValue(QStringLiteral("components"), false));
  left->addWidget(parts);
  left->addStretch(1);

  auto* back = new QGroupBox(tr("Body panels (back page)"));
  auto* back_layout = new QVBoxLayout(back);
  diagram_->setObjectName(QStringLiteral("panel_diagram"));
  diagram_->setMinimumWidth(320);  // narrower and the legend gets cut
  back_layout->addWidget(diagram_);
  right->addWidget(back);

  auto* remarks = new QGroupBox(tr("Remarks"));
  auto* remarks_layout = new QVBoxLayout(remarks);
  remarks_layout->addWidget(NewValue(QStringLiteral("remarks"), true));
  right->addWidget(remarks);

  auto* inspector = new QGroupBox(tr("Inspection"));
  auto* inspector_grid = new QGridLayout(inspector);
  inspector_grid->setColumnStretch(1, 1);
  AddValue(inspector_grid, 0, tr("Inspector"), QStringLiteral("inspector_name"), true);
  AddValue(inspector_grid, 1, tr("Agency"), QStringLiteral("agency"), true);
  right->addWidget(inspector);
  right->addStretch(1);

  clear();
}

InspectionSheet::~InspectionSheet() = default;

QLabel* InspectionSheet::NewValue(const QString& key, bool wrap) {
  auto* value = new QLabel;
  value->setObjectName(QStringLiteral("value_") + key);
  // Values come from the ledger: plain text only, never HTML.
  value->setTextFormat(Qt::PlainText);
  value->setWordWrap(wrap);
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  values_.insert(key, value);
  return value;
}

void InspectionSheet::AddValue(QGridLayout* grid, int row, const QString& label, const QString& key,
                               bool wrap) {
  auto* name = new QLabel(label);
  name->setStyleSheet(QStringLiteral("QLabel { color: #546e7a; }"));
  QLabel* value = NewValue(key, wrap);
  QFont bold = value->font();
  bold.setBold(true);
  value->setFont(bold);
  name->setBuddy(value);
  grid->addWidget(name, row, 0, Qt::AlignTop);
  grid->addWidget(value, row, 1, Qt::AlignTop);
}

void InspectionSheet::SetValue(const QString& key, const QString& text, Tone tone) {
  QLabel* label = values_.value(key);
  if (label == nullptr) return;
  label->setText(text.isEmpty() ? Dash() : text);
  label->setStyleSheet(ToneStyle(static_cast<int>(tone)));
}

void InspectionSheet::SetBadge(QLabel* badge, const QString& text, Tone tone,
                               const QString& tooltip) {
  static constexpr const char* kColours[] = {"#607d8b", "#2e7d32", "#e65100", "#c62828"};
  badge->setText(text);
  badge->setToolTip(tooltip.isEmpty() ? QString()
                                      : Qt::convertFromPlainText(tooltip, Qt::WhiteSpaceNormal));
  badge->setStyleSheet(QStringLiteral("QLabel { background: %1; color: white; border-radius: 4px; "
                                      "padding: 3px 10px; font-weight: bold; }")
                           .arg(QLatin1String(kColours[static_cast<int>(tone)])));
  badge->show();
}

PanelDiagram* InspectionSheet::panelDiagram() const {
  return diagram_;
}

void InspectionSheet::clear() {
  for (auto it = values_.cbegin(); it != values_.cend(); ++it) {
    SetValue(it.key(), QString());
    it.value()->setToolTip(QString());
  }
  for (QLabel* badge : {finding_accident_, finding_flood_, finding_rollback_, finding_unverified_,
                        finding_identity_}) {
    badge->clear();
    badge->setToolTip(QString());
    badge->hide();
  }
  ShowComponents({});
  diagram_->setMarks({});
}

void InspectionSheet::setRecord(const QJsonObject& eventData) {
  clear();
  // toObject() of a non-object is an empty object, so every lookup below is safe.
  const QJsonObject record = eventData.value(QLatin1String("record")).toObject();
  const QJsonObject findings = eventData.value(QLatin1String("findings")).toObject();
  const QJsonObject agency = eventData.value(QLatin1String("agency")).toObject();
  const QLocale locale;
  auto field = [&record](const char* key) { return record.value(QLatin1String(key)); };
  auto set_enum = [this](const QString& key, const char* kind, const QJsonValue& v) {
    if (const auto text = Text(v)) {
      const auto [shown, tone] = EnumText(kind, *text);
      SetValue(key, shown, static_cast<Tone>(tone));
    }
  };
  auto set_bool = [this](const QString& key, const QJsonValue& v, const QString& yes) {
    if (const auto b = Bool(v)) {
      SetValue(key, *b ? yes : tr("none"), *b ? Tone::kBad : Tone::kNormal);
    }
  };

  if (const auto plate = Text(field("plate"))) SetValue(QStringLiteral("plate"), *plate);
  if (const auto year = Int(field("model_year"), 1, 9999)) {
    SetValue(QStringLiteral("model_year"), QString::number(*year));
  }
  if (const auto date = Text(field("first_registration"))) {
    const QDate d = QDate::fromString(*date, Qt::ISODate);
    if (d.isValid()) SetValue(QStringLiteral("first_registration"), d.toString(Qt::ISODate));
  }
  if (const auto km = Int(field("odometer_km"), 0, 99'999'999)) {
    const bool rollback = Bool(findings.value(QLatin1String("rollback"))).value_or(false);
    SetValue(QStringLiteral("odometer_km"), tr("%1 km").arg(locale.toString(*km)),
             rollback ? Tone::kBad : Tone::kNormal);
  }
  set_enum(QStringLiteral("gauge_state"), "gauge_state", field("gauge_state"));
  if (const auto engine = Text(field("engine_type"))) {
    SetValue(QStringLiteral("engine_type"), *engine);
  }
  set_enum(QStringLiteral("transmission"), "transmission", field("transmission"));
  set_enum(QStringLiteral("warranty"), "warranty", field("warranty"));
  set_enum(QStringLiteral("identity_check"), "identity_check", field("identity_check"));
  set_bool(QStringLiteral("illegal_modification"), field("illegal_modification"), tr("present"));
  set_bool(QStringLiteral("accident"), field("accident"), tr("yes", "accident declared"));
  set_bool(QStringLiteral("flood"), field("flood"), tr("yes", "flood damage"));
  const QJsonObject diagnosis = field("self_diagnosis").toObject();
  set_enum(QStringLiteral("self_diagnosis_engine"), "diagnosis",
           diagnosis.value(QLatin1String("engine")));
  set_enum(QStringLiteral("self_diagnosis_transmission"), "diagnosis",
           diagnosis.value(QLatin1String("transmission")));
  set_enum(QStringLiteral("usage_history"), "usage_history", field("usage_history"));

  // Emissions: only the measurements present (petrol cars have CO/HC, diesels smoke).
  const QJsonObject emissions = field("emissions").toObject();
  QStringList measured;
  if (const auto co = Int(emissions.value(QLatin1String("co_pct_x100")), 0, 10000)) {
    measured << tr("CO %1 %").arg(locale.toString(static_cast<double>(*co) / 100, 'f', 2));
  }
  if (const auto hc = Int(emissions.value(QLatin1String("hc_ppm")), 0, 100000)) {
    measured << tr("HC %1 ppm").arg(locale.toString(*hc));
  }
  if (const auto smoke = Int(emissions.value(QLatin1String("smoke_pct")), 0, 100)) {
    measured << tr("smoke %1 %").arg(locale.toString(*smoke));
  }
  SetValue(QStringLiteral("emissions"), measured.join(QStringLiteral(" · ")));

  ShowComponents(field("components").toObject());

  QList<QPair<QString, QString>> marks;
  for (const QJsonValue& p : field("panels").toArray()) {
    const auto panel = Text(p.toObject().value(QLatin1String("panel")));
    const auto mark = Text(p.toObject().value(QLatin1String("mark")));
    if (panel && mark) marks.append({*panel, *mark});
  }
  diagram_->setMarks(marks);

  if (const auto remarks = Text(field("remarks"))) SetValue(QStringLiteral("remarks"), *remarks);
  if (const auto name = Text(field("inspector_name"))) {
    SetValue(QStringLiteral("inspector_name"), *name);
  }
  QStringList agency_parts;
  for (const char* key : {"org", "name"}) {
    const auto part = Text(agency.value(QLatin1String(key)));
    if (part && !agency_parts.contains(*part)) agency_parts << *part;
  }
  SetValue(QStringLiteral("agency"), agency_parts.join(QStringLiteral(" · ")));
  if (const auto id = Text(agency.value(QLatin1String("id")))) {
    values_.value(QStringLiteral("agency"))
        ->setToolTip(Qt::convertFromPlainText(tr("Agency key %1").arg(*id), Qt::WhiteSpaceNormal));
  }

  ShowFindings(findings, record);
}

void InspectionSheet::ShowFindings(const QJsonObject& findings, const QJsonObject& record) {
  auto finding = [&findings](const char* key, std::optional<bool> fallback) {
    const auto v = Bool(findings.value(QLatin1String(key)));
    return v ? v : fallback;
  };
  // The record states these directly; rollback and the frame rule need the car's history
  // and the contract's findings.
  const auto gauge = Text(record.value(QLatin1String("gauge_state")));
  const auto identity = Text(record.value(QLatin1String("identity_check")));
  const bool by_frame = finding("accident_by_frame_rule", false).value_or(false);
  auto accident = finding("accident", Bool(record.value(QLatin1String("accident"))));
  if (by_frame) accident = true;
  const auto flood = finding("flood", Bool(record.value(QLatin1String("flood"))));
  const auto unverified =
      finding("odometer_unverified", gauge ? std::optional<bool>(*gauge != u"good") : std::nullopt);
  const auto identity_issue = finding(
      "identity_issue", identity ? std::optional<bool>(*identity != u"good") : std::nullopt);

  if (accident.has_value()) {
    QStringList repairs;
    for (const QJsonValue& r : findings.value(QLatin1String("frame_repairs")).toArray()) {
      const auto panel = Text(r.toObject().value(QLatin1String("panel")));
      const auto mark = Text(r.toObject().value(QLatin1String("mark")));
      if (!panel || !mark) continue;
      const PanelInfo* info = FindPanel(*panel);
      repairs << tr("%1: %2 (%3)")
                     .arg(info != nullptr ? PanelLabel(*info) : *panel, *mark,
                          MarkDescription(*mark));
    }
    if (!*accident) {
      SetBadge(finding_accident_, tr("No accident"), Tone::kGood);
    } else if (by_frame) {
      SetBadge(finding_accident_, tr("Accident (by frame rule)"), Tone::kBad,
               tr("Frame parts were replaced or welded:") + QLatin1Char('\n') +
                   repairs.join(QLatin1Char('\n')));
    } else {
      SetBadge(finding_accident_, tr("Accident"), Tone::kBad, repairs.join(QLatin1Char('\n')));
    }
  }
  if (flood.value_or(false)) SetBadge(finding_flood_, tr("Flood damage"), Tone::kBad);
  if (finding("rollback", std::nullopt).value_or(false)) {
    SetBadge(finding_rollback_, tr("Odometer rollback"), Tone::kBad,
             tr("The reading is lower than an earlier reading of this car."));
  }
  if (unverified.value_or(false)) {
    SetBadge(finding_unverified_, tr("Odometer unverified"), Tone::kWarning,
             tr("The odometer gauge is faulty or its state is unknown."));
  }
  if (identity_issue.value_or(false)) {
    QString why = tr("The VIN or plate did not check out.");
    if (finding("year_mismatch", std::nullopt).value_or(false)) {
      why = tr("The model year differs from the registered year.");
    }
    SetBadge(finding_identity_, tr("Identity issue"), Tone::kWarning, why);
  }
}

void InspectionSheet::ShowComponents(const QJsonObject& components) {
  components_->setRowCount(0);
  for (auto it = components.constBegin(); it != components.constEnd(); ++it) {
    const QString key = it.key();
    const qsizetype dot = key.indexOf(QLatin1Char('.'));
    const QString group = dot < 0 ? QString() : ComponentName(key.left(dot));
    const QString item = ComponentName(dot < 0 ? key : key.mid(dot + 1));
    const auto state = Text(it.value());
    const auto [state_text, tone] = state ? EnumText("component", *state) : std::pair{Dash(), 0};
    const int row = components_->rowCount();
    components_->insertRow(row);
    components_->setItem(row, 0, new QTableWidgetItem(group));
    components_->setItem(row, 1, new QTableWidgetItem(item));
    auto* state_item = new QTableWidgetItem(state_text);
    if (tone != 0) {
      state_item->setBackground(QColor(kToneBackground[tone]));
      state_item->setForeground(QColor(kToneText[tone]));
    }
    components_->setItem(row, 2, state_item);
  }
  const bool empty = components_->rowCount() == 0;
  components_->setVisible(!empty);
  values_.value(QStringLiteral("components"))->setVisible(empty);
  // Tall enough for every row: the sheet scrolls as a whole, the table never does.
  components_->resizeRowsToContents();
  int height = components_->horizontalHeader()->sizeHint().height() + 2 * components_->frameWidth();
  for (int row = 0; row < components_->rowCount(); ++row) height += components_->rowHeight(row);
  components_->setFixedHeight(height);
}

}  // namespace carledger::app
