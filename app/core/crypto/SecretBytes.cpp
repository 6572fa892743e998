#include "core/crypto/SecretBytes.h"

#include <QString>
#include <openssl/crypto.h>

namespace jwti {

SecretBytes::SecretBytes(QByteArrayView bytes)
    : m_bytes(bytes.data(), bytes.size())
{
}

SecretBytes::SecretBytes(const SecretBytes& other)
    : m_bytes(other.m_bytes.constData(), other.m_bytes.size())
{
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : m_bytes(std::move(other.m_bytes))
{
    other.m_bytes = QByteArray();
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other)
{
    if (this != &other) {
        clear();
        m_bytes = QByteArray(other.m_bytes.constData(), other.m_bytes.size());
    }
    return *this;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept
{
    if (this != &other) {
        clear();
        m_bytes = std::move(other.m_bytes);
        other.m_bytes = QByteArray();
    }
    return *this;
}

SecretBytes::~SecretBytes()
{
    clear();
}

void SecretBytes::clear()
{
    wipeBytes(m_bytes);
}

bool SecretBytes::equals(QByteArrayView other) const
{
    // The length is not secret (a MAC's size is public); the content is compared without early exit.
    if (other.size() != m_bytes.size())
        return false;
    if (m_bytes.isEmpty())
        return true;
    return CRYPTO_memcmp(m_bytes.constData(), other.data(), static_cast<size_t>(m_bytes.size())) == 0;
}

void wipeBytes(QByteArray& bytes)
{
    if (bytes.isEmpty()) {
        bytes.clear();
        return;
    }
    // data() detaches a shared buffer (copying it); callers own their secret buffers alone, so this writes in place.
    OPENSSL_cleanse(bytes.data(), static_cast<size_t>(bytes.size()));
    bytes.clear();
}

void wipeString(QString& text)
{
    if (text.isEmpty()) {
        text.clear();
        return;
    }
    OPENSSL_cleanse(text.data(), static_cast<size_t>(text.size()) * sizeof(QChar));
    text.clear();
}

} // namespace jwti
