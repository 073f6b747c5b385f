// Signing in, and for traders signing up: the account form with the terms of service to
// agree to (in the UI language), and the wallet passphrase that unlocks (or, the first
// time, protects) the user's signing key. Errors from the node land next to their fields.
#pragma once

#include <QCheckBox>
#include <QDialog>
#include <QLineEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTextBrowser>

#include "apps/common/form_errors.h"
#include "apps/common/session.h"

namespace carledger::app {

class LoginDialog : public QDialog {
  Q_OBJECT

 public:
  LoginDialog(Session* session, bool allow_sign_up, QWidget* parent = nullptr);

  // For tests and scripted runs: the widgets by role.
  QLineEdit* loginId() const { return login_id_; }
  QLineEdit* password() const { return password_; }
  QLineEdit* passphrase() const { return passphrase_; }
  QTabWidget* tabs() const { return tabs_; }
  FormErrors* loginErrors() const { return login_errors_; }
  FormErrors* signUpErrors() const { return sign_up_errors_; }
  QPushButton* signInButton() const { return sign_in_; }
  QPushButton* signUpButton() const { return sign_up_; }
  QLineEdit* field(const QString& name) const;
  QCheckBox* agreeTerms() const { return agree_; }

 private:
  QWidget* BuildLogin();
  QWidget* BuildSignUp();
  void SubmitLogin();
  void SubmitSignUp();
  void SetBusy(bool busy);

  Session* session_;
  QTabWidget* tabs_;
  QLineEdit* login_id_;
  QLineEdit* password_;
  QLineEdit* passphrase_;
  QPushButton* sign_in_;
  FormErrors* login_errors_;
  QMap<QString, QLineEdit*> sign_up_fields_;
  QCheckBox* agree_ = nullptr;
  QTextBrowser* terms_ = nullptr;
  QPushButton* sign_up_ = nullptr;
  FormErrors* sign_up_errors_ = nullptr;
  std::string terms_version_;
  bool signing_up_ = false;
};

}  // namespace carledger::app
