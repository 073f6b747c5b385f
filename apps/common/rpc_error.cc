#include "apps/common/rpc_error.h"

#include <QRegularExpression>

#include "carledger_api.pb.h"

namespace carledger::app {

QString RpcError::codeName() const {
  static const char* kNames[] = {"OK",
                                 "CANCELLED",
                                 "UNKNOWN",
                                 "INVALID_ARGUMENT",
                                 "DEADLINE_EXCEEDED",
                                 "NOT_FOUND",
                                 "ALREADY_EXISTS",
                                 "PERMISSION_DENIED",
                                 "RESOURCE_EXHAUSTED",
                                 "FAILED_PRECONDITION",
                                 "ABORTED",
                                 "OUT_OF_RANGE",
                                 "UNIMPLEMENTED",
                                 "INTERNAL",
                                 "UNAVAILABLE",
                                 "DATA_LOSS",
                                 "UNAUTHENTICATED"};
  int c = static_cast<int>(code);
  return c >= 0 && c <= 16 ? kNames[c] : QString::number(c);
}

RpcError MakeRpcError(const grpc::Status& status, const std::string& field_errors_bin) {
  RpcError e;
  e.code = status.error_code();
  e.message = QString::fromStdString(status.error_message());
  if (e.ok()) return e;
  v1::FieldErrors fe;
  if (!field_errors_bin.empty() && fe.ParseFromString(field_errors_bin)) {
    for (const auto& f : fe.errors()) {
      e.fields.insert(QString::fromStdString(f.field()), QString::fromStdString(f.message()));
    }
    return e;
  }
  // "price: must be ...; vin: ..." — field names are identifiers, possibly dotted or indexed.
  static const QRegularExpression kField(R"(^\s*([A-Za-z_][A-Za-z0-9_.\[\]]*):\s+(.+)$)");
  const QStringList parts = e.message.split("; ");
  QMap<QString, QString> fields;
  for (const QString& part : parts) {
    QRegularExpressionMatch m = kField.match(part);
    if (!m.hasMatch()) return e;
    fields.insert(m.captured(1), m.captured(2));
  }
  if (e.code == grpc::StatusCode::INVALID_ARGUMENT ||
      e.code == grpc::StatusCode::FAILED_PRECONDITION) {
    e.fields = fields;
  }
  return e;
}

RpcError LocalError(grpc::StatusCode code, const QString& message) {
  RpcError e;
  e.code = code;
  e.message = message;
  return e;
}

}  // namespace carledger::app
