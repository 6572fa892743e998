#pragma once

// JWE content encryption (RFC 7518 §5): AES-CBC with HMAC-SHA-2 and AES-GCM, over OpenSSL EVP only.

#include "core/crypto/SecretBytes.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QStringView>
#include <span>

namespace jwti {

enum class ContentCipher { CbcHmac, Gcm };

// One row per JWE "enc" (RFC 7518 §5.1).
struct EncInfo
{
    const char* name; // exact "enc" value
    ContentCipher cipher;
    int cekBytes; // CBC-HS: MAC key + encryption key (§5.2.2.1); GCM: the AES key
    int ivBytes; // 16 for CBC, 12 for GCM
    int tagBytes; // CBC-HS: half the HMAC (§5.2.2.1); GCM: 16
    Digest digest; // CBC-HS's HMAC hash; None for GCM
    const char* rfcSection;

    QString displayName() const { return QString::fromLatin1(name); }
};

const EncInfo* findEnc(QStringView name);
std::span<const EncInfo> allEncs();

struct SealedContent
{
    QByteArray ciphertext;
    QByteArray tag;
};

// Encrypts plaintext under cek with iv, authenticating aad (RFC 7516 §5.1 steps 15–16). The CEK and IV lengths are
// checked against the table.
Result<SealedContent> sealContent(const EncInfo& enc, const SecretBytes& cek, QByteArrayView iv, QByteArrayView aad,
                                  QByteArrayView plaintext);

// Checks the tag (constant time) and decrypts. A wrong CEK, a changed byte anywhere or bad padding are one error,
// DecryptionFailed, that does not say which (RFC 7516 §11.5; a padding oracle must not exist). Wrong IV or tag
// lengths are refused before any cryptography, with their reason.
Result<QByteArray> openContent(const EncInfo& enc, const SecretBytes& cek, QByteArrayView iv, QByteArrayView aad,
                               QByteArrayView ciphertext, QByteArrayView tag);

// The two halves of a CBC-HS CEK (RFC 7518 §5.2.2.1): MAC_KEY first, ENC_KEY second.
struct CbcHmacKeys
{
    SecretBytes macKey;
    SecretBytes encKey;
};
CbcHmacKeys splitCbcHmacKey(const EncInfo& enc, const SecretBytes& cek);

// The full HMAC of CBC-HS over AAD || IV || ciphertext || AL (RFC 7518 §5.2.2.1 step 5); the tag is its first half.
Result<QByteArray> cbcHmacFull(const EncInfo& enc, const SecretBytes& macKey, QByteArrayView iv, QByteArrayView aad,
                               QByteArrayView ciphertext);

// AES-GCM with a given key length (16, 24, 32 bytes), for content and for A*GCMKW key wrapping (RFC 7518 §4.7).
Result<SealedContent> gcmSeal(const SecretBytes& key, QByteArrayView iv, QByteArrayView aad, QByteArrayView plaintext);
Result<QByteArray> gcmOpen(const SecretBytes& key, QByteArrayView iv, QByteArrayView aad, QByteArrayView ciphertext,
                           QByteArrayView tag);

// Cryptographically random bytes (the CEK, an IV, a PBES2 salt).
Result<QByteArray> randomBytes(int count);
Result<SecretBytes> randomSecret(int count);

} // namespace jwti
