#pragma once

#include <QString>
#include <QStringView>
#include <span>

namespace jwti {

enum class SignatureScheme { None, Hmac, RsaPkcs1, RsaPss, Ecdsa, EdDsa };
enum class Digest { None, Sha256, Sha384, Sha512 };

// One row per JWS "alg" (RFC 7518 §3.1, RFC 8037, RFC 8812, RFC 9864). Every check reads this table.
struct AlgInfo
{
    const char* name; // exact, case-sensitive "alg" value
    SignatureScheme scheme;
    Digest digest; // None for EdDSA (the hash is part of the scheme)
    int signatureBytes; // fixed JWS signature size; 0 = the key decides (RSA modulus, EdDSA curve)
    const char* curve; // ECDSA/fully-specified EdDSA: the JWK "crv" it requires; nullptr otherwise
    int minKeyBits; // HMAC: hash size (RFC 7518 §3.2); RSA: 2048 (§3.3); else 0
    const char* rfcSection; // where it is defined

    QString displayName() const { return QString::fromLatin1(name); }
};

// nullptr for an unknown name. "none" is in the table (scheme None) so it can be explained, never verified.
const AlgInfo* findAlg(QStringView name);
std::span<const AlgInfo> allAlgs();

int digestBytes(Digest digest);
const char* digestName(Digest digest); // "SHA-256" …

} // namespace jwti
