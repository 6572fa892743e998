#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Claims.h"
#include "core/jose/Result.h"
#include "core/jose/Token.h"

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
    // Why the key the user entered could not be read (the window keeps the token open while the key is being typed;
    // the command line refuses an unreadable key before it verifies). Empty when none was entered or it was read.
    QString unusableKey;
    bool diagnose = true; // look for why a failed token failed (verify --batch without --json skips it: speed)
    // Words for what passed: the headline of a valid token, the messages of checks that passed or did not apply, the
    // key's description and provenance, notes. The outcome, states, code and reason never depend on it; verify
    // --batch without --json turns it off, as it prints only "valid" or "invalid: REASON" (speed).
    bool explain = true;
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

// The verdict of computeVerdict (model/Verdict.h, where the rules live and are explained) in the older result shape:
// valid, the decisive code and reason, one SignatureCheck per signature, and the claim checks that ran.
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
