#pragma once

// The one answer to "can this token be trusted?": every face (the verify panel, the claims table, the walk-through,
// the tour, the status bar, `verify`, `verify --batch`, `verify --json`, `decode --json`) renders a Verdict and
// computes nothing of its own. computeVerdict is a pure function of the token as received, the candidate keys (each
// with its provenance) and the expectations; nothing else (no clock: the clock is in the expectations).

#include "core/crypto/Key.h"
#include "core/jose/Jws.h"
#include "core/jose/Result.h"
#include "core/jose/Token.h"

#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace jwti {

enum class VerdictOutcome {
    Valid, // a signature verified with a given key, no signature a given key fits failed, every checked claim passed
    Invalid, // a key the user chose (or the token's own kid picked) does not verify it, or a checked claim failed
    NotVerified, // nothing to verify with: no key given, no key fits, or stored keys merely tried did not verify
    Unsecured, // alg "none": there is no signature; never verifies
    Malformed, // the token cannot be read as a JWS as given
};

enum class CheckState {
    Passed,
    Failed,
    NotChecked, // it applies but was not checked (no key to check a signature, no expected audience given, …)
    NotApplicable, // nothing to check (no exp claim, no crit header, …)
};

// One named check. Names are stable (scripts read them): "signature", "alg-allowed", "key-fits", "exp", "nbf",
// "iat", "aud", "iss", "crit", "typ". Every verdict of a readable token lists all ten, in that order.
struct VerdictCheck
{
    QString name;
    CheckState state = CheckState::NotChecked;
    QString message;
};

// One signature of the token (compact: exactly one; JSON serialization: one per entry of "signatures").
struct SignatureVerdict
{
    int index = 0; // 0-based
    QString kid; // the signature's header kid, may be empty
    QString alg; // the signature's header alg
    VerdictOutcome outcome = VerdictOutcome::NotVerified; // Valid, Invalid, NotVerified, Unsecured or Malformed
    ErrorCode code = ErrorCode::SignatureInvalid; // when not Valid
    QString message; // "verified with key kid=a (RSA 2048-bit public key)", or why not
    std::optional<Key> key; // the key that verified it, or the one whose failure decided it; empty when none fit
    int keysTried = 0; // how many candidate keys fitted this signature and were tried
};

// Why a signature did not verify (issue 12 item 5). Codes are stable: "secret-encoding", "changed-after-signing",
// "other-key", "hash-mismatch", "rsa-padding-mismatch", "ecdsa-der", "kid-mismatch", "alg-mismatch",
// "truncated-signature", "reencoded", "expired", "not-yet-valid", "not-a-token".
struct Diagnosis
{
    QString code;
    QString message;
};

// What the caller expects of the token: allowed algs, a forced alg, the claims policy (clock, leeway, aud, iss), a
// detached payload and a kid to pick. The same struct the verify options always were.
using Expectations = VerifyOptions;

struct Verdict
{
    VerdictOutcome outcome = VerdictOutcome::NotVerified;
    // One sentence, the decisive reason first: "Valid: signature verified with …", "Invalid: expired 2 h ago (exp
    // 2026-12-06 18:01 UTC)", "Not verified: no key given". Never claims more than was checked.
    QString headline;
    ErrorCode code = ErrorCode::SignatureInvalid; // the decisive failure when not Valid
    QString reason; // the decisive reason without the outcome word, for the CLI's "invalid: REASON"
    std::vector<VerdictCheck> checks;
    std::optional<Key> key; // the key that verified; key->metadata.provenance says where it came from
    QString keyDescription; // keyLabel(): "kid=a (RSA 2048-bit public key)"; empty without key
    QString keyProvenance; // "typed here", "file k.pem", "keychain set S, key K (active)", "JWKS of U fetched T"
    std::vector<SignatureVerdict> signatures;
    std::vector<Diagnosis> diagnosis; // only when a signature failed or a time claim failed; never changes outcome
    QStringList notes; // neutral remarks: "No stored key has kid X", "2 stored keys do not fit RS256"

    bool isValid() const { return outcome == VerdictOutcome::Valid; }
    // True when a signature verified with a given key (whatever the claims say).
    bool signatureVerified() const;
    // The check with this name, or nullptr.
    const VerdictCheck* check(QStringView name) const;
    // The signature the verdict rests on: the one that verified, else the one that decided the failure, else the
    // first; nullptr when the token has none. The walk-through shows this one with its key.
    const SignatureVerdict* decisiveSignature() const;
};

// The verdict for a token already parsed (strictly, for verifying; parseStrict). Candidates: every key the caller
// has, each with metadata.provenance (chosenByUser says whether a failure with it makes the token invalid).
Verdict computeVerdict(const Token& token, const std::vector<Key>& candidates, const Expectations& expectations);

// The verdict for a text as received: parsed strictly (only surrounding whitespace trimmed); a text that does not
// parse gives a Malformed verdict that names the problem (and what it is instead, when it is a key or certificate).
Verdict computeVerdict(QByteArrayView text, const std::vector<Key>& candidates, const Expectations& expectations);

// The verdict in the older VerifyResult shape (jose/Jws.h), for callers that still read it: valid, the decisive code
// and reason, one SignatureCheck per signature, the claim checks that ran.
VerifyResult verifyResultOf(const Verdict& verdict);

QString outcomeName(VerdictOutcome outcome); // "valid", "invalid", "not-verified", "unsecured", "malformed"
QString checkStateName(CheckState state); // "passed", "failed", "not-checked", "not-applicable"

// Where a key came from, in words: "typed here", "file k.pem", "keychain set S, key K (active)",
// "JWKS of https://… fetched 2026-12-06 18:00 UTC".
QString describeProvenance(const KeyProvenance& provenance);
// "kid=a (RSA 2048-bit public key)", or without a kid "HMAC secret (256 bits)".
QString keyLabel(const Key& key);

// verify --json / decode --json: one JSON object with valid, outcome, headline, reason, code, key {description,
// provenance}, checks [{name, state, message}], signatures [{index, kid, alg, outcome, message}], diagnosis [{code,
// message}], notes []. Control and bidirectional characters are \u-escaped, so it is safe on a terminal.
QByteArray verdictToJson(const Verdict& verdict);

} // namespace jwti
