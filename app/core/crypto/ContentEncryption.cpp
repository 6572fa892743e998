#include "core/crypto/ContentEncryption.h"

#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <QtEndian>
#include <array>
#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Jwe", for every JWE message.
struct ContentText
{
    Q_DECLARE_TR_FUNCTIONS(Jwe)
};

namespace {

constexpr std::array<EncInfo, 6> kEncs = {{
    {"A128CBC-HS256", ContentCipher::CbcHmac, 32, 16, 16, Digest::Sha256, "RFC 7518 §5.2.3"},
    {"A192CBC-HS384", ContentCipher::CbcHmac, 48, 16, 24, Digest::Sha384, "RFC 7518 §5.2.4"},
    {"A256CBC-HS512", ContentCipher::CbcHmac, 64, 16, 32, Digest::Sha512, "RFC 7518 §5.2.5"},
    {"A128GCM", ContentCipher::Gcm, 16, 12, 16, Digest::None, "RFC 7518 §5.3"},
    {"A192GCM", ContentCipher::Gcm, 24, 12, 16, Digest::None, "RFC 7518 §5.3"},
    {"A256GCM", ContentCipher::Gcm, 32, 12, 16, Digest::None, "RFC 7518 §5.3"},
}};

const unsigned char* bytesOf(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char*>(view.data());
}

Error decryptionFailed()
{
    ossl::clearErrors();
    return {ErrorCode::DecryptionFailed,
            ContentText::tr("the token does not decrypt with this key (a wrong key, or the token was changed)")};
}

Error cryptoError(const QString& what)
{
    return {ErrorCode::Crypto, ContentText::tr("%1 failed: %2").arg(what, ossl::drainErrors())};
}

// The cipher for an AES mode and key length, fetched once per process.
const EVP_CIPHER* aesCipher(const char* mode, qsizetype keyBytes)
{
    static const auto fetch = [](const char* name) { return EVP_CIPHER_fetch(nullptr, name, nullptr); };
    if (qstrcmp(mode, "GCM") == 0) {
        static EVP_CIPHER* gcm[3] = {fetch("AES-128-GCM"), fetch("AES-192-GCM"), fetch("AES-256-GCM")};
        return keyBytes == 16 ? gcm[0] : keyBytes == 24 ? gcm[1] : keyBytes == 32 ? gcm[2] : nullptr;
    }
    static EVP_CIPHER* cbc[3] = {fetch("AES-128-CBC"), fetch("AES-192-CBC"), fetch("AES-256-CBC")};
    return keyBytes == 16 ? cbc[0] : keyBytes == 24 ? cbc[1] : keyBytes == 32 ? cbc[2] : nullptr;
}

// HMAC(key, AAD || IV || ciphertext || AL) (RFC 7518 §5.2.2.1 step 5), full length.
Result<QByteArray> cbcHmacMac(const EncInfo& enc, const SecretBytes& macKey, QByteArrayView iv, QByteArrayView aad,
                              QByteArrayView ciphertext)
{
    static EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    ossl::MacCtxPtr ctx(hmac ? EVP_MAC_CTX_new(hmac) : nullptr);
    if (!ctx)
        return cryptoError(QStringLiteral("HMAC"));
    char digestName[16] = {};
    qstrncpy(digestName, EVP_MD_get0_name(ossl::digestMd(enc.digest)), sizeof digestName);
    const OSSL_PARAM params[]
        = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digestName, 0), OSSL_PARAM_construct_end()};
    std::array<unsigned char, 8> al{};
    qToBigEndian<quint64>(static_cast<quint64>(aad.size()) * 8, al.data());
    QByteArray mac(EVP_MAX_MD_SIZE, '\0');
    size_t length = 0;
    if (EVP_MAC_init(ctx.get(), macKey.bytes(), static_cast<size_t>(macKey.size()), params) != 1
        || EVP_MAC_update(ctx.get(), bytesOf(aad), static_cast<size_t>(aad.size())) != 1
        || EVP_MAC_update(ctx.get(), bytesOf(iv), static_cast<size_t>(iv.size())) != 1
        || EVP_MAC_update(ctx.get(), bytesOf(ciphertext), static_cast<size_t>(ciphertext.size())) != 1
        || EVP_MAC_update(ctx.get(), al.data(), al.size()) != 1
        || EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(mac.data()), &length,
                         static_cast<size_t>(mac.size()))
            != 1)
        return cryptoError(QStringLiteral("HMAC"));
    mac.truncate(static_cast<qsizetype>(length));
    return mac;
}

Result<QByteArray> cbcCrypt(const SecretBytes& key, QByteArrayView iv, QByteArrayView input, bool encrypt)
{
    const EVP_CIPHER* cipher = aesCipher("CBC", key.size());
    ossl::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!cipher || !ctx)
        return cryptoError(QStringLiteral("AES-CBC"));
    QByteArray output(input.size() + 16, '\0');
    int written = 0;
    int last = 0;
    auto* out = reinterpret_cast<unsigned char*>(output.data());
    if (EVP_CipherInit_ex2(ctx.get(), cipher, key.bytes(), bytesOf(iv), encrypt ? 1 : 0, nullptr) != 1
        || EVP_CipherUpdate(ctx.get(), out, &written, bytesOf(input), static_cast<int>(input.size())) != 1) {
        wipeBytes(output);
        return encrypt ? Result<QByteArray>(cryptoError(QStringLiteral("AES-CBC"))) : decryptionFailed();
    }
    if (EVP_CipherFinal_ex(ctx.get(), out + written, &last) != 1) {
        wipeBytes(output);
        return encrypt ? Result<QByteArray>(cryptoError(QStringLiteral("AES-CBC"))) : decryptionFailed();
    }
    output.truncate(written + last);
    return output;
}

Result<void> checkLengths(const EncInfo& enc, const SecretBytes& cek, QByteArrayView iv)
{
    if (cek.size() != enc.cekBytes)
        return Result<void>::failure(ErrorCode::KeyMismatch,
                                     ContentText::tr("%1 needs a %2-byte content encryption key; this one is %3 bytes")
                                         .arg(enc.displayName())
                                         .arg(enc.cekBytes)
                                         .arg(cek.size()));
    if (iv.size() != enc.ivBytes)
        return Result<void>::failure(ErrorCode::MalformedToken,
                                     ContentText::tr("%1 needs a %2-byte initialization vector; this one is %3 bytes")
                                         .arg(enc.displayName())
                                         .arg(enc.ivBytes)
                                         .arg(iv.size()));
    return {};
}

} // namespace

const EncInfo* findEnc(QStringView name)
{
    for (const EncInfo& enc : kEncs) {
        if (name == QLatin1String(enc.name))
            return &enc;
    }
    return nullptr;
}

std::span<const EncInfo> allEncs()
{
    return kEncs;
}

Result<QByteArray> cbcHmacFull(const EncInfo& enc, const SecretBytes& macKey, QByteArrayView iv, QByteArrayView aad,
                               QByteArrayView ciphertext)
{
    return cbcHmacMac(enc, macKey, iv, aad, ciphertext);
}

CbcHmacKeys splitCbcHmacKey(const EncInfo& enc, const SecretBytes& cek)
{
    const qsizetype half = enc.cekBytes / 2;
    if (cek.size() != enc.cekBytes)
        return {};
    return {SecretBytes(cek.view().first(half)), SecretBytes(cek.view().sliced(half))};
}

Result<SealedContent> gcmSeal(const SecretBytes& key, QByteArrayView iv, QByteArrayView aad, QByteArrayView plaintext)
{
    const EVP_CIPHER* cipher = aesCipher("GCM", key.size());
    ossl::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!cipher || !ctx)
        return cryptoError(QStringLiteral("AES-GCM"));
    size_t ivLength = static_cast<size_t>(iv.size());
    const OSSL_PARAM params[]
        = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivLength), OSSL_PARAM_construct_end()};
    SealedContent sealed;
    sealed.ciphertext.resize(plaintext.size() + 16);
    sealed.tag.resize(16);
    int written = 0;
    int last = 0;
    int aadWritten = 0;
    auto* out = reinterpret_cast<unsigned char*>(sealed.ciphertext.data());
    if (EVP_EncryptInit_ex2(ctx.get(), cipher, nullptr, nullptr, params) != 1
        || EVP_EncryptInit_ex2(ctx.get(), nullptr, key.bytes(), bytesOf(iv), nullptr) != 1
        || (!aad.isEmpty()
            && EVP_EncryptUpdate(ctx.get(), nullptr, &aadWritten, bytesOf(aad), static_cast<int>(aad.size())) != 1)
        || EVP_EncryptUpdate(ctx.get(), out, &written, bytesOf(plaintext), static_cast<int>(plaintext.size())) != 1
        || EVP_EncryptFinal_ex(ctx.get(), out + written, &last) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_GET_TAG, 16, sealed.tag.data()) != 1)
        return cryptoError(QStringLiteral("AES-GCM"));
    sealed.ciphertext.truncate(written + last);
    return sealed;
}

Result<QByteArray> gcmOpen(const SecretBytes& key, QByteArrayView iv, QByteArrayView aad, QByteArrayView ciphertext,
                           QByteArrayView tag)
{
    if (tag.size() != 16)
        return Result<QByteArray>::failure(
            ErrorCode::MalformedToken,
            ContentText::tr("AES-GCM needs a 16-byte authentication tag; this one is %1 bytes").arg(tag.size()));
    const EVP_CIPHER* cipher = aesCipher("GCM", key.size());
    ossl::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!cipher || !ctx)
        return cryptoError(QStringLiteral("AES-GCM"));
    size_t ivLength = static_cast<size_t>(iv.size());
    const OSSL_PARAM params[]
        = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivLength), OSSL_PARAM_construct_end()};
    QByteArray plaintext(ciphertext.size() + 16, '\0');
    QByteArray tagCopy = tag.toByteArray();
    int written = 0;
    int last = 0;
    int aadWritten = 0;
    auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
    if (EVP_DecryptInit_ex2(ctx.get(), cipher, nullptr, nullptr, params) != 1
        || EVP_DecryptInit_ex2(ctx.get(), nullptr, key.bytes(), bytesOf(iv), nullptr) != 1
        || (!aad.isEmpty()
            && EVP_DecryptUpdate(ctx.get(), nullptr, &aadWritten, bytesOf(aad), static_cast<int>(aad.size())) != 1)
        || EVP_DecryptUpdate(ctx.get(), out, &written, bytesOf(ciphertext), static_cast<int>(ciphertext.size())) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_AEAD_SET_TAG, 16, tagCopy.data()) != 1
        || EVP_DecryptFinal_ex(ctx.get(), out + written, &last) != 1) {
        wipeBytes(plaintext);
        return decryptionFailed();
    }
    plaintext.truncate(written + last);
    return plaintext;
}

Result<SealedContent> sealContent(const EncInfo& enc, const SecretBytes& cek, QByteArrayView iv, QByteArrayView aad,
                                  QByteArrayView plaintext)
{
    if (auto lengths = checkLengths(enc, cek, iv); !lengths)
        return lengths.error();
    if (enc.cipher == ContentCipher::Gcm)
        return gcmSeal(cek, iv, aad, plaintext);
    const CbcHmacKeys keys = splitCbcHmacKey(enc, cek);
    auto ciphertext = cbcCrypt(keys.encKey, iv, plaintext, true);
    if (!ciphertext)
        return ciphertext.error();
    auto mac = cbcHmacMac(enc, keys.macKey, iv, aad, *ciphertext);
    if (!mac)
        return mac.error();
    return SealedContent{std::move(ciphertext).value(), mac->left(enc.tagBytes)};
}

Result<QByteArray> openContent(const EncInfo& enc, const SecretBytes& cek, QByteArrayView iv, QByteArrayView aad,
                               QByteArrayView ciphertext, QByteArrayView tag)
{
    if (auto lengths = checkLengths(enc, cek, iv); !lengths)
        return lengths.error();
    if (tag.size() != enc.tagBytes)
        return Result<QByteArray>::failure(
            ErrorCode::MalformedToken,
            ContentText::tr("%1 needs a %2-byte authentication tag; this one is %3 bytes")
                .arg(enc.displayName())
                .arg(enc.tagBytes)
                .arg(tag.size()));
    if (enc.cipher == ContentCipher::Gcm)
        return gcmOpen(cek, iv, aad, ciphertext, tag);
    const CbcHmacKeys keys = splitCbcHmacKey(enc, cek);
    auto mac = cbcHmacMac(enc, keys.macKey, iv, aad, ciphertext);
    if (!mac)
        return mac.error();
    // RFC 7518 §5.2.2.2: the tag is checked, in constant time, before anything is decrypted.
    if (CRYPTO_memcmp(mac->constData(), tag.data(), static_cast<size_t>(enc.tagBytes)) != 0)
        return decryptionFailed();
    return cbcCrypt(keys.encKey, iv, ciphertext, false);
}

Result<QByteArray> randomBytes(int count)
{
    QByteArray bytes(count, '\0');
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), count) != 1)
        return cryptoError(QStringLiteral("the random generator"));
    return bytes;
}

Result<SecretBytes> randomSecret(int count)
{
    auto bytes = randomBytes(count);
    if (!bytes)
        return bytes.error();
    SecretBytes secret(*bytes);
    wipeBytes(bytes.value());
    return secret;
}

} // namespace jwti
