#include "apps/common/language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTranslator>
#include <memory>
#include <vector>

namespace carledger::app {

QString PreferredLanguage() {
  QSettings settings;
  QString saved = settings.value(QStringLiteral("ui/language")).toString();
  if (saved == "ko" || saved == "en") return saved;
  if (QLocale::system().language() == QLocale::English) return QStringLiteral("en");
  return QStringLiteral("ko");
}

void SaveLanguage(const QString& language) {
  QSettings().setValue(QStringLiteral("ui/language"), language);
}

void InstallLanguage(const QString& language, const QStringList& catalogs) {
  static std::vector<std::unique_ptr<QTranslator>> installed;
  for (auto& t : installed) QCoreApplication::removeTranslator(t.get());
  installed.clear();
  QLocale locale(language == "ko" ? QLocale::Korean : QLocale::English,
                 language == "ko" ? QLocale::SouthKorea : QLocale::UnitedStates);
  QLocale::setDefault(locale);
  for (const QString& catalog : catalogs) {
    auto t = std::make_unique<QTranslator>();
    if (t->load(QStringLiteral(":/i18n/%1_%2.qm").arg(catalog, language))) {
      QCoreApplication::installTranslator(t.get());
      installed.push_back(std::move(t));
    }
  }
  auto qt = std::make_unique<QTranslator>();
  if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt.get());
    installed.push_back(std::move(qt));
  }
}

}  // namespace carledger::app
