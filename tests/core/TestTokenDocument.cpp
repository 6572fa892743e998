// The shared model: one signal per kind of change, findings and verification recomputed when the token, the keys or
// the clock change, and the verify panel's strictness (the token as given, not the noise-stripped one). Large tokens
// are decoded on a pool thread: the newest text wins, and a document destroyed meanwhile is safe.
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"

#include <QSignalSpy>
#include <QTest>
#include <QThreadPool>

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

QString largeSignedToken(char fill = 'x')
{
    return signedToken("{\"sub\":\"big\",\"data\":\"" + QByteArray(TokenDocument::kAsyncThreshold, fill) + "\"}");
}

// Lets every background decode finish and deliver (or drop) its result.
void drainBackgroundWork()
{
    QThreadPool::globalInstance()->waitForDone();
    QCoreApplication::processEvents();
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
    void carriesAVerdictAlsoWithoutKeys();
    void verdictFollowsKeysClockAndText();
    void verifiesTheTokenAsGivenNotTheNoiseStrippedOne();
    void removesPasteNoiseWhenAskedAndSaysWhat();
    void neverRemovesNoiseFromWhatIsNoToken_data();
    void neverRemovesNoiseFromWhatIsNoToken();
    void theVerdictIsCurrentWhenTheTokenChangedSignalArrives();
    void clockOverrideDrivesClaims();
    void optionsAreApplied();
    void smallTokensArePrettyPrintedOnDemand();
    void largeTokenIsDecodedInTheBackground();
    void largeTokenIsVerifiedInTheBackgroundWithTheGivenKeys();
    void newerTextDiscardsAnOlderBackgroundDecode();
    void newerLargeTextWinsOverAnOlderOne();
    void destroyingTheDocumentWhileDecodingIsSafe();
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

void TestTokenDocument::carriesAVerdictAlsoWithoutKeys()
{
    TokenDocument document;
    QCOMPARE(document.verdict().outcome, VerdictOutcome::NotVerified);
    QCOMPARE(document.verdict().headline, QStringLiteral("No token to verify"));
    document.setNowOverride(1800000000);
    QSignalSpy verifySpy(&document, &TokenDocument::verificationChanged);
    document.setText(signedToken("{\"exp\":1700000000}"));
    QCOMPARE(verifySpy.count(), 1);
    // Not verified (no key), with the claim checks that need none: the exp check already failed.
    QCOMPARE(document.verdict().outcome, VerdictOutcome::NotVerified);
    QCOMPARE(document.verdict().check(u"signature")->state, CheckState::NotChecked);
    QCOMPARE(document.verdict().check(u"exp")->state, CheckState::Failed);
    QVERIFY(!document.verifyResult().has_value());
}

void TestTokenDocument::verdictFollowsKeysClockAndText()
{
    TokenDocument document;
    document.setNowOverride(1600000000);
    document.setText(signedToken("{\"exp\":1700000000}"));
    document.setKeys({hmacKey()});
    QCOMPARE(document.verdict().outcome, VerdictOutcome::Valid);
    QVERIFY(document.verdict().headline.startsWith(QLatin1String("Valid: signature verified with ")));
    QCOMPARE(document.verifyResult()->valid, true);

    document.setNowOverride(1800000000);
    QCOMPARE(document.verdict().outcome, VerdictOutcome::Invalid);
    QCOMPARE(document.verdict().code, ErrorCode::Expired);
    QVERIFY(!document.verdict().diagnosis.empty());
    QCOMPARE(document.verifyResult()->code, ErrorCode::Expired);

    document.setText(QStringLiteral("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"));
    QCOMPARE(document.verdict().outcome, VerdictOutcome::Malformed);
    QCOMPARE(document.verdict().diagnosis.front().code, QStringLiteral("not-a-token"));
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

void TestTokenDocument::removesPasteNoiseWhenAskedAndSaysWhat()
{
    TokenDocument document;
    document.setKeys({hmacKey()});
    const QString token = signedToken("{\"sub\":\"x\"}");
    const QString given
        = QStringLiteral("Bearer \"") + token.left(20) + QStringLiteral("\n") + token.mid(20) + QStringLiteral("\"");
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    document.setText(given, TokenDocument::PasteNoise::Remove);
    QCOMPARE(tokenSpy.count(), 1);
    // What is inspected is the token itself, judged as such; what was removed is said.
    QCOMPARE(document.text(), token);
    QCOMPARE(document.givenText(), given);
    QCOMPARE(document.token().input, token);
    QVERIFY(document.token().noise.empty());
    QCOMPARE(document.removedNoise().size(), size_t(3)); // the prefix, the quotes, the line break
    QVERIFY2(document.verdict().isValid(), qPrintable(document.verdict().headline));
    QVERIFY(std::none_of(document.findings().begin(), document.findings().end(),
                         [](const Finding& finding) { return finding.code == QLatin1String("paste-noise"); }));

    // The cleaned text given back (the editor now shows it) changes nothing and keeps the note.
    document.setText(token, TokenDocument::PasteNoise::Remove);
    QCOMPARE(tokenSpy.count(), 1);
    QCOMPARE(document.removedNoise().size(), size_t(3));

    // Kept as given (the user undid the removal): decoded without the noise, judged as given.
    document.setText(given, TokenDocument::PasteNoise::Keep);
    QCOMPARE(document.text(), given);
    QVERIFY(document.removedNoise().empty());
    QCOMPARE(document.token().noise.size(), size_t(3));
    QCOMPARE(document.verdict().outcome, VerdictOutcome::Malformed);
    // And asked again to remove it, it does.
    document.setText(given, TokenDocument::PasteNoise::Remove);
    QCOMPARE(document.text(), token);
}

void TestTokenDocument::neverRemovesNoiseFromWhatIsNoToken_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("prose") << QStringLiteral("this is not a token at all, really!");
    QTest::newRow("PEM") << QStringLiteral("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n"
                                           "-----END PUBLIC KEY-----\n");
    QTest::newRow("quoted JWK") << QStringLiteral("'{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}'");
}

void TestTokenDocument::neverRemovesNoiseFromWhatIsNoToken()
{
    QFETCH(QString, text);
    TokenDocument document;
    document.setText(text, TokenDocument::PasteNoise::Remove);
    QCOMPARE(document.text(), text);
    QVERIFY(document.removedNoise().empty());
    // It is named as no token, and nothing is linted in it.
    QVERIFY(document.isNotAToken());
    QVERIFY2(document.verdict().headline.startsWith(QLatin1String("This is not a JWT")),
             qPrintable(document.verdict().headline));
    QVERIFY(document.findings().empty());

    // A token is a token, even a broken one.
    document.setText(signedToken("{}").replace(30, 1, QLatin1Char('*')));
    QVERIFY(!document.isNotAToken());
    QVERIFY(!document.findings().empty() || !document.token().errors.empty());
}

void TestTokenDocument::theVerdictIsCurrentWhenTheTokenChangedSignalArrives()
{
    TokenDocument document;
    document.setKeys({hmacKey()});
    QString seen;
    bool notAToken = false;
    connect(&document, &TokenDocument::tokenChanged, this, [&] {
        seen = document.verdict().headline;
        notAToken = document.isNotAToken();
    });
    document.setText(signedToken("{\"sub\":\"x\"}"));
    QVERIFY2(seen.startsWith(QLatin1String("Valid")), qPrintable(seen));
    document.setText(QStringLiteral("no token here"));
    QVERIFY2(seen.startsWith(QLatin1String("This is not a JWT")), qPrintable(seen));
    QVERIFY(notAToken);
    // The same for a large token, decoded on the pool.
    document.setText(largeSignedToken());
    QTRY_VERIFY2_WITH_TIMEOUT(seen.startsWith(QLatin1String("Valid")), qPrintable(seen), 20000);
    QVERIFY(!notAToken);
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

void TestTokenDocument::smallTokensArePrettyPrintedOnDemand()
{
    TokenDocument document;
    document.setText(signedToken("{\"sub\":\"x\"}"));
    QVERIFY(!document.isDecoding());
    QVERIFY(document.prettyHeader());
    QVERIFY(document.prettyHeader()->text.contains(QLatin1String("\"HS256\"")));
    QVERIFY(document.prettyPayload());
    QVERIFY(document.prettyPayload()->text.contains(QLatin1String("\"sub\": \"x\"")));
    document.setText(QStringLiteral("not.a.token"));
    QVERIFY(!document.prettyPayload());
}

void TestTokenDocument::largeTokenIsDecodedInTheBackground()
{
    TokenDocument document;
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    QSignalSpy decodingSpy(&document, &TokenDocument::decodingChanged);
    const QString token = largeSignedToken();
    document.setText(token);
    // Not decoded yet: the text is taken, the token is still the previous (empty) one.
    QVERIFY(document.isDecoding());
    QCOMPARE(decodingSpy.count(), 1);
    QCOMPARE(document.text(), token);
    QCOMPARE(document.token().kind, TokenKind::Empty);
    QCOMPARE(tokenSpy.count(), 0);

    QVERIFY(tokenSpy.wait(20000));
    QCOMPARE(tokenSpy.count(), 1);
    QVERIFY(!document.isDecoding());
    QCOMPARE(decodingSpy.count(), 2);
    QCOMPARE(document.token().kind, TokenKind::Jws);
    QCOMPARE(document.token().input, token);
    QVERIFY(document.token().claims());
    QVERIFY(std::any_of(document.findings().begin(), document.findings().end(),
                        [](const Finding& finding) { return finding.code == QLatin1String("no-exp"); }));
    QVERIFY(document.prettyPayload());
    QVERIFY(document.prettyPayload()->text.contains(QLatin1String("\"sub\": \"big\"")));
    QVERIFY(document.prettyHeader());

    // The same text again is no change.
    document.setText(token);
    QVERIFY(!document.isDecoding());
    drainBackgroundWork();
    QCOMPARE(tokenSpy.count(), 1);
}

void TestTokenDocument::largeTokenIsVerifiedInTheBackgroundWithTheGivenKeys()
{
    TokenDocument document;
    document.setKeys({hmacKey()});
    QSignalSpy verifySpy(&document, &TokenDocument::verificationChanged);
    document.setText(largeSignedToken());
    QVERIFY(verifySpy.wait(20000));
    QVERIFY(document.verifyResult().has_value());
    QVERIFY2(document.verifyResult()->valid, qPrintable(document.verifyResult()->reason));

    // New options are applied to the large token off the UI thread too, without decoding it again.
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    VerifyOptions options;
    options.alg = QStringLiteral("HS512");
    document.setVerifyOptions(options);
    QVERIFY(!document.isDecoding());
    QTRY_VERIFY_WITH_TIMEOUT(document.verifyResult().has_value() && !document.verifyResult()->valid, 20000);
    QCOMPARE(document.verifyResult()->code, ErrorCode::AlgMismatch);
    QCOMPARE(tokenSpy.count(), 0);

    document.setKeys({});
    QTRY_VERIFY_WITH_TIMEOUT(!document.verifyResult().has_value(), 20000);
}

void TestTokenDocument::newerTextDiscardsAnOlderBackgroundDecode()
{
    TokenDocument document;
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    document.setText(largeSignedToken());
    const QString small = signedToken("{\"sub\":\"small\"}");
    document.setText(small);
    // The small one is decoded at once and the large one's result, when it lands, is dropped.
    QVERIFY(!document.isDecoding());
    QCOMPARE(tokenSpy.count(), 1);
    drainBackgroundWork();
    QCOMPARE(tokenSpy.count(), 1);
    QCOMPARE(document.text(), small);
    QCOMPARE(document.token().input, small);
    QVERIFY(document.prettyPayload()->text.contains(QLatin1String("small")));
}

void TestTokenDocument::newerLargeTextWinsOverAnOlderOne()
{
    TokenDocument document;
    QSignalSpy tokenSpy(&document, &TokenDocument::tokenChanged);
    document.setText(largeSignedToken('x'));
    const QString newer = largeSignedToken('y');
    document.setText(newer);
    QTRY_VERIFY_WITH_TIMEOUT(!document.isDecoding(), 20000);
    drainBackgroundWork();
    QCOMPARE(tokenSpy.count(), 1);
    QCOMPARE(document.token().input, newer);
}

void TestTokenDocument::destroyingTheDocumentWhileDecodingIsSafe()
{
    auto* document = new TokenDocument;
    document->setKeys({hmacKey()});
    document->setText(largeSignedToken());
    QVERIFY(document->isDecoding());
    delete document;
    // The worker finishes on its own copies and posts nothing to the destroyed document.
    drainBackgroundWork();
}

QTEST_GUILESS_MAIN(TestTokenDocument)
#include "TestTokenDocument.moc"
