// Checks every car history the apps show, off the GUI thread: commit certificates against
// the validator set (certificates chaining to the network's CA), Merkle inclusion of each
// transaction, and the car's own chain of events (common/history_verify.h). The verdict
// arrives as a signal on the GUI thread.
#pragma once

#include <QFutureWatcher>
#include <QObject>

#include "carledger_api.pb.h"
#include "common/history_verify.h"

namespace carledger::app {

class HistoryVerifier : public QObject {
  Q_OBJECT

 public:
  // `ca_pem`: the network's root certificate, the only trust anchor.
  explicit HistoryVerifier(const QString& ca_pem, QObject* parent = nullptr);

  // Starts checking `history`; verified(vin, check) follows. A newer request for the same
  // car makes the older verdict stale (it is still delivered; compare `serial`).
  int verify(const v1::CarHistory& history);
  // Synchronous check (worker threads, tests).
  HistoryCheck check(const v1::CarHistory& history) const;

 signals:
  void verified(int serial, const QString& vin, const carledger::HistoryCheck& check);

 private:
  std::optional<Certificate> ca_;
  QString ca_problem_;
  int serial_ = 0;
};

}  // namespace carledger::app
