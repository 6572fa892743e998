#pragma once

#include "Key.h"
#include "jose/Algorithms.h"
#include "jose/Result.h"

#include <QByteArrayView>

namespace jwti {

enum class KeyPurpose { Sign, Verify };

// Whether key can serve alg, with the reason when not ("Key does not fit RS256: it is an EC P-256 key").
// Enforces RFC 7518 §3.2 (HMAC secret at least the hash size) and §3.3 (RSA at least 2048 bits), refuses a
// public key offered for HMAC and a public-only key for signing, and the JWK "alg"/"use"/"key_ops" when present.
Result<void> checkKeyFitsAlg(const AlgInfo& alg, const Key& key, KeyPurpose purpose);

// The JWS signature of input (raw bytes: for a token, the ASCII signing input). ECDSA returns raw r‖s.
Result<QByteArray> signBytes(const AlgInfo& alg, const Key& key, QByteArrayView input);

// SignatureInvalid when the signature does not verify; SignatureMalformed when it cannot be one for this alg and key
// (wrong length, ECDSA r or s zero or not below the order, DER instead of r‖s). HMAC compares in constant time and
// never accepts a truncated tag. PSS salt length must equal the hash length.
Result<void> verifyBytes(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature);

QByteArray computeDigest(Digest digest, QByteArrayView data);
QByteArray computeHmac(Digest digest, QByteArrayView key, QByteArrayView data);

} // namespace jwti
