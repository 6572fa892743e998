#pragma once

// "Why it failed" (issue 12 item 5): when a token does not verify, look for the usual causes and name them with a
// stable code. Runs only when verification failed and never changes the verdict's outcome: it explains, it does
// not judge. Every probe is a pure function of the token, the keys and the expectations.

#include "core/model/Verdict.h"

#include <QByteArrayView>
#include <vector>

namespace jwti {

// For a token that parsed: secret-encoding, changed-after-signing, other-key, hash-mismatch, rsa-padding-mismatch,
// ecdsa-der, kid-mismatch, alg-mismatch, truncated-signature, expired, not-yet-valid. Reads the keys from
// verdict.signatures (the key each signature was decided with) and candidates (keys that did not fit).
std::vector<Diagnosis> diagnoseFailure(const Token& token, const std::vector<Key>& candidates,
                                       const Expectations& expectations, const Verdict& verdict);

// For a text that did not parse: reencoded (padding, '+' or '/', line breaks: it reads as a token once put back
// into base64url) and not-a-token (a PEM key, a certificate, a JWK or a JWKS was pasted).
std::vector<Diagnosis> diagnoseUnreadable(QByteArrayView text, const std::vector<Key>& candidates,
                                          const Expectations& expectations);

} // namespace jwti
