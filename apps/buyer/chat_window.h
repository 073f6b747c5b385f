// Chat with other traders: conversations on the left, the messages of the selected one on
// the right, delivered live over the chat stream and acknowledged once shown. The other
// party is shown by login id, looked up once per user from their public profile.
#pragma once

#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>

#include "apps/common/chat_stream.h"
#include "apps/common/session.h"

namespace carledger::app {

class ChatWindow : public QWidget {
  Q_OBJECT

 public:
  ChatWindow(Session* session, ChatStream* stream, QWidget* parent = nullptr);

  // Opens (or creates) the conversation with `user_id`, mentioning `about_vin` as a draft.
  void openWith(const QString& user_id, const QString& about_vin = {});
  void send();
  QListWidget* messages() const { return messages_; }
  QListWidget* conversations() const { return conversations_; }
  QLineEdit* input() const { return input_; }
  void refresh();

 private:
  void OnMessage(const v1::ChatMessage& m);
  void ShowConversation(const QString& other);
  // The conversation list's item for `user_id`, added (and its name looked up) if new.
  QListWidgetItem* ItemFor(const QString& user_id);
  QListWidgetItem* FindItem(const QString& user_id) const;  // null when not listed
  QString NameOf(const QString& user_id) const;

  Session* session_;
  ChatStream* stream_;
  QString other_;
  QMap<QString, QList<v1::ChatMessage>> by_other_;
  QMap<QString, QString> names_;  // user id -> login id
  QListWidget* conversations_;
  QListWidget* messages_;
  QLineEdit* input_;
};

}  // namespace carledger::app
