#include "core/jose/Lessons.h"

#include "core/jose/Algorithms.h"
#include "core/jose/Claims.h"
#include "core/jose/Wording.h"

#include <QCoreApplication>
#include <QSet>
#include <cmath>
#include <limits>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Lessons", for every string here.
struct LessonsText
{
    Q_DECLARE_TR_FUNCTIONS(Lessons)
};

// Below this a lifetime is short enough that a stolen copy is worth little; above the second one the lint already
// warns (Findings "lifetime-long"), and a session would serve better.
constexpr qint64 kShortLifetime = 60 * 60;
constexpr qint64 kLongLifetime = 24 * 60 * 60;

// The OWASP cheat sheet on JWTs, cited by the name of its section.
QString owasp(const char* section)
{
    return QStringLiteral("OWASP JSON Web Token Cheat Sheet: ") + QString::fromLatin1(section);
}

// "14 min", "30 days": formatRelative picks the unit; its "in " is dropped so the text reads as a length of time.
QString durationText(qint64 seconds)
{
    const QString text = formatRelative(seconds, 0);
    return text.startsWith(QLatin1String("in ")) ? text.mid(3) : text;
}

// OpenID Connect Core §5.1 standard claims about a person, and the words that mark the same data under other names
// ("user_email", "homeAddress", "dateOfBirth").
bool looksPersonal(const QString& name)
{
    static const QSet<QString> exact = {
        QStringLiteral("name"),        QStringLiteral("given_name"),   QStringLiteral("family_name"),
        QStringLiteral("middle_name"), QStringLiteral("nickname"),     QStringLiteral("preferred_username"),
        QStringLiteral("profile"),     QStringLiteral("picture"),      QStringLiteral("website"),
        QStringLiteral("email"),       QStringLiteral("gender"),       QStringLiteral("birthdate"),
        QStringLiteral("zoneinfo"),    QStringLiteral("phone_number"), QStringLiteral("address"),
        QStringLiteral("username"),    QStringLiteral("first_name"),   QStringLiteral("last_name"),
        QStringLiteral("full_name"),   QStringLiteral("upn"),          QStringLiteral("unique_name"),
        QStringLiteral("ipaddr"),      QStringLiteral("ip"),           QStringLiteral("dob"),
    };
    if (exact.contains(name.toLower()))
        return true;
    static const QSet<QString> words = {
        QStringLiteral("email"),     QStringLiteral("mail"),      QStringLiteral("phone"),
        QStringLiteral("mobile"),    QStringLiteral("address"),   QStringLiteral("street"),
        QStringLiteral("postcode"),  QStringLiteral("zip"),       QStringLiteral("birthdate"),
        QStringLiteral("birthday"),  QStringLiteral("birth"),     QStringLiteral("dob"),
        QStringLiteral("ssn"),       QStringLiteral("passport"),  QStringLiteral("surname"),
        QStringLiteral("firstname"), QStringLiteral("lastname"),  QStringLiteral("fullname"),
        QStringLiteral("gender"),    QStringLiteral("salary"),    QStringLiteral("iban"),
        QStringLiteral("health"),    QStringLiteral("diagnosis"),
    };
    const QStringList parts = memberNameWords(name);
    for (const QString& part : parts) {
        if (words.contains(part))
            return true;
    }
    return false;
}

// A per-user version or timestamp a server can compare with its own copy to end older tokens early.
bool isRevocationStamp(const QString& name)
{
    static const QSet<QString> stamps = {
        QStringLiteral("ver"),
        QStringLiteral("version"),
        QStringLiteral("token_version"),
        QStringLiteral("tokenVersion"),
        QStringLiteral("session_version"),
        QStringLiteral("modified_at"),
        QStringLiteral("updated_at"),
        QStringLiteral("password_changed_at"),
        QStringLiteral("pwd_changed_at"),
        QStringLiteral("security_stamp"),
        QStringLiteral("AspNet.Identity.SecurityStamp"),
        QStringLiteral("sid"),
    };
    return stamps.contains(name);
}

void addFigure(Lesson& lesson, const char* name, const QVariant& value)
{
    lesson.figures.push_back({QString::fromLatin1(name), value});
}

class LessonsBuilder
{
public:
    LessonsBuilder(const Token& token, const std::optional<Key>& key, qint64 now)
        : m_token(token)
        , m_key(key)
        , m_now(now)
        , m_claims(token.claims())
    {
        if (m_claims) {
            m_iat = numericDateSeconds(m_claims->member(u"iat"));
            m_exp = numericDateSeconds(m_claims->member(u"exp"));
        }
        if (m_iat && m_exp)
            m_lifetime = *m_exp - *m_iat;
    }

    std::vector<Lesson> build()
    {
        std::vector<Lesson> lessons;
        lessons.push_back(readableByAnyone());
        lessons.push_back(lifetimeAndEnding());
        lessons.push_back(whereToKeep());
        lessons.push_back(whoCanSign());
        lessons.push_back(tokenOrSession());
        return lessons;
    }

private:
    Lesson readableByAnyone() const
    {
        Lesson lesson;
        lesson.code = QStringLiteral("readable-by-anyone");
        lesson.title = LessonsText::tr("Readable by anyone");
        lesson.reference = QStringLiteral("RFC 7519 §12; ") + owasp("Token Information Disclosure");
        if (m_token.kind == TokenKind::Jwe) {
            lesson.message = LessonsText::tr(
                "This token is encrypted (JWE): whoever holds it reads only its header. Its claims are readable to "
                "the holder of the decryption key alone.");
            addFigure(lesson, "encrypted", true);
            return lesson;
        }
        QStringList names;
        if (m_claims) {
            for (const JsonMember& member : m_claims->members)
                names.append(member.name);
        }
        names.removeDuplicates();
        const QStringList personal = personalClaimNames(m_token);
        addFigure(lesson, "encrypted", false);
        addFigure(lesson, "claimCount", qint64(names.size()));
        addFigure(lesson, "claims", names);
        addFigure(lesson, "personalClaims", personal);

        QString message;
        if (names.isEmpty()) {
            message = LessonsText::tr("This token is signed, not encrypted, and its payload holds no claims: whoever "
                                      "holds it reads its header and payload as plain text.");
        } else {
            message = LessonsText::tr("This token is signed, not encrypted: whoever holds it — a browser extension, a "
                                      "proxy log, anyone it is pasted to — can read every one of its claims (%1): "
                                      "%2.")
                          .arg(names.size())
                          .arg(names.join(QLatin1String(", ")));
        }
        if (!personal.isEmpty()) {
            message += QLatin1String("\n\n")
                + LessonsText::tr("Claims that look like personal data (%1): %2. They travel with every request "
                                  "this token is sent with, and stay readable in every log and cache that keeps a "
                                  "copy.")
                      .arg(personal.size())
                      .arg(personal.join(QLatin1String(", ")));
        } else if (!names.isEmpty()) {
            message += QLatin1String("\n\n") + LessonsText::tr("None of its claim names looks like personal data.");
        }
        lesson.message = message;
        lesson.points = {
            LessonsText::tr("Put in a token only what every holder may read: an opaque user id rather than an email "
                            "address, a role rather than a record."),
            LessonsText::tr("Data the holder must not read belongs on the server, looked up by the id, or in an "
                            "encrypted token (JWE)."),
            LessonsText::tr("To share this token's shape in a bug report, copy the redacted JSON: every value is "
                            "replaced and the signature left out."),
        };
        return lesson;
    }

    Lesson lifetimeAndEnding() const
    {
        Lesson lesson;
        lesson.code = QStringLiteral("lifetime-and-ending");
        lesson.title = LessonsText::tr("How long it lives, and how to end it");
        lesson.reference
            = QStringLiteral("RFC 7519 §4.1.4; RFC 7519 §4.1.7; ") + owasp("No Built-In Token Revocation by the User");
        const bool hasJti = m_claims && m_claims->member(u"jti");
        QString stamp;
        if (m_claims) {
            for (const JsonMember& member : m_claims->members) {
                if (isRevocationStamp(member.name)) {
                    stamp = member.name;
                    break;
                }
            }
        }
        // Without a dedicated claim the issue time serves: a server can keep a per-user cut-off and reject tokens
        // issued before it (a password change, "sign out everywhere").
        if (stamp.isEmpty() && m_iat)
            stamp = QStringLiteral("iat");
        addFigure(lesson, "hasExp", m_exp.has_value());
        if (m_iat)
            addFigure(lesson, "issuedAt", *m_iat);
        if (m_exp)
            addFigure(lesson, "expiresAt", *m_exp);
        if (m_lifetime)
            addFigure(lesson, "lifetimeSeconds", *m_lifetime);
        if (m_exp)
            addFigure(lesson, "remainingSeconds", std::max<qint64>(0, *m_exp - m_now));
        addFigure(lesson, "hasJti", hasJti);
        addFigure(lesson, "revocationClaim", stamp);

        QStringList paragraphs;
        if (m_iat && m_exp) {
            paragraphs.append(LessonsText::tr("Issued %1, expires %2: a lifetime of %3.")
                                  .arg(formatUtc(*m_iat), formatUtc(*m_exp), durationText(*m_lifetime)));
        } else if (m_exp) {
            paragraphs.append(
                LessonsText::tr("Expires %1; it does not say when it was issued (no \"iat\").").arg(formatUtc(*m_exp)));
        }
        if (!m_exp) {
            paragraphs.append(LessonsText::tr(
                "It has no expiry (\"exp\"): if it were stolen now it would work for as long as the issuer's key "
                "stays the same — months or years. Deleting it on the client does not end it; there is no logout."));
        } else if (*m_exp > m_now) {
            paragraphs.append(LessonsText::tr("If it were stolen now it would work until %1 (%2). Deleting it on the "
                                              "client does not end it sooner; there is no logout.")
                                  .arg(formatUtc(*m_exp), durationText(*m_exp - m_now)));
        } else {
            paragraphs.append(LessonsText::tr("It expired %1 (%2): a verifier that checks \"exp\" already rejects "
                                              "it, so a stolen copy is worth nothing now.")
                                  .arg(formatRelative(*m_exp, m_now), formatUtc(*m_exp)));
        }
        const QString stampText = stamp == QLatin1String("iat")
            ? LessonsText::tr("its issue time (\"iat\") to compare with a per-user cut-off the server keeps")
            : LessonsText::tr("%1 to compare with the value the server keeps for the user").arg(quoted(stamp));
        if (hasJti && !stamp.isEmpty())
            paragraphs.append(LessonsText::tr("It carries what early revocation needs: an id (\"jti\") for a "
                                              "deny-list, and %1.")
                                  .arg(stampText));
        else if (hasJti)
            paragraphs.append(LessonsText::tr("It carries an id (\"jti\"), so a server can deny-list this one token; "
                                              "it has no version or timestamp claim to end all of a user's tokens."));
        else if (!stamp.isEmpty())
            paragraphs.append(LessonsText::tr("It carries %1, so a user's older tokens can be ended; it has no id "
                                              "(\"jti\") to deny-list just this one.")
                                  .arg(stampText));
        else
            paragraphs.append(LessonsText::tr(
                "It carries neither an id (\"jti\") nor an issue time, version or timestamp claim: the only way to "
                "end it early is to rotate the signing key, which ends every other token too."));
        lesson.message = paragraphs.join(QLatin1String("\n\n"));

        const QString yes = LessonsText::tr("this token allows it");
        const QString no = LessonsText::tr("this token lacks what it needs");
        lesson.points = {
            LessonsText::tr("Rotate the signing key: ends every token signed with it at once, so every user signs in "
                            "again (always possible)."),
            LessonsText::tr("Keep a per-user version or timestamp (e.g. \"modified_at\") on the server and in the "
                            "token, and reject tokens whose copy is older: ends one user's tokens, costs a look-up "
                            "per request (%1).")
                .arg(stamp.isEmpty() ? no : yes),
            LessonsText::tr("Deny-list the token's \"jti\" until it expires: ends one token, costs a shared store "
                            "and a look-up per request (%1).")
                .arg(hasJti ? yes : no),
            m_lifetime ? LessonsText::tr("Issue short-lived access tokens with refresh tokens the server checks: a "
                                         "stolen access token works at most its lifetime (this one: %1).")
                             .arg(durationText(*m_lifetime))
                       : LessonsText::tr("Issue short-lived access tokens with refresh tokens the server checks: a "
                                         "stolen access token works at most its lifetime (this one states none)."),
        };
        return lesson;
    }

    Lesson whereToKeep() const
    {
        Lesson lesson;
        lesson.code = QStringLiteral("where-to-keep");
        lesson.title = LessonsText::tr("Where to keep it");
        lesson.reference = QStringLiteral("RFC 6265 §6.1; ") + owasp("Token Storage on Client Side");
        const qint64 size = m_token.text.size();
        const bool fits = size <= kCookieLimitBytes;
        const qint64 timesSessionId = size / kSessionIdBytes;
        addFigure(lesson, "sizeBytes", size);
        addFigure(lesson, "cookieLimit", kCookieLimitBytes);
        addFigure(lesson, "cookieShare", size * 100 / kCookieLimitBytes);
        addFigure(lesson, "fitsInCookie", fits);
        addFigure(lesson, "sessionIdBytes", kSessionIdBytes);
        addFigure(lesson, "timesSessionId", timesSessionId);

        QString message = LessonsText::tr("This token is %1 bytes: %2% of the %3 bytes a cookie is guaranteed to hold, "
                                          "and about %4 times the %5 bytes of a session id that names the same "
                                          "login kept on the server.")
                              .arg(size)
                              .arg(size * 100 / kCookieLimitBytes)
                              .arg(kCookieLimitBytes)
                              .arg(timesSessionId)
                              .arg(kSessionIdBytes);
        message += QLatin1String("\n\n");
        if (fits)
            message += LessonsText::tr("It fits in a cookie; it is sent with every request either way, so every "
                                       "byte costs on every call.");
        else
            message += LessonsText::tr("It does not fit in a cookie: browsers cut it off or drop it, and proxies may "
                                       "refuse headers this large. Keep fewer claims in it, or keep a reference.");
        lesson.message = message;
        lesson.points = {
            LessonsText::tr("localStorage or sessionStorage: any script on the page can read it, so one XSS bug "
                            "sends it to an attacker; nothing is sent by itself, so CSRF cannot replay it."),
            LessonsText::tr("A cookie: the browser sends it by itself, so a forged cross-site request (CSRF) "
                            "carries it too; HttpOnly keeps it from scripts (closes XSS theft), Secure keeps it off "
                            "plain HTTP, SameSite=Strict keeps it off cross-site requests (closes CSRF)."),
            LessonsText::tr("In memory only (a variable in the page): the smallest exposure, lost on reload; pair it "
                            "with a refresh token in an HttpOnly, Secure, SameSite=Strict cookie."),
        };
        return lesson;
    }

    Lesson whoCanSign() const
    {
        Lesson lesson;
        lesson.code = QStringLiteral("who-can-sign");
        lesson.title = LessonsText::tr("Who could have signed it");
        const QString alg = m_token.alg();
        const AlgInfo* info = findAlg(alg);
        addFigure(lesson, "alg", alg);
        QString signers;
        QString message;
        if (m_token.kind == TokenKind::Jwe) {
            signers = QStringLiteral("not-signed");
            lesson.reference = QStringLiteral("RFC 7516 §4.1.1");
            message = LessonsText::tr("This token is encrypted, not signed: \"alg\" %1 names how its content key is "
                                      "wrapped, and encryption alone does not say who made it.")
                          .arg(quoted(alg));
        } else if (info && info->scheme == SignatureScheme::None) {
            signers = QStringLiteral("anyone");
            lesson.reference = QStringLiteral("RFC 7519 §6; RFC 8725 §3.1");
            message = LessonsText::tr("\"alg\" is \"none\": there is no signature, so anyone could have written this "
                                      "token, every claim included. A verifier must reject it.");
        } else if (info && info->scheme == SignatureScheme::Hmac) {
            signers = QStringLiteral("every-verifier");
            lesson.reference = QStringLiteral("RFC 7515 §10.5; RFC 8725 §3.5");
            message = LessonsText::tr("%1 is an HMAC: the same secret makes and checks the signature, so every "
                                      "service that can verify this token could also have signed it, and the "
                                      "secret has to be copied to each of them.")
                          .arg(alg);
        } else if (info) {
            signers = QStringLiteral("private-key-holder");
            lesson.reference = QStringLiteral("RFC 7515 §10.5; RFC 8725 §3.2");
            message = LessonsText::tr("%1 is a public-key signature: only the holder of the private key could have "
                                      "signed this token. Verifiers need only the public key, which can be "
                                      "published (for example in a JWKS) without letting anyone sign.")
                          .arg(alg);
        } else if (alg.isEmpty()) {
            signers = QStringLiteral("unknown");
            lesson.reference = QStringLiteral("RFC 8725 §3.1");
            message = LessonsText::tr("The header names no algorithm (\"alg\"), so who could have signed it cannot "
                                      "be told; a verifier must refuse it.");
        } else {
            signers = QStringLiteral("unknown");
            lesson.reference = QStringLiteral("RFC 8725 §3.1");
            message = LessonsText::tr("\"alg\" %1 is not an algorithm this app knows, so who could sign it cannot "
                                      "be told; a verifier must refuse it.")
                          .arg(quoted(alg));
        }
        addFigure(lesson, "signers", signers);
        const bool verified = m_key.has_value() && !m_key->isNull();
        addFigure(lesson, "verified", verified);
        if (verified) {
            addFigure(lesson, "verifiedWith", m_key->description());
            message += QLatin1String("\n\n");
            if (m_key->type() == KeyType::Oct)
                message += LessonsText::tr("It verified with the %1 you gave: whoever else holds that secret could "
                                           "mint tokens just like it.")
                               .arg(m_key->description());
            else
                message += LessonsText::tr("It verified with the %1 you gave: it was signed by the holder of the "
                                           "matching private key.")
                               .arg(m_key->description());
        } else if (signers != QLatin1String("anyone") && signers != QLatin1String("not-signed")) {
            message += QLatin1String("\n\n")
                + LessonsText::tr("No key has verified it here: until one does, treat it as written by anyone.");
        }
        lesson.message = message;
        lesson.points = {
            LessonsText::tr("HMAC (HS256, HS384, HS512): one shared secret; fine when the issuer verifies its own "
                            "tokens, risky when many services must hold the secret."),
            LessonsText::tr("RSA, ECDSA, EdDSA (RS256, PS256, ES256, EdDSA, …): the issuer keeps the private key, "
                            "every verifier gets the public key."),
            LessonsText::tr("A verifier fixes the algorithm it accepts from its key, never from the token's header "
                            "(RFC 8725 §3.1)."),
        };
        return lesson;
    }

    Lesson tokenOrSession() const
    {
        Lesson lesson;
        lesson.code = QStringLiteral("token-or-session");
        lesson.title = LessonsText::tr("A token or a session?");
        lesson.reference = owasp("No Built-In Token Revocation by the User") + QStringLiteral("; RFC 7519 §4.1.4");
        QString lifetimeClass;
        QString about;
        // The stated lifetime, else what is left of it; a plain value, as GCC 12 misreads std::optional here.
        const qint64 lifetime = m_lifetime ? *m_lifetime : m_exp ? *m_exp - m_now : 0;
        if (!m_exp) {
            lifetimeClass = QStringLiteral("unbounded");
            about = LessonsText::tr("This token never expires, so it has the cost of a token without its excuse: "
                                    "it cannot be taken back, and nothing makes it end. A session, or an expiry, "
                                    "would serve better.");
        } else if (lifetime <= kShortLifetime) {
            lifetimeClass = QStringLiteral("short");
            about = LessonsText::tr("With a lifetime of %1 this token is the short-lived kind that suits a JWT: a "
                                    "stolen copy is useful only briefly, and a refresh token checked on the server "
                                    "gives back the control a session has.")
                        .arg(durationText(std::max<qint64>(0, lifetime)));
        } else if (lifetime <= kLongLifetime) {
            lifetimeClass = QStringLiteral("medium");
            about = LessonsText::tr("With a lifetime of %1 a stolen copy of this token stays useful for hours; "
                                    "shorter access tokens with refresh tokens would narrow that window.")
                        .arg(durationText(lifetime));
        } else {
            lifetimeClass = QStringLiteral("long");
            about = LessonsText::tr("With a lifetime of %1 this token acts like a long session the server cannot "
                                    "end: for a login that lasts this long, a server-side session (or a short "
                                    "access token with a refresh token) would serve better.")
                        .arg(durationText(lifetime));
        }
        addFigure(lesson, "lifetimeClass", lifetimeClass);
        if (m_exp)
            addFigure(lesson, "lifetimeSeconds", lifetime);
        lesson.message
            = LessonsText::tr("A JWT is checked without asking anyone: the verifier needs only the key, so it works "
                              "across services and suits delegated login (OpenID Connect, OAuth). The price is that "
                              "the server cannot take it back before it expires.")
            + QLatin1String("\n\n")
            + LessonsText::tr("A session id is a short random name for state the server keeps: each request costs a "
                              "look-up, and in return logout and revocation take effect at once.")
            + QLatin1String("\n\n") + about;
        return lesson;
    }

    const Token& m_token;
    const std::optional<Key>& m_key;
    qint64 m_now;
    const JsonValue* m_claims;
    std::optional<qint64> m_iat;
    std::optional<qint64> m_exp;
    std::optional<qint64> m_lifetime;
};

// Header parameters that say how to read the token rather than whom it is about.
bool keepsHeaderValue(const QString& name)
{
    return name == QLatin1String("alg") || name == QLatin1String("typ") || name == QLatin1String("cty")
        || name == QLatin1String("b64");
}

void appendIndent(QByteArray& out, int depth)
{
    out.append(QByteArray(depth * 2, ' '));
}

void appendRedacted(QByteArray& out, const JsonValue& value, int depth)
{
    switch (value.kind) {
    case JsonValue::Kind::Null:
        out += "null";
        return;
    case JsonValue::Kind::Bool:
        out += "false";
        return;
    case JsonValue::Kind::Number:
        out += '0';
        return;
    case JsonValue::Kind::String:
        out += "\"redacted\"";
        return;
    case JsonValue::Kind::Array:
        if (value.items.empty()) {
            out += "[]";
            return;
        }
        out += "[\n";
        for (std::size_t i = 0; i < value.items.size(); ++i) {
            appendIndent(out, depth + 1);
            appendRedacted(out, value.items[i], depth + 1);
            out += i + 1 < value.items.size() ? ",\n" : "\n";
        }
        appendIndent(out, depth);
        out += ']';
        return;
    case JsonValue::Kind::Object:
        if (value.members.empty()) {
            out += "{}";
            return;
        }
        out += "{\n";
        for (std::size_t i = 0; i < value.members.size(); ++i) {
            appendIndent(out, depth + 1);
            out += jsonQuote(value.members[i].name) + ": ";
            appendRedacted(out, value.members[i].value, depth + 1);
            out += i + 1 < value.members.size() ? ",\n" : "\n";
        }
        appendIndent(out, depth);
        out += '}';
        return;
    }
}

void appendRedactedHeader(QByteArray& out, const JsonValue& header)
{
    if (!header.isObject() || header.members.empty()) {
        appendRedacted(out, header, 1);
        return;
    }
    out += "{\n";
    for (std::size_t i = 0; i < header.members.size(); ++i) {
        const JsonMember& member = header.members[i];
        appendIndent(out, 2);
        out += jsonQuote(member.name) + ": ";
        if (keepsHeaderValue(member.name) && (member.value.isString() || member.value.kind == JsonValue::Kind::Bool))
            out += member.value.toCompactJson();
        else
            appendRedacted(out, member.value, 2);
        out += i + 1 < header.members.size() ? ",\n" : "\n";
    }
    appendIndent(out, 1);
    out += '}';
}

} // namespace

QVariant Lesson::figure(QStringView name) const
{
    for (const LessonFigure& figure : figures) {
        if (figure.name == name)
            return figure.value;
    }
    return {};
}

QByteArray lessonsJson(const std::vector<Lesson>& lessons)
{
    const auto stringArray = [](const QStringList& strings) {
        QByteArray out = "[";
        for (qsizetype i = 0; i < strings.size(); ++i)
            out += (i ? "," : "") + jsonQuote(strings.at(i));
        return out + ']';
    };
    QByteArray out = "[";
    for (std::size_t i = 0; i < lessons.size(); ++i) {
        const Lesson& lesson = lessons[i];
        out += i ? ",{" : "{";
        out += "\"code\":" + jsonQuote(lesson.code) + ",\"title\":" + jsonQuote(lesson.title) + ",\"message\":"
            + jsonQuote(lesson.message) + ",\"points\":" + stringArray(lesson.points) + ",\"figures\":{";
        for (std::size_t f = 0; f < lesson.figures.size(); ++f) {
            const LessonFigure& figure = lesson.figures[f];
            out += (f ? "," : "") + jsonQuote(figure.name) + ':';
            switch (figure.value.typeId()) {
            case QMetaType::Bool:
                out += figure.value.toBool() ? "true" : "false";
                break;
            case QMetaType::LongLong:
            case QMetaType::Int:
                out += QByteArray::number(figure.value.toLongLong());
                break;
            case QMetaType::QStringList:
                out += stringArray(figure.value.toStringList());
                break;
            default:
                out += jsonQuote(figure.value.toString());
                break;
            }
        }
        out += "},\"reference\":" + jsonQuote(lesson.reference) + '}';
    }
    return out + ']';
}

QStringList personalClaimNames(const Token& token)
{
    QStringList names;
    if (const JsonValue* claims = token.claims()) {
        for (const JsonMember& member : claims->members) {
            if (looksPersonal(member.name) && !names.contains(member.name))
                names.append(member.name);
        }
    }
    return names;
}

std::vector<Lesson> lessonsFor(const Token& token, const std::optional<Key>& verifiedWith, qint64 now)
{
    if (token.kind == TokenKind::Empty || (!token.header() && !token.claims()))
        return {};
    return LessonsBuilder(token, verifiedWith, now).build();
}

QByteArray redactedJson(const Token& token)
{
    const JsonValue* header = token.header();
    const JsonValue* payload = token.kind == TokenKind::Jwe ? nullptr : token.claims();
    if (!header && !payload)
        return {};
    QByteArray out = "{\n  \"header\": ";
    if (header)
        appendRedactedHeader(out, *header);
    else
        out += "null";
    out += ",\n  \"payload\": ";
    if (payload)
        appendRedacted(out, *payload, 1);
    else
        out += "null";
    out += "\n}\n";
    return out;
}

} // namespace jwti
