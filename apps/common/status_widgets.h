// Small widgets every app shows: the verification badge of a history ("verified by k of n
// validators", or a red warning saying what failed) and the connection state.
#pragma once

#include <QLabel>

#include "apps/common/connection.h"
#include "common/history_verify.h"

namespace carledger::app {

class VerificationBadge : public QLabel {
  Q_OBJECT

 public:
  enum class State { kNone, kVerifying, kVerified, kFailed };
  explicit VerificationBadge(QWidget* parent = nullptr);

  void setVerifying();
  void setResult(const HistoryCheck& check);
  void clearResult();
  State state() const { return state_; }

 private:
  State state_ = State::kNone;
};

class ConnectionIndicator : public QLabel {
  Q_OBJECT

 public:
  explicit ConnectionIndicator(Connection* connection, QWidget* parent = nullptr);

 private:
  void Show(Connection::State state, const QString& node);
  quint64 height_ = 0;
};

}  // namespace carledger::app
