// The signed-in user: sign-up (with the terms agreement), login, token refresh before the
// access token expires, logout; and the user's wallet key, unlocked from the key store at
// login (created and registered on the account the first time), with which the app signs
// its transactions. Results arrive as signals; nothing here blocks or shows a dialog.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QTimer>
#include <optional>

#include "apps/common/connection.h"
#include "apps/common/key_store.h"

namespace carledger::app {

class Session : public QObject {
  Q_OBJECT

 public:
  Session(Connection* connection, KeyStore* keys, QObject* parent = nullptr);

  // Creates an account, then the wallet key under `passphrase`, and registers it.
  void signUp(const v1::RegisterRequest& request, const QString& passphrase);
  // Signs in and unlocks (or creates and registers) the wallet key.
  void login(const QString& login_id, const QString& password, const QString& passphrase);
  // Revokes the tokens on the node and forgets them here.
  void logout();
  // Fetches the current terms (termsReady).
  void fetchTerms();
  // Re-reads the profile (profileChanged).
  void refreshProfile();

  bool signedIn() const { return !access_token_.isEmpty(); }
  const v1::Profile& profile() const { return profile_; }
  // The wallet address (key fingerprint) when the key is unlocked, else empty.
  QString walletAddress() const;
  // The key is unlocked and the node knows it as this account's wallet: transactions signed
  // now are accepted (right after sign-up the key is unlocked before its registration lands).
  bool canSign() const { return signer_.has_value() && profile_.wallet() == signer_->id(); }

  // A transaction of car_trade (or `contract`) signed with the wallet key, ready to submit.
  // FAILED_PRECONDITION when no key is unlocked.
  Result<ledger::TxEnvelope> sign(const QString& function, const QJsonObject& args,
                                  const QString& contract = "car_trade");

  Connection* connection() const { return connection_; }

 signals:
  void signedInChanged(bool signed_in);
  void profileChanged(const carledger::v1::Profile& profile);
  // A sign-up, login or key step failed: fields name the form fields at fault.
  void failed(const carledger::app::RpcError& error);
  void termsReady(const carledger::v1::Terms& terms);
  // The session ended without the user signing out: its tokens were refused (revoked or
  // expired); signedInChanged(false) follows.
  void expired(const QString& reason);
  // Signed in, but the account's wallet key is not on this computer (import a backup).
  void walletKeyMissing(const QString& wallet_address);

 private:
  void Accept(const v1::Session& s);
  void ScheduleRefresh(qint64 access_expires_ms);
  void Refresh();
  // Unlocks or creates the key for `login_id`, registering it when the account has none.
  void OpenWallet(const QString& login_id, const QString& passphrase, bool create_if_missing);
  void RegisterKey(const QString& login_id);
  void Fail(const RpcError& e);

  Connection* connection_;
  KeyStore* keys_;
  QString access_token_;
  std::string refresh_token_;
  v1::Profile profile_;
  std::optional<Signer> signer_;
  QTimer refresh_timer_;
  bool refreshing_ = false;
  uint64_t nonce_ = 0;
};

}  // namespace carledger::app
