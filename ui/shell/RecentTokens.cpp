#include "shell/RecentTokens.h"

#include "core/crypto/SecretBytes.h"
#include "keystore/KeychainClient.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace jwti {

RecentTokens::RecentTokens(KeychainClient* keychain, QObject* parent)
    : QObject(parent)
    , m_keychain(keychain)
{
}

void RecentTokens::load()
{
    m_keychain->read(entryName(), this, [this](Result<SecretBytes> stored) {
        m_loaded = true;
        if (!stored.ok()) {
            // No entry yet is the normal first run, not a problem worth showing.
            const bool missing = keychainProblemOf(stored.error()) == KeychainProblem::NotFound;
            m_lastError = missing ? QString() : stored.message();
            emit changed();
            return;
        }
        m_lastError.clear();
        // Parsed in place: no unwiped copy of the list is left behind.
        const QByteArrayView bytes = stored->view();
        const QJsonArray list = QJsonDocument::fromJson(QByteArray::fromRawData(bytes.data(), bytes.size())).array();
        // Tokens added while the read was under way come first.
        for (const QJsonValue& value : list) {
            const QString token = value.toString();
            if (!token.isEmpty() && !m_tokens.contains(token) && m_tokens.size() < kMaxTokens)
                m_tokens.append(token);
        }
        emit changed();
    });
}

void RecentTokens::add(const QString& token)
{
    const QString trimmed = token.trimmed();
    if (trimmed.isEmpty())
        return;
    if (!m_tokens.isEmpty() && m_tokens.front() == trimmed)
        return;
    m_tokens.removeAll(trimmed);
    m_tokens.prepend(trimmed);
    while (m_tokens.size() > kMaxTokens)
        m_tokens.removeLast();
    emit changed();
    save();
}

void RecentTokens::forget()
{
    m_tokens.clear();
    emit changed();
    m_keychain->remove(entryName(), this, [this](Result<void> removed) {
        m_lastError = removed.ok() ? QString() : removed.message();
        emit saved();
    });
}

void RecentTokens::save()
{
    QByteArray json = QJsonDocument(QJsonArray::fromStringList(m_tokens)).toJson(QJsonDocument::Compact);
    const SecretBytes bytes(json);
    wipeBytes(json);
    m_keychain->write(entryName(), bytes, this, [this](Result<void> written) {
        m_lastError = written.ok() ? QString() : written.message();
        emit saved();
    });
}

} // namespace jwti
