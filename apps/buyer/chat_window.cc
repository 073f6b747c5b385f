#include "apps/buyer/chat_window.h"

#include <QHBoxLayout>
#include <QVBoxLayout>

#include "apps/common/format.h"

namespace carledger::app {

ChatWindow::ChatWindow(Session* session, ChatStream* stream, QWidget* parent)
    : QWidget(parent), session_(session), stream_(stream) {
  setObjectName(QStringLiteral("chatWindow"));
  conversations_ = new QListWidget;
  conversations_->setObjectName(QStringLiteral("chatConversations"));
  conversations_->setMaximumWidth(220);
  messages_ = new QListWidget;
  messages_->setObjectName(QStringLiteral("chatMessages"));
  messages_->setWordWrap(true);
  input_ = new QLineEdit;
  input_->setObjectName(QStringLiteral("chatInput"));
  input_->setPlaceholderText(tr("Write a message…"));
  auto* send_btn = new QPushButton(tr("Send"));
  connect(send_btn, &QPushButton::clicked, this, &ChatWindow::send);
  connect(input_, &QLineEdit::returnPressed, this, &ChatWindow::send);
  connect(conversations_, &QListWidget::currentItemChanged, this, [this](QListWidgetItem* item) {
    if (item) ShowConversation(item->data(Qt::UserRole).toString());
  });
  connect(stream_, &ChatStream::message, this, &ChatWindow::OnMessage);
  auto* right = new QVBoxLayout;
  right->addWidget(messages_, 1);
  auto* row = new QHBoxLayout;
  row->addWidget(input_, 1);
  row->addWidget(send_btn);
  right->addLayout(row);
  auto* h = new QHBoxLayout(this);
  h->addWidget(conversations_);
  h->addLayout(right, 1);
}

void ChatWindow::refresh() {
  session_->connection()->call<v1::Community>(
      &CommunityRpc::ListConversations, v1::Empty(), this,
      [this](const RpcError& e, const v1::ListConversationsReply& reply) {
        if (!e.ok()) return;
        for (const auto& c : reply.conversations()) ItemFor(QString::fromStdString(c.other()));
      });
}

QString ChatWindow::NameOf(const QString& user_id) const {
  return names_.value(user_id, user_id.left(8));
}

QListWidgetItem* ChatWindow::FindItem(const QString& user_id) const {
  for (int i = 0; i < conversations_->count(); ++i) {
    if (conversations_->item(i)->data(Qt::UserRole).toString() == user_id) {
      return conversations_->item(i);
    }
  }
  return nullptr;
}

QListWidgetItem* ChatWindow::ItemFor(const QString& user_id) {
  if (QListWidgetItem* found = FindItem(user_id)) return found;
  auto* item = new QListWidgetItem(NameOf(user_id));
  item->setData(Qt::UserRole, user_id);
  conversations_->addItem(item);
  if (!names_.contains(user_id)) {
    v1::GetProfileRequest req;
    req.set_user_id(user_id.toStdString());
    session_->connection()->call<v1::Accounts>(
        &AccountsRpc::GetProfile, req, this,
        [this, user_id](const RpcError& e, const v1::Profile& p) {
          if (!e.ok() || p.login_id().empty()) return;
          names_[user_id] = QString::fromStdString(p.login_id());
          if (QListWidgetItem* item = FindItem(user_id)) item->setText(names_[user_id]);
          if (other_ == user_id) ShowConversation(user_id);
        });
  }
  return item;
}

void ChatWindow::openWith(const QString& user_id, const QString& about_vin) {
  if (!user_id.isEmpty()) {
    conversations_->setCurrentItem(ItemFor(user_id));
    ShowConversation(user_id);
  }
  if (!about_vin.isEmpty() && input_->text().isEmpty()) {
    input_->setText(tr("Hello, about your car %1: ").arg(about_vin));
  }
  refresh();
}

void ChatWindow::ShowConversation(const QString& other) {
  other_ = other;
  messages_->clear();
  for (const auto& m : by_other_.value(other)) {
    const bool mine = QString::fromStdString(m.from()) != other;
    auto* item =
        new QListWidgetItem(QStringLiteral("%1  %2\n%3")
                                .arg(mine ? tr("me") : NameOf(other), FormatTime(m.sent_ms()),
                                     QString::fromStdString(m.body())));
    item->setTextAlignment(mine ? Qt::AlignRight : Qt::AlignLeft);
    messages_->addItem(item);
  }
  messages_->scrollToBottom();
}

void ChatWindow::OnMessage(const v1::ChatMessage& m) {
  const QString me = QString::fromStdString(session_->profile().user_id());
  const QString from = QString::fromStdString(m.from());
  const QString other = from == me ? QString::fromStdString(m.to()) : from;
  by_other_[other].push_back(m);
  ItemFor(other);
  if (other == other_) ShowConversation(other);
  stream_->acknowledge(QString::fromStdString(m.conversation()), m.seq());
}

void ChatWindow::send() {
  const QString body = input_->text().trimmed();
  if (body.isEmpty() || other_.isEmpty()) return;
  stream_->send(other_, body);
  input_->clear();
}

}  // namespace carledger::app
