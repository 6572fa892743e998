#include "KeystoreVerifyBridge.h"

#include "KeyStore.h"
#include "VerifyPanel.h"

namespace jwti {

namespace {

// The key store names each key it loads (kind, set, record, status). Where it did not, the bridge says at least
// that the key is a stored one the user did not pick for this token: a stored key that does not verify a token
// it was merely tried on must never make that token invalid. The record is found by kid, alg and key type.
void markStored(std::vector<Key>& keys, const std::vector<KeyRecord>& records)
{
    for (Key& key : keys) {
        KeyProvenance& provenance = key.metadata.provenance;
        if (provenance.kind == KeyProvenance::Kind::Keychain || provenance.kind == KeyProvenance::Kind::RemoteJwks)
            continue;
        provenance = KeyProvenance();
        provenance.kind = KeyProvenance::Kind::Keychain;
        provenance.chosenByUser = false;
        for (const KeyRecord& record : records) {
            if (record.kid != key.metadata.kid || record.alg != key.metadata.alg || record.kty != key.jwkKty()
                || !record.inJwks())
                continue;
            if (record.remote) {
                provenance.kind = KeyProvenance::Kind::RemoteJwks;
                provenance.url = record.jwksUrl.isEmpty() ? record.source : record.jwksUrl;
                provenance.fetched = record.fetched;
            }
            provenance.keySet = record.keySet;
            provenance.keyId = record.id;
            provenance.keyName = record.name;
            provenance.status = keyStatusName(record.status);
            break;
        }
    }
}

} // namespace

KeystoreVerifyBridge::KeystoreVerifyBridge(KeyStore* store, VerifyPanel* panel, QObject* parent)
    : QObject(parent)
    , m_store(store)
    , m_panel(panel)
{
    connect(store, &KeyStore::recordsChanged, this, [this] {
        if (m_started)
            reload();
    });
}

void KeystoreVerifyBridge::start()
{
    if (m_started)
        return;
    m_started = true;
    reload();
}

void KeystoreVerifyBridge::reload()
{
    if (!m_store || !m_panel)
        return;
    // recordsChanged fires again from inside a load (the store re-reads its index); one load at a time.
    if (m_loading) {
        m_again = true;
        return;
    }
    m_loading = true;
    m_store->loadVerificationKeys({}, this, [this](Result<std::vector<Key>> keys) {
        m_loading = false;
        if (m_panel) {
            if (keys) {
                m_lastError.clear();
                const int count = int(keys->size());
                std::vector<Key> stored = std::move(keys).value();
                if (m_store)
                    markStored(stored, m_store->records());
                m_panel->setExtraKeys(std::move(stored), tr("Key store"));
                emit keysOffered(count);
            } else if (keys.code() == ErrorCode::KeyNotFound) {
                m_lastError.clear();
                m_panel->setExtraKeys({}, tr("Key store"));
                emit keysOffered(0);
            } else {
                m_lastError = keys.message();
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
