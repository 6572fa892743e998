#pragma once

// JSON Web Encryption (RFC 7516) with the algorithms of RFC 7518 §4–5 and RFC 8037: parse the compact and the JSON
// serializations with every problem at its place, decrypt with candidate keys, encrypt into a compact JWE.

#include "core/crypto/Key.h"
#include "core/jose/Json.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QStringList>
#include <optional>
#include <vector>

namespace jwti {

enum class JweSerialization { Compact, JsonFlattened, JsonGeneral };

struct JweRecipient
{
    std::optional<JsonValue> header; // the per-recipient unprotected "header" (JSON forms)
    QByteArray encryptedKeyEncoded; // as received
    QByteArray encryptedKey;
};

struct Jwe
{
    JweSerialization serialization = JweSerialization::Compact;
    QByteArray protectedEncoded; // exactly as received: the AAD is made of it (RFC 7516 §5.1 step 14)
    std::optional<JsonValue> protectedHeader; // the decoded protected header (an object); absent when there is none
    std::optional<JsonValue> sharedHeader; // the JSON "unprotected" member
    std::vector<JweRecipient> recipients; // compact: exactly one
    QByteArray ivEncoded, iv;
    QByteArray ciphertextEncoded, ciphertext;
    QByteArray tagEncoded, tag;
    std::optional<QByteArray> aadEncoded; // the JSON "aad" member, as received

    // A member of recipient's JOSE header (RFC 7516 §7.2.1: the union of the protected, shared and per-recipient
    // headers, which parseJwe made sure are disjoint); nullptr when absent.
    const JsonValue* headerMember(int recipient, QStringView name) const;
    QString headerString(int recipient, QStringView name) const; // empty when absent or not a string
    // ASCII(BASE64URL(protected)), then '.' BASE64URL(aad) when there is an aad (RFC 7516 §5.1 step 14).
    QByteArray additionalData() const;
};

// Whether text looks like a JWE at all (five compact parts, or a JSON object with "ciphertext"): for commands that
// take either a JWS or a JWE.
bool looksLikeJwe(QByteArrayView text);

// The text trimmed of surrounding whitespace and nothing else. Errors name their place ("malformed token:
// initialization vector segment, character 412: …", "character 18: …") with codes MalformedToken, Base64, Json,
// HeaderInvalid, AlgUnknown or CritUnsupported. The header rules of RFC 7516: "alg" and "enc" in every recipient's
// header, the headers disjoint, "zip" only protected and only "DEF", "crit" only protected and understood (no extension
// is), no encrypted key for "dir" and "ECDH-ES" and one for every other alg, the IV and tag lengths of the "enc".
Result<Jwe> parseJwe(QByteArrayView text);

inline constexpr qsizetype kJweMaxInflatedBytes = 16 * 1024 * 1024;

struct JweDecryptOptions
{
    QString kid; // only candidates with this kid (--kid); empty: the header's kid picks, when a candidate has it
    QStringList allowedAlgs; // when non-empty, the header's alg must be one of these
    qsizetype maxInflatedBytes = kJweMaxInflatedBytes; // "zip": "DEF" plaintext cap, checked while inflating
};

struct JweDecryption
{
    QByteArray plaintext;
    int recipient = 0; // which recipient's encrypted key opened it
    QString alg;
    QString enc;
    QString zip;
    QString cty;
    Key key; // the key that decrypted
};

// Tries each recipient with each candidate that fits it. Failures: DecryptionFailed (a wrong key or a changed token,
// never which step), KeyMismatch/KeyWeak/KeyUseForbidden (no candidate fits; RSA under 2048 bits, a JWK whose "alg",
// "use" or "key_ops" forbid it), KeyInvalid (an ECDH-ES ephemeral key off its curve or on another), HeaderInvalid
// (PBES2 p2c outside 1000…1,000,000, a p2s under 8 bytes, a bad epk/iv/tag member), PayloadInvalid (a "zip"
// plaintext past the cap, or not DEFLATE), KeyNotFound (no candidates), AlgNotAllowed.
Result<JweDecryption> decryptJwe(const Jwe& jwe, const std::vector<Key>& candidates,
                                 const JweDecryptOptions& options = {});

struct JweEncryptOptions
{
    QString alg;
    QString enc;
    QString zip; // "DEF" or empty
    QString kid; // "kid" header member when non-empty
    QString cty; // "cty" header member when non-empty ("JWT" for a nested token)
    int p2c = 310000; // PBES2 iterations (within 1000…1,000,000)

    // Fixed inputs for known-answer tests; random or generated when empty.
    std::optional<SecretBytes> cek;
    QByteArray iv;
    std::optional<Key> ephemeralKey; // ECDH-ES: the ephemeral private key
    QByteArray p2s; // PBES2 salt
    QByteArray keyWrapIv; // A*GCMKW: the IV of the key wrap
    QByteArray apu;
    QByteArray apv;
    // The protected header exactly as encoded (a published example's): alg, enc, zip and the key management
    // parameters are read from it, and the options above must agree with it.
    QByteArray protectedEncoded;
};

// A compact JWE of plaintext for key (a public or private key, or a secret). Not RSA1_5 (RFC 7518 §4.2 keeps it for
// legacy decryption only).
Result<QByteArray> encryptJwe(QByteArrayView plaintext, const Key& key, const JweEncryptOptions& options);

} // namespace jwti
