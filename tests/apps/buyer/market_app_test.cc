// CarLedger Market driven through its widgets (QTest, offscreen) against a real
// 4-validator cluster and PostgreSQL: two traders sign up, one lists a car with a photo,
// the other finds it, sees its history verified, buys it through escrow, the seller hands
// it over, the buyer confirms and reviews; bad input in each form marks the right field; a
// node killed during a session is failed over; a node serving a tampered history gets the
// red warning.
#include <signal.h>

#include <QApplication>
#include <QCheckBox>
#include <QDateTime>
#include <QImage>
#include <QInputMethodEvent>
#include <QLineEdit>
#include <QListWidget>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "apps/buyer/car_page.h"
#include "apps/buyer/chat_window.h"
#include "apps/buyer/community_dialogs.h"
#include "apps/buyer/escrow_wizard.h"
#include "apps/buyer/inspection_request_dialog.h"
#include "apps/buyer/main_window.h"
#include "apps/buyer/search_page.h"
#include "apps/buyer/sell_page.h"
#include "apps/buyer/trades_page.h"
#include "apps/buyer/wallet_page.h"
#include "apps/common/format.h"
#include "apps/common/login_dialog.h"
#include "tests/apps/market_cluster.h"

using namespace carledger::app;
using carledger::testing::MarketCluster;

namespace {

// One user's running app: its own connection, key store, session and window.
struct App {
  App(const NetworkProfile& profile, const QString& key_dir)
      : connection(profile),
        keys(key_dir),
        session(&connection, &keys),
        verifier(profile.ca_pem),
        notifications(&connection),
        chat(&connection),
        window(MarketServices{&connection, &keys, &session, &verifier, &notifications, &chat}) {
    window.show();
  }
  Connection connection;
  KeyStore keys;
  Session session;
  HistoryVerifier verifier;
  NotificationStream notifications;
  ChatStream chat;
  MainWindow window;
};

// Types `text` the way a user would: ASCII as key presses, Hangul as the input method
// commits it (QTest::keyClicks only knows Latin-1 keys).
void Type(QWidget* w, const QString& text) {
  QVERIFY(w);
  for (QChar c : text) {
    if (c.unicode() < 0x80) {
      QTest::keyClick(w, c.toLatin1());
    } else {
      QInputMethodEvent commit;
      commit.setCommitString(QString(c));
      QApplication::sendEvent(w, &commit);
    }
  }
}

// True once `spy` has seen its signal, whether it came synchronously or later.
bool Emitted(QSignalSpy& spy, int ms = 10000) {
  return spy.count() > 0 || spy.wait(ms);
}

// What the sell page says outside its fields, for failure messages.
QString SellPageText(QWidget* sell) {
  QStringList parts;
  for (auto* l : sell->findChildren<QLabel*>()) {
    if (!l->text().isEmpty()) parts << l->objectName() + "=" + l->text();
  }
  return parts.join(" | ");
}

QString RunTag() {
  return QString::number(QDateTime::currentMSecsSinceEpoch() % 1000000);
}

}  // namespace

class MarketAppTest : public QObject {
  Q_OBJECT

 private:
  std::unique_ptr<MarketCluster> cluster_;
  NetworkProfile profile_;
  QTemporaryDir keys_;
  QString run_ = RunTag();
  QString listed_vin_;
  QString photo_;

  std::unique_ptr<App> NewApp(const NetworkProfile& profile) {
    return std::make_unique<App>(profile, keys_.path());
  }

  // Signs up through the dialog; the app ends signed in with its wallet key registered.
  void SignUp(App& app, const QString& login) {
    auto* d = qobject_cast<LoginDialog*>(app.window.showLogin());
    QVERIFY(d);
    auto* terms = d->findChild<QTextBrowser*>(QStringLiteral("termsText"));
    QTRY_VERIFY_WITH_TIMEOUT(!terms->toPlainText().isEmpty(), 10000);
    d->tabs()->setCurrentIndex(1);
    Type(d->field("login_id"), login);
    Type(d->field("password"), QStringLiteral("correct horse battery"));
    Type(d->field("name"), QStringLiteral("김민준"));
    Type(d->field("address"), QStringLiteral("서울특별시 강남구 테헤란로 1"));
    Type(d->field("phone"), QStringLiteral("01012345678"));
    Type(d->field("passphrase"), QStringLiteral("wallet passphrase"));
    d->agreeTerms()->setChecked(true);
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(app.session.canSign(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(!app.session.profile().wallet().empty(), 10000);
    QCOMPARE(QString::fromStdString(app.session.profile().wallet()), app.session.walletAddress());
  }

  // Searches by model until `vin` shows up (the index follows the ledger).
  bool FindInSearch(App& app, const QString& model, const QString& vin) {
    SearchPage* s = app.window.searchPage();
    s->filter("model")->setText(model);
    for (int attempt = 0; attempt < 40; ++attempt) {
      QSignalSpy loaded(s->model(), &PagedTableModel::pageLoaded);
      if (!s->search()) return false;
      if (!loaded.wait(10000)) continue;
      for (int r = 0; r < s->model()->rowCount(); ++r) {
        if (s->model()->data(s->model()->index(r, 0), SearchModel::kVinRole).toString() == vin) {
          return true;
        }
      }
      QTest::qWait(250);
    }
    return false;
  }

  // A profile whose first node is a tampering node ("evil") in front of node2, lying as
  // `how` says, followed by the real profile's first node when `with_honest_node`. False (with
  // a warning) when the tampering node does not start.
  bool TamperingProfile(MarketCluster::Tamper how, bool with_honest_node, NetworkProfile* out) {
    auto address = cluster_->StartTamperingNode(cluster_->ApiAddress("node2"), how);
    if (!address.ok()) {
      qWarning("%s", address.status().ToString().c_str());
      return false;
    }
    *out = profile_;
    out->nodes = {NodeEndpoint{"evil", QString::fromStdString(*address), "validator0"}};
    if (with_honest_node) out->nodes.push_back(profile_.nodes.front());
    return true;
  }

  void FillSellForm(SellPage* sell, const QString& vin, const QString& model, const QString& year,
                    const QString& price) {
    auto set = [&](const char* field, const QString& text) {
      auto* e = qobject_cast<QLineEdit*>(sell->input(field));
      QVERIFY2(e, field);
      e->clear();
      Type(e, text);
    };
    set("vin", vin);
    set("make", QStringLiteral("Hyundai"));
    set("model", model);
    set("year", year);
    set("colour", QStringLiteral("흰색"));
    set("odometer_km", QStringLiteral("42,180"));
    set("region", QStringLiteral("서울"));
    set("price", price);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(keys_.isValid());
    auto c = MarketCluster::Start();
    QVERIFY2(c.ok(), c.status().ToString().c_str());
    cluster_ = std::move(c).value();
    auto p = LoadNetworkProfile(QString::fromStdString(cluster_->profileDir()));
    QVERIFY2(p.ok(), p.status().ToString().c_str());
    profile_ = p.value();
    QCOMPARE(profile_.nodes.size(), 4);
    QImage img(320, 240, QImage::Format_RGB32);
    img.fill(QColor(0x1e, 0x88, 0xe5));
    photo_ = keys_.filePath(QStringLiteral("car.png"));
    QVERIFY(img.save(photo_));
  }

  // Sign up, list a car, search for it, buy it, hand it over, confirm, review.
  void buyAndSellEndToEnd() {
    auto seller = NewApp(profile_);
    auto buyer = NewApp(profile_);
    SignUp(*seller, "gseller" + run_);
    SignUp(*buyer, "gbuyer" + run_);

    // The buyer's wallet: a charge request an administrator approves.
    WalletPage* wallet = buyer->window.walletPage();
    QSignalSpy charged(wallet, &WalletPage::chargeRequested);
    Type(wallet->amount(), QStringLiteral("30,000,000"));
    wallet->requestCharge();
    QVERIFY(charged.wait(20000));
    auto charge_error = charged.at(0).at(1).value<RpcError>();
    QVERIFY2(charge_error.ok(), qPrintable(charge_error.message));
    QVERIFY(cluster_->ApproveCharge(charged.at(0).at(0).toString().toStdString()).ok());
    wallet->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(wallet->balance(), qint64(30'000'000), 10000);

    // The seller lists a car with a photo.
    SellPage* sell = seller->window.sellPage();
    const QString vin = QStringLiteral("KMHD341CBNU") + run_.rightJustified(6, '0');
    const QString model = QStringLiteral("Avante GUI ") + run_;
    FillSellForm(sell, vin, model, QStringLiteral("2021"), QStringLiteral("18,500,000"));
    sell->addPhotoFile(photo_);
    QSignalSpy listed(sell, &SellPage::listed);
    QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
    QVERIFY2(listed.wait(30000), qPrintable(sell->findChild<QLabel*>("sellError")->text()));
    QCOMPARE(listed.at(0).at(0).toString(), vin);
    listed_vin_ = vin;

    // The buyer finds it, with its photo as the row's thumbnail, and sees its history
    // verified and the photo on the car page.
    QVERIFY(FindInSearch(*buyer, model, vin));
    SearchModel* results = buyer->window.searchPage()->model();
    auto thumbnail = [&] {
      for (int r = 0; r < results->rowCount(); ++r) {
        if (results->data(results->index(r, 0), SearchModel::kVinRole).toString() == vin)
          return results->data(results->index(r, SearchModel::kPhoto), Qt::DecorationRole)
              .value<QPixmap>();
      }
      return QPixmap();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!thumbnail().isNull(), 10000);
    QSignalSpy verified(buyer->window.carPage(), &CarPage::historyVerified);
    buyer->window.openCar(vin);
    QVERIFY(verified.wait(20000));
    auto* photos = buyer->window.carPage()->findChild<QListWidget*>(QStringLiteral("carPhotos"));
    QVERIFY(photos);
    QTRY_COMPARE_WITH_TIMEOUT(photos->count(), 1, 10000);
    QVERIFY(!photos->isHidden());
    QCOMPARE(verified.at(0).at(1).toBool(), true);
    QCOMPARE(buyer->window.carPage()->badge()->state(), VerificationBadge::State::kVerified);
    QVERIFY(buyer->window.carPage()->badge()->text().contains("4"));
    QTRY_VERIFY_WITH_TIMEOUT(buyer->window.carPage()->buyButton()->isEnabled(), 10000);

    // The buyer asks the seller about it; the seller reads it under the buyer's login.
    QTRY_VERIFY_WITH_TIMEOUT(buyer->window.carPage()->chatButton()->isEnabled(), 10000);
    QTest::mouseClick(buyer->window.carPage()->chatButton(), Qt::LeftButton);
    ChatWindow* buyer_chat = buyer->window.chatWindow();
    QVERIFY(buyer_chat->input()->text().contains(vin));
    Type(buyer_chat->input(), QStringLiteral("사고 이력이 있나요?"));
    QTest::keyClick(buyer_chat->input(), Qt::Key_Return);
    QVERIFY(buyer_chat->input()->text().isEmpty());
    ChatWindow* seller_chat = seller->window.chatWindow();
    const QString buyer_login = "gbuyer" + run_;
    QTRY_VERIFY_WITH_TIMEOUT(
        !seller_chat->conversations()->findItems(buyer_login, Qt::MatchExactly).isEmpty(), 15000);
    seller_chat->conversations()->setCurrentItem(
        seller_chat->conversations()->findItems(buyer_login, Qt::MatchExactly).front());
    QTRY_COMPARE_WITH_TIMEOUT(seller_chat->messages()->count(), 1, 5000);
    QVERIFY(
        seller_chat->messages()->item(0)->text().contains(QStringLiteral("사고 이력이 있나요?")));
    QVERIFY(seller_chat->messages()->item(0)->text().contains(vin));
    // The seller answers; the buyer's open conversation shows both, in order.
    Type(seller_chat->input(), QStringLiteral("No accidents."));
    seller_chat->send();
    QTRY_COMPARE_WITH_TIMEOUT(buyer_chat->messages()->count(), 2, 15000);
    QVERIFY(buyer_chat->messages()->item(1)->text().contains(QStringLiteral("No accidents.")));

    // Escrow: price, balance, confirmation.
    auto* wizard = qobject_cast<EscrowWizard*>(buyer->window.buyCurrentCar());
    QVERIFY(wizard);
    QCOMPARE(wizard->price(), qint64(18'500'000));
    wizard->next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->balanceKnown(), 10000);
    wizard->next();
    QCOMPARE(wizard->currentId(), 2);
    // Not ticked: the wizard stays on its page and says why.
    wizard->next();
    QCOMPARE(wizard->currentId(), 2);
    QVERIFY(wizard->errorLabel()->text().contains(QStringLiteral("Tick the box")));
    wizard->understood()->setChecked(true);
    QSignalSpy opened(wizard, &EscrowWizard::opened);
    wizard->next();  // submits
    QVERIFY2(opened.wait(30000), qPrintable(wizard->errorLabel()->text()));
    const QString escrow = opened.at(0).at(0).toString();
    QCOMPARE(escrow.size(), 64);
    // The seller hears of it on the live notification stream.
    QTRY_VERIFY_WITH_TIMEOUT(
        !seller->window.notificationList()->findItems(vin, Qt::MatchContains).isEmpty(), 15000);

    // The seller hands it over, the buyer confirms.
    TradesPage* seller_trades = seller->window.tradesPage();
    seller_trades->select(escrow);
    QTRY_VERIFY_WITH_TIMEOUT(
        seller_trades->selected() && seller_trades->button("hand_over")->isEnabled(), 15000);
    QSignalSpy handed(seller_trades, &TradesPage::stepFinished);
    QTest::mouseClick(seller_trades->button("hand_over"), Qt::LeftButton);
    QVERIFY(handed.wait(30000));
    QVERIFY(handed.at(0).at(1).value<RpcError>().ok());
    TradesPage* buyer_trades = buyer->window.tradesPage();
    buyer_trades->select(escrow);
    QTRY_VERIFY_WITH_TIMEOUT(
        buyer_trades->selected() && buyer_trades->button("confirm")->isEnabled(), 15000);
    QSignalSpy confirmed(buyer_trades, &TradesPage::stepFinished);
    QTest::mouseClick(buyer_trades->button("confirm"), Qt::LeftButton);
    QVERIFY(confirmed.wait(30000));
    QVERIFY(confirmed.at(0).at(1).value<RpcError>().ok());
    QTRY_VERIFY_WITH_TIMEOUT(
        buyer_trades->selected() && buyer_trades->selected()->status() == "COMPLETED", 15000);

    // Chat from the seller's trade page opens the conversation with the buyer.
    seller_trades->select(escrow);
    QTRY_VERIFY_WITH_TIMEOUT(
        seller_trades->selected() && seller_trades->button("chat")->isEnabled(), 15000);
    seller_chat->conversations()->setCurrentItem(nullptr);
    QTest::mouseClick(seller_trades->button("chat"), Qt::LeftButton);
    QVERIFY(seller_chat->conversations()->currentItem() != nullptr);
    QCOMPARE(seller_chat->conversations()->currentItem()->data(Qt::UserRole).toString(),
             QString::fromStdString(buyer->session.profile().user_id()));

    // A review too long is marked on its text, and nothing is sent.
    {
      ReviewDialog too_long(&buyer->session, escrow);
      too_long.text()->setPlainText(QString(700, QChar(0xD55C)));  // 2,100 bytes of 한
      QSignalSpy sent(&too_long, &ReviewDialog::finished);
      too_long.submit();
      QVERIFY(!too_long.errors()->errorFor("text").isEmpty());
      QVERIFY(!sent.wait(300));
    }
    // The buyer reviews the seller.
    ReviewDialog review(&buyer->session, escrow);
    review.rating()->setValue(4);
    Type(review.text(), QStringLiteral("설명과 같은 차였습니다."));
    QSignalSpy reviewed(&review, &ReviewDialog::finished);
    review.submit();
    QVERIFY(reviewed.wait(15000));
    QVERIFY2(reviewed.at(0).at(0).value<RpcError>().ok(),
             qPrintable(reviewed.at(0).at(0).value<RpcError>().message));

    // The car is the buyer's now, and its verified history says it was sold.
    QSignalSpy reloaded(buyer->window.carPage(), &CarPage::historyVerified);
    buyer->window.openCar(vin);
    QVERIFY(reloaded.wait(20000));
    QVERIFY(reloaded.at(0).at(1).toBool());
    const auto& events = buyer->window.carPage()->timeline().events;
    QVERIFY(!events.isEmpty());
    QCOMPARE(events.back().type, QStringLiteral("sold"));
    QCOMPARE(buyer->window.carPage()->timeline().owners, 2);
    QVERIFY2(buyer->window.carPage()->summary()->text().contains(QStringLiteral("<b>2</b>")),
             qPrintable(buyer->window.carPage()->summary()->text()));

    // The bought car is in the buyer's own cars, and the buyer can list it again.
    SellPage* resell = buyer->window.sellPage();
    resell->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(!resell->myCars()->findItems(vin, Qt::MatchExactly).isEmpty(), 15000);
    QSignalSpy relisted(resell, &SellPage::actionFinished);
    resell->list(vin, 24'500'000);
    QVERIFY(relisted.wait(30000));
    QVERIFY2(relisted.at(0).at(1).value<RpcError>().ok(),
             qPrintable(relisted.at(0).at(1).value<RpcError>().message));
    QTRY_VERIFY_WITH_TIMEOUT(
        !resell->myCars()->findItems(FormatWon(24'500'000), Qt::MatchExactly).isEmpty(), 15000);
  }

  // Bad input in each form marks the field it is about, and only that one.
  void badInputMarksTheRightField() {
    auto app = NewApp(profile_);
    auto* d = qobject_cast<LoginDialog*>(app->window.showLogin());
    auto* terms = d->findChild<QTextBrowser*>(QStringLiteral("termsText"));
    QTRY_VERIFY_WITH_TIMEOUT(!terms->toPlainText().isEmpty(), 10000);
    d->tabs()->setCurrentIndex(1);
    // No agreement: refused before anything is sent.
    Type(d->field("login_id"), "gform" + run_);
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QVERIFY(!d->signUpErrors()->errorFor("agree_terms").isEmpty());
    // The node names the bad login id.
    d->field("login_id")->setText(QStringLiteral("X!"));
    d->field("password")->setText(QStringLiteral("correct horse battery"));
    d->field("name")->setText(QStringLiteral("이서연"));
    d->field("address")->setText(QStringLiteral("부산"));
    d->field("phone")->setText(QStringLiteral("01099998888"));
    d->field("passphrase")->setText(QStringLiteral("wallet passphrase"));
    d->agreeTerms()->setChecked(true);
    QSignalSpy failed(&app->session, &Session::failed);
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QVERIFY(Emitted(failed));
    QVERIFY(!d->signUpErrors()->errorFor("login_id").isEmpty());
    QVERIFY(d->field("login_id")->property("fieldError").toBool());
    QVERIFY(d->signUpErrors()->errorFor("phone").isEmpty());
    QVERIFY(!d->field("phone")->property("fieldError").toBool());
    // Then the phone number.
    d->field("login_id")->setText("gform" + run_);
    d->field("phone")->setText(QStringLiteral("call me"));
    failed.clear();
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QVERIFY(Emitted(failed));
    QVERIFY(!d->signUpErrors()->errorFor("phone").isEmpty());
    QVERIFY(d->signUpErrors()->errorFor("login_id").isEmpty());
    // A short wallet passphrase.
    d->field("phone")->setText(QStringLiteral("01099998888"));
    d->field("passphrase")->setText(QStringLiteral("short"));
    failed.clear();
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QVERIFY(Emitted(failed));
    QVERIFY(!d->signUpErrors()->errorFor("passphrase").isEmpty());
    d->field("passphrase")->setText(QStringLiteral("wallet passphrase"));
    QTest::mouseClick(d->signUpButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(app->session.canSign(), 20000);

    // The listing form: the contract's own rules come back on their fields.
    SellPage* sell = app->window.sellPage();
    FillSellForm(sell, QStringLiteral("1HGCM82643A004352"), QStringLiteral("Accord"),
                 QStringLiteral("2019"), QStringLiteral("21,000,000"));
    QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(!sell->errors()->errorFor("vin").isEmpty(),
                              qPrintable(SellPageText(sell)), 20000);
    QVERIFY(sell->errors()->errorFor("vin").contains("check digit"));
    QVERIFY(sell->errors()->errorFor("year").isEmpty());
    // Plant code T, not the listed car's U: "U9" + five digits of the run tag was the listed
    // car's own VIN whenever the tag began with 9.
    FillSellForm(sell, QStringLiteral("KMHD341CBNT9") + run_.right(5).rightJustified(5, '0'),
                 QStringLiteral("Avante"), QStringLiteral("1800"), QStringLiteral("21,000,000"));
    QTRY_VERIFY_WITH_TIMEOUT(sell->submitButton()->isEnabled(), 10000);
    QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
    QTRY_VERIFY2_WITH_TIMEOUT(!sell->errors()->errorFor("year").isEmpty(),
                              qPrintable(SellPageText(sell)), 20000);
    QVERIFY(sell->errors()->errorFor("vin").isEmpty());
    // Local checks: a price that is not an amount, a missing make.
    FillSellForm(sell, QStringLiteral("KMHD341CBNT8") + run_.right(5).rightJustified(5, '0'),
                 QStringLiteral("Avante"), QStringLiteral("2020"), QStringLiteral("lots"));
    qobject_cast<QLineEdit*>(sell->input("make"))->clear();
    QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
    QVERIFY(!sell->errors()->errorFor("price").isEmpty());
    QVERIFY(!sell->errors()->errorFor("make").isEmpty());
    QVERIFY(sell->errors()->errorFor("model").isEmpty());

    // Wallet, search, report.
    WalletPage* wallet = app->window.walletPage();
    Type(wallet->amount(), QStringLiteral("12.5"));
    wallet->requestCharge();
    QVERIFY(!wallet->errors()->errorFor("amount").isEmpty());
    SearchPage* search = app->window.searchPage();
    search->filter("year_min")->setText(QStringLiteral("abc"));
    QVERIFY(!search->search());
    QVERIFY(!search->errors()->errorFor("year_min").isEmpty());
    search->filter("year_min")->setText(QStringLiteral("2022"));
    search->filter("year_max")->setText(QStringLiteral("2015"));
    QVERIFY(!search->search());
    QVERIFY(!search->errors()->errorFor("year_max").isEmpty());
    QVERIFY(search->errors()->errorFor("year_min").isEmpty());
    ReportDialog report(&app->session, {}, QStringLiteral("KMHD341CBNU000000"));
    report.submit();
    QVERIFY(!report.errors()->errorFor("reason").isEmpty());

    // The inspection request form, for a car of the user's: a missing place is caught here,
    // a date that is no date by the node, each on its field.
    const QString own_vin = QStringLiteral("KMHD341CBNT7") + run_.right(5).rightJustified(5, '0');
    FillSellForm(sell, own_vin, QStringLiteral("Avante"), QStringLiteral("2020"),
                 QStringLiteral("16,000,000"));
    QSignalSpy listed(sell, &SellPage::listed);
    QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
    QVERIFY2(listed.wait(30000), qPrintable(SellPageText(sell)));
    InspectionRequestDialog* inspect = sell->openInspectionRequest(own_vin);
    inspect->submit();
    QVERIFY(!inspect->errors()->errorFor("location").isEmpty());
    Type(inspect->input("location"), QStringLiteral("서울 강남구"));
    inspect->input("preferred_date")->setText(QStringLiteral("next tuesday"));
    QSignalSpy requested(inspect, &InspectionRequestDialog::finished);
    inspect->submit();
    QVERIFY(requested.wait(15000));
    QVERIFY(!inspect->errors()->errorFor("preferred_date").isEmpty());
    QVERIFY(inspect->errors()->errorFor("location").isEmpty());
    QVERIFY(inspect->isVisible());  // still open, to be corrected
    inspect->input("preferred_date")
        ->setText(QDate::currentDate().addDays(2).toString(Qt::ISODate));
    requested.clear();
    inspect->submit();
    QVERIFY(requested.wait(15000));
    QVERIFY2(requested.at(0).at(0).value<RpcError>().ok(),
             qPrintable(requested.at(0).at(0).value<RpcError>().message));
    QTRY_VERIFY_WITH_TIMEOUT(!sell->requests()->findItems(own_vin, Qt::MatchExactly).isEmpty(),
                             10000);

    // The sign-in tab: a missing password is caught here; a wrong one is the node's answer.
    auto* again = qobject_cast<LoginDialog*>(app->window.showLogin());
    again->tabs()->setCurrentIndex(0);
    again->loginId()->setText("gform" + run_);
    QTest::mouseClick(again->signInButton(), Qt::LeftButton);
    QVERIFY(!again->loginErrors()->errorFor("password").isEmpty());
    QVERIFY(again->loginErrors()->errorFor("login_id").isEmpty());
    again->password()->setText(QStringLiteral("not the password"));
    QSignalSpy refused(&app->session, &Session::failed);
    QTest::mouseClick(again->signInButton(), Qt::LeftButton);
    QVERIFY(Emitted(refused));
    QCOMPARE(refused.at(0).at(0).value<RpcError>().code, grpc::StatusCode::UNAUTHENTICATED);
    QVERIFY(again->loginErrors()->hasErrors());
  }

  // A list longer than a page arrives whole: CallAllPages follows the page tokens (the
  // trades, charges and requests tables load this way); a cap stops it with a token to
  // go on from.
  void everyPageOfAListIsLoaded() {
    auto app = NewApp(profile_);
    SignUp(*app, "gpages" + run_);
    SellPage* sell = app->window.sellPage();
    for (int i = 0; i < 3; ++i) {
      const QString vin =
          QStringLiteral("KMHD341CBNP") + run_.right(5).rightJustified(5, '0') + QString::number(i);
      FillSellForm(sell, vin, QStringLiteral("Sonata pages ") + run_, QStringLiteral("2020"),
                   QStringLiteral("12,000,000"));
      QSignalSpy listed(sell, &SellPage::listed);
      QTest::mouseClick(sell->submitButton(), Qt::LeftButton);
      QVERIFY2(listed.wait(30000), qPrintable(sell->findChild<QLabel*>("sellError")->text()));
    }
    carledger::v1::SearchRequest req;
    req.set_seller(app->session.walletAddress().toStdString());
    req.set_page_size(1);
    auto fetch = [&](int max_pages) {
      bool done = false;
      RpcError error;
      carledger::v1::SearchReply all;
      CallAllPages<carledger::v1::Market>(
          &app->connection, &MarketRpc::Search, req, &app->connection,
          [&](const RpcError& e, const carledger::v1::SearchReply& r) {
            error = e;
            all = r;
            done = true;
          },
          max_pages);
      if (!QTest::qWaitFor([&] { return done; }, 15000)) qWarning("no reply");
      if (!error.ok()) qWarning("%s", qPrintable(error.message));
      return all;
    };
    carledger::v1::SearchReply all;
    for (int tries = 0; tries < 50 && all.results_size() < 3; ++tries) {
      all = fetch(10);
      if (all.results_size() < 3) QTest::qWait(100);  // another node's index may lag a commit
    }
    QCOMPARE(all.results_size(), 3);
    QVERIFY(all.next_page_token().empty());
    QSet<QString> vins;
    for (const auto& r : all.results()) vins.insert(QString::fromStdString(r.vin()));
    QCOMPARE(vins.size(), 3);
    carledger::v1::SearchReply capped = fetch(2);
    QCOMPARE(capped.results_size(), 2);
    QVERIFY(!capped.next_page_token().empty());
  }

  // A node killed during a session: the app moves to another node and carries on.
  void failsOverWhenItsNodeIsKilled() {
    NetworkProfile profile = profile_;
    // node3 first, so the app talks to a node the test may kill (node1 holds the CA).
    std::rotate(profile.nodes.begin(), profile.nodes.begin() + 3, profile.nodes.end());
    QCOMPARE(profile.nodes.front().name, QStringLiteral("node3"));
    auto app = NewApp(profile);
    SignUp(*app, "gfail" + run_);
    QCOMPARE(app->connection.currentNodeName(), QStringLiteral("node3"));
    cluster_->cluster().Kill("node3", SIGKILL);

    WalletPage* wallet = app->window.walletPage();
    QSignalSpy charged(wallet, &WalletPage::chargeRequested);
    Type(wallet->amount(), QStringLiteral("1,000,000"));
    wallet->requestCharge();
    QVERIFY(charged.wait(30000));
    auto error = charged.at(0).at(1).value<RpcError>();
    QVERIFY2(error.ok(), qPrintable(error.message));
    QVERIFY(app->connection.currentNodeName() != QStringLiteral("node3"));
    QCOMPARE(app->connection.state(), Connection::State::kOnline);
    if (!listed_vin_.isEmpty()) {
      QSignalSpy verified(app->window.carPage(), &CarPage::historyVerified);
      app->window.openCar(listed_vin_);
      QVERIFY(verified.wait(20000));
      QVERIFY(verified.at(0).at(1).toBool());
    }
    QVERIFY(cluster_->cluster().Start("node3").ok());
  }

  // A session revoked behind the app's back (here: logged out with its own token) ends in
  // the app at the next call: the refresh is refused too, and the app asks for a login.
  void revokedSessionSignsTheAppOut() {
    auto app = NewApp(profile_);
    SignUp(*app, "grevoke" + run_);
    QVERIFY(app->session.signedIn());
    QSignalSpy logged_out(&app->connection, &Connection::unauthenticated);
    QSignalSpy signed_in(&app->session, &Session::signedInChanged);
    QSignalSpy expired(&app->session, &Session::expired);
    bool revoked = false;
    app->connection.call<carledger::v1::Accounts>(
        &AccountsRpc::Logout, carledger::v1::Empty(), &app->connection,
        [&](const RpcError& e, const carledger::v1::Empty&) { revoked = e.ok(); });
    QTRY_VERIFY_WITH_TIMEOUT(revoked, 10000);
    app->session.refreshProfile();  // (the pages' own refreshes may notice first)
    QTRY_VERIFY_WITH_TIMEOUT(!app->session.signedIn(), 15000);
    QVERIFY(logged_out.count() >= 1);
    QVERIFY(signed_in.count() >= 1);
    QCOMPARE(signed_in.back().at(0).toBool(), false);
    QCOMPARE(expired.count(), 1);
    // The window asks for a login.
    auto login_shown = [&] {
      const auto dialogs = app->window.findChildren<LoginDialog*>();
      return std::any_of(dialogs.begin(), dialogs.end(),
                         [](const LoginDialog* d) { return d->isVisible(); });
    };
    QTRY_VERIFY_WITH_TIMEOUT(login_shown(), 5000);
  }

  // A node that alters a car's history gets the red warning, saying what failed.
  void tamperedHistoryGetsTheRedWarning() {
    QVERIFY2(!listed_vin_.isEmpty(), "needs the car listed in buyAndSellEndToEnd");
    NetworkProfile bad;
    QVERIFY(TamperingProfile(MarketCluster::Tamper::kAlterFirstEvent, false, &bad));
    auto app = NewApp(bad);
    QSignalSpy verified(app->window.carPage(), &CarPage::historyVerified);
    app->window.openCar(listed_vin_);
    QVERIFY(verified.wait(20000));
    QCOMPARE(verified.at(0).at(1).toBool(), false);
    VerificationBadge* badge = app->window.carPage()->badge();
    QCOMPARE(badge->state(), VerificationBadge::State::kFailed);
    QVERIFY2(badge->text().contains("differs from what the contract recorded"),
             qPrintable(badge->text()));
  }

  // A node whose car record lies (younger, fewer kilometres) but whose history is true: the
  // page's title and specs come from the verified registration and last reading.
  void specsComeFromTheVerifiedEvents() {
    QVERIFY2(!listed_vin_.isEmpty(), "needs the car listed in buyAndSellEndToEnd");
    NetworkProfile bad;
    QVERIFY(TamperingProfile(MarketCluster::Tamper::kAlterCarRecord, false, &bad));
    auto app = NewApp(bad);
    CarPage* page = app->window.carPage();
    QSignalSpy loaded(page, &CarPage::loaded);
    QSignalSpy verified(page, &CarPage::historyVerified);
    app->window.openCar(listed_vin_);
    QVERIFY(verified.wait(20000));
    QVERIFY(verified.at(0).at(1).toBool());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);  // the lying record has arrived too
    QVERIFY2(page->titleLabel()->text().contains(QStringLiteral("(2021)")),
             qPrintable(page->titleLabel()->text()));
    QVERIFY2(!page->specs()->text().contains(QStringLiteral("2024")),
             qPrintable(page->specs()->text()));
    QVERIFY2(page->specs()->text().contains(FormatKm(42'180)), qPrintable(page->specs()->text()));
  }

  // A node that leaves out a car's latest events (its certificates all check out) is caught
  // by asking a second node, whose complete history is then shown.
  void historyWithEventsLeftOutIsCaughtByASecondNode() {
    QVERIFY2(!listed_vin_.isEmpty(), "needs the car sold in buyAndSellEndToEnd");
    NetworkProfile profile;
    QVERIFY(TamperingProfile(MarketCluster::Tamper::kDropLastEvents, true, &profile));
    auto app = NewApp(profile);
    CarPage* page = app->window.carPage();
    QSignalSpy checked(page, &CarPage::historyCrossChecked);
    QSignalSpy verified(page, &CarPage::historyVerified);
    app->window.openCar(listed_vin_);
    QVERIFY(checked.wait(20000));
    QCOMPARE(checked.at(0).at(1).toBool(), false);
    QCOMPARE(verified.at(0).at(1).toBool(), true);  // what evil served does verify
    const QString good = profile_.nodes.front().name;
    // The second node's history replaces it, verified, with the events evil left out.
    QTRY_COMPARE_WITH_TIMEOUT(verified.count(), 2, 20000);
    QCOMPARE(verified.at(1).at(1).toBool(), true);
    QVERIFY2(page->crossCheck()->text().contains(good) &&
                 page->crossCheck()->text().contains(QStringLiteral("evil")),
             qPrintable(page->crossCheck()->text()));
    QCOMPARE(page->timeline().events.back().type, QStringLiteral("listed"));  // the resale
    QCOMPARE(page->timeline().owners, 2);

    // An honest node's history is cross-checked and stays.
    auto honest = NewApp(profile_);
    QSignalSpy honest_checked(honest->window.carPage(), &CarPage::historyCrossChecked);
    honest->window.openCar(listed_vin_);
    QVERIFY(honest_checked.wait(20000));
    QCOMPARE(honest_checked.at(0).at(1).toBool(), true);
    QVERIFY(honest->window.carPage()->crossCheck()->text().contains(QStringLiteral("no event")));
  }

  void cleanupTestCase() { cluster_.reset(); }
};

QTEST_MAIN(MarketAppTest)
#include "market_app_test.moc"
