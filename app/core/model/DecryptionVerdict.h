#pragma once

// The one answer to "what is inside this JWE, and which key opened it?": the decrypt panel, the walk-through and
// `decrypt` render a DecryptionVerdict and compute nothing of their own. It is Verdict's sibling rather than a new
// outcome of Verdict: a JWE is not verified but decrypted, its checks are others (key management, tag, zip), and it
// carries a plaintext and, for a nested token, the inner token's own Verdict. What the two share is shared code: the
// provenance words (describeProvenance, keyLabel), the check type and states, and the rule that picks the keys to
// try (pickCandidates: by kid, then by what fits; a key that does not fit is never a failure).

#include "core/crypto/Key.h"
#include "core/jose/Jwe.h"
#include "core/jose/Result.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace jwti {

enum class DecryptionOutcome {
    Decrypted, // a key opened the token and its tag authenticated it
    Failed, // a key the user chose (or the token's kid picked) does not open it, or the token breaks a rule
    NotDecrypted, // nothing to decrypt with: no key given, no key fits, or stored keys merely tried did not open it
    Malformed, // the text cannot be read as a JWE
};

// What the plaintext is: a token (cty "JWT", RFC 7519 §5.2, or text that reads as one) or other bytes.
enum class NestedKind { None, Jws, Jwe };

struct DecryptionExpectations
{
    QString kid; // only keys with this kid (--kid); empty: the token's kid picks, when a key has it
    QStringList allowedAlgs; // when non-empty, the key management alg must be one of these
    qsizetype maxInflatedBytes = kJweMaxInflatedBytes;
    // A nested JWS is verified with these keys and expectations (the decrypting key is not a verifying key).
    std::vector<Key> verifyKeys;
    Expectations innerExpectations;
};

struct DecryptionVerdict
{
    DecryptionOutcome outcome = DecryptionOutcome::NotDecrypted;
    // One sentence, the decisive reason first: "Decrypted with kid=a (RSA 2048-bit private key), file k.pem",
    // "Not decrypted: no key given". For RSA1_5 a failure never says which step failed (RFC 7516 §11.5).
    QString headline;
    ErrorCode code = ErrorCode::DecryptionFailed; // the decisive failure when not Decrypted
    QString reason; // the decisive reason without the outcome word, for the CLI's "invalid: REASON"
    // Stable names, always all seven in this order: "alg-allowed", "key-fits", "key-management", "tag", "zip",
    // "crit", "header".
    std::vector<VerdictCheck> checks;
    int recipient = -1; // the recipient whose header decided (the one that opened it); -1 when none
    QString alg;
    QString enc;
    QString zip;
    QString cty;
    std::optional<Key> key; // the key that decrypted, or the one whose failure decided; metadata.provenance says where
    QString keyDescription; // keyLabel(): "kid=a (RSA 2048-bit private key)"; empty without key
    QString keyProvenance; // describeProvenance(): "typed here", "file k.pem", "keychain set S, key K (active)"
    int keysTried = 0;
    QStringList notes;
    QByteArray plaintext; // only when Decrypted
    NestedKind nested = NestedKind::None;
    std::optional<Token> inner; // the plaintext decoded as a token (decodeUnverified) when nested
    std::optional<Verdict> innerVerdict; // a nested JWS's own verdict, with DecryptionExpectations::verifyKeys

    bool isDecrypted() const { return outcome == DecryptionOutcome::Decrypted; }
    const VerdictCheck* check(QStringView name) const;
};

// The verdict for a JWE already parsed (parseJwe). Candidates: every key the caller has, each with its provenance
// (chosenByUser says whether a failure with it makes the token fail).
DecryptionVerdict computeDecryptionVerdict(const Jwe& jwe, const std::vector<Key>& candidates,
                                           const DecryptionExpectations& expectations = {});

// The verdict for a text as received (only surrounding whitespace trimmed); text that is no JWE gives a Malformed
// verdict naming the problem at its place.
DecryptionVerdict computeDecryptionVerdict(QByteArrayView text, const std::vector<Key>& candidates,
                                           const DecryptionExpectations& expectations = {});

QString decryptionOutcomeName(DecryptionOutcome outcome); // "decrypted", "failed", "not-decrypted", "malformed"

} // namespace jwti
