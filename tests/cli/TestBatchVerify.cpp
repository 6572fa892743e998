// verify --batch says exactly what single `verify` says for each token (issue 17 item 4): a mixed file of valid,
// expired, tampered, wrong-key, malformed and alg-none tokens, with and without kid, through the built binary
// (JWTI_BINARY) with --jobs 1 and --jobs 2, compared line by line with one `verify` run per token; and the order of
// the output is the input's across many lines and several threads. The verdict from the verify path's light parse
// (TokenDetail::ForVerdict: only the members a verdict reads, a header shared with the line before it reused) is the
// verdict from the full parse, for tokens whose header differs by one byte, with repeated members and with numbers
// written every way JSON allows.
#include "ProcessRunner.h"
#include "core/crypto/Key.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

namespace {

using Run = testsupport::ProcessRun;

// The built binary, with the batch runs' generous time limit (a million-line run is not among them, but the
// sanitizer builds are slow).
Run run(const QStringList& args, const QByteArray& input = {})
{
    testsupport::ProcessOptions options;
    options.input = input;
    options.timeoutMs = 300000;
    return testsupport::runJwtInspector(args, options);
}

QByteArray b64(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// The clock every run uses, so that exp and nbf decide the same way in every process.
const QString kNow = QStringLiteral("1700000000");
const QString kSecretHex = QStringLiteral("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

// An HS256 token over exactly these header and payload bytes, whatever they hold (repeated members, escapes, bytes
// that are not UTF-8): the tests need JSON that no signer would write.
QByteArray hs256(const QByteArray& header, const QByteArray& payload)
{
    const QByteArray input = b64(header) + '.' + b64(payload);
    return input + '.'
        + b64(QMessageAuthenticationCode::hash(input, QByteArray::fromHex(kSecretHex.toLatin1()),
                                               QCryptographicHash::Sha256));
}

// Tokens that tell a light parse from a full one: in this order, each header differs from the one before by a byte
// or is the same, so a reused header must be the right one.
QList<QByteArray> lightParseTokens()
{
    const QByteArray jwt = R"({"alg":"HS256","typ":"JWT"})";
    const QByteArray jws = R"({"alg":"HS256","typ":"JWS"})"; // one byte from jwt
    const QByteArray fresh = R"({"sub":"a","exp":1800000000})";
    return {
        hs256(jwt, fresh),
        hs256(jws, R"({"sub":"a","exp":1600000000})"), // expired, after a header one byte away
        hs256(jwt, fresh),
        hs256(jwt, R"({"exp":1600000000,"sub":"b","exp":1800000000})"), // the last exp counts: valid
        hs256(jwt, R"({"exp":1800000000,"exp":1600000000})"), // the last exp counts: expired
        hs256(jwt, R"({"\u0065xp":1600000000})"), // an escaped name is still exp
        hs256(jwt, R"({"exp":1.8e9})"),
        hs256(jwt, R"({"exp":16E8})"),
        hs256(jwt, R"({"exp":1800000000.0})"),
        hs256(jwt, R"({"exp":1600000000.5})"),
        hs256(jwt, R"({"exp":-0})"),
        hs256(jwt, R"({"exp":123456789012345678})"),
        hs256(jwt, R"({"exp":1234567890123456789})"),
        hs256(jwt, R"({"exp":12345678901234567890})"),
        hs256(jwt, R"({"exp":0.0000001e16})"),
        hs256(jwt, R"({"nbf":1e400})"),
        hs256(jwt, R"({"exp":"1800000000"})"), // a string is no NumericDate
        hs256(jwt, R"({"iat":1690000000,"aud":["them","us"],"iss":"me"})"),
        hs256(jwt, R"({"iat":1690000000,"aud":["them",{"x":1}],"iss":"me"})"),
        hs256(jwt, R"({"iat":1800000000,"aud":"them","iss":"me"})"), // issued in the future
        hs256(jwt, "{\"name\":\"J\xc3\xb6rg\",\"exp\":1800000000}"), // UTF-8 in a claim nobody reads
        hs256(jwt, "{\"name\":\"\xff\",\"exp\":1800000000}"), // not UTF-8, in a claim nobody reads
        hs256(jwt, R"({"name":"a\qb","exp":1800000000})"), // a bad escape, in a claim nobody reads
        hs256(jwt, R"({"n":012,"exp":1800000000})"), // a leading zero, in a claim nobody reads
        hs256(jwt, "{\"n\":" + QByteArray(600, '[') + QByteArray(600, ']') + ",\"exp\":1800000000}"), // too deep
        hs256(R"({"alg":"HS256","alg":"none"})", fresh), // the last alg counts
        hs256(R"({"\u0061lg":"HS256"})", fresh),
        hs256(R"({"alg":"HS256","typ":7})", fresh),
        hs256(R"({"alg":"HS256","crit":["exp"]})", fresh),
        hs256(R"({"alg":"HS256","b64":true})", fresh),
        hs256(R"({"alg":"HS256","x5c":["MIIBIjANBgkqhkiG9w0BAQEFAAOC"],"jwk":{"kty":"oct","k":"AA"}})", fresh),
        hs256("{\"alg\":\"HS256\",\"x\":\"\xfe\"}", fresh), // not UTF-8, in a member nobody reads
        hs256(R"({"alg":"HS256","kid":"k","typ":"JWT"})", fresh),
        hs256(R"({"alg":"HS256","kid":"k","typ":"JWT"})", R"({"exp":1600000000})"),
        hs256(jwt, fresh),
    };
}

} // namespace

class TestBatchVerify : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void batchLineEqualsSingleVerify_data();
    void batchLineEqualsSingleVerify();
    void manyLinesKeepTheirOrderOnSeveralThreads();
    void answersEachLineBeforeTheNextArrives();
    void lightParseGivesTheFullParsesVerdict_data();
    void lightParseGivesTheFullParsesVerdict();
    void refusesJobsThatAreNotAPositiveNumber();
    void refusesJobsWithoutBatch();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QByteArray sign(const QStringList& keyAndOptions, const QByteArray& payload);
    QByteArray generate(const QString& name, const QString& alg);

    QTemporaryDir m_dir;
    QList<QByteArray> m_tokens; // the mixed file, one token (or not-a-token) a line
};

// Generates a key pair as JWKs (private name.jwk, public name.pub.jwk); returns its kid.
QByteArray TestBatchVerify::generate(const QString& name, const QString& alg)
{
    const Run made = run({QStringLiteral("keygen"), QStringLiteral("--alg"), alg, QStringLiteral("--format"),
                          QStringLiteral("jwk"), QStringLiteral("--out"), path(name + QStringLiteral(".jwk")),
                          QStringLiteral("--public-out"), path(name + QStringLiteral(".pub.jwk"))});
    if (made.exitCode != 0)
        return {};
    QFile file(path(name + QStringLiteral(".pub.jwk")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("kid")).toString().toUtf8();
}

QByteArray TestBatchVerify::sign(const QStringList& keyAndOptions, const QByteArray& payload)
{
    const Run signed_
        = run(QStringList{QStringLiteral("sign")} + keyAndOptions + QStringList{QString::fromUtf8(payload)});
    return signed_.exitCode == 0 ? signed_.out.trimmed() : QByteArray();
}

void TestBatchVerify::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY(!qEnvironmentVariableIsEmpty("JWTI_BINARY"));
    const QByteArray kid1 = generate(QStringLiteral("k1"), QStringLiteral("RS256"));
    const QByteArray kid2 = generate(QStringLiteral("k2"), QStringLiteral("RS256"));
    QVERIFY(!kid1.isEmpty() && !kid2.isEmpty() && kid1 != kid2);
    QVERIFY(!generate(QStringLiteral("ec"), QStringLiteral("ES256")).isEmpty());
    // A PEM pair, which has no kid of its own.
    QCOMPARE(run({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("RS256"), QStringLiteral("--out"),
                  path(QStringLiteral("k3.pem")), QStringLiteral("--public-out"), path(QStringLiteral("k3.pub.pem"))})
                 .exitCode,
             0);
    // The issuer's JWKS: k1 and k2, each with its kid.
    QJsonArray keys;
    for (const QString& name : {QStringLiteral("k1"), QStringLiteral("k2")}) {
        QFile file(path(name + QStringLiteral(".pub.jwk")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        keys.append(QJsonDocument::fromJson(file.readAll()).object());
    }
    QFile jwks(path(QStringLiteral("issuer.jwks")));
    QVERIFY(jwks.open(QIODevice::WriteOnly));
    jwks.write(QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson());
    jwks.close();

    const QStringList rsK1
        = {QStringLiteral("--key"), path(QStringLiteral("k1.jwk")), QStringLiteral("--alg"), QStringLiteral("RS256")};
    const QStringList rsK2
        = {QStringLiteral("--key"), path(QStringLiteral("k2.jwk")), QStringLiteral("--alg"), QStringLiteral("RS256")};
    const QStringList rsK3
        = {QStringLiteral("--key"), path(QStringLiteral("k3.pem")), QStringLiteral("--alg"), QStringLiteral("RS256")};
    const QStringList hs
        = {QStringLiteral("--secret-hex"), kSecretHex, QStringLiteral("--alg"), QStringLiteral("HS256")};
    const QByteArray fresh = R"({"sub":"alice","iat":1690000000,"exp":1800000000})";

    const QByteArray valid1 = sign(rsK1, fresh);
    QVERIFY(!valid1.isEmpty());
    const QList<QByteArray> parts = valid1.split('.');
    QByteArray flipped = parts[2];
    flipped[40] = flipped[40] == 'A' ? 'B' : 'A';
    const QByteArray header = b64(R"({"alg":"RS256","kid":")" + kid1 + R"("})");

    m_tokens = {
        valid1, // valid, kid k1
        sign(rsK2, fresh), // valid, kid k2
        sign(rsK3, fresh), // valid with k3, no kid
        sign(rsK1, R"({"sub":"alice","exp":1600000000})"), // expired
        sign(rsK1, R"({"sub":"alice","nbf":1800000000})"), // not yet valid
        sign(rsK1, R"({"sub":"alice","aud":"them"})"), // an audience nobody asked about
        parts[0] + '.' + b64(R"({"sub":"mallory","exp":1800000000})") + '.' + parts[2], // tampered payload
        parts[0] + '.' + parts[1] + '.' + flipped, // tampered signature
        parts[0] + '.' + parts[1] + '.' + parts[2].chopped(4), // truncated signature
        sign(rsK2 + QStringList{QStringLiteral("--kid"), QString::fromUtf8(kid1)}, fresh), // k1's kid, k2's key
        sign(rsK1 + QStringList{QStringLiteral("--kid"), QStringLiteral("nobody")}, fresh), // a kid no key has
        header + '.' + parts[1] + '.' + b64(QByteArray(256, 'x')), // a signature of the right size, made of nothing
        b64(R"({"alg":"none"})") + '.' + parts[1] + '.', // alg none
        b64(R"({"alg":"none","kid":")" + kid1 + R"("})") + '.' + parts[1] + '.', // alg none with a kid
        sign(hs, fresh), // HS256, no kid
        sign(hs + QStringList{QStringLiteral("--kid"), QString::fromUtf8(kid1)}, fresh), // HS256 with an RSA kid
        sign(
            {QStringLiteral("--key"), path(QStringLiteral("ec.jwk")), QStringLiteral("--alg"), QStringLiteral("ES256")},
            fresh), // ES256: no RSA key fits
        "not-a-token", // malformed
        "a.b", // one dot
        parts[0] + '.' + parts[1], // the signature part missing
        parts[0] + ".e yJ." + parts[2], // whitespace inside
        "Bearer " + valid1, // paste noise verify does not strip
        '"' + valid1 + '"', // quoted
        parts[0] + '.' + parts[1] + '.' + parts[2] + "==", // padded base64
        "", // an empty line
        "  " + valid1 + " \r", // surrounding whitespace, trimmed by both
        b64(R"({"alg":"RSA-OAEP","enc":"A256GCM"})") + ".a.b.c.d", // a JWE
        "\x1b]0;owned\x07." + parts[1] + '.' + parts[2], // terminal escapes
        b64(R"({"alg":"RS256")") + '.' + parts[1] + '.' + parts[2], // the header is not JSON
        b64(R"({"alg":"RS256","crit":["exp"]})") + '.' + parts[1] + '.' + parts[2], // an unknown crit
    };
    m_tokens += lightParseTokens();
    for (const QByteArray& token : m_tokens)
        QVERIFY2(!token.contains('\n'), token.constData());
    QVERIFY(std::none_of(m_tokens.begin(), m_tokens.begin() + 17, [](const QByteArray& t) { return t.isEmpty(); }));
}

void TestBatchVerify::batchLineEqualsSingleVerify_data()
{
    QTest::addColumn<QStringList>("keySpec");
    QTest::addColumn<bool>("json");
    const QStringList jwks = {QStringLiteral("--key"), path(QStringLiteral("issuer.jwks"))};
    const QStringList pem = {QStringLiteral("--key"), path(QStringLiteral("k3.pub.pem"))};
    const QStringList jwk = {QStringLiteral("--key"), path(QStringLiteral("k1.pub.jwk"))};
    const QStringList secret = {QStringLiteral("--secret-hex"), kSecretHex};
    QTest::newRow("jwks picked by kid") << jwks << false;
    QTest::newRow("pem") << pem << false;
    QTest::newRow("one jwk") << jwk << false;
    QTest::newRow("hmac secret") << secret << false;
    QTest::newRow("jwks --json") << jwks << true;
    QTest::newRow("pem --json") << pem << true;
    QTest::newRow("hmac secret --json") << secret << true;
}

void TestBatchVerify::batchLineEqualsSingleVerify()
{
    QFETCH(QStringList, keySpec);
    QFETCH(bool, json);
    QStringList options = QStringList{QStringLiteral("verify")} + keySpec + QStringList{QStringLiteral("--now"), kNow};
    if (json)
        options << QStringLiteral("--json");
    const QByteArray input = m_tokens.join('\n') + '\n';
    const Run oneThread
        = run(options + QStringList{QStringLiteral("--batch"), QStringLiteral("--jobs"), QStringLiteral("1")}, input);
    const Run twoThreads
        = run(options + QStringList{QStringLiteral("--batch"), QStringLiteral("--jobs"), QStringLiteral("2")}, input);
    QCOMPARE(twoThreads.out, oneThread.out);
    QCOMPARE(twoThreads.exitCode, oneThread.exitCode);
    const QList<QByteArray> lines = oneThread.out.split('\n');
    QCOMPARE(lines.size(), m_tokens.size() + 1); // the last newline leaves an empty tail
    QCOMPARE(lines.last(), QByteArray());

    int valid = 0;
    bool allValid = true;
    for (qsizetype i = 0; i < m_tokens.size(); ++i) {
        const Run single = run(options + QStringList{QStringLiteral("-")}, m_tokens[i]);
        const QByteArray expected = json ? single.out.trimmed() : single.lastLine();
        QVERIFY2(!expected.isEmpty(), qPrintable(QStringLiteral("token %1: no output").arg(i)));
        QVERIFY2(lines[i] == expected,
                 qPrintable(QStringLiteral("token %1 (%2):\n  batch:  %3\n  single: %4")
                                .arg(i)
                                .arg(QString::fromUtf8(m_tokens[i].left(60)), QString::fromUtf8(lines[i]),
                                     QString::fromUtf8(expected))));
        valid += single.exitCode == 0;
        allValid = allValid && single.exitCode == 0;
    }
    QCOMPARE(oneThread.exitCode, allValid ? 0 : 1);
    // The file must hold both outcomes for every key, else it compares nothing worth comparing.
    QVERIFY(valid >= 1);
    QVERIFY(valid < m_tokens.size() / 2);
    const QSet<QByteArray> distinct(lines.begin(), lines.end());
    QVERIFY2(distinct.size() >= 10, qPrintable(QStringLiteral("only %1 different answers").arg(distinct.size())));
}

void TestBatchVerify::manyLinesKeepTheirOrderOnSeveralThreads()
{
    // More lines than one window holds, each line's answer depending on the line: any reordering shows.
    QByteArray input;
    QByteArray expected;
    const QStringList options
        = {QStringLiteral("verify"), QStringLiteral("--secret-hex"), kSecretHex, QStringLiteral("--now"), kNow,
           QStringLiteral("--batch")};
    const Run reference
        = run(options + QStringList{QStringLiteral("--jobs"), QStringLiteral("1")}, m_tokens.join('\n') + '\n');
    const QList<QByteArray> answers = reference.out.split('\n');
    QCOMPARE(answers.size(), m_tokens.size() + 1);
    const int lineCount = 10007;
    for (int i = 0; i < lineCount; ++i) {
        const qsizetype k = (i * 7) % m_tokens.size();
        input += m_tokens[k] + '\n';
        expected += answers[k] + '\n';
    }
    for (const QString& jobs : {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")}) {
        const Run batch = run(options + QStringList{QStringLiteral("--jobs"), jobs}, input);
        QCOMPARE(batch.exitCode, 1);
        QVERIFY2(batch.out == expected, qPrintable(QStringLiteral("--jobs %1 changed the output").arg(jobs)));
    }
    // Without a final newline the last line is still a token.
    const Run unterminated = run(options, m_tokens[14]);
    QCOMPARE(unterminated.out, QByteArray("valid\n"));
    QCOMPARE(unterminated.exitCode, 0);
}

// A producer that writes one token and waits for its answer before the next (a pipe to a slow log reader) must get
// each answer while its input stays open: the batch may not wait for a full window, nor read ahead before printing.
void TestBatchVerify::answersEachLineBeforeTheNextArrives()
{
    for (const QString& jobs : {QStringLiteral("1"), QStringLiteral("2")}) {
        QProcess process;
        process.start(qEnvironmentVariable("JWTI_BINARY"),
                      {QStringLiteral("verify"), QStringLiteral("--secret-hex"), kSecretHex, QStringLiteral("--now"),
                       kNow, QStringLiteral("--batch"), QStringLiteral("--jobs"), jobs});
        QVERIFY(process.waitForStarted());
        const QList<QByteArray> lines = {m_tokens[14], "not-a-token", m_tokens[14]};
        for (const QByteArray& line : lines) {
            process.write(line + '\n');
            QTRY_VERIFY_WITH_TIMEOUT(process.canReadLine(), 10000);
            const QByteArray answer = process.readLine();
            QCOMPARE(answer.startsWith("valid"), line == m_tokens[14]);
        }
        process.closeWriteChannel();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 1);
    }
}

void TestBatchVerify::lightParseGivesTheFullParsesVerdict_data()
{
    QTest::addColumn<bool>("explain");
    QTest::addColumn<bool>("expectAudAndIss");
    QTest::newRow("batch: no words") << false << false;
    QTest::newRow("--json: words and diagnosis") << true << false;
    QTest::newRow("aud and iss expected") << false << true;
    QTest::newRow("aud and iss expected, words") << true << true;
}

void TestBatchVerify::lightParseGivesTheFullParsesVerdict()
{
    QFETCH(bool, explain);
    QFETCH(bool, expectAudAndIss);
    const std::vector<jwti::Key> keys{
        jwti::Key::fromSecret(jwti::SecretBytes(QByteArray::fromHex(kSecretHex.toLatin1())))};
    jwti::Expectations expectations;
    expectations.claims.now = kNow.toLongLong();
    expectations.explain = explain;
    expectations.diagnose = explain;
    if (expectAudAndIss) {
        expectations.claims.audiences = {QStringLiteral("them")};
        expectations.claims.issuer = QStringLiteral("me");
    }
    // Twice through, on one thread: the second time every header has been read before.
    const QList<QByteArray> tokens = m_tokens + m_tokens;
    int valid = 0;
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        const QByteArray& text = tokens[i];
        const QByteArray light = jwti::verdictToJson(jwti::computeVerdict(text, keys, expectations));
        auto full = jwti::parseStrict(text.trimmed(), jwti::TokenDetail::Full);
        auto forVerdict = jwti::parseStrict(text.trimmed(), jwti::TokenDetail::ForVerdict);
        QCOMPARE(bool(forVerdict), bool(full));
        if (!full) {
            QCOMPARE(forVerdict.message(), full.message());
            QCOMPARE(forVerdict.code(), full.code());
            continue;
        }
        const QByteArray expected = jwti::verdictToJson(jwti::computeVerdict(*full, keys, expectations));
        QVERIFY2(light == expected,
                 qPrintable(QStringLiteral("token %1 (%2):\n  light: %3\n  full:  %4")
                                .arg(i)
                                .arg(QString::fromUtf8(text.left(60)), QString::fromUtf8(light),
                                     QString::fromUtf8(expected))));
        valid += light.startsWith("{\"valid\":true");
    }
    // Both outcomes, or the comparison says little.
    QVERIFY(valid >= 2);
    QVERIFY(valid < tokens.size() / 2);
}

void TestBatchVerify::refusesJobsThatAreNotAPositiveNumber()
{
    for (const QString& jobs : {QStringLiteral("0"), QStringLiteral("-2"), QStringLiteral("two"), QStringLiteral("")}) {
        const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret-hex"), kSecretHex,
                                QStringLiteral("--batch"), QStringLiteral("--jobs"), jobs},
                               m_tokens[14] + '\n');
        QCOMPARE(result.exitCode, 2);
        QVERIFY2(result.err.contains("--jobs"), result.err.constData());
        QVERIFY(result.out.isEmpty());
    }
}

void TestBatchVerify::refusesJobsWithoutBatch()
{
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret-hex"), kSecretHex,
                            QStringLiteral("--jobs"), QStringLiteral("2"), QString::fromUtf8(m_tokens[14])});
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.contains("--jobs goes with --batch"), result.err.constData());
}

QTEST_GUILESS_MAIN(TestBatchVerify)
#include "TestBatchVerify.moc"
