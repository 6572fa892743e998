#pragma once

#include "keystore/KeychainClient.h"

#include <QObject>
#include <QTimer>

class QMenu;

namespace jwti {

class RecentTokens;
class TokenDocument;

// File ▸ Open Recent (file names, kept in the settings file) and File ▸ Recent Tokens (only when the user turned it
// on; the tokens live in the keychain, see RecentTokens). A token joins the list once it has decoded cleanly and the
// user has left it unchanged for a moment, so half-typed tokens and the built-in samples are not remembered.
class RecentMenus : public QObject
{
    Q_OBJECT

public:
    // persistent false (tests, screenshots): menus work but nothing is read from or written to settings or keychain.
    RecentMenus(TokenDocument* document, bool persistent, QObject* parent = nullptr);

    void addTo(QMenu* fileMenu);
    void setRememberTokens(bool remember);
    bool remembersTokens() const { return m_rememberTokens; }
    RecentTokens* tokens() const { return m_tokens; }

    void fileOpened(const QString& path);
    // A token the app made itself (a sample): never remembered.
    void ignoreToken(const QString& token) { m_ignored = token.trimmed(); }
    void clearRecentFiles();

    // How long a clean token must stay unchanged before it is remembered.
    static constexpr int kSettleMs = 2000;

signals:
    void openFileRequested(const QString& path);
    // The token stayed unchanged for kSettleMs and was kept, or not (not clean, a sample, not remembering).
    void tokenSettled(bool kept);
    void tokenRequested(const QString& token);

private:
    void rebuildFileMenu();
    void rebuildTokenMenu();
    void onTokenSettled();

    TokenDocument* m_document;
    KeychainClient m_keychain;
    RecentTokens* m_tokens;
    bool m_persistent;
    bool m_rememberTokens = false;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_tokenMenu = nullptr;
    QTimer m_settle;
    QString m_ignored;
};

} // namespace jwti
