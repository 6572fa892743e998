#pragma once

#include "core/crypto/Key.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace jwti {

// active: signs and verifies; verify-only: kept in the set's JWKS so tokens it signed still verify (after a
// rotation); retired: out of the JWKS, kept only so the user can see or delete it.
enum class KeyStatus { Active, VerifyOnly, Retired };

QString keyStatusName(KeyStatus status); // "active", "verify-only", "retired"
std::optional<KeyStatus> keyStatusFromName(QStringView name);

// What the index file knows about one key: never the private key or the HMAC secret, which live in the keychain
// under the entry "key/<id>", or for keys imported many at once in a shared entry "pack/<secretPack>" (SecretPack.h).
struct KeyRecord
{
    QString id; // a random UUID; names the keychain entry
    QString name;
    QString keySet;
    QString kid;
    // Signing: a JWS alg. Encryption: a JWE key-management alg (RSA-OAEP, ECDH-ES+A128KW, A256KW, dir, PBES2-…).
    QString alg;
    // Index member "use": "sig" or "enc"; absent in files written before encryption keys, which all held signing keys.
    KeyUse use = KeyUse::Signing;
    // dir keys only: the content encryption whose CEK the key is (its length decides it); a rotation keeps it.
    QString enc;
    QString kty; // "RSA", "EC", "OKP", "oct"
    QString description; // "RSA 2048-bit private key"
    KeyStatus status = KeyStatus::Active;
    QDateTime created;
    QDateTime retireAfter; // null when none
    // The public JWK (RFC 7517) without kid/alg; empty for HMAC secrets, which have no public half.
    QJsonObject publicJwk;
    // RFC 7638 thumbprint of the public key; empty for HMAC secrets (a hash of the secret would let anyone who
    // reads the index test guesses of it offline).
    QString thumbprint;
    bool hasSecret = false; // private key or secret in the keychain
    QString secretPack; // the keychain pack that holds the secret; empty: its own entry "key/<id>"
    QString rotatedFrom; // id of the key this one replaced
    QString rotatedTo; // id of the key that replaced this one
    QString source; // "generated", a file name, or the URL of a remote JWKS
    bool remote = false; // fetched from a JWKS URL or OpenID issuer; public, verify-only
    QDateTime fetched; // remote: when
    QString jwksUrl; // remote: the JWKS document itself (an issuer's jwks_uri)
    // A delete in progress: set before the keychain entry is removed, so a crash in between leaves a marked entry
    // (`keys check` finishes the delete) instead of an index entry that claims a secret nobody can read.
    bool deleting = false;
    // Members this program does not know (written by a newer one, or by hand): kept as they are on every rewrite.
    QJsonObject unknownMembers;

    QJsonObject toJson() const;
    // Strict: every known member must have its type, the required ones must be there, the status must be known.
    // The message names the member ("\"hasSecret\" must be true or false, not a string").
    static Result<KeyRecord> fromJson(const QJsonObject& json);
    // The members fromJson knows.
    static const QStringList& knownMembers();

    QString keychainEntry() const
    {
        return secretPack.isEmpty() ? QStringLiteral("key/") + id : QStringLiteral("pack/") + secretPack;
    }
    bool inJwks() const { return !deleting && (status == KeyStatus::Active || status == KeyStatus::VerifyOnly); }
    bool isEncryptionKey() const { return use == KeyUse::Encryption; }
    // kty as the enum (fromJson accepts only the four JWK names, so every stored record has one).
    KeyType keyType() const { return keyTypeFromJwkName(kty).value_or(KeyType::Oct); }
    bool isSecret() const { return keyType() == KeyType::Oct; }
    // The public key rebuilt from publicJwk, with kid, alg and use as metadata (KeyInvalid for secrets).
    Result<Key> publicKey() const;
};

// Fills the non-secret fields of a new record from key (kty, description, public JWK, thumbprint); with alg, the
// description says what a secret is for ("AES key-wrap key (128 bits)").
KeyRecord describeKey(const Key& key, QStringView alg = {});

// The key a record's keychain secret holds, with the record's kid, alg and use as metadata. The one rule every reader
// of secrets follows (loading, `keys check`): an oct record's secret is the key itself; any other must be exactly
// one private key (PKCS#8 DER, as the store writes them), else the entry is unreadable (KeyInvalid).
Result<Key> keyFromSecret(const KeyRecord& record, const SecretBytes& secret);

} // namespace jwti
