#pragma once

// JWE key management (RFC 7518 §4, RFC 8037 §3.2): how the Content Encryption Key is wrapped, agreed or derived.
// OpenSSL EVP primitives only: key wrap (RFC 3394), RSA OAEP and PKCS#1 v1.5, ECDH and X25519/X448 with the Concat
// KDF (SP 800-56A, OpenSSL's SSKDF), AES-GCM and PBKDF2.

#include "core/crypto/Key.h"
#include "core/crypto/SecretBytes.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QStringView>
#include <span>

namespace jwti {

enum class KeyManagementMode {
    RsaOaep, // RSA-OAEP (SHA-1), RSA-OAEP-256
    RsaPkcs1, // RSA1_5: decrypt only
    AesKeyWrap, // A128KW …
    Direct, // dir: the key is the CEK
    EcdhEs, // ECDH-ES: the agreed key is the CEK
    EcdhEsKeyWrap, // ECDH-ES+A128KW …: the agreed key wraps the CEK
    AesGcmKeyWrap, // A128GCMKW …
    Pbes2, // PBES2-HS256+A128KW …
};

// One row per JWE "alg" (RFC 7518 §4.1).
struct KeyManagementInfo
{
    const char* name; // exact "alg" value
    KeyManagementMode mode;
    int wrapKeyBytes; // the AES key-wrap / GCM key length; 0 when there is none
    Digest digest; // RSA-OAEP's hash, PBES2's HMAC hash; None otherwise
    bool canEncrypt; // false for RSA1_5 (RFC 7518 §4.2 leaves it for legacy decryption; we never produce it)
    const char* rfcSection;

    QString displayName() const { return QString::fromLatin1(name); }
    bool hasEncryptedKey() const { return mode != KeyManagementMode::Direct && mode != KeyManagementMode::EcdhEs; }
    bool isEcdh() const { return mode == KeyManagementMode::EcdhEs || mode == KeyManagementMode::EcdhEsKeyWrap; }
};

const KeyManagementInfo* findKeyManagement(QStringView name);
std::span<const KeyManagementInfo> allKeyManagements();

// PBES2 iteration bounds: fewer than kPbes2MinCount is too weak to mean anything; more than kPbes2MaxCount lets a
// token make the decrypter spend seconds (a denial of service).
inline constexpr qint64 kPbes2MinCount = 1000;
inline constexpr qint64 kPbes2MaxCount = 1000000;

// AES Key Wrap (RFC 3394) with a 16/24/32-byte key. Unwrapping fails with DecryptionFailed, no detail.
Result<QByteArray> aesKeyWrap(const SecretBytes& kek, const SecretBytes& cek);
Result<SecretBytes> aesKeyUnwrap(const SecretBytes& kek, QByteArrayView wrapped);

// RSA-OAEP / RSA-OAEP-256 / RSA1_5. rsaUnwrap for RSA1_5 never fails on the ciphertext: a bad padding or a CEK of
// the wrong length becomes a random CEK of cekBytes (RFC 7516 §11.5), so the failure shows only at the tag check.
Result<QByteArray> rsaWrap(const KeyManagementInfo& alg, const Key& key, const SecretBytes& cek);
Result<SecretBytes> rsaUnwrap(const KeyManagementInfo& alg, const Key& key, QByteArrayView encryptedKey, int cekBytes);

// The ECDH shared secret Z (RFC 7518 §4.6.2) of a private key and a peer's public key, which must be on the same
// curve and pass OpenSSL's public-key check (invalid-curve attacks); an all-zero Z (a low-order X25519/X448 point,
// RFC 7748 §6.1) is refused.
Result<SecretBytes> ecdhSharedSecret(const Key& privateKey, const Key& peerPublicKey);

// The Concat KDF's OtherInfo (RFC 7518 §4.6.2): AlgorithmID || PartyUInfo || PartyVInfo || SuppPubInfo.
QByteArray concatKdfOtherInfo(QByteArrayView algorithmId, QByteArrayView apu, QByteArrayView apv, int keyBytes);
// The Concat KDF with SHA-256 (OpenSSL's SSKDF), keyBytes of output.
Result<SecretBytes> concatKdf(const SecretBytes& z, QByteArrayView otherInfo, int keyBytes);

// PBES2 (RFC 7518 §4.8): PBKDF2 with HMAC-SHA-2 over the salt UTF8(alg) || 0x00 || p2s.
Result<SecretBytes> pbes2Key(const KeyManagementInfo& alg, const SecretBytes& password, QByteArrayView p2s, int p2c);

// A fresh key pair on a curve (EC "P-256", "P-384", "P-521", "X25519", "X448"): the ECDH-ES ephemeral key.
Result<Key> generateEphemeralKey(const QString& curve);

struct EncInfo;
enum class JweKeyPurpose { Encrypt, Decrypt };

// Whether key can do alg with enc: its type and size (RSA at least 2048 bits, RFC 7518 §4.2/§4.3; an AES key of the
// wrap size; a dir secret of the CEK size; ECDH on P-256/384/521 or X25519/X448), a private half to decrypt with,
// and what its JWK allows ("use": "enc"; "alg": the token's alg, or its enc for dir; "key_ops").
Result<void> checkKeyFitsJwe(const KeyManagementInfo& alg, const EncInfo& enc, const Key& key, JweKeyPurpose purpose);

// Whether a key can take part in ECDH-ES: EC P-256/384/521 or X25519/X448.
bool isEcdhCurve(const QString& curve);

} // namespace jwti
