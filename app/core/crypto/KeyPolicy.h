#pragma once

// The key rules every face follows (the wizard, the key manager, the signing editor, `keygen`, `keys` and the key
// store): what a key is for, which alg it serves by default, its default kid, what kids are acceptable, and how a
// rotation names and dates its keys. Written once here so no face decides one of them differently.

#include "core/crypto/Key.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Result.h"

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <optional>

namespace jwti {

struct EncInfo;
struct KeyManagementInfo;

// What a key is kept for: signing and verifying JWS, or JWE key management (wrapping, agreeing or deriving the
// content encryption key). RFC 7517 §4.2 ("use": "sig" or "enc"): one key never serves both.
enum class KeyUse { Signing, Encryption };

QString keyUseJwkName(KeyUse use); // "sig", "enc"
std::optional<KeyUse> keyUseFromJwkName(QStringView name);

std::optional<KeyType> keyTypeFromJwkName(QStringView kty);

// --- algs, read from the JWS table (Algorithms.h) and the JWE key-management table (KeyManagement.h)

// Signing for a JWS alg other than "none", Encryption for a JWE key-management alg, nothing otherwise.
std::optional<KeyUse> algUse(QStringView alg);
bool isSigningAlg(QStringView alg);
bool isEncryptionAlg(QStringView alg);
// The algs a key of this use can be made for, in table order: signing without "none"; encryption without RSA1_5,
// which RFC 7518 §4.2 leaves for decrypting old tokens.
QStringList algNamesForUse(KeyUse use);
// The JWS alg of a scheme and digest ("RS256" for RsaPkcs1 + Sha256); empty when the table has none.
QString signingAlgName(SignatureScheme scheme, Digest digest);
// The JWS alg of an ECDSA curve ("P-384" → "ES384"); empty when none.
QString ecdsaAlgForCurve(QStringView curve);

// The alg a key serves when nothing says otherwise. Signing: RS256, ES256/384/512 (ES256K) by curve, EdDSA,
// HS256/384/512 by the secret's size (the largest hash it is long enough for, RFC 7518 §3.2). Encryption:
// RSA-OAEP-256, ECDH-ES for EC and X25519/X448, A128KW/A192KW/A256KW for a secret of that size, else PBES2-HS256+A128KW
// (a secret of another length is a password). Empty when the key cannot serve the use.
QString defaultAlgForKey(const Key& key, KeyUse use = KeyUse::Signing);

// What a key's JWK says it may do: its "use", else its "key_ops" (sign/verify vs encrypt/decrypt/wrapKey/unwrapKey/
// deriveKey/deriveBits), else its "alg". Nothing when the JWK says nothing; KeyUseForbidden when they contradict
// each other (a "use" of "sig" with "key_ops" ["encrypt"], key_ops of both kinds).
Result<std::optional<KeyUse>> keyUseFromMetadata(const KeyMetadata& metadata);

// Whether key can be kept for alg: a signing alg through checkKeyFitsAlg, an encryption alg through the JWE key
// rules (RSA at least 2048 bits, an AES key of the wrap size, a dir secret of one enc's CEK size, an ECDH curve,
// a non-empty password). For dir, enc names the content encryption (empty: the one of the key's length). AlgUnknown
// for an alg of neither kind.
Result<void> checkKeyServesAlg(const Key& key, QStringView alg, QStringView enc = {});

// "dir" uses the key as the CEK itself: the enc whose CEK has exactly bytes bytes (A128GCM for 16, A256GCM for 32 is
// preferred over A128CBC-HS256, A192CBC-HS384 for 48, A256CBC-HS512 for 64); nullptr for any other size.
const EncInfo* directEncForSecretBytes(qsizetype bytes);

// The key an encryption alg needs. RSA-OAEP*: RSA of bits (0: 2048; RFC 7518 §4.2/§4.3 refuse less); ECDH-ES*: the
// curve (empty: P-256; P-384, P-521, X25519, X448); A*KW, A*GCMKW: an AES key of the wrap size; dir: a secret of enc's
// CEK size (enc required); PBES2: a password (see generateKeyForAlg).
Result<KeySpec> keySpecForEncryptionAlg(const KeyManagementInfo& alg, int bits = 0, const QString& curve = {},
                                        const EncInfo* enc = nullptr);

// What a new key for alg is to be: its use and spec (bits/curve/enc as above; for a signing alg bits as
// keySpecForAlg takes them) — so callers never branch on the kind of alg themselves.
struct KeyRequest
{
    QString alg;
    int bits = 0;
    QString curve; // ECDH-ES: P-256 (default), P-384, P-521, X25519, X448
    QString enc; // dir: the content encryption the key is the CEK of
};
Result<KeySpec> keySpecForRequest(const KeyRequest& request);
// Generates the key a request names from the CSPRNG; a PBES2 password is 256 random bits written as 43 base64url
// characters, so a person can type it into another tool. kid and alg are not set (defaultKid, request.alg).
Result<Key> generateKeyForRequest(const KeyRequest& request, const std::atomic_bool* cancel = nullptr);

// "RSA 2048-bit private key"; for secrets what they are for: "HMAC secret (256 bits)", "AES key-wrap key (128 bits)",
// "dir key (256 bits)", "PBES2 password (43 characters)".
QString describeKeyFor(const Key& key, QStringView alg);

// --- kid

// RFC 7638 §1: a public key's thumbprint is a kid that needs no registry. A secret gets a random UUID instead: the
// thumbprint of a secret is a hash of it, which anyone who sees a token could test guesses against.
bool kidDefaultsToThumbprint(const Key& key);
QString defaultKid(const Key& key);
// A kid the key store and the token header can carry: 1 to 256 characters, no control characters, no leading or
// trailing whitespace (a header member a person cannot tell apart from another). The message says which rule.
Result<void> checkKid(QStringView kid);

// --- rotation

// How long the replaced key stays verify-only by default, and the longest a person may choose.
inline constexpr int kDefaultRetireAfterDays = 30;
inline constexpr int kMaxRetireAfterDays = 3650;
// The moment a key turned verify-only at rotatedAt may be retired.
QDateTime retireAfterDate(const QDateTime& rotatedAt, int days);
// Whole days from now until retireAfter (negative once past; 0 on the day).
qint64 daysUntil(const QDateTime& retireAfter, const QDateTime& now);
// The name of the key a rotation makes, read as the same set's next key: the replaced key's name with its date
// (a trailing yyyy-MM-dd, if any) replaced by date ("RS256 key" → "RS256 key 2026-12-06", "api 2026-01-02" → "api
// 2026-12-06"); when the old name is empty, "<set> key <date>".
QString rotatedKeyName(const QString& keySet, const QString& replacedName, const QDate& date);
// The key a rotation makes: the same alg, and what the alg leaves open taken from the replaced key so the set keeps
// its strength: an RSA key's modulus size, an ECDH-ES key's curve, a dir key's enc. replacedPublic is the replaced
// key's public half (null for a secret, whose size the alg or enc decides); bits, when non-zero, overrides.
KeyRequest rotationRequest(const QString& alg, const Key& replacedPublic, const QString& enc = {}, int bits = 0);

} // namespace jwti
