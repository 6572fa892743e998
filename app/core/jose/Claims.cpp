#include "core/jose/Claims.h"

#include "core/jose/Wording.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QtDebug>
#include <cmath>
#include <limits>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Claims", for every string here.
struct ClaimsText
{
    Q_DECLARE_TR_FUNCTIONS(Claims)
};

// ---- explanations.json ----------------------------------------------------------------------------------------

struct ExplanationTable
{
    QHash<QString, Explanation> claims;
    QHash<QString, Explanation> header;
};

QHash<QString, Explanation> readSection(const QJsonObject& section)
{
    QHash<QString, Explanation> table;
    for (auto it = section.begin(); it != section.end(); ++it) {
        const QJsonObject entry = it.value().toObject();
        Explanation explanation;
        explanation.name = it.key();
        explanation.title = entry.value(QLatin1String("title")).toString();
        explanation.text = entry.value(QLatin1String("text")).toString();
        explanation.reference = entry.value(QLatin1String("reference")).toString();
        explanation.registered = entry.value(QLatin1String("registered")).toBool();
        table.insert(explanation.name, explanation);
    }
    return table;
}

ExplanationTable loadExplanations()
{
    ExplanationTable table;
    QFile file(QStringLiteral(":/explanations.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        // The file is compiled into the binary, so this is a build bug, not a user error.
        qWarning("explanations.json is missing from the resources: %s", qPrintable(file.errorString()));
        return table;
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        qWarning("explanations.json does not parse at offset %d: %s", error.offset, qPrintable(error.errorString()));
        return table;
    }
    const QJsonObject root = document.object();
    table.claims = readSection(root.value(QLatin1String("claims")).toObject());
    table.header = readSection(root.value(QLatin1String("header")).toObject());
    return table;
}

const ExplanationTable& explanations()
{
    // A function-local static is initialised once, thread-safely (C++11 [stmt.dcl]/4).
    static const ExplanationTable table = loadExplanations();
    return table;
}

// ---- time arithmetic that never overflows --------------------------------------------------------------------

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kMin = std::numeric_limits<qint64>::min();

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? kMax : kMin;
    return sum;
}

qint64 saturatingSub(qint64 a, qint64 b)
{
    qint64 difference = 0;
    if (__builtin_sub_overflow(a, b, &difference))
        return b < 0 ? kMax : kMin;
    return difference;
}

// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days); exact for every qint64 day
// count that a qint64 second count can produce.
void civilFromDays(qint64 days, qint64& year, int& month, int& day)
{
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    day = static_cast<int>(dayOfYear - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
}

QString plural(qint64 count, const char* singular, const char* pluralForm)
{
    return QStringLiteral("%1 %2").arg(count).arg(QLatin1String(count == 1 ? singular : pluralForm));
}

// "14 min", "3 days", "2 years": the largest unit that keeps the number readable, rounded down.
QString formatDuration(qint64 seconds)
{
    constexpr qint64 minute = 60;
    constexpr qint64 hour = 60 * minute;
    constexpr qint64 day = 24 * hour;
    if (seconds < minute)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < hour)
        return QStringLiteral("%1 min").arg(seconds / minute);
    if (seconds < 48 * hour)
        return QStringLiteral("%1 h").arg(seconds / hour);
    const qint64 days = seconds / day;
    if (days < 60)
        return plural(days, "day", "days");
    // Months of 30 days and years of 365 days: a rough reading is what a person wants at this distance.
    if (days < 730)
        return plural(days / 30, "month", "months");
    return plural(days / 365, "year", "years");
}

// Within this many seconds either way a time reads as "now".
constexpr qint64 kNowSeconds = 2;

// ---- NumericDate ---------------------------------------------------------------------------------------------

QString kindName(const JsonValue& value)
{
    switch (value.kind) {
    case JsonValue::Kind::Null:
        return QStringLiteral("null");
    case JsonValue::Kind::Bool:
        return QStringLiteral("a boolean");
    case JsonValue::Kind::Number:
        return QStringLiteral("a number");
    case JsonValue::Kind::String:
        return QStringLiteral("a string");
    case JsonValue::Kind::Array:
        return QStringLiteral("an array");
    case JsonValue::Kind::Object:
        return QStringLiteral("an object");
    }
    return {};
}

// A NumericDate (RFC 7519 §2): a JSON number of seconds, possibly with a fraction. Integers that fit in 64 bits are
// compared exactly; anything else (a fraction, 1e300, a 30-digit integer) through a double that is clamped before it
// becomes an integer, so no value overflows.
struct NumericDate
{
    std::optional<qint64> exact;
    double value = 0;

    // The whole second at or before the date, clamped to qint64.
    qint64 floorSeconds() const
    {
        if (exact)
            return *exact;
        if (value >= 9.2e18)
            return kMax;
        if (value <= -9.2e18)
            return kMin;
        return static_cast<qint64>(std::floor(value));
    }
    // The date compared with whole seconds t: -1 before, 0 equal, 1 after.
    int compare(qint64 t) const
    {
        if (exact)
            return *exact < t ? -1 : (*exact > t ? 1 : 0);
        const auto tAsDouble = static_cast<double>(t);
        return value < tAsDouble ? -1 : (value > tAsDouble ? 1 : 0);
    }
};

// Either the date or the message saying why the member is not one.
struct NumericDateRead
{
    std::optional<NumericDate> date;
    QString problem;
};

NumericDateRead readNumericDate(const QString& name, const JsonValue& value)
{
    NumericDateRead read;
    if (!value.isNumber()) {
        read.problem = ClaimsText::tr("%1 must be a NumericDate (a number), it is %2").arg(name, kindName(value));
        return read;
    }
    NumericDate date;
    date.exact = value.toInteger();
    if (!date.exact) {
        const std::optional<double> asDouble = value.toDouble();
        if (!asDouble || !std::isfinite(*asDouble)) {
            read.problem = ClaimsText::tr("%1 must be a finite NumericDate; %2 is out of range")
                               .arg(name, QString::fromLatin1(value.raw.left(40)));
            return read;
        }
        date.value = *asDouble;
    } else {
        date.value = static_cast<double>(*date.exact);
    }
    read.date = date;
    return read;
}

QString when(qint64 seconds)
{
    return QStringLiteral("(%1)").arg(formatUtc(seconds));
}

ClaimCheck passed(const QString& claim, const QString& message)
{
    return ClaimCheck{claim, true, ErrorCode::ClaimInvalid, message};
}

ClaimCheck failed(const QString& claim, ErrorCode code, const QString& message)
{
    return ClaimCheck{claim, false, code, message};
}

QString quotedList(const QStringList& values)
{
    QStringList items;
    items.reserve(values.size());
    for (const QString& value : values)
        items.append(quoted(value));
    return QLatin1Char('[') + items.join(QLatin1String(", ")) + QLatin1Char(']');
}

// RFC 7519 §4.1.4: the token must not be accepted on or after exp; leeway allows for clock skew.
ClaimCheck checkExp(const NumericDate& exp, const ClaimsPolicy& policy, qint64 leeway)
{
    const QString claim = QStringLiteral("exp");
    const qint64 seconds = exp.floorSeconds();
    if (exp.compare(saturatingSub(policy.now, leeway)) <= 0)
        return failed(
            claim, ErrorCode::Expired,
            QStringLiteral("%1 %2").arg(describeTime(ClaimTimeKind::Expiration, seconds, policy.now), when(seconds)));
    if (!policy.explainPassed)
        return passed(claim, QString());
    if (exp.compare(policy.now) <= 0)
        return passed(claim,
                      ClaimsText::tr("expired %1 %2, accepted within the %3 s leeway")
                          .arg(formatRelative(seconds, policy.now), when(seconds))
                          .arg(leeway));
    return passed(claim,
                  ClaimsText::tr("not expired: %1 %2")
                      .arg(describeTime(ClaimTimeKind::Expiration, seconds, policy.now), when(seconds)));
}

// RFC 7519 §4.1.5: the token must not be accepted before nbf.
ClaimCheck checkNbf(const NumericDate& nbf, const ClaimsPolicy& policy, qint64 leeway)
{
    const QString claim = QStringLiteral("nbf");
    const qint64 seconds = nbf.floorSeconds();
    if (nbf.compare(saturatingAdd(policy.now, leeway)) > 0)
        return failed(claim, ErrorCode::NotYetValid, describeTime(ClaimTimeKind::NotBefore, seconds, policy.now));
    if (!policy.explainPassed)
        return passed(claim, QString());
    if (nbf.compare(policy.now) > 0)
        return passed(claim,
                      ClaimsText::tr("%1, accepted within the %2 s leeway")
                          .arg(describeTime(ClaimTimeKind::NotBefore, seconds, policy.now))
                          .arg(leeway));
    return passed(
        claim, QStringLiteral("%1 %2").arg(describeTime(ClaimTimeKind::NotBefore, seconds, policy.now), when(seconds)));
}

// RFC 7519 §4.1.6 sets no rule for iat, but a token issued in the future means a wrong clock or a forged token.
ClaimCheck checkIat(const NumericDate& iat, const ClaimsPolicy& policy, qint64 leeway)
{
    const QString claim = QStringLiteral("iat");
    const qint64 seconds = iat.floorSeconds();
    if (iat.compare(saturatingAdd(policy.now, leeway)) > 0)
        return failed(
            claim, ErrorCode::IssuedInFuture,
            ClaimsText::tr("issued in the future: %1 %2").arg(formatRelative(seconds, policy.now), when(seconds)));
    if (!policy.explainPassed)
        return passed(claim, QString());
    if (iat.compare(policy.now) > 0)
        return passed(claim,
                      ClaimsText::tr("issued in the future: %1 %2, accepted within the %3 s leeway")
                          .arg(formatRelative(seconds, policy.now), when(seconds))
                          .arg(leeway));
    return passed(
        claim, QStringLiteral("%1 %2").arg(describeTime(ClaimTimeKind::IssuedAt, seconds, policy.now), when(seconds)));
}

// RFC 7519 §4.1.3: aud is a string or an array of strings; the recipient must find itself in it.
ClaimCheck checkAud(const JsonValue* aud, const ClaimsPolicy& policy)
{
    const QString claim = QStringLiteral("aud");
    const QString expected = quotedList(policy.audiences);
    if (!aud)
        return failed(claim, ErrorCode::AudienceMismatch,
                      ClaimsText::tr("no aud claim; expected one of %1").arg(expected));
    QStringList audiences;
    if (aud->isString()) {
        audiences.append(aud->string);
    } else if (aud->isArray()) {
        for (std::size_t i = 0; i < aud->items.size(); ++i) {
            const JsonValue& item = aud->items[i];
            if (!item.isString())
                return failed(claim, ErrorCode::ClaimInvalid,
                              ClaimsText::tr("aud must be a string or an array of strings; item %1 is %2")
                                  .arg(i)
                                  .arg(kindName(item)));
            audiences.append(item.string);
        }
    } else {
        return failed(claim, ErrorCode::ClaimInvalid,
                      ClaimsText::tr("aud must be a string or an array of strings, it is %1").arg(kindName(*aud)));
    }
    for (const QString& audience : std::as_const(audiences)) {
        if (policy.audiences.contains(audience))
            return passed(claim, ClaimsText::tr("audience \"%1\" is expected").arg(audience));
    }
    if (aud->isString())
        return failed(claim, ErrorCode::AudienceMismatch,
                      ClaimsText::tr("audience \"%1\" not in %2").arg(aud->string, expected));
    return failed(claim, ErrorCode::AudienceMismatch,
                  ClaimsText::tr("none of the audiences %1 is in %2").arg(quotedList(audiences), expected));
}

// RFC 7519 §4.1.1, RFC 8725 §3.8: the issuer is compared as a case-sensitive string.
ClaimCheck checkIss(const JsonValue* iss, const ClaimsPolicy& policy)
{
    const QString claim = QStringLiteral("iss");
    if (!iss)
        return failed(claim, ErrorCode::IssuerMismatch,
                      ClaimsText::tr("no iss claim; expected \"%1\"").arg(policy.issuer));
    if (!iss->isString())
        return failed(claim, ErrorCode::ClaimInvalid,
                      ClaimsText::tr("iss must be a string, it is %1").arg(kindName(*iss)));
    if (iss->string != policy.issuer)
        return failed(claim, ErrorCode::IssuerMismatch,
                      ClaimsText::tr("issuer \"%1\" is not the expected \"%2\"").arg(iss->string, policy.issuer));
    return passed(claim, ClaimsText::tr("issuer \"%1\" is expected").arg(iss->string));
}

} // namespace

std::optional<Explanation> explainClaim(QStringView name)
{
    const auto& table = explanations().claims;
    const auto it = table.constFind(name.toString());
    if (it == table.constEnd())
        return std::nullopt;
    return *it;
}

std::optional<Explanation> explainHeaderParameter(QStringView name)
{
    const auto& table = explanations().header;
    const auto it = table.constFind(name.toString());
    if (it == table.constEnd())
        return std::nullopt;
    return *it;
}

QString formatUtc(qint64 seconds)
{
    constexpr qint64 day = 86400;
    qint64 days = seconds / day;
    qint64 secondOfDay = seconds % day;
    if (secondOfDay < 0) {
        secondOfDay += day;
        --days;
    }
    qint64 year = 0;
    int month = 0;
    int dayOfMonth = 0;
    civilFromDays(days, year, month, dayOfMonth);
    // ISO 8601 years outside 0000–9999 take a sign (the "expanded" representation).
    const QString yearText = (year >= 0 && year <= 9999)
        ? QStringLiteral("%1").arg(year, 4, 10, QLatin1Char('0'))
        : (year < 0 ? QStringLiteral("-") : QStringLiteral("+")) + QString::number(year < 0 ? -year : year);
    return QStringLiteral("%1-%2-%3T%4:%5:%6Z")
        .arg(yearText)
        .arg(month, 2, 10, QLatin1Char('0'))
        .arg(dayOfMonth, 2, 10, QLatin1Char('0'))
        .arg(secondOfDay / 3600, 2, 10, QLatin1Char('0'))
        .arg(secondOfDay / 60 % 60, 2, 10, QLatin1Char('0'))
        .arg(secondOfDay % 60, 2, 10, QLatin1Char('0'));
}

QString formatRelative(qint64 seconds, qint64 now)
{
    const qint64 delta = saturatingSub(seconds, now);
    if (delta >= -kNowSeconds && delta <= kNowSeconds)
        return ClaimsText::tr("now");
    if (delta > 0)
        return ClaimsText::tr("in %1").arg(formatDuration(delta));
    return ClaimsText::tr("%1 ago").arg(formatDuration(delta == kMin ? kMax : -delta));
}

QString describeTime(ClaimTimeKind kind, qint64 seconds, qint64 now)
{
    const QString relative = formatRelative(seconds, now);
    const qint64 delta = saturatingSub(seconds, now);
    const bool isNow = delta >= -kNowSeconds && delta <= kNowSeconds;
    switch (kind) {
    case ClaimTimeKind::Expiration:
        if (isNow)
            return seconds <= now ? ClaimsText::tr("expired just now") : ClaimsText::tr("expires now");
        return delta > 0 ? ClaimsText::tr("expires %1").arg(relative) : ClaimsText::tr("expired %1").arg(relative);
    case ClaimTimeKind::NotBefore:
        if (delta > 0 && !isNow)
            return ClaimsText::tr("not valid until %1 (%2)").arg(formatUtc(seconds), relative);
        return ClaimsText::tr("valid from %1").arg(relative);
    case ClaimTimeKind::IssuedAt:
        if (delta > 0 && !isNow)
            return ClaimsText::tr("issued in the future: %1").arg(relative);
        return ClaimsText::tr("issued %1").arg(relative);
    case ClaimTimeKind::Other:
        break;
    }
    return relative;
}

std::vector<ClaimCheck> checkClaims(const JsonValue& claims, const ClaimsPolicy& policy)
{
    std::vector<ClaimCheck> checks;
    checks.reserve(5);
    const qint64 leeway = policy.leeway > 0 ? policy.leeway : 0;
    // A payload that is not an object has no claims: every check the policy asks for fails as "missing".
    const auto member
        = [&claims](QStringView name) -> const JsonValue* { return claims.isObject() ? claims.member(name) : nullptr; };

    // The names are literals, not converted per call: verify --batch checks the claims of every line.
    struct TimeClaim
    {
        QString name;
        ClaimCheck (*check)(const NumericDate&, const ClaimsPolicy&, qint64);
    };
    static const TimeClaim timeClaims[]
        = {{QStringLiteral("exp"), checkExp}, {QStringLiteral("nbf"), checkNbf}, {QStringLiteral("iat"), checkIat}};
    for (const TimeClaim& timeClaim : timeClaims) {
        const QString& name = timeClaim.name;
        const JsonValue* value = member(name);
        if (!value) {
            if (name == QLatin1String("exp") && policy.requireExp)
                checks.push_back(failed(name, ErrorCode::ClaimInvalid, ClaimsText::tr("exp is required but missing")));
            continue;
        }
        const NumericDateRead read = readNumericDate(name, *value);
        if (!read.date) {
            checks.push_back(failed(name, ErrorCode::ClaimInvalid, read.problem));
            continue;
        }
        checks.push_back(timeClaim.check(*read.date, policy, leeway));
    }

    if (!policy.audiences.isEmpty())
        checks.push_back(checkAud(member(u"aud"), policy));
    if (!policy.issuer.isEmpty())
        checks.push_back(checkIss(member(u"iss"), policy));
    return checks;
}

bool isNumericDateClaim(QStringView name)
{
    return name == u"exp" || name == u"nbf" || name == u"iat" || name == u"auth_time" || name == u"updated_at";
}

ClaimTimeKind claimTimeKind(QStringView name)
{
    if (name == u"exp")
        return ClaimTimeKind::Expiration;
    if (name == u"nbf")
        return ClaimTimeKind::NotBefore;
    if (name == u"iat")
        return ClaimTimeKind::IssuedAt;
    return ClaimTimeKind::Other;
}

bool isFarFuture(qint64 seconds, qint64 now)
{
    return seconds - now > kFarFutureSeconds;
}

std::optional<qint64> numericDateSeconds(const JsonValue* value)
{
    if (!value || !value->isNumber())
        return std::nullopt;
    if (const auto exact = value->toInteger())
        return exact;
    const auto real = value->toDouble();
    if (!real || !std::isfinite(*real) || std::abs(*real) > 1e15)
        return std::nullopt;
    return static_cast<qint64>(std::floor(*real));
}

QStringList memberNameWords(const QString& name)
{
    QStringList words;
    QString current;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const QChar c = name.at(i);
        const bool separator = c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char('.') || c.isSpace();
        const bool caseBreak = c.isUpper() && i > 0 && name.at(i - 1).isLower();
        if ((separator || caseBreak) && !current.isEmpty()) {
            words.append(current);
            current.clear();
        }
        if (!separator)
            current.append(c.toLower());
    }
    if (!current.isEmpty())
        words.append(current);
    return words;
}

} // namespace jwti
