#include "apps/common/inspection_panels.h"

#include <QCoreApplication>

namespace carledger::app {
namespace {

// Translation context for the labels: they live in a static table, so lupdate finds them
// through QT_TRANSLATE_NOOP and PanelLabel() translates at run time.
constexpr char kContext[] = "carledger::app::InspectionPanels";

// Lower-case letters and digits only, so ids, labels and typed names compare alike.
QString Normalise(QStringView text) {
  QString out;
  out.reserve(text.size());
  for (QChar c : text) {
    if (c.isLetterOrNumber()) out.append(c.toLower());
  }
  return out;
}

}  // namespace

const std::vector<PanelInfo>& KnownPanels() {
  // Heap-allocated and never freed: no static destruction order issues.
  static const auto* const kPanels = new std::vector<PanelInfo>{
      {"radiator_support",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Radiator support"),
       "라디에이터 서포트", false},
      {"hood", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Hood"), "후드", false},
      {"front_fender_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front fender (left)"),
       "프론트 펜더(좌)", false},
      {"front_fender_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front fender (right)"),
       "프론트 펜더(우)", false},
      {"front_door_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front door (left)"),
       "프론트 도어(좌)", false},
      {"front_door_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front door (right)"),
       "프론트 도어(우)", false},
      {"rear_door_left", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear door (left)"),
       "리어 도어(좌)", false},
      {"rear_door_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear door (right)"), "리어 도어(우)",
       false},
      {"quarter_panel_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Quarter panel (left)"),
       "쿼터 패널(좌)", false},
      {"quarter_panel_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Quarter panel (right)"),
       "쿼터 패널(우)", false},
      {"roof", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Roof panel"), "루프 패널",
       false},
      {"trunk_lid", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Trunk lid"),
       "트렁크 리드", false},
      {"a_pillar_left", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "A pillar (left)"),
       "A 필러(좌)", true},
      {"a_pillar_right", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "A pillar (right)"),
       "A 필러(우)", true},
      {"b_pillar_left", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "B pillar (left)"),
       "B 필러(좌)", true},
      {"b_pillar_right", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "B pillar (right)"),
       "B 필러(우)", true},
      {"c_pillar_left", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "C pillar (left)"),
       "C 필러(좌)", true},
      {"c_pillar_right", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "C pillar (right)"),
       "C 필러(우)", true},
      {"side_member_front_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front side member (left)"),
       "프론트 사이드멤버(좌)", true},
      {"side_member_front_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front side member (right)"),
       "프론트 사이드멤버(우)", true},
      {"side_member_rear_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear side member (left)"),
       "리어 사이드멤버(좌)", true},
      {"side_member_rear_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear side member (right)"),
       "리어 사이드멤버(우)", true},
      {"wheel_house_front_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front wheel house (left)"),
       "프론트 휠하우스(좌)", true},
      {"wheel_house_front_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Front wheel house (right)"),
       "프론트 휠하우스(우)", true},
      {"wheel_house_rear_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear wheel house (left)"),
       "리어 휠하우스(좌)", true},
      {"wheel_house_rear_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear wheel house (right)"),
       "리어 휠하우스(우)", true},
      {"inside_panel_left",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Inside panel (left)"),
       "인사이드 패널(좌)", true},
      {"inside_panel_right",
       QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Inside panel (right)"),
       "인사이드 패널(우)", true},
      {"dash_panel", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Dash panel"),
       "대쉬 패널", true},
      {"floor_panel", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Floor panel"),
       "플로어 패널", true},
      {"trunk_floor", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Trunk floor"),
       "트렁크 플로어", true},
      {"rear_panel", QT_TRANSLATE_NOOP("carledger::app::InspectionPanels", "Rear panel"),
       "리어 패널", true},
  };
  return *kPanels;
}

const PanelInfo* FindPanel(QStringView id) {
  const QString key = Normalise(id);
  if (key.isEmpty()) return nullptr;
  for (const PanelInfo& p : KnownPanels()) {
    if (key == Normalise(QString::fromLatin1(p.id)) ||
        key == Normalise(QString::fromLatin1(p.label_en)) ||
        key == Normalise(QString::fromUtf8(p.label_ko))) {
      return &p;
    }
  }
  return nullptr;
}

QString PanelLabel(const PanelInfo& panel) {
  return QCoreApplication::translate(kContext, panel.label_en);
}

}  // namespace carledger::app
