// "How it's decrypted": the steps of core walkThroughDecryption for the JWE open and the decrypt panel's key, the
// failing step framed and named, secret values hidden until asked for and hidden again for the next token; and in
// the window it takes the signature walk-through's place when a JWE is open.
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "shell/MainWindow.h"
#include "teach/DecryptionWalkthroughView.h"
#include "teach/SignatureWalkthroughView.h"
#include "teach/WalkthroughStepCard.h"
#include "verify/SecretInput.h"

#include <QLabel>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTest>

using namespace jwti;

namespace {

const QByteArray kKek(16, 'k');

QString encrypt(const QByteArray& plaintext, const QByteArray& kek)
{
    JweEncryptOptions options;
    options.alg = QStringLiteral("A128KW");
    options.enc = QStringLiteral("A128CBC-HS256");
    auto token = encryptJwe(plaintext, Key::fromSecret(SecretBytes(kek)), options);
    if (!token)
        qFatal("%s", qPrintable(token.message()));
    return QString::fromLatin1(*token);
}

QStringList stepIds(const DecryptionWalkthroughView& view)
{
    QStringList ids;
    for (const WalkStep& step : view.walkthrough().steps)
        ids << step.id;
    return ids;
}

} // namespace

class TestDecryptionWalkthroughView : public QObject
{
    Q_OBJECT

private slots:
    void showsEachStepWithSecretsHiddenUntilAsked()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        DecryptionWalkthroughView view(&document, &panel);
        view.show();
        document.setText(encrypt("walk", kKek));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(view.state(), DecryptionWalkthroughView::State::NoKey);
        QVERIFY(view.summaryText().contains(QStringLiteral("Give a key")));

        panel.setKeyKind(DecryptPanel::KeyKind::Secret);
        panel.secretInput()->setSecret(QString::fromLatin1(kKek.toHex()), SecretEncoding::Hex);
        QTRY_VERIFY(!panel.isBusy());
        QTRY_COMPARE(view.state(), DecryptionWalkthroughView::State::Walk);
        QVERIFY(view.walkthrough().decrypted);
        QCOMPARE(
            stepIds(view),
            (QStringList{"aad", "key-fit", "encrypted-key", "cek", "cbc-keys", "hmac", "tag-compare", "plaintext"}));
        // The AAD is public; the CEK is shown only when asked for.
        QVERIFY(!view.shownValue(QStringLiteral("aad")).isEmpty());
        QVERIFY(view.shownValue(QStringLiteral("cek")).contains(QStringLiteral("secret")));
        QVERIFY(view.findChild<QWidget*>(QStringLiteral("decryptStep_cek")));
        view.setSecretsShown(true);
        const WalkStep& cek = view.walkthrough().steps[3];
        QCOMPARE(view.shownValue(QStringLiteral("cek")), cek.valueText);

        // Another token: its secrets are hidden again.
        document.setText(encrypt("walk again", kKek));
        QTRY_VERIFY(!panel.isBusy());
        QVERIFY(!view.secretsShown());
    }

    void theFailingStepIsMarked()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        DecryptionWalkthroughView view(&document, &panel);
        view.show();
        document.setText(encrypt("walk", kKek));
        panel.setKeyKind(DecryptPanel::KeyKind::Secret);
        panel.secretInput()->setSecret(QString::fromLatin1(QByteArray(16, 'x').toHex()), SecretEncoding::Hex);
        QTRY_VERIFY(!panel.isBusy());
        QTRY_COMPARE(view.state(), DecryptionWalkthroughView::State::Walk);
        QVERIFY(!view.walkthrough().decrypted);
        QVERIFY(view.walkthrough().failedStep >= 0);
        QVERIFY2(view.summaryText().contains(QStringLiteral("fails")), qPrintable(view.summaryText()));
        auto* failure = view.findChild<QLabel*>(QStringLiteral("decryptStepFailure"));
        QVERIFY(failure);
        QVERIFY(failure->text().startsWith(QStringLiteral("✗ Decryption fails here")));
        // The same card as "How it's signed": number and title, the state mark beside them, framed when failed.
        const WalkStep& failed = view.walkthrough().steps[size_t(view.walkthrough().failedStep)];
        auto* card = view.findChild<WalkthroughStepCard*>(QStringLiteral("decryptStep_") + failed.id);
        QVERIFY(card);
        QCOMPARE(failure->parentWidget(), static_cast<QWidget*>(card));
        QVERIFY(card->styleSheet().contains(QStringLiteral("border: 2px solid")));
        QCOMPARE(card->findChild<QLabel*>(QStringLiteral("decryptStepTitle"))->text(),
                 QStringLiteral("%1. %2").arg(view.walkthrough().failedStep + 1).arg(failed.title));
        auto* status = card->findChild<QLabel*>(QStringLiteral("decryptStepStatus"));
        QCOMPARE(status->text(), QStringLiteral("✗ Failed"));
        QCOMPARE(status->accessibleName(), QStringLiteral("Result of step %1").arg(view.walkthrough().failedStep + 1));
        QCOMPARE(card->findChildren<WalkthroughStepCard*>().size(), 0);
        QCOMPARE(int(view.findChildren<WalkthroughStepCard*>().size()), int(view.walkthrough().steps.size()));
    }

    void takesTheSignatureWalkthroughsPlaceForAJwe()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("detailTabs"));
        auto* sideTabs = window.findChild<QTabWidget*>(QStringLiteral("sideTabs"));
        window.loadToken(encrypt("walk", kKek));
        window.showDetailTab(MainWindow::DetailTab::Walkthrough);
        QCOMPARE(tabs->tabText(int(MainWindow::DetailTab::Walkthrough)), QStringLiteral("How it's decrypted"));
        QVERIFY(window.decryptionWalkthroughView()->isVisible());
        QVERIFY(!window.walkthroughView()->isVisible());
        QCOMPARE(sideTabs->tabText(sideTabs->currentIndex()), QStringLiteral("Decrypt"));

        SignOptions sign;
        sign.alg = QStringLiteral("HS256");
        window.loadToken(QString::fromLatin1(signToken("{}", Key::fromSecret(SecretBytes(kKek + kKek)), sign).value()));
        QCOMPARE(tabs->tabText(int(MainWindow::DetailTab::Walkthrough)), QStringLiteral("How it's signed"));
        QVERIFY(window.walkthroughView()->isVisible());
        QCOMPARE(sideTabs->currentIndex(), 0);
    }
};

QTEST_MAIN(TestDecryptionWalkthroughView)
#include "TestDecryptionWalkthroughView.moc"
