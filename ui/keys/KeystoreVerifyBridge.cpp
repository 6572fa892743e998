#include "keys/KeystoreVerifyBridge.h"

#include "keystore/KeyStore.h"
#include "verify/VerifyPanel.h"

namespace jwti {

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
    // One key whose secret cannot be read is left out and named; the others are still offered.
    m_store->loadKeys(KeyQuery{}, this, [this](Result<LoadedKeys> loaded) {
        m_loading = false;
        if (m_panel) {
            if (loaded) {
                QStringList problems;
                for (const Error& skipped : loaded->skipped)
                    problems << skipped.message;
                m_lastError = problems.join(QStringLiteral("; "));
                const int count = int(loaded->keys.size());
                m_panel->setExtraKeys(std::move(loaded->keys), tr("Key store"));
                emit keysOffered(count);
            } else if (loaded.code() == ErrorCode::KeyNotFound) {
                m_lastError.clear();
                m_panel->setExtraKeys({}, tr("Key store"));
                emit keysOffered(0);
            } else {
                m_lastError = loaded.message();
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
