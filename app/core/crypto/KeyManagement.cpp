#include "core/crypto/KeyManagement.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <QtEndian>
#include <array>
#include <openssl/kdf.h>
#include <openssl/rsa.h>

namespace jwti {

struct KeyManagementText
{
    Q_DECLARE_TR_FUNCTIONS(Jwe)
};

namespace {

using Mode = KeyManagementMode;

constexpr std::array<KeyManagementInfo, 17> kAlgs = {{
    {"RSA1_5", Mode::RsaPkcs1, 0, Digest::None, false, "RFC 7518 §4.2"},
    {"RSA-OAEP", Mode::RsaOaep, 0, Digest::None, true, "RFC 7518 §4.3"},
    {"RSA-OAEP-256", Mode::RsaOaep, 0, Digest::Sha256, true, "RFC 7518 §4.3"},
    {"A128KW", Mode::AesKeyWrap, 16, Digest::None, true, "RFC 7518 §4.4"},
    {"A192KW", Mode::AesKeyWrap, 24, Digest::None, true, "RFC 7518 §4.4"},
    {"A256KW", Mode::AesKeyWrap, 32, Digest::None, true, "RFC 7518 §4.4"},
    {"dir", Mode::Direct, 0, Digest::None, true, "RFC 7518 §4.5"},
    {"ECDH-ES", Mode::EcdhEs, 0, Digest::None, true, "RFC 7518 §4.6"},
    {"ECDH-ES+A128KW", Mode::EcdhEsKeyWrap, 16, Digest::None, true, "RFC 7518 §4.6"},
    {"ECDH-ES+A192KW", Mode::EcdhEsKeyWrap, 24, Digest::None, true, "RFC 7518 §4.6"},
    {"ECDH-ES+A256KW", Mode::EcdhEsKeyWrap, 32, Digest::None, true, "RFC 7518 §4.6"},
    {"A128GCMKW", Mode::AesGcmKeyWrap, 16, Digest::None, true, "RFC 7518 §4.7"},
    {"A192GCMKW", Mode::AesGcmKeyWrap, 24, Digest::None, true, "RFC 7518 §4.7"},
    {"A256GCMKW", Mode::AesGcmKeyWrap, 32, Digest::None, true, "RFC 7518 §4.7"},
    {"PBES2-HS256+A128KW", Mode::Pbes2, 16, Digest::Sha256, true, "RFC 7518 §4.8"},
    {"PBES2-HS384+A192KW", Mode::Pbes2, 24, Digest::Sha384, true, "RFC 7518 §4.8"},
    {"PBES2-HS512+A256KW", Mode::Pbes2, 32, Digest::Sha512, true, "RFC 7518 §4.8"},
}};

const unsigned char* bytesOf(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char*>(view.data());
}

Error cryptoError(const QString& what)
{
    return {ErrorCode::Crypto, KeyManagementText::tr("%1 failed: %2").arg(what, ossl::drainErrors())};
}

Error decryptionFailed()
{
    ossl::clearErrors();
    return {ErrorCode::DecryptionFailed,
            KeyManagementText::tr("the token does not decrypt with this key (a wrong key, or the token was changed)")};
}

const EVP_CIPHER* wrapCipher(qsizetype keyBytes)
{
    static const auto fetch = [](const char* name) { return EVP_CIPHER_fetch(nullptr, name, nullptr); };
    static EVP_CIPHER* wrap[3] = {fetch("AES-128-WRAP"), fetch("AES-192-WRAP"), fetch("AES-256-WRAP")};
    return keyBytes == 16 ? wrap[0] : keyBytes == 24 ? wrap[1] : keyBytes == 32 ? wrap[2] : nullptr;
}

Result<QByteArray> keyWrapCrypt(const SecretBytes& kek, QByteArrayView input, bool encrypt)
{
    const EVP_CIPHER* cipher = wrapCipher(kek.size());
    if (!cipher)
        return Result<QByteArray>::failure(
            ErrorCode::KeyMismatch,
            KeyManagementText::tr("AES key wrap needs a 16, 24 or 32-byte key; this one is %1 bytes").arg(kek.size()));
    ossl::CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (!ctx)
        return cryptoError(QStringLiteral("AES key wrap"));
    EVP_CIPHER_CTX_set_flags(ctx.get(), EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
    QByteArray output(input.size() + 16, '\0');
    int written = 0;
    int last = 0;
    auto* out = reinterpret_cast<unsigned char*>(output.data());
    if (EVP_CipherInit_ex2(ctx.get(), cipher, kek.bytes(), nullptr, encrypt ? 1 : 0, nullptr) != 1
        || EVP_CipherUpdate(ctx.get(), out, &written, bytesOf(input), static_cast<int>(input.size())) != 1
        || EVP_CipherFinal_ex(ctx.get(), out + written, &last) != 1) {
        wipeBytes(output);
        return encrypt ? Result<QByteArray>(cryptoError(QStringLiteral("AES key wrap"))) : decryptionFailed();
    }
    output.truncate(written + last);
    return output;
}

} // namespace

const KeyManagementInfo* findKeyManagement(QStringView name)
{
    for (const KeyManagementInfo& alg : kAlgs) {
        if (name == QLatin1String(alg.name))
            return &alg;
    }
    return nullptr;
}

std::span<const KeyManagementInfo> allKeyManagements()
{
    return kAlgs;
}

Result<void> checkKeyFitsJwe(const KeyManagementInfo& alg, const EncInfo& enc, const Key& key, JweKeyPurpose purpose)
{
    auto fail = [](ErrorCode code, const QString& message) { return Result<void>::failure(code, message); };
    const bool decrypt = purpose == JweKeyPurpose::Decrypt;
    const QString name = alg.displayName();
    if (key.isNull())
        return fail(ErrorCode::KeyNotFound, KeyManagementText::tr("no key"));
    switch (alg.mode) {
    case Mode::RsaOaep:
    case Mode::RsaPkcs1:
        if (key.type() != KeyType::Rsa || EVP_PKEY_get_base_id(key.pkey()) != EVP_PKEY_RSA)
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("%1 needs an RSA key; this is %2").arg(name, key.description()));
        if (key.bits() < 2048)
            return fail(ErrorCode::KeyWeak,
                        KeyManagementText::tr("RSA key of %1 bits is under the 2048 bits %2 requires")
                            .arg(key.bits())
                            .arg(QString::fromUtf8(alg.rfcSection)));
        break;
    case Mode::AesKeyWrap:
    case Mode::AesGcmKeyWrap:
        if (key.type() != KeyType::Oct)
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("%1 needs a %2-bit AES key; this is %3")
                            .arg(name)
                            .arg(alg.wrapKeyBytes * 8)
                            .arg(key.description()));
        if (key.secret().size() != alg.wrapKeyBytes)
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("%1 needs a %2-bit AES key; this one has %3 bits")
                            .arg(name)
                            .arg(alg.wrapKeyBytes * 8)
                            .arg(key.secret().size() * 8));
        break;
    case Mode::Direct:
        if (key.type() != KeyType::Oct)
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("dir needs a secret key; this is %1").arg(key.description()));
        if (key.secret().size() != enc.cekBytes)
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("dir with %1 needs a %2-bit key (the CEK itself); this one has %3 bits")
                            .arg(enc.displayName())
                            .arg(enc.cekBytes * 8)
                            .arg(key.secret().size() * 8));
        break;
    case Mode::EcdhEs:
    case Mode::EcdhEsKeyWrap:
        if ((key.type() != KeyType::Ec && key.type() != KeyType::Okp) || !isEcdhCurve(key.curve()))
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("%1 needs an EC P-256, P-384, P-521, X25519 or X448 key; this is %2")
                            .arg(name, key.description()));
        break;
    case Mode::Pbes2:
        if (key.type() != KeyType::Oct || key.secret().isEmpty())
            return fail(ErrorCode::KeyMismatch,
                        KeyManagementText::tr("%1 needs a password; this is %2").arg(name, key.description()));
        break;
    }
    if (!decrypt && !alg.canEncrypt)
        return fail(ErrorCode::AlgNotAllowed,
                    KeyManagementText::tr("%1 is kept for decrypting old tokens only (%2); choose RSA-OAEP-256")
                        .arg(name, QString::fromUtf8(alg.rfcSection)));
    const bool asymmetric = key.type() != KeyType::Oct;
    if (decrypt && asymmetric && !key.hasPrivate())
        return fail(ErrorCode::KeyMismatch,
                    KeyManagementText::tr("decrypting needs a private key; this is %1").arg(key.description()));

    const KeyMetadata& meta = key.metadata;
    if (!meta.use.isEmpty() && meta.use != u"enc")
        return fail(
            ErrorCode::KeyUseForbidden,
            KeyManagementText::tr("the key's JWK says \"use\": \"%1\"; encryption needs \"enc\"").arg(meta.use));
    if (!meta.alg.isEmpty() && meta.alg != name && !(alg.mode == Mode::Direct && meta.alg == enc.displayName()))
        return fail(ErrorCode::KeyUseForbidden,
                    KeyManagementText::tr("the key's JWK says \"alg\": \"%1\"; the token uses %2").arg(meta.alg, name));
    if (!meta.keyOps.isEmpty()) {
        QStringList allowed;
        switch (alg.mode) {
        case Mode::Direct:
            allowed = {decrypt ? QStringLiteral("decrypt") : QStringLiteral("encrypt")};
            break;
        case Mode::EcdhEs:
        case Mode::EcdhEsKeyWrap:
            allowed = {QStringLiteral("deriveKey"), QStringLiteral("deriveBits")};
            break;
        default:
            allowed = {decrypt ? QStringLiteral("unwrapKey") : QStringLiteral("wrapKey"),
                       decrypt ? QStringLiteral("decrypt") : QStringLiteral("encrypt")};
            break;
        }
        const bool any = std::any_of(allowed.cbegin(), allowed.cend(),
                                     [&](const QString& op) { return meta.keyOps.contains(op); });
        if (!any)
            return fail(ErrorCode::KeyUseForbidden,
                        KeyManagementText::tr("the key's JWK \"key_ops\" (%1) allow none of %2, which %3 needs")
                            .arg(meta.keyOps.join(QStringLiteral(", ")), allowed.join(QStringLiteral(", ")), name));
    }
    return {};
}

bool isEcdhCurve(const QString& curve)
{
    return curve == u"P-256" || curve == u"P-384" || curve == u"P-521" || curve == u"X25519" || curve == u"X448";
}

Result<QByteArray> aesKeyWrap(const SecretBytes& kek, const SecretBytes& cek)
{
    return keyWrapCrypt(kek, cek.view(), true);
}

Result<SecretBytes> aesKeyUnwrap(const SecretBytes& kek, QByteArrayView wrapped)
{
    // RFC 3394: a multiple of 8 bytes, at least two blocks of key plus the integrity block.
    if (wrapped.size() < 24 || wrapped.size() % 8 != 0)
        return Result<SecretBytes>::failure(
            ErrorCode::MalformedToken,
            KeyManagementText::tr("an AES-wrapped key is a multiple of 8 bytes and at least 24; this one is %1 bytes")
                .arg(wrapped.size()));
    auto unwrapped = keyWrapCrypt(kek, wrapped, false);
    if (!unwrapped)
        return unwrapped.error();
    SecretBytes cek(*unwrapped);
    wipeBytes(unwrapped.value());
    return cek;
}

Result<QByteArray> rsaWrap(const KeyManagementInfo& alg, const Key& key, const SecretBytes& cek)
{
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey(), nullptr));
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1)
        return cryptoError(QStringLiteral("RSA encryption"));
    if (alg.mode == Mode::RsaOaep) {
        const EVP_MD* md = alg.digest == Digest::Sha256 ? ossl::digestMd(Digest::Sha256) : EVP_sha1();
        if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1)
            return cryptoError(QStringLiteral("RSA-OAEP"));
    } else if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
        return cryptoError(QStringLiteral("RSA PKCS#1 v1.5"));
    }
    size_t length = 0;
    if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, cek.bytes(), static_cast<size_t>(cek.size())) != 1)
        return cryptoError(QStringLiteral("RSA encryption"));
    QByteArray out(static_cast<qsizetype>(length), '\0');
    if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length, cek.bytes(),
                         static_cast<size_t>(cek.size()))
        != 1)
        return cryptoError(QStringLiteral("RSA encryption"));
    out.truncate(static_cast<qsizetype>(length));
    return out;
}

Result<SecretBytes> rsaUnwrap(const KeyManagementInfo& alg, const Key& key, QByteArrayView encryptedKey, int cekBytes)
{
    const int modulusBytes = (key.bits() + 7) / 8;
    if (encryptedKey.size() != modulusBytes)
        return Result<SecretBytes>::failure(ErrorCode::MalformedToken,
                                            KeyManagementText::tr("the encrypted key is %1 bytes; an RSA %2-bit key "
                                                                  "makes %3")
                                                .arg(encryptedKey.size())
                                                .arg(key.bits())
                                                .arg(modulusBytes));
    // RFC 7516 §11.5: for RSA1_5 the random CEK is drawn before decrypting, so both paths cost the same.
    SecretBytes fallback;
    if (alg.mode == Mode::RsaPkcs1) {
        auto random = randomSecret(cekBytes);
        if (!random)
            return random.error();
        fallback = std::move(random).value();
    }
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey(), nullptr));
    if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1)
        return cryptoError(QStringLiteral("RSA decryption"));
    if (alg.mode == Mode::RsaOaep) {
        const EVP_MD* md = alg.digest == Digest::Sha256 ? ossl::digestMd(Digest::Sha256) : EVP_sha1();
        if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1
            || EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), md) != 1 || EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), md) != 1)
            return cryptoError(QStringLiteral("RSA-OAEP"));
    } else if (EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1) {
        return cryptoError(QStringLiteral("RSA PKCS#1 v1.5"));
    }
    QByteArray out(modulusBytes, '\0');
    size_t length = static_cast<size_t>(out.size());
    const bool decrypted = EVP_PKEY_decrypt(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                                            bytesOf(encryptedKey), static_cast<size_t>(encryptedKey.size()))
        == 1;
    ossl::clearErrors();
    const bool fits = decrypted && static_cast<int>(length) == cekBytes;
    SecretBytes cek(fits ? QByteArrayView(out).first(static_cast<qsizetype>(length)) : QByteArrayView());
    wipeBytes(out);
    if (alg.mode == Mode::RsaPkcs1)
        return fits ? cek : fallback;
    if (!fits)
        return decryptionFailed();
    return cek;
}

Result<SecretBytes> ecdhSharedSecret(const Key& privateKey, const Key& peerPublicKey)
{
    if (privateKey.curve() != peerPublicKey.curve() || privateKey.type() != peerPublicKey.type())
        return Result<SecretBytes>::failure(
            ErrorCode::KeyMismatch,
            KeyManagementText::tr("the ephemeral key is on %1 but the key is on %2: ECDH needs one curve")
                .arg(peerPublicKey.curve(), privateKey.curve()));
    ossl::clearErrors();
    ossl::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, peerPublicKey.pkey(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1)
        return Result<SecretBytes>::failure(
            ErrorCode::KeyInvalid,
            KeyManagementText::tr("the ephemeral public key is not a valid point of %1 (%2)")
                .arg(peerPublicKey.curve(), ossl::drainErrors(KeyManagementText::tr("public key check failed"))));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, privateKey.pkey(), nullptr));
    if (!ctx
        || EVP_PKEY_derive_init(ctx.get()) != 1
        // Checked in full just above; a second check here would cost another scalar multiplication.
        || EVP_PKEY_derive_set_peer_ex(ctx.get(), peerPublicKey.pkey(), 0) != 1)
        return Result<SecretBytes>::failure(
            ErrorCode::KeyInvalid,
            KeyManagementText::tr("the ephemeral public key was refused: %1").arg(ossl::drainErrors()));
    size_t length = 0;
    if (EVP_PKEY_derive(ctx.get(), nullptr, &length) != 1)
        return cryptoError(QStringLiteral("ECDH"));
    QByteArray z(static_cast<qsizetype>(length), '\0');
    if (EVP_PKEY_derive(ctx.get(), reinterpret_cast<unsigned char*>(z.data()), &length) != 1) {
        wipeBytes(z);
        // OpenSSL refuses an all-zero X25519/X448 result here (RFC 7748 §6.1).
        return Result<SecretBytes>::failure(
            ErrorCode::KeyInvalid,
            KeyManagementText::tr("the ephemeral public key gives no shared secret (a low-order point?): %1")
                .arg(ossl::drainErrors()));
    }
    z.truncate(static_cast<qsizetype>(length));
    const bool allZero = std::all_of(z.cbegin(), z.cend(), [](char c) { return c == '\0'; });
    SecretBytes secret(z);
    wipeBytes(z);
    if (allZero)
        return Result<SecretBytes>::failure(
            ErrorCode::KeyInvalid,
            KeyManagementText::tr("the ephemeral public key is a low-order point: the shared secret is all zero "
                                  "(RFC 7748 §6.1)"));
    return secret;
}

QByteArray concatKdfOtherInfo(QByteArrayView algorithmId, QByteArrayView apu, QByteArrayView apv, int keyBytes)
{
    auto lengthPrefixed = [](QByteArrayView data) {
        QByteArray out(4, '\0');
        qToBigEndian<quint32>(static_cast<quint32>(data.size()), out.data());
        return out + data.toByteArray();
    };
    QByteArray suppPubInfo(4, '\0');
    qToBigEndian<quint32>(static_cast<quint32>(keyBytes) * 8, suppPubInfo.data());
    return lengthPrefixed(algorithmId) + lengthPrefixed(apu) + lengthPrefixed(apv) + suppPubInfo;
}

Result<SecretBytes> concatKdf(const SecretBytes& z, QByteArrayView otherInfo, int keyBytes)
{
    static EVP_KDF* sskdf = EVP_KDF_fetch(nullptr, "SSKDF", nullptr);
    ossl::KdfCtxPtr ctx(sskdf ? EVP_KDF_CTX_new(sskdf) : nullptr);
    if (!ctx)
        return cryptoError(QStringLiteral("Concat KDF"));
    char digest[] = "SHA256";
    const OSSL_PARAM params[]
        = {OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
           OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<char*>(z.data()),
                                             static_cast<size_t>(z.size())),
           OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, const_cast<char*>(otherInfo.data()),
                                             static_cast<size_t>(otherInfo.size())),
           OSSL_PARAM_construct_end()};
    QByteArray out(keyBytes, '\0');
    if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), static_cast<size_t>(keyBytes), params)
        != 1) {
        wipeBytes(out);
        return cryptoError(QStringLiteral("Concat KDF"));
    }
    SecretBytes key(out);
    wipeBytes(out);
    return key;
}

Result<SecretBytes> pbes2Key(const KeyManagementInfo& alg, const SecretBytes& password, QByteArrayView p2s, int p2c)
{
    QByteArray salt = QByteArray(alg.name) + '\0' + p2s.toByteArray();
    QByteArray out(alg.wrapKeyBytes, '\0');
    const int ok = PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), bytesOf(salt),
                                     static_cast<int>(salt.size()), p2c, ossl::digestMd(alg.digest), alg.wrapKeyBytes,
                                     reinterpret_cast<unsigned char*>(out.data()));
    if (ok != 1) {
        wipeBytes(out);
        return cryptoError(QStringLiteral("PBKDF2"));
    }
    SecretBytes key(out);
    wipeBytes(out);
    return key;
}

Result<Key> generateEphemeralKey(const QString& curve)
{
    EVP_PKEY* pkey = nullptr;
    if (curve == u"X25519" || curve == u"X448")
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, curve == u"X25519" ? "X25519" : "X448");
    else if (isEcdhCurve(curve))
        pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", ossl::groupNameForCurve(curve));
    else
        return Result<Key>::failure(ErrorCode::KeyMismatch,
                                    KeyManagementText::tr("ECDH-ES needs an EC P-256, P-384, P-521, X25519 or X448 "
                                                          "key"));
    if (!pkey)
        return cryptoError(QStringLiteral("ephemeral key generation"));
    return Key::adoptPkey(pkey);
}

} // namespace jwti
