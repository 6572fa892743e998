// sign --keystore and verify --keystore over a real Secret Service: every stored key type signs, the key is chosen
// by kid, set and alg, only the needed secrets are read, and what the store prints is terminal-safe.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "ProcessRunner.h"
#include "cli/ArgParser.h"
#include "cli/Cli.h"
#include "cli/KeySpecOptions.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;

class TestKeystoreSigning : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void signsWithEveryStoredKeyType_data();
    void signsWithEveryStoredKeyType();
    void withoutKidSignsWithTheActiveKeyOfTheSetThatFitsTheAlg();
    void emptyStoreAndPublicOnlyKeysAreNamedAsSuch();
    void oneMissingSecretIsReportedForThatKeyAlone();
    void storedNamesWithControlCharactersAreEscaped();
    void secretInAnArgumentIsWarnedAbout();
    void keygenJwkOnStandardOutputImportsAndThumbprintReadsStandardInput();

private:
    using Run = testsupport::CommandRun;
    Run cli(const QStringList& args, const QByteArray& input = {});
    QJsonObject header(const QString& token) const;
    QString generate(const QString& alg, const QString& keySet);

    KeychainTestFixture m_keychain;
};

void TestKeystoreSigning::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    QStandardPaths::setTestModeEnabled(true);
}

void TestKeystoreSigning::init()
{
    QDir(QFileInfo(KeyIndex::defaultPath()).path()).removeRecursively();
}

TestKeystoreSigning::Run TestKeystoreSigning::cli(const QStringList& args, const QByteArray& input)
{
    Run run = testsupport::runInProcess(runCli, args, input);
    run.out = run.out.trimmed();
    return run;
}

QJsonObject TestKeystoreSigning::header(const QString& token) const
{
    return QJsonDocument::fromJson(Base64Url::decode(token.section(QLatin1Char('.'), 0, 0).toLatin1()).bytes).object();
}

// The new key's kid.
QString TestKeystoreSigning::generate(const QString& alg, const QString& keySet)
{
    const Run run = cli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), alg,
                         QStringLiteral("--set"), keySet});
    if (run.code != 0)
        return {};
    return run.out.section(QStringLiteral("kid "), 1).trimmed();
}

void TestKeystoreSigning::signsWithEveryStoredKeyType_data()
{
    QTest::addColumn<QString>("alg");
    for (const char* alg : {"RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA", "Ed448", "HS256", "HS512"})
        QTest::newRow(alg) << QString::fromLatin1(alg);
}

void TestKeystoreSigning::signsWithEveryStoredKeyType()
{
    QFETCH(QString, alg);
    const QString kid = generate(alg, QStringLiteral("set-") + alg);
    QVERIFY(!kid.isEmpty());
    const Run signedRun = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--alg"), alg,
                               QStringLiteral(R"({"sub":"stored"})")});
    QVERIFY2(signedRun.code == 0, qPrintable(signedRun.err));
    QCOMPARE(header(signedRun.out).value(QStringLiteral("kid")).toString(), kid);
    QCOMPARE(header(signedRun.out).value(QStringLiteral("alg")).toString(), alg);
    const Run verified = cli({QStringLiteral("verify"), QStringLiteral("--keystore"), signedRun.out});
    QVERIFY2(verified.code == 0, qPrintable(verified.out + verified.err));
    // The same with --kid.
    const Run byKid = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"), kid,
                           QStringLiteral("--alg"), alg, QStringLiteral("{}")});
    QVERIFY2(byKid.code == 0, qPrintable(byKid.err));
    QCOMPARE(header(byKid.out).value(QStringLiteral("kid")).toString(), kid);
}

void TestKeystoreSigning::withoutKidSignsWithTheActiveKeyOfTheSetThatFitsTheAlg()
{
    const QString hmacKid = generate(QStringLiteral("HS256"), QStringLiteral("hs"));
    const QString ecKid = generate(QStringLiteral("ES256"), QStringLiteral("api"));
    QVERIFY(!hmacKid.isEmpty() && !ecKid.isEmpty());
    // ES256 never picks the HMAC secret.
    const Run es = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--alg"),
                        QStringLiteral("ES256"), QStringLiteral("{}")});
    QVERIFY2(es.code == 0, qPrintable(es.err));
    QCOMPARE(header(es.out).value(QStringLiteral("kid")).toString(), ecKid);
    // A second set with an active ES256 key makes the choice ambiguous until --set names one.
    const QString otherKid = generate(QStringLiteral("ES256"), QStringLiteral("web"));
    const Run ambiguous = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--alg"),
                               QStringLiteral("ES256"), QStringLiteral("{}")});
    QCOMPARE(ambiguous.code, 2);
    QVERIFY2(ambiguous.err.contains(QLatin1String("choose one with --set")), qPrintable(ambiguous.err));
    const Run web
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--set"), QStringLiteral("web"),
               QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("{}")});
    QVERIFY2(web.code == 0, qPrintable(web.err));
    QCOMPARE(header(web.out).value(QStringLiteral("kid")).toString(), otherKid);
    // A set whose active key serves another alg is named as such.
    const Run mismatch
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--set"), QStringLiteral("hs"),
               QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("{}")});
    QCOMPARE(mismatch.code, 2);
    QVERIFY2(mismatch.err.contains(QLatin1String("is kept for HS256, not ES256")), qPrintable(mismatch.err));
}

void TestKeystoreSigning::emptyStoreAndPublicOnlyKeysAreNamedAsSuch()
{
    const Run empty = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--alg"),
                           QStringLiteral("ES256"), QStringLiteral("{}")});
    QCOMPARE(empty.code, 2);
    QVERIFY2(empty.err.contains(QLatin1String("the key store is empty")), qPrintable(empty.err));
    QVERIFY(!empty.err.contains(QLatin1String("verify")));

    const Key key = keystoretest::generate(QStringLiteral("ES256"));
    const Run imported = cli({QStringLiteral("keys"), QStringLiteral("import"), QStringLiteral("-"),
                              QStringLiteral("--kid"), QStringLiteral("pub")},
                             exportPublicPem(key));
    QVERIFY2(imported.code == 0, qPrintable(imported.err));
    const Run publicOnly
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"), QStringLiteral("pub"),
               QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("{}")});
    QCOMPARE(publicOnly.code, 2);
    QVERIFY2(publicOnly.err.contains(QLatin1String("is a public key: it cannot sign")), qPrintable(publicOnly.err));
}

void TestKeystoreSigning::oneMissingSecretIsReportedForThatKeyAlone()
{
    KeyStore store;
    NewKeyOptions a;
    a.kid = QStringLiteral("a");
    a.name = QStringLiteral("ha");
    NewKeyOptions b;
    b.kid = QStringLiteral("b");
    b.name = QStringLiteral("hb");
    b.keySet = QStringLiteral("other");
    const auto storedA = keystoretest::await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("HS256")), a, c, done); });
    const auto storedB = keystoretest::await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("HS256")), b, c, done); });
    QVERIFY(storedA.ok() && storedB.ok());
    QVERIFY(keystoretest::await<void>([&](QObject* c, auto done) {
                store.keychain().remove(storedB->keychainEntry(), c, done);
            }).ok());

    const Run tokenA
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"), QStringLiteral("a"),
               QStringLiteral("--alg"), QStringLiteral("HS256"), QStringLiteral("{}")});
    QVERIFY2(tokenA.code == 0, qPrintable(tokenA.err));
    // Narrowed by the kid, b's secret is never read: a verifies.
    const Run byKid = cli({QStringLiteral("verify"), QStringLiteral("--keystore"), QStringLiteral("--kid"),
                           QStringLiteral("a"), tokenA.out});
    QVERIFY2(byKid.code == 0, qPrintable(byKid.out + byKid.err));
    // Without a kid every HMAC key is tried: b is skipped (and named on stderr), a still verifies.
    const Run all = cli({QStringLiteral("verify"), QStringLiteral("--keystore"), tokenA.out});
    QVERIFY2(all.code == 0, qPrintable(all.out + all.err));
    // b alone: a keychain failure, exit 3, naming b.
    const Run onlyB = cli({QStringLiteral("verify"), QStringLiteral("--keystore"), QStringLiteral("--kid"),
                           QStringLiteral("b"), tokenA.out});
    QCOMPARE(onlyB.code, 3);
    QVERIFY2(onlyB.err.contains(QLatin1String("key \"hb\" (kid b)")), qPrintable(onlyB.err));
    // A caller that read the token first narrows by its kid: only a's secret is read, and the key says where it
    // came from.
    ArgParser parser(QStringLiteral("verify"));
    KeySpecOptions::add(parser);
    parser.addValue(QStringLiteral("alg"));
    QString parseErrors;
    QTextStream parseErr(&parseErrors);
    QVERIFY(parser.parse({QStringLiteral("--keystore")}, parseErr));
    const auto hinted = KeySpecOptions::load(parser, {QStringLiteral("a"), QStringLiteral("HS256")});
    QVERIFY2(hinted.ok(), qPrintable(hinted.ok() ? QString() : hinted.message()));
    QCOMPARE(hinted->size(), std::size_t(1));
    const KeyProvenance& provenance = hinted->front().metadata.provenance;
    QCOMPARE(provenance.kind, KeyProvenance::Kind::Keychain);
    QCOMPARE(provenance.chosenByUser, false);
    QCOMPARE(provenance.keySet, QStringLiteral("default"));
    QCOMPARE(provenance.keyId, storedA->id);
    QCOMPARE(provenance.keyName, QStringLiteral("ha"));
    QCOMPARE(provenance.status, QStringLiteral("active"));
    const auto wrongAlg = KeySpecOptions::load(parser, {QStringLiteral("a"), QStringLiteral("HS512")});
    QVERIFY(!wrongAlg.ok());
    QVERIFY2(wrongAlg.message().contains(QLatin1String("does not serve HS512")), qPrintable(wrongAlg.message()));

    const Run signB
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"), QStringLiteral("b"),
               QStringLiteral("--alg"), QStringLiteral("HS256"), QStringLiteral("{}")});
    QCOMPARE(signB.code, 3);
}

void TestKeystoreSigning::storedNamesWithControlCharactersAreEscaped()
{
    // ESC, BEL, a C1 CSI (U+009B) and a right-to-left override (U+202E): each would act on a terminal.
    const QString hostile = QStringLiteral("\x1b]0;pwned\x07\x1b[31mRED") + QChar(0x9b) + QStringLiteral("2J")
        + QChar(0x202e) + QStringLiteral("gpj.exe");
    const Key key = keystoretest::generate(QStringLiteral("ES256"));
    // A kid goes into token headers, where no one could see such characters: the store refuses it (KeyPolicy
    // checkKid), and says so without letting them act on the terminal.
    const Run refused
        = cli({QStringLiteral("keys"), QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("--kid"), hostile},
              *exportPrivatePem(key));
    QCOMPARE(refused.code, 2);
    QVERIFY2(refused.err.contains(QLatin1String("invisible or control character")), qPrintable(refused.err));
    QVERIFY2(!refused.err.contains(QChar(0x1b)) && !refused.err.contains(QChar(0x202e)), qPrintable(refused.err));
    // A name and a set are the user's own words: kept as they are, escaped wherever they are shown.
    const Run imported = cli({QStringLiteral("keys"), QStringLiteral("import"), QStringLiteral("-"),
                              QStringLiteral("--name"), hostile, QStringLiteral("--set"), hostile},
                             *exportPrivatePem(key));
    QVERIFY2(imported.code == 0, qPrintable(imported.err));
    const Run listed = cli({QStringLiteral("keys"), QStringLiteral("list")});
    QCOMPARE(listed.code, 0);
    for (const Run& run : {imported, listed}) {
        QVERIFY2(!run.out.contains(QChar(0x1b)) && !run.out.contains(QChar(0x07)), qPrintable(run.out));
        QVERIFY2(!run.out.contains(QChar(0x9b)) && !run.out.contains(QChar(0x202e)), qPrintable(run.out));
        QVERIFY2(run.out.contains(QLatin1String("\\x1b]0;pwned\\x07")), qPrintable(run.out));
    }
    // The JSON output escapes the same characters as JSON escapes, so it still parses to the very name and set.
    const Run listedJson = cli({QStringLiteral("keys"), QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY2(listedJson.code == 0, qPrintable(listedJson.err));
    for (const char16_t c : {u'\x1b', u'\x07', u'\x9b', u'\u202e'})
        QVERIFY2(!listedJson.out.contains(QChar(c)), qPrintable(listedJson.out));
    QVERIFY2(listedJson.out.contains(QLatin1String("\\u009b")) && listedJson.out.contains(QLatin1String("\\u202e")),
             qPrintable(listedJson.out));
    const QJsonDocument list = QJsonDocument::fromJson(listedJson.out.toUtf8());
    QVERIFY(list.isArray() && list.array().size() == 1);
    QCOMPARE(list.array().first().toObject().value(QStringLiteral("name")).toString(), hostile);
    QCOMPARE(list.array().first().toObject().value(QStringLiteral("set")).toString(), hostile);
    const Run exportedJwks = cli({QStringLiteral("keys"), QStringLiteral("export"), hostile, QStringLiteral("--format"),
                                  QStringLiteral("jwks")});
    QVERIFY2(exportedJwks.code == 0, qPrintable(exportedJwks.err));
    const Run missing
        = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"),
               hostile + QStringLiteral("x"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("{}")});
    QCOMPARE(missing.code, 2);
    QVERIFY2(!missing.err.contains(QChar(0x1b)), qPrintable(missing.err));
    const Run deleted = cli({QStringLiteral("keys"), QStringLiteral("delete"), hostile});
    QVERIFY2(deleted.code == 0, qPrintable(deleted.err));
    QVERIFY(!deleted.out.contains(QChar(0x1b)));
}

void TestKeystoreSigning::secretInAnArgumentIsWarnedAbout()
{
    const QString binary = qEnvironmentVariable("JWTI_BINARY");
    if (binary.isEmpty())
        QFAIL("JWTI_BINARY is not set (run through ctest)");
    QProcess process;
    process.start(binary,
                  {QStringLiteral("sign"), QStringLiteral("--secret"),
                   QStringLiteral("a-long-enough-secret-for-hs256-0123456789"), QStringLiteral("--alg"),
                   QStringLiteral("HS256"), QStringLiteral("{}")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains(QLatin1String("warning: a secret given with --secret can be read by other users")),
             qPrintable(err));
    QVERIFY(!err.contains(QLatin1String("a-long-enough-secret")));
}

void TestKeystoreSigning::keygenJwkOnStandardOutputImportsAndThumbprintReadsStandardInput()
{
    const Run generated
        = cli({QStringLiteral("keygen"), QStringLiteral("--alg"), QStringLiteral("ES256"), QStringLiteral("--out"),
               QStringLiteral("-"), QStringLiteral("--format"), QStringLiteral("jwk")});
    QCOMPARE(generated.code, 0);
    // Standard output is the JWK alone; the kid line went to standard error.
    const QJsonObject jwk = QJsonDocument::fromJson(generated.out.toUtf8()).object();
    QVERIFY2(!jwk.isEmpty(), qPrintable(generated.out));
    const QString kid = jwk.value(QStringLiteral("kid")).toString();
    QVERIFY(!kid.isEmpty());
    QVERIFY2(generated.err.contains(QStringLiteral("kid ") + kid), qPrintable(generated.err));

    const Run imported
        = cli({QStringLiteral("keys"), QStringLiteral("import"), QStringLiteral("-")}, generated.out.toUtf8());
    QVERIFY2(imported.code == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains(QStringLiteral("kid ") + kid));

    const Run printed = cli({QStringLiteral("thumbprint"), QStringLiteral("-")}, generated.out.toUtf8());
    QVERIFY2(printed.code == 0, qPrintable(printed.err));
    QCOMPARE(printed.out, kid);
}

QTEST_GUILESS_MAIN(TestKeystoreSigning)
#include "TestKeystoreSigning.moc"
