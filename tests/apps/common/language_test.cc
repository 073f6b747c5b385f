// The embedded Korean and English catalogues: InstallLanguage loads the shared one from
// the resources, switching replaces the earlier language (no mixed UI), and the default
// locale follows, so won amounts and kilometres are written the way the language expects.
#include "apps/common/language.h"

#include <QCoreApplication>
#include <QFile>
#include <QXmlStreamReader>
#include <QtTest>

#include "apps/common/format.h"
#include "apps/common/inspection_sheet.h"
#include "apps/common/login_dialog.h"

using namespace carledger::app;

class LanguageTest : public QObject {
  Q_OBJECT

 private slots:
  void cataloguesAreEmbedded() {
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/carledger_common_ko.qm")));
    QVERIFY(QFile::exists(QStringLiteral(":/i18n/carledger_common_en.qm")));
  }

  void koreanTranslatesAndFormatsInKorean() {
    InstallLanguage(QStringLiteral("ko"), {QStringLiteral("carledger_common")});
    QCOMPARE(QLocale().language(), QLocale::Korean);
    QCOMPARE(LoginDialog::tr("Login ID"), QStringLiteral("아이디"));
    QCOMPARE(InspectionSheet::tr("good", "state"), QStringLiteral("양호"));
    QCOMPARE(EnumLabel(QStringLiteral("HANDED_OVER")), QStringLiteral("인도 완료"));
    QCOMPARE(FormatWon(18'500'000), QStringLiteral("18,500,000원"));
  }

  void switchingToEnglishReplacesKorean() {
    InstallLanguage(QStringLiteral("ko"), {QStringLiteral("carledger_common")});
    InstallLanguage(QStringLiteral("en"), {QStringLiteral("carledger_common")});
    QCOMPARE(QLocale().language(), QLocale::English);
    QCOMPARE(LoginDialog::tr("Login ID"), QStringLiteral("Login ID"));
    QCOMPARE(InspectionSheet::tr("good", "state"), QStringLiteral("good"));
    // Raw API values get readable English labels from the English catalogue.
    QCOMPARE(EnumLabel(QStringLiteral("HANDED_OVER")), QStringLiteral("Handed over"));
    QCOMPARE(FormatWon(18'500'000), QStringLiteral("₩18,500,000"));
  }

  // Korean users come first: no string reaches them in English because its translation was
  // forgotten (run the *_lupdate targets, then translate what they add).
  void everyKoreanStringIsTranslated() {
    for (const QString& path : QStringLiteral(CARLEDGER_KO_CATALOGUES).split('|')) {
      QFile f(path);
      QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
      QXmlStreamReader xml(&f);
      QString source;
      int messages = 0;
      while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement) continue;
        if (xml.name() == u"source") source = xml.readElementText();
        if (xml.name() == u"translation") {
          ++messages;
          const QString type = xml.attributes().value("type").toString();
          QVERIFY2(type != "unfinished", qPrintable(path + ": untranslated: " + source));
        }
      }
      QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
      QVERIFY(messages > 100);
    }
    InstallLanguage(QStringLiteral("ko"), {QStringLiteral("carledger_common")});
    QCOMPARE(QCoreApplication::translate("CarEvents", "Handed over to the buyer"),
             QStringLiteral("구매자에게 차량 인도"));
  }

  void unknownCatalogueIsSkippedNotFatal() {
    InstallLanguage(QStringLiteral("ko"),
                    {QStringLiteral("no_such_catalogue"), QStringLiteral("carledger_common")});
    QCOMPARE(LoginDialog::tr("Login ID"), QStringLiteral("아이디"));
  }
};

QTEST_MAIN(LanguageTest)
#include "language_test.moc"
