#include "apps/common/login_dialog.h"

#include <QFormLayout>
#include <QLocale>
#include <QVBoxLayout>

namespace carledger::app {
namespace {

QLineEdit* NewEdit(const QString& object_name, bool secret = false) {
  auto* e = new QLineEdit;
  e->setObjectName(object_name);
  if (secret) e->setEchoMode(QLineEdit::Password);
  return e;
}

}  // namespace

LoginDialog::LoginDialog(Session* session, bool allow_sign_up, QWidget* parent)
    : QDialog(parent), session_(session) {
  setWindowTitle(tr("Sign in to CarLedger"));
  setObjectName(QStringLiteral("loginDialog"));
  tabs_ = new QTabWidget;
  tabs_->addTab(BuildLogin(), tr("Sign in"));
  if (allow_sign_up) tabs_->addTab(BuildSignUp(), tr("Create an account"));
  auto* v = new QVBoxLayout(this);
  v->addWidget(tabs_);

  connect(session_, &Session::signedInChanged, this, [this](bool in) {
    SetBusy(false);
    if (in && session_->canSign()) accept();
  });
  connect(session_, &Session::failed, this, [this](const RpcError& e) {
    SetBusy(false);
    (signing_up_ ? sign_up_errors_ : login_errors_)->show(e);
    // A wrong passphrase leaves the user signed in read-only: let them try it again.
  });
  connect(session_, &Session::walletKeyMissing, this, [this](const QString& wallet) {
    login_errors_->mark(QStringLiteral("passphrase"),
                        tr("This account's wallet key (%1…) is not on this computer: import "
                           "your key backup from the Account menu.")
                            .arg(wallet.left(8)));
  });
  if (allow_sign_up) {
    connect(session_, &Session::termsReady, this, [this](const v1::Terms& t) {
      terms_version_ = t.version();
      bool ko = QLocale().language() == QLocale::Korean;
      terms_->setPlainText(QString::fromStdString(ko ? t.text_ko() : t.text_en()));
    });
    session_->fetchTerms();
  }
}

QWidget* LoginDialog::BuildLogin() {
  auto* page = new QWidget;
  auto* form = new QFormLayout;
  auto* general = new QLabel;
  general->setObjectName(QStringLiteral("loginError"));
  login_errors_ = new FormErrors(general, this);
  login_id_ = NewEdit(QStringLiteral("login_login_id"));
  password_ = NewEdit(QStringLiteral("login_password"), true);
  passphrase_ = NewEdit(QStringLiteral("login_passphrase"), true);
  passphrase_->setPlaceholderText(tr("unlocks your signing key on this computer"));
  login_errors_->addRow(form, tr("Login ID"), QStringLiteral("login_id"), login_id_);
  login_errors_->addRow(form, tr("Password"), QStringLiteral("password"), password_);
  login_errors_->addRow(form, tr("Wallet passphrase"), QStringLiteral("passphrase"), passphrase_);
  sign_in_ = new QPushButton(tr("Sign in"));
  sign_in_->setObjectName(QStringLiteral("signInButton"));
  sign_in_->setDefault(true);
  connect(sign_in_, &QPushButton::clicked, this, &LoginDialog::SubmitLogin);
  auto* v = new QVBoxLayout(page);
  v->addLayout(form);
  v->addWidget(general);
  v->addStretch();
  v->addWidget(sign_in_);
  return page;
}

QWidget* LoginDialog::BuildSignUp() {
  auto* page = new QWidget;
  auto* form = new QFormLayout;
  auto* general = new QLabel;
  general->setObjectName(QStringLiteral("signUpError"));
  sign_up_errors_ = new FormErrors(general, this);
  struct Row {
    const char* field;
    QString label;
    bool secret;
    QString hint;
  };
  const Row rows[] = {
      {"login_id", tr("Login ID"), false, tr("4–32 of a–z, 0–9, . _ -")},
      {"password", tr("Password"), true, tr("at least 10 characters")},
      {"name", tr("Name"), false, {}},
      {"address", tr("Address"), false, {}},
      {"phone", tr("Phone"), false, tr("e.g. 01012345678")},
      {"passphrase", tr("Wallet passphrase"), true, tr("protects your signing key; 8+ characters")},
  };
  for (const Row& r : rows) {
    QLineEdit* e = NewEdit(QStringLiteral("signup_") + r.field, r.secret);
    e->setPlaceholderText(r.hint);
    sign_up_fields_.insert(r.field, e);
    sign_up_errors_->addRow(form, r.label, r.field, e);
  }
  terms_ = new QTextBrowser;
  terms_->setObjectName(QStringLiteral("termsText"));
  terms_->setMaximumHeight(140);
  agree_ = new QCheckBox(tr("I have read and agree to the terms of service"));
  agree_->setObjectName(QStringLiteral("signup_agree_terms"));
  auto* agree_error = new QLabel;
  agree_error->setObjectName(QStringLiteral("error_agree_terms"));
  agree_error->setStyleSheet(QStringLiteral("color: #c62828;"));
  agree_error->hide();
  sign_up_errors_->bind(QStringLiteral("agree_terms"), agree_, agree_error);
  sign_up_errors_->bind(QStringLiteral("terms_version"), agree_, agree_error);
  sign_up_ = new QPushButton(tr("Create account"));
  sign_up_->setObjectName(QStringLiteral("signUpButton"));
  connect(sign_up_, &QPushButton::clicked, this, &LoginDialog::SubmitSignUp);
  auto* v = new QVBoxLayout(page);
  v->addLayout(form);
  v->addWidget(new QLabel(tr("Terms of service")));
  v->addWidget(terms_);
  v->addWidget(agree_);
  v->addWidget(agree_error);
  v->addWidget(general);
  v->addWidget(sign_up_);
  return page;
}

QLineEdit* LoginDialog::field(const QString& name) const {
  return sign_up_fields_.value(name);
}

void LoginDialog::SetBusy(bool busy) {
  sign_in_->setEnabled(!busy);
  if (sign_up_) sign_up_->setEnabled(!busy);
}

void LoginDialog::SubmitLogin() {
  login_errors_->clear();
  bool bad = false;
  if (login_id_->text().trimmed().isEmpty()) {
    bad |= login_errors_->mark(QStringLiteral("login_id"), tr("required"));
  }
  if (password_->text().isEmpty()) {
    bad |= login_errors_->mark(QStringLiteral("password"), tr("required"));
  }
  if (bad) return;
  signing_up_ = false;
  SetBusy(true);
  session_->login(login_id_->text().trimmed(), password_->text(), passphrase_->text());
}

void LoginDialog::SubmitSignUp() {
  sign_up_errors_->clear();
  if (!agree_->isChecked()) {
    sign_up_errors_->mark(QStringLiteral("agree_terms"),
                          tr("you must agree to the terms to create an account"));
    return;
  }
  v1::RegisterRequest r;
  r.set_login_id(field("login_id")->text().trimmed().toStdString());
  r.set_password(field("password")->text().toStdString());
  r.set_name(field("name")->text().trimmed().toStdString());
  r.set_address(field("address")->text().trimmed().toStdString());
  r.set_phone(field("phone")->text().trimmed().toStdString());
  r.set_terms_version(terms_version_);
  r.set_agree_terms(true);
  signing_up_ = true;
  SetBusy(true);
  session_->signUp(r, field("passphrase")->text());
}

}  // namespace carledger::app
