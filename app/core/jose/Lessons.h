#pragma once

#include "core/crypto/Key.h"
#include "core/jose/Token.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <QVariant>
#include <optional>
#include <vector>

namespace jwti {

// A figure a lesson is computed from, for scripts and tests: "lifetimeSeconds" → 2592000, "alg" → "HS256",
// "personalClaims" → ["email", "name"]. value is a qint64, a bool, a QString or a QStringList; an absent figure
// (no "exp", so no lifetime) is left out rather than given a made-up value.
struct LessonFigure
{
    QString name;
    QVariant value;
};

// What a careful engineer would tell a colleague about how this token behaves once issued. code is stable
// ("readable-by-anyone", "lifetime-and-ending", "where-to-keep", "who-can-sign", "token-or-session").
struct Lesson
{
    QString code;
    QString title; // "Readable by anyone"
    QString message; // about this token, in plain words; paragraphs separated by "\n\n"
    QStringList points; // the general choices with their costs, each marked with what this token has
    std::vector<LessonFigure> figures;
    QString reference; // "RFC 7519 §12; OWASP JSON Web Token Cheat Sheet: Token Information Disclosure"

    // The figure with this name, or an invalid QVariant.
    QVariant figure(QStringView name) const;
};

// The sizes the where-to-keep lesson compares against: browsers guarantee 4096 bytes per cookie (RFC 6265 §6.1);
// a random session id that names server-side state needs only a few bytes.
inline constexpr qint64 kCookieLimitBytes = 4096;
inline constexpr qint64 kSessionIdBytes = 6;

// The lessons of token, in the order above. verifiedWith is the key that verified its signature, when one did;
// now is the caller's clock (seconds since the epoch), so tests are deterministic. A malformed or empty token that
// has no readable parts yields no lessons.
std::vector<Lesson> lessonsFor(const Token& token, const std::optional<Key>& verifiedWith, qint64 now);

// The lessons as a JSON array for scripts (decode --json): each {"code", "title", "message", "points", "figures"
// (an object, name → number, boolean, string or array of strings), "reference"}.
QByteArray lessonsJson(const std::vector<Lesson>& lessons);

// Claim names that look like personal data (OpenID Connect Core §5.1 standard claims and the like: email, name,
// phone_number, address, birthdate, …), in payload order.
QStringList personalClaimNames(const Token& token);

// The token's decoded header and payload as one pretty-printed JSON object {"header": …, "payload": …}, member
// names and order kept and every value replaced by a placeholder of its type ("redacted", 0, false; null stays
// null), so the shape can be shared without what it says. The header's "alg", "typ", "cty" and "b64" are kept:
// they say how to read the rest, not whom it is about. The signature is never part of it. Empty when the token has
// neither a JSON header nor a JSON payload.
QByteArray redactedJson(const Token& token);

} // namespace jwti
