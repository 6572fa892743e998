// The command line as a user meets it: the built binary (JWTI_BINARY) run through QProcess, checked on exit codes,
// the last line of verify, decode --json's order and numbers, usage errors, --batch, and a keygen → sign → verify
// chain through files.
#include "ProcessRunner.h"
#include "cli/Cli.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

namespace {

// The built binary (JWTI_BINARY), input on its standard input, run in workDir.
using Run = testsupport::ProcessRun;
Run run(const QStringList& args, const QByteArray& input = {}, const QString& workDir = {})
{
    testsupport::ProcessOptions options;
    options.input = input;
    options.workingDirectory = workDir;
    return testsupport::runJwtInspector(args, options);
}

QByteArray b64(const QByteArray& bytes)
{
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

const QString kSecret = QStringLiteral("a-secret-of-32-bytes-or-more-0123456789");

// An HS256 token over payload, made by our own sign command.
QByteArray signHs256(const QByteArray& payload, const QStringList& extra = {})
{
    const Run signed_ = run(QStringList{QStringLiteral("sign"), QStringLiteral("--secret"), kSecret,
                                        QStringLiteral("--alg"), QStringLiteral("HS256")}
                            + extra + QStringList{QString::fromUtf8(payload)});
    return signed_.exitCode == 0 ? signed_.out.trimmed() : QByteArray();
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyCommandHasHelp_data();
    void everyCommandHasHelp();
    void printsVersionAndGeneralHelp();
    void unknownOptionIsOneLineUsageError();
    void unknownCommandIsUsageError();
    void decodeJsonKeepsKeyOrderAndNumbersAsWritten();
    void decodeStripsPasteNoiseAndSaysSo();
    void decodeOfGarbageExitsTwo();
    void verifyJsonPrintsOneVerdictObject();
    void verifyJsonSaysWhyItFailed();
    void verifyPrintsHeadlineChecksAndEscapesTokenText();
    void verifyWithAKeyThatDoesNotFitIsNotVerified();
    void verifyNamesTheKeyFileItVerifiedWith();
    void verifyAcceptsASignatureOverTheEmptyPayload();
    void verifyHelpStatesTheRules();
    void batchJsonPrintsOneVerdictPerLine();
    void batchEscapesTokenTextInReasons();
    void decodeOfTokenWithAnErrorExitsTwoButPrintsWhatItCould();
    void decodeJsonHasTheUnverifiedVerdict();
    void verifyPrintsValidAsLastLine();
    void verifyReadsTheTokenFromStandardInput();
    void verifyWithWrongSecretIsInvalid();
    void verifyOfMalformedTokenExitsTwo();
    void verifyNeverStripsPasteNoise();
    void verifyChecksClaims();
    void verifyWithoutKeyIsUsageError();
    void verifyWithMissingKeyFileIsIoError();
    void batchPrintsOneResultPerLine();
    void batchOfValidTokensExitsZero();
    void keygenSignVerifyChain_data();
    void keygenSignVerifyChain();
    void keygenRefusesToPrintPrivateKeyByAccident();
    void keygenMakesEncryptionKeysTheJweCommandsUse_data();
    void keygenMakesEncryptionKeysTheJweCommandsUse();
    void keygenWritesPrivateKeyWithMode0600AndNeverOverwrites();
    void signAddsIatAndExpInPlace();
    void verifySignatureChecksRawBytes();
    void secretIsNeverPrinted();
    void mistypedCommandGetsTheNearestOneAndExitsTwo_data();
    void mistypedCommandGetsTheNearestOneAndExitsTwo();
    void windowWithoutDisplaySaysSoAndExitsTwo_data();
    void windowWithoutDisplaySaysSoAndExitsTwo();
    void tokenShapedTextIsForTheWindow_data();
    void tokenShapedTextIsForTheWindow();
    void onlyWordsThatAreNothingElseAreUnknownCommands();
    void nearestCommandAllowsOneOrTwoSlips_data();
    void nearestCommandAllowsOneOrTwoSlips();
    void displayComesFromTheEnvironmentOrThePlatform_data();
    void displayComesFromTheEnvironmentOrThePlatform();

private:
    QTemporaryDir m_dir;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(qEnvironmentVariable("JWTI_BINARY")).isExecutable(), "JWTI_BINARY is not set to the binary");
    QVERIFY(m_dir.isValid());
}

void TestCli::everyCommandHasHelp_data()
{
    QTest::addColumn<QString>("command");
    for (const char* command : {"decode", "verify", "verify-signature", "sign", "keygen", "thumbprint"})
        QTest::newRow(command) << QString::fromLatin1(command);
}

void TestCli::everyCommandHasHelp()
{
    QFETCH(QString, command);
    const Run help = run({command, QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.out.startsWith("Usage: jwt-inspector " + command.toUtf8()), help.out.constData());
    const Run viaHelp = run({QStringLiteral("help"), command});
    QCOMPARE(viaHelp.exitCode, 0);
    QCOMPARE(viaHelp.out, help.out);
}

void TestCli::printsVersionAndGeneralHelp()
{
    const Run version = run({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, 0);
    QVERIFY(version.out.startsWith("jwt-inspector "));
    const Run help = run({QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    for (const char* command : {"decode", "verify", "sign", "keygen", "thumbprint", "keys"})
        QVERIFY2(help.out.contains(command), command);
}

void TestCli::unknownOptionIsOneLineUsageError()
{
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--foo")});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.err, QByteArray("jwt-inspector verify: unknown option --foo (see jwt-inspector verify --help)\n"));
    QVERIFY(result.out.isEmpty());
}

void TestCli::unknownCommandIsUsageError()
{
    const Run result = run({QStringLiteral("help"), QStringLiteral("frobnicate")});
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.err.count('\n'), 1);
}

void TestCli::decodeJsonKeepsKeyOrderAndNumbersAsWritten()
{
    const QByteArray payload = "{\"z\":1,\"big\":123456789012345678901234567890,\"e\":1e3,\"a\":[true,null]}";
    const QByteArray token = signHs256(payload, {QStringLiteral("--header"), QStringLiteral("{\"zz\":0.10}")});
    QVERIFY(!token.isEmpty());
    const Run decoded = run({QStringLiteral("decode"), QStringLiteral("--json"), QString::fromLatin1(token)});
    QCOMPARE(decoded.exitCode, 0);
    QVERIFY2(decoded.out.contains("\"header\":{\"alg\":\"HS256\",\"typ\":\"JWT\",\"zz\":0.10}"),
             decoded.out.constData());
    QVERIFY2(decoded.out.contains("\"payload\":" + payload), decoded.out.constData());
    QVERIFY2(decoded.out.contains("{\"name\":\"big\",\"value\":123456789012345678901234567890"),
             decoded.out.constData());
    QVERIFY(decoded.out.contains("\"findings\":["));
    QVERIFY(decoded.out.contains("\"signature\":\"" + token.split('.').at(2) + '"'));
    QCOMPARE(decoded.out.count('\n'), 1);
}

void TestCli::decodeStripsPasteNoiseAndSaysSo()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const QByteArray pasted = "Bearer " + token.left(20) + "\n  " + token.mid(20) + '\n';
    const Run decoded = run({QStringLiteral("decode"), QStringLiteral("-")}, pasted);
    QCOMPARE(decoded.exitCode, 0);
    QVERIFY2(decoded.out.contains("Bearer"), decoded.out.constData());
    QVERIFY(decoded.out.contains("\"sub\": \"x\""));
}

void TestCli::decodeOfGarbageExitsTwo()
{
    const Run decoded = run({QStringLiteral("decode"), QStringLiteral("not a token at all")});
    QCOMPARE(decoded.exitCode, 2);
    QVERIFY(decoded.err.startsWith("jwt-inspector decode: "));
}

QJsonObject verdictOf(const QByteArray& line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", line.constData());
    return document.object();
}

QString stateOf(const QJsonObject& verdict, const QString& name)
{
    for (const QJsonValue check : verdict.value(QStringLiteral("checks")).toArray()) {
        if (check.toObject().value(QStringLiteral("name")).toString() == name)
            return check.toObject().value(QStringLiteral("state")).toString();
    }
    return {};
}

void TestCli::verifyJsonPrintsOneVerdictObject()
{
    const QByteArray token = signHs256("{\"aud\":\"api\"}");
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QStringLiteral("--json"),
                            QString::fromLatin1(token)});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out.count('\n'), 1);
    const QJsonObject verdict = verdictOf(result.out);
    QCOMPARE(verdict.value(QStringLiteral("valid")).toBool(), true);
    QCOMPARE(verdict.value(QStringLiteral("outcome")).toString(), QStringLiteral("valid"));
    QVERIFY(verdict.value(QStringLiteral("headline")).toString().startsWith(QLatin1String("Valid: ")));
    QCOMPARE(verdict.value(QStringLiteral("key")).toObject().value(QStringLiteral("provenance")).toString(),
             QStringLiteral("typed here"));
    QVERIFY(!verdict.value(QStringLiteral("key")).toObject().value(QStringLiteral("description")).toString().isEmpty());
    QCOMPARE(verdict.value(QStringLiteral("checks")).toArray().size(), 10);
    QCOMPARE(stateOf(verdict, QStringLiteral("signature")), QStringLiteral("passed"));
    QCOMPARE(stateOf(verdict, QStringLiteral("aud")), QStringLiteral("not-checked"));
    QCOMPARE(stateOf(verdict, QStringLiteral("nbf")), QStringLiteral("not-applicable"));
    const QJsonArray signatures = verdict.value(QStringLiteral("signatures")).toArray();
    QCOMPARE(signatures.size(), 1);
    QCOMPARE(signatures[0].toObject().value(QStringLiteral("alg")).toString(), QStringLiteral("HS256"));
    QCOMPARE(signatures[0].toObject().value(QStringLiteral("outcome")).toString(), QStringLiteral("valid"));
    QVERIFY(verdict.value(QStringLiteral("diagnosis")).toArray().isEmpty());
}

void TestCli::verifyJsonSaysWhyItFailed()
{
    // Signed with the secret's hex spelling as text; verified with the bytes the hex encodes.
    const QString hex = QStringLiteral("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    const Run signed_ = run({QStringLiteral("sign"), QStringLiteral("--secret"), hex, QStringLiteral("--alg"),
                             QStringLiteral("HS256"), QStringLiteral("{\"sub\":\"x\"}")});
    QCOMPARE(signed_.exitCode, 0);
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret-hex"), hex, QStringLiteral("--json"),
                            QString::fromLatin1(signed_.out.trimmed())});
    QCOMPARE(result.exitCode, 1);
    const QJsonObject verdict = verdictOf(result.out);
    QCOMPARE(verdict.value(QStringLiteral("outcome")).toString(), QStringLiteral("invalid"));
    QCOMPARE(stateOf(verdict, QStringLiteral("signature")), QStringLiteral("failed"));
    const QJsonArray diagnosis = verdict.value(QStringLiteral("diagnosis")).toArray();
    QCOMPARE(diagnosis.size(), 1);
    QCOMPARE(diagnosis[0].toObject().value(QStringLiteral("code")).toString(), QStringLiteral("secret-encoding"));
    QVERIFY(!result.out.contains(hex.toLatin1()));

    // Plain output: the same reason, under "Why it failed", and the last line.
    const Run plain = run(
        {QStringLiteral("verify"), QStringLiteral("--secret-hex"), hex, QString::fromLatin1(signed_.out.trimmed())});
    QVERIFY2(plain.out.contains("Why it failed: secret-encoding: "), plain.out.constData());
    QVERIFY(plain.lastLine().startsWith("invalid: the HS256 signature does not verify"));
}

void TestCli::verifyPrintsHeadlineChecksAndEscapesTokenText()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}", {QStringLiteral("--kid"), QStringLiteral("evil\x1b[31m")});
    QVERIFY(!token.isEmpty());
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QString::fromLatin1(token)});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.startsWith("Valid: signature verified with "));
    QVERIFY(result.out.contains("\n  signature: passed - "));
    QVERIFY(result.out.contains("\n  typ: passed - "));
    QVERIFY2(!result.out.contains('\x1b'), result.out.constData());
    QVERIFY2(result.out.contains("evil\\x1b[31m"), result.out.constData());
    QCOMPARE(result.lastLine(), QByteArray("valid"));
}

void TestCli::verifyWithAKeyThatDoesNotFitIsNotVerified()
{
    const QString key = m_dir.filePath(QStringLiteral("unfit-ec.pem"));
    const QString pub = m_dir.filePath(QStringLiteral("unfit-ec.pub.pem"));
    QCOMPARE(run({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("--out"),
                  key, QStringLiteral("--public-out"), pub})
                 .exitCode,
             0);
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--key"), pub, QStringLiteral("--json"),
                            QString::fromLatin1(signHs256("{}"))});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(verdictOf(result.out).value(QStringLiteral("outcome")).toString(), QStringLiteral("not-verified"));
    const Run plain
        = run({QStringLiteral("verify"), QStringLiteral("--key"), pub, QString::fromLatin1(signHs256("{}"))});
    QVERIFY2(plain.lastLine().startsWith("invalid: not verified: "), plain.out.constData());
}

void TestCli::verifyNamesTheKeyFileItVerifiedWith()
{
    const QString key = m_dir.filePath(QStringLiteral("named-rs.pem"));
    const QString pub = m_dir.filePath(QStringLiteral("named-rs.pub.pem"));
    QCOMPARE(run({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("RS256"), QStringLiteral("--out"),
                  key, QStringLiteral("--public-out"), pub})
                 .exitCode,
             0);
    const Run signed_ = run({QStringLiteral("sign"), QStringLiteral("--key"), key, QStringLiteral("--alg"),
                             QStringLiteral("RS256"), QStringLiteral("{}")});
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--key"), pub, QStringLiteral("--json"),
                            QString::fromLatin1(signed_.out.trimmed())});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(
        verdictOf(result.out).value(QStringLiteral("key")).toObject().value(QStringLiteral("provenance")).toString(),
        QStringLiteral("file ") + pub);
}

void TestCli::verifyAcceptsASignatureOverTheEmptyPayload()
{
    // header..signature, the HMAC over "header." (RFC 7515 §5.2: the payload is empty, not detached).
    const QByteArray header = b64("{\"alg\":\"HS256\"}");
    const QByteArray tag = QMessageAuthenticationCode::hash(header + '.', kSecret.toUtf8(), QCryptographicHash::Sha256);
    const QByteArray token = header + ".." + b64(tag);
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QString::fromLatin1(token)});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.lastLine(), QByteArray("valid"));
}

void TestCli::verifyHelpStatesTheRules()
{
    const Run help = run({QStringLiteral("verify"), QStringLiteral("--help")});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("at least one signature verifies with a given"));
    QVERIFY(help.out.contains("not verified"));
    QVERIFY(help.out.contains("--json"));
}

void TestCli::batchJsonPrintsOneVerdictPerLine()
{
    const QByteArray good = signHs256("{\"n\":1}");
    const QByteArray input = good + "\nnot-a-token\n";
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QStringLiteral("--batch"),
                            QStringLiteral("--json")},
                           input);
    QCOMPARE(result.exitCode, 1);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    QCOMPARE(verdictOf(lines[0]).value(QStringLiteral("outcome")).toString(), QStringLiteral("valid"));
    QCOMPARE(verdictOf(lines[1]).value(QStringLiteral("outcome")).toString(), QStringLiteral("malformed"));
}

void TestCli::batchEscapesTokenTextInReasons()
{
    // A kid the secret's key does not have; a reason that quotes it must not reach the terminal raw.
    const QByteArray token = signHs256("{\"exp\":1}", {QStringLiteral("--kid"), QStringLiteral("k\x1b]0;owned\x07")});
    const Run result
        = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QStringLiteral("--batch")}, token + '\n');
    QCOMPARE(result.exitCode, 1);
    QVERIFY(!result.out.contains('\x1b'));
    QVERIFY(!result.out.contains('\x07'));
    QCOMPARE(result.out.count('\n'), 1);
}

void TestCli::decodeOfTokenWithAnErrorExitsTwoButPrintsWhatItCould()
{
    const QList<QByteArray> parts = signHs256("{\"sub\":\"x\"}").split('.');
    const QByteArray broken = parts[0] + '.' + parts[1].left(4) + '*' + parts[1].mid(4) + '.' + parts[2];
    const Run decoded = run({QStringLiteral("decode"), QString::fromLatin1(broken)});
    QCOMPARE(decoded.exitCode, 2);
    QVERIFY2(decoded.out.contains("\"alg\": \"HS256\""), decoded.out.constData());
    QVERIFY(decoded.out.contains("Error: "));
    const Run json = run({QStringLiteral("decode"), QStringLiteral("--json"), QString::fromLatin1(broken)});
    QCOMPARE(json.exitCode, 2);
    QVERIFY(json.out.contains("\"errors\":[{"));
}

void TestCli::decodeJsonHasTheUnverifiedVerdict()
{
    const QByteArray token = signHs256("{\"exp\":1,\"aud\":\"api\"}");
    const Run decoded = run({QStringLiteral("decode"), QStringLiteral("--json"), QString::fromLatin1(token)});
    QCOMPARE(decoded.exitCode, 0);
    const QJsonObject verdict = verdictOf(decoded.out).value(QStringLiteral("verdict")).toObject();
    QCOMPARE(verdict.value(QStringLiteral("outcome")).toString(), QStringLiteral("not-verified"));
    QCOMPARE(verdict.value(QStringLiteral("valid")).toBool(true), false);
    QCOMPARE(stateOf(verdict, QStringLiteral("signature")), QStringLiteral("not-checked"));
    QCOMPARE(stateOf(verdict, QStringLiteral("exp")), QStringLiteral("failed"));
    QCOMPARE(stateOf(verdict, QStringLiteral("aud")), QStringLiteral("not-checked"));
}

void TestCli::verifyPrintsValidAsLastLine()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const Run verified
        = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QString::fromLatin1(token)});
    QCOMPARE(verified.exitCode, 0);
    QCOMPARE(verified.lastLine(), QByteArray("valid"));
}

void TestCli::verifyReadsTheTokenFromStandardInput()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const Run verified = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret}, "  " + token + "\n");
    QCOMPARE(verified.exitCode, 0);
    QCOMPARE(verified.lastLine(), QByteArray("valid"));
}

void TestCli::verifyWithWrongSecretIsInvalid()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const Run verified = run({QStringLiteral("verify"), QStringLiteral("--secret"),
                              QStringLiteral("another-secret-of-32-bytes-or-more-012"), QString::fromLatin1(token)});
    QCOMPARE(verified.exitCode, 1);
    QVERIFY2(verified.lastLine().startsWith("invalid: "), verified.out.constData());
}

void TestCli::verifyOfMalformedTokenExitsTwo()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const Run verified = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret,
                              QString::fromLatin1(token.left(10) + '=' + token.mid(10))});
    QCOMPARE(verified.exitCode, 2);
    QVERIFY(verified.lastLine().startsWith("invalid: "));
}

void TestCli::verifyNeverStripsPasteNoise()
{
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const Run verified = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret}, "Bearer " + token + '\n');
    QCOMPARE(verified.exitCode, 2);
    QVERIFY(verified.lastLine().startsWith("invalid: "));
}

void TestCli::verifyChecksClaims()
{
    const QByteArray token = signHs256("{\"exp\":1700000000,\"aud\":\"api\",\"iss\":\"me\"}");
    const QStringList base = {QStringLiteral("verify"), QStringLiteral("--secret"), kSecret};
    const QString text = QString::fromLatin1(token);

    Run result = run(base + QStringList{QStringLiteral("--now"), QStringLiteral("1700259200"), text});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.lastLine().startsWith("invalid: expired"), result.out.constData());

    result = run(base
                 + QStringList{QStringLiteral("--now"), QStringLiteral("1700000010"), QStringLiteral("--leeway"),
                               QStringLiteral("60"), text});
    QCOMPARE(result.exitCode, 0);

    result = run(base
                 + QStringList{QStringLiteral("--now"), QStringLiteral("1600000000"), QStringLiteral("--aud"),
                               QStringLiteral("web"), text});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.lastLine().startsWith("invalid: "));

    result = run(base
                 + QStringList{QStringLiteral("--now"), QStringLiteral("1600000000"), QStringLiteral("--aud"),
                               QStringLiteral("web"), QStringLiteral("--aud"), QStringLiteral("api"),
                               QStringLiteral("--iss"), QStringLiteral("me"), text});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.lastLine(), QByteArray("valid"));

    result = run(base + QStringList{QStringLiteral("--now"), QStringLiteral("yesterday"), text});
    QCOMPARE(result.exitCode, 2);
}

void TestCli::verifyWithoutKeyIsUsageError()
{
    const Run result = run({QStringLiteral("verify"), QString::fromLatin1(signHs256("{}"))});
    QCOMPARE(result.exitCode, 2);
    QVERIFY(result.err.startsWith("jwt-inspector verify: no key given"));
}

void TestCli::verifyWithMissingKeyFileIsIoError()
{
    const Run result = run({QStringLiteral("verify"), QStringLiteral("--key"),
                            m_dir.filePath(QStringLiteral("none.pem")), QString::fromLatin1(signHs256("{}"))});
    QCOMPARE(result.exitCode, 3);
}

void TestCli::batchPrintsOneResultPerLine()
{
    const QByteArray good = signHs256("{\"n\":1}");
    QByteArray tampered = signHs256("{\"n\":2}");
    tampered = tampered.split('.').at(0) + '.' + b64("{\"n\":3}") + '.' + tampered.split('.').at(2);
    const QByteArray input = good + '\n' + tampered + "\nnot-a-token\n";
    const Run result
        = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QStringLiteral("--batch")}, input);
    QCOMPARE(result.exitCode, 1);
    const QList<QByteArray> lines = result.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines[0], QByteArray("valid"));
    QVERIFY(lines[1].startsWith("invalid: "));
    QVERIFY(lines[2].startsWith("invalid: "));
}

void TestCli::batchOfValidTokensExitsZero()
{
    QByteArray input;
    for (int i = 0; i < 3; ++i)
        input += signHs256("{\"n\":" + QByteArray::number(i) + '}') + '\n';
    const Run result
        = run({QStringLiteral("verify"), QStringLiteral("--secret"), kSecret, QStringLiteral("--batch")}, input);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("valid\nvalid\nvalid\n"));
}

void TestCli::keygenSignVerifyChain_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("format");
    QTest::newRow("RS256 pem") << QStringLiteral("RS256") << QStringLiteral("pem");
    QTest::newRow("PS384 jwk") << QStringLiteral("PS384") << QStringLiteral("jwk");
    QTest::newRow("ES256 pem") << QStringLiteral("ES256") << QStringLiteral("pem");
    QTest::newRow("ES512 jwk") << QStringLiteral("ES512") << QStringLiteral("jwk");
    QTest::newRow("EdDSA pem") << QStringLiteral("EdDSA") << QStringLiteral("pem");
    QTest::newRow("HS384 jwk") << QStringLiteral("HS384") << QStringLiteral("jwk");
}

void TestCli::keygenSignVerifyChain()
{
    QFETCH(QString, alg);
    QFETCH(QString, format);
    QTemporaryDir dir;
    const QString privatePath = dir.filePath(QStringLiteral("private.") + format);
    const QString publicPath = dir.filePath(QStringLiteral("public.") + format);
    const bool hmac = alg.startsWith(QLatin1String("HS"));
    QStringList keygen = {QStringLiteral("keygen"),
                          QStringLiteral("--alg"),
                          alg,
                          QStringLiteral("--out"),
                          privatePath,
                          QStringLiteral("--format"),
                          format};
    if (!hmac)
        keygen << QStringLiteral("--public-out") << publicPath;
    const Run generated = run(keygen);
    QVERIFY2(generated.exitCode == 0, generated.err.constData());
    const QByteArray kid = generated.out.trimmed();
    const Run thumb = run({QStringLiteral("thumbprint"), privatePath});
    QCOMPARE(thumb.exitCode, 0);
    if (hmac) {
        // A secret's thumbprint is a hash of it: its kid is a random id instead (KeyPolicy).
        QCOMPARE(kid.size(), 36);
        QVERIFY(thumb.out.trimmed() != kid);
    } else {
        QCOMPARE(kid.size(), 43); // base64url of a SHA-256 thumbprint
        QCOMPARE(thumb.out.trimmed(), kid);
    }

    const Run signed_ = run({QStringLiteral("sign"), QStringLiteral("--key"), privatePath, QStringLiteral("--alg"), alg,
                             QStringLiteral("--iat"), QStringLiteral("{\"sub\":\"chain\"}")});
    QVERIFY2(signed_.exitCode == 0, signed_.err.constData());
    const QString token = QString::fromLatin1(signed_.out.trimmed());

    const Run verified = run({QStringLiteral("verify"), QStringLiteral("--key"), hmac ? privatePath : publicPath,
                              QStringLiteral("--alg"), alg, token});
    QVERIFY2(verified.exitCode == 0, verified.out.constData());
    QCOMPARE(verified.lastLine(), QByteArray("valid"));

    // One payload character changed: invalid.
    QStringList parts = token.split(QLatin1Char('.'));
    parts[1] = QString::fromLatin1(b64("{\"sub\":\"chaim\"}"));
    const Run tampered = run({QStringLiteral("verify"), QStringLiteral("--key"), hmac ? privatePath : publicPath,
                              parts.join(QLatin1Char('.'))});
    QCOMPARE(tampered.exitCode, 1);
    QVERIFY(tampered.lastLine().startsWith("invalid: "));
}

void TestCli::keygenMakesEncryptionKeysTheJweCommandsUse_data()
{
    QTest::addColumn<QStringList>("keygenArgs");
    QTest::addColumn<QString>("enc");
    QTest::addColumn<bool>("secret");
    QTest::addColumn<QString>("signAlg"); // what the key's type would sign with, were it a signing key
    QTest::newRow("RSA-OAEP-256") << QStringList{"--alg", "RSA-OAEP-256"} << "A256GCM" << false << "RS256";
    QTest::newRow("ECDH-ES X25519") << QStringList{"--alg", "ECDH-ES", "--curve", "X25519"} << "A128GCM" << false
                                    << "EdDSA";
    QTest::newRow("ECDH-ES+A192KW P-384")
        << QStringList{"--alg", "ECDH-ES+A192KW", "--curve", "P-384"} << "A192CBC-HS384" << false << "ES384";
    QTest::newRow("A256KW") << QStringList{"--alg", "A256KW"} << "A128CBC-HS256" << true << "HS256";
    QTest::newRow("dir") << QStringList{"--alg", "dir", "--enc", "A256CBC-HS512"} << "A256CBC-HS512" << true << "HS512";
    QTest::newRow("PBES2") << QStringList{"--alg", "PBES2-HS256+A128KW"} << "A128GCM" << true << "HS256";
}

void TestCli::keygenMakesEncryptionKeysTheJweCommandsUse()
{
    QFETCH(QStringList, keygenArgs);
    QFETCH(QString, enc);
    QFETCH(bool, secret);
    QFETCH(QString, signAlg);
    QTemporaryDir dir;
    const QString privatePath = dir.filePath(QStringLiteral("private.jwk"));
    const QString publicPath = dir.filePath(QStringLiteral("public.jwk"));
    QStringList args = QStringList{QStringLiteral("keygen")} + keygenArgs
        + QStringList{QStringLiteral("--out"), privatePath, QStringLiteral("--format"), QStringLiteral("jwk")};
    if (!secret)
        args << QStringLiteral("--public-out") << publicPath;
    const Run generated = run(args);
    QVERIFY2(generated.exitCode == 0, generated.err.constData());
    QFile file(privatePath);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject jwk = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(jwk.value(QStringLiteral("use")).toString(), QStringLiteral("enc"));
    QCOMPARE(jwk.value(QStringLiteral("alg")).toString(), keygenArgs.at(1));
    QCOMPARE(jwk.value(QStringLiteral("kid")).toString(), QString::fromLatin1(generated.out.trimmed()));

    const Run encrypted
        = run({QStringLiteral("encrypt"), QStringLiteral("--key"), secret ? privatePath : publicPath,
               QStringLiteral("--alg"), keygenArgs.at(1), QStringLiteral("--enc"), enc, QStringLiteral("kept secret")});
    QVERIFY2(encrypted.exitCode == 0, encrypted.err.constData());
    const Run decrypted = run({QStringLiteral("decrypt"), QStringLiteral("--key"), privatePath,
                               QString::fromLatin1(encrypted.out.trimmed())});
    QVERIFY2(decrypted.exitCode == 0, decrypted.err.constData());
    QCOMPARE(decrypted.out, QByteArray("kept secret"));

    // An encryption key never signs.
    const Run signed_ = run({QStringLiteral("sign"), QStringLiteral("--key"), privatePath, QStringLiteral("--alg"),
                             signAlg, QStringLiteral("{}")});
    QCOMPARE(signed_.exitCode, 2);
    QVERIFY(signed_.out.isEmpty());
}

void TestCli::keygenRefusesToPrintPrivateKeyByAccident()
{
    const Run refused = run({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256")});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY(refused.out.isEmpty());
    QVERIFY(refused.err.contains("--out"));

    const Run explicitStdout = run({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                                    QStringLiteral("--out"), QStringLiteral("-")});
    QCOMPARE(explicitStdout.exitCode, 0);
    QVERIFY(explicitStdout.out.startsWith("-----BEGIN PRIVATE KEY-----"));
}

void TestCli::keygenWritesPrivateKeyWithMode0600AndNeverOverwrites()
{
    const QString path = m_dir.filePath(QStringLiteral("mode.pem"));
    const Run generated = run(
        {QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES384"), QStringLiteral("--out"), path});
    QCOMPARE(generated.exitCode, 0);
    QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser), QFile::ReadOwner | QFile::WriteOwner);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray before = file.readAll();

    const Run again = run(
        {QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES384"), QStringLiteral("--out"), path});
    QCOMPARE(again.exitCode, 3);
    QVERIFY(again.err.contains("exists"));
    file.seek(0);
    QCOMPARE(file.readAll(), before);
}

void TestCli::signAddsIatAndExpInPlace()
{
    const QByteArray token
        = signHs256("{\"iat\":1,\"sub\":\"x\",\"n\":1e3}",
                    {QStringLiteral("--iat"), QStringLiteral("--exp-in"), QStringLiteral("60"), QStringLiteral("--now"),
                     QStringLiteral("1700000000"), QStringLiteral("--kid"), QStringLiteral("k1")});
    QVERIFY(!token.isEmpty());
    const QList<QByteArray> parts = token.split('.');
    QCOMPARE(QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding),
             QByteArray("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\"}"));
    QCOMPARE(QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding),
             QByteArray("{\"iat\":1700000000,\"sub\":\"x\",\"n\":1e3,\"exp\":1700000060}"));
}

void TestCli::verifySignatureChecksRawBytes()
{
    // RFC 4231 test case 2 is too short a key for HS256 (RFC 7518 §3.2); use a 32-byte key and our own MAC.
    const QByteArray key(32, '\x0b');
    const QByteArray message = "what do ya want for nothing?";
    const QByteArray mac = QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
    const QStringList base
        = {QStringLiteral("verify-signature"),  QStringLiteral("--alg"),          QStringLiteral("HS256"),
           QStringLiteral("--secret-hex"),      QString::fromLatin1(key.toHex()), QStringLiteral("--input-hex"),
           QString::fromLatin1(message.toHex())};
    Run result = run(base + QStringList{QStringLiteral("--sig-hex"), QString::fromLatin1(mac.toHex())});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("valid\n"));
    result = run(base + QStringList{QStringLiteral("--sig"), QString::fromLatin1(b64(mac))});
    QCOMPARE(result.exitCode, 0);
    QByteArray wrong = mac;
    wrong[0] = char(wrong[0] ^ 1);
    result = run(base + QStringList{QStringLiteral("--sig-hex"), QString::fromLatin1(wrong.toHex())});
    QCOMPARE(result.exitCode, 1);
    QVERIFY(result.out.startsWith("invalid: "));
    result = run(base + QStringList{QStringLiteral("--sig-hex"), QStringLiteral("xyz")});
    QCOMPARE(result.exitCode, 2);
}

void TestCli::secretIsNeverPrinted()
{
    const QString secret = QStringLiteral("never-print-me-0123456789abcdef-0123456789");
    const QString shortSecret = QStringLiteral("never-print-me");
    const QByteArray token = signHs256("{\"sub\":\"x\"}");
    const QList<QStringList> invocations = {
        {QStringLiteral("verify"), QStringLiteral("--secret"), secret, QString::fromLatin1(token)},
        {QStringLiteral("verify"), QStringLiteral("--secret"), shortSecret, QString::fromLatin1(token)},
        {QStringLiteral("verify"), QStringLiteral("--secret"), secret, QStringLiteral("--alg"), QStringLiteral("RS256"),
         QString::fromLatin1(token)},
        {QStringLiteral("verify"), QStringLiteral("--secret"), secret, QStringLiteral("--bogus")},
        {QStringLiteral("verify"), QStringLiteral("--secret-hex"), shortSecret, QString::fromLatin1(token)},
        {QStringLiteral("sign"), QStringLiteral("--secret"), shortSecret, QStringLiteral("--alg"),
         QStringLiteral("HS256"), QStringLiteral("{}")},
        {QStringLiteral("sign"), QStringLiteral("--secret"), secret, QStringLiteral("--alg"), QStringLiteral("ES256"),
         QStringLiteral("{}")},
    };
    for (const QStringList& args : invocations) {
        const Run result = run(args);
        QVERIFY2(!result.out.contains("never-print-me") && !result.err.contains("never-print-me"),
                 qPrintable(args.join(QLatin1Char(' '))));
    }
}

namespace {

// The binary as it starts over SSH or in a container: no X11 or Wayland display, no Qt platform chosen.
Run runWithoutDisplay(const QStringList& args)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        environment.remove(QString::fromLatin1(name));
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("JWTI_BINARY"), args);
    if (!process.waitForStarted(10000))
        return {};
    process.closeWriteChannel();
    process.waitForFinished(120000);
    Run result;
    // A crash (Qt's abort without a display) is a CrashExit, never mistaken for an exit code.
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

const QString kCompactToken = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");

} // namespace

void TestCli::mistypedCommandGetsTheNearestOneAndExitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QByteArray>("error");
    QTest::newRow("verfy") << QStringList{QStringLiteral("verfy"), QStringLiteral("--key"), QStringLiteral("k.pem")}
                           << QByteArray("jwt-inspector: unknown command 'verfy' (did you mean verify?)\n");
    QTest::newRow("capitalised") << QStringList{QStringLiteral("Decode"), kCompactToken}
                                 << QByteArray("jwt-inspector: unknown command 'Decode' (did you mean decode?)\n");
    QTest::newRow("mistyped decrypt") << QStringList{
        QStringLiteral("decrpyt")} << QByteArray("jwt-inspector: unknown command 'decrpyt' (did you mean decrypt?)\n");
    QTest::newRow("nothing near") << QStringList{QStringLiteral(
        "frobnicate")} << QByteArray("jwt-inspector: unknown command 'frobnicate' (see jwt-inspector --help)\n");
    QTest::newRow("missing file") << QStringList{QStringLiteral("no-such-token.txt")}
                                  << QByteArray("jwt-inspector: no such command or file 'no-such-token.txt' (see "
                                                "jwt-inspector --help)\n");
    QTest::newRow("help verfy") << QStringList{QStringLiteral("help"), QStringLiteral("verfy")}
                                << QByteArray("jwt-inspector help: unknown command 'verfy' (did you mean verify?)\n");
    QTest::newRow("escape sequence")
        << QStringList{QStringLiteral("\x1b]0;owned\x07")}
        << QByteArray("jwt-inspector: unknown command '\\x1b]0;owned\\x07' (see jwt-inspector --help)\n");
}

void TestCli::mistypedCommandGetsTheNearestOneAndExitsTwo()
{
    QFETCH(QStringList, args);
    QFETCH(QByteArray, error);
    // Without a display: a typo taken for the window's input would say "no display" (or abort) instead.
    const Run result = runWithoutDisplay(args);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.err, error);
    QVERIFY(result.out.isEmpty());
}

void TestCli::windowWithoutDisplaySaysSoAndExitsTwo_data()
{
    QTest::addColumn<QStringList>("args");
    const QString file = m_dir.filePath(QStringLiteral("token.txt"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(kCompactToken.toLatin1());
    out.close();
    QTest::newRow("no arguments") << QStringList{};
    QTest::newRow("a token") << QStringList{kCompactToken};
    QTest::newRow("a pasted token") << QStringList{QStringLiteral("Bearer ") + kCompactToken};
    QTest::newRow("a file") << QStringList{file};
}

void TestCli::windowWithoutDisplaySaysSoAndExitsTwo()
{
    QFETCH(QStringList, args);
    const Run result = runWithoutDisplay(args);
    QCOMPARE(result.exitCode, 2);
    // A build without the window (JWTI_BUILD_GUI=OFF: the asan and fuzz presets) says that instead.
    QVERIFY2(result.err == "jwt-inspector: no display: use a command, see --help\n"
                 || result.err == "jwt-inspector: this build has no window: use a command, see --help\n",
             result.err.constData());
    QVERIFY(result.out.isEmpty());
}

void TestCli::tokenShapedTextIsForTheWindow_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("tokenShaped");
    QTest::newRow("compact JWS") << kCompactToken << true;
    QTest::newRow("unsecured") << QStringLiteral("eyJhbGciOiJub25lIn0.e30.") << true;
    QTest::newRow("compact JWE") << QStringLiteral("eyJhbGciOiJkaXIiLCJlbmMiOiJBMTI4R0NNIn0..aXY.Y3Q.dGFn") << true;
    QTest::newRow("JSON serialization") << QStringLiteral("{\"payload\":\"e30\",\"signatures\":[]}") << true;
    QTest::newRow("paste noise") << QStringLiteral("\"Bearer ") + kCompactToken.left(20) + QStringLiteral("\n  ")
            + kCompactToken.mid(20) + QStringLiteral("\"")
                                 << true;
    QTest::newRow("damaged") << QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30*.c2ln") << true;
    QTest::newRow("one dot too many") << kCompactToken + QStringLiteral(".x") << true;
    QTest::newRow("a word") << QStringLiteral("verfy") << false;
    QTest::newRow("a file name") << QStringLiteral("k.pem") << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("whitespace") << QStringLiteral("  \n") << false;
}

void TestCli::tokenShapedTextIsForTheWindow()
{
    QFETCH(QString, text);
    QFETCH(bool, tokenShaped);
    QCOMPARE(jwti::looksLikeToken(text), tokenShaped);
    if (tokenShaped) // the window's, not an unknown command (the window itself cannot open here)
        QVERIFY(!jwti::isCliInvocation({text}));
}

void TestCli::onlyWordsThatAreNothingElseAreUnknownCommands()
{
    QVERIFY(jwti::isCliInvocation({QStringLiteral("verfy"), QStringLiteral("--key"), QStringLiteral("k.pem")}));
    QVERIFY(jwti::isCliInvocation({QStringLiteral("k.pem")}));
    QVERIFY(jwti::isCliInvocation({QStringLiteral("verify")}));
    QVERIFY(!jwti::isCliInvocation({}));
    QVERIFY(!jwti::isCliInvocation({QString()}));
    QVERIFY(!jwti::isCliInvocation({QStringLiteral("-platform"), QStringLiteral("offscreen")}));
    QVERIFY(!jwti::isCliInvocation({qEnvironmentVariable("JWTI_BINARY")})); // an existing file
    QVERIFY(!jwti::isCliInvocation({m_dir.path()}));
}

void TestCli::nearestCommandAllowsOneOrTwoSlips_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("nearest");
    QTest::newRow("missing letter") << QStringLiteral("verfy") << QStringLiteral("verify");
    QTest::newRow("swapped letters") << QStringLiteral("sing") << QStringLiteral("sign");
    QTest::newRow("two slips") << QStringLiteral("thumprnt") << QStringLiteral("thumbprint");
    QTest::newRow("case") << QStringLiteral("KEYS") << QStringLiteral("keys");
    QTest::newRow("help") << QStringLiteral("hlep") << QStringLiteral("help");
    QTest::newRow("encrypt") << QStringLiteral("encrypy") << QStringLiteral("encrypt");
    QTest::newRow("keygen") << QStringLiteral("keygne") << QStringLiteral("keygen");
    QTest::newRow("shortened") << QStringLiteral("verify-sig") << QStringLiteral("verify-signature");
    QTest::newRow("shortened, ambiguous") << QStringLiteral("ver") << QString();
    QTest::newRow("itself") << QStringLiteral("verify") << QString();
    QTest::newRow("itself, new with JWE") << QStringLiteral("decrypt") << QString();
    QTest::newRow("two slips in a short name") << QStringLiteral("snig") << QString();
    QTest::newRow("too far") << QStringLiteral("frobnicate") << QString();
    QTest::newRow("three slips") << QStringLiteral("vrfyy") << QString();
    QTest::newRow("long text") << QString(5000, QLatin1Char('v')) << QString();
}

void TestCli::nearestCommandAllowsOneOrTwoSlips()
{
    QFETCH(QString, word);
    QFETCH(QString, nearest);
    QCOMPARE(jwti::nearestCommand(word), nearest);
}

void TestCli::displayComesFromTheEnvironmentOrThePlatform_data()
{
    QTest::addColumn<QStringList>("variables");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("available");
    QTest::newRow("nothing") << QStringList{} << QStringList{} << false;
    QTest::newRow("X11") << QStringList{QStringLiteral("DISPLAY=:0")} << QStringList{} << true;
    QTest::newRow("Wayland") << QStringList{QStringLiteral("WAYLAND_DISPLAY=wayland-0")} << QStringList{} << true;
    QTest::newRow("empty DISPLAY") << QStringList{QStringLiteral("DISPLAY=")} << QStringList{} << false;
    QTest::newRow("offscreen") << QStringList{QStringLiteral("QT_QPA_PLATFORM=offscreen")} << QStringList{} << true;
    QTest::newRow("xcb") << QStringList{QStringLiteral("QT_QPA_PLATFORM=xcb")} << QStringList{} << false;
    QTest::newRow("list") << QStringList{QStringLiteral("QT_QPA_PLATFORM=wayland;vnc:size=800x600")} << QStringList{}
                          << true;
    QTest::newRow("-platform over the environment")
        << QStringList{QStringLiteral("QT_QPA_PLATFORM=xcb")}
        << QStringList{QStringLiteral("-platform"), QStringLiteral("offscreen")} << true;
    QTest::newRow("-platform xcb") << QStringList{QStringLiteral("QT_QPA_PLATFORM=offscreen")}
                                   << QStringList{QStringLiteral("-platform"), QStringLiteral("xcb")} << false;
}

void TestCli::displayComesFromTheEnvironmentOrThePlatform()
{
#if !defined(Q_OS_LINUX)
    QSKIP("X11 and Wayland display rules: Linux only");
#endif
    QFETCH(QStringList, variables);
    QFETCH(QStringList, args);
    QFETCH(bool, available);
    QProcessEnvironment environment;
    for (const QString& variable : variables)
        environment.insert(variable.section(QLatin1Char('='), 0, 0), variable.section(QLatin1Char('='), 1));
    QCOMPARE(jwti::windowSystemAvailable(environment, args), available);
}

QTEST_GUILESS_MAIN(TestCli)
#include "TestCli.moc"
