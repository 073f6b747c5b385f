// Turning our Status into the gRPC status the apps see: the code as is, the message a
// person can act on, and for INVALID_ARGUMENT the offending fields, also as a
// FieldErrors message in the "field-errors-bin" trailer so a form can mark each field.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <vector>

#include "carledger_api.pb.h"
#include "common/status.h"

namespace carledger::api {

// "vin: must be 17 characters; price: must be positive" -> two field errors. A message
// that does not start with a field name gives none.
v1::FieldErrors ParseFieldErrors(const std::string& message);

// The gRPC status for `status`; adds the field-errors trailer to `ctx` when there are any.
grpc::Status ToGrpc(const Status& status, grpc::ServerContext* ctx);

// The same status with field names renamed (the store says "id", the API "login_id").
Status RenameFields(const Status& status,
                    const std::vector<std::pair<std::string, std::string>>& names);

// A contract's rejection: INVALID_ARGUMENT when it names a field, FAILED_PRECONDITION
// otherwise (a rule such as "car is already in escrow").
Status RejectionStatus(const std::string& reason);

}  // namespace carledger::api
