#pragma once

#include "Algorithms.h"
#include "Claims.h"
#include "Result.h"
#include "Token.h"
#include "crypto/Key.h"

#include <optional>
#include <vector>

namespace jwti {

struct VerifyOptions
{
    QStringList allowedAlgs; // when non-empty, the header's alg must be one of these
    QString alg; // forced alg (--alg); empty: the key's JWK "alg", else the header's
    ClaimsPolicy claims; // clock, leeway, expected aud/iss
    bool checkClaims = true;
    std::optional<QByteArray> detachedPayload; // RFC 7515 App. F
    QString kid; // pick this key from the candidates (--kid); empty: the token's kid picks
};

struct SignatureCheck
{
    int signatureIndex = 0;
    bool valid = false;
    ErrorCode code = ErrorCode::SignatureInvalid;
    QString message; // "Signature verified with key …" or the reason it was not
    QString alg;
    std::optional<Key> key; // the key that verified (or was tried last)
};

struct VerifyResult
{
    bool valid = false; // a signature verified and every claim check passed
    ErrorCode code = ErrorCode::SignatureInvalid; // the first failure when !valid
    QString reason; // one line: "expired 3 days ago", "signature does not match", …
    std::vector<SignatureCheck> signatures; // one per JWS signature (compact: one)
    std::vector<ClaimCheck> claims;
};

// Verifies a parsed token against candidate keys (one key, a JWKS, or the keystore's keys) following the
// strictness rules of DESIGN.md: alg chosen from the options, the key's JWK alg, or the header (which must fit the
// key type); the header alg must equal the chosen alg; "none" never verifies; unknown "crit" fails; a kid picks
// among several keys, without a kid every fitting key is tried.
//
// Several signatures (general JSON serialization, RFC 7515 §7.2.1 leaves the policy to the application): each is
// checked on its own (one SignatureCheck each); the token is valid when at least one verifies and no other one fails
// for a reason other than "none of the given keys is meant for it" (KeyNotFound, KeyMismatch). So a signature by
// someone whose key we were not given is ignored, but alg none, an unknown crit, or a signature that does not match
// under a key meant for it makes the whole token invalid. Claims are checked once, after the signatures.
// A detached payload (empty payload segment) needs options.detachedPayload, else the result is a Usage error.
VerifyResult verifyToken(const Token& token, const std::vector<Key>& candidates, const VerifyOptions& options);

struct SignOptions
{
    QString alg;
    QByteArray headerJson; // extra/override header members as a JSON object (source order kept); may be empty
    QString kid; // sets "kid" when non-empty
};

// Builds header (alg, typ "JWT" unless given, kid), encodes, signs. payload is any bytes.
Result<QByteArray> signToken(const QByteArray& payload, const Key& key, const SignOptions& options);

} // namespace jwti
