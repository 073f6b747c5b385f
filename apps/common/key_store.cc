#include "apps/common/key_store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace carledger::app {
namespace {

Result<QByteArray> ReadKeyFile(const QString& path) {
  QFile f(path);
  if (!f.exists())
    return Status::NotFound(
        QCoreApplication::translate("KeyStore", "no wallet key at %1").arg(path).toStdString());
  if (!f.open(QIODevice::ReadOnly)) {
    return Status::Internal(QCoreApplication::translate("KeyStore", "cannot read %1: %2")
                                .arg(path, f.errorString())
                                .toStdString());
  }
  return f.readAll();
}

Result<Signer> Decrypt(const QByteArray& pem, const QString& passphrase) {
  if (!pem.contains("ENCRYPTED PRIVATE KEY")) {
    return Status::InvalidArgument(
        QCoreApplication::translate("KeyStore",
                                    "the key file is not an encrypted CarLedger wallet key")
            .toStdString());
  }
  auto key = PrivateKey::FromPem(pem.toStdString(), passphrase.toStdString());
  if (!key.ok())
    return Status::PermissionDenied(
        QCoreApplication::translate("KeyStore", "wrong passphrase for the wallet key")
            .toStdString());
  return Signer{std::move(key).value(), std::nullopt};
}

// Writes atomically with owner-only permissions (the file is encrypted, but still).
Status WritePrivate(const QString& path, const QByteArray& data) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    return Status::Internal(QCoreApplication::translate("KeyStore", "cannot write %1: %2")
                                .arg(path, f.errorString())
                                .toStdString());
  }
  f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  f.write(data);
  if (!f.commit()) {
    return Status::Internal(QCoreApplication::translate("KeyStore", "cannot write %1: %2")
                                .arg(path, f.errorString())
                                .toStdString());
  }
  return Status::Ok();
}

}  // namespace

KeyStore::KeyStore(QString dir) : dir_(std::move(dir)) {}

QString KeyStore::PathFor(const QString& login) const {
  // Login ids are [a-z0-9._-]; anything else is replaced so a name never escapes the dir.
  QString safe = login;
  safe.replace(QRegularExpression("[^A-Za-z0-9._-]"), "_");
  if (safe.startsWith('.')) safe.prepend('_');
  return QDir(dir_).filePath(safe + ".key.pem");
}

bool KeyStore::Has(const QString& login) const {
  return QFile::exists(PathFor(login));
}

Result<Signer> KeyStore::Create(const QString& login, const QString& passphrase) {
  if (passphrase.size() < 8) {
    return Status::InvalidArgument(
        QCoreApplication::translate("KeyStore", "passphrase: at least 8 characters").toStdString());
  }
  if (Has(login)) {
    return Status::AlreadyExists(
        QCoreApplication::translate("KeyStore", "a wallet key for %1 already exists")
            .arg(login)
            .toStdString());
  }
  if (!QDir().mkpath(dir_)) {
    return Status::Internal(
        QCoreApplication::translate("KeyStore", "cannot create %1").arg(dir_).toStdString());
  }
  CL_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::Generate());
  CL_ASSIGN_OR_RETURN(std::string pem, key.ToPem(passphrase.toStdString()));
  CL_RETURN_IF_ERROR(WritePrivate(PathFor(login), QByteArray::fromStdString(pem)));
  return Signer{std::move(key), std::nullopt};
}

Result<Signer> KeyStore::Unlock(const QString& login, const QString& passphrase) const {
  CL_ASSIGN_OR_RETURN(QByteArray pem, ReadKeyFile(PathFor(login)));
  return Decrypt(pem, passphrase);
}

Status KeyStore::Export(const QString& login, const QString& path) const {
  CL_ASSIGN_OR_RETURN(QByteArray pem, ReadKeyFile(PathFor(login)));
  return WritePrivate(path, pem);
}

Result<Signer> KeyStore::Import(const QString& login, const QString& path,
                                const QString& passphrase, bool replace) {
  CL_ASSIGN_OR_RETURN(QByteArray pem, ReadKeyFile(path));
  CL_ASSIGN_OR_RETURN(Signer signer, Decrypt(pem, passphrase));
  if (Has(login) && !replace) {
    return Status::AlreadyExists(
        QCoreApplication::translate("KeyStore",
                                    "a wallet key for %1 already exists; replace it explicitly")
            .arg(login)
            .toStdString());
  }
  if (!QDir().mkpath(dir_))
    return Status::Internal(
        QCoreApplication::translate("KeyStore", "cannot create %1").arg(dir_).toStdString());
  CL_RETURN_IF_ERROR(WritePrivate(PathFor(login), pem));
  return signer;
}

std::string KeyProofMessage(const QString& login) {
  return "carledger-key:" + login.toStdString();
}

}  // namespace carledger::app
