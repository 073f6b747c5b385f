// What the public API reads from the ledger, as plain functions over a Ledger (run on the
// node's consensus thread through NodeBackend::ReadLedger): a car and its history with
// the proofs an app needs to verify it without trusting the node, transactions with their
// inclusion proofs, blocks and the validator sets that certify them.
#pragma once

#include <set>
#include <string>

#include "carledger_api.pb.h"
#include "common/status.h"
#include "ledger/ledger.h"

namespace carledger::api {

// Checks a VIN's shape (17 of A-Z, 0-9 without I, O, Q; lower case accepted) and returns
// it in upper case; INVALID_ARGUMENT "vin: ..." otherwise.
Result<std::string> NormaliseVin(const std::string& vin);

// The car record (NOT_FOUND if no car has this VIN).
Result<v1::Car> ReadCar(const Ledger& ledger, const std::string& vin);

// Every event of the car, each with its transaction, result and Merkle path; the blocks
// holding them (transactions stripped, results kept so the app can check the results
// hash) with their certificates; and the validator set of each epoch involved.
// With `types`, only events of those types (and the blocks and sets they need).
Result<v1::CarHistory> ReadCarHistory(const Ledger& ledger, const std::string& vin,
                                      const std::set<std::string>* types = nullptr);

// A transaction by id with its result and inclusion proof (NOT_FOUND if unknown).
Result<v1::TransactionDetail> ReadTransaction(const Ledger& ledger, const Bytes& tx_id);

// The validators (certificates, DER) whose signatures certify block `height`.
Result<v1::ValidatorSetAt> ReadValidatorSet(const Ledger& ledger, uint64_t height);

// A listing summary from a car record (for a car that is listed).
v1::ListingSummary SummaryFromCar(const Json& car);

}  // namespace carledger::api
