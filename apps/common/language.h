// The UI language: Korean or English, Korean first (the system's when it is one of them,
// else Korean), chosen in the app and remembered. Installs the app's translations and Qt's
// own, and sets the default locale so won amounts and kilometres follow it.
#pragma once

#include <QString>
#include <QStringList>

namespace carledger::app {

// "ko" or "en": the saved choice, else the system language if supported, else "ko".
QString PreferredLanguage();
void SaveLanguage(const QString& language);
// Installs translations from the resource prefix ":/i18n" named `<catalog>_<language>.qm`
// for each catalog (replacing earlier ones) and Qt's own; sets QLocale's default.
void InstallLanguage(const QString& language, const QStringList& catalogs);

}  // namespace carledger::app
