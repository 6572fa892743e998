// "How it's signed" on its own document: every family walked through with its key, a changed payload and a wrong
// key marked at the step where the check fails, the states without a walk, Copy, and no secret on screen.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "teach/SignatureWalkthroughView.h"
#include "teach/WalkthroughStepCard.h"

#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QTest>
#include <QTextEdit>

using namespace jwti;

namespace {

const QByteArray kSecret = "a-secret-of-exactly-32-bytes-ok!";
const QByteArray kPayload = "{\"sub\":\"1234567890\",\"name\":\"Jane Doe\",\"admin\":false}";

Key keyFor(const QString& alg)
{
    const AlgInfo* info = findAlg(alg);
    if (info->scheme == SignatureScheme::Hmac)
        return importSecret(kSecret + kSecret, SecretEncoding::Text).value();
    return generateKey(keySpecForAlg(*info).value()).value();
}

// The public half for asymmetric keys (what a verifier holds), the secret itself for HMAC.
Key verifierOf(const Key& key)
{
    return key.type() == KeyType::Oct ? key : key.publicOnly();
}

QString sign(const QByteArray& payload, const Key& key, const QString& alg)
{
    SignOptions options;
    options.alg = alg;
    const Result<QByteArray> token = signToken(payload, key, options);
    return token.ok() ? QString::fromLatin1(token.value()) : QString();
}

// The same header and signature over another payload: what an attacker who edits a token produces.
QString withPayload(const QString& token, const QByteArray& payload)
{
    const QStringList parts = token.split(QLatin1Char('.'));
    return parts[0] + QLatin1Char('.') + QString::fromLatin1(Base64Url::encode(payload)) + QLatin1Char('.') + parts[2];
}

QFrame* card(const SignatureWalkthroughView& view, const QString& id)
{
    return view.findChild<QFrame*>(QStringLiteral("walkStep_") + id);
}

QString statusOf(const SignatureWalkthroughView& view, const QString& id)
{
    QFrame* frame = card(view, id);
    auto* status = frame ? frame->findChild<QLabel*>(QStringLiteral("walkStepStatus")) : nullptr;
    return status ? status->text() : QString();
}

QStringList visibleTexts(const QWidget& root)
{
    QStringList texts;
    for (const QLabel* label : root.findChildren<QLabel*>())
        texts << label->text();
    for (const QTextEdit* edit : root.findChildren<QTextEdit*>())
        texts << edit->toPlainText();
    for (const QComboBox* combo : root.findChildren<QComboBox*>()) {
        for (int i = 0; i < combo->count(); ++i)
            texts << combo->itemText(i);
    }
    return texts;
}

struct Setup
{
    TokenDocument document;
    SignatureWalkthroughView view{&document};

    Setup() { view.show(); }
    void load(const QString& token, std::vector<Key> keys)
    {
        document.setKeys(std::move(keys));
        document.setText(token);
        view.refresh();
    }
};

} // namespace

class TestSignatureWalkthroughView : public QObject
{
    Q_OBJECT

private slots:
    void everyFamilyVerifiesAndShowsEachStepsValue_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("lastStep");
        QTest::newRow("HMAC HS256") << QStringLiteral("HS256") << QStringLiteral("tag-compare");
        QTest::newRow("HMAC HS512") << QStringLiteral("HS512") << QStringLiteral("tag-compare");
        QTest::newRow("RSA PKCS#1 v1.5 RS256") << QStringLiteral("RS256") << QStringLiteral("hash-compare");
        QTest::newRow("RSA-PSS PS384") << QStringLiteral("PS384") << QStringLiteral("hash-compare");
        QTest::newRow("ECDSA ES256") << QStringLiteral("ES256") << QStringLiteral("verify");
        QTest::newRow("ECDSA ES512") << QStringLiteral("ES512") << QStringLiteral("verify");
        QTest::newRow("EdDSA Ed25519") << QStringLiteral("EdDSA") << QStringLiteral("verify");
    }
    void everyFamilyVerifiesAndShowsEachStepsValue()
    {
        QFETCH(QString, alg);
        QFETCH(QString, lastStep);
        const Key key = keyFor(alg);
        Setup setup;
        setup.load(sign(kPayload, key, alg), {verifierOf(key)});

        QCOMPARE(setup.view.state(), SignatureWalkthroughView::State::Walk);
        const SignatureWalkthrough& walk = setup.view.walkthrough();
        QVERIFY2(walk.verified, qPrintable(walk.failureReason));
        QCOMPARE(walk.failedStep, -1);
        QVERIFY2(setup.view.summaryText().startsWith(QStringLiteral("✓")), qPrintable(setup.view.summaryText()));
        QCOMPARE(walk.steps.back().id, lastStep);
        QCOMPARE(walk.steps.front().id, QStringLiteral("signing-input"));
        for (size_t i = 0; i < walk.steps.size(); ++i) {
            const WalkStep& step = walk.steps[i];
            QFrame* frame = card(setup.view, step.id);
            QVERIFY2(frame, qPrintable(step.id));
            QVERIFY(frame->isVisible());
            auto* title = frame->findChild<QLabel*>(QStringLiteral("walkStepTitle"));
            QCOMPARE(title->text(), QStringLiteral("%1. %2").arg(i + 1).arg(step.title));
            // Passed or computed, by mark and word: never a failure on a token that verifies.
            const QString status = statusOf(setup.view, step.id);
            QVERIFY2(status == QStringLiteral("✓ Passed") || status == QStringLiteral("○ Computed"),
                     qPrintable(step.id + QLatin1String(": ") + status));
            auto* value = frame->findChild<QTextEdit*>(QStringLiteral("walkStepValue"));
            if (step.valueText.isEmpty()) {
                QVERIFY(!value);
                continue;
            }
            QVERIFY2(value, qPrintable(step.id));
            QCOMPARE(value->toPlainText(), step.valueText);
            QVERIFY(value->isReadOnly());
            QVERIFY(frame->findChild<QAbstractButton*>(QStringLiteral("walkStepCopy")));
            if (!step.fields.empty()) {
                auto* fields = frame->findChild<QTextEdit*>(QStringLiteral("walkStepFields"));
                QVERIFY(fields);
                for (const WalkField& field : step.fields)
                    QVERIFY2(fields->toPlainText().contains(field.label.trimmed()), qPrintable(field.label));
            }
        }
    }

    void hexValuesAreGroupedInBytes()
    {
        const Key key = keyFor(QStringLiteral("RS256"));
        Setup setup;
        setup.load(sign(kPayload, key, QStringLiteral("RS256")), {verifierOf(key)});
        auto* value
            = card(setup.view, QStringLiteral("pkcs1-padding"))->findChild<QTextEdit*>(QStringLiteral("walkStepValue"));
        QVERIFY(value->toPlainText().startsWith(QStringLiteral("00 01 ff ff")));
    }

    void aChangedPayloadMarksTheCompareStepFailedWithTheReason_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("failedStep");
        QTest::newRow("HMAC: the tags differ") << QStringLiteral("HS256") << QStringLiteral("tag-compare");
        QTest::newRow("RSA: the hash in the block differs")
            << QStringLiteral("RS256") << QStringLiteral("hash-compare");
        QTest::newRow("PSS: H′ differs from H") << QStringLiteral("PS256") << QStringLiteral("hash-compare");
        QTest::newRow("ECDSA: v differs from r") << QStringLiteral("ES384") << QStringLiteral("ecdsa-check");
        QTest::newRow("EdDSA: OpenSSL refuses") << QStringLiteral("EdDSA") << QStringLiteral("verify");
    }
    void aChangedPayloadMarksTheCompareStepFailedWithTheReason()
    {
        QFETCH(QString, alg);
        QFETCH(QString, failedStep);
        const Key key = keyFor(alg);
        QByteArray changed = kPayload;
        changed.replace("Jane", "Jake");
        Setup setup;
        setup.load(withPayload(sign(kPayload, key, alg), changed), {verifierOf(key)});

        const SignatureWalkthrough& walk = setup.view.walkthrough();
        QVERIFY(!walk.verified);
        QVERIFY(walk.failedStep >= 0);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, failedStep);
        QVERIFY2(walk.failureReason.contains(QLatin1String("changed")), qPrintable(walk.failureReason));
        QCOMPARE(statusOf(setup.view, failedStep), QStringLiteral("✗ Failed"));
        auto* failure = card(setup.view, failedStep)->findChild<QLabel*>(QStringLiteral("walkStepFailure"));
        QVERIFY(failure);
        QVERIFY2(failure->text().contains(walk.failureReason), qPrintable(failure->text()));
        QVERIFY2(setup.view.summaryText().contains(QStringLiteral("fails at step %1").arg(walk.failedStep + 1)),
                 qPrintable(setup.view.summaryText()));
        // Only the failed step is marked so.
        int failedCards = 0;
        for (const QFrame* frame : setup.view.findChildren<QFrame*>()) {
            if (frame->objectName().startsWith(QLatin1String("walkStep_")))
                failedCards += frame->findChild<QLabel*>(QStringLiteral("walkStepFailure")) != nullptr;
        }
        QCOMPARE(failedCards, 1);
        // The same card as "How it's decrypted": one WalkthroughStepCard a step, the failed one framed.
        QCOMPARE(int(setup.view.findChildren<WalkthroughStepCard*>().size()), int(walk.steps.size()));
        auto* failedCard = qobject_cast<WalkthroughStepCard*>(card(setup.view, failedStep));
        QVERIFY(failedCard);
        QVERIFY(failedCard->styleSheet().contains(QStringLiteral("border: 2px solid")));
        QCOMPARE(failedCard->findChild<QLabel*>(QStringLiteral("walkStepStatus"))->accessibleName(),
                 QStringLiteral("Result of step %1").arg(walk.failedStep + 1));
    }

    void aWrongKeyMarksThePaddingStep_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QStringList>("failedSteps");
        // Under a wrong key the signature, as a number, may already be above that key's modulus; if not, s^e mod n
        // is noise, and the padding (PKCS#1: 00 01 FF…; PSS: the trailer bc, the top bits, the zeros and 01 of DB)
        // gives it away.
        QTest::newRow("PKCS#1 v1.5") << QStringLiteral("RS256")
                                     << QStringList{QStringLiteral("rsa-public"), QStringLiteral("pkcs1-padding")};
        QTest::newRow("PSS") << QStringLiteral("PS256")
                             << QStringList{QStringLiteral("rsa-public"), QStringLiteral("pss-layout"),
                                            QStringLiteral("pss-db")};
    }
    void aWrongKeyMarksThePaddingStep()
    {
        QFETCH(QString, alg);
        QFETCH(QStringList, failedSteps);
        const Key signer = keyFor(alg);
        const Key other = keyFor(alg);
        Setup setup;
        setup.load(sign(kPayload, signer, alg), {other.publicOnly()});
        const SignatureWalkthrough& walk = setup.view.walkthrough();
        QVERIFY(!walk.verified);
        QVERIFY(walk.failedStep >= 0);
        const QString id = walk.steps[size_t(walk.failedStep)].id;
        QVERIFY2(failedSteps.contains(id), qPrintable(id));
        QVERIFY2(walk.failureReason.contains(QLatin1String("not made with this key")), qPrintable(walk.failureReason));
        QCOMPARE(statusOf(setup.view, id), QStringLiteral("✗ Failed"));
    }

    void theKeyThatVerifiedIsChosenAndAnotherCanBePicked()
    {
        const Key signer = keyFor(QStringLiteral("RS256"));
        const Key other = keyFor(QStringLiteral("RS256"));
        Setup setup;
        // The wrong key comes first in the panel's list; the one that verified is offered first here.
        setup.load(sign(kPayload, signer, QStringLiteral("RS256")), {other.publicOnly(), signer.publicOnly()});
        QCOMPARE(setup.view.keyCount(), 2);
        QCOMPARE(setup.view.currentKeyIndex(), 0);
        QVERIFY(setup.view.walkthrough().verified);
        auto* combo = setup.view.findChild<QComboBox*>(QStringLiteral("walkthroughKey"));
        QVERIFY(combo->isVisible());
        QVERIFY2(combo->itemText(0).contains(QLatin1String("verified")), qPrintable(combo->itemText(0)));

        setup.view.setCurrentKeyIndex(1);
        QCOMPARE(setup.view.currentKeyIndex(), 1);
        QVERIFY(!setup.view.walkthrough().verified);
        const SignatureWalkthrough& walk = setup.view.walkthrough();
        const QString failed = walk.steps[size_t(walk.failedStep)].id;
        QVERIFY2(failed == QLatin1String("rsa-public") || failed == QLatin1String("pkcs1-padding"), qPrintable(failed));
    }

    void keysThatDoNotFitTheAlgAreLeftOutOfTheChooser()
    {
        const Key signer = keyFor(QStringLiteral("ES256"));
        Setup setup;
        setup.load(sign(kPayload, signer, QStringLiteral("ES256")),
                   {keyFor(QStringLiteral("RS256")).publicOnly(), signer.publicOnly()});
        QCOMPARE(setup.view.keyCount(), 1);
        QVERIFY(setup.view.walkthrough().verified);
    }

    void aKeyOfTheWrongKindFailsAtTheKeyStep()
    {
        Setup setup;
        setup.load(sign(kPayload, keyFor(QStringLiteral("HS256")), QStringLiteral("HS256")),
                   {keyFor(QStringLiteral("RS256")).publicOnly()});
        QCOMPARE(setup.view.state(), SignatureWalkthroughView::State::Walk);
        const SignatureWalkthrough& walk = setup.view.walkthrough();
        QVERIFY(walk.failedStep >= 0);
        QCOMPARE(walk.steps[size_t(walk.failedStep)].id, QStringLiteral("key"));
    }

    void followsTheDocumentOnItsOwnWhileShown()
    {
        const Key key = keyFor(QStringLiteral("HS256"));
        TokenDocument document;
        SignatureWalkthroughView view(&document);
        view.show();
        document.setText(sign(kPayload, key, QStringLiteral("HS256")));
        QTRY_COMPARE(view.state(), SignatureWalkthroughView::State::NoKey);
        document.setKeys({key});
        QTRY_COMPARE(view.state(), SignatureWalkthroughView::State::Walk);
        QVERIFY(view.walkthrough().verified);
        document.setText(QString());
        QTRY_COMPARE(view.state(), SignatureWalkthroughView::State::NoToken);
    }

    void showsWhyThereIsNoWalk_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("says");
        const auto encode = [](const QByteArray& bytes) { return QString::fromLatin1(Base64Url::encode(bytes)); };
        const QString payload = encode(kPayload);
        QTest::newRow("no token") << QString() << int(SignatureWalkthroughView::State::NoToken)
                                  << QStringLiteral("Paste a token");
        QTest::newRow("not a token: prose")
            << QStringLiteral("this is not a token at all, really!") << int(SignatureWalkthroughView::State::NotAToken)
            << QStringLiteral("This is not a JWT, so there is no signature");
        QTest::newRow("not a token: certificate")
            << QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n")
            << int(SignatureWalkthroughView::State::NotAToken)
            << QStringLiteral("This is not a JWT, so there is no signature");
        QTest::newRow("signed, no key") << sign(kPayload, keyFor(QStringLiteral("HS256")), QStringLiteral("HS256"))
                                        << int(SignatureWalkthroughView::State::NoKey)
                                        << QStringLiteral("paste or pick a key in the Verify panel");
        QTest::newRow("alg none") << encode("{\"alg\":\"none\"}") + QLatin1Char('.') + payload + QLatin1Char('.')
                                  << int(SignatureWalkthroughView::State::Unsecured)
                                  << QStringLiteral("nothing is signed");
        QTest::newRow("unknown alg") << encode("{\"alg\":\"HS999\"}") + QLatin1Char('.') + payload
                + QStringLiteral(".c2ln")
                                     << int(SignatureWalkthroughView::State::Unsupported)
                                     << QStringLiteral("not a JWS algorithm");
        QTest::newRow("no alg") << encode("{\"typ\":\"JWT\"}") + QLatin1Char('.') + payload + QStringLiteral(".c2ln")
                                << int(SignatureWalkthroughView::State::Unsupported)
                                << QStringLiteral("names no algorithm");
        QTest::newRow("encrypted") << encode("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}")
                + QStringLiteral(".AAAA.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA")
                                   << int(SignatureWalkthroughView::State::Encrypted) << QStringLiteral("not signed");
    }
    void showsWhyThereIsNoWalk()
    {
        QFETCH(QString, token);
        QFETCH(int, state);
        QFETCH(QString, says);
        Setup setup;
        setup.load(token, {});
        QCOMPARE(int(setup.view.state()), state);
        QVERIFY2(setup.view.summaryText().contains(says), qPrintable(setup.view.summaryText()));
        QVERIFY(!setup.view.findChild<QComboBox*>(QStringLiteral("walkthroughKey"))->isVisible());
        // Without steps the summary's line stands alone: no empty steps area under it. alg none still shows its
        // signing input.
        QCOMPARE(setup.view.findChild<QWidget*>(QStringLiteral("walkthroughScroll"))->isHidden(),
                 state != int(SignatureWalkthroughView::State::Unsecured));
    }

    void algNoneShowsItsSigningInputAndNeverVerifies()
    {
        Setup setup;
        const QString token
            = QString::fromLatin1(Base64Url::encode("{\"alg\":\"none\"}") + '.' + Base64Url::encode(kPayload) + '.');
        // Even with a key at hand: none is never verified.
        setup.load(token, {keyFor(QStringLiteral("HS256"))});
        QCOMPARE(setup.view.state(), SignatureWalkthroughView::State::Unsecured);
        QVERIFY(!setup.view.walkthrough().verified);
        QVERIFY(card(setup.view, QStringLiteral("signing-input")));
    }

    void copyPutsTheStepsValueOnTheClipboard_data()
    {
        QTest::addColumn<QString>("step");
        QTest::newRow("signing input") << QStringLiteral("signing-input");
        QTest::newRow("HMAC tag") << QStringLiteral("hmac-tag");
    }
    void copyPutsTheStepsValueOnTheClipboard()
    {
        QFETCH(QString, step);
        const Key key = keyFor(QStringLiteral("HS384"));
        Setup setup;
        setup.load(sign(kPayload, key, QStringLiteral("HS384")), {key});
        QApplication::clipboard()->clear();
        auto* copy = card(setup.view, step)->findChild<QAbstractButton*>(QStringLiteral("walkStepCopy"));
        QVERIFY(copy);
        copy->click();
        const WalkStep* shown = nullptr;
        for (const WalkStep& candidate : setup.view.walkthrough().steps) {
            if (candidate.id == step)
                shown = &candidate;
        }
        QVERIFY(shown);
        QCOMPARE(QApplication::clipboard()->text(), shown->valueText);
    }

    void neverShowsTheHmacSecret()
    {
        const QByteArray secret = "never-on-screen-secret-0123456789abcdef";
        const Key key = importSecret(secret, SecretEncoding::Text).value();
        Setup setup;
        setup.load(sign(kPayload, key, QStringLiteral("HS256")), {key});
        QVERIFY(setup.view.walkthrough().verified);
        const QString secretText = QString::fromLatin1(secret);
        const QString secretHex = QString::fromLatin1(secret.toHex(' '));
        for (const QString& text : visibleTexts(setup.view)) {
            QVERIFY(!text.contains(secretText));
            QVERIFY(!text.contains(secretHex));
        }
    }
};

QTEST_MAIN(TestSignatureWalkthroughView)
#include "TestSignatureWalkthroughView.moc"
