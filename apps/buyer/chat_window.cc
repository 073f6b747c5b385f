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
  connect(conversations_, &QListWidget::currentTextChanged, this, [this](const QString& t) {
    if (!t.isEmpty()) ShowConversation(t);
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
        for (const auto& c : reply.conversations()) {
          QString other = QString::fromStdString(c.other());
          if (conversations_->findItems(other, Qt::MatchExactly).isEmpty()) {
            conversations_->addItem(other);
          }
        }
      });
}

void ChatWindow::openWith(const QString& user_id, const QString& about_vin) {
  if (!user_id.isEmpty()) {
    auto found = conversations_->findItems(user_id, Qt::MatchExactly);
    if (found.isEmpty()) conversations_->addItem(user_id);
    found = conversations_->findItems(user_id, Qt::MatchExactly);
    conversations_->setCurrentItem(found.front());
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
    auto* item = new QListWidgetItem(QStringLiteral("%1  %2\n%3")
                                         .arg(mine ? tr("me") : other, FormatTime(m.sent_ms()),
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
  if (conversations_->findItems(other, Qt::MatchExactly).isEmpty()) conversations_->addItem(other);
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
