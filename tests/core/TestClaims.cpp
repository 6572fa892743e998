#include "core/jose/Claims.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <limits>

using namespace jwti;

namespace {

constexpr qint64 kJwtIoIat = 1516239022; // 2018-01-18T01:30:22Z, the iat of jwt.io's example token
constexpr qint64 kMinute = 60;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;

JsonValue parsed(const QByteArray& json)
{
    const JsonDocument document = parseJson(json);
    if (!document.ok())
        qFatal("test JSON does not parse: %s", json.constData());
    return *document.root;
}

const ClaimCheck* findCheck(const std::vector<ClaimCheck>& checks, const QString& claim)
{
    for (const ClaimCheck& check : checks) {
        if (check.claim == claim)
            return &check;
    }
    return nullptr;
}

QStringList claimNames(const std::vector<ClaimCheck>& checks)
{
    QStringList names;
    for (const ClaimCheck& check : checks)
        names.append(check.claim);
    return names;
}

} // namespace

class TestClaims : public QObject
{
    Q_OBJECT

private slots:
    void formatsUtcAsIso8601_data();
    void formatsUtcAsIso8601();
    void formatsExtremeTimesWithoutOverflow();
    void formatsRelativeTimeAtUnitBoundaries_data();
    void formatsRelativeTimeAtUnitBoundaries();
    void describesClaimTimes_data();
    void describesClaimTimes();

    void checksTimeClaimsOnBothSidesOfTheLeeway_data();
    void checksTimeClaimsOnBothSidesOfTheLeeway();
    void saysHowLongAgoATokenExpired();
    void reportsPassedChecksWithAMessage();
    void comparesFractionalDates_data();
    void comparesFractionalDates();
    void acceptsHugeDatesWithoutOverflow_data();
    void acceptsHugeDatesWithoutOverflow();
    void rejectsDatesThatAreNotNumbers_data();
    void rejectsDatesThatAreNotNumbers();
    void checksAudienceAsStringOrArray_data();
    void checksAudienceAsStringOrArray();
    void skipsAudienceAndIssuerWhenNotAsked();
    void checksIssuer_data();
    void checksIssuer();
    void requiresExpOnlyWhenAsked();
    void returnsChecksInOrder();
    void failsRequestedChecksOnANonObjectPayload();

    void explainsRegisteredClaimsAndHeaderParameters_data();
    void explainsRegisteredClaimsAndHeaderParameters();
    void explanationsResourceIsValidJson();
    void returnsNothingForUnknownNames();

    void citesAWellFormedSpecificationSectionForEveryEntry_data();
    void citesAWellFormedSpecificationSectionForEveryEntry();
    void explainsEveryClaimAndHeaderParameterTheIssueNames_data();
    void explainsEveryClaimAndHeaderParameterTheIssueNames();
};

void TestClaims::formatsUtcAsIso8601_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("expected");
    QTest::newRow("epoch") << qint64(0) << QStringLiteral("1970-01-01T00:00:00Z");
    QTest::newRow("jwt.io iat") << kJwtIoIat << QStringLiteral("2018-01-18T01:30:22Z");
    QTest::newRow("one second before the epoch") << qint64(-1) << QStringLiteral("1969-12-31T23:59:59Z");
    QTest::newRow("leap day 2000") << qint64(951782400) << QStringLiteral("2000-02-29T00:00:00Z");
    QTest::newRow("last second of 9999") << qint64(253402300799) << QStringLiteral("9999-12-31T23:59:59Z");
    QTest::newRow("year 10000 takes a sign") << qint64(253402300800) << QStringLiteral("+10000-01-01T00:00:00Z");
    QTest::newRow("2038 rollover") << qint64(2147483648) << QStringLiteral("2038-01-19T03:14:08Z");
}

void TestClaims::formatsUtcAsIso8601()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, expected);
    QCOMPARE(formatUtc(seconds), expected);
}

void TestClaims::formatsExtremeTimesWithoutOverflow()
{
    const qint64 max = std::numeric_limits<qint64>::max();
    const qint64 min = std::numeric_limits<qint64>::min();
    QVERIFY(formatUtc(max).startsWith(QLatin1Char('+')));
    QVERIFY(formatUtc(max).endsWith(QLatin1Char('Z')));
    QVERIFY(formatUtc(min).startsWith(QLatin1Char('-')));
    QCOMPARE(formatRelative(max, min), QStringLiteral("in %1 years").arg(max / (365 * kDay)));
    QVERIFY(formatRelative(min, max).endsWith(QLatin1String("years ago")));
    QVERIFY(describeTime(ClaimTimeKind::Expiration, max, 0).startsWith(QLatin1String("expires in")));
}

void TestClaims::formatsRelativeTimeAtUnitBoundaries_data()
{
    QTest::addColumn<qint64>("delta");
    QTest::addColumn<QString>("expected");
    QTest::newRow("same second") << qint64(0) << QStringLiteral("now");
    QTest::newRow("2 s ahead is now") << qint64(2) << QStringLiteral("now");
    QTest::newRow("2 s behind is now") << qint64(-2) << QStringLiteral("now");
    QTest::newRow("3 s ahead") << qint64(3) << QStringLiteral("in 3 s");
    QTest::newRow("3 s behind") << qint64(-3) << QStringLiteral("3 s ago");
    QTest::newRow("59 s") << qint64(59) << QStringLiteral("in 59 s");
    QTest::newRow("60 s is a minute") << qint64(60) << QStringLiteral("in 1 min");
    QTest::newRow("14 min 59 s rounds down") << 14 * kMinute + 59 << QStringLiteral("in 14 min");
    QTest::newRow("14 min ago") << -14 * kMinute << QStringLiteral("14 min ago");
    QTest::newRow("59 min 59 s") << kHour - 1 << QStringLiteral("in 59 min");
    QTest::newRow("an hour") << kHour << QStringLiteral("in 1 h");
    QTest::newRow("47 h 59 min") << 48 * kHour - 1 << QStringLiteral("in 47 h");
    QTest::newRow("48 h is 2 days") << 48 * kHour << QStringLiteral("in 2 days");
    QTest::newRow("3 days ago") << -3 * kDay << QStringLiteral("3 days ago");
    QTest::newRow("59 days and a bit") << 60 * kDay - 1 << QStringLiteral("in 59 days");
    QTest::newRow("60 days is 2 months") << 60 * kDay << QStringLiteral("in 2 months");
    QTest::newRow("729 days") << 729 * kDay << QStringLiteral("in 24 months");
    QTest::newRow("730 days is 2 years") << 730 * kDay << QStringLiteral("in 2 years");
    QTest::newRow("10 years ago") << -3650 * kDay << QStringLiteral("10 years ago");
}

void TestClaims::formatsRelativeTimeAtUnitBoundaries()
{
    QFETCH(qint64, delta);
    QFETCH(QString, expected);
    QCOMPARE(formatRelative(kJwtIoIat + delta, kJwtIoIat), expected);
}

void TestClaims::describesClaimTimes_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<qint64>("delta");
    QTest::addColumn<QString>("expected");
    QTest::newRow("expires") << int(ClaimTimeKind::Expiration) << 14 * kMinute << QStringLiteral("expires in 14 min");
    QTest::newRow("expired") << int(ClaimTimeKind::Expiration) << -3 * kDay << QStringLiteral("expired 3 days ago");
    QTest::newRow("expired at this second")
        << int(ClaimTimeKind::Expiration) << qint64(0) << QStringLiteral("expired just now");
    QTest::newRow("expires in 2 s") << int(ClaimTimeKind::Expiration) << qint64(2) << QStringLiteral("expires now");
    QTest::newRow("valid from") << int(ClaimTimeKind::NotBefore) << -2 * kHour << QStringLiteral("valid from 2 h ago");
    QTest::newRow("not valid until") << int(ClaimTimeKind::NotBefore) << 3 * kHour
                                     << QStringLiteral("not valid until 2018-01-18T04:30:22Z (in 3 h)");
    QTest::newRow("issued") << int(ClaimTimeKind::IssuedAt) << -5 * kMinute << QStringLiteral("issued 5 min ago");
    QTest::newRow("issued in the future")
        << int(ClaimTimeKind::IssuedAt) << 3 * kHour << QStringLiteral("issued in the future: in 3 h");
    QTest::newRow("other") << int(ClaimTimeKind::Other) << -kDay << QStringLiteral("24 h ago");
}

void TestClaims::describesClaimTimes()
{
    QFETCH(int, kind);
    QFETCH(qint64, delta);
    QFETCH(QString, expected);
    QCOMPARE(describeTime(ClaimTimeKind(kind), kJwtIoIat + delta, kJwtIoIat), expected);
}

void TestClaims::checksTimeClaimsOnBothSidesOfTheLeeway_data()
{
    QTest::addColumn<QString>("claim");
    QTest::addColumn<qint64>("nowMinusDate"); // policy.now − the claim's date
    QTest::addColumn<qint64>("leeway");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<int>("code");
    const int expired = int(ErrorCode::Expired);
    const int notYetValid = int(ErrorCode::NotYetValid);
    const int future = int(ErrorCode::IssuedInFuture);
    // RFC 7519 §4.1.4: rejected when now ≥ exp + leeway.
    QTest::newRow("exp, 1 s before") << QStringLiteral("exp") << qint64(-1) << qint64(0) << true << expired;
    QTest::newRow("exp, at exp") << QStringLiteral("exp") << qint64(0) << qint64(0) << false << expired;
    QTest::newRow("exp, inside the leeway") << QStringLiteral("exp") << qint64(59) << qint64(60) << true << expired;
    QTest::newRow("exp, at the leeway's end") << QStringLiteral("exp") << qint64(60) << qint64(60) << false << expired;
    QTest::newRow("exp, negative leeway is none")
        << QStringLiteral("exp") << qint64(-1) << qint64(-30) << true << expired;
    // RFC 7519 §4.1.5: rejected when now + leeway < nbf.
    QTest::newRow("nbf, at nbf") << QStringLiteral("nbf") << qint64(0) << qint64(0) << true << notYetValid;
    QTest::newRow("nbf, 1 s early") << QStringLiteral("nbf") << qint64(-1) << qint64(0) << false << notYetValid;
    QTest::newRow("nbf, early within the leeway")
        << QStringLiteral("nbf") << qint64(-60) << qint64(60) << true << notYetValid;
    QTest::newRow("nbf, early beyond the leeway")
        << QStringLiteral("nbf") << qint64(-61) << qint64(60) << false << notYetValid;
    // iat later than now + leeway is a future issue date.
    QTest::newRow("iat, now") << QStringLiteral("iat") << qint64(0) << qint64(0) << true << future;
    QTest::newRow("iat, 1 s ahead") << QStringLiteral("iat") << qint64(-1) << qint64(0) << false << future;
    QTest::newRow("iat, ahead within the leeway")
        << QStringLiteral("iat") << qint64(-60) << qint64(60) << true << future;
    QTest::newRow("iat, ahead beyond the leeway")
        << QStringLiteral("iat") << qint64(-61) << qint64(60) << false << future;
}

void TestClaims::checksTimeClaimsOnBothSidesOfTheLeeway()
{
    QFETCH(QString, claim);
    QFETCH(qint64, nowMinusDate);
    QFETCH(qint64, leeway);
    QFETCH(bool, passes);
    QFETCH(int, code);
    const JsonValue claims = parsed(QStringLiteral("{\"%1\":%2}").arg(claim).arg(kJwtIoIat).toUtf8());
    ClaimsPolicy policy;
    policy.now = kJwtIoIat + nowMinusDate;
    policy.leeway = leeway;
    const auto checks = checkClaims(claims, policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().claim, claim);
    QCOMPARE(checks.front().passed, passes);
    QVERIFY(!checks.front().message.isEmpty());
    if (!passes)
        QCOMPARE(int(checks.front().code), code);
}

void TestClaims::saysHowLongAgoATokenExpired()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat + 3 * kDay + 5 * kHour;
    const auto checks = checkClaims(parsed("{\"exp\":1516239022}"), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().code, ErrorCode::Expired);
    QCOMPARE(checks.front().message, QStringLiteral("expired 3 days ago (2018-01-18T01:30:22Z)"));
}

void TestClaims::reportsPassedChecksWithAMessage()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    const auto checks = checkClaims(parsed("{\"exp\":1516239922,\"nbf\":1516238922,\"iat\":1516238722}"), policy);
    QCOMPARE(checks.size(), std::size_t(3));
    for (const ClaimCheck& check : checks)
        QVERIFY2(check.passed, qPrintable(check.message));
    QCOMPARE(checks[0].message, QStringLiteral("not expired: expires in 15 min (2018-01-18T01:45:22Z)"));
    QCOMPARE(checks[1].message, QStringLiteral("valid from 1 min ago (2018-01-18T01:28:42Z)"));
    QCOMPARE(checks[2].message, QStringLiteral("issued 5 min ago (2018-01-18T01:25:22Z)"));
}

void TestClaims::comparesFractionalDates_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<bool>("passes");
    QTest::newRow("exp half a second ahead") << QByteArray("{\"exp\":1516239022.5}") << kJwtIoIat << true;
    QTest::newRow("exp half a second behind") << QByteArray("{\"exp\":1516239022.5}") << kJwtIoIat + 1 << false;
    QTest::newRow("exp as 1.516239023e9") << QByteArray("{\"exp\":1.516239023e9}") << kJwtIoIat << true;
    QTest::newRow("nbf half a second ahead") << QByteArray("{\"nbf\":1516239022.5}") << kJwtIoIat << false;
    QTest::newRow("nbf half a second behind") << QByteArray("{\"nbf\":1516239021.5}") << kJwtIoIat << true;
}

void TestClaims::comparesFractionalDates()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, now);
    QFETCH(bool, passes);
    ClaimsPolicy policy;
    policy.now = now;
    const auto checks = checkClaims(parsed(json), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().passed, passes);
}

void TestClaims::acceptsHugeDatesWithoutOverflow_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<qint64>("leeway");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<int>("code");
    QTest::newRow("exp 1e300") << QByteArray("{\"exp\":1e300}") << qint64(0) << true << int(ErrorCode::Expired);
    QTest::newRow("exp 30 digits") << QByteArray("{\"exp\":123456789012345678901234567890}") << qint64(0) << true
                                   << int(ErrorCode::Expired);
    QTest::newRow("exp -1e300") << QByteArray("{\"exp\":-1e300}") << qint64(0) << false << int(ErrorCode::Expired);
    QTest::newRow("exp int64 max, huge leeway")
        << QByteArray("{\"exp\":9223372036854775807}") << std::numeric_limits<qint64>::max() << true
        << int(ErrorCode::Expired);
    QTest::newRow("exp int64 min, huge leeway")
        << QByteArray("{\"exp\":-9223372036854775808}") << std::numeric_limits<qint64>::max() << false
        << int(ErrorCode::Expired);
    QTest::newRow("nbf 1e300") << QByteArray("{\"nbf\":1e300}") << std::numeric_limits<qint64>::max() << false
                               << int(ErrorCode::NotYetValid);
    QTest::newRow("iat -30 digits") << QByteArray("{\"iat\":-123456789012345678901234567890}") << qint64(0) << true
                                    << int(ErrorCode::IssuedInFuture);
    QTest::newRow("exp 1e400 is not finite")
        << QByteArray("{\"exp\":1e400}") << qint64(0) << false << int(ErrorCode::ClaimInvalid);
}

void TestClaims::acceptsHugeDatesWithoutOverflow()
{
    QFETCH(QByteArray, json);
    QFETCH(qint64, leeway);
    QFETCH(bool, passes);
    QFETCH(int, code);
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    policy.leeway = leeway;
    const auto checks = checkClaims(parsed(json), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QVERIFY(!checks.front().message.isEmpty());
    QCOMPARE(checks.front().passed, passes);
    if (!passes)
        QCOMPARE(int(checks.front().code), code);
}

void TestClaims::rejectsDatesThatAreNotNumbers_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("message");
    QTest::newRow("exp string") << QByteArray("{\"exp\":\"1516239022\"}")
                                << QStringLiteral("exp must be a NumericDate (a number), it is a string");
    QTest::newRow("nbf boolean") << QByteArray("{\"nbf\":true}")
                                 << QStringLiteral("nbf must be a NumericDate (a number), it is a boolean");
    QTest::newRow("iat null") << QByteArray("{\"iat\":null}")
                              << QStringLiteral("iat must be a NumericDate (a number), it is null");
    QTest::newRow("exp array") << QByteArray("{\"exp\":[1516239022]}")
                               << QStringLiteral("exp must be a NumericDate (a number), it is an array");
    QTest::newRow("exp object") << QByteArray("{\"exp\":{}}")
                                << QStringLiteral("exp must be a NumericDate (a number), it is an object");
}

void TestClaims::rejectsDatesThatAreNotNumbers()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, message);
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    const auto checks = checkClaims(parsed(json), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QVERIFY(!checks.front().passed);
    QCOMPARE(checks.front().code, ErrorCode::ClaimInvalid);
    QCOMPARE(checks.front().message, message);
}

void TestClaims::checksAudienceAsStringOrArray_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QStringList>("audiences");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("message");
    const QStringList web = {QStringLiteral("web")};
    const int mismatch = int(ErrorCode::AudienceMismatch);
    QTest::newRow("string matches") << QByteArray("{\"aud\":\"web\"}") << web << true << mismatch << QString();
    QTest::newRow("string differs") << QByteArray("{\"aud\":\"api\"}") << web << false << mismatch
                                    << QStringLiteral("audience \"api\" not in [\"web\"]");
    QTest::newRow("case matters") << QByteArray("{\"aud\":\"Web\"}") << web << false << mismatch << QString();
    QTest::newRow("array contains") << QByteArray("{\"aud\":[\"api\",\"web\"]}") << web << true << mismatch
                                    << QString();
    QTest::newRow("array lacks") << QByteArray("{\"aud\":[\"api\",\"admin\"]}") << web << false << mismatch
                                 << QStringLiteral("none of the audiences [\"api\", \"admin\"] is in [\"web\"]");
    QTest::newRow("empty array") << QByteArray("{\"aud\":[]}") << web << false << mismatch << QString();
    QTest::newRow("one of several expected")
        << QByteArray("{\"aud\":\"api\"}") << QStringList{QStringLiteral("web"), QStringLiteral("api")} << true
        << mismatch << QString();
    QTest::newRow("missing") << QByteArray("{\"sub\":\"x\"}") << web << false << mismatch
                             << QStringLiteral("no aud claim; expected one of [\"web\"]");
    QTest::newRow("number") << QByteArray("{\"aud\":42}") << web << false << int(ErrorCode::ClaimInvalid)
                            << QStringLiteral("aud must be a string or an array of strings, it is a number");
    QTest::newRow("array with a number") << QByteArray("{\"aud\":[\"web\",7]}") << web << false
                                         << int(ErrorCode::ClaimInvalid)
                                         << QStringLiteral("aud must be a string or an array of strings; item 1 is "
                                                           "a number");
}

void TestClaims::checksAudienceAsStringOrArray()
{
    QFETCH(QByteArray, json);
    QFETCH(QStringList, audiences);
    QFETCH(bool, passes);
    QFETCH(int, code);
    QFETCH(QString, message);
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    policy.audiences = audiences;
    const auto checks = checkClaims(parsed(json), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().claim, QStringLiteral("aud"));
    QCOMPARE(checks.front().passed, passes);
    QVERIFY(!checks.front().message.isEmpty());
    if (!passes)
        QCOMPARE(int(checks.front().code), code);
    if (!message.isEmpty())
        QCOMPARE(checks.front().message, message);
}

void TestClaims::skipsAudienceAndIssuerWhenNotAsked()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    QVERIFY(checkClaims(parsed("{\"aud\":42,\"iss\":[]}"), policy).empty());
    QVERIFY(checkClaims(parsed("{}"), policy).empty());
}

void TestClaims::checksIssuer_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<bool>("passes");
    QTest::addColumn<int>("code");
    QTest::newRow("equal") << QByteArray("{\"iss\":\"https://issuer.example\"}") << true
                           << int(ErrorCode::IssuerMismatch);
    QTest::newRow("trailing slash differs")
        << QByteArray("{\"iss\":\"https://issuer.example/\"}") << false << int(ErrorCode::IssuerMismatch);
    QTest::newRow("missing") << QByteArray("{}") << false << int(ErrorCode::IssuerMismatch);
    QTest::newRow("not a string") << QByteArray("{\"iss\":1}") << false << int(ErrorCode::ClaimInvalid);
}

void TestClaims::checksIssuer()
{
    QFETCH(QByteArray, json);
    QFETCH(bool, passes);
    QFETCH(int, code);
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    policy.issuer = QStringLiteral("https://issuer.example");
    const auto checks = checkClaims(parsed(json), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().claim, QStringLiteral("iss"));
    QCOMPARE(checks.front().passed, passes);
    QVERIFY(!checks.front().message.isEmpty());
    if (!passes)
        QCOMPARE(int(checks.front().code), code);
}

void TestClaims::requiresExpOnlyWhenAsked()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    QVERIFY(checkClaims(parsed("{\"sub\":\"x\"}"), policy).empty());
    policy.requireExp = true;
    const auto checks = checkClaims(parsed("{\"sub\":\"x\"}"), policy);
    QCOMPARE(checks.size(), std::size_t(1));
    QCOMPARE(checks.front().claim, QStringLiteral("exp"));
    QVERIFY(!checks.front().passed);
    QCOMPARE(checks.front().code, ErrorCode::ClaimInvalid);
}

void TestClaims::returnsChecksInOrder()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    policy.audiences = {QStringLiteral("web")};
    policy.issuer = QStringLiteral("me");
    const auto checks = checkClaims(
        parsed("{\"iss\":\"me\",\"aud\":\"web\",\"iat\":1516239022,\"nbf\":1516239022,\"exp\":1516239922}"), policy);
    QCOMPARE(claimNames(checks),
             (QStringList{QStringLiteral("exp"), QStringLiteral("nbf"), QStringLiteral("iat"), QStringLiteral("aud"),
                          QStringLiteral("iss")}));
    for (const ClaimCheck& check : checks)
        QVERIFY2(check.passed, qPrintable(check.claim + QLatin1String(": ") + check.message));
}

void TestClaims::failsRequestedChecksOnANonObjectPayload()
{
    ClaimsPolicy policy;
    policy.now = kJwtIoIat;
    policy.requireExp = true;
    policy.audiences = {QStringLiteral("web")};
    policy.issuer = QStringLiteral("me");
    const auto checks = checkClaims(parsed("[1,2,3]"), policy);
    QCOMPARE(claimNames(checks), (QStringList{QStringLiteral("exp"), QStringLiteral("aud"), QStringLiteral("iss")}));
    for (const ClaimCheck& check : checks)
        QVERIFY(!check.passed);
    QVERIFY(findCheck(checks, QStringLiteral("aud")));
    QCOMPARE(findCheck(checks, QStringLiteral("aud"))->code, ErrorCode::AudienceMismatch);
}

void TestClaims::explainsRegisteredClaimsAndHeaderParameters_data()
{
    QTest::addColumn<bool>("header");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("referencePrefix");
    const auto claim = [](const char* name, const char* reference) {
        QTest::newRow(qPrintable(QStringLiteral("claim %1").arg(QLatin1String(name))))
            << false << QString::fromLatin1(name) << QString::fromUtf8(reference);
    };
    const auto parameter = [](const char* name, const char* reference) {
        QTest::newRow(qPrintable(QStringLiteral("header %1").arg(QLatin1String(name))))
            << true << QString::fromLatin1(name) << QString::fromUtf8(reference);
    };
    claim("iss", "RFC 7519 §4.1.1");
    claim("sub", "RFC 7519 §4.1.2");
    claim("aud", "RFC 7519 §4.1.3");
    claim("exp", "RFC 7519 §4.1.4");
    claim("nbf", "RFC 7519 §4.1.5");
    claim("iat", "RFC 7519 §4.1.6");
    claim("jti", "RFC 7519 §4.1.7");
    for (const char* name : {"azp", "nonce", "auth_time", "acr", "amr"})
        claim(name, "OpenID Connect Core 1.0 §2");
    for (const char* name : {"at_hash", "c_hash"})
        claim(name, "OpenID Connect Core 1.0 §3");
    claim("sid", "OpenID Connect");
    for (const char* name : {"email", "email_verified", "name", "given_name", "family_name", "preferred_username",
                             "picture", "locale", "zoneinfo", "phone_number", "updated_at"})
        claim(name, "OpenID Connect Core 1.0 §5.1");
    claim("act", "RFC 8693 §4.1");
    claim("may_act", "RFC 8693 §4.4");
    claim("scope", "RFC 8693 §4.2");
    claim("client_id", "RFC 8693 §4.3");
    claim("cnf", "RFC 7800 §3.1");
    for (const char* name : {"htm", "htu", "ath"})
        claim(name, "RFC 9449");
    for (const char* name : {"roles", "groups", "entitlements"})
        claim(name, "RFC 9068");
    for (const char* name : {"scp", "tid", "oid"})
        claim(name, "Microsoft");
    parameter("alg", "RFC 7515 §4.1.1");
    parameter("jku", "RFC 7515 §4.1.2");
    parameter("jwk", "RFC 7515 §4.1.3");
    parameter("kid", "RFC 7515 §4.1.4");
    parameter("x5u", "RFC 7515 §4.1.5");
    parameter("x5c", "RFC 7515 §4.1.6");
    parameter("x5t", "RFC 7515 §4.1.7");
    parameter("x5t#S256", "RFC 7515 §4.1.8");
    parameter("typ", "RFC 7515 §4.1.9");
    parameter("cty", "RFC 7515 §4.1.10");
    parameter("crit", "RFC 7515 §4.1.11");
    parameter("b64", "RFC 7797 §3");
    parameter("enc", "RFC 7516 §4.1.2");
    parameter("zip", "RFC 7516 §4.1.3");
}

void TestClaims::explainsRegisteredClaimsAndHeaderParameters()
{
    QFETCH(bool, header);
    QFETCH(QString, name);
    QFETCH(QString, referencePrefix);
    const auto explanation = header ? explainHeaderParameter(name) : explainClaim(name);
    QVERIFY2(explanation.has_value(), qPrintable(name));
    QCOMPARE(explanation->name, name);
    QVERIFY(!explanation->title.isEmpty());
    QVERIFY(!explanation->text.isEmpty());
    QVERIFY2(explanation->reference.startsWith(referencePrefix), qPrintable(explanation->reference));
}

void TestClaims::explanationsResourceIsValidJson()
{
    QFile file(QStringLiteral(":/explanations.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(document.isObject());
    for (const char* section : {"claims", "header"}) {
        const QJsonObject entries = document.object().value(QLatin1String(section)).toObject();
        QVERIFY(entries.size() > 10);
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            const QJsonObject entry = it.value().toObject();
            const QString where = QLatin1String(section) + QLatin1Char('.') + it.key();
            for (const char* field : {"title", "text", "reference"})
                QVERIFY2(!entry.value(QLatin1String(field)).toString().isEmpty(), qPrintable(where));
            QVERIFY2(entry.value(QLatin1String("registered")).isBool(), qPrintable(where));
            // One sentence: it ends with a full stop and has no other sentence break.
            const QString text = entry.value(QLatin1String("text")).toString();
            QVERIFY2(text.endsWith(QLatin1Char('.')), qPrintable(where));
            QVERIFY2(!text.chopped(1).contains(QLatin1String(". ")), qPrintable(where));
        }
    }
}

void TestClaims::returnsNothingForUnknownNames()
{
    QVERIFY(!explainClaim(u"no-such-claim").has_value());
    QVERIFY(!explainHeaderParameter(u"exp").has_value());
    QVERIFY(!explainClaim(u"").has_value());
}

void TestClaims::citesAWellFormedSpecificationSectionForEveryEntry_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<bool>("registered");
    QFile file(QStringLiteral(":/explanations.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    int rows = 0;
    for (const char* section : {"claims", "header"}) {
        const QJsonObject entries = root.value(QLatin1String(section)).toObject();
        for (auto it = entries.begin(); it != entries.end(); ++it) {
            const QJsonObject entry = it.value().toObject();
            const QString tag = QLatin1String(section) + QLatin1Char(' ') + it.key();
            QTest::newRow(qPrintable(tag))
                << entry.value(QLatin1String("title")).toString() << entry.value(QLatin1String("text")).toString()
                << entry.value(QLatin1String("reference")).toString()
                << entry.value(QLatin1String("registered")).toBool();
            ++rows;
        }
    }
    QVERIFY(rows > 50);
}

void TestClaims::citesAWellFormedSpecificationSectionForEveryEntry()
{
    QFETCH(QString, title);
    QFETCH(QString, text);
    QFETCH(QString, reference);
    QFETCH(bool, registered);
    QVERIFY(!title.trimmed().isEmpty());
    QVERIFY(!text.trimmed().isEmpty());

    // A registered name cites the section that defines it: one or more "RFC n §x.y" or "OpenID Connect <spec> 1.0
    // §x.y", joined by "; ". The RFCs are the ones reviewed against their text; a new one needs a review first.
    const QString rfc = QStringLiteral("RFC (?:7515|7516|7518|7519|7638|7643|7797|7800|8037|8176|8417|8555|8693|"
                                       "8705|8725|9068|9449) §[1-9][0-9]*(?:\\.[1-9][0-9]*)*");
    const QString openId = QStringLiteral("OpenID Connect (?:Core|Front-Channel Logout|Back-Channel Logout) 1\\.0 "
                                          "§[1-9][0-9]*(?:\\.[1-9][0-9]*)*");
    const QString specification = QStringLiteral("(?:%1|%2)").arg(rfc, openId);
    const QRegularExpression specificationReference(QStringLiteral("^%1(?:; %1)*$").arg(specification));
    // A vendor's claim names the vendor's documentation, never a section number it cannot have.
    const QString vendorDocument = QStringLiteral("(?:Microsoft Entra ID|Okta|Keycloak|Amazon Cognito) [a-z][a-z ]*"
                                                  "(?:documentation|reference)");
    const QRegularExpression vendorReference(QStringLiteral("^%1(?:; %1)*$").arg(vendorDocument));
    QVERIFY(specificationReference.isValid());
    QVERIFY(vendorReference.isValid());
    if (registered)
        QVERIFY2(specificationReference.match(reference).hasMatch(), qPrintable(reference));
    else
        QVERIFY2(vendorReference.match(reference).hasMatch(), qPrintable(reference));

    // Every section sign in the text belongs to a whole "RFC n §x.y" citation of a reviewed RFC.
    const QRegularExpression inlineCitation(rfc);
    int citations = 0;
    for (auto matches = inlineCitation.globalMatch(text); matches.hasNext(); matches.next())
        ++citations;
    QCOMPARE(int(text.count(QStringLiteral("§"))), citations);
}

void TestClaims::explainsEveryClaimAndHeaderParameterTheIssueNames_data()
{
    QTest::addColumn<bool>("header");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reference");
    QTest::addColumn<bool>("registered");
    const auto claim = [](const char* name, const char* reference, bool registered) {
        QTest::newRow(qPrintable(QStringLiteral("claim %1").arg(QLatin1String(name))))
            << false << QString::fromLatin1(name) << QString::fromUtf8(reference) << registered;
    };
    const auto parameter = [](const char* name, const char* reference) {
        QTest::newRow(qPrintable(QStringLiteral("header %1").arg(QLatin1String(name))))
            << true << QString::fromLatin1(name) << QString::fromUtf8(reference) << true;
    };
    // The sections below were checked against the text of each specification (issue 6, item 5).
    claim("iss", "RFC 7519 §4.1.1", true);
    claim("sub", "RFC 7519 §4.1.2", true);
    claim("aud", "RFC 7519 §4.1.3", true);
    claim("exp", "RFC 7519 §4.1.4", true);
    claim("nbf", "RFC 7519 §4.1.5", true);
    claim("iat", "RFC 7519 §4.1.6", true);
    claim("jti", "RFC 7519 §4.1.7", true);
    claim("scope", "RFC 8693 §4.2; RFC 9068 §2.2.3", true);
    claim("scp", "Microsoft Entra ID access token claims reference; Okta access token documentation", false);
    claim("roles", "RFC 9068 §2.2.3.1; RFC 7643 §4.1.2", true);
    claim("groups", "RFC 9068 §2.2.3.1; RFC 7643 §4.1.2", true);
    for (const char* name : {"azp", "nonce", "auth_time", "acr"})
        claim(name, "OpenID Connect Core 1.0 §2", true);
    claim("amr", "OpenID Connect Core 1.0 §2; RFC 8176 §2", true);
    claim("sid", "OpenID Connect Front-Channel Logout 1.0 §3", true);
    for (const char* name : {"email", "name", "preferred_username"})
        claim(name, "OpenID Connect Core 1.0 §5.1", true);
    parameter("alg", "RFC 7515 §4.1.1");
    parameter("jku", "RFC 7515 §4.1.2");
    parameter("jwk", "RFC 7515 §4.1.3");
    parameter("kid", "RFC 7515 §4.1.4");
    parameter("x5u", "RFC 7515 §4.1.5");
    parameter("x5c", "RFC 7515 §4.1.6");
    parameter("x5t", "RFC 7515 §4.1.7");
    parameter("x5t#S256", "RFC 7515 §4.1.8");
    parameter("typ", "RFC 7515 §4.1.9");
    parameter("cty", "RFC 7515 §4.1.10; RFC 7519 §5.2");
    parameter("crit", "RFC 7515 §4.1.11");
    parameter("b64", "RFC 7797 §3");
}

void TestClaims::explainsEveryClaimAndHeaderParameterTheIssueNames()
{
    QFETCH(bool, header);
    QFETCH(QString, name);
    QFETCH(QString, reference);
    QFETCH(bool, registered);
    const auto explanation = header ? explainHeaderParameter(name) : explainClaim(name);
    QVERIFY2(explanation.has_value(), qPrintable(name));
    QCOMPARE(explanation->name, name);
    QVERIFY(!explanation->title.trimmed().isEmpty());
    QVERIFY(!explanation->text.trimmed().isEmpty());
    QCOMPARE(explanation->reference, reference);
    QCOMPARE(explanation->registered, registered);
}

QTEST_GUILESS_MAIN(TestClaims)
#include "TestClaims.moc"
