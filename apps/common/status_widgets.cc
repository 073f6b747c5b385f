#include "apps/common/status_widgets.h"

namespace carledger::app {

VerificationBadge::VerificationBadge(QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("verificationBadge"));
  setWordWrap(true);
  clearResult();
}

void VerificationBadge::clearResult() {
  state_ = State::kNone;
  clear();
  setStyleSheet({});
}

void VerificationBadge::setVerifying() {
  state_ = State::kVerifying;
  setText(tr("Verifying the history…"));
  setStyleSheet(QStringLiteral("padding: 4px; border-radius: 4px; background: #eceff1;"));
}

void VerificationBadge::setResult(const HistoryCheck& check) {
  if (check.ok) {
    state_ = State::kVerified;
    setText(tr("✔ Verified by %1 of %2 validators · %n event(s) checked", nullptr,
               static_cast<int>(check.events))
                .arg(check.signers)
                .arg(check.validators));
    setToolTip(
        tr("Every event is in a block certified by the validators, and the events form "
           "one unbroken chain."));
    setStyleSheet(
        QStringLiteral("padding: 4px; border-radius: 4px; background: #e8f5e9; color: #1b5e20;"));
  } else {
    state_ = State::kFailed;
    setText(
        tr("⚠ This history could not be verified: %1").arg(QString::fromStdString(check.problem)));
    setToolTip(tr("Do not rely on what this node shows. Try another node or report it."));
    setStyleSheet(
        QStringLiteral("padding: 4px; border-radius: 4px; background: #ffebee; "
                       "color: #b71c1c; font-weight: bold;"));
  }
}

ConnectionIndicator::ConnectionIndicator(Connection* connection, QWidget* parent) : QLabel(parent) {
  setObjectName(QStringLiteral("connectionIndicator"));
  connect(connection, &Connection::stateChanged, this, &ConnectionIndicator::Show);
  connect(connection, &Connection::chainHeight, this, [this, connection](quint64 h) {
    height_ = h;
    Show(connection->state(), connection->currentNodeName());
  });
  Show(connection->state(), connection->currentNodeName());
}

void ConnectionIndicator::Show(Connection::State state, const QString& node) {
  QString text;
  QString colour;
  switch (state) {
    case Connection::State::kConnecting:
      text = tr("Connecting to %1…").arg(node);
      colour = QStringLiteral("#757575");
      break;
    case Connection::State::kOnline:
      text = height_ > 0 ? tr("● %1 · block %2").arg(node).arg(height_) : tr("● %1").arg(node);
      colour = QStringLiteral("#2e7d32");
      break;
    case Connection::State::kFailingOver:
      text = tr("Node unavailable, switching to %1…").arg(node);
      colour = QStringLiteral("#ef6c00");
      break;
    case Connection::State::kOffline:
      text = tr("Offline: no node answers");
      colour = QStringLiteral("#c62828");
      break;
  }
  setText(text);
  setStyleSheet(QStringLiteral("color: %1;").arg(colour));
}

}  // namespace carledger::app
