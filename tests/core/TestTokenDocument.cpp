// The shared model: one signal per kind of change, findings and verification recomputed when the token, the keys or
// the clock change, and the verify panel's strictness (the token as given, not the noise-stripped one).
#include "crypto/KeyGeneration.h"
#include "jose/Jws.h"
#include "model/TokenDocument.h"

#include <QSignalSpy>
#include <QTest>

using namespace jwti;

namespace {

Key hmacKey()
{
    static const Key key = [] {
        auto generated = generateKey(KeySpec{KeyType::Oct, 256, {}});
        return generated ? *generated : Key();
    }();
    return key;
}

QString signedToken(const QByteArray& payload)
{
    SignOptions options;
    options.alg = QStringLiteral("HS256");
    auto token = signToken(payload, hmacKey(), options);
    return token ? QString::fromLatin1(*token) : QString();
}

} // namespace

class TestTokenDocument : public QObject
{
    Q_OBJECT

private slots:
    void settingTextDecodesAndSignalsOnce();
    void sameTextDoesNotSignalAgain();
    void noKeysMeansNoVerificationResult();
    void verifiesWithTheGivenKeys();
    void verifiesTheTokenAsGivenNotTheNoiseStrippedOne();
    void clockOverrideDrivesClaims();
    void optionsAreApplied();
};

void TestTokenDocument::settingTextDecodesAndSignalsOnce()
{
    TokenDocument document;
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    QSignalSpy findingsSpy(&document, &TokenDocument::findingsChanged);
    document.setText(signedToken("{\"sub\":\"x\"}"));
    QCOMPARE(tokenSpy.count(), 1);
    QCOMPARE(findingsSpy.count(), 1);
    QCOMPARE(document.token().kind, TokenKind::Jws);
    QVERIFY(document.token().claims());
    // No exp: the lint says so.
    QVERIFY(std::any_of(document.findings().begin(), document.findings().end(),
                        [](const Finding& finding) { return finding.code == QLatin1String("no-exp"); }));
}

void TestTokenDocument::sameTextDoesNotSignalAgain()
{
    TokenDocument document;
    const QString token = signedToken("{}");
    document.setText(token);
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    document.setText(token);
    QCOMPARE(tokenSpy.count(), 0);
}

void TestTokenDocument::noKeysMeansNoVerificationResult()
{
    TokenDocument document;
    document.setText(signedToken("{}"));
    QVERIFY(!document.verifyResult().has_value());
}

void TestTokenDocument::verifiesWithTheGivenKeys()
{
    TokenDocument document;
    document.setText(signedToken("{\"sub\":\"x\"}"));
    QSignalSpy keysSpy(&document, &TokenDocument::keysChanged);
    QSignalSpy verifySpy(&document, &TokenDocument::verificationChanged);
    document.setKeys({hmacKey()});
    QCOMPARE(keysSpy.count(), 1);
    QCOMPARE(verifySpy.count(), 1);
    QVERIFY(document.verifyResult().has_value());
    QVERIFY2(document.verifyResult()->valid, qPrintable(document.verifyResult()->reason));

    document.setKeys({});
    QVERIFY(!document.verifyResult().has_value());
}

void TestTokenDocument::verifiesTheTokenAsGivenNotTheNoiseStrippedOne()
{
    TokenDocument document;
    document.setKeys({hmacKey()});
    const QString token = signedToken("{\"sub\":\"x\"}");
    document.setText(QStringLiteral("Bearer ") + token);
    // Decoded for display, with the noise reported …
    QCOMPARE(document.token().kind, TokenKind::Jws);
    QVERIFY(!document.token().noise.empty());
    // … but not verified: DESIGN.md's strictness rules judge the text as given.
    QVERIFY(document.verifyResult().has_value());
    QVERIFY(!document.verifyResult()->valid);
    QCOMPARE(document.verifyResult()->code, ErrorCode::MalformedToken);

    // Surrounding whitespace alone is trimmed, not noise.
    document.setText(QStringLiteral("  ") + token + QStringLiteral("\n"));
    QVERIFY2(document.verifyResult()->valid, qPrintable(document.verifyResult()->reason));
}

void TestTokenDocument::clockOverrideDrivesClaims()
{
    TokenDocument document;
    document.setKeys({hmacKey()});
    document.setText(signedToken("{\"exp\":1700000000}"));
    document.setNowOverride(1600000000);
    QCOMPARE(document.now(), qint64(1600000000));
    QVERIFY(document.verifyResult()->valid);
    QSignalSpy verifySpy(&document, &TokenDocument::verificationChanged);
    document.setNowOverride(1800000000);
    QCOMPARE(verifySpy.count(), 1);
    QVERIFY(!document.verifyResult()->valid);
    QCOMPARE(document.verifyResult()->code, ErrorCode::Expired);
}

void TestTokenDocument::optionsAreApplied()
{
    TokenDocument document;
    document.setNowOverride(1600000000);
    document.setKeys({hmacKey()});
    document.setText(signedToken("{\"aud\":\"web\"}"));
    QVERIFY(document.verifyResult()->valid);
    VerifyOptions options;
    options.claims.audiences = {QStringLiteral("api")};
    document.setVerifyOptions(options);
    QCOMPARE(document.verifyResult()->code, ErrorCode::AudienceMismatch);
    options.claims.audiences.clear();
    options.alg = QStringLiteral("HS512");
    document.setVerifyOptions(options);
    QCOMPARE(document.verifyResult()->code, ErrorCode::AlgMismatch);
}

QTEST_GUILESS_MAIN(TestTokenDocument)
#include "TestTokenDocument.moc"
