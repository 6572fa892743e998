#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Findings.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace jwti;

namespace {

constexpr qint64 kNow = 1516239022;

QByteArray compact(const QByteArray& header, const QByteArray& payload)
{
    return Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.'
        + Base64Url::encode(QByteArray(32, '\x5a'));
}

Token decode(const QByteArray& text)
{
    return decodeUnverified(QString::fromLatin1(text));
}

QByteArray cleanPayload()
{
    return QStringLiteral("{\"sub\":\"1234567890\",\"name\":\"John Doe\",\"iat\":%1,\"exp\":%2}")
        .arg(kNow - 60)
        .arg(kNow - 60 + 900)
        .toUtf8();
}

std::vector<Finding> lint(const Token& token, const Key* key = nullptr)
{
    LintContext context;
    context.now = kNow;
    context.key = key;
    return lintToken(token, context);
}

const Finding* findCode(const std::vector<Finding>& findings, const QString& code)
{
    for (const Finding& finding : findings) {
        if (finding.code == code)
            return &finding;
    }
    return nullptr;
}

QStringList codes(const std::vector<Finding>& findings)
{
    QStringList list;
    for (const Finding& finding : findings)
        list.append(finding.code);
    return list;
}

Key loadKey(const QString& name)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QLatin1String("/findings/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read test data %s (is JWTI_TESTDATA_DIR set?)", qPrintable(file.fileName()));
    const auto keys = importKeys(file.readAll());
    if (!keys.ok() || keys->size() != 1)
        qFatal("test key %s does not import", qPrintable(name));
    return keys->front();
}

Key secretKey(QByteArrayView secret)
{
    return Key::fromSecret(SecretBytes(secret));
}

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (auto& byte : bytes)
        byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return bytes;
}

} // namespace

class TestFindings : public QObject
{
    Q_OBJECT

private slots:
    void findsNothingInACleanToken();
    void producesEachCodeForItsToken_data();
    void producesEachCodeForItsToken();
    void placesAlgNoneOnTheAlgMember();
    void placesNoisyBase64AtTheIssue();
    void reportsPasteNoise();
    void reportsLargeTokens();
    void marksJweAsEncrypted();
    void flagsWeakJweAlgorithms_data();
    void flagsWeakJweAlgorithms();
    void acceptsACritB64Extension();
    void notesTheJwkOfADpopProof();
    void warnsAboutShortHmacSecrets();
    void flagsPubliclyKnownSecrets();
    void acceptsAStrongRandomSecret();
    void warnsAboutShortRsaKeys();
    void flagsAlgorithmConfusion();
    void sortsBySeverityThenPlace();
    void findsKnownWeakSecrets_data();
    void findsKnownWeakSecrets();
    void namesSeverities();
};

void TestFindings::findsNothingInACleanToken()
{
    const Token token = decode(compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload()));
    QCOMPARE(token.kind, TokenKind::Jws);
    QCOMPARE(codes(lint(token)), QStringList());
    const Key strong = secretKey(randomBytes(32));
    QCOMPARE(codes(lint(token, &strong)), QStringList());
}

void TestFindings::producesEachCodeForItsToken_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("severity");
    QTest::addColumn<int>("segment"); // where the finding points; -1 = the whole token

    const QByteArray hs256 = R"({"alg":"HS256","typ":"JWT"})";
    const QByteArray clean = cleanPayload();
    const int info = int(Severity::Info);
    const int warning = int(Severity::Warning);
    const int critical = int(Severity::Critical);
    const auto at = [](qint64 iat, qint64 exp) {
        return QStringLiteral("{\"sub\":\"a\",\"iat\":%1,\"exp\":%2}").arg(iat).arg(exp).toUtf8();
    };

    QTest::newRow("alg none") << QByteArray(R"({"alg":"none"})") << clean << QStringLiteral("alg-none") << critical
                              << 0;
    QTest::newRow("alg None") << QByteArray(R"({"alg":"None"})") << clean << QStringLiteral("alg-none-variant")
                              << critical << 0;
    QTest::newRow("alg NONE") << QByteArray(R"({"alg":"NONE"})") << clean << QStringLiteral("alg-none-variant")
                              << critical << 0;
    QTest::newRow("alg unknown") << QByteArray(R"({"alg":"HS999"})") << clean << QStringLiteral("alg-unknown")
                                 << warning << 0;
    QTest::newRow("alg lower case") << QByteArray(R"({"alg":"hs256"})") << clean << QStringLiteral("alg-unknown")
                                    << warning << 0;
    QTest::newRow("alg missing") << QByteArray(R"({"typ":"JWT"})") << clean << QStringLiteral("alg-unknown") << warning
                                 << 0;
    QTest::newRow("no exp") << hs256 << QByteArray(R"({"sub":"a","iat":1516239022})") << QStringLiteral("no-exp")
                            << warning << 1;
    QTest::newRow("long lifetime") << hs256 << at(kNow, kNow + 2 * 86400) << QStringLiteral("long-lifetime") << warning
                                   << 1;
    QTest::newRow("exp before iat") << hs256 << at(kNow, kNow - 10) << QStringLiteral("exp-before-iat") << warning << 1;
    QTest::newRow("exp equal to iat") << hs256 << at(kNow - 5, kNow - 5) << QStringLiteral("exp-before-iat") << warning
                                      << 1;
    QTest::newRow("expired") << hs256 << at(kNow - 1000, kNow - 100) << QStringLiteral("expired") << info << 1;
    QTest::newRow("not yet valid") << hs256
                                   << QStringLiteral("{\"nbf\":%1,\"exp\":%2}").arg(kNow + 100).arg(kNow + 900).toUtf8()
                                   << QStringLiteral("not-yet-valid") << info << 1;
    QTest::newRow("issued in the future")
        << hs256 << at(kNow + 100, kNow + 900) << QStringLiteral("issued-in-future") << info << 1;
    QTest::newRow("exp not a number") << hs256 << QByteArray(R"({"exp":"soon"})")
                                      << QStringLiteral("numericdate-invalid") << warning << 1;
    QTest::newRow("jku") << QByteArray(R"({"alg":"RS256","jku":"https://evil.example/jwks.json"})") << clean
                         << QStringLiteral("jku-present") << warning << 0;
    QTest::newRow("x5u") << QByteArray(R"({"alg":"RS256","x5u":"https://evil.example/cert.pem"})") << clean
                         << QStringLiteral("x5u-present") << warning << 0;
    QTest::newRow("jwk") << QByteArray(R"({"alg":"RS256","jwk":{"kty":"RSA","n":"AQAB","e":"AQAB"}})") << clean
                         << QStringLiteral("jwk-present") << warning << 0;
    QTest::newRow("x5c") << QByteArray(R"({"alg":"RS256","x5c":["MIIB"]})") << clean << QStringLiteral("x5c-present")
                         << warning << 0;
    QTest::newRow("kid path traversal") << QByteArray(R"({"alg":"HS256","kid":"../../../dev/null"})") << clean
                                        << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("kid backslash") << QByteArray(R"({"alg":"HS256","kid":"keys\\a"})") << clean
                                   << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("kid SQL") << QByteArray(R"({"alg":"HS256","kid":"x' UNION SELECT 'secret"})") << clean
                             << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("kid semicolon") << QByteArray(R"({"alg":"HS256","kid":"k1; DROP TABLE keys"})") << clean
                                   << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("kid NUL") << QByteArray(R"({"alg":"HS256","kid":"k1\u0000.pem"})") << clean
                             << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("kid not a string") << QByteArray(R"({"alg":"HS256","kid":7})") << clean
                                      << QStringLiteral("kid-suspicious") << warning << 0;
    QTest::newRow("crit unknown") << QByteArray(R"({"alg":"HS256","ext":1,"crit":["ext"]})") << clean
                                  << QStringLiteral("crit-unknown") << critical << 0;
    QTest::newRow("crit empty") << QByteArray(R"({"alg":"HS256","crit":[]})") << clean << QStringLiteral("crit-invalid")
                                << critical << 0;
    QTest::newRow("crit names an absent parameter")
        << QByteArray(R"({"alg":"HS256","crit":["b64"]})") << clean << QStringLiteral("crit-invalid") << critical << 0;
    QTest::newRow("crit names alg") << QByteArray(R"({"alg":"HS256","crit":["alg"]})") << clean
                                    << QStringLiteral("crit-invalid") << critical << 0;
    QTest::newRow("crit not an array") << QByteArray(R"({"alg":"HS256","ext":1,"crit":"ext"})") << clean
                                       << QStringLiteral("crit-invalid") << critical << 0;
    QTest::newRow("crit lists a number") << QByteArray(R"({"alg":"HS256","crit":[1]})") << clean
                                         << QStringLiteral("crit-invalid") << critical << 0;
    QTest::newRow("crit lists a name twice") << QByteArray(R"({"alg":"HS256","ext":1,"crit":["ext","ext"]})") << clean
                                             << QStringLiteral("crit-invalid") << critical << 0;
    QTest::newRow("b64 without crit") << QByteArray(R"({"alg":"HS256","b64":true})") << clean
                                      << QStringLiteral("crit-invalid") << warning << 0;
    QTest::newRow("password") << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"password":"hunter2"})")
                              << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("nested credit card")
        << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"user":{"credit_card":"4111111111111111"}})")
        << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("camel-case api key") << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"apiKey":"k"})")
                                        << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("ssn in an array of objects")
        << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"people":[{"ssn":"078-05-1120"}]})")
        << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("refresh token") << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"refresh_token":"r"})")
                                   << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("client secret") << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"client_secret":"s"})")
                                   << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("private key") << hs256 << QByteArray(R"({"sub":"a","exp":1516239922,"private_key":"s"})")
                                 << QStringLiteral("sensitive-claim") << warning << 1;
    QTest::newRow("duplicate in header") << QByteArray(R"({"alg":"HS256","typ":"JWT","typ":"JWT"})") << clean
                                         << QStringLiteral("duplicate-member") << critical << 0;
    QTest::newRow("duplicate in payload") << hs256 << QByteArray(R"({"sub":"a","sub":"b","exp":1516239922})")
                                          << QStringLiteral("duplicate-member") << warning << 1;
    QTest::newRow("unusual typ") << QByteArray(R"({"alg":"HS256","typ":"text/plain"})") << clean
                                 << QStringLiteral("typ-unusual") << info << 0;
}

void TestFindings::producesEachCodeForItsToken()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QString, code);
    QFETCH(int, severity);
    QFETCH(int, segment);
    const Token token = decode(compact(header, payload));
    const auto findings = lint(token);
    const Finding* finding = findCode(findings, code);
    QVERIFY2(finding, qPrintable(codes(findings).join(QLatin1String(", "))));
    QCOMPARE(int(finding->severity), severity);
    QCOMPARE(finding->segment, segment);
    QVERIFY(!finding->message.isEmpty());
    QVERIFY(!finding->why.isEmpty());
    QVERIFY(!finding->reference.isEmpty());
    if (segment >= 0) {
        // The place lies inside its segment.
        const OffsetRange segmentRange = token.segments.at(segment).range;
        QVERIFY(finding->range.size() > 0);
        QVERIFY(finding->range.begin >= segmentRange.begin);
        QVERIFY(finding->range.end <= segmentRange.end);
    }
    // The same token with a clean header and payload does not produce it.
    QVERIFY(!findCode(lint(decode(compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload()))), code));
}

void TestFindings::placesAlgNoneOnTheAlgMember()
{
    const QByteArray header = R"({"typ":"JWT","alg":"none"})";
    const Token token = decode(compact(header, cleanPayload()));
    const auto findings = lint(token);
    const Finding* finding = findCode(findings, QStringLiteral("alg-none"));
    QVERIFY(finding);
    QCOMPARE(finding->segment, 0);
    QCOMPARE(finding->reference, QStringLiteral("RFC 8725 §3.1"));
    const Segment& segment = token.segments.at(0);
    const OffsetRange chars{finding->range.begin - segment.range.begin, finding->range.end - segment.range.begin};
    const OffsetRange bytes = Base64Url::byteRangeForEncoded(chars, segment.decoded.bytes.size());
    const QByteArray shown = segment.decoded.bytes.mid(bytes.begin, bytes.size());
    QVERIFY2(shown.contains(R"("alg":"none")"), shown.constData());
    // Exact up to the 3-byte group: no more than two extra bytes on either side.
    QVERIFY(shown.size() <= QByteArray(R"("alg":"none")").size() + 4);
}

void TestFindings::placesNoisyBase64AtTheIssue()
{
    // A header whose encoding ends in a partial group, then its last character bumped so that spare bits are set:
    // the same bytes, spelled non-canonically.
    QByteArray header = R"({"alg":"HS256"})";
    while (Base64Url::encode(header).size() % 4 == 0)
        header.append(' ');
    QByteArray encodedHeader = Base64Url::encode(header);
    encodedHeader.back() = static_cast<char>(encodedHeader.back() + 1);
    const QByteArray text = encodedHeader + '.' + Base64Url::encode(cleanPayload()) + '.' + Base64Url::encode("sig");
    const Token token = decode(text);
    const auto findings = lint(token);
    const Finding* finding = findCode(findings, QStringLiteral("base64-noncanonical"));
    QVERIFY2(finding, qPrintable(codes(findings).join(QLatin1String(", "))));
    QCOMPARE(finding->segment, 0);
    QCOMPARE(finding->range.begin, encodedHeader.size() - 1);
    QCOMPARE(finding->range.size(), 1);
}

void TestFindings::reportsPasteNoise()
{
    const QByteArray token = compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload());
    const auto findings = lint(decode("Bearer " + token));
    const Finding* finding = findCode(findings, QStringLiteral("paste-noise"));
    QVERIFY2(finding, qPrintable(codes(findings).join(QLatin1String(", "))));
    QCOMPARE(finding->severity, Severity::Info);
    QVERIFY(finding->message.contains(QLatin1String("Bearer")));
    QVERIFY(!findCode(lint(decode(token)), QStringLiteral("paste-noise")));
}

void TestFindings::reportsLargeTokens()
{
    const QByteArray header = R"({"alg":"HS256","typ":"JWT"})";
    const QByteArray small
        = QStringLiteral("{\"exp\":%1,\"data\":\"%2\"}").arg(kNow + 60).arg(QString(2900, u'x')).toUtf8();
    const QByteArray large
        = QStringLiteral("{\"exp\":%1,\"data\":\"%2\"}").arg(kNow + 60).arg(QString(3100, u'x')).toUtf8();
    QVERIFY(compact(header, small).size() <= 4096);
    QVERIFY(compact(header, large).size() > 4096);
    QVERIFY(!findCode(lint(decode(compact(header, small))), QStringLiteral("token-large")));
    const auto findings = lint(decode(compact(header, large)));
    const Finding* finding = findCode(findings, QStringLiteral("token-large"));
    QVERIFY(finding);
    QCOMPARE(finding->segment, -1);
}

void TestFindings::marksJweAsEncrypted()
{
    const QByteArray text = Base64Url::encode(R"({"alg":"RSA-OAEP","enc":"A256GCM"})") + '.'
        + Base64Url::encode(randomBytes(256)) + '.' + Base64Url::encode(randomBytes(12)) + '.'
        + Base64Url::encode(randomBytes(40)) + '.' + Base64Url::encode(randomBytes(16));
    const Token token = decode(text);
    QCOMPARE(token.kind, TokenKind::Jwe);
    const auto findings = lint(token);
    const Finding* finding = findCode(findings, QStringLiteral("jwe-encrypted"));
    QVERIFY(finding);
    QCOMPARE(finding->severity, Severity::Info);
    QCOMPARE(finding->segment, 3);
    // Key-management algorithms are not JWS algorithms, and an encrypted payload has no readable exp.
    QVERIFY(!findCode(findings, QStringLiteral("alg-unknown")));
    QVERIFY(!findCode(findings, QStringLiteral("no-exp")));
}

void TestFindings::flagsWeakJweAlgorithms_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QString>("code"); // empty: no JWE algorithm finding
    QTest::newRow("RSA1_5") << QByteArray(R"({"alg":"RSA1_5","enc":"A128CBC-HS256"})") << "jwe-rsa1_5";
    QTest::newRow("RSA-OAEP-256") << QByteArray(R"({"alg":"RSA-OAEP-256","enc":"A256GCM"})") << "";
    QTest::newRow("p2c too high") << QByteArray(R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":2000000})")
                                  << "jwe-p2c-bounds";
    QTest::newRow("p2c too low") << QByteArray(R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":10})")
                                 << "jwe-p2c-bounds";
    QTest::newRow("p2c fine") << QByteArray(R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2c":310000})") << "";
    QTest::newRow("unknown alg") << QByteArray(R"({"alg":"RSA-OAEP-1024","enc":"A128GCM"})") << "jwe-alg-unknown";
    QTest::newRow("unknown enc") << QByteArray(R"({"alg":"dir","enc":"A128CTR"})") << "jwe-enc-unknown";
}

void TestFindings::flagsWeakJweAlgorithms()
{
    QFETCH(QByteArray, header);
    QFETCH(QString, code);
    const QByteArray text = Base64Url::encode(header) + '.' + Base64Url::encode(randomBytes(256)) + '.'
        + Base64Url::encode(randomBytes(12)) + '.' + Base64Url::encode(randomBytes(40)) + '.'
        + Base64Url::encode(randomBytes(16));
    const auto findings = lint(decode(text));
    QStringList jweCodes;
    for (const Finding& finding : findings) {
        if (finding.code.startsWith(QLatin1String("jwe-")) && finding.code != QLatin1String("jwe-encrypted"))
            jweCodes << finding.code;
    }
    QCOMPARE(jweCodes, code.isEmpty() ? QStringList() : QStringList{code});
    if (!code.isEmpty()) {
        const Finding* finding = findCode(findings, code);
        QCOMPARE(finding->severity, Severity::Warning);
        QCOMPARE(finding->segment, 0);
    }
}

void TestFindings::acceptsACritB64Extension()
{
    const Token token = decode(compact(R"({"alg":"HS256","b64":false,"crit":["b64"]})", "$.02"));
    const auto findings = lint(token);
    const Finding* finding = findCode(findings, QStringLiteral("crit-present"));
    QVERIFY2(finding, qPrintable(codes(findings).join(QLatin1String(", "))));
    QCOMPARE(finding->severity, Severity::Info);
    QVERIFY(!findCode(findings, QStringLiteral("crit-unknown")));
    QVERIFY(!findCode(findings, QStringLiteral("crit-invalid")));
}

void TestFindings::notesTheJwkOfADpopProof()
{
    const QByteArray header = R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}})";
    const auto findings = lint(decode(compact(header, cleanPayload())));
    const Finding* finding = findCode(findings, QStringLiteral("jwk-present"));
    QVERIFY(finding);
    QCOMPARE(finding->severity, Severity::Info);
    QVERIFY(!findCode(findings, QStringLiteral("typ-unusual")));
}

void TestFindings::warnsAboutShortHmacSecrets()
{
    const Token hs256 = decode(compact(R"({"alg":"HS256"})", cleanPayload()));
    const Token hs512 = decode(compact(R"({"alg":"HS512"})", cleanPayload()));
    const Key bits248 = secretKey(randomBytes(31));
    const Key bits256 = secretKey(randomBytes(32));
    QVERIFY(findCode(lint(hs256, &bits248), QStringLiteral("hmac-weak-secret")));
    QVERIFY(!findCode(lint(hs256, &bits256), QStringLiteral("hmac-weak-secret")));
    // RFC 7518 §3.2: the key must be as long as the hash, so HS512 needs 512 bits.
    const auto findings = lint(hs512, &bits256);
    const Finding* finding = findCode(findings, QStringLiteral("hmac-weak-secret"));
    QVERIFY(finding);
    QVERIFY(finding->message.contains(QLatin1String("512")));
    // Only for HMAC secrets.
    const Key rsa = loadKey(QStringLiteral("rsa-2048-public.pem"));
    QVERIFY(!findCode(lint(decode(compact(R"({"alg":"RS256"})", cleanPayload())), &rsa),
                      QStringLiteral("hmac-weak-secret")));
}

void TestFindings::flagsPubliclyKnownSecrets()
{
    const Token token = decode(compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload()));
    const Key known = secretKey("your-256-bit-secret");
    const auto findings = lint(token, &known);
    const Finding* finding = findCode(findings, QStringLiteral("hmac-known-secret"));
    QVERIFY(finding);
    QCOMPARE(finding->severity, Severity::Critical);
    // The secret itself appears nowhere in what the lint says.
    for (const Finding& each : findings) {
        QVERIFY(!each.message.contains(QLatin1String("your-256-bit-secret")));
        QVERIFY(!each.why.contains(QLatin1String("your-256-bit-secret")));
    }
}

void TestFindings::acceptsAStrongRandomSecret()
{
    const Token token = decode(compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload()));
    const Key strong = secretKey(randomBytes(64));
    const auto findings = lint(token, &strong);
    QVERIFY(!findCode(findings, QStringLiteral("hmac-known-secret")));
    QVERIFY(!findCode(findings, QStringLiteral("hmac-weak-secret")));
}

void TestFindings::warnsAboutShortRsaKeys()
{
    const Token token = decode(compact(R"({"alg":"RS256","typ":"JWT"})", cleanPayload()));
    const Key weak = loadKey(QStringLiteral("rsa-1024-public.pem"));
    const Key strong = loadKey(QStringLiteral("rsa-2048-public.pem"));
    QCOMPARE(weak.bits(), 1024);
    const auto findings = lint(token, &weak);
    const Finding* finding = findCode(findings, QStringLiteral("rsa-weak-key"));
    QVERIFY(finding);
    QVERIFY(finding->message.contains(QLatin1String("1024")));
    QCOMPARE(codes(lint(token, &strong)), QStringList());
}

void TestFindings::flagsAlgorithmConfusion()
{
    const Token token = decode(compact(R"({"alg":"HS256","typ":"JWT"})", cleanPayload()));
    const Key rsa = loadKey(QStringLiteral("rsa-2048-public.pem"));
    const auto findings = lint(token, &rsa);
    const Finding* finding = findCode(findings, QStringLiteral("alg-key-mismatch"));
    QVERIFY(finding);
    QCOMPARE(finding->severity, Severity::Critical);
}

void TestFindings::sortsBySeverityThenPlace()
{
    const QByteArray header = R"({"alg":"none","jku":"https://x.example","kid":"../k","typ":"foo"})";
    const QByteArray payload = R"({"sub":"a","password":"p","secret":"s"})";
    const auto findings = lint(decode("Bearer " + compact(header, payload)));
    QVERIFY(findings.size() >= 6);
    QCOMPARE(findings.front().code, QStringLiteral("alg-none"));
    for (std::size_t i = 1; i < findings.size(); ++i) {
        const Finding& a = findings[i - 1];
        const Finding& b = findings[i];
        QVERIFY(a.severity >= b.severity);
        if (a.severity == b.severity) {
            QVERIFY(a.segment <= b.segment);
            if (a.segment == b.segment)
                QVERIFY(a.range.begin <= b.range.begin);
        }
    }
}

void TestFindings::findsKnownWeakSecrets_data()
{
    QTest::addColumn<QByteArray>("secret");
    QTest::addColumn<bool>("known");
    QTest::newRow("secret") << QByteArray("secret") << true;
    QTest::newRow("jwt.io default") << QByteArray("your-256-bit-secret") << true;
    QTest::newRow("last line of the list")
        << QByteArray("3beeee45bc938475ecba45075c53aae0f94299a83f824b25bbaf7965b4b0c60ff2b0c66c9047a026578deb5ecadabaa6"
                      "02891be2be66ed123a7b26876d4daddf")
        << true;
    QTest::newRow("with a carriage return") << QByteArray("secret\r") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("random 32 bytes") << randomBytes(32) << false;
    QTest::newRow("random 32 bytes as hex") << randomBytes(32).toHex() << false;
}

void TestFindings::findsKnownWeakSecrets()
{
    QFETCH(QByteArray, secret);
    QFETCH(bool, known);
    QCOMPARE(isKnownWeakSecret(secret), known);
}

void TestFindings::namesSeverities()
{
    QCOMPARE(severityName(Severity::Info), QStringLiteral("info"));
    QCOMPARE(severityName(Severity::Warning), QStringLiteral("warning"));
    QCOMPARE(severityName(Severity::Critical), QStringLiteral("critical"));
}

QTEST_GUILESS_MAIN(TestFindings)
#include "TestFindings.moc"
