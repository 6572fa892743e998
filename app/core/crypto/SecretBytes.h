#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace jwti {

// Bytes that must not outlive their use: an HMAC secret, a private key's DER, a passphrase.
// Wiped on destruction and on clear(); copies are deep; no implicit conversion to text.
class SecretBytes
{
public:
    SecretBytes() = default;
    explicit SecretBytes(QByteArrayView bytes);
    SecretBytes(const SecretBytes& other);
    SecretBytes(SecretBytes&& other) noexcept;
    SecretBytes& operator=(const SecretBytes& other);
    SecretBytes& operator=(SecretBytes&& other) noexcept;
    ~SecretBytes();

    const char* data() const { return m_bytes.constData(); }
    const unsigned char* bytes() const { return reinterpret_cast<const unsigned char*>(m_bytes.constData()); }
    qsizetype size() const { return m_bytes.size(); }
    bool isEmpty() const { return m_bytes.isEmpty(); }
    QByteArrayView view() const { return m_bytes; }
    void clear();

    // Constant time in the length of the shorter operand.
    bool equals(QByteArrayView other) const;

private:
    QByteArray m_bytes; // always detached: never shares storage with another QByteArray
};

// Overwrites and empties a buffer that held a secret (detaching first would copy it, so callers must own it alone).
void wipeBytes(QByteArray& bytes);
void wipeString(QString& text);

} // namespace jwti
