// The verify panel on its own document: right and wrong secrets, PEM keys, misfits, alg none, claims options.
#include "KeyInput.h"
#include "SecretInput.h"
#include "VerifyPanel.h"
#include "crypto/KeyFormats.h"
#include "crypto/KeyGeneration.h"
#include "jose/Algorithms.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "model/TokenDocument.h"

#include <QCheckBox>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTest>

using namespace jwti;

namespace {

const QByteArray kSecret = "a-secret-of-exactly-32-bytes-ok!";
constexpr qint64 kNow = 1700000000;

Key secretKey(const QByteArray& secret = kSecret)
{
    return importSecret(secret, SecretEncoding::Text).value();
}

QString sign(const QByteArray& payload, const Key& key, const QString& alg)
{
    SignOptions options;
    options.alg = alg;
    const Result<QByteArray> token = signToken(payload, key, options);
    return token.ok() ? QString::fromLatin1(token.value()) : QString();
}

Key generated(const QString& alg)
{
    return generateKey(keySpecForAlg(*findAlg(alg)).value()).value();
}

QStringList checkLines(const VerifyPanel& panel)
{
    QStringList lines;
    auto* list = panel.findChild<QListWidget*>(QStringLiteral("verifyClaimChecks"));
    for (int i = 0; i < list->count(); ++i)
        lines << list->item(i)->text();
    return lines;
}

} // namespace

class TestVerifyPanel : public QObject
{
    Q_OBJECT

private slots:
    void verifiesWithTheRightSecret()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        QCOMPARE(panel.keyKind(), VerifyPanel::KeyKind::Secret);
        QTest::keyClicks(panel.findChild<QLineEdit*>(QStringLiteral("verifySecretEdit")), QString::fromLatin1(kSecret));
        QVERIFY2(panel.resultText().contains(QLatin1String("Signature verified")), qPrintable(panel.resultText()));
    }

    void saysInvalidSignatureForAWrongSecret()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QStringLiteral("another-secret-of-32-bytes-here!"), SecretEncoding::Text);
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Invalid signature")), qPrintable(panel.resultText()));
        QVERIFY(!panel.resultText().contains(QLatin1String("verified with")));
    }

    void readsHexSecrets()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret.toHex()), SecretEncoding::Hex);
        QVERIFY2(panel.resultText().contains(QLatin1String("Signature verified")), qPrintable(panel.resultText()));
    }

    void masksTheSecretUntilShown()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        auto* edit = panel.findChild<QLineEdit*>(QStringLiteral("verifySecretEdit"));
        QCOMPARE(edit->echoMode(), QLineEdit::Password);
        panel.findChild<QCheckBox*>(QStringLiteral("verifySecretShow"))->setChecked(true);
        QCOMPARE(edit->echoMode(), QLineEdit::Normal);
    }

    void verifiesWithAPublicPem()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        const Key key = generated(QStringLiteral("ES256"));
        document.setText(sign(R"({"sub":"a"})", key, QStringLiteral("ES256")));
        QCOMPARE(panel.keyKind(), VerifyPanel::KeyKind::PublicKey);
        panel.findChild<QPlainTextEdit*>(QStringLiteral("verifyKeyEdit"))
            ->setPlainText(QString::fromLatin1(exportPublicPem(key)));
        QVERIFY2(panel.resultText().contains(QLatin1String("Signature verified")), qPrintable(panel.resultText()));

        // Another key of the same kind does not verify it.
        panel.keyInput()->setKeyText(QString::fromLatin1(exportPublicPem(generated(QStringLiteral("ES256")))));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Invalid signature")), qPrintable(panel.resultText()));
    }

    void saysWhenTheKeyDoesNotFitTheAlg()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", generated(QStringLiteral("PS256")), QStringLiteral("PS256")));
        panel.keyInput()->setKeyText(QString::fromLatin1(exportPublicPem(generated(QStringLiteral("ES256")))));
        const QString result = panel.resultText();
        QVERIFY2(!result.contains(QLatin1String("Signature verified")), qPrintable(result));
        QVERIFY2(result.contains(QLatin1String("PS256")) || result.contains(QLatin1String("EC")), qPrintable(result));
    }

    void saysUnsecuredTokensHaveNothingToVerify()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(QString::fromLatin1(Base64Url::encode(R"({"alg":"none"})") + '.'
                                             + Base64Url::encode(R"({"sub":"a"})") + '.'));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        QVERIFY2(panel.resultText().contains(QLatin1String("nothing to verify")), qPrintable(panel.resultText()));
    }

    void reportsAKeyItCannotRead()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", generated(QStringLiteral("ES256")), QStringLiteral("ES256")));
        panel.keyInput()->setKeyText(
            QStringLiteral("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n"));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Key not usable")), qPrintable(panel.resultText()));
    }

    void claimsChecksFollowTheLeewayAndTheExpectedAudience()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        VerifyPanel panel(&document);
        const QByteArray payload = "{\"aud\":\"api\",\"exp\":" + QByteArray::number(kNow - 30) + "}";
        document.setText(sign(payload, secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        QVERIFY2(checkLines(panel).join(QLatin1Char('\n')).contains(QLatin1String("exp failed")),
                 qPrintable(checkLines(panel).join(QLatin1Char('\n'))));
        QVERIFY(panel.resultText().contains(QLatin1String("not valid")));

        panel.findChild<QSpinBox*>(QStringLiteral("verifyLeeway"))->setValue(60);
        QVERIFY2(checkLines(panel).join(QLatin1Char('\n')).contains(QLatin1String("exp passed")),
                 qPrintable(checkLines(panel).join(QLatin1Char('\n'))));
        QVERIFY2(panel.resultText().contains(QLatin1String("Valid")), qPrintable(panel.resultText()));

        QTest::keyClicks(panel.findChild<QLineEdit*>(QStringLiteral("verifyExpectedAud")), QStringLiteral("web"));
        QVERIFY2(checkLines(panel).join(QLatin1Char('\n')).contains(QLatin1String("aud failed")),
                 qPrintable(checkLines(panel).join(QLatin1Char('\n'))));
    }

    void alsoTriesExtraKeys()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        const Key key = generated(QStringLiteral("ES256"));
        document.setText(sign(R"({"sub":"a"})", key, QStringLiteral("ES256")));
        QVERIFY(!panel.resultText().contains(QLatin1String("Signature verified")));
        panel.setExtraKeys({key.publicOnly()}, QStringLiteral("Keychain"));
        auto* check = panel.findChild<QCheckBox*>(QStringLiteral("verifyExtraKeys"));
        QVERIFY(!check->isHidden());
        QVERIFY(check->text().contains(QLatin1String("Keychain")));
        QVERIFY2(panel.resultText().contains(QLatin1String("Signature verified")), qPrintable(panel.resultText()));
        check->setChecked(false);
        QVERIFY(!panel.resultText().contains(QLatin1String("Signature verified")));
    }
};

QTEST_MAIN(TestVerifyPanel)
#include "TestVerifyPanel.moc"
