// The outcome of one RPC as the GUI sees it: a status code, a message a person can act on,
// and for INVALID_ARGUMENT the offending fields (from the "field-errors-bin" trailer, or
// parsed from "field: what is wrong" messages), so a form can mark each one.
#pragma once

#include <grpcpp/support/status.h>

#include <QMap>
#include <QMetaType>
#include <QString>

namespace carledger::app {

struct RpcError {
  grpc::StatusCode code = grpc::StatusCode::OK;
  QString message;
  QMap<QString, QString> fields;  // field name -> what is wrong with it
  QString node;                   // the node that answered (for the status bar)

  bool ok() const { return code == grpc::StatusCode::OK; }
  // "UNAVAILABLE" etc.
  QString codeName() const;
};

// Builds an RpcError from a finished call: the status and the FieldErrors trailer bytes
// (empty when absent). Messages of the form "a: x; b: y" also fill `fields` when the
// trailer is absent and every part names a field.
RpcError MakeRpcError(const grpc::Status& status, const std::string& field_errors_bin);

// An error that did not come from a node (a local check failed).
RpcError LocalError(grpc::StatusCode code, const QString& message);

}  // namespace carledger::app

Q_DECLARE_METATYPE(carledger::app::RpcError)
