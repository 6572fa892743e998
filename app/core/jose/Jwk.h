#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Json.h"
#include "core/jose/Result.h"

#include <vector>

namespace jwti {

// RFC 7517/7518/8037 JWK: "RSA", "EC" (P-256/384/521, secp256k1), "OKP" (Ed25519/Ed448), "oct".
// Metadata (kid, alg, use, key_ops) is kept in Key::metadata. Private members make a private key.
Result<Key> importJwk(const JsonValue& jwk);
Result<Key> importJwk(QByteArrayView json);
// A JWKS whose kid values repeat, or that mixes "oct" with asymmetric keys, is refused as ambiguous (KeyAmbiguous).
Result<std::vector<Key>> importJwks(QByteArrayView json);

// Members in RFC 7638 order, then kid, alg, use, key_ops when set. Private members only when asked and present.
QByteArray exportJwk(const Key& key, bool includePrivate = false, int indent = 2);
QByteArray exportJwks(const std::vector<Key>& keys, int indent = 2); // public members only

QByteArray thumbprintInput(const Key& key); // RFC 7638 §3: the required members, sorted, no whitespace
QString thumbprint(const Key& key); // base64url(SHA-256(thumbprintInput))

} // namespace jwti
