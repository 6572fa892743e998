#pragma once

// The numbers a JWK is made of, in and out of OpenSSL keys. jose/Jwk.cpp speaks base64url and JSON; this pair is
// where those numbers meet OpenSSL (only crypto/ includes OpenSSL headers).

#include "core/crypto/Key.h"
#include "core/jose/Result.h"

#include <QByteArray>

namespace jwti {

// Big-endian unsigned integers (RFC 7518 §6.3).
struct RsaComponents
{
    QByteArray n;
    QByteArray e;
    SecretBytes d, p, q, dp, dq, qi; // empty for a public key
    // A public key that is one of many (a JWKS): only the structural checks (n odd, e odd, 3 <= e < n) run, not
    // OpenSSL's SP 800-56B public check (a gcd with a large primorial and a primality test of n, about 4 ms a key),
    // which would make a 10,000-key set take 40 s to read. The full check is deferred to the key's first successful
    // verification (Key::deferPublicCheck): the key a verdict rests on is always checked whole.
    bool structuralCheckOnly = false;
};

// Coordinates left-padded to the field size (RFC 7518 §6.2.1.2); d likewise (§6.2.2.1).
struct EcComponents
{
    QString curve; // "P-256", "P-384", "P-521", "secp256k1"
    QByteArray x;
    QByteArray y;
    SecretBytes d;
};

// RFC 8037 §2: raw public key x and private key d.
struct OkpComponents
{
    QString curve; // "Ed25519", "Ed448"; "X25519", "X448" for ECDH-ES (RFC 8037 §3.2)
    QByteArray x;
    SecretBytes d;
};

// Each checks the material (lengths, point on the curve, private half matches the public one) and says what is wrong.
Result<Key> makeRsaKey(const RsaComponents& components);
Result<Key> makeEcKey(const EcComponents& components);
Result<Key> makeOkpKey(const OkpComponents& components);

// Private members are filled only when asked and present. RSA n and e come without leading zero bytes.
RsaComponents rsaComponents(const Key& key, bool includePrivate);
EcComponents ecComponents(const Key& key, bool includePrivate);
OkpComponents okpComponents(const Key& key, bool includePrivate);

// Bytes of an EC coordinate for a JOSE curve name (32, 48, 66), or of an OKP key (32, 57); 0 when unknown.
int curveCoordinateBytes(QStringView curve);

} // namespace jwti
