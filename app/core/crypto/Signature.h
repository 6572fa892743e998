#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Result.h"

#include <QByteArrayView>
#include <memory>

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
// checkKeyFitsAlg for verifying; while a VerifierReuseScope lives, answered by the verifier kept for alg and key rather
// than checked again for every token.
Result<void> checkKeyFitsAlgForVerify(const AlgInfo& alg, const Key& key);

// One (alg, key) pair made ready to verify many signatures: the key checks of checkKeyFitsAlg run once, the digest is
// fetched once and the OpenSSL contexts are initialised once, so each verify() only hashes and checks. verify()
// applies exactly the checks of verifyBytes (which is built on it) and answers the same. Not for concurrent use: the
// prepared OpenSSL contexts are reused by each call.
class SignatureVerifier
{
public:
    SignatureVerifier(const AlgInfo& alg, const Key& key);
    ~SignatureVerifier();
    SignatureVerifier(const SignatureVerifier&) = delete;
    SignatureVerifier& operator=(const SignatureVerifier&) = delete;

    // Whether this verifier was made for alg and key (same table entry, same key material, same JWK metadata).
    bool isFor(const AlgInfo& alg, const Key& key) const;
    Result<void> verify(QByteArrayView input, QByteArrayView signature) const;
    // checkKeyFitsAlg(alg, key, KeyPurpose::Verify), answered once when the verifier was made.
    const Result<void>& keyFits() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// For batch verification: while one lives on this thread, verifyBytes keeps a SignatureVerifier for each (alg, key)
// it meets and reuses it for later calls with the same alg and key. The keys (shared OpenSSL keys and secrets) stay
// referenced until the scope ends, then the prepared contexts are freed. Nested scopes share the outermost one.
class VerifierReuseScope
{
public:
    VerifierReuseScope();
    ~VerifierReuseScope();
    VerifierReuseScope(const VerifierReuseScope&) = delete;
    VerifierReuseScope& operator=(const VerifierReuseScope&) = delete;

private:
    bool m_owner = false;
};

QByteArray computeDigest(Digest digest, QByteArrayView data);
QByteArray computeHmac(Digest digest, QByteArrayView key, QByteArrayView data);

} // namespace jwti
