#pragma once

#include "core/crypto/SecretBytes.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <memory>

struct evp_pkey_st; // OpenSSL's EVP_PKEY; only crypto/ sees its definition

namespace jwti {

enum class KeyType { Oct, Rsa, Ec, Okp };
QString keyTypeJwkName(KeyType type); // "RSA", "EC", "OKP", "oct" (RFC 7518 §6.1)

// Where a candidate key came from, as a verdict names it. A token's own jwk, x5c, jku or x5u is never a provenance:
// keys the token carries are shown and warned about, never trusted by themselves.
struct KeyProvenance
{
    enum class Kind {
        Typed, // entered in the window or given as --secret*
        File, // opened or given as --key FILE
        Keychain, // a key of the key store
        RemoteJwks, // a key store key fetched from an issuer's JWKS
    };
    Kind kind = Kind::Typed;
    // True when the user named this very key (typed or opened it, or picked a stored one by --kid): a signature it
    // does not verify makes the token invalid. False for stored keys merely tried because they fit.
    bool chosenByUser = true;
    QString file; // File: the path as given
    QString keySet; // Keychain, RemoteJwks: the key set
    QString keyId; // Keychain, RemoteJwks: the record id
    QString keyName; // Keychain, RemoteJwks: the record name
    QString status; // Keychain, RemoteJwks: "active", "verify-only" or "retired"
    QString url; // RemoteJwks: the JWKS address
    QDateTime fetched; // RemoteJwks: when it was fetched
};

// What a JWK (or the user) says about a key beyond its material.
struct KeyMetadata
{
    QString kid;
    QString alg;
    QString use; // "sig", "enc", or empty
    QStringList keyOps; // RFC 7517 §4.3
    QString source; // where it came from, for messages: a file name, "JWKS entry 2", "pasted text"
    KeyProvenance provenance;
};

// A key as a value: an HMAC secret or an OpenSSL key (shared, immutable once made).
class Key
{
public:
    Key() = default;
    static Key fromSecret(SecretBytes secret);
    // Takes ownership of pkey; hasPrivate is read from the key itself. The caller makes sure JWS can use the key type
    // (importKeys refuses DSA, X25519 and other curves); anything not EC or Ed25519/Ed448 is typed Rsa here.
    static Key adoptPkey(evp_pkey_st* pkey);

    bool isNull() const { return !m_pkey && !m_secret; }
    KeyType type() const { return m_type; }
    bool hasPrivate() const;
    int bits() const; // RSA modulus, EC order, OKP 256/456 (X25519 256, X448 448), oct secret size in bits
    QString
    curve() const; // "P-256", "P-384", "P-521", "secp256k1", "Ed25519", "Ed448", "X25519", "X448"; empty for RSA/oct
    QString jwkKty() const; // "RSA", "EC", "OKP", "oct"
    QString description() const; // "RSA 2048-bit public key", "EC P-256 private key", "HMAC secret (256 bits)"

    const SecretBytes& secret() const; // oct only; empty otherwise
    evp_pkey_st* pkey() const { return m_pkey.get(); }
    Key publicOnly() const; // the same key without private parts (oct: null)

    // A public key read as one member of a set (a JWKS) gets only the cheap checks when it is read: OpenSSL's full
    // public check costs milliseconds a key, too much for a set of thousands of which one is used. It runs instead
    // the first time the key verifies a signature, once per key however often the key is copied.
    void deferPublicCheck();
    // Empty when no check was deferred or it passed; OpenSSL's reason otherwise. Safe from several threads.
    QString deferredPublicCheckFailure() const;

    KeyMetadata metadata;

private:
    KeyType m_type = KeyType::Oct;
    bool m_hasPrivate = false; // read once from the key when it is adopted
    std::shared_ptr<evp_pkey_st> m_pkey;
    std::shared_ptr<const SecretBytes> m_secret;
    struct DeferredCheck;
    std::shared_ptr<DeferredCheck> m_deferredCheck;
};

} // namespace jwti
