#include "service/api/api_status.h"

namespace carledger::api {

namespace {

// A field path: letters, digits, '_', '.', '[', ']' — starting with a letter or '_'.
bool IsFieldName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' ||
          c == ']'))
      return false;
  }
  return true;
}

}  // namespace

v1::FieldErrors ParseFieldErrors(const std::string& message) {
  v1::FieldErrors out;
  size_t start = 0;
  while (start < message.size()) {
    size_t end = message.find("; ", start);
    std::string part = message.substr(start, end == std::string::npos ? end : end - start);
    size_t colon = part.find(": ");
    if (colon == std::string::npos || !IsFieldName(part.substr(0, colon))) {
      if (out.errors_size() == 0) return out;  // not a field message at all
      // A "; " inside one field's message: it belongs to the previous field.
      auto* last = out.mutable_errors(out.errors_size() - 1);
      last->set_message(last->message() + "; " + part);
    } else {
      auto* e = out.add_errors();
      e->set_field(part.substr(0, colon));
      e->set_message(part.substr(colon + 2));
    }
    if (end == std::string::npos) break;
    start = end + 2;
  }
  return out;
}

grpc::Status ToGrpc(const Status& status, grpc::ServerContext* ctx) {
  if (status.ok()) return grpc::Status::OK;
  if (status.code() == StatusCode::kInvalidArgument && ctx != nullptr) {
    v1::FieldErrors errors = ParseFieldErrors(status.message());
    if (errors.errors_size() > 0)
      ctx->AddTrailingMetadata("field-errors-bin", errors.SerializeAsString());
  }
  return grpc::Status(static_cast<grpc::StatusCode>(static_cast<int>(status.code())),
                      status.message());
}

Status RenameFields(const Status& status,
                    const std::vector<std::pair<std::string, std::string>>& names) {
  if (status.ok()) return status;
  std::string msg = status.message();
  for (const auto& [from, to] : names) {
    if (msg.rfind(from + ": ", 0) == 0) msg = to + msg.substr(from.size());
    for (size_t at = msg.find("; " + from + ": "); at != std::string::npos;
         at = msg.find("; " + from + ": ", at + 2 + to.size()))
      msg = msg.substr(0, at + 2) + to + msg.substr(at + 2 + from.size());
  }
  return Status(status.code(), msg);
}

Status RejectionStatus(const std::string& reason) {
  if (ParseFieldErrors(reason).errors_size() > 0) return Status::InvalidArgument(reason);
  return Status::FailedPrecondition(reason);
}

}  // namespace carledger::api
