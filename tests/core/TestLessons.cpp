#include "core/crypto/KeyGeneration.h"
#include "core/crypto/SecretBytes.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/Jws.h"
#include "core/jose/Lessons.h"
#include "core/jose/Token.h"

#include <QRegularExpression>
#include <QtTest>

using namespace jwti;

namespace {

constexpr qint64 kNow = 1'800'000'000;
constexpr qint64 kDay = 24 * 60 * 60;

QByteArray segment(const QByteArray& json)
{
    return Base64Url::encode(json);
}

// A token with a made-up signature: the lessons read the token as received, they do not verify it.
Token unsignedToken(const QByteArray& payload, const QByteArray& header = R"({"alg":"HS256","typ":"JWT"})")
{
    return decodeUnverified(QString::fromLatin1(segment(header) + '.' + segment(payload) + ".c2lnbmF0dXJl"));
}

// A copy, so that it may be taken from a temporary list.
Lesson lessonOf(const std::vector<Lesson>& lessons, const char* code)
{
    for (const Lesson& lesson : lessons) {
        if (lesson.code == QLatin1String(code))
            return lesson;
    }
    return {};
}

Key generated(const char* alg)
{
    const AlgInfo* info = findAlg(QString::fromLatin1(alg));
    const auto spec = keySpecForAlg(*info);
    auto key = generateKey(*spec);
    return key ? std::move(key).value() : Key();
}

// Signs payload with a fresh key for alg and verifies it the way the window does, returning the token and the key
// that verified it.
std::pair<Token, std::optional<Key>> signedAndVerified(const char* alg, const QByteArray& payload)
{
    const Key key = generated(alg);
    SignOptions options;
    options.alg = QLatin1String(alg);
    const auto text = signToken(payload, key, options);
    if (!text)
        return {};
    Token token = decodeUnverified(QString::fromLatin1(*text));
    VerifyOptions verifyOptions;
    verifyOptions.claims.now = kNow;
    const std::vector<Key> candidates = {key.type() == KeyType::Oct ? key : key.publicOnly()};
    const VerifyResult result = verifyToken(token, candidates, verifyOptions);
    std::optional<Key> verifiedWith;
    if (result.valid && !result.signatures.empty())
        verifiedWith = result.signatures.front().key;
    return {std::move(token), std::move(verifiedWith)};
}

QByteArray timedPayload(qint64 iat, qint64 exp, const QByteArray& extra = {})
{
    return "{\"sub\":\"u-1042\",\"iat\":" + QByteArray::number(iat) + ",\"exp\":" + QByteArray::number(exp) + extra
        + '}';
}

} // namespace

class TestLessons : public QObject
{
    Q_OBJECT

private slots:
    void givesEveryLessonInAStableOrder();
    void givesNoLessonsForAnEmptyOrUnreadableToken();
    void listsEveryClaimAsReadableAndSinglesOutPersonalOnes();
    void findsNoPersonalClaimsInAnOpaqueToken();
    void redactsEveryValueAndKeepsStructureAndOrder();
    void neverPutsTheSignatureInTheRedactedCopy();
    void tokenWithoutExpiryWorksUntilTheKeyChanges();
    void thirtyDayTokenIsLongLivedAndSaysUntilWhen();
    void fiveMinuteTokenIsShortLived();
    void expiredTokenIsWorthNothingNow();
    void namesWhatEarlyRevocationNeeds();
    void comparesSizeWithCookieAndSessionId();
    void fiveKilobyteTokenDoesNotFitInACookie();
    void hmacMeansEveryVerifierCouldHaveSigned();
    void rsaMeansOnlyThePrivateKeyHolderCould();
    void noneMeansAnyoneCould();
    void unknownOrMissingAlgCannotTellWhoSigned();
    void unverifiedTokenIsTreatedAsWrittenByAnyone();
    void encryptedTokenIsReadableOnlyInItsHeader();
    void citesARealSourceForEveryLesson();
};

void TestLessons::givesEveryLessonInAStableOrder()
{
    const auto lessons = lessonsFor(unsignedToken(timedPayload(kNow, kNow + 300)), std::nullopt, kNow);
    QStringList codes;
    for (const Lesson& lesson : lessons) {
        codes.append(lesson.code);
        QVERIFY2(!lesson.title.isEmpty(), qPrintable(lesson.code));
        QVERIFY2(!lesson.message.isEmpty(), qPrintable(lesson.code));
        QVERIFY2(!lesson.figures.empty(), qPrintable(lesson.code));
    }
    QCOMPARE(codes,
             QStringList(
                 {"readable-by-anyone", "lifetime-and-ending", "where-to-keep", "who-can-sign", "token-or-session"}));
}

void TestLessons::givesNoLessonsForAnEmptyOrUnreadableToken()
{
    QVERIFY(lessonsFor(decodeUnverified(QString()), std::nullopt, kNow).empty());
    QVERIFY(lessonsFor(decodeUnverified(QStringLiteral("not a token")), std::nullopt, kNow).empty());
    QVERIFY(redactedJson(decodeUnverified(QStringLiteral("not a token"))).isEmpty());
}

void TestLessons::listsEveryClaimAsReadableAndSinglesOutPersonalOnes()
{
    const Token token = unsignedToken(R"({"sub":"u-1042","email":"jane@example.com","given_name":"Jane",)"
                                      R"("family_name":"Doe","phone_number":"+44 20 7946 0000","role":"admin",)"
                                      R"("address":{"street_address":"1 High St"},"birthdate":"1990-01-01",)"
                                      R"("user_email_verified":true,"homeAddress":"x"})");
    const auto lessons = lessonsFor(token, std::nullopt, kNow);
    const Lesson lesson = lessonOf(lessons, "readable-by-anyone");
    QCOMPARE(lesson.figure(u"claimCount").toLongLong(), 10);
    QCOMPARE(lesson.figure(u"encrypted").toBool(), false);
    const QStringList personal = lesson.figure(u"personalClaims").toStringList();
    QCOMPARE(personal,
             QStringList({"email", "given_name", "family_name", "phone_number", "address", "birthdate",
                          "user_email_verified", "homeAddress"}));
    QCOMPARE(personalClaimNames(token), personal);
    // Every claim is named as readable; the personal ones once more on their own.
    for (const char* name : {"sub", "role", "email", "birthdate"})
        QVERIFY2(lesson.message.contains(QLatin1String(name)), name);
    QVERIFY(lesson.message.contains(QStringLiteral("Claims that look like personal data (8): email, given_name")));
}

void TestLessons::findsNoPersonalClaimsInAnOpaqueToken()
{
    const Token token = unsignedToken(R"({"sub":"u-1042","scope":"read","iat":1,"exp":2,"token_use":"access"})");
    const Lesson lesson = lessonOf(lessonsFor(token, std::nullopt, kNow), "readable-by-anyone");
    QVERIFY(lesson.figure(u"personalClaims").toStringList().isEmpty());
    QCOMPARE(lesson.figure(u"claimCount").toLongLong(), 5);
    QVERIFY(lesson.message.contains(QStringLiteral("None of its claim names looks like personal data")));
}

void TestLessons::redactsEveryValueAndKeepsStructureAndOrder()
{
    const Token token = unsignedToken(R"({"zeta":"jane@example.com","alpha":42,"ok":true,"none":null,)"
                                      R"("list":["a",1.5],"nested":{"b":"x","a":{}}})",
                                      R"({"typ":"JWT","alg":"RS256","kid":"prod-2024"})");
    const QByteArray redacted = redactedJson(token);
    QCOMPARE(redacted,
             QByteArray("{\n"
                        "  \"header\": {\n"
                        "    \"typ\": \"JWT\",\n"
                        "    \"alg\": \"RS256\",\n"
                        "    \"kid\": \"redacted\"\n"
                        "  },\n"
                        "  \"payload\": {\n"
                        "    \"zeta\": \"redacted\",\n"
                        "    \"alpha\": 0,\n"
                        "    \"ok\": false,\n"
                        "    \"none\": null,\n"
                        "    \"list\": [\n"
                        "      \"redacted\",\n"
                        "      0\n"
                        "    ],\n"
                        "    \"nested\": {\n"
                        "      \"b\": \"redacted\",\n"
                        "      \"a\": {}\n"
                        "    }\n"
                        "  }\n"
                        "}\n"));
    // It is JSON a colleague can paste anywhere.
    QJsonParseError error;
    QJsonDocument::fromJson(redacted, &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(!redacted.contains("jane"));
    QVERIFY(!redacted.contains("42"));
    QVERIFY(!redacted.contains("prod-2024"));
}

void TestLessons::neverPutsTheSignatureInTheRedactedCopy()
{
    const auto [token, key] = signedAndVerified("HS256", R"({"sub":"u-1042","name":"Jane Doe"})");
    QVERIFY(key.has_value());
    const QByteArray signature = token.signatures.front().signature.encoded;
    QVERIFY(signature.size() > 20);
    const QByteArray redacted = redactedJson(token);
    QVERIFY(!redacted.isEmpty());
    QVERIFY(!redacted.contains(signature));
    QVERIFY(!redacted.contains(signature.left(12)));
    QVERIFY(!redacted.contains(token.segments[1].encoded.left(12)));
    QVERIFY(!redacted.contains("Jane"));
}

void TestLessons::tokenWithoutExpiryWorksUntilTheKeyChanges()
{
    const auto lessons = lessonsFor(unsignedToken(R"({"sub":"u-1042","iat":1800000000})"), std::nullopt, kNow);
    const Lesson lifetime = lessonOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.figure(u"hasExp").toBool(), false);
    QVERIFY(!lifetime.figure(u"lifetimeSeconds").isValid());
    QVERIFY(!lifetime.figure(u"remainingSeconds").isValid());
    QCOMPARE(lifetime.figure(u"issuedAt").toLongLong(), kNow);
    QVERIFY(lifetime.message.contains(QStringLiteral("no expiry")));
    QVERIFY(lifetime.message.contains(QStringLiteral("there is no logout")));
    QVERIFY(lifetime.points.first().startsWith(QStringLiteral("Rotate the signing key")));
    const Lesson choice = lessonOf(lessons, "token-or-session");
    QCOMPARE(choice.figure(u"lifetimeClass").toString(), QStringLiteral("unbounded"));
    QVERIFY(choice.message.contains(QStringLiteral("never expires")));
}

void TestLessons::thirtyDayTokenIsLongLivedAndSaysUntilWhen()
{
    const qint64 iat = kNow - kDay;
    const auto lessons = lessonsFor(unsignedToken(timedPayload(iat, iat + 30 * kDay)), std::nullopt, kNow);
    const Lesson lifetime = lessonOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.figure(u"hasExp").toBool(), true);
    QCOMPARE(lifetime.figure(u"lifetimeSeconds").toLongLong(), 30 * kDay);
    QCOMPARE(lifetime.figure(u"remainingSeconds").toLongLong(), 29 * kDay);
    QCOMPARE(lifetime.figure(u"expiresAt").toLongLong(), iat + 30 * kDay);
    QVERIFY(lifetime.message.contains(QStringLiteral("a lifetime of 30 days")));
    QVERIFY(lifetime.message.contains(
        QStringLiteral("If it were stolen now it would work until %1 (29 days)").arg(formatUtc(iat + 30 * kDay))));
    QCOMPARE(lifetime.points.size(), 4);
    QVERIFY(lifetime.points.last().contains(QStringLiteral("this one: 30 days")));
    const Lesson choice = lessonOf(lessons, "token-or-session");
    QCOMPARE(choice.figure(u"lifetimeClass").toString(), QStringLiteral("long"));
    QCOMPARE(choice.figure(u"lifetimeSeconds").toLongLong(), 30 * kDay);
    QVERIFY(choice.message.contains(QStringLiteral("With a lifetime of 30 days")));
    QCOMPARE(choice.message.count(QStringLiteral("\n\n")), 2);
}

void TestLessons::fiveMinuteTokenIsShortLived()
{
    const auto lessons = lessonsFor(unsignedToken(timedPayload(kNow - 60, kNow + 240)), std::nullopt, kNow);
    const Lesson lifetime = lessonOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.figure(u"lifetimeSeconds").toLongLong(), 300);
    QCOMPARE(lifetime.figure(u"remainingSeconds").toLongLong(), 240);
    QVERIFY(lifetime.message.contains(QStringLiteral("a lifetime of 5 min")));
    QVERIFY(lifetime.message.contains(QStringLiteral("(4 min)")));
    const Lesson choice = lessonOf(lessons, "token-or-session");
    QCOMPARE(choice.figure(u"lifetimeClass").toString(), QStringLiteral("short"));
    QVERIFY(choice.message.contains(QStringLiteral("short-lived kind")));
}

void TestLessons::expiredTokenIsWorthNothingNow()
{
    const auto lessons = lessonsFor(unsignedToken(timedPayload(kNow - 7200, kNow - 3600)), std::nullopt, kNow);
    const Lesson lifetime = lessonOf(lessons, "lifetime-and-ending");
    QCOMPARE(lifetime.figure(u"remainingSeconds").toLongLong(), 0);
    QVERIFY(lifetime.message.contains(QStringLiteral("It expired 1 h ago")));
    QVERIFY(!lifetime.message.contains(QStringLiteral("If it were stolen now")));
}

void TestLessons::namesWhatEarlyRevocationNeeds()
{
    const auto figures = [](const QByteArray& extra) {
        const auto lessons = lessonsFor(unsignedToken(timedPayload(kNow, kNow + 600, extra)), std::nullopt, kNow);
        return lessonOf(lessons, "lifetime-and-ending");
    };
    const Lesson neither = lessonOf(
        lessonsFor(unsignedToken(R"({"sub":"u-1042","exp":1800000600})"), std::nullopt, kNow), "lifetime-and-ending");
    QCOMPARE(neither.figure(u"hasJti").toBool(), false);
    QCOMPARE(neither.figure(u"revocationClaim").toString(), QString());
    QVERIFY(neither.message.contains(QStringLiteral("neither an id")));
    QVERIFY(neither.points.at(1).endsWith(QStringLiteral("(this token lacks what it needs).")));

    // The issue time serves when nothing better is there: a per-user cut-off ends older tokens.
    const Lesson issueTime = figures({});
    QCOMPARE(issueTime.figure(u"revocationClaim").toString(), QStringLiteral("iat"));
    QVERIFY(issueTime.message.contains(QStringLiteral("per-user cut-off")));
    QVERIFY(issueTime.points.at(1).endsWith(QStringLiteral("(this token allows it).")));

    const Lesson both = figures(R"(,"jti":"4f1c","modified_at":1799990000)");
    QCOMPARE(both.figure(u"hasJti").toBool(), true);
    QCOMPARE(both.figure(u"revocationClaim").toString(), QStringLiteral("modified_at"));
    QVERIFY(both.message.contains(QStringLiteral("carries what early revocation needs")));
    QVERIFY(both.points.at(1).endsWith(QStringLiteral("(this token allows it).")));
    QVERIFY(both.points.at(2).endsWith(QStringLiteral("(this token allows it).")));

    const Lesson onlyJti
        = lessonOf(lessonsFor(unsignedToken(R"({"sub":"u-1042","exp":1800000600,"jti":"4f1c"})"), std::nullopt, kNow),
                   "lifetime-and-ending");
    QVERIFY(onlyJti.message.contains(QStringLiteral("deny-list this one token")));
    QVERIFY(onlyJti.points.at(1).endsWith(QStringLiteral("(this token lacks what it needs).")));
}

void TestLessons::comparesSizeWithCookieAndSessionId()
{
    const Token token = unsignedToken(timedPayload(kNow, kNow + 300));
    const Lesson lesson = lessonOf(lessonsFor(token, std::nullopt, kNow), "where-to-keep");
    const qint64 size = token.text.size();
    QCOMPARE(lesson.figure(u"sizeBytes").toLongLong(), size);
    QCOMPARE(lesson.figure(u"cookieLimit").toLongLong(), 4096);
    QCOMPARE(lesson.figure(u"sessionIdBytes").toLongLong(), 6);
    QCOMPARE(lesson.figure(u"timesSessionId").toLongLong(), size / 6);
    QCOMPARE(lesson.figure(u"cookieShare").toLongLong(), size * 100 / 4096);
    QCOMPARE(lesson.figure(u"fitsInCookie").toBool(), true);
    QVERIFY(lesson.message.contains(QStringLiteral("This token is %1 bytes").arg(size)));
    QVERIFY(lesson.message.contains(QStringLiteral("It fits in a cookie")));
    const QString points = lesson.points.join(u'\n');
    for (const char* word : {"localStorage", "XSS", "CSRF", "HttpOnly", "Secure", "SameSite=Strict"})
        QVERIFY2(points.contains(QLatin1String(word)), word);
}

void TestLessons::fiveKilobyteTokenDoesNotFitInACookie()
{
    const QByteArray padding = ",\"roles\":\"" + QByteArray(3900, 'r') + '"';
    const Token token = unsignedToken(timedPayload(kNow, kNow + 300, padding));
    QVERIFY(token.text.size() > 5000);
    QVERIFY(token.text.size() < 5400);
    const Lesson lesson = lessonOf(lessonsFor(token, std::nullopt, kNow), "where-to-keep");
    QCOMPARE(lesson.figure(u"fitsInCookie").toBool(), false);
    QVERIFY(lesson.figure(u"cookieShare").toLongLong() > 100);
    QVERIFY(lesson.message.contains(QStringLiteral("does not fit in a cookie")));
}

void TestLessons::hmacMeansEveryVerifierCouldHaveSigned()
{
    const auto [token, key] = signedAndVerified("HS256", timedPayload(kNow, kNow + 300));
    QVERIFY(key.has_value());
    const Lesson lesson = lessonOf(lessonsFor(token, key, kNow), "who-can-sign");
    QCOMPARE(lesson.figure(u"alg").toString(), QStringLiteral("HS256"));
    QCOMPARE(lesson.figure(u"signers").toString(), QStringLiteral("every-verifier"));
    QCOMPARE(lesson.figure(u"verified").toBool(), true);
    QCOMPARE(lesson.figure(u"verifiedWith").toString(), key->description());
    QVERIFY(lesson.message.contains(QStringLiteral("could also have signed it")));
    QVERIFY(lesson.message.contains(QStringLiteral("could mint tokens just like it")));
}

void TestLessons::rsaMeansOnlyThePrivateKeyHolderCould()
{
    const auto [token, key] = signedAndVerified("RS256", timedPayload(kNow, kNow + 300));
    QVERIFY(key.has_value());
    QVERIFY(!key->hasPrivate());
    const Lesson lesson = lessonOf(lessonsFor(token, key, kNow), "who-can-sign");
    QCOMPARE(lesson.figure(u"signers").toString(), QStringLiteral("private-key-holder"));
    QCOMPARE(lesson.figure(u"verified").toBool(), true);
    QVERIFY(lesson.message.contains(QStringLiteral("only the holder of the private key")));
    QVERIFY(lesson.message.contains(QStringLiteral("RSA 2048-bit public key")));
    QVERIFY(!lesson.message.contains(QStringLiteral("could also have signed it")));
}

void TestLessons::noneMeansAnyoneCould()
{
    const Token token = decodeUnverified(
        QString::fromLatin1(segment(R"({"alg":"none"})") + '.' + segment(R"({"sub":"u-1042","admin":true})") + '.'));
    QCOMPARE(token.kind, TokenKind::Unsecured);
    const Lesson lesson = lessonOf(lessonsFor(token, std::nullopt, kNow), "who-can-sign");
    QCOMPARE(lesson.figure(u"signers").toString(), QStringLiteral("anyone"));
    QCOMPARE(lesson.figure(u"verified").toBool(), false);
    QVERIFY(lesson.message.contains(QStringLiteral("anyone could have written this token")));
    QCOMPARE(lesson.reference, QStringLiteral("RFC 7519 §6; RFC 8725 §3.1"));
}

void TestLessons::unknownOrMissingAlgCannotTellWhoSigned()
{
    const auto messageFor = [](const QByteArray& header) {
        return lessonOf(lessonsFor(unsignedToken(R"({"sub":"x"})", header), std::nullopt, kNow), "who-can-sign");
    };
    const Lesson unknown = messageFor(R"({"alg":"XX999"})");
    QCOMPARE(unknown.figure(u"signers").toString(), QStringLiteral("unknown"));
    QVERIFY(unknown.message.contains(QStringLiteral("\"XX999\" is not an algorithm this app knows")));
    const Lesson missing = messageFor(R"({"typ":"JWT"})");
    QCOMPARE(missing.figure(u"signers").toString(), QStringLiteral("unknown"));
    QVERIFY2(missing.message.startsWith(QStringLiteral("The header names no algorithm")), qPrintable(missing.message));
}

void TestLessons::unverifiedTokenIsTreatedAsWrittenByAnyone()
{
    const Token token = unsignedToken(timedPayload(kNow, kNow + 300), R"({"alg":"ES256"})");
    const Lesson lesson = lessonOf(lessonsFor(token, std::nullopt, kNow), "who-can-sign");
    QCOMPARE(lesson.figure(u"signers").toString(), QStringLiteral("private-key-holder"));
    QCOMPARE(lesson.figure(u"verified").toBool(), false);
    QVERIFY(!lesson.figure(u"verifiedWith").isValid());
    QVERIFY(lesson.message.contains(QStringLiteral("treat it as written by anyone")));
}

void TestLessons::encryptedTokenIsReadableOnlyInItsHeader()
{
    const Token token = decodeUnverified(QString::fromLatin1(segment(R"({"alg":"RSA-OAEP","enc":"A256GCM"})")
                                                             + ".a2V5.aXZpdml2aXZpdml2.Y2lwaGVy.dGFndGFndGFndGFn"));
    QCOMPARE(token.kind, TokenKind::Jwe);
    const auto lessons = lessonsFor(token, std::nullopt, kNow);
    const Lesson readable = lessonOf(lessons, "readable-by-anyone");
    QCOMPARE(readable.figure(u"encrypted").toBool(), true);
    QVERIFY(readable.message.contains(QStringLiteral("reads only its header")));
    QCOMPARE(lessonOf(lessons, "who-can-sign").figure(u"signers").toString(), QStringLiteral("not-signed"));
    QVERIFY(redactedJson(token).contains("\"payload\": null"));
}

void TestLessons::citesARealSourceForEveryLesson()
{
    // The RFCs and sections reviewed against their text, and the OWASP cheat sheet's sections by their headings.
    const QString rfc
        = QStringLiteral("RFC (?:6265 §6\\.1|7515 §10\\.5|7516 §4\\.1\\.1|7519 §(?:4\\.1\\.4|4\\.1\\.7|6|12)"
                         "|8725 §3\\.(?:1|2|5))");
    const QString owasp = QStringLiteral("OWASP JSON Web Token Cheat Sheet: (?:Token Information Disclosure|"
                                         "No Built-In Token Revocation by the User|Token Storage on Client Side)");
    const QRegularExpression reference(QStringLiteral("^(?:%1|%2)(?:; (?:%1|%2))*$").arg(rfc, owasp));
    QVERIFY(reference.isValid());
    const std::vector<Token> tokens = {
        unsignedToken(timedPayload(kNow, kNow + 300)),
        unsignedToken(R"({"sub":"x"})", R"({"alg":"RS256"})"),
        unsignedToken(R"({"sub":"x"})", R"({"alg":"XX999"})"),
        decodeUnverified(QString::fromLatin1(segment(R"({"alg":"none"})") + '.' + segment("{}") + '.')),
    };
    int checked = 0;
    for (const Token& token : tokens) {
        for (const Lesson& lesson : lessonsFor(token, std::nullopt, kNow)) {
            QVERIFY2(reference.match(lesson.reference).hasMatch(), qPrintable(lesson.reference));
            ++checked;
        }
    }
    QCOMPARE(checked, 20);
}

QTEST_GUILESS_MAIN(TestLessons)
#include "TestLessons.moc"
