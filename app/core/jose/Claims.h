#pragma once

#include "core/jose/Json.h"
#include "core/jose/Result.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

namespace jwti {

// One-line explanations of claims (RFC 7519 §4, OpenID Connect, RFC 8693, RFC 9068) and header parameters
// (RFC 7515 §4.1, RFC 7797, RFC 8725), read from resources/explanations.json.
struct Explanation
{
    QString name;
    QString title; // "Expiration Time"
    QString text; // one sentence
    QString reference; // "RFC 7519 §4.1.4"
    bool registered = false;
};
std::optional<Explanation> explainClaim(QStringView name);
std::optional<Explanation> explainHeaderParameter(QStringView name);

// A NumericDate (RFC 7519 §2) as whole seconds: exact for an integer, rounded down for a fraction, nothing for a
// value that is not a finite number in the range of dates a person can read. Every reader of exp/nbf/iat uses it.
std::optional<qint64> numericDateSeconds(const JsonValue* value);

// The words of a member name, lowercased: split at '_', '-', '.', spaces and lower-to-upper case changes
// ("user_email", "homeAddress" → user email, home address). Findings and lessons match names with it.
QStringList memberNameWords(const QString& name);

// NumericDate (RFC 7519 §2) shown for people.
QString formatUtc(qint64 seconds); // "2018-01-18T01:30:22Z"
QString formatRelative(qint64 seconds, qint64 now); // "in 14 min", "3 days ago", "now"

enum class ClaimTimeKind { Expiration, NotBefore, IssuedAt, Other };
// Claims whose value is a NumericDate (RFC 7519 §4.1.4–4.1.6; OpenID Connect Core §2 and §5.1 add auth_time and
// updated_at), and how each is spoken of (Other: a plain time).
bool isNumericDateClaim(QStringView name);
ClaimTimeKind claimTimeKind(QStringView name);
// A time further ahead than this is worth saying: a token that lives for years is as good as a password. Shown
// beside the time, never a check.
constexpr qint64 kFarFutureSeconds = 365LL * 24 * 3600;
bool isFarFuture(qint64 seconds, qint64 now);
// "expires in 14 min", "expired 3 days ago", "valid from 2 h ago", "issued 5 min ago"
QString describeTime(ClaimTimeKind kind, qint64 seconds, qint64 now);

struct ClaimsPolicy
{
    qint64 now = 0; // seconds since the epoch; the caller's clock, so tests are deterministic
    qint64 leeway = 0; // seconds of clock skew allowed for exp, nbf and iat
    QStringList audiences; // when non-empty, "aud" must contain one of them
    QString issuer; // when non-empty, "iss" must equal it
    bool requireExp = false;
    // Words for a check that passed ("not expired: expires in 14 min (…)"); off where only failures are printed
    // (verify --batch), as formatting times is most of the cost of checking claims. Failures always say why.
    bool explainPassed = true;
};

struct ClaimCheck
{
    QString claim; // "exp", "nbf", "iat", "aud", "iss"
    bool passed = false;
    ErrorCode code = ErrorCode::ClaimInvalid; // when failed
    QString message; // "expired 3 days ago (2018-01-18T01:30:22Z)", "audience \"api\" not in [\"web\"]"
};

// Every applicable check, passed or not, in the order exp, nbf, iat, aud, iss.
std::vector<ClaimCheck> checkClaims(const JsonValue& claims, const ClaimsPolicy& policy);

} // namespace jwti
