// Telling a user that something happened to them (a trade step, an inspection result, a
// chat message, a report's outcome, a charge decision). The notification is stored for the
// user and delivered on their Notifications.Subscribe stream, live or at their next
// connection. Services call this after the change it reports has been made; a failure to
// notify never fails the change itself (it is logged).
#pragma once

#include <string>
#include <string_view>

#include "common/json.h"

namespace carledger::api {

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Queues `payload` (a JSON object) of `kind` ("trade", "inspection", "chat", "report",
  // "charge") for `user_id`. Thread-safe; never blocks on the user's stream.
  virtual void Notify(std::string_view user_id, std::string_view kind, const Json& payload) = 0;
  // As Notify, for the account whose wallet key has fingerprint `wallet` (none: dropped).
  virtual void NotifyWallet(std::string_view wallet, std::string_view kind,
                            const Json& payload) = 0;
};

// Drops every notification (a node without a database).
class NullNotifier final : public Notifier {
 public:
  void Notify(std::string_view, std::string_view, const Json&) override {}
  void NotifyWallet(std::string_view, std::string_view, const Json&) override {}
};

}  // namespace carledger::api
