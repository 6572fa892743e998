#include "core/crypto/KeyComponents.h"

#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <openssl/crypto.h>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "KeyComponents", for the messages here.
struct KeyComponentsText
{
    Q_DECLARE_TR_FUNCTIONS(KeyComponents)
};

namespace {

// RSA moduli beyond this are refused before OpenSSL does any arithmetic on them (a hostile JWK must stay cheap).
constexpr int kMaxRsaBits = 16384;

ossl::BnPtr bnFromBytes(QByteArrayView bytes)
{
    return ossl::BnPtr(
        BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), nullptr));
}

ossl::SecretBnPtr secretBnFromBytes(const SecretBytes& bytes)
{
    BIGNUM* bn = BN_secure_new();
    if (bn && !BN_bin2bn(bytes.bytes(), static_cast<int>(bytes.size()), bn)) {
        BN_clear_free(bn);
        bn = nullptr;
    }
    return ossl::SecretBnPtr(bn);
}

QByteArray bnBytes(const BIGNUM* bn, int padTo = 0)
{
    const int length = padTo > 0 ? padTo : BN_num_bytes(bn);
    QByteArray out(length, '\0');
    if (length > 0 && BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), length) != length)
        return {};
    return out;
}

SecretBytes secretBnBytes(const BIGNUM* bn, int padTo = 0)
{
    QByteArray out = bnBytes(bn, padTo);
    SecretBytes secret(out);
    wipeBytes(out);
    return secret;
}

QByteArray getBn(EVP_PKEY* pkey, const char* name, int padTo = 0)
{
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || !bn) {
        ossl::clearErrors();
        return {};
    }
    ossl::BnPtr owner(bn);
    return bnBytes(bn, padTo);
}

SecretBytes getSecretBn(EVP_PKEY* pkey, const char* name, int padTo = 0)
{
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(pkey, name, &bn) != 1 || !bn) {
        ossl::clearErrors();
        return {};
    }
    ossl::SecretBnPtr owner(bn);
    return secretBnBytes(bn, padTo);
}

Result<Key> fromData(const char* type, OSSL_PARAM_BLD* builder, int selection)
{
    ossl::ParamsPtr params(OSSL_PARAM_BLD_to_param(builder));
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* pkey = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1
        || EVP_PKEY_fromdata(ctx.get(), &pkey, selection, params.get()) != 1 || !pkey) {
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("OpenSSL refused the %1 key: %2")
                                        .arg(QString::fromLatin1(type), ossl::drainErrors()));
    }
    return Key::adoptPkey(pkey);
}

// Checks the key as OpenSSL sees it: the public part always, and that the private half belongs to it.
Result<void> checkKey(const Key& key, bool pairwise)
{
    ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.pkey(), nullptr));
    if (!ctx)
        return Result<void>::failure(ErrorCode::Crypto, ossl::drainErrors());
    if (EVP_PKEY_public_check(ctx.get()) != 1)
        return Result<void>::failure(ErrorCode::KeyInvalid,
                                     KeyComponentsText::tr("the public key is not valid (%1)")
                                         .arg(ossl::drainErrors(KeyComponentsText::tr("check failed"))));
    if (pairwise && EVP_PKEY_pairwise_check(ctx.get()) != 1)
        return Result<void>::failure(ErrorCode::KeyInvalid,
                                     KeyComponentsText::tr("the private key does not match the public key (%1)")
                                         .arg(ossl::drainErrors(KeyComponentsText::tr("check failed"))));
    return {};
}

} // namespace

int curveCoordinateBytes(QStringView curve)
{
    if (curve == u"Ed25519")
        return 32;
    if (curve == u"Ed448")
        return 57;
    if (curve == u"X25519")
        return 32;
    if (curve == u"X448")
        return 56;
    return ossl::fieldBytesForCurve(curve);
}

Result<Key> makeRsaKey(const RsaComponents& components)
{
    auto trimmedBits = [](QByteArrayView bytes) {
        qsizetype i = 0;
        while (i < bytes.size() && bytes[i] == '\0')
            ++i;
        return (bytes.size() - i) * 8;
    };
    if (trimmedBits(components.n) == 0)
        return Result<Key>::failure(ErrorCode::KeyInvalid, KeyComponentsText::tr("RSA modulus \"n\" is zero"));
    if (trimmedBits(components.n) > kMaxRsaBits)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyComponentsText::tr("RSA modulus of more than %1 bits is not supported").arg(kMaxRsaBits));
    if (trimmedBits(components.e) == 0 || components.e.size() > 64)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("RSA exponent \"e\" is zero or too long"));

    const bool isPrivate = !components.d.isEmpty();
    const SecretBytes* crt[] = {&components.p, &components.q, &components.dp, &components.dq, &components.qi};
    int crtPresent = 0;
    for (const SecretBytes* part : crt)
        crtPresent += part->isEmpty() ? 0 : 1;
    if (!isPrivate && crtPresent > 0)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("RSA JWK has prime factors but no private exponent \"d\""));
    // RFC 7518 §6.3.2: p, q, dp, dq and qi come together or not at all.
    if (crtPresent != 0 && crtPresent != 5)
        return Result<Key>::failure(
            ErrorCode::KeyInvalid,
            KeyComponentsText::tr("RSA JWK must have all of \"p\", \"q\", \"dp\", \"dq\", \"qi\" or "
                                  "none of them (RFC 7518 §6.3.2)"));

    ossl::ParamBldPtr builder(OSSL_PARAM_BLD_new());
    ossl::BnPtr n = bnFromBytes(components.n);
    ossl::BnPtr e = bnFromBytes(components.e);
    if (!builder || !n || !e || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get())
        || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
        return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());

    ossl::SecretBnPtr secrets[6];
    if (isPrivate) {
        const char* names[]
            = {OSSL_PKEY_PARAM_RSA_D,         OSSL_PKEY_PARAM_RSA_FACTOR1,   OSSL_PKEY_PARAM_RSA_FACTOR2,
               OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_COEFFICIENT1};
        const SecretBytes* values[]
            = {&components.d, &components.p, &components.q, &components.dp, &components.dq, &components.qi};
        const int count = crtPresent == 5 ? 6 : 1;
        for (int i = 0; i < count; ++i) {
            secrets[i] = secretBnFromBytes(*values[i]);
            if (!secrets[i] || !OSSL_PARAM_BLD_push_BN(builder.get(), names[i], secrets[i].get()))
                return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
        }
    }
    if (!isPrivate && components.structuralCheckOnly) {
        // SP 800-56B §6.4.2.2's cheap part: an even modulus or an even, tiny or oversized exponent is no RSA key.
        const bool nOdd = BN_is_odd(n.get()) == 1;
        const bool eOdd = BN_is_odd(e.get()) == 1;
        const ossl::BnPtr three(BN_new());
        const bool eBigEnough = three && BN_set_word(three.get(), 3) == 1 && BN_cmp(e.get(), three.get()) >= 0;
        if (!nOdd || !eOdd || !eBigEnough || BN_cmp(e.get(), n.get()) >= 0)
            return Result<Key>::failure(ErrorCode::KeyInvalid,
                                        KeyComponentsText::tr("RSA key: the public key is not valid (n must be odd, "
                                                              "e odd with 3 <= e < n)"));
    }
    auto key = fromData("RSA", builder.get(), isPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
    if (!key)
        return key;
    if (!isPrivate && components.structuralCheckOnly) {
        key->deferPublicCheck();
        return key;
    }
    // Without the prime factors OpenSSL has nothing to pair d with; the public check still runs.
    auto checked = checkKey(*key, isPrivate && crtPresent == 5);
    if (!checked)
        return Result<Key>::failure(checked.code(), KeyComponentsText::tr("RSA key: %1").arg(checked.message()));
    return key;
}

Result<Key> makeEcKey(const EcComponents& components)
{
    const char* group = ossl::groupNameForCurve(components.curve);
    const int field = ossl::fieldBytesForCurve(components.curve);
    if (!group || field == 0)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyComponentsText::tr("EC curve \"%1\" is not supported (P-256, P-384, P-521, secp256k1)")
                .arg(components.curve));
    // RFC 7518 §6.2.1.2/3: x and y are exactly the field size; §6.2.2.1: so is d.
    if (components.x.size() != field)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("EC \"x\" is %1 bytes; %2 needs %3")
                                        .arg(components.x.size())
                                        .arg(components.curve)
                                        .arg(field));
    if (components.y.size() != field)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("EC \"y\" is %1 bytes; %2 needs %3")
                                        .arg(components.y.size())
                                        .arg(components.curve)
                                        .arg(field));
    const bool isPrivate = !components.d.isEmpty();
    if (isPrivate && components.d.size() != field)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("EC \"d\" is %1 bytes; %2 needs %3")
                                        .arg(components.d.size())
                                        .arg(components.curve)
                                        .arg(field));

    QByteArray point;
    point.reserve(1 + 2 * field);
    point.append('\x04');
    point.append(components.x);
    point.append(components.y);

    ossl::ParamBldPtr builder(OSSL_PARAM_BLD_new());
    if (!builder || !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0)
        || !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.constData(),
                                             static_cast<size_t>(point.size())))
        return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
    ossl::SecretBnPtr d;
    if (isPrivate) {
        d = secretBnFromBytes(components.d);
        if (!d || !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()))
            return Result<Key>::failure(ErrorCode::Crypto, ossl::drainErrors());
    }
    auto key = fromData("EC", builder.get(), isPrivate ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY);
    if (!key)
        return Result<Key>::failure(
            ErrorCode::KeyInvalid,
            KeyComponentsText::tr("EC point is not on %1 (%2)").arg(components.curve, key.message()));
    auto checked = checkKey(*key, isPrivate);
    if (!checked)
        return Result<Key>::failure(checked.code(), KeyComponentsText::tr("EC key: %1").arg(checked.message()));
    return key;
}

Result<Key> makeOkpKey(const OkpComponents& components)
{
    const char* type = components.curve == u"Ed25519" ? "ED25519"
        : components.curve == u"Ed448"                ? "ED448"
        : components.curve == u"X25519"               ? "X25519"
        : components.curve == u"X448"                 ? "X448"
                                                      : nullptr;
    if (!type)
        return Result<Key>::failure(
            ErrorCode::KeyUnsupported,
            KeyComponentsText::tr("OKP curve \"%1\" is not supported (Ed25519, Ed448, X25519, X448)")
                .arg(components.curve));
    const int length = curveCoordinateBytes(components.curve);
    if (components.x.size() != length)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("OKP \"x\" is %1 bytes; %2 needs %3")
                                        .arg(components.x.size())
                                        .arg(components.curve)
                                        .arg(length));
    if (components.d.isEmpty()) {
        EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key_ex(
            nullptr, type, nullptr, reinterpret_cast<const unsigned char*>(components.x.constData()),
            static_cast<size_t>(components.x.size()));
        if (!pkey)
            return Result<Key>::failure(ErrorCode::KeyInvalid,
                                        KeyComponentsText::tr("OKP key refused: %1").arg(ossl::drainErrors()));
        return Key::adoptPkey(pkey);
    }
    if (components.d.size() != length)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("OKP \"d\" is %1 bytes; %2 needs %3")
                                        .arg(components.d.size())
                                        .arg(components.curve)
                                        .arg(length));
    EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key_ex(nullptr, type, nullptr, components.d.bytes(),
                                                     static_cast<size_t>(components.d.size()));
    if (!pkey)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("OKP key refused: %1").arg(ossl::drainErrors()));
    Key key = Key::adoptPkey(pkey);
    // RFC 8037 §2: x is derived from d; a JWK whose x is another key's is inconsistent.
    if (okpComponents(key, false).x != components.x)
        return Result<Key>::failure(ErrorCode::KeyInvalid,
                                    KeyComponentsText::tr("OKP \"x\" is not the public key of \"d\""));
    return key;
}

RsaComponents rsaComponents(const Key& key, bool includePrivate)
{
    RsaComponents out;
    EVP_PKEY* pkey = key.pkey();
    if (!pkey || key.type() != KeyType::Rsa)
        return out;
    out.n = getBn(pkey, OSSL_PKEY_PARAM_RSA_N);
    out.e = getBn(pkey, OSSL_PKEY_PARAM_RSA_E);
    if (includePrivate && key.hasPrivate()) {
        out.d = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_D);
        out.p = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR1);
        out.q = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_FACTOR2);
        out.dp = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT1);
        out.dq = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_EXPONENT2);
        out.qi = getSecretBn(pkey, OSSL_PKEY_PARAM_RSA_COEFFICIENT1);
    }
    return out;
}

EcComponents ecComponents(const Key& key, bool includePrivate)
{
    EcComponents out;
    EVP_PKEY* pkey = key.pkey();
    if (!pkey || key.type() != KeyType::Ec)
        return out;
    out.curve = key.curve();
    const int field = ossl::fieldBytesForCurve(out.curve);
    if (field == 0)
        return out;
    out.x = getBn(pkey, OSSL_PKEY_PARAM_EC_PUB_X, field);
    out.y = getBn(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, field);
    if (includePrivate && key.hasPrivate())
        out.d = getSecretBn(pkey, OSSL_PKEY_PARAM_PRIV_KEY, field);
    return out;
}

OkpComponents okpComponents(const Key& key, bool includePrivate)
{
    OkpComponents out;
    EVP_PKEY* pkey = key.pkey();
    if (!pkey || key.type() != KeyType::Okp)
        return out;
    out.curve = key.curve();
    size_t length = 0;
    if (EVP_PKEY_get_raw_public_key(pkey, nullptr, &length) == 1) {
        out.x.resize(static_cast<qsizetype>(length));
        if (EVP_PKEY_get_raw_public_key(pkey, reinterpret_cast<unsigned char*>(out.x.data()), &length) != 1)
            out.x.clear();
    }
    if (includePrivate && key.hasPrivate() && EVP_PKEY_get_raw_private_key(pkey, nullptr, &length) == 1) {
        QByteArray d(static_cast<qsizetype>(length), '\0');
        if (EVP_PKEY_get_raw_private_key(pkey, reinterpret_cast<unsigned char*>(d.data()), &length) == 1)
            out.d = SecretBytes(d);
        wipeBytes(d);
    }
    ossl::clearErrors();
    return out;
}

} // namespace jwti
