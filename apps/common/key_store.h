// The user's wallet key: an ECDSA P-256 key generated on first use and kept on disk only
// encrypted (PKCS#8, AES-256 under a key derived from the user's passphrase), one file per
// login in the key directory, readable by the user alone. Exportable and importable as that
// same encrypted file for backup. Transactions are signed with it locally; the key never
// leaves the app.
#pragma once

#include <QString>

#include "common/status.h"
#include "common/tx_builder.h"

namespace carledger::app {

class KeyStore {
 public:
  // Keys live in `dir` (created when needed), e.g. QStandardPaths::AppDataLocation + "/keys".
  explicit KeyStore(QString dir);

  // The file holding `login`'s key.
  QString PathFor(const QString& login) const;
  bool Has(const QString& login) const;

  // Generates a key for `login` and stores it encrypted under `passphrase` (at least 8
  // characters). ALREADY_EXISTS when the login has one (never overwritten).
  Result<Signer> Create(const QString& login, const QString& passphrase);
  // Decrypts `login`'s key. NOT_FOUND without one; PERMISSION_DENIED for a wrong passphrase.
  Result<Signer> Unlock(const QString& login, const QString& passphrase) const;
  // Copies the encrypted key file to `path` (a backup; still needs the passphrase).
  Status Export(const QString& login, const QString& path) const;
  // Installs a backup for `login` after checking `passphrase` opens it. Replaces the
  // current key only when `replace` is set.
  Result<Signer> Import(const QString& login, const QString& path, const QString& passphrase,
                        bool replace = false);

 private:
  QString dir_;
};

// The message a wallet key signs to prove it belongs to `login` (Accounts.SetPublicKey).
std::string KeyProofMessage(const QString& login);

}  // namespace carledger::app
