#include "core/jose/Findings.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Claims.h"
#include "core/jose/Wording.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>
#include <QtDebug>
#include <algorithm>
#include <cmath>
#include <limits>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Findings", for every string here.
struct FindingsText
{
    Q_DECLARE_TR_FUNCTIONS(Findings)
};

// The bundled wallarm/jwt-secrets list: CRLF line endings, an empty first line.
QSet<QByteArray> loadWeakSecrets()
{
    QSet<QByteArray> secrets;
    QFile file(QStringLiteral(":/weak-secrets/jwt.secrets.list"));
    if (!file.open(QIODevice::ReadOnly)) {
        // The list is compiled into the binary, so this is a build bug, not a user error.
        qWarning("the weak-secret list is missing from the resources: %s", qPrintable(file.errorString()));
        return secrets;
    }
    const QByteArray all = file.readAll();
    secrets.reserve(all.count('\n') + 1);
    qsizetype start = 0;
    while (start < all.size()) {
        qsizetype end = all.indexOf('\n', start);
        if (end < 0)
            end = all.size();
        qsizetype lineEnd = end;
        if (lineEnd > start && all.at(lineEnd - 1) == '\r')
            --lineEnd;
        if (lineEnd > start)
            secrets.insert(all.mid(start, lineEnd - start));
        start = end + 1;
    }
    return secrets;
}

// A NumericDate read for the lint: exact when it is a 64-bit integer, else through a double (never overflowing).
// NaN when the value is missing or not a finite number (a NaN rather than std::optional: GCC 12 reports a false
// maybe-uninitialized for std::optional<double>).
double numericDate(const JsonValue* value)
{
    constexpr double missing = std::numeric_limits<double>::quiet_NaN();
    if (!value || !value->isNumber())
        return missing;
    if (const auto exact = value->toInteger())
        return static_cast<double>(*exact);
    const auto asDouble = value->toDouble();
    if (!asDouble || !std::isfinite(*asDouble))
        return missing;
    return *asDouble;
}

qint64 clampedSeconds(double seconds)
{
    if (seconds >= 9.2e18)
        return std::numeric_limits<qint64>::max();
    if (seconds <= -9.2e18)
        return std::numeric_limits<qint64>::min();
    return static_cast<qint64>(std::floor(seconds));
}

QString durationText(double seconds)
{
    // formatRelative picks the unit; strip its "in " so the text reads as a length of time.
    const QString text = formatRelative(clampedSeconds(seconds), 0);
    return text.startsWith(QLatin1String("in ")) ? text.mid(3) : text;
}

// Whether a claim name looks like it carries a secret or personal data that must not travel in a readable payload.
bool looksSensitive(const QString& name)
{
    static const QStringList exempt = {QStringLiteral("token_type"), QStringLiteral("token_use")};
    if (exempt.contains(name, Qt::CaseInsensitive))
        return false;
    static const QSet<QString> wordKeywords = {
        QStringLiteral("password"),   QStringLiteral("passwd"),     QStringLiteral("pwd"),
        QStringLiteral("passphrase"), QStringLiteral("secret"),     QStringLiteral("ssn"),
        QStringLiteral("card"),       QStringLiteral("cvv"),        QStringLiteral("cvc"),
        QStringLiteral("credit"),     QStringLiteral("iban"),       QStringLiteral("pin"),
        QStringLiteral("token"),      QStringLiteral("credential"), QStringLiteral("apikey"),
        QStringLiteral("privatekey"),
    };
    // Compounds written without separators ("apikey", "creditcardnumber").
    static const QStringList compoundKeywords = {
        QStringLiteral("password"),     QStringLiteral("passwd"),         QStringLiteral("apikey"),
        QStringLiteral("privatekey"),   QStringLiteral("secretkey"),      QStringLiteral("accesskey"),
        QStringLiteral("creditcard"),   QStringLiteral("cardnumber"),     QStringLiteral("accesstoken"),
        QStringLiteral("refreshtoken"), QStringLiteral("socialsecurity"), QStringLiteral("clientsecret"),
    };
    const QStringList words = memberNameWords(name);
    for (const QString& word : words) {
        if (wordKeywords.contains(word))
            return true;
        if (word.endsWith(QLatin1Char('s')) && wordKeywords.contains(word.chopped(1)))
            return true;
    }
    const QString joined = words.join(QString());
    return std::any_of(compoundKeywords.begin(), compoundKeywords.end(),
                       [&joined](const QString& keyword) { return joined.contains(keyword); });
}

// Header parameters registered by RFC 7515 §4.1 and RFC 7516/7518 for JWE: crit must not list them (§4.1.11).
bool isRegisteredHeaderParameter(const QString& name)
{
    static const QSet<QString> registered = {
        QStringLiteral("alg"), QStringLiteral("jku"), QStringLiteral("jwk"),  QStringLiteral("kid"),
        QStringLiteral("x5u"), QStringLiteral("x5c"), QStringLiteral("x5t"),  QStringLiteral("x5t#S256"),
        QStringLiteral("typ"), QStringLiteral("cty"), QStringLiteral("crit"), QStringLiteral("enc"),
        QStringLiteral("zip"), QStringLiteral("epk"), QStringLiteral("apu"),  QStringLiteral("apv"),
        QStringLiteral("iv"),  QStringLiteral("tag"), QStringLiteral("p2s"),  QStringLiteral("p2c"),
    };
    return registered.contains(name);
}

const JsonMember* lastMember(const JsonValue& object, QStringView name)
{
    const JsonMember* found = nullptr;
    for (const JsonMember& member : object.members) {
        if (member.name == name)
            found = &member;
    }
    return found;
}

// Where a finding points: a segment index and characters in Token::text.
struct Place
{
    int segment = -1;
    OffsetRange range;
};

class Linter
{
public:
    Linter(const Token& token, const LintContext& context)
        : m_token(token)
        , m_context(context)
    {
    }

    std::vector<Finding> run()
    {
        lintNoise();
        lintSize();
        lintEncoding();
        if (m_token.kind == TokenKind::Jwe) {
            lintJwe();
        } else {
            lintHeaders();
            lintKey();
            lintClaims();
        }
        std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
            if (a.severity != b.severity)
                return a.severity > b.severity;
            if (a.segment != b.segment)
                return a.segment < b.segment;
            return a.range.begin < b.range.begin;
        });
        return std::move(m_findings);
    }

private:
    void add(Severity severity, const char* code, const QString& message, const QString& why, const char* reference,
             Place place = {})
    {
        Finding finding;
        finding.severity = severity;
        finding.code = QLatin1String(code);
        finding.message = message;
        finding.why = why;
        finding.reference = QString::fromUtf8(reference); // "§" is UTF-8 in the source
        finding.segment = place.segment;
        finding.range = place.range;
        m_findings.push_back(std::move(finding));
    }

    int indexOf(const Segment& segment) const
    {
        for (std::size_t i = 0; i < m_token.segments.size(); ++i) {
            const Segment& candidate = m_token.segments[i];
            if (&candidate == &segment
                || (candidate.role == segment.role && candidate.range == segment.range
                    && candidate.encoded == segment.encoded))
                return static_cast<int>(i);
        }
        return -1;
    }

    Place wholeSegment(const Segment& segment) const { return {indexOf(segment), segment.range}; }

    // The characters of a segment that encode bytes [span.begin, span.end) of its decoded JSON: base64url maps
    // 3 bytes to 4 characters, so the range is exact up to the group boundary.
    Place placeOf(const Segment& segment, JsonSpan span) const
    {
        const int index = indexOf(segment);
        if (index < 0)
            return {};
        OffsetRange chars;
        if (segment.role == SegmentRole::Payload && m_token.unencodedPayload)
            chars = span; // RFC 7797: the payload is its own bytes
        else
            chars = Base64Url::encodedRangeForBytes(span, segment.encoded.size());
        return {index, {segment.range.begin + chars.begin, segment.range.begin + chars.end}};
    }

    Place placeOf(const Segment& segment, const JsonMember& member) const { return placeOf(segment, member.span()); }

    static const JsonValue* objectOf(const Segment& segment)
    {
        if (!segment.json || !segment.json->root || !segment.json->root->isObject())
            return nullptr;
        return &*segment.json->root;
    }

    // ---- the token as a whole ----

    void lintNoise()
    {
        for (const NoiseNote& note : m_token.noise)
            add(Severity::Info, "paste-noise", note.message,
                FindingsText::tr("Only the token itself was decoded; a verifier would reject the text as pasted."),
                "RFC 7515 §7.1");
    }

    void lintSize()
    {
        // Browsers guarantee only 4096 bytes per cookie (RFC 6265 §6.1), and many servers limit header sizes.
        constexpr qsizetype cookieLimit = 4096;
        if (m_token.text.size() > cookieLimit)
            add(Severity::Info, "token-large",
                FindingsText::tr("The token is %1 characters long, more than the %2 a cookie is guaranteed to hold.")
                    .arg(m_token.text.size())
                    .arg(cookieLimit),
                FindingsText::tr(
                    "Large tokens get cut off in cookies and rejected by proxies; keep claims small or send a "
                    "reference instead."),
                "RFC 6265 §6.1");
    }

    void lintEncoding()
    {
        for (const Segment& segment : m_token.segments) {
            const auto& issues = segment.decoded.issues;
            if (issues.empty())
                continue;
            const Base64Issue& first = issues.front();
            QString message = FindingsText::tr("The %1 segment is not canonical base64url: %2")
                                  .arg(segmentRoleName(segment.role), first.message);
            if (issues.size() > 1)
                message += FindingsText::tr(" (and %1 more problems)").arg(issues.size() - 1);
            const qsizetype begin = segment.range.begin + first.offset;
            add(Severity::Warning, "base64-noncanonical", message,
                FindingsText::tr(
                    "RFC 7515 requires unpadded base64url; a strict verifier rejects this token, and a lenient one "
                    "accepts several spellings of the same bytes."),
                "RFC 7515 §2", {indexOf(segment), {begin, begin + first.length}});
        }
    }

    void lintJwe()
    {
        Place place;
        for (const Segment& segment : m_token.segments) {
            if (segment.role == SegmentRole::Ciphertext)
                place = wholeSegment(segment);
        }
        add(Severity::Info, "jwe-encrypted",
            FindingsText::tr("This is an encrypted token (JWE): the header is readable, the payload is not."),
            FindingsText::tr(
                "Only the holder of the recipient's key can decrypt the payload; its claims cannot be shown or "
                "checked here."),
            "RFC 7516 §9", place);
        for (const Segment& segment : m_token.segments) {
            if (segment.role != SegmentRole::Header)
                continue;
            lintDuplicates(segment, Severity::Critical, FindingsText::tr("header"));
            if (const JsonValue* header = objectOf(segment))
                lintJweHeader(segment, *header);
        }
    }

    // What the key management and content algorithms of a JWE header say about it (RFC 7518 §4, §5; RFC 8725).
    void lintJweHeader(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* alg = lastMember(header, u"alg");
        if (alg && alg->value.isString()) {
            const QString name = alg->value.string;
            const KeyManagementInfo* management = findKeyManagement(name);
            if (!management) {
                add(Severity::Warning, "jwe-alg-unknown",
                    FindingsText::tr("\"alg\" %1 is not a JWE key management algorithm this app knows.")
                        .arg(quoted(name)),
                    FindingsText::tr("Key management algorithms come from RFC 7518 §4.1; this token cannot be "
                                     "decrypted here."),
                    "RFC 7518 §4.1", placeOf(segment, *alg));
            } else if (management->mode == KeyManagementMode::RsaPkcs1) {
                add(Severity::Warning, "jwe-rsa1_5",
                    FindingsText::tr("\"alg\" is RSA1_5: RSA PKCS#1 v1.5 key encryption, deprecated."),
                    FindingsText::tr("Its padding has been attacked for decades (Bleichenbacher); a decrypter that "
                                     "reveals a padding failure decrypts for the attacker. Use RSA-OAEP-256. This app "
                                     "decrypts it without saying which step failed, and never produces it."),
                    "RFC 8725 §3.2", placeOf(segment, *alg));
            } else if (management->mode == KeyManagementMode::Pbes2) {
                const JsonMember* p2c = lastMember(header, u"p2c");
                const std::optional<qint64> count = p2c ? p2c->value.toInteger() : std::nullopt;
                if (count && (*count < kPbes2MinCount || *count > kPbes2MaxCount))
                    add(Severity::Warning, "jwe-p2c-bounds",
                        FindingsText::tr("\"p2c\" is %1 PBES2 iterations, outside 1000 to 1,000,000.").arg(*count),
                        *count < kPbes2MinCount
                            ? FindingsText::tr("So few iterations barely slow down guessing the password; this app "
                                               "refuses to decrypt it.")
                            : FindingsText::tr("A count this high makes every decrypt attempt spend seconds: a denial "
                                               "of service. This app refuses to decrypt it."),
                        "RFC 7518 §4.8.1.2", placeOf(segment, *p2c));
            }
        }
        const JsonMember* enc = lastMember(header, u"enc");
        if (enc && enc->value.isString() && !findEnc(enc->value.string))
            add(Severity::Warning, "jwe-enc-unknown",
                FindingsText::tr("\"enc\" %1 is not a JWE content encryption this app knows.")
                    .arg(quoted(enc->value.string)),
                FindingsText::tr("Content encryption algorithms come from RFC 7518 §5.1; this token cannot be "
                                 "decrypted here."),
                "RFC 7518 §5.1", placeOf(segment, *enc));
    }

    // ---- headers ----

    void lintHeaders()
    {
        if (!m_token.signatures.empty()) {
            for (const JwsSignature& signature : m_token.signatures)
                lintHeader(signature.protectedHeader);
            return;
        }
        for (const Segment& segment : m_token.segments) {
            if (segment.role == SegmentRole::Header) {
                lintHeader(segment);
                break;
            }
        }
    }

    void lintHeader(const Segment& segment)
    {
        lintDuplicates(segment, Severity::Critical, FindingsText::tr("header"));
        const JsonValue* header = objectOf(segment);
        if (!header)
            return;
        lintAlg(segment, *header);
        lintKeyReferences(segment, *header);
        lintKid(segment, *header);
        lintCrit(segment, *header);
        lintTyp(segment, *header);
    }

    void lintAlg(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* alg = lastMember(header, u"alg");
        if (!alg) {
            add(Severity::Warning, "alg-unknown", FindingsText::tr("The header has no \"alg\"."),
                FindingsText::tr("Every JWS header must name its algorithm; no verifier can check this token."),
                "RFC 7515 §4.1.1", wholeSegment(segment));
            return;
        }
        const Place place = placeOf(segment, *alg);
        if (!alg->value.isString()) {
            add(Severity::Warning, "alg-unknown", FindingsText::tr("\"alg\" is not a string."),
                FindingsText::tr("An algorithm is named by a case-sensitive string; no verifier can check this token."),
                "RFC 7515 §4.1.1", place);
            return;
        }
        const QString name = alg->value.string;
        m_algs.append(name);
        if (name == QLatin1String("none")) {
            add(Severity::Critical, "alg-none",
                FindingsText::tr("\"alg\" is \"none\": the token is unsecured and has no signature."),
                FindingsText::tr(
                    "Anyone can write such a token; a verifier that accepts \"none\" accepts forgeries. It never "
                    "verifies here."),
                "RFC 8725 §3.1", place);
            return;
        }
        if (name.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0) {
            add(Severity::Critical, "alg-none-variant",
                FindingsText::tr("\"alg\" is %1, a spelling of \"none\".").arg(quoted(name)),
                FindingsText::tr(
                    "Algorithm names are case-sensitive, but some libraries compare them case-insensitively and then "
                    "skip the signature check; this spelling is a known way to get a forged token past them."),
                "RFC 8725 §3.1", place);
            return;
        }
        if (!findAlg(name))
            add(Severity::Warning, "alg-unknown",
                FindingsText::tr("\"alg\" %1 is not a JWS algorithm this app knows.").arg(quoted(name)),
                FindingsText::tr(
                    "Algorithm names are case-sensitive and must come from the JOSE registry; this token cannot be "
                    "verified here."),
                "RFC 7518 §3.1", place);
    }

    void lintKeyReferences(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* typ = lastMember(header, u"typ");
        // A DPoP proof carries its public key in "jwk" by design (RFC 9449 §4.2); the binding is the cnf.jkt of the
        // access token, so there it is only worth a note.
        const bool dpopProof = typ && typ->value.isString()
            && typ->value.string.compare(QLatin1String("dpop+jwt"), Qt::CaseInsensitive) == 0;
        if (const JsonMember* jku = lastMember(header, u"jku"))
            add(Severity::Warning, "jku-present", FindingsText::tr("The header names a key set URL (\"jku\")."),
                FindingsText::tr(
                    "Never fetch or trust a key from a URL the token names itself: an attacker points it at their own "
                    "keys, or at internal hosts. This app shows it and never fetches it."),
                "RFC 8725 §3.10", placeOf(segment, *jku));
        if (const JsonMember* x5u = lastMember(header, u"x5u"))
            add(Severity::Warning, "x5u-present", FindingsText::tr("The header names a certificate URL (\"x5u\")."),
                FindingsText::tr(
                    "Never fetch or trust a certificate from a URL the token names itself: an attacker points it at "
                    "their own certificate, or at internal hosts. This app shows it and never fetches it."),
                "RFC 8725 §3.10", placeOf(segment, *x5u));
        if (const JsonMember* jwk = lastMember(header, u"jwk")) {
            if (dpopProof)
                add(Severity::Info, "jwk-present",
                    FindingsText::tr("The header embeds a public key (\"jwk\"), as a DPoP proof must."),
                    FindingsText::tr(
                        "The proof shows possession of this key; trust it only if it matches the cnf.jkt thumbprint "
                        "of the access token."),
                    "RFC 9449 §4.2", placeOf(segment, *jwk));
            else
                add(Severity::Warning, "jwk-present", FindingsText::tr("The header embeds a public key (\"jwk\")."),
                    FindingsText::tr(
                        "Anyone can sign a token with their own key and embed it; verify only with keys you already "
                        "trust. This app never uses it by itself."),
                    "https://portswigger.net/web-security/jwt#injecting-self-signed-jwts-via-the-jwk-parameter",
                    placeOf(segment, *jwk));
        }
        if (const JsonMember* x5c = lastMember(header, u"x5c"))
            add(Severity::Warning, "x5c-present", FindingsText::tr("The header embeds a certificate chain (\"x5c\")."),
                FindingsText::tr(
                    "A chain proves nothing until it is validated to a trust anchor you chose; a self-signed "
                    "certificate is as easy to make as a key. This app never trusts it by itself."),
                "RFC 7515 §4.1.6", placeOf(segment, *x5c));
    }

    void lintKid(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* kid = lastMember(header, u"kid");
        if (!kid)
            return;
        const Place place = placeOf(segment, *kid);
        const QString why
            = FindingsText::tr("A kid is text the sender controls; a server that puts it into a file path, a SQL or "
                               "LDAP query or a shell command without checking it can be made to use a key the "
                               "attacker knows.");
        if (!kid->value.isString()) {
            add(Severity::Warning, "kid-suspicious", FindingsText::tr("\"kid\" is not a string."), why,
                "RFC 7515 §4.1.4", place);
            return;
        }
        const QString& value = kid->value.string;
        QStringList reasons;
        if (value.contains(QLatin1String("..")))
            reasons.append(FindingsText::tr("\"..\" (path traversal)"));
        if (value.contains(QLatin1Char('/')) || value.contains(QLatin1Char('\\')))
            reasons.append(FindingsText::tr("a path separator"));
        if (value.contains(QLatin1Char('\'')) || value.contains(QLatin1Char('"')) || value.contains(QLatin1Char('`')))
            reasons.append(FindingsText::tr("a quote"));
        if (value.contains(QLatin1Char(';')) || value.contains(QLatin1String("--"))
            || value.contains(QLatin1String("/*")) || value.contains(QLatin1Char('|'))
            || value.contains(QLatin1String("${")) || value.contains(QLatin1String("$(")))
            reasons.append(FindingsText::tr("SQL or shell syntax"));
        const bool control = std::any_of(value.begin(), value.end(), [](QChar c) { return c.unicode() < 0x20; });
        if (control)
            reasons.append(value.contains(QChar(0)) ? FindingsText::tr("a NUL character")
                                                    : FindingsText::tr("a control character"));
        if (!reasons.isEmpty())
            add(Severity::Warning, "kid-suspicious",
                FindingsText::tr("\"kid\" contains %1.").arg(reasons.join(QLatin1String(", "))), why, "RFC 8725 §3.10",
                place);
    }

    // RFC 7515 §4.1.11: a recipient must reject a token whose crit names a parameter it does not understand, and
    // crit must be a non-empty array of names that occur in the header and are not defined by JWS/JWA themselves.
    void lintCrit(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* crit = lastMember(header, u"crit");
        const JsonMember* b64 = lastMember(header, u"b64");
        const char* reference = "RFC 7515 §4.1.11";
        const QString invalidWhy
            = FindingsText::tr("A recipient must reject a token with a malformed \"crit\"; this token is "
                               "invalid whatever its signature.");
        if (!crit) {
            // RFC 7797 §6: b64 must be listed in crit, or a recipient that ignores b64 reads the payload wrongly.
            if (b64)
                add(Severity::Warning, "crit-invalid",
                    FindingsText::tr("\"b64\" is present but not listed in \"crit\"."),
                    FindingsText::tr(
                        "A recipient that does not know b64 would verify a different payload; RFC 7797 requires "
                        "\"crit\": [\"b64\"]."),
                    "RFC 7797 §6", placeOf(segment, *b64));
            return;
        }
        const Place critPlace = placeOf(segment, *crit);
        if (!crit->value.isArray()) {
            add(Severity::Critical, "crit-invalid", FindingsText::tr("\"crit\" is not an array."), invalidWhy,
                reference, critPlace);
            return;
        }
        if (crit->value.items.empty()) {
            add(Severity::Critical, "crit-invalid",
                FindingsText::tr("\"crit\" is an empty list, which is not allowed."), invalidWhy, reference, critPlace);
            return;
        }
        QStringList seen;
        QStringList understood;
        bool problem = false;
        for (const JsonValue& item : crit->value.items) {
            const Place itemPlace = placeOf(segment, item.span);
            if (!item.isString()) {
                add(Severity::Critical, "crit-invalid",
                    FindingsText::tr("\"crit\" lists something that is not a name."), invalidWhy, reference, itemPlace);
                problem = true;
                continue;
            }
            const QString& name = item.string;
            if (seen.contains(name)) {
                add(Severity::Critical, "crit-invalid", FindingsText::tr("\"crit\" lists %1 twice.").arg(quoted(name)),
                    invalidWhy, reference, itemPlace);
                problem = true;
                continue;
            }
            seen.append(name);
            if (isRegisteredHeaderParameter(name)) {
                add(Severity::Critical, "crit-invalid",
                    FindingsText::tr("\"crit\" lists %1, a parameter JWS defines itself.").arg(quoted(name)),
                    invalidWhy, reference, itemPlace);
                problem = true;
            } else if (!lastMember(header, name)) {
                add(Severity::Critical, "crit-invalid",
                    FindingsText::tr("\"crit\" lists %1, which is not in the header.").arg(quoted(name)), invalidWhy,
                    reference, itemPlace);
                problem = true;
            } else if (name == QLatin1String("b64")) {
                understood.append(name);
            } else {
                add(Severity::Critical, "crit-unknown",
                    FindingsText::tr("\"crit\" requires %1, an extension this app does not understand.")
                        .arg(quoted(name)),
                    FindingsText::tr(
                        "A recipient must reject a token with a critical parameter it does not understand, so no "
                        "verifier that follows the standard accepts this token here."),
                    reference, itemPlace);
                problem = true;
            }
        }
        if (!problem)
            add(Severity::Info, "crit-present",
                FindingsText::tr("\"crit\" requires %1, which this app understands.")
                    .arg(understood.join(QLatin1String(", "))),
                FindingsText::tr("A recipient that does not understand a critical parameter must reject the token."),
                reference, critPlace);
    }

    // RFC 8725 §3.11: explicit types keep one kind of JWT from being accepted as another.
    void lintTyp(const Segment& segment, const JsonValue& header)
    {
        const JsonMember* typ = lastMember(header, u"typ");
        if (!typ)
            return;
        const QString why
            = FindingsText::tr("Verifiers that check \"typ\" expect \"JWT\" or a specific \"…+jwt\" type; an unusual "
                               "value may be a token of another kind used where it does not belong.");
        if (!typ->value.isString()) {
            add(Severity::Info, "typ-unusual", FindingsText::tr("\"typ\" is not a string."), why, "RFC 7515 §4.1.9",
                placeOf(segment, *typ));
            return;
        }
        QString type = typ->value.string.toLower();
        if (type.startsWith(QLatin1String("application/")))
            type = type.mid(12);
        const bool usual = type == QLatin1String("jwt") || type == QLatin1String("jose")
            || type == QLatin1String("jose+json") || type.endsWith(QLatin1String("+jwt"));
        if (!usual)
            add(Severity::Info, "typ-unusual",
                FindingsText::tr("\"typ\" is %1, not a JWT type.").arg(quoted(typ->value.string)), why,
                "RFC 8725 §3.11", placeOf(segment, *typ));
    }

    void lintDuplicates(const Segment& segment, Severity severity, const QString& where)
    {
        if (!segment.json)
            return;
        for (const JsonDuplicate& duplicate : segment.json->duplicates)
            add(severity, "duplicate-member",
                FindingsText::tr("%1 appears more than once in the %2.").arg(quoted(duplicate.path), where),
                FindingsText::tr(
                    "Parsers disagree on which copy counts (the first, the last, or an error), so a verifier and "
                    "an application can read different values from the same signed token."),
                "RFC 7515 §5.2", placeOf(segment, duplicate.second));
    }

    // ---- the key the user chose ----

    void lintKey()
    {
        const Key* key = m_context.key;
        if (!key || key->isNull())
            return;
        const AlgInfo* alg = m_algs.isEmpty() ? nullptr : findAlg(m_algs.front());
        if (key->type() == KeyType::Oct) {
            // RFC 7518 §3.2: the key must be at least as long as the hash output.
            const int neededBits = alg && alg->scheme == SignatureScheme::Hmac ? alg->minKeyBits : 256;
            const QString algName
                = alg && alg->scheme == SignatureScheme::Hmac ? alg->displayName() : QStringLiteral("HS256");
            if (key->bits() < neededBits)
                add(Severity::Warning, "hmac-weak-secret",
                    FindingsText::tr("The HMAC secret has %1 bits; %2 needs at least %3.")
                        .arg(key->bits())
                        .arg(algName)
                        .arg(neededBits),
                    FindingsText::tr(
                        "A secret shorter than the hash can be guessed offline from any one token; use a random "
                        "secret at least as long as the hash. Verifying and signing refuse it."),
                    "RFC 7518 §3.2");
            if (isKnownWeakSecret(key->secret().view()))
                add(Severity::Critical, "hmac-known-secret",
                    FindingsText::tr("The HMAC secret is in a public list of known JWT secrets."),
                    FindingsText::tr(
                        "Attackers try these secrets first; anyone can forge tokens signed with it. Generate a new "
                        "random secret."),
                    "RFC 8725 §3.5");
            if (alg && alg->scheme != SignatureScheme::Hmac && alg->scheme != SignatureScheme::None)
                add(Severity::Warning, "alg-key-mismatch",
                    FindingsText::tr("The token says %1, but the chosen key is an HMAC secret.")
                        .arg(alg->displayName()),
                    FindingsText::tr("A verifier must pick the algorithm from the key, not from the token."),
                    "RFC 8725 §3.1");
            return;
        }
        if (alg && alg->scheme == SignatureScheme::Hmac)
            add(Severity::Critical, "alg-key-mismatch",
                FindingsText::tr("The token says %1, but the chosen key is %2.")
                    .arg(alg->displayName(), key->description()),
                FindingsText::tr(
                    "Using a public key as an HMAC secret is the algorithm-confusion attack: anyone who has the "
                    "public key can forge tokens. This app never does it."),
                "RFC 8725 §3.1");
        if (key->type() == KeyType::Rsa && key->bits() < 2048)
            add(key->bits() < 1024 ? Severity::Critical : Severity::Warning, "rsa-weak-key",
                FindingsText::tr("The RSA key has %1 bits, fewer than the 2048 required.").arg(key->bits()),
                FindingsText::tr("Short RSA keys can be factored; verifying and signing refuse them."),
                "RFC 7518 §3.3");
    }

    // ---- claims ----

    void lintClaims()
    {
        const Segment& segment = m_token.payload;
        lintDuplicates(segment, Severity::Warning, FindingsText::tr("payload"));
        const JsonValue* claims = objectOf(segment);
        if (!claims)
            return;

        const JsonMember* exp = lastMember(*claims, u"exp");
        const JsonMember* nbf = lastMember(*claims, u"nbf");
        const JsonMember* iat = lastMember(*claims, u"iat");
        for (const JsonMember* member : {exp, nbf, iat}) {
            if (member && std::isnan(numericDate(&member->value)))
                add(Severity::Warning, "numericdate-invalid",
                    FindingsText::tr("%1 is not a NumericDate (a finite number of seconds).").arg(quoted(member->name)),
                    FindingsText::tr("Verifiers reject or misread such a date."), "RFC 7519 §2",
                    placeOf(segment, *member));
        }
        const double expDate = exp ? numericDate(&exp->value) : std::numeric_limits<double>::quiet_NaN();
        const double nbfDate = nbf ? numericDate(&nbf->value) : std::numeric_limits<double>::quiet_NaN();
        const double iatDate = iat ? numericDate(&iat->value) : std::numeric_limits<double>::quiet_NaN();
        const auto now = static_cast<double>(m_context.now);

        if (!exp)
            add(Severity::Warning, "no-exp", FindingsText::tr("The token has no expiry (\"exp\")."),
                FindingsText::tr(
                    "A token without exp is valid forever: if it leaks, it can be used until the key changes."),
                "RFC 7519 §4.1.4", wholeSegment(segment));
        if (expDate <= now)
            add(Severity::Info, "expired",
                FindingsText::tr("The token %1 (%2).")
                    .arg(describeTime(ClaimTimeKind::Expiration, clampedSeconds(expDate), m_context.now),
                         formatUtc(clampedSeconds(expDate))),
                FindingsText::tr("A verifier rejects it unless the clock it checks against is wrong."),
                "RFC 7519 §4.1.4", placeOf(segment, *exp));
        if (nbfDate > now)
            add(Severity::Info, "not-yet-valid",
                FindingsText::tr("The token is %1.")
                    .arg(describeTime(ClaimTimeKind::NotBefore, clampedSeconds(nbfDate), m_context.now)),
                FindingsText::tr("A verifier rejects it until then."), "RFC 7519 §4.1.5", placeOf(segment, *nbf));
        if (iatDate > now)
            add(Severity::Info, "issued-in-future",
                FindingsText::tr("The token was %1.")
                    .arg(describeTime(ClaimTimeKind::IssuedAt, clampedSeconds(iatDate), m_context.now)),
                FindingsText::tr("The issuer's clock is ahead, or the token was made by hand."), "RFC 7519 §4.1.6",
                placeOf(segment, *iat));
        if (!std::isnan(expDate) && !std::isnan(iatDate)) {
            const double lifetime = expDate - iatDate;
            constexpr double day = 24 * 60 * 60;
            if (lifetime <= 0)
                add(Severity::Warning, "exp-before-iat",
                    FindingsText::tr("The token expires %1 it was issued.")
                        .arg(lifetime == 0 ? FindingsText::tr("at the moment")
                                           : FindingsText::tr("%1 before").arg(durationText(-lifetime))),
                    FindingsText::tr("Such a token was never valid; the issuer's clock or code is wrong."),
                    "RFC 7519 §4.1.4", placeOf(segment, *exp));
            else if (lifetime > day)
                add(Severity::Warning, "long-lifetime",
                    FindingsText::tr("The token lives %1 (exp − iat), more than 24 h.").arg(durationText(lifetime)),
                    FindingsText::tr(
                        "A leaked token stays usable that long; prefer minutes to hours and refresh tokens for long "
                        "sessions."),
                    "RFC 7519 §4.1.4", placeOf(segment, *exp));
        }
        lintSensitive(segment, *claims, QString());
    }

    void lintSensitive(const Segment& segment, const JsonValue& value, const QString& path)
    {
        if (value.isArray()) {
            for (const JsonValue& item : value.items)
                lintSensitive(segment, item, path);
            return;
        }
        if (!value.isObject())
            return;
        for (const JsonMember& member : value.members) {
            const QString memberPath = path.isEmpty() ? member.name : path + QLatin1Char('.') + member.name;
            if (looksSensitive(member.name)) {
                add(Severity::Warning, "sensitive-claim",
                    FindingsText::tr("%1 looks like a secret or personal data.").arg(quoted(memberPath)),
                    FindingsText::tr(
                        "A signed token is only encoded, not encrypted: anyone who holds it can read every claim. "
                        "Keep secrets out, or use an encrypted token (JWE)."),
                    "RFC 7519 §12", placeOf(segment, member));
                continue;
            }
            lintSensitive(segment, member.value, memberPath);
        }
    }

    const Token& m_token;
    const LintContext& m_context;
    std::vector<Finding> m_findings;
    QStringList m_algs; // the "alg" of each signature, in order
};

} // namespace

QString severityName(Severity severity)
{
    switch (severity) {
    case Severity::Info:
        return QStringLiteral("info");
    case Severity::Warning:
        return QStringLiteral("warning");
    case Severity::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

std::vector<Finding> lintToken(const Token& token, const LintContext& context)
{
    if (token.kind == TokenKind::Empty)
        return {};
    return Linter(token, context).run();
}

bool isKnownWeakSecret(QByteArrayView secret)
{
    if (secret.isEmpty())
        return false;
    // A function-local static is initialised once, thread-safely; the list is read only on first use.
    static const QSet<QByteArray> secrets = loadWeakSecrets();
    // fromRawData makes no copy, so the secret is not duplicated into memory nobody wipes.
    return secrets.contains(QByteArray::fromRawData(secret.data(), secret.size()));
}

} // namespace jwti
