#include "apps/common/session.h"

#include <QDateTime>
#include <QJsonDocument>

#include "common/json.h"

namespace carledger::app {
namespace {

RpcError FromStatus(const Status& s, const QString& field = {}) {
  RpcError e;
  e.code = static_cast<grpc::StatusCode>(static_cast<int>(s.code()));
  e.message = QString::fromStdString(s.message());
  if (!field.isEmpty()) e.fields.insert(field, e.message);
  return e;
}

}  // namespace

Session::Session(Connection* connection, KeyStore* keys, QObject* parent)
    : QObject(parent), connection_(connection), keys_(keys) {
  refresh_timer_.setSingleShot(true);
  connect(&refresh_timer_, &QTimer::timeout, this, &Session::Refresh);
  // A call refused the access token (it expired while the computer slept, or the session
  // was revoked elsewhere): renew it once; when that is refused too, the session is over
  // and the app asks for a login.
  connect(connection_, &Connection::unauthenticated, this, [this] {
    if (signedIn() && !refreshing_) Refresh();
  });
  nonce_ = static_cast<uint64_t>(QDateTime::currentMSecsSinceEpoch()) * 1000;
}

QString Session::walletAddress() const {
  return signer_ ? QString::fromStdString(signer_->id()) : QString();
}

void Session::Fail(const RpcError& e) {
  emit failed(e);
}

void Session::signUp(const v1::RegisterRequest& request, const QString& passphrase) {
  // The passphrase is checked before the account exists, so a short one costs nothing.
  if (passphrase.size() < 8) {
    Fail(FromStatus(Status::InvalidArgument(tr("at least 8 characters").toStdString()),
                    "passphrase"));
    return;
  }
  const QString login_id = QString::fromStdString(request.login_id());
  connection_->call<v1::Accounts>(
      &AccountsRpc::Register, request, this,
      [this, login_id, passphrase](const RpcError& e, const v1::Session& s) {
        if (!e.ok()) return Fail(e);
        Accept(s);
        OpenWallet(login_id, passphrase, /*create_if_missing=*/true);
      });
}

void Session::login(const QString& login_id, const QString& password, const QString& passphrase) {
  v1::LoginRequest req;
  req.set_login_id(login_id.toStdString());
  req.set_password(password.toStdString());
  connection_->call<v1::Accounts>(
      &AccountsRpc::Login, req, this,
      [this, login_id, passphrase](const RpcError& e, const v1::Session& s) {
        if (!e.ok()) return Fail(e);
        Accept(s);
        OpenWallet(login_id, passphrase, /*create_if_missing=*/s.profile().wallet().empty());
      });
}

void Session::OpenWallet(const QString& login_id, const QString& passphrase,
                         bool create_if_missing) {
  const QString registered = QString::fromStdString(profile_.wallet());
  if (keys_->Has(login_id)) {
    auto s = keys_->Unlock(login_id, passphrase);
    if (!s.ok()) {
      Fail(FromStatus(s.status(), "passphrase"));
      emit signedInChanged(true);  // signed in, read-only until the key is unlocked
      return;
    }
    signer_ = std::move(s).value();
    if (registered.isEmpty()) return RegisterKey(login_id);
    if (registered != walletAddress()) {
      signer_.reset();
      emit walletKeyMissing(registered);
    }
    emit signedInChanged(true);
    return;
  }
  if (!create_if_missing) {
    emit signedInChanged(true);
    emit walletKeyMissing(registered);
    return;
  }
  auto s = keys_->Create(login_id, passphrase);
  if (!s.ok()) {
    Fail(FromStatus(s.status(), "passphrase"));
    emit signedInChanged(true);
    return;
  }
  signer_ = std::move(s).value();
  RegisterKey(login_id);
}

void Session::RegisterKey(const QString& login_id) {
  v1::SetPublicKeyRequest req;
  req.set_public_key_der(signer_->key.public_key().der());
  auto proof = signer_->key.Sign(KeyProofMessage(login_id));
  if (!proof.ok()) return Fail(FromStatus(proof.status()));
  req.set_proof_signature(proof.value());
  connection_->call<v1::Accounts>(&AccountsRpc::SetPublicKey, req, this,
                                  [this](const RpcError& e, const v1::Profile& p) {
                                    if (!e.ok())
                                      Fail(e);
                                    else {
                                      profile_ = p;
                                      emit profileChanged(profile_);
                                    }
                                    emit signedInChanged(true);
                                  });
}

void Session::Accept(const v1::Session& s) {
  access_token_ = QString::fromStdString(s.access_token());
  refresh_token_ = s.refresh_token();
  connection_->setAccessToken(access_token_);
  if (s.has_profile()) {
    profile_ = s.profile();
    emit profileChanged(profile_);
  }
  ScheduleRefresh(s.access_expires_ms());
}

void Session::ScheduleRefresh(qint64 access_expires_ms) {
  // A minute before expiry (never sooner than 5 s from now, nor later than the expiry).
  qint64 left = access_expires_ms - QDateTime::currentMSecsSinceEpoch();
  qint64 at = std::max<qint64>(5000, left - 60000);
  if (left > 0 && at > left) at = left / 2;
  refresh_timer_.start(static_cast<int>(std::min<qint64>(at, 24LL * 3600 * 1000)));
}

void Session::Refresh() {
  if (refresh_token_.empty() || refreshing_) return;  // one refresh token, used once
  v1::RefreshRequest req;
  req.set_refresh_token(refresh_token_);
  refreshing_ = true;
  connection_->call<v1::Accounts>(&AccountsRpc::Refresh, req, this,
                                  [this](const RpcError& e, const v1::Session& s) {
                                    refreshing_ = false;
                                    if (e.ok()) return Accept(s);
                                    if (e.code == grpc::StatusCode::UNAVAILABLE) {
                                      refresh_timer_.start(5000);  // try again soon
                                      return;
                                    }
                                    // The family was revoked: sign in again.
                                    emit expired(e.message);
                                    logout();
                                  });
}

void Session::logout() {
  if (!signedIn()) return;
  connection_->call<v1::Accounts>(&AccountsRpc::Logout, v1::Empty(), nullptr,
                                  [](const RpcError&, const v1::Empty&) {});
  refresh_timer_.stop();
  access_token_.clear();
  refresh_token_.clear();
  connection_->setAccessToken({});
  signer_.reset();
  profile_.Clear();
  emit signedInChanged(false);
}

void Session::fetchTerms() {
  connection_->call<v1::Accounts>(&AccountsRpc::GetTerms, v1::Empty(), this,
                                  [this](const RpcError& e, const v1::Terms& t) {
                                    if (!e.ok()) return Fail(e);
                                    emit termsReady(t);
                                  });
}

void Session::refreshProfile() {
  connection_->call<v1::Accounts>(&AccountsRpc::GetProfile, v1::GetProfileRequest(), this,
                                  [this](const RpcError& e, const v1::Profile& p) {
                                    if (!e.ok()) return;
                                    profile_ = p;
                                    emit profileChanged(profile_);
                                  });
}

Result<ledger::TxEnvelope> Session::sign(const QString& function, const QJsonObject& args,
                                         const QString& contract) {
  if (!signer_)
    return Status::FailedPrecondition(tr("the wallet key is not unlocked").toStdString());
  if (!canSign()) {
    return Status::FailedPrecondition(
        tr("the wallet key is still being registered with the network; try again in a moment")
            .toStdString());
  }
  CL_ASSIGN_OR_RETURN(
      Json json, Json::Parse(QJsonDocument(args).toJson(QJsonDocument::Compact).toStdString()));
  return MakeTransaction(*signer_, contract.toStdString(), function.toStdString(), json, ++nonce_,
                         QDateTime::currentMSecsSinceEpoch());
}

}  // namespace carledger::app
