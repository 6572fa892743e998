#include "core/crypto/Key.h"

#include "core/crypto/OpenSslHandles.h"

#include <QCoreApplication>
#include <mutex>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Key", for the messages here.
struct KeyText
{
    Q_DECLARE_TR_FUNCTIONS(Key)
};

namespace {

// Whether the key holds its private half. OpenSSL queues an error when a parameter is absent: that absence is the
// answer, not a failure, so the queue is restored to where it was.
bool pkeyHasPrivate(EVP_PKEY* pkey)
{
    ERR_set_mark();
    bool found = false;
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS: {
        BIGNUM* d = nullptr;
        found = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_D, &d) == 1 && d;
        BN_clear_free(d);
        break;
    }
    case EVP_PKEY_EC: {
        BIGNUM* d = nullptr;
        found = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d) == 1 && d;
        BN_clear_free(d);
        break;
    }
    default: {
        size_t length = 0;
        found = EVP_PKEY_get_raw_private_key(pkey, nullptr, &length) == 1 && length > 0;
        break;
    }
    }
    ERR_pop_to_mark();
    return found;
}

} // namespace

struct Key::DeferredCheck
{
    std::once_flag once;
    QString failure;
};

Key Key::fromSecret(SecretBytes secret)
{
    Key key;
    key.m_type = KeyType::Oct;
    key.m_secret = std::make_shared<const SecretBytes>(std::move(secret));
    key.m_hasPrivate = true;
    return key;
}

Key Key::adoptPkey(evp_pkey_st* pkey)
{
    Key key;
    if (!pkey)
        return key;
    key.m_pkey = std::shared_ptr<evp_pkey_st>(pkey, EVP_PKEY_free);
    switch (EVP_PKEY_get_base_id(pkey)) {
    case EVP_PKEY_EC:
        key.m_type = KeyType::Ec;
        break;
    case EVP_PKEY_ED25519:
    case EVP_PKEY_ED448:
    case EVP_PKEY_X25519: // RFC 8037 §3.2: ECDH-ES keys
    case EVP_PKEY_X448:
        key.m_type = KeyType::Okp;
        break;
    default:
        key.m_type = KeyType::Rsa;
        break;
    }
    key.m_hasPrivate = pkeyHasPrivate(pkey);
    return key;
}

bool Key::hasPrivate() const
{
    return !isNull() && m_hasPrivate;
}

int Key::bits() const
{
    if (m_secret)
        return static_cast<int>(m_secret->size() * 8);
    if (!m_pkey)
        return 0;
    switch (EVP_PKEY_get_base_id(m_pkey.get())) {
    case EVP_PKEY_ED25519:
        return 256;
    case EVP_PKEY_ED448:
        return 456;
    case EVP_PKEY_X25519:
        return 256;
    case EVP_PKEY_X448:
        return 448;
    default:
        return EVP_PKEY_get_bits(m_pkey.get());
    }
}

QString Key::curve() const
{
    if (!m_pkey)
        return {};
    switch (EVP_PKEY_get_base_id(m_pkey.get())) {
    case EVP_PKEY_ED25519:
        return QStringLiteral("Ed25519");
    case EVP_PKEY_ED448:
        return QStringLiteral("Ed448");
    case EVP_PKEY_X25519:
        return QStringLiteral("X25519");
    case EVP_PKEY_X448:
        return QStringLiteral("X448");
    case EVP_PKEY_EC: {
        char name[80] = {};
        size_t length = 0;
        if (EVP_PKEY_get_utf8_string_param(m_pkey.get(), OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length) != 1) {
            ossl::clearErrors();
            return {};
        }
        return ossl::curveForGroupName(name);
    }
    default:
        return {};
    }
}

QString keyTypeJwkName(KeyType type)
{
    switch (type) {
    case KeyType::Oct:
        return QStringLiteral("oct");
    case KeyType::Rsa:
        return QStringLiteral("RSA");
    case KeyType::Ec:
        return QStringLiteral("EC");
    case KeyType::Okp:
        return QStringLiteral("OKP");
    }
    return {};
}

QString Key::jwkKty() const
{
    return isNull() ? QString() : keyTypeJwkName(m_type);
}

QString Key::description() const
{
    if (isNull())
        return KeyText::tr("no key");
    const QString half = hasPrivate() ? KeyText::tr("private key") : KeyText::tr("public key");
    switch (m_type) {
    case KeyType::Oct:
        return KeyText::tr("HMAC secret (%1 bits)").arg(bits());
    case KeyType::Rsa:
        if (m_pkey && EVP_PKEY_get_base_id(m_pkey.get()) == EVP_PKEY_RSA_PSS)
            return KeyText::tr("RSA-PSS %1-bit %2").arg(bits()).arg(half);
        return KeyText::tr("RSA %1-bit %2").arg(bits()).arg(half);
    case KeyType::Ec:
        return KeyText::tr("EC %1 %2").arg(curve(), half);
    case KeyType::Okp:
        return QStringLiteral("%1 %2").arg(curve(), half);
    }
    return {};
}

const SecretBytes& Key::secret() const
{
    static const SecretBytes empty;
    return m_secret ? *m_secret : empty;
}

Key Key::publicOnly() const
{
    if (!m_pkey)
        return {};
    if (!m_hasPrivate)
        return *this;
    // The SubjectPublicKeyInfo round trip keeps exactly the public half, for every key type OpenSSL knows.
    unsigned char* der = nullptr;
    const int length = i2d_PUBKEY(m_pkey.get(), &der);
    if (length <= 0) {
        ossl::clearErrors();
        return {};
    }
    const unsigned char* cursor = der;
    EVP_PKEY* publicKey = d2i_PUBKEY(nullptr, &cursor, length);
    OPENSSL_free(der);
    if (!publicKey) {
        ossl::clearErrors();
        return {};
    }
    Key key = adoptPkey(publicKey);
    key.metadata = metadata;
    return key;
}

void Key::deferPublicCheck()
{
    if (m_pkey)
        m_deferredCheck = std::make_shared<DeferredCheck>();
}

QString Key::deferredPublicCheckFailure() const
{
    if (!m_deferredCheck)
        return {};
    DeferredCheck& check = *m_deferredCheck;
    std::call_once(check.once, [&] {
        ossl::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, m_pkey.get(), nullptr));
        if (!ctx || EVP_PKEY_public_check(ctx.get()) != 1)
            check.failure
                = KeyText::tr("the public key is not valid (%1)").arg(ossl::drainErrors(KeyText::tr("check failed")));
    });
    return check.failure;
}

} // namespace jwti
