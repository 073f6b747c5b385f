// apps/common without a cluster: the key store (encrypted at rest, wrong passphrase
// refused, export and import), field errors from a status and its trailer, won parsing
// and formatting, network profiles, the form helper's marking, and the history report
// folded from a car's events.
#include <QDir>
#include <QFile>
#include <QFormLayout>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "apps/common/car_events.h"
#include "apps/common/form_errors.h"
#include "apps/common/format.h"
#include "apps/common/key_store.h"
#include "apps/common/network_profile.h"
#include "apps/common/rpc_error.h"
#include "carledger_api.pb.h"

using namespace carledger::app;

class AppCoreTest : public QObject {
  Q_OBJECT

 private slots:
  void keyStoreKeepsTheKeyEncrypted() {
    QTemporaryDir dir;
    KeyStore keys(dir.filePath("keys"));
    QVERIFY(!keys.Has("minjun"));
    QCOMPARE(keys.Create("minjun", "short").status().code(),
             carledger::StatusCode::kInvalidArgument);
    auto created = keys.Create("minjun", "a long passphrase");
    QVERIFY(created.ok());
    QFile f(keys.PathFor("minjun"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QByteArray pem = f.readAll();
    QVERIFY(pem.contains("ENCRYPTED PRIVATE KEY"));
    QVERIFY(!pem.contains("BEGIN PRIVATE KEY"));
    QCOMPARE(f.permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QCOMPARE(keys.Unlock("minjun", "wrong passphrase!").status().code(),
             carledger::StatusCode::kPermissionDenied);
    auto unlocked = keys.Unlock("minjun", "a long passphrase");
    QVERIFY(unlocked.ok());
    QCOMPARE(unlocked->id(), created->id());
    QCOMPARE(keys.Create("minjun", "a long passphrase").status().code(),
             carledger::StatusCode::kAlreadyExists);
    // A backup moves the same key to another computer (another key dir).
    QString backup = dir.filePath("backup.pem");
    QVERIFY(keys.Export("minjun", backup).ok());
    KeyStore other(dir.filePath("other"));
    QCOMPARE(other.Import("minjun", backup, "nope nope nope").status().code(),
             carledger::StatusCode::kPermissionDenied);
    auto imported = other.Import("minjun", backup, "a long passphrase");
    QVERIFY(imported.ok());
    QCOMPARE(imported->id(), created->id());
    // A login never escapes the key directory.
    QVERIFY(QFileInfo(keys.PathFor("../../etc/x")).absolutePath() ==
            QFileInfo(dir.filePath("keys")).absoluteFilePath());
  }

  void fieldErrorsComeFromTheTrailerOrTheMessage() {
    carledger::v1::FieldErrors fe;
    auto* e = fe.add_errors();
    e->set_field("phone");
    e->set_message("digits only");
    RpcError a =
        MakeRpcError(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "phone: digits only"),
                     fe.SerializeAsString());
    QCOMPARE(a.fields.value("phone"), QStringLiteral("digits only"));
    RpcError b = MakeRpcError(
        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "price: must be positive; vin: too short"),
        {});
    QCOMPARE(b.fields.size(), 2);
    QCOMPARE(b.fields.value("vin"), QStringLiteral("too short"));
    RpcError c = MakeRpcError(
        grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "car is already in escrow (escrow ab)"),
        {});
    QVERIFY(c.fields.isEmpty());
    QCOMPARE(c.codeName(), QStringLiteral("FAILED_PRECONDITION"));
    RpcError d = MakeRpcError(grpc::Status(grpc::StatusCode::UNAVAILABLE, "node: down"), {});
    QVERIFY(d.fields.isEmpty());  // only argument and rule errors name fields
  }

  void wonAmountsParseAndFormatByLocale() {
    qint64 v = 0;
    QVERIFY(ParseWon("18,500,000", &v));
    QCOMPARE(v, qint64(18'500'000));
    QVERIFY(ParseWon(QStringLiteral("₩ 2 000원"), &v));
    QCOMPARE(v, qint64(2000));
    QVERIFY(!ParseWon("12.5", &v));
    QVERIFY(!ParseWon("-5", &v));
    QVERIFY(!ParseWon("0", &v));
    QVERIFY(!ParseWon("", &v));
    QVERIFY(!ParseWon("99999999999999", &v));
    QCOMPARE(FormatWon(18'500'000, QLocale(QLocale::Korean, QLocale::SouthKorea)),
             QStringLiteral("18,500,000원"));
    QCOMPARE(FormatWon(18'500'000, QLocale(QLocale::English, QLocale::UnitedStates)),
             QStringLiteral("₩18,500,000"));
    QCOMPARE(FormatKm(42180, QLocale(QLocale::Korean)), QStringLiteral("42,180 km"));
  }

  void profilesLoadFromANetworkDirOrAFile() {
    QTemporaryDir dir;
    QDir(dir.path()).mkpath("ca");
    QFile ca(dir.filePath("ca/ca.crt"));
    QVERIFY(ca.open(QIODevice::WriteOnly));
    ca.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    ca.close();
    QFile manifest(dir.filePath("network.json"));
    QVERIFY(manifest.open(QIODevice::WriteOnly));
    manifest.write(R"({"nodes": [{"name": "node0", "api_address": "127.0.0.1:7103",
      "tls_name": "validator0"}, {"name": "peer-only", "address": "127.0.0.1:7200"}]})");
    manifest.close();
    auto p = LoadNetworkProfile(dir.path());
    QVERIFY(p.ok());
    QCOMPARE(p->nodes.size(), 1);
    QCOMPARE(p->nodes[0].tls_name, QStringLiteral("validator0"));
    QFile out(dir.filePath("client.json"));
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(ProfileToJson(*p));
    out.close();
    auto q = LoadNetworkProfile(dir.filePath("client.json"));
    QVERIFY(q.ok());
    QCOMPARE(q->nodes[0].address, QStringLiteral("127.0.0.1:7103"));
    QCOMPARE(LoadNetworkProfile(dir.filePath("none")).status().code(),
             carledger::StatusCode::kNotFound);
    QFile bad(dir.filePath("bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"ca_pem": "nope", "nodes": []})");
    bad.close();
    QCOMPARE(LoadNetworkProfile(dir.filePath("bad.json")).status().code(),
             carledger::StatusCode::kInvalidArgument);
    // A network directory whose CA file is empty is refused too: with no roots, gRPC would
    // trust the system's CAs instead of the network's.
    QVERIFY(ca.open(QIODevice::WriteOnly | QIODevice::Truncate));
    ca.close();
    auto empty_ca = LoadNetworkProfile(dir.path());
    QCOMPARE(empty_ca.status().code(), carledger::StatusCode::kInvalidArgument);
    QVERIFY(QString::fromStdString(empty_ca.status().message()).contains("ca/ca.crt"));
  }

  void formErrorsMarkBoundFieldsAndNestedNames() {
    QWidget form;
    auto* layout = new QFormLayout(&form);
    auto* general = new QLabel;
    FormErrors errors(general);
    auto* vin = new QLineEdit;
    auto* record = new QLineEdit;
    errors.addRow(layout, "VIN", "vin", vin);
    errors.addRow(layout, "Record", "record", record);
    RpcError e;
    e.code = grpc::StatusCode::INVALID_ARGUMENT;
    e.message = "record.gauge_state: must be one of good, faulty, unknown; color: unknown field";
    e.fields = {{"record.gauge_state", "must be one of good, faulty, unknown"},
                {"color", "unknown field"}};
    QVERIFY(errors.show(e));
    QVERIFY(record->property("fieldError").toBool());
    QVERIFY(!vin->property("fieldError").toBool());
    QCOMPARE(errors.errorFor("record"), QStringLiteral("must be one of good, faulty, unknown"));
    QVERIFY(general->text().contains("color"));  // named no bound field
    errors.clear();
    QVERIFY(!record->property("fieldError").toBool());
    QVERIFY(general->text().isEmpty());
  }

  // The report (owners, accidents, flood, rollback, fraud) is folded from the events, the
  // way the contract folds its summary: a node's own summary is not what the app shows.
  void timelineFoldsTheHistoryReportFromTheEvents() {
    auto history = [](const QStringList& events) {
      carledger::v1::CarHistory h;
      for (int i = 0; i < events.size(); ++i) {
        h.add_events()->set_event_json(
            QStringLiteral("{\"seq\":%1,\"type\":%2}").arg(i + 1).arg(events[i]).toStdString());
      }
      return h;
    };
    const QString registered = QStringLiteral("\"registered\",\"data\":{\"odometer_km\":52000}");
    const QString clean_inspection = QStringLiteral(
        "\"inspected\",\"data\":{\"record\":{\"odometer_km\":53000},"
        "\"findings\":{\"accident\":false,\"flood\":false}}");
    CarTimeline clean = ReadTimeline(history({registered, clean_inspection}));
    QCOMPARE(clean.owners, 1);
    QCOMPARE(clean.accidents, 0);
    QVERIFY(!clean.flood && !clean.rollback && !clean.fraud);
    QCOMPARE(clean.inspections.size(), 1);

    CarTimeline bad = ReadTimeline(
        history({registered,
                 QStringLiteral("\"inspected\",\"data\":{\"record\":{\"odometer_km\":41000},"
                                "\"findings\":{\"accident\":true,\"flood\":true}}"),
                 QStringLiteral("\"rollback_detected\",\"data\":{\"reading_km\":41000}"),
                 QStringLiteral("\"sold\",\"data\":{}"), clean_inspection,
                 QStringLiteral("\"inspected\",\"data\":{\"findings\":{\"accident\":true}}"),
                 QStringLiteral("\"sold\",\"data\":{}"),
                 QStringLiteral("\"flagged_fraud\",\"data\":{\"reason\":\"x\"}")}));
    QCOMPARE(bad.owners, 3);
    QCOMPARE(bad.accidents, 2);
    QVERIFY(bad.flood);
    QVERIFY(bad.rollback);
    QVERIFY(bad.fraud);
    QCOMPARE(bad.inspections.size(), 3);
    QCOMPARE(bad.odometer.size(), 3);  // registration and the two inspections with a reading
  }
};

QTEST_MAIN(AppCoreTest)
#include "app_core_test.moc"
