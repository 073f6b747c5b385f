// The off-ledger inspection workflow in PostgreSQL: a seller asks for an inspection of
// their car, an agency accepts (or declines) it, and the agency's signed inspection record
// on the ledger closes it. Only the workflow lives here; the record itself is a ledger
// transaction (car_trade.record_inspection), referred to by its tx id.
//
//   requested --accept--> accepted --inspected(tx id)--> inspected
//       |                    |
//       +-----decline--------+--> declined
//
// At most one open (requested or accepted) request per car. The store checks who may move
// a request (the agency it is assigned to, or any agency while it is unassigned); whether
// the requester owns the car is the service's business (it reads the ledger).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "service/store/clock.h"
#include "service/store/pg.h"

namespace carledger::store {

struct InspectionRequestRecord {
  int64_t id = 0;
  std::string vin;
  std::string requester;
  std::string agency;  // "": any agency (not yet accepted)
  std::string status;  // requested, accepted, inspected, declined, cancelled
  std::string location;
  std::string note;
  std::string preferred_date;  // YYYY-MM-DD or ""
  std::string decline_reason;
  std::string record_tx_id;  // hex, once inspected
  int64_t requested_ms = 0;
  int64_t updated_ms = 0;
};

struct NewInspectionRequest {
  std::string requester;
  std::string vin;               // already normalised by the caller
  std::string agency;            // "": any agency
  std::string location;          // where the car can be inspected, 1..300 characters
  std::string note{};            // <= 2000 characters
  std::string preferred_date{};  // "" or YYYY-MM-DD, not before today
};

struct InspectionPage {
  std::vector<InspectionRequestRecord> requests;  // newest first
  std::string next_page_token;                    // "": no more
};

class InspectionStore {
 public:
  // `pool` must be migrated and, like `clock`, outlive the store.
  InspectionStore(PgPool& pool, const Clock& clock) : pool_(pool), clock_(clock) {}

  // Opens a request. INVALID_ARGUMENT naming bad fields (location, note, preferred_date,
  // agency_id); NOT_FOUND "agency_id: ..." for an id that is not an agency;
  // FAILED_PRECONDITION when the car already has an open request (naming it).
  Result<InspectionRequestRecord> Create(const NewInspectionRequest& r);

  // NOT_FOUND for an unknown id.
  Result<InspectionRequestRecord> Get(int64_t id);

  // The requester's requests (status "" for all), newest first. page_size 1..100 (0: 20).
  Result<InspectionPage> ListByRequester(std::string_view requester, std::string_view status,
                                         int page_size, std::string_view page_token);

  // An agency's queue: with status "requested", the open requests addressed to it or to
  // any agency; with another status, its own requests in that status; "" for both.
  Result<InspectionPage> Queue(std::string_view agency, std::string_view status, int page_size,
                               std::string_view page_token);

  // The agency takes the request. NOT_FOUND, PERMISSION_DENIED (addressed to another
  // agency), FAILED_PRECONDITION (not in "requested"; the message says its status).
  Result<InspectionRequestRecord> Accept(std::string_view agency, int64_t id);

  // The agency declines a request it could accept or has accepted; `reason` 1..500
  // characters. Errors as Accept.
  Result<InspectionRequestRecord> Decline(std::string_view agency, int64_t id,
                                          std::string_view reason);

  // Closes a request the agency accepted with its ledger record's tx id (64 hex digits).
  // Idempotent for the same tx id; errors as Accept.
  Result<InspectionRequestRecord> MarkInspected(std::string_view agency, int64_t id,
                                                std::string_view record_tx_id);

 private:
  // Moves request `id` for `agency` with `update` (an UPDATE of one request whose last
  // parameter, appended here, is the time), audits the move, and explains a refusal (no
  // row matched) through RefusalFor.
  Result<InspectionRequestRecord> Move(std::string_view agency, int64_t id, std::string_view update,
                                       PgParams params, std::string_view refused_action,
                                       std::string_view audit_action,
                                       std::string_view audit_detail);
  // Why `agency` may not `action` request `id` (NOT_FOUND, PERMISSION_DENIED, ...).
  Status RefusalFor(std::string_view agency, int64_t id, std::string_view action);

  PgPool& pool_;
  const Clock& clock_;
};

}  // namespace carledger::store
