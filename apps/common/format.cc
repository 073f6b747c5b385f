#include "apps/common/format.h"

#include <QCoreApplication>
#include <QDateTime>

namespace carledger::app {

QString FormatWon(qint64 won, const QLocale& locale) {
  QString digits = locale.toString(won);
  if (locale.language() == QLocale::Korean) return digits + QStringLiteral("원");
  return QStringLiteral("₩") + digits;
}

QString FormatKm(qint64 km, const QLocale& locale) {
  return locale.toString(km) + QStringLiteral(" km");
}

QString FormatTime(qint64 ms, const QLocale& locale) {
  if (ms <= 0) return QStringLiteral("—");
  return locale.toString(QDateTime::fromMSecsSinceEpoch(ms), QLocale::ShortFormat);
}

QString FormatDate(qint64 ms, const QLocale& locale) {
  if (ms <= 0) return QStringLiteral("—");
  return locale.toString(QDateTime::fromMSecsSinceEpoch(ms).date(), QLocale::ShortFormat);
}

bool ParseWon(const QString& text, qint64* won) {
  QString digits;
  for (QChar c : text) {
    if (c.isDigit()) {
      digits += c;
    } else if (c == ',' || c.isSpace() || c == QChar(0x20A9) || c == QChar(0xFFE6) ||
               c == QChar(0xC6D0)) {
      continue;  // grouping, ₩, ￦, 원 (a decimal point is refused: won have no fractions)
    } else {
      return false;
    }
  }
  if (digits.isEmpty() || digits.size() > 13) return false;
  bool ok = false;
  qint64 v = digits.toLongLong(&ok);
  if (!ok || v <= 0) return false;
  *won = v;
  return true;
}

namespace {

// Marked for lupdate under the "Enum" context; translated at run time by value.
const char* const kEnumLabels[] = {
    QT_TRANSLATE_NOOP("Enum", "gasoline"),   QT_TRANSLATE_NOOP("Enum", "diesel"),
    QT_TRANSLATE_NOOP("Enum", "lpg"),        QT_TRANSLATE_NOOP("Enum", "hybrid"),
    QT_TRANSLATE_NOOP("Enum", "electric"),   QT_TRANSLATE_NOOP("Enum", "hydrogen"),
    QT_TRANSLATE_NOOP("Enum", "automatic"),  QT_TRANSLATE_NOOP("Enum", "manual"),
    QT_TRANSLATE_NOOP("Enum", "semi-auto"),  QT_TRANSLATE_NOOP("Enum", "cvt"),
    QT_TRANSLATE_NOOP("Enum", "FUNDED"),     QT_TRANSLATE_NOOP("Enum", "HANDED_OVER"),
    QT_TRANSLATE_NOOP("Enum", "DISPUTED"),   QT_TRANSLATE_NOOP("Enum", "COMPLETED"),
    QT_TRANSLATE_NOOP("Enum", "CANCELLED"),  QT_TRANSLATE_NOOP("Enum", "REFUNDED"),
    QT_TRANSLATE_NOOP("Enum", "requested"),  QT_TRANSLATE_NOOP("Enum", "accepted"),
    QT_TRANSLATE_NOOP("Enum", "inspected"),  QT_TRANSLATE_NOOP("Enum", "declined"),
    QT_TRANSLATE_NOOP("Enum", "pending"),    QT_TRANSLATE_NOOP("Enum", "approved"),
    QT_TRANSLATE_NOOP("Enum", "registered"), QT_TRANSLATE_NOOP("Enum", "listed"),
    QT_TRANSLATE_NOOP("Enum", "in_escrow"),
};

}  // namespace

QString EnumLabel(const QString& value) {
  for (const char* v : kEnumLabels) {
    if (value == QLatin1String(v)) return QCoreApplication::translate("Enum", v);
  }
  return value;
}

QStringList EnumValues(const QString& kind) {
  if (kind == "fuel") return {"gasoline", "diesel", "lpg", "hybrid", "electric", "hydrogen"};
  if (kind == "transmission") return {"automatic", "manual", "semi-auto", "cvt"};
  return {};
}

QString ShortId(const QString& id) {
  if (id.size() <= 14) return id;
  return id.left(6) + QStringLiteral("…") + id.right(4);
}

}  // namespace carledger::app
