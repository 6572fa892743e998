#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Token.h"

#include <QString>
#include <optional>
#include <vector>

namespace jwti {

enum class Severity { Info, Warning, Critical };
QString severityName(Severity severity); // "info", "warning", "critical"

// A security lint result. code is stable ("alg-none", "hmac-weak-secret", "no-exp", …).
struct Finding
{
    Severity severity = Severity::Info;
    QString code;
    QString message; // one sentence, plain words
    QString why; // a short reason a user can act on
    QString reference; // "RFC 8725 §3.1" or a link to a known attack
    int segment = -1; // index into Token::segments, -1 = whole token
    OffsetRange range; // characters in Token::text, empty when not tied to a place
};

struct LintContext
{
    qint64 now = 0;
    const Key* key = nullptr; // the key the user chose, if any (weak-secret and RSA-size checks)
};

// alg none; HMAC secret shorter than the hash or publicly known; no exp; lifetime over 24 h; exp before iat;
// jku/x5u/jwk/x5c present; kid with path or quote characters; crit (unknown = invalid); sensitive-looking claim
// names; RSA under 2048 bits; token over 4 KiB; non-canonical base64url; duplicate members; paste noise.
std::vector<Finding> lintToken(const Token& token, const LintContext& context);

// Whether secret is in the bundled list of publicly known JWT secrets (resources/weak-secrets). The list is loaded
// once, on first use, into a hash set: a look-up is O(1).
bool isKnownWeakSecret(QByteArrayView secret);

} // namespace jwti
