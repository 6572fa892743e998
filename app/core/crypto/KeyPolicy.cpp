#include "core/crypto/KeyPolicy.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyManagement.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUuid>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyPolicy", for the messages here.
struct KeyPolicyText
{
    Q_DECLARE_TR_FUNCTIONS(KeyPolicy)
};

namespace {

constexpr qsizetype kMaxKidLength = 256;
constexpr int kGeneratedPasswordBytes = 32;

// RFC 7517 §4.3: the key_ops values of each use.
bool isSigningOp(QStringView op)
{
    return op == u"sign" || op == u"verify";
}

bool isEncryptionOp(QStringView op)
{
    return op == u"encrypt" || op == u"decrypt" || op == u"wrapKey" || op == u"unwrapKey" || op == u"deriveKey"
        || op == u"deriveBits";
}

} // namespace

QString keyUseJwkName(KeyUse use)
{
    return use == KeyUse::Encryption ? QStringLiteral("enc") : QStringLiteral("sig");
}

std::optional<KeyUse> keyUseFromJwkName(QStringView name)
{
    if (name == u"sig")
        return KeyUse::Signing;
    if (name == u"enc")
        return KeyUse::Encryption;
    return std::nullopt;
}

std::optional<KeyType> keyTypeFromJwkName(QStringView kty)
{
    for (const KeyType type : {KeyType::Oct, KeyType::Rsa, KeyType::Ec, KeyType::Okp}) {
        if (kty == keyTypeJwkName(type))
            return type;
    }
    return std::nullopt;
}

std::optional<KeyUse> algUse(QStringView alg)
{
    if (const AlgInfo* info = findAlg(alg); info && info->scheme != SignatureScheme::None)
        return KeyUse::Signing;
    if (findKeyManagement(alg))
        return KeyUse::Encryption;
    return std::nullopt;
}

bool isSigningAlg(QStringView alg)
{
    return algUse(alg) == KeyUse::Signing;
}

bool isEncryptionAlg(QStringView alg)
{
    return algUse(alg) == KeyUse::Encryption;
}

QStringList algNamesForUse(KeyUse use)
{
    QStringList names;
    if (use == KeyUse::Signing) {
        for (const AlgInfo& alg : allAlgs()) {
            if (alg.scheme != SignatureScheme::None)
                names << alg.displayName();
        }
    } else {
        for (const KeyManagementInfo& alg : allKeyManagements()) {
            if (alg.canEncrypt)
                names << alg.displayName();
        }
    }
    return names;
}

QString signingAlgName(SignatureScheme scheme, Digest digest)
{
    for (const AlgInfo& alg : allAlgs()) {
        // The fully-specified EdDSA names (RFC 9864) carry a curve; the family names are the ones without.
        if (alg.scheme == scheme && alg.digest == digest && (scheme != SignatureScheme::EdDsa || !alg.curve))
            return alg.displayName();
    }
    return {};
}

QString ecdsaAlgForCurve(QStringView curve)
{
    for (const AlgInfo& alg : allAlgs()) {
        if (alg.scheme == SignatureScheme::Ecdsa && alg.curve && curve == QLatin1String(alg.curve))
            return alg.displayName();
    }
    return {};
}

QString defaultAlgForKey(const Key& key, KeyUse use)
{
    if (key.isNull())
        return {};
    if (use == KeyUse::Signing) {
        switch (key.type()) {
        case KeyType::Rsa:
            return signingAlgName(SignatureScheme::RsaPkcs1, Digest::Sha256);
        case KeyType::Ec:
            return ecdsaAlgForCurve(key.curve());
        case KeyType::Okp:
            return key.curve().startsWith(u"Ed") ? signingAlgName(SignatureScheme::EdDsa, Digest::None) : QString();
        case KeyType::Oct:
            // RFC 7518 §3.2: the secret must be at least the hash size, so the largest hash it can serve.
            for (const Digest digest : {Digest::Sha512, Digest::Sha384, Digest::Sha256}) {
                if (key.bits() >= digestBytes(digest) * 8)
                    return signingAlgName(SignatureScheme::Hmac, digest);
            }
            return signingAlgName(SignatureScheme::Hmac, Digest::Sha256);
        }
        return {};
    }
    switch (key.type()) {
    case KeyType::Rsa:
        return QStringLiteral("RSA-OAEP-256");
    case KeyType::Ec:
    case KeyType::Okp:
        return isEcdhCurve(key.curve()) ? QStringLiteral("ECDH-ES") : QString();
    case KeyType::Oct:
        for (const KeyManagementInfo& alg : allKeyManagements()) {
            if (alg.mode == KeyManagementMode::AesKeyWrap && alg.wrapKeyBytes == key.secret().size())
                return alg.displayName();
        }
        return QStringLiteral("PBES2-HS256+A128KW");
    }
    return {};
}

Result<std::optional<KeyUse>> keyUseFromMetadata(const KeyMetadata& metadata)
{
    using R = Result<std::optional<KeyUse>>;
    std::optional<KeyUse> fromUse;
    if (!metadata.use.isEmpty()) {
        fromUse = keyUseFromJwkName(metadata.use);
        if (!fromUse)
            return R::failure(ErrorCode::KeyUseForbidden,
                              KeyPolicyText::tr("the JWK's \"use\" is \"%1\", which is neither \"sig\" nor \"enc\"")
                                  .arg(metadata.use));
    }
    std::optional<KeyUse> fromOps;
    bool signingOps = false;
    bool encryptionOps = false;
    for (const QString& op : metadata.keyOps) {
        signingOps = signingOps || isSigningOp(op);
        encryptionOps = encryptionOps || isEncryptionOp(op);
    }
    // RFC 7517 §4.3: key_ops that mix signing and encryption "SHOULD NOT" be; a key store keeps a key for one use.
    if (signingOps && encryptionOps)
        return R::failure(ErrorCode::KeyUseForbidden,
                          KeyPolicyText::tr("the JWK's \"key_ops\" allow both signing and encryption (%1); a key "
                                            "serves one")
                              .arg(metadata.keyOps.join(QStringLiteral(", "))));
    if (signingOps)
        fromOps = KeyUse::Signing;
    else if (encryptionOps)
        fromOps = KeyUse::Encryption;
    else if (!metadata.keyOps.isEmpty())
        return R::failure(ErrorCode::KeyUseForbidden,
                          KeyPolicyText::tr("the JWK's \"key_ops\" (%1) allow neither signing nor encryption")
                              .arg(metadata.keyOps.join(QStringLiteral(", "))));
    if (fromUse && fromOps && fromUse != fromOps)
        return R::failure(
            ErrorCode::KeyUseForbidden,
            KeyPolicyText::tr("the JWK's \"use\" is \"%1\" but its \"key_ops\" (%2) are for %3")
                .arg(metadata.use, metadata.keyOps.join(QStringLiteral(", ")),
                     *fromOps == KeyUse::Signing ? KeyPolicyText::tr("signing") : KeyPolicyText::tr("encryption")));
    std::optional<KeyUse> fromAlg = metadata.alg.isEmpty() ? std::nullopt : algUse(metadata.alg);
    // dir keys may carry their enc as "alg" (checkKeyFitsJwe accepts it): an enc name means encryption too.
    if (!fromAlg && !metadata.alg.isEmpty() && findEnc(metadata.alg))
        fromAlg = KeyUse::Encryption;
    const std::optional<KeyUse> said = fromUse ? fromUse : fromOps;
    if (said && fromAlg && said != fromAlg)
        return R::failure(
            ErrorCode::KeyUseForbidden,
            KeyPolicyText::tr("the JWK's \"alg\" %1 is for %2, but its \"use\"/\"key_ops\" say %3")
                .arg(metadata.alg,
                     *fromAlg == KeyUse::Signing ? KeyPolicyText::tr("signing") : KeyPolicyText::tr("encryption"),
                     *said == KeyUse::Signing ? KeyPolicyText::tr("signing") : KeyPolicyText::tr("encryption")));
    return said ? said : fromAlg;
}

const EncInfo* directEncForSecretBytes(qsizetype bytes)
{
    // GCM first: for 32 bytes A256GCM and A128CBC-HS256 both fit, and GCM is what most peers pick for dir.
    const EncInfo* cbc = nullptr;
    for (const EncInfo& enc : allEncs()) {
        if (enc.cekBytes != bytes)
            continue;
        if (enc.digest == Digest::None)
            return &enc;
        if (!cbc)
            cbc = &enc;
    }
    return cbc;
}

Result<void> checkKeyServesAlg(const Key& key, QStringView alg, QStringView encName)
{
    if (const AlgInfo* info = findAlg(alg); info && info->scheme != SignatureScheme::None)
        return checkKeyFitsAlg(*info, key, key.hasPrivate() ? KeyPurpose::Sign : KeyPurpose::Verify);
    const KeyManagementInfo* management = findKeyManagement(alg);
    if (!management)
        return Result<void>::failure(
            ErrorCode::AlgUnknown,
            KeyPolicyText::tr("\"%1\" is neither a signing nor a JWE key-management algorithm").arg(alg));
    // The enc matters only for dir (the key is the CEK); any other alg takes every enc.
    const EncInfo* enc = &allEncs().front();
    if (management->mode == KeyManagementMode::Direct && key.type() == KeyType::Oct) {
        enc = encName.isEmpty() ? directEncForSecretBytes(key.secret().size()) : findEnc(encName);
        if (!enc)
            return Result<void>::failure(ErrorCode::KeyMismatch,
                                         KeyPolicyText::tr("dir needs a key of a CEK's size (128, 256, 384 or 512 "
                                                           "bits); this one has %1 bits")
                                             .arg(key.secret().size() * 8));
    }
    // Storing checks what the key could ever do: encrypt with its public half, or decrypt with its private one.
    return checkKeyFitsJwe(*management, *enc, key,
                           key.hasPrivate() || key.type() == KeyType::Oct ? JweKeyPurpose::Decrypt
                                                                          : JweKeyPurpose::Encrypt);
}

Result<KeySpec> keySpecForEncryptionAlg(const KeyManagementInfo& alg, int bits, const QString& curve,
                                        const EncInfo* enc)
{
    using R = Result<KeySpec>;
    KeySpec spec;
    switch (alg.mode) {
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1:
        if (!alg.canEncrypt)
            return R::failure(ErrorCode::AlgNotAllowed,
                              KeyPolicyText::tr("%1 is kept for decrypting old tokens only (%2); choose RSA-OAEP-256")
                                  .arg(alg.displayName(), QString::fromUtf8(alg.rfcSection)));
        spec.type = KeyType::Rsa;
        spec.bits = bits == 0 ? 2048 : bits;
        if (spec.bits < 2048)
            return R::failure(ErrorCode::KeyWeak,
                              KeyPolicyText::tr("RSA keys under 2048 bits are refused (RFC 7518 §4.3)"));
        if (spec.bits != 2048 && spec.bits != 3072 && spec.bits != 4096)
            return R::failure(ErrorCode::KeyUnsupported,
                              KeyPolicyText::tr("RSA keys are 2048, 3072 or 4096 bits, not %1").arg(spec.bits));
        return spec;
    case KeyManagementMode::EcdhEs:
    case KeyManagementMode::EcdhEsKeyWrap:
        spec.curve = curve.isEmpty() ? QStringLiteral("P-256") : curve;
        if (!isEcdhCurve(spec.curve))
            return R::failure(ErrorCode::KeyUnsupported,
                              KeyPolicyText::tr("%1 takes P-256, P-384, P-521, X25519 or X448, not \"%2\"")
                                  .arg(alg.displayName(), spec.curve));
        spec.type = spec.curve.startsWith(u'X') ? KeyType::Okp : KeyType::Ec;
        return spec;
    case KeyManagementMode::AesKeyWrap:
    case KeyManagementMode::AesGcmKeyWrap:
        spec.type = KeyType::Oct;
        spec.bits = alg.wrapKeyBytes * 8;
        if (bits != 0 && bits != spec.bits)
            return R::failure(ErrorCode::KeyUnsupported,
                              KeyPolicyText::tr("%1 needs a %2-bit key, not %3 bits")
                                  .arg(alg.displayName())
                                  .arg(spec.bits)
                                  .arg(bits));
        return spec;
    case KeyManagementMode::Direct:
        if (!enc)
            return R::failure(ErrorCode::Usage,
                              KeyPolicyText::tr("a dir key is the CEK of one content encryption: name the enc "
                                                "(A128GCM, A256GCM, A128CBC-HS256, …)"));
        spec.type = KeyType::Oct;
        spec.bits = enc->cekBytes * 8;
        return spec;
    case KeyManagementMode::Pbes2:
        spec.type = KeyType::Oct;
        spec.bits = kGeneratedPasswordBytes * 8;
        return spec;
    }
    return R::failure(ErrorCode::AlgUnknown, KeyPolicyText::tr("unknown algorithm"));
}

Result<KeySpec> keySpecForRequest(const KeyRequest& request)
{
    if (const AlgInfo* alg = findAlg(request.alg); alg && alg->scheme != SignatureScheme::None) {
        auto spec = keySpecForAlg(*alg, request.bits);
        // "EdDSA" names no curve: the request's (a rotated Ed448 key's) decides, Ed25519 when none.
        if (spec && alg->scheme == SignatureScheme::EdDsa && !alg->curve && request.curve.startsWith(u"Ed"))
            spec->curve = request.curve;
        return spec;
    }
    if (const KeyManagementInfo* alg = findKeyManagement(request.alg)) {
        const EncInfo* enc = request.enc.isEmpty() ? nullptr : findEnc(request.enc);
        if (!request.enc.isEmpty() && !enc)
            return Result<KeySpec>::failure(ErrorCode::AlgUnknown,
                                            KeyPolicyText::tr("\"%1\" is not a content encryption").arg(request.enc));
        return keySpecForEncryptionAlg(*alg, request.bits, request.curve, enc);
    }
    return Result<KeySpec>::failure(
        ErrorCode::AlgUnknown,
        KeyPolicyText::tr("\"%1\" is neither a signing nor a JWE key-management algorithm").arg(request.alg));
}

Result<Key> generateKeyForRequest(const KeyRequest& request, const std::atomic_bool* cancel)
{
    auto spec = keySpecForRequest(request);
    if (!spec)
        return spec.error();
    if (!isEncryptionAlg(request.alg))
        return generateKey(*spec, cancel);
    if (cancel && cancel->load())
        return Result<Key>::failure(ErrorCode::Crypto, QStringLiteral("cancelled"));
    const KeyManagementInfo* alg = findKeyManagement(request.alg);
    switch (spec->type) {
    case KeyType::Rsa:
        return generateKey(*spec, cancel);
    case KeyType::Ec:
    case KeyType::Okp:
        return generateEphemeralKey(spec->curve);
    case KeyType::Oct:
        if (alg->mode == KeyManagementMode::Pbes2) {
            auto random = randomSecret(kGeneratedPasswordBytes);
            if (!random)
                return random.error();
            QByteArray text = Base64Url::encode(random->view());
            Key password = Key::fromSecret(SecretBytes(text));
            wipeBytes(text);
            return password;
        }
        auto random = randomSecret(spec->bits / 8);
        if (!random)
            return random.error();
        return Key::fromSecret(*random);
    }
    return Result<Key>::failure(ErrorCode::KeyUnsupported, KeyPolicyText::tr("unknown key type"));
}

QString describeKeyFor(const Key& key, QStringView alg)
{
    if (key.type() != KeyType::Oct)
        return key.description();
    const KeyManagementInfo* management = findKeyManagement(alg);
    if (!management)
        return key.description();
    switch (management->mode) {
    case KeyManagementMode::AesKeyWrap:
    case KeyManagementMode::AesGcmKeyWrap:
        return KeyPolicyText::tr("AES key-wrap key (%1 bits)").arg(key.bits());
    case KeyManagementMode::Direct:
        return KeyPolicyText::tr("dir key (%1 bits)").arg(key.bits());
    case KeyManagementMode::Pbes2:
        return KeyPolicyText::tr("PBES2 password (%1 characters)").arg(key.secret().size());
    default:
        return key.description();
    }
}

bool kidDefaultsToThumbprint(const Key& key)
{
    return !key.isNull() && key.type() != KeyType::Oct;
}

QString defaultKid(const Key& key)
{
    if (kidDefaultsToThumbprint(key))
        return thumbprint(key);
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

Result<void> checkKid(QStringView kid)
{
    auto fail = [](const QString& message) { return Result<void>::failure(ErrorCode::Usage, message); };
    if (kid.isEmpty())
        return fail(KeyPolicyText::tr("the kid is empty"));
    if (kid.size() > kMaxKidLength)
        return fail(
            KeyPolicyText::tr("the kid has %1 characters; at most %2 are kept").arg(kid.size()).arg(kMaxKidLength));
    if (kid.front().isSpace() || kid.back().isSpace())
        return fail(KeyPolicyText::tr("the kid starts or ends with a space, which no one sees in a header"));
    for (qsizetype i = 0; i < kid.size(); ++i) {
        const QChar c = kid[i];
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format
            || c.category() == QChar::Other_Surrogate || c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return fail(KeyPolicyText::tr("the kid has an invisible or control character at character %1").arg(i + 1));
    }
    return {};
}

QDateTime retireAfterDate(const QDateTime& rotatedAt, int days)
{
    return rotatedAt.toUTC().addDays(days);
}

qint64 daysUntil(const QDateTime& retireAfter, const QDateTime& now)
{
    return now.toUTC().date().daysTo(retireAfter.toUTC().date());
}

QString rotatedKeyName(const QString& keySet, const QString& replacedName, const QDate& date)
{
    static const QRegularExpression trailingDate(
        QStringLiteral("\\s*\\d{4}-\\d{2}-\\d{2}(?:[ T]\\d{2}:\\d{2}(?::\\d{2})?)?$"));
    QString base = replacedName.trimmed();
    base.remove(trailingDate);
    if (base.isEmpty())
        base = keySet.isEmpty() ? KeyPolicyText::tr("key") : KeyPolicyText::tr("%1 key").arg(keySet);
    return QStringLiteral("%1 %2").arg(base, date.toString(Qt::ISODate));
}

KeyRequest rotationRequest(const QString& alg, const Key& replacedPublic, const QString& enc, int bits)
{
    KeyRequest request;
    request.alg = alg;
    request.enc = enc;
    request.bits = bits;
    if (!replacedPublic.isNull()) {
        if (bits == 0 && replacedPublic.type() == KeyType::Rsa)
            request.bits = replacedPublic.bits(); // a rotation never weakens the set
        if (replacedPublic.type() == KeyType::Ec || replacedPublic.type() == KeyType::Okp)
            request.curve = replacedPublic.curve();
    }
    return request;
}

} // namespace jwti
