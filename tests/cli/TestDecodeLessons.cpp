// decode --json's "lessons" array, read by scripts the way the window reads the same core lessons: the built binary
// (JWTI_BINARY) run through QProcess on tokens made for each lesson.
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>

namespace {

QByteArray b64(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray tokenWith(const QByteArray& header, const QByteArray& payload)
{
    return b64(header) + '.' + b64(payload) + '.' + (header.contains("\"none\"") ? QByteArray() : b64("signature"));
}

// The lessons array of decode --json, or an empty array when the command failed (the test then fails on it).
QJsonArray decodeLessons(const QByteArray& token, QJsonObject* whole = nullptr)
{
    QProcess process;
    process.start(qEnvironmentVariable("JWTI_BINARY"),
                  {QStringLiteral("decode"), QStringLiteral("--json"), QString::fromLatin1(token)});
    if (!process.waitForStarted(10000) || !process.waitForFinished(60000) || process.exitCode() != 0)
        return {};
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(process.readAllStandardOutput(), &error).object();
    if (error.error != QJsonParseError::NoError)
        return {};
    if (whole)
        *whole = object;
    return object.value(QLatin1String("lessons")).toArray();
}

QJsonObject lessonOf(const QJsonArray& lessons, const char* code)
{
    for (const QJsonValue& lesson : lessons) {
        if (lesson.toObject().value(QLatin1String("code")).toString() == QLatin1String(code))
            return lesson.toObject();
    }
    return {};
}

QJsonObject figuresOf(const QJsonArray& lessons, const char* code)
{
    return lessonOf(lessons, code).value(QLatin1String("figures")).toObject();
}

} // namespace

class TestDecodeLessons : public QObject
{
    Q_OBJECT

private slots:
    void addsLessonsAfterEverythingElse();
    void givesEachLessonItsCodeMessageFiguresAndSource();
    void countsAShortLifetimeFromTheTokensOwnClaims();
    void saysATokenWithoutExpiryHasNoLifetime();
    void singlesOutPersonalClaimsAndTheSizeAgainstACookie();
    void saysWhoCouldHaveSignedForHmacRsaAndNone();
    void documentsLessonsInTheHelp();
};

void TestDecodeLessons::addsLessonsAfterEverythingElse()
{
    QProcess process;
    process.start(qEnvironmentVariable("JWTI_BINARY"),
                  {QStringLiteral("decode"), QStringLiteral("--json"),
                   QString::fromLatin1(tokenWith(R"({"alg":"HS256"})", R"({"sub":"1"})"))});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray out = process.readAllStandardOutput().trimmed();
    // The members keep their order; "lessons" is the last one, so nothing a script already reads has moved.
    const qsizetype errors = out.indexOf("\"errors\":");
    const qsizetype lessons = out.indexOf("\"lessons\":[{");
    QVERIFY(errors > 0);
    QVERIFY(lessons > errors);
    QVERIFY(out.endsWith("]}"));
}

void TestDecodeLessons::givesEachLessonItsCodeMessageFiguresAndSource()
{
    const QJsonArray lessons = decodeLessons(tokenWith(R"({"alg":"HS256"})", R"({"sub":"1"})"));
    QCOMPARE(lessons.size(), 5);
    QStringList codes;
    for (const QJsonValue& value : lessons) {
        const QJsonObject lesson = value.toObject();
        codes.append(lesson.value(QLatin1String("code")).toString());
        QVERIFY(!lesson.value(QLatin1String("message")).toString().isEmpty());
        QVERIFY(!lesson.value(QLatin1String("title")).toString().isEmpty());
        QVERIFY(!lesson.value(QLatin1String("figures")).toObject().isEmpty());
        QVERIFY(lesson.value(QLatin1String("reference")).toString().contains(QRegularExpression("RFC|OWASP")));
    }
    QCOMPARE(codes,
             QStringList(
                 {"readable-by-anyone", "lifetime-and-ending", "where-to-keep", "who-can-sign", "token-or-session"}));
}

void TestDecodeLessons::countsAShortLifetimeFromTheTokensOwnClaims()
{
    // decode reads the system clock, so the token is made around it; the lifetime itself does not depend on it.
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const QByteArray payload = "{\"sub\":\"1\",\"iat\":" + QByteArray::number(now - 60)
        + ",\"exp\":" + QByteArray::number(now + 240) + ",\"jti\":\"a1\"}";
    const QJsonArray lessons = decodeLessons(tokenWith(R"({"alg":"RS256"})", payload));
    const QJsonObject lifetime = figuresOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.value(QLatin1String("hasExp")).toBool(false), true);
    QCOMPARE(lifetime.value(QLatin1String("lifetimeSeconds")).toInteger(), 300);
    const qint64 remaining = lifetime.value(QLatin1String("remainingSeconds")).toInteger(-1);
    QVERIFY2(remaining > 200 && remaining <= 240, qPrintable(QString::number(remaining)));
    QCOMPARE(lifetime.value(QLatin1String("hasJti")).toBool(false), true);
    QCOMPARE(figuresOf(lessons, "token-or-session").value(QLatin1String("lifetimeClass")).toString(),
             QStringLiteral("short"));
}

void TestDecodeLessons::saysATokenWithoutExpiryHasNoLifetime()
{
    const QJsonArray lessons = decodeLessons(tokenWith(R"({"alg":"HS256"})", R"({"sub":"1","iat":1516239022})"));
    const QJsonObject lifetime = figuresOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.value(QLatin1String("hasExp")).toBool(true), false);
    QVERIFY(!lifetime.contains(QLatin1String("lifetimeSeconds")));
    QCOMPARE(lifetime.value(QLatin1String("issuedAt")).toInteger(), 1516239022);
    QVERIFY(lessonOf(lessons, "lifetime-and-ending").value(QLatin1String("message")).toString().contains("no expiry"));
}

void TestDecodeLessons::singlesOutPersonalClaimsAndTheSizeAgainstACookie()
{
    const QByteArray token = tokenWith(
        R"({"alg":"HS256"})", R"({"sub":"1","email":"a@b.example","name":"A B","r":")" + QByteArray(4000, 'x') + "\"}");
    const QJsonArray lessons = decodeLessons(token);
    const QJsonObject readable = figuresOf(lessons, "readable-by-anyone");
    QCOMPARE(readable.value(QLatin1String("personalClaims")).toArray(), QJsonArray({"email", "name"}));
    QCOMPARE(readable.value(QLatin1String("claimCount")).toInteger(), 4);
    const QJsonObject size = figuresOf(lessons, "where-to-keep");
    QCOMPARE(size.value(QLatin1String("sizeBytes")).toInteger(), token.size());
    QCOMPARE(size.value(QLatin1String("cookieLimit")).toInteger(), 4096);
    QCOMPARE(size.value(QLatin1String("fitsInCookie")).toBool(true), false);
}

void TestDecodeLessons::saysWhoCouldHaveSignedForHmacRsaAndNone()
{
    const auto signers = [](const QByteArray& header) {
        return figuresOf(decodeLessons(tokenWith(header, R"({"sub":"1"})")), "who-can-sign")
            .value(QLatin1String("signers"))
            .toString();
    };
    QCOMPARE(signers(R"({"alg":"HS256"})"), QStringLiteral("every-verifier"));
    QCOMPARE(signers(R"({"alg":"RS256"})"), QStringLiteral("private-key-holder"));
    QCOMPARE(signers(R"({"alg":"EdDSA"})"), QStringLiteral("private-key-holder"));
    QCOMPARE(signers(R"({"alg":"none"})"), QStringLiteral("anyone"));
    // decode checks no signature, so it never claims a key verified the token.
    QCOMPARE(figuresOf(decodeLessons(tokenWith(R"({"alg":"HS256"})", R"({"sub":"1"})")), "who-can-sign")
                 .value(QLatin1String("verified"))
                 .toBool(true),
             false);
}

void TestDecodeLessons::documentsLessonsInTheHelp()
{
    QProcess process;
    process.start(qEnvironmentVariable("JWTI_BINARY"), {QStringLiteral("decode"), QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(60000));
    const QByteArray help = process.readAllStandardOutput();
    QVERIFY(help.contains("and lessons (what this token reveals"));
    QVERIFY(help.contains("unverified verdict"));
}

QTEST_GUILESS_MAIN(TestDecodeLessons)
#include "TestDecodeLessons.moc"
