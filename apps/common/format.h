// Money, distances and times as our users read them: won amounts and kilometres with the
// locale's digit grouping ("18,500,000원" in Korean, "₩18,500,000" in English), dates in
// the locale's short form. Money is an integer number of won throughout.
#pragma once

#include <QLocale>
#include <QString>
#include <QStringList>

namespace carledger::app {

QString FormatWon(qint64 won, const QLocale& locale = QLocale());
QString FormatKm(qint64 km, const QLocale& locale = QLocale());
QString FormatTime(qint64 ms_since_epoch, const QLocale& locale = QLocale());
QString FormatDate(qint64 ms_since_epoch, const QLocale& locale = QLocale());
// Parses a won amount typed by a user ("18,500,000", "18500000원", "₩ 18 500 000");
// false when it is not a whole positive amount.
bool ParseWon(const QString& text, qint64* won);
// The translated label of an API enum value (fuel, transmission, trade or request status,
// inspection values): "gasoline" -> "휘발유". Unknown values come back unchanged.
QString EnumLabel(const QString& value);
// The enum values of one kind, in display order: "fuel", "transmission".
QStringList EnumValues(const QString& kind);

// A wallet address or id shortened for display: "3f9a1c…e07b".
QString ShortId(const QString& id);

}  // namespace carledger::app
