#include "apps/common/key_store.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSaveFile>

namespace carledger::app {
namespace {

Result<QByteArray> ReadKeyFile(const QString& path) {
  QFile f(path);
  if (!f.exists()) return Status::NotFound(("no wallet key at " + path).toStdString());
  if (!f.open(QIODevice::ReadOnly)) {
    return Status::Internal(("cannot read " + path + ": " + f.errorString()).toStdString());
  }
  return f.readAll();
}

Result<Signer> Decrypt(const QByteArray& pem, const QString& passphrase) {
  if (!pem.contains("ENCRYPTED PRIVATE KEY")) {
    return Status::InvalidArgument("the key file is not an encrypted CarLedger wallet key");
  }
  auto key = PrivateKey::FromPem(pem.toStdString(), passphrase.toStdString());
  if (!key.ok()) return Status::PermissionDenied("wrong passphrase for the wallet key");
  return Signer{std::move(key).value(), std::nullopt};
}

// Writes atomically with owner-only permissions (the file is encrypted, but still).
Status WritePrivate(const QString& path, const QByteArray& data) {
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly)) {
    return Status::Internal(("cannot write " + path + ": " + f.errorString()).toStdString());
  }
  f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
  f.write(data);
  if (!f.commit()) {
    return Status::Internal(("cannot write " + path + ": " + f.errorString()).toStdString());
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
    return Status::InvalidArgument("passphrase: at least 8 characters");
  }
  if (Has(login)) {
    return Status::AlreadyExists(("a wallet key for " + login + " already exists").toStdString());
  }
  if (!QDir().mkpath(dir_)) {
    return Status::Internal(("cannot create " + dir_).toStdString());
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
        ("a wallet key for " + login + " already exists; replace it explicitly").toStdString());
  }
  if (!QDir().mkpath(dir_)) return Status::Internal(("cannot create " + dir_).toStdString());
  CL_RETURN_IF_ERROR(WritePrivate(PathFor(login), pem));
  return signer;
}

std::string KeyProofMessage(const QString& login) {
  return "carledger-key:" + login.toStdString();
}

}  // namespace carledger::app
