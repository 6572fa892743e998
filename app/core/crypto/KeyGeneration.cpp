#include "core/crypto/KeyGeneration.h"

#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <openssl/rand.h>
#include <openssl/rsa.h>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyGeneration", for the messages here.
struct KeyGenerationText
{
    Q_DECLARE_TR_FUNCTIONS(KeyGeneration)
};

namespace {

// OpenSSL calls this between candidate primes; answering 0 stops the generation.
int keygenProgress(EVP_PKEY_CTX* ctx)
{
    const auto* cancel = static_cast<const std::atomic_bool*>(EVP_PKEY_CTX_get_app_data(ctx));
    return cancel && cancel->load() ? 0 : 1;
}

Result<Key> generated(EVP_PKEY_CTX* ctx, const QString& what, const std::atomic_bool* cancel)
{
    EVP_PKEY* pkey = nullptr;
    if (EVP_PKEY_generate(ctx, &pkey) != 1 || !pkey) {
        EVP_PKEY_free(pkey);
        if (cancel && cancel->load()) {
            ossl::clearErrors();
            return Result<Key>::failure(ErrorCode::Crypto, QStringLiteral("cancelled"));
        }
        return Result<Key>::failure(ErrorCode::Crypto,
                                    KeyGenerationText::tr("%1 generation failed: %2").arg(what, ossl::drainErrors()));
    }
    return Key::adoptPkey(pkey);
}

Result<Key> generateRsa(int bits, const std::atomic_bool* cancel)
{
    if (bits != 2048 && bits != 3072 && bits != 4096)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyGenerationText::tr("RSA keys are generated with 2048, 3072 or 4096 bits, not %1").arg(bits));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) != 1)
        return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
    if (cancel) {
        // OpenSSL only reads the pointer back in keygenProgress, which never writes through it.
        EVP_PKEY_CTX_set_app_data(ctx.get(), const_cast<std::atomic_bool*>(cancel));
        EVP_PKEY_CTX_set_cb(ctx.get(), keygenProgress);
    }
    return generated(ctx.get(), KeyGenerationText::tr("RSA %1-bit key").arg(bits), cancel);
}

Result<Key> generateEc(const QString& curve, const std::atomic_bool* cancel)
{
    const char* group = ossl::groupNameForCurve(curve);
    if (!group)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyGenerationText::tr("EC curve \"%1\" is not supported (P-256, P-384, P-521, secp256k1)").arg(curve));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_group_name(ctx.get(), group) != 1)
        return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
    return generated(ctx.get(), KeyGenerationText::tr("EC %1 key").arg(curve), cancel);
}

Result<Key> generateOkp(const QString& curve, const std::atomic_bool* cancel)
{
    const char* type = curve == u"Ed25519" ? "ED25519" : curve == u"Ed448" ? "ED448" : nullptr;
    if (!type)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyGenerationText::tr("OKP curve \"%1\" is not supported (Ed25519, Ed448)").arg(curve));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1)
        return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
    return generated(ctx.get(), KeyGenerationText::tr("%1 key").arg(curve), cancel);
}

Result<Key> generateSecret(int bits)
{
    if (bits != 256 && bits != 384 && bits != 512)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyGenerationText::tr("HMAC secrets are generated with 256, 384 or 512 bits, not %1").arg(bits));
    QByteArray bytes(bits / 8, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(bytes.size())) != 1) {
        wipeBytes(bytes);
        return Result<Key>::failure(ErrorCode::Crypto,
                                    KeyGenerationText::tr("the random generator failed: %1").arg(ossl::drainErrors()));
    }
    Key key = Key::fromSecret(SecretBytes(bytes));
    wipeBytes(bytes);
    return key;
}

} // namespace

Result<KeySpec> keySpecForAlg(const AlgInfo& alg, int bits)
{
    KeySpec spec;
    switch (alg.scheme) {
    case SignatureScheme::None:
        return Result<KeySpec>::failure(ErrorCode::AlgNone, KeyGenerationText::tr("alg \"none\" has no key"));
    case SignatureScheme::Hmac:
        spec.type = KeyType::Oct;
        spec.bits = bits == 0 ? alg.minKeyBits : bits;
        // RFC 7518 §3.2: the secret is at least as long as the hash output.
        if (spec.bits < alg.minKeyBits)
            return Result<KeySpec>::failure(
                ErrorCode::KeyWeak,
                KeyGenerationText::tr("%1 needs a secret of at least %2 bits (RFC 7518 §3.2)")
                    .arg(alg.displayName())
                    .arg(alg.minKeyBits));
        if (spec.bits != 256 && spec.bits != 384 && spec.bits != 512)
            return Result<KeySpec>::failure(
                ErrorCode::KeyUnsupported,
                KeyGenerationText::tr("HMAC secrets are 256, 384 or 512 bits, not %1").arg(spec.bits));
        return spec;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        spec.type = KeyType::Rsa;
        spec.bits = bits == 0 ? 2048 : bits;
        if (spec.bits < 2048)
            return Result<KeySpec>::failure(
                ErrorCode::KeyWeak, KeyGenerationText::tr("RSA keys under 2048 bits are refused (RFC 7518 §3.3)"));
        if (spec.bits != 2048 && spec.bits != 3072 && spec.bits != 4096)
            return Result<KeySpec>::failure(
                ErrorCode::KeyUnsupported,
                KeyGenerationText::tr("RSA keys are 2048, 3072 or 4096 bits, not %1").arg(spec.bits));
        return spec;
    case SignatureScheme::Ecdsa:
        spec.type = KeyType::Ec;
        spec.curve = QString::fromLatin1(alg.curve);
        return spec;
    case SignatureScheme::EdDsa:
        spec.type = KeyType::Okp;
        spec.curve = alg.curve ? QString::fromLatin1(alg.curve) : QStringLiteral("Ed25519");
        return spec;
    }
    return Result<KeySpec>::failure(ErrorCode::AlgUnknown, KeyGenerationText::tr("unknown algorithm"));
}

Result<Key> generateKey(const KeySpec& spec, const std::atomic_bool* cancel)
{
    ossl::clearErrors();
    // RSA is not short-cut here: its cancellation goes through OpenSSL's progress callback, the same path a cancel
    // during generation takes, so a cancel set before the start exercises (and tests) that path.
    if (cancel && cancel->load() && spec.type != KeyType::Rsa)
        return Result<Key>::failure(ErrorCode::Crypto, QStringLiteral("cancelled"));
    switch (spec.type) {
    case KeyType::Rsa:
        return generateRsa(spec.bits == 0 ? 2048 : spec.bits, cancel);
    case KeyType::Ec:
        return generateEc(spec.curve, cancel);
    case KeyType::Okp:
        return generateOkp(spec.curve.isEmpty() ? QStringLiteral("Ed25519") : spec.curve, cancel);
    case KeyType::Oct:
        return generateSecret(spec.bits == 0 ? 256 : spec.bits);
    }
    return Result<Key>::failure(ErrorCode::KeyUnsupported, KeyGenerationText::tr("unknown key type"));
}

} // namespace jwti
