#pragma once

#include <QObject>
#include <QPointer>

namespace jwti {

class KeyStore;
class VerifyPanel;

// Offers the key store's keys to a verify panel: active and verify-only keys, stored and remote, public keys from
// the index and HMAC secrets read (asynchronously) from the keychain. The panel's model then lets a token's kid pick
// its key, or tries every fitting key and names the one that verified (key metadata source "key store: NAME").
// Nothing touches the keychain until start(), which the main window calls once it is shown.
class KeystoreVerifyBridge : public QObject
{
    Q_OBJECT

public:
    KeystoreVerifyBridge(KeyStore* store, VerifyPanel* panel, QObject* parent = nullptr);

    void start();
    // The last keychain problem, empty when the keys loaded ("the keychain is locked", …).
    const QString& lastError() const { return m_lastError; }

signals:
    void keysOffered(int count);

private:
    void reload();

    QPointer<KeyStore> m_store;
    QPointer<VerifyPanel> m_panel;
    QString m_lastError;
    bool m_started = false;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace jwti
