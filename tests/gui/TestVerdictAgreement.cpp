// Every face of the window renders the document's one Verdict. With a real keychain (a private Secret Service)
// holding an unrelated RSA-4096 key and an HMAC key, the verify panel, the signature walk-through, the claims table,
// the guided tour and the status bar agree on the outcome and the key for: an unrelated RS256 token without kid,
// the HS256 sample, an expired token, a tampered token and a token whose aud nobody asked to check.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "keys/KeystoreVerifyBridge.h"
#include "keystore/KeyStore.h"
#include "shell/MainWindow.h"
#include "shell/Palette.h"
#include "teach/GuidedTour.h"
#include "teach/SignatureWalkthroughView.h"
#include "token/ClaimsModel.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QDir>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;
using keystoretest::await;

namespace {

const QByteArray kSecret = "a-secret-of-exactly-32-bytes-ok!";

QString sign(const QByteArray& payload, const Key& key, const QString& alg, const QString& kid = {})
{
    SignOptions options;
    options.alg = alg;
    options.kid = kid;
    const Result<QByteArray> token = signToken(payload, key, options);
    return token.ok() ? QString::fromLatin1(token.value()) : QString();
}

Key typedSecret()
{
    return importSecret(kSecret, SecretEncoding::Text).value();
}

QByteArray claimsAround(qint64 now, qint64 expiresIn, const QByteArray& extra = {})
{
    return "{\"sub\":\"1234567890\"" + extra + ",\"iat\":" + QByteArray::number(now - 60)
        + ",\"exp\":" + QByteArray::number(now + expiresIn) + "}";
}

// The same token with its payload replaced: the signature still belongs to the old one.
QString withPayload(const QString& token, const QByteArray& payload)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    return parts[0] + QLatin1Char('.') + QString::fromLatin1(Base64Url::encode(payload)) + QLatin1Char('.') + parts[2];
}

} // namespace

class TestVerdictAgreement : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void unrelatedRs256TokenIsNotVerifiedAndNeutral();
    void theHs256SampleIsValidWithItsOwnSecret();
    void anExpiredTokenIsInvalidAndSaysExpired();
    void aTamperedTokenIsInvalidAndItsClaimsAreNotPassed();
    void anUncheckedAudienceIsNotCalledEveryCheckPassed();

private:
    void typeSecret();
    // The faces agree with the document's verdict and with each other; returns the verdict for further checks.
    const Verdict& assertFacesAgree();

    KeychainTestFixture m_keychain;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<KeystoreVerifyBridge> m_bridge;
    GuidedTour* m_tour = nullptr;
};

void TestVerdictAgreement::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));

    // Two keys that have nothing to do with the tokens below: they must never decide a verdict.
    KeyStore store;
    const Key rsa = keystoretest::generate(QStringLiteral("RS256"), 4096);
    const Key hmac = keystoretest::generate(QStringLiteral("HS256"));
    QVERIFY(!rsa.isNull() && !hmac.isNull());
    NewKeyOptions rsaOptions;
    rsaOptions.name = QStringLiteral("partner signer");
    rsaOptions.keySet = QStringLiteral("partner");
    NewKeyOptions hmacOptions;
    hmacOptions.name = QStringLiteral("internal secret");
    hmacOptions.keySet = QStringLiteral("internal");
    hmacOptions.kid = QStringLiteral("internal-1");
    QVERIFY(await<KeyRecord>([&](QObject* c, auto done) { store.add(rsa, rsaOptions, c, done); }).ok());
    QVERIFY(await<KeyRecord>([&](QObject* c, auto done) { store.add(hmac, hmacOptions, c, done); }).ok());
}

void TestVerdictAgreement::init()
{
    m_window = std::make_unique<MainWindow>(MainWindow::Options::NoSettings);
    m_window->resize(1366, 768);
    m_window->show();
    // The window's own store over the keychain, offered to the verify panel as the window does once shown.
    m_bridge = std::make_unique<KeystoreVerifyBridge>(m_window->keyStore(), m_window->verifyPanel());
    QSignalSpy offered(m_bridge.get(), &KeystoreVerifyBridge::keysOffered);
    m_bridge->start();
    QVERIFY(offered.wait(60000));
    QVERIFY2(m_bridge->lastError().isEmpty(), qPrintable(m_bridge->lastError()));
    QCOMPARE(offered.last().at(0).toInt(), 2);

    // The tour at its verify step: its live box follows whatever the window holds.
    m_window->showGuidedTour();
    m_tour = m_window->guidedTour();
    QTRY_VERIFY_WITH_TIMEOUT(m_tour->isSampleReady(), 30000);
    m_tour->goToStep(GuidedTour::Verify);
    m_window->showDetailTab(MainWindow::DetailTab::Walkthrough);
    m_window->verifyPanel()->clearKeys();
}

void TestVerdictAgreement::cleanup()
{
    m_bridge.reset();
    m_window.reset();
    m_tour = nullptr;
}

void TestVerdictAgreement::typeSecret()
{
    m_window->verifyPanel()->setKeyKind(VerifyPanel::KeyKind::Secret);
    m_window->verifyPanel()->secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
}

const Verdict& TestVerdictAgreement::assertFacesAgree()
{
    const Verdict& verdict = m_window->document()->verdict();
    [&] {
        VerifyPanel* panel = m_window->verifyPanel();
        // The panel: the verdict's headline, read first.
        QCOMPARE(panel->headline(), verdict.headline);
        QVERIFY(panel->resultText().startsWith(verdict.headline));

        // The walk-through: the verdict's key, with the same outcome for its signature.
        SignatureWalkthroughView* walk = m_window->walkthroughView();
        walk->refresh();
        const SignatureVerdict* decisive = verdict.decisiveSignature();
        if (decisive && decisive->key) {
            QCOMPARE(walk->state(), SignatureWalkthroughView::State::Walk);
            QVERIFY(walk->showsTheVerdictsKey());
            QCOMPARE(walk->walkthrough().verified, decisive->outcome == VerdictOutcome::Valid);
        } else {
            QVERIFY(walk->state() != SignatureWalkthroughView::State::Walk || !walk->showsTheVerdictsKey());
            QVERIFY(!walk->walkthrough().verified);
        }
        if (!verdict.isValid())
            QVERIFY2(walk->summaryText().contains(verdict.headline)
                         || walk->state() != SignatureWalkthroughView::State::Walk,
                     qPrintable(walk->summaryText()));

        // The claims table: each checked claim in the verdict's state, not relied on without a verified signature.
        auto* model = m_window->findChild<ClaimsModel*>();
        QVERIFY(model);
        for (const QString& name : {QStringLiteral("exp"), QStringLiteral("iat"), QStringLiteral("aud")}) {
            const int row = model->rowOf(name);
            const VerdictCheck* check = verdict.check(name);
            if (row < 0 || !check || check->state == CheckState::NotApplicable)
                continue;
            const QModelIndex index = model->index(row, ClaimsModel::StatusColumn);
            QCOMPARE(index.data(ClaimsModel::CheckStateRole).toString(), checkStateName(check->state));
            const bool claimed = check->state == CheckState::Passed || check->state == CheckState::Failed;
            QCOMPARE(index.data(ClaimsModel::NotReliedOnRole).toBool(), claimed && !verdict.signatureVerified());
        }

        // The tour: the panel's words, never its own.
        QVERIFY2(m_tour->liveText().contains(verdict.headline), qPrintable(m_tour->liveText()));
        // … in the panel's colour.
        auto* live = m_tour->findChild<QLabel*>(QStringLiteral("tourLiveStatus"));
        auto* result = panel->findChild<QLabel*>(QStringLiteral("verifyResult"));
        QCOMPARE(live->palette().color(QPalette::Window), result->palette().color(QPalette::Window));

        // The status bar: the outcome.
        auto* status = m_window->findChild<QLabel*>(QStringLiteral("statusSummary"));
        QVERIFY(status);
        QVERIFY2(status->text().startsWith(outcomeName(verdict.outcome).replace(QLatin1Char('-'), QLatin1Char(' '))),
                 qPrintable(status->text()));
    }();
    return verdict;
}

void TestVerdictAgreement::unrelatedRs256TokenIsNotVerifiedAndNeutral()
{
    // Signed by someone else's RSA key; no kid to pick a stored key. The stored RSA-4096 key fits RS256, is tried,
    // and does not verify: that says nothing about the token.
    const Key other = keystoretest::generate(QStringLiteral("RS256"), 2048);
    const qint64 now = m_window->document()->now();
    m_window->loadToken(sign(claimsAround(now, 3600), other, QStringLiteral("RS256")));
    QTRY_VERIFY(!m_window->document()->isDecoding());
    const Verdict& verdict = assertFacesAgree();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QVERIFY2(verdict.headline.startsWith(QLatin1String("Not verified")), qPrintable(verdict.headline));
    // Neutral: the result box is amber, not red.
    auto* result = m_window->verifyPanel()->findChild<QLabel*>(QStringLiteral("verifyResult"));
    QCOMPARE(result->palette().color(QPalette::Window), Palette::background(Palette::Role::Warning));
    QVERIFY(result->palette().color(QPalette::Window) != Palette::background(Palette::Role::Error));
}

void TestVerdictAgreement::theHs256SampleIsValidWithItsOwnSecret()
{
    QSignalSpy loaded(m_window.get(), &MainWindow::sampleLoaded);
    m_window->loadSample(QStringLiteral("HS256"));
    QVERIFY(loaded.wait(30000));
    const Verdict& verdict = assertFacesAgree();
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    QVERIFY(verdict.key);
    QCOMPARE(verdict.key->metadata.provenance.kind, KeyProvenance::Kind::Typed);
    QVERIFY(verdict.key->metadata.provenance.chosenByUser);
    auto* result = m_window->verifyPanel()->findChild<QLabel*>(QStringLiteral("verifyResult"));
    QCOMPARE(result->palette().color(QPalette::Window), Palette::background(Palette::Role::Valid));
    // The stored keys did not fit (kid sample-hs256 names none of them): at most a neutral note, never a failure.
    auto* notes = m_window->verifyPanel()->findChild<QLabel*>(QStringLiteral("verifyNotes"));
    QCOMPARE(notes->palette().color(QPalette::WindowText), QApplication::palette().color(QPalette::WindowText));
}

void TestVerdictAgreement::anExpiredTokenIsInvalidAndSaysExpired()
{
    const qint64 now = m_window->document()->now();
    m_window->loadToken(sign(claimsAround(now - 3 * 3600, 3600), typedSecret(), QStringLiteral("HS256")));
    typeSecret();
    const Verdict& verdict = assertFacesAgree();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QVERIFY2(verdict.headline.contains(QLatin1String("expired")), qPrintable(verdict.headline));
    // The signature is good and says so, but the headline leads with the reason it is invalid.
    QVERIFY(verdict.signatureVerified());
    QVERIFY2(!m_window->verifyPanel()->headline().startsWith(QLatin1String("Signature verified")),
             qPrintable(m_window->verifyPanel()->headline()));
    auto* model = m_window->findChild<ClaimsModel*>();
    QCOMPARE(model->index(model->rowOf(QStringLiteral("exp")), 0).data(ClaimsModel::StatusCodeRole).toString(),
             QStringLiteral("expired"));
}

void TestVerdictAgreement::aTamperedTokenIsInvalidAndItsClaimsAreNotPassed()
{
    const qint64 now = m_window->document()->now();
    const QString token = sign(claimsAround(now, 3600), typedSecret(), QStringLiteral("HS256"));
    m_window->loadToken(withPayload(token, claimsAround(now, 7200, ",\"admin\":true")));
    typeSecret();
    const Verdict& verdict = assertFacesAgree();
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QVERIFY(!verdict.signatureVerified());
    // No claim reads as passed under a failed signature: not in the panel, not in the claims table.
    for (const QString& line : m_window->verifyPanel()->checkLines()) {
        if (line.contains(QLatin1String("exp")) || line.contains(QLatin1String("iat")))
            QVERIFY2(!line.contains(QStringLiteral("✓")) && line.contains(QLatin1String("not relied on")),
                     qPrintable(line));
    }
    auto* model = m_window->findChild<ClaimsModel*>();
    const QModelIndex exp = model->index(model->rowOf(QStringLiteral("exp")), ClaimsModel::StatusColumn);
    QVERIFY(exp.data(ClaimsModel::NotReliedOnRole).toBool());
    QVERIFY2(!exp.data().toString().contains(QStringLiteral("✓")), qPrintable(exp.data().toString()));
    QVERIFY(exp.data(Qt::ForegroundRole).value<QBrush>().color() != Palette::text(Palette::Role::Valid));
    // The walk-through marks the step where the check fails, with the same key.
    QVERIFY(m_window->walkthroughView()->walkthrough().failedStep >= 0);
}

void TestVerdictAgreement::anUncheckedAudienceIsNotCalledEveryCheckPassed()
{
    const qint64 now = m_window->document()->now();
    m_window->loadToken(sign(claimsAround(now, 3600, ",\"aud\":\"api\""), typedSecret(), QStringLiteral("HS256")));
    typeSecret();
    const Verdict& verdict = assertFacesAgree();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(verdict.signatureVerified());
    QVERIFY2(!verdict.headline.contains(QLatin1String("every")), qPrintable(verdict.headline));
    QVERIFY2(!m_window->verifyPanel()->resultText().contains(QLatin1String("every claims check passed")),
             qPrintable(m_window->verifyPanel()->resultText()));
    const VerdictCheck* aud = verdict.check(u"aud");
    QVERIFY(aud);
    QCOMPARE(aud->state, CheckState::NotChecked);
    bool shownNotChecked = false;
    for (const QString& line : m_window->verifyPanel()->checkLines())
        shownNotChecked |= line.startsWith(QStringLiteral("○ aud not checked"));
    QVERIFY2(shownNotChecked, qPrintable(m_window->verifyPanel()->checkLines().join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestVerdictAgreement)
#include "TestVerdictAgreement.moc"
