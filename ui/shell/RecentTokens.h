#pragma once

#include <QObject>
#include <QStringList>

namespace jwti {

class KeychainClient;

// Tokens the user worked on, kept only when the user turned "remember recent tokens" on (AppSettings). A token is a
// credential, so the list lives in the system keychain (one entry, "recent-tokens"), never in the settings file; it
// is read once when turned on or at start, and written after each change. Turning it off deletes the entry.
class RecentTokens : public QObject
{
    Q_OBJECT

public:
    static constexpr int kMaxTokens = 10;
    static QString entryName() { return QStringLiteral("recent-tokens"); }

    explicit RecentTokens(KeychainClient* keychain, QObject* parent = nullptr);

    // Reads the list from the keychain (asynchronous; changed() follows).
    void load();
    const QStringList& tokens() const { return m_tokens; }
    // Newest first; a token already in the list moves to the top.
    void add(const QString& token);
    // Empties the list here and in the keychain.
    void forget();
    bool isLoaded() const { return m_loaded; }
    QString lastError() const { return m_lastError; }

signals:
    void changed();
    // A keychain write or delete finished (lastError() says whether it worked).
    void saved();

private:
    void save();

    KeychainClient* m_keychain;
    QStringList m_tokens;
    bool m_loaded = false;
    QString m_lastError;
};

} // namespace jwti
