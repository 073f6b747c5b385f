// The body panels of the official Korean used-car inspection record
// (중고자동차 성능·상태점검기록부, back page), with canonical ids for the apps.
//
// The ledger's `record.panels[].panel` is free text, so FindPanel() also accepts the
// English or Korean label and ignores case and punctuation; names it cannot place stay
// unmatched and the widgets list them as text.
#pragma once

#include <QString>
#include <QStringView>
#include <vector>

namespace carledger::app {

struct PanelInfo {
  const char* id;        // snake_case, e.g. "a_pillar_left"
  const char* label_en;  // English source text, translated through PanelLabel()
  const char* label_ko;  // the official Korean name on the form, e.g. "A 필러(좌)"
  bool frame;            // welded main-frame part (골격) rather than a bolt-on outer panel
};

// Every panel the body diagram draws, in a stable order (front to rear, left before
// right). The returned vector lives for the whole program.
const std::vector<PanelInfo>& KnownPanels();

// The known panel named `id`, or nullptr. Matches the id, the English label or the Korean
// label, ignoring case and everything but letters and digits, so "a_pillar_left",
// "A pillar (left)" and "A 필러(좌)" all find the same panel.
const PanelInfo* FindPanel(QStringView id);

// The panel's user-visible name in the current UI language (label_en through the
// translator).
QString PanelLabel(const PanelInfo& panel);

}  // namespace carledger::app
