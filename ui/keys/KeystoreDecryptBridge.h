#pragma once

#include <QObject>
#include <QPointer>

namespace jwti {

class DecryptPanel;
class KeyStore;
class TokenDocument;

// Offers the key store's encryption keys to a decrypt panel. Decrypting needs a private key or secret, so nothing is
// read from the keychain until a JWE is open, and then only the keys that can serve it: those with the token's kid
// when one of them has it, else those kept for its alg. A JWS never touches an encryption key's private part.
class KeystoreDecryptBridge : public QObject
{
    Q_OBJECT

public:
    KeystoreDecryptBridge(KeyStore* store, TokenDocument* document, DecryptPanel* panel, QObject* parent = nullptr);

    // Nothing touches the keychain before this (the main window calls it once it is shown).
    void start();
    // The last keychain problem, empty when the keys loaded or none were wanted.
    const QString& lastError() const { return m_lastError; }

signals:
    void keysOffered(int count);

private:
    void reload();
    void load(const QString& kid, const QString& alg);

    QPointer<KeyStore> m_store;
    TokenDocument* m_document; // outlives the bridge (the window owns both)
    QPointer<DecryptPanel> m_panel;
    QString m_lastError;
    QString m_loadedFor; // "kid alg" of the JWE the offered keys were read for; empty: none offered
    bool m_started = false;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace jwti
