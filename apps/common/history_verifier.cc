#include "apps/common/history_verifier.h"

#include <QDateTime>
#include <QtConcurrent/QtConcurrentRun>

namespace carledger::app {

HistoryVerifier::HistoryVerifier(const QString& ca_pem, QObject* parent) : QObject(parent) {
  auto ca = Certificate::FromPem(ca_pem.toStdString());
  if (ca.ok()) {
    ca_ = std::move(ca).value();
  } else {
    ca_problem_ = tr("the network's CA certificate is unreadable: %1")
                      .arg(QString::fromStdString(ca.status().message()));
  }
}

HistoryCheck HistoryVerifier::check(const v1::CarHistory& history) const {
  if (!ca_) {
    HistoryCheck c;
    c.problem = ca_problem_.toStdString();
    return c;
  }
  return VerifyCarHistory(history, *ca_, QDateTime::currentSecsSinceEpoch());
}

int HistoryVerifier::verify(const v1::CarHistory& history) {
  const int serial = ++serial_;
  auto* watcher = new QFutureWatcher<HistoryCheck>(this);
  const QString vin = QString::fromStdString(history.vin());
  connect(watcher, &QFutureWatcher<HistoryCheck>::finished, this, [this, watcher, serial, vin] {
    emit verified(serial, vin, watcher->result());
    watcher->deleteLater();
  });
  watcher->setFuture(QtConcurrent::run([this, history] { return check(history); }));
  return serial;
}

}  // namespace carledger::app
