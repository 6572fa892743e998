#include "keys/KeystoreDecryptBridge.h"

#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "keystore/KeyStore.h"

namespace jwti {

KeystoreDecryptBridge::KeystoreDecryptBridge(KeyStore* store, TokenDocument* document, DecryptPanel* panel,
                                             QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_document(document)
    , m_panel(panel)
{
    connect(document, &TokenDocument::tokenChanged, this, [this] {
        if (m_started)
            reload();
    });
    connect(store, &KeyStore::recordsChanged, this, [this] {
        if (!m_started)
            return;
        m_loadedFor.clear(); // the keys behind the same kid may have changed
        reload();
    });
}

void KeystoreDecryptBridge::start()
{
    if (m_started)
        return;
    m_started = true;
    reload();
}

void KeystoreDecryptBridge::reload()
{
    if (!m_store || !m_panel)
        return;
    const Token& token = m_document->token();
    if (token.kind != TokenKind::Jwe) {
        // Private keys read for an earlier JWE are not kept once another token is open.
        if (!m_loadedFor.isEmpty()) {
            m_loadedFor.clear();
            m_panel->setExtraKeys({});
        }
        return;
    }
    const QString kid = token.kid();
    const QString alg = token.alg();
    const QString wanted = kid + QLatin1Char(' ') + alg;
    if (wanted == m_loadedFor)
        return;
    // recordsChanged fires again from inside a load (the store re-reads its index); one load at a time.
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loadedFor = wanted;
    load(kid, alg);
}

void KeystoreDecryptBridge::load(const QString& kid, const QString& alg)
{
    KeyQuery query;
    query.use = KeyUse::Encryption;
    query.purpose = KeyPurpose::Sign; // the private part or secret: what decrypting needs
    // The token's kid picks its key when a stored key has it; otherwise every stored key kept for its alg is tried.
    if (!kid.isEmpty()) {
        KeyQuery byKid = query;
        byKid.kid = kid;
        if (!m_store->candidates(byKid).empty())
            query = byKid;
    }
    if (query.kid.isEmpty())
        query.alg = alg;
    m_loading = true;
    const QString wantedWhenAsked = m_loadedFor;
    m_store->loadKeys(query, this, [this, wantedWhenAsked](Result<LoadedKeys> loaded) {
        m_loading = false;
        // Another token opened while the keychain answered: these keys are not for it, and private parts are not
        // held for a token that no longer needs them.
        if (m_loadedFor != wantedWhenAsked) {
            m_again = false;
            reload();
            return;
        }
        if (m_panel) {
            if (loaded) {
                QStringList problems;
                for (const Error& skipped : loaded->skipped)
                    problems << skipped.message;
                m_lastError = problems.join(QStringLiteral("; "));
                const int count = int(loaded->keys.size());
                m_panel->setExtraKeys(std::move(loaded->keys));
                emit keysOffered(count);
            } else {
                m_lastError = loaded.code() == ErrorCode::KeyNotFound ? QString() : loaded.message();
                m_panel->setExtraKeys({});
                emit keysOffered(0);
            }
        }
        if (m_again) {
            m_again = false;
            reload();
        }
    });
}

} // namespace jwti
