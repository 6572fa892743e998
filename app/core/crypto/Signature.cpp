#include "Signature.h"

#include "OpenSslHandles.h"

#include <openssl/crypto.h>
#include <openssl/rsa.h>

namespace jwti {
namespace {

const EVP_MD* digestMd(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return EVP_sha256();
    case Digest::Sha384:
        return EVP_sha384();
    case Digest::Sha512:
        return EVP_sha512();
    case Digest::None:
        return nullptr;
    }
    return nullptr;
}

const char* digestMacName(Digest digest)
{
    switch (digest) {
    case Digest::Sha256:
        return "SHA256";
    case Digest::Sha384:
        return "SHA384";
    case Digest::Sha512:
        return "SHA512";
    case Digest::None:
        return nullptr;
    }
    return nullptr;
}

// "an RSA 2048-bit public key", "an EC P-256 key", "an HMAC secret": the key as the reason sentences name it.
QString keyPhrase(const Key& key, bool withHalf)
{
    const QString half = !withHalf ? QString()
        : key.hasPrivate()         ? QStringLiteral(" private")
                                   : QStringLiteral(" public");
    switch (key.type()) {
    case KeyType::Oct:
        return QStringLiteral("an HMAC secret");
    case KeyType::Rsa:
        return QStringLiteral("an RSA%1 key").arg(half);
    case KeyType::Ec:
        return QStringLiteral("an EC %1%2 key").arg(key.curve(), half);
    case KeyType::Okp:
        return QStringLiteral("an %1%2 key").arg(key.curve(), half);
    }
    return QStringLiteral("a key");
}

Result<void> fail(ErrorCode code, const QString& message)
{
    return Result<void>::failure(code, message);
}

Result<void> notFit(const AlgInfo& alg, const Key& key)
{
    return fail(ErrorCode::KeyMismatch,
                QStringLiteral("Key does not fit %1: it is %2").arg(alg.displayName(), keyPhrase(key, false)));
}

QString curveName(const AlgInfo& alg)
{
    return QString::fromLatin1(alg.curve);
}

Result<QByteArray> signFailure(const AlgInfo& alg)
{
    return Result<QByteArray>::failure(
        ErrorCode::Crypto, QStringLiteral("%1 signing failed: %2").arg(alg.displayName(), ossl::drainErrors()));
}

// RSA PKCS#1 v1.5 and PSS share the digest-sign set-up; PSS pins the salt to the hash length and MGF1 to the same
// hash (RFC 7518 §3.5) — never OpenSSL's "auto" salt, which would accept any salt length when verifying.
bool setUpRsa(EVP_PKEY_CTX* pctx, const AlgInfo& alg)
{
    if (alg.scheme != SignatureScheme::RsaPss)
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, digestBytes(alg.digest)) == 1
        && EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digestMd(alg.digest)) == 1;
}

Result<QByteArray> digestSign(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestSignInit(ctx.get(), &pctx, digestMd(alg.digest), nullptr, key.pkey()) != 1)
        return signFailure(alg);
    if ((alg.scheme == SignatureScheme::RsaPkcs1 || alg.scheme == SignatureScheme::RsaPss) && !setUpRsa(pctx, alg))
        return signFailure(alg);
    const auto* data = reinterpret_cast<const unsigned char*>(input.data());
    size_t length = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &length, data, static_cast<size_t>(input.size())) != 1)
        return signFailure(alg);
    QByteArray signature(static_cast<qsizetype>(length), '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, data,
                       static_cast<size_t>(input.size()))
        != 1)
        return signFailure(alg);
    signature.resize(static_cast<qsizetype>(length));
    return signature;
}

Result<void> digestVerify(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
{
    ossl::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), &pctx, digestMd(alg.digest), nullptr, key.pkey()) != 1)
        return fail(ErrorCode::Crypto,
                    QStringLiteral("%1 verification could not start: %2").arg(alg.displayName(), ossl::drainErrors()));
    if ((alg.scheme == SignatureScheme::RsaPkcs1 || alg.scheme == SignatureScheme::RsaPss) && !setUpRsa(pctx, alg))
        return fail(ErrorCode::Crypto,
                    QStringLiteral("%1 verification could not start: %2").arg(alg.displayName(), ossl::drainErrors()));
    const int verdict = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), static_cast<size_t>(signature.size()),
        reinterpret_cast<const unsigned char*>(input.data()), static_cast<size_t>(input.size()));
    // 0 is "does not verify"; a negative answer means the signature could not even be read (bad padding, bad
    // encoding): for the user both are an invalid signature, and the queue must not leak into later calls.
    ossl::clearErrors();
    if (verdict != 1)
        return fail(ErrorCode::SignatureInvalid,
                    QStringLiteral("the %1 signature does not verify with this key").arg(alg.displayName()));
    return {};
}

ossl::EcGroupPtr groupFor(const AlgInfo& alg)
{
    const QString curve = curveName(alg);
    int nid = NID_undef;
    if (curve == u"P-256")
        nid = NID_X9_62_prime256v1;
    else if (curve == u"P-384")
        nid = NID_secp384r1;
    else if (curve == u"P-521")
        nid = NID_secp521r1;
    else if (curve == u"secp256k1")
        nid = NID_secp256k1;
    return ossl::EcGroupPtr(nid == NID_undef ? nullptr : EC_GROUP_new_by_curve_name(nid));
}

// JWS carries ECDSA as raw r‖s, each exactly the field size (RFC 7518 §3.4); OpenSSL wants DER. The length and the
// range of r and s are checked here, before OpenSSL sees anything, so a DER signature or a padded one never passes.
Result<void> verifyEcdsa(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
{
    if (signature.size() != alg.signatureBytes)
        return fail(ErrorCode::SignatureMalformed,
                    QStringLiteral("%1 signature is %2 bytes; it must be r‖s of exactly %3 bytes (RFC 7518 §3.4)")
                        .arg(alg.displayName())
                        .arg(signature.size())
                        .arg(alg.signatureBytes));
    const int half = alg.signatureBytes / 2;
    const auto* bytes = reinterpret_cast<const unsigned char*>(signature.data());
    ossl::BnPtr r(BN_bin2bn(bytes, half, nullptr));
    ossl::BnPtr s(BN_bin2bn(bytes + half, half, nullptr));
    ossl::EcGroupPtr group = groupFor(alg);
    if (!r || !s || !group)
        return fail(ErrorCode::Crypto, ossl::drainErrors());
    const BIGNUM* order = EC_GROUP_get0_order(group.get());
    if (BN_is_zero(r.get()) || BN_is_zero(s.get()))
        return fail(ErrorCode::SignatureMalformed,
                    QStringLiteral("%1 signature has %2 = 0, which no valid signature has")
                        .arg(alg.displayName(), BN_is_zero(r.get()) ? QStringLiteral("r") : QStringLiteral("s")));
    if (BN_cmp(r.get(), order) >= 0 || BN_cmp(s.get(), order) >= 0)
        return fail(
            ErrorCode::SignatureMalformed,
            QStringLiteral("%1 signature has %2 not below the group order")
                .arg(alg.displayName(), BN_cmp(r.get(), order) >= 0 ? QStringLiteral("r") : QStringLiteral("s")));
    ossl::EcdsaSigPtr sig(ECDSA_SIG_new());
    if (!sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
        return fail(ErrorCode::Crypto, ossl::drainErrors());
    r.release(); // owned by sig now
    s.release();
    unsigned char* der = nullptr;
    const int derLength = i2d_ECDSA_SIG(sig.get(), &der);
    if (derLength <= 0)
        return fail(ErrorCode::Crypto, ossl::drainErrors());
    const QByteArray derSignature(reinterpret_cast<const char*>(der), derLength);
    OPENSSL_free(der);
    return digestVerify(alg, key, input, derSignature);
}

Result<QByteArray> signEcdsa(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    auto der = digestSign(alg, key, input);
    if (!der)
        return der;
    const auto* cursor = reinterpret_cast<const unsigned char*>(der->constData());
    ossl::EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(der->size())));
    if (!sig)
        return signFailure(alg);
    const BIGNUM* r = nullptr;
    const BIGNUM* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    const int half = alg.signatureBytes / 2;
    QByteArray raw(alg.signatureBytes, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    // Left-padded to the field size: a short r or s still fills its half (RFC 7518 §3.4).
    if (BN_bn2binpad(r, out, half) != half || BN_bn2binpad(s, out + half, half) != half)
        return signFailure(alg);
    return raw;
}

int eddsaSignatureBytes(const Key& key)
{
    return key.curve() == u"Ed448" ? 114 : 64;
}

} // namespace

Result<void> checkKeyFitsAlg(const AlgInfo& alg, const Key& key, KeyPurpose purpose)
{
    if (alg.scheme == SignatureScheme::None)
        return fail(ErrorCode::AlgNone,
                    QStringLiteral("alg \"none\" is an unsecured JWS: nothing to verify or sign with "
                                   "a key (RFC 7518 §3.6)"));
    if (key.isNull())
        return fail(ErrorCode::KeyNotFound, QStringLiteral("no key given for %1").arg(alg.displayName()));

    switch (alg.scheme) {
    case SignatureScheme::Hmac:
        if (key.type() != KeyType::Oct)
            return fail(ErrorCode::KeyMismatch,
                        QStringLiteral("%1 is not an HMAC secret (algorithm confusion, RFC 8725 §3.1)")
                            .arg(keyPhrase(key, true)));
        if (key.bits() < alg.minKeyBits)
            return fail(ErrorCode::KeyWeak,
                        QStringLiteral("HMAC secret of %1 bits is shorter than the %2 bits %3 needs (RFC 7518 §3.2)")
                            .arg(key.bits())
                            .arg(alg.minKeyBits)
                            .arg(alg.displayName()));
        break;
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        if (key.type() != KeyType::Rsa)
            return notFit(alg, key);
        if (alg.scheme == SignatureScheme::RsaPkcs1 && EVP_PKEY_get_base_id(key.pkey()) == EVP_PKEY_RSA_PSS)
            return fail(ErrorCode::KeyMismatch,
                        QStringLiteral("Key does not fit %1: it is an RSA-PSS key, restricted "
                                       "to PSS signatures")
                            .arg(alg.displayName()));
        if (key.bits() < alg.minKeyBits)
            return fail(ErrorCode::KeyWeak,
                        QStringLiteral("RSA key of %1 bits is under the %2 bits RFC 7518 §3.3 requires")
                            .arg(key.bits())
                            .arg(alg.minKeyBits));
        break;
    case SignatureScheme::Ecdsa:
        if (key.type() != KeyType::Ec)
            return notFit(alg, key);
        if (key.curve() != curveName(alg))
            return fail(
                ErrorCode::KeyMismatch,
                QStringLiteral("%1 needs a %2 key; this is %3").arg(alg.displayName(), curveName(alg), key.curve()));
        break;
    case SignatureScheme::EdDsa:
        if (key.type() != KeyType::Okp)
            return notFit(alg, key);
        // "EdDSA" (RFC 8037) takes either curve; the fully specified "Ed25519"/"Ed448" (RFC 9864) only their own.
        if (alg.curve && key.curve() != curveName(alg))
            return fail(
                ErrorCode::KeyMismatch,
                QStringLiteral("%1 needs an %2 key; this is %3").arg(alg.displayName(), curveName(alg), key.curve()));
        break;
    case SignatureScheme::None:
        break;
    }

    if (purpose == KeyPurpose::Sign && !key.hasPrivate())
        return fail(ErrorCode::KeyMismatch,
                    QStringLiteral("signing needs a private key; this is %1").arg(keyPhrase(key, true)));

    const KeyMetadata& meta = key.metadata;
    if (!meta.alg.isEmpty() && meta.alg != alg.displayName())
        return fail(ErrorCode::AlgMismatch,
                    QStringLiteral("the key is for alg \"%1\", not %2 (its JWK \"alg\", "
                                   "RFC 7517 §4.4)")
                        .arg(meta.alg, alg.displayName()));
    if (!meta.use.isEmpty() && meta.use != u"sig")
        return fail(ErrorCode::KeyUseForbidden,
                    QStringLiteral("the key's JWK \"use\" is \"%1\", not \"sig\" (RFC 7517 §4.2)").arg(meta.use));
    if (!meta.keyOps.isEmpty()) {
        const QString needed = purpose == KeyPurpose::Sign ? QStringLiteral("sign") : QStringLiteral("verify");
        if (!meta.keyOps.contains(needed))
            return fail(ErrorCode::KeyUseForbidden,
                        QStringLiteral("the key's JWK \"key_ops\" (%1) does not include \"%2\" (RFC 7517 §4.3)")
                            .arg(meta.keyOps.join(QStringLiteral(", ")), needed));
    }
    return {};
}

Result<QByteArray> signBytes(const AlgInfo& alg, const Key& key, QByteArrayView input)
{
    ossl::clearErrors();
    auto fits = checkKeyFitsAlg(alg, key, KeyPurpose::Sign);
    if (!fits)
        return Result<QByteArray>(fits.error());
    switch (alg.scheme) {
    case SignatureScheme::Hmac: {
        QByteArray tag = computeHmac(alg.digest, key.secret().view(), input);
        if (tag.size() != digestBytes(alg.digest))
            return signFailure(alg);
        return tag;
    }
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        return digestSign(alg, key, input);
    case SignatureScheme::Ecdsa:
        return signEcdsa(alg, key, input);
    case SignatureScheme::EdDsa: {
        AlgInfo pure = alg;
        pure.digest = Digest::None; // EdDSA hashes inside the scheme: no digest is given to OpenSSL
        return digestSign(pure, key, input);
    }
    case SignatureScheme::None:
        break;
    }
    return Result<QByteArray>::failure(ErrorCode::AlgNone, QStringLiteral("alg \"none\" cannot sign"));
}

Result<void> verifyBytes(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature)
{
    ossl::clearErrors();
    auto fits = checkKeyFitsAlg(alg, key, KeyPurpose::Verify);
    if (!fits)
        return fits;
    switch (alg.scheme) {
    case SignatureScheme::Hmac: {
        const int expected = digestBytes(alg.digest);
        // A truncated tag is forgeable by guessing fewer bytes; RFC 7518 §3.2 defines the full-length tag only.
        if (signature.size() != expected)
            return fail(ErrorCode::SignatureMalformed,
                        QStringLiteral("%1 tag is %2 bytes; it must be the full %3 bytes (RFC 7518 §3.2)")
                            .arg(alg.displayName())
                            .arg(signature.size())
                            .arg(expected));
        const QByteArray tag = computeHmac(alg.digest, key.secret().view(), input);
        if (tag.size() != expected)
            return fail(ErrorCode::Crypto, QStringLiteral("%1 could not be computed").arg(alg.displayName()));
        if (CRYPTO_memcmp(tag.constData(), signature.data(), static_cast<size_t>(expected)) != 0)
            return fail(
                ErrorCode::SignatureInvalid,
                QStringLiteral("the %1 tag does not match: wrong secret or altered token").arg(alg.displayName()));
        return {};
    }
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss: {
        const int modulusBytes = EVP_PKEY_get_size(key.pkey());
        // RFC 8017 §8.2.2 step 1 / §8.1.2: the signature is exactly as long as the modulus.
        if (signature.size() != modulusBytes)
            return fail(ErrorCode::SignatureMalformed,
                        QStringLiteral("%1 signature is %2 bytes; this %3-bit key makes signatures of exactly %4 bytes")
                            .arg(alg.displayName())
                            .arg(signature.size())
                            .arg(key.bits())
                            .arg(modulusBytes));
        return digestVerify(alg, key, input, signature);
    }
    case SignatureScheme::Ecdsa:
        return verifyEcdsa(alg, key, input, signature);
    case SignatureScheme::EdDsa: {
        const int expected = eddsaSignatureBytes(key);
        if (signature.size() != expected)
            return fail(ErrorCode::SignatureMalformed,
                        QStringLiteral("%1 signature is %2 bytes; %3 signatures are %4 "
                                       "bytes (RFC 8032 §5)")
                            .arg(alg.displayName())
                            .arg(signature.size())
                            .arg(key.curve())
                            .arg(expected));
        AlgInfo pure = alg;
        pure.digest = Digest::None;
        return digestVerify(pure, key, input, signature);
    }
    case SignatureScheme::None:
        break;
    }
    return fail(ErrorCode::AlgNone, QStringLiteral("alg \"none\" never verifies"));
}

QByteArray computeDigest(Digest digest, QByteArrayView data)
{
    const EVP_MD* md = digestMd(digest);
    if (!md)
        return {};
    QByteArray out(EVP_MD_get_size(md), '\0');
    unsigned int length = 0;
    if (EVP_Digest(data.data(), static_cast<size_t>(data.size()), reinterpret_cast<unsigned char*>(out.data()), &length,
                   md, nullptr)
        != 1) {
        ossl::clearErrors();
        return {};
    }
    out.resize(static_cast<qsizetype>(length));
    return out;
}

QByteArray computeHmac(Digest digest, QByteArrayView key, QByteArrayView data)
{
    const char* name = digestMacName(digest);
    if (!name)
        return {};
    ossl::MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    ossl::MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    if (!ctx) {
        ossl::clearErrors();
        return {};
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(name), 0),
        OSSL_PARAM_construct_end(),
    };
    // OpenSSL wants a non-null key pointer even for an empty key.
    static const unsigned char emptyKey = 0;
    const auto* keyBytes = key.isEmpty() ? &emptyKey : reinterpret_cast<const unsigned char*>(key.data());
    QByteArray out(digestBytes(digest), '\0');
    size_t length = 0;
    if (EVP_MAC_init(ctx.get(), keyBytes, static_cast<size_t>(key.size()), params) != 1
        || EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<size_t>(data.size()))
            != 1
        || EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                         static_cast<size_t>(out.size()))
            != 1) {
        ossl::clearErrors();
        return {};
    }
    out.resize(static_cast<qsizetype>(length));
    return out;
}

} // namespace jwti
