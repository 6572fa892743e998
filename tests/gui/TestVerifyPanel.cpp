// The verify panel on its own document renders the document's verdict: right and wrong secrets, PEM keys, misfits,
// alg none, claims options, stored keys that do not verify, why it failed, and what a screen reader hears first.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/FileDialogs.h"
#include "shell/Palette.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"
#include "verify/VerifyPanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTemporaryDir>
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
    return panel.checkLines();
}

Key storedKey(const Key& key)
{
    Key stored = key;
    stored.metadata.provenance.kind = KeyProvenance::Kind::Keychain;
    stored.metadata.provenance.chosenByUser = false;
    return stored;
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
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Valid:")), qPrintable(panel.resultText()));
        QVERIFY(document.verdict().isValid());
        // The secret typed here is named as such.
        QVERIFY2(panel.resultText().contains(document.verdict().keyProvenance), qPrintable(panel.resultText()));
        QCOMPARE(document.verdict().key->metadata.provenance.kind, KeyProvenance::Kind::Typed);
    }

    void verifiesADetachedPayloadOnlyWhenOneIsGiven()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        VerifyPanel panel(&document);
        const QByteArray payload = R"({"sub":"detached"})";
        const QStringList parts = sign(payload, secretKey(), QStringLiteral("HS256")).split(QLatin1Char('.'));
        QCOMPARE(parts.size(), 3);
        document.setText(parts[0] + QStringLiteral("..") + parts[2]);
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        // Without a payload given, the empty segment is a signature over the empty payload: it does not match.
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Invalid);

        auto* box = panel.findChild<QPlainTextEdit*>(QStringLiteral("verifyDetachedPayload"));
        QVERIFY(box);
        box->setPlainText(QString::fromUtf8(payload));
        QVERIFY2(document.verdict().isValid(), qPrintable(panel.resultText()));
        box->setPlainText(QStringLiteral(R"({"sub":"other"})"));
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Invalid);
        box->clear();
        QVERIFY(!document.verifyOptions().detachedPayload);
    }

    void saysInvalidSignatureForAWrongSecret()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QStringLiteral("another-secret-of-32-bytes-here!"), SecretEncoding::Text);
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Invalid:")), qPrintable(panel.resultText()));
        QVERIFY(panel.resultText().contains(QLatin1String("signature")));
        QVERIFY(!panel.resultText().contains(QLatin1String("verified with")));
    }

    void readsHexSecrets()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret.toHex()), SecretEncoding::Hex);
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Valid:")), qPrintable(panel.resultText()));
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
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Valid:")), qPrintable(panel.resultText()));

        // Another key of the same kind, pasted by the user, does not verify it: that is a failure.
        panel.keyInput()->setKeyText(QString::fromLatin1(exportPublicPem(generated(QStringLiteral("ES256")))));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Invalid:")), qPrintable(panel.resultText()));
    }

    void anOpenedKeyFileIsNamedAsSuchUntilEdited()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        const Key key = generated(QStringLiteral("ES256"));
        document.setText(sign(R"({"sub":"a"})", key, QStringLiteral("ES256")));
        QTemporaryDir folder;
        const QString path = folder.filePath(QStringLiteral("signer.pem"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(exportPublicPem(key));
        file.close();

        FileDialogs::setNextFileName(path);
        panel.keyInput()->openFile();
        const Verdict& verdict = document.verdict();
        QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
        QCOMPARE(verdict.key->metadata.provenance.kind, KeyProvenance::Kind::File);
        QCOMPARE(verdict.key->metadata.provenance.file, path);
        QVERIFY(verdict.key->metadata.provenance.chosenByUser);

        // Edited here, it is no longer the file's key: it is one typed here.
        auto* edit = panel.findChild<QPlainTextEdit*>(QStringLiteral("verifyKeyEdit"));
        edit->setPlainText(edit->toPlainText() + QLatin1Char('\n'));
        QVERIFY2(document.verdict().isValid(), qPrintable(document.verdict().headline));
        QCOMPARE(document.verdict().key->metadata.provenance.kind, KeyProvenance::Kind::Typed);
    }

    void saysWhenTheKeyDoesNotFitTheAlg()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", generated(QStringLiteral("PS256")), QStringLiteral("PS256")));
        panel.keyInput()->setKeyText(QString::fromLatin1(exportPublicPem(generated(QStringLiteral("ES256")))));
        const QString result = panel.resultText();
        QVERIFY2(!result.startsWith(QLatin1String("Valid")), qPrintable(result));
        QVERIFY2(result.contains(QLatin1String("PS256")) || result.contains(QLatin1String("EC")), qPrintable(result));
    }

    void saysUnsecuredTokensHaveNothingToVerify()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(QString::fromLatin1(Base64Url::encode(R"({"alg":"none"})") + '.'
                                             + Base64Url::encode(R"({"sub":"a"})") + '.'));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Unsecured:")), qPrintable(panel.resultText()));
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Unsecured);
    }

    void unsecuredTokensSayItPlainlyInRedAndTurnTheKeyBoxOff()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        auto* kind = panel.findChild<QComboBox*>(QStringLiteral("verifyKeyKind"));
        auto* status = panel.findChild<QLabel*>(QStringLiteral("verifyKeyStatus"));
        document.setText(QString::fromLatin1(Base64Url::encode(R"({"alg":"none"})") + '.'
                                             + Base64Url::encode(R"({"sub":"a"})") + '.'));
        // The headline says what matters most about it, in the error colours (never amber).
        QVERIFY2(panel.headline().startsWith(QStringLiteral("Unsecured: alg none — anyone can write this token")),
                 qPrintable(panel.headline()));
        auto* result = panel.findChild<QLabel*>(QStringLiteral("verifyResult"));
        QCOMPARE(result->palette().color(QPalette::Window), Palette::background(Palette::Role::Error));
        // No key can verify it: the key box is off, and says why.
        QVERIFY(!kind->isEnabled());
        QVERIFY(!panel.secretInput()->isEnabled());
        QVERIFY(!status->isHidden());
        QVERIFY2(status->text().contains(QLatin1String("alg none")), qPrintable(status->text()));
        QCOMPARE(status->accessibleName(), status->text());

        // A signed token turns it back on.
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        QVERIFY(kind->isEnabled());
        QVERIFY(panel.secretInput()->isEnabled());
    }

    void everyPromptMatchesTheKindOfKeyChosen()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        panel.show();
        auto* status = panel.findChild<QLabel*>(QStringLiteral("verifyKeyStatus"));
        // Every text the panel shows or gives a screen reader, visible widgets only.
        auto shownTexts = [&panel] {
            QStringList texts;
            for (QWidget* widget : panel.findChildren<QWidget*>()) {
                if (!widget->isVisibleTo(&panel))
                    continue;
                texts << widget->accessibleName();
                if (auto* label = qobject_cast<QLabel*>(widget))
                    texts << label->text();
                if (auto* line = qobject_cast<QLineEdit*>(widget))
                    texts << line->placeholderText();
                if (auto* edit = qobject_cast<QPlainTextEdit*>(widget))
                    texts << edit->placeholderText();
            }
            return texts.join(QLatin1Char('\n'));
        };

        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));
        QCOMPARE(panel.keyKind(), VerifyPanel::KeyKind::Secret);
        QVERIFY2(status->text().contains(QLatin1String("secret")), qPrintable(status->text()));
        // Nothing asks for a public key, a PEM or a key file while the kind is a secret.
        for (const QString& word : {QStringLiteral("public key"), QStringLiteral("PEM"), QStringLiteral("key file")})
            QVERIFY2(!shownTexts().contains(word, Qt::CaseInsensitive),
                     qPrintable(word + QStringLiteral(" in: ") + shownTexts()));

        panel.setKeyKind(VerifyPanel::KeyKind::PublicKey);
        QVERIFY2(status->text().contains(QLatin1String("public key")), qPrintable(status->text()));
        QVERIFY2(!status->text().contains(QLatin1String("secret"), Qt::CaseInsensitive), qPrintable(status->text()));
        QVERIFY2(!shownTexts().contains(QLatin1String("shared secret")), qPrintable(shownTexts()));

        // Once a key is given, the status names the key instead of asking for one.
        panel.setKeyKind(VerifyPanel::KeyKind::Secret);
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        QVERIFY2(status->text().startsWith(QLatin1String("HMAC")), qPrintable(status->text()));
    }

    void reportsAKeyItCannotRead()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", generated(QStringLiteral("ES256")), QStringLiteral("ES256")));
        panel.keyInput()->setKeyText(
            QStringLiteral("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n"));
        // Said beside the key, and as the verdict's decisive reason: not "no key given".
        auto* status = panel.findChild<QLabel*>(QStringLiteral("verifyKeyStatus"));
        QVERIFY2(status->text().startsWith(QLatin1String("Key not usable")), qPrintable(status->text()));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Not verified: the key given is not usable")),
                 qPrintable(panel.resultText()));
        QVERIFY2(!panel.resultText().contains(QLatin1String("no key given")), qPrintable(panel.resultText()));
        QCOMPARE(document.verdict().check(u"key-fits")->state, CheckState::Failed);
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
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Invalid:")), qPrintable(panel.resultText()));
        QVERIFY(panel.resultText().contains(QLatin1String("expired")));

        panel.findChild<QSpinBox*>(QStringLiteral("verifyLeeway"))->setValue(60);
        QVERIFY2(checkLines(panel).join(QLatin1Char('\n')).contains(QLatin1String("exp passed")),
                 qPrintable(checkLines(panel).join(QLatin1Char('\n'))));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Valid:")), qPrintable(panel.resultText()));

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
        QVERIFY(!panel.resultText().startsWith(QLatin1String("Valid")));
        panel.setExtraKeys({storedKey(key.publicOnly())}, QStringLiteral("Keychain"));
        auto* check = panel.findChild<QCheckBox*>(QStringLiteral("verifyExtraKeys"));
        QVERIFY(!check->isHidden());
        QVERIFY(check->text().contains(QLatin1String("Keychain")));
        QVERIFY2(panel.resultText().startsWith(QLatin1String("Valid:")), qPrintable(panel.resultText()));
        check->setChecked(false);
        QVERIFY(!panel.resultText().startsWith(QLatin1String("Valid")));
    }

    void storedKeysThatDoNotVerifyLeaveTheTokenNotVerifiedAndAmber()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        document.setText(sign(R"({"sub":"a"})", generated(QStringLiteral("ES256")), QStringLiteral("ES256")));
        // A stored key that fits ES256 but did not sign it, and one that does not fit at all.
        panel.setExtraKeys({storedKey(generated(QStringLiteral("ES256")).publicOnly()), storedKey(secretKey())},
                           QStringLiteral("Key store"));
        QCOMPARE(document.verdict().outcome, VerdictOutcome::NotVerified);
        QVERIFY2(panel.headline().startsWith(QLatin1String("Not verified")), qPrintable(panel.headline()));
        auto* result = panel.findChild<QLabel*>(QStringLiteral("verifyResult"));
        QCOMPARE(result->palette().color(QPalette::Window), Palette::background(Palette::Role::Warning));
        // No check of the verdict is shown as failed on their account.
        for (const QString& line : panel.checkLines())
            QVERIFY2(!line.startsWith(QStringLiteral("✗")), qPrintable(line));
    }

    void theHeadlineIsTheResultsAccessibleNameAndIsReadFirst()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        VerifyPanel panel(&document);
        const QByteArray payload = "{\"exp\":" + QByteArray::number(kNow - 7200) + "}";
        document.setText(sign(payload, secretKey(), QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        auto* result = panel.findChild<QLabel*>(QStringLiteral("verifyResult"));
        QCOMPARE(result->accessibleName(), document.verdict().headline);
        QVERIFY2(result->accessibleName().startsWith(QLatin1String("Invalid: expired")),
                 qPrintable(result->accessibleName()));
        QVERIFY(result->accessibleName() != QLatin1String("Verification result"));
        // The rest (the key, why it failed) is the description, read after it.
        QVERIFY2(result->accessibleDescription().contains(document.verdict().keyProvenance),
                 qPrintable(result->accessibleDescription()));
    }

    void whyItFailedFollowsTheHeadline()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        // Signed with the bytes a base64url text stands for; the user types that text as text.
        const QByteArray text = "c2VjcmV0LWJ5dGVzLXRoYXQtYXJlLTMyLWxvbmctb2sh";
        const Key signer = importSecret(text, SecretEncoding::Base64).value();
        document.setText(sign(R"({"sub":"a"})", signer, QStringLiteral("HS256")));
        panel.secretInput()->setSecret(QString::fromLatin1(text), SecretEncoding::Text);
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Invalid);
        QVERIFY(!document.verdict().diagnosis.empty());
        const QStringList lines = panel.resultText().split(QLatin1Char('\n'));
        QVERIFY2(lines.size() >= 3, qPrintable(panel.resultText()));
        QCOMPARE(lines[0], document.verdict().headline);
        QCOMPARE(lines[1], QStringLiteral("Why it failed:"));
        QCOMPARE(lines[2], document.verdict().diagnosis.front().message);
        // Then the key that failed, and where it came from.
        QVERIFY2(panel.resultText().contains(QLatin1String("Checked with")), qPrintable(panel.resultText()));
    }

    void aMalformedTokensUncheckedChecksShareOneLine()
    {
        TokenDocument document;
        VerifyPanel panel(&document);
        // Three parts, so a token by its shape, but its payload is no base64url: nothing in it can be checked.
        document.setText(QString::fromLatin1(Base64Url::encode(R"({"alg":"HS256"})")) + QStringLiteral(".!!!.c2ln"));
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Malformed);
        QVERIFY(!document.isNotAToken());
        int notChecked = 0;
        for (const VerdictCheck& check : document.verdict().checks)
            notChecked += check.state == CheckState::NotChecked;
        QVERIFY(notChecked >= 2);
        auto* list = panel.findChild<QListWidget*>(QStringLiteral("verifyChecks"));
        const QStringList lines = checkLines(panel);
        QCOMPARE(lines.size(), int(document.verdict().checks.size()) - notChecked + 1);
        QList<QListWidgetItem*> folded;
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->text().startsWith(QStringLiteral("○")))
                folded << list->item(i);
        }
        QVERIFY2(folded.size() == 1, qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(
            folded.front()->text().startsWith(QStringLiteral("○ Not checked — the token cannot be read: signature, "
                                                             "algorithm allowed, key fits, exp")),
            qPrintable(folded.front()->text()));
        // Every check it stands for stays reachable: named in what a screen reader hears, and by name.
        const QString heard = folded.front()->data(Qt::AccessibleTextRole).toString();
        QVERIFY2(heard.startsWith(QLatin1String("Not checked")), qPrintable(heard));
        const QStringList names = folded.front()->data(Qt::UserRole).toStringList();
        QCOMPARE(names.size(), notChecked);
        for (const QString& title : {QStringLiteral("signature"), QStringLiteral("algorithm allowed"),
                                     QStringLiteral("key fits"), QStringLiteral("exp"), QStringLiteral("typ")})
            QVERIFY2(heard.contains(title), qPrintable(heard));
    }

    void aPassedCheckIsGreenOnlyUnderAValidVerdict()
    {
        TokenDocument document;
        document.setNowOverride(kNow);
        VerifyPanel panel(&document);
        auto* list = panel.findChild<QListWidget*>(QStringLiteral("verifyChecks"));
        auto itemOf = [list](const QString& name) -> QListWidgetItem* {
            for (int i = 0; i < list->count(); ++i) {
                if (list->item(i)->data(Qt::UserRole).toString() == name)
                    return list->item(i);
            }
            return nullptr;
        };
        const QColor green = Palette::text(Palette::Role::Valid);
        document.setText(sign(R"({"sub":"a"})", secretKey(), QStringLiteral("HS256")));

        // Another secret: the signature fails, the alg was still allowed; that pass is not shown as good news.
        panel.secretInput()->setSecret(QStringLiteral("another-secret-of-32-bytes-long!"), SecretEncoding::Text);
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Invalid);
        QListWidgetItem* alg = itemOf(QStringLiteral("alg-allowed"));
        QVERIFY(alg);
        QVERIFY2(alg->text().startsWith(QStringLiteral("✓ algorithm allowed passed")), qPrintable(alg->text()));
        QVERIFY(alg->foreground().color() != green);

        // No key at all: not verified, and no pass is green either.
        panel.clearKeys();
        QCOMPARE(document.verdict().outcome, VerdictOutcome::NotVerified);
        for (int i = 0; i < list->count(); ++i)
            QVERIFY2(list->item(i)->foreground().color() != green, qPrintable(list->item(i)->text()));

        // The right secret: the verdict is valid, and its passes are green.
        panel.secretInput()->setSecret(QString::fromLatin1(kSecret), SecretEncoding::Text);
        QCOMPARE(document.verdict().outcome, VerdictOutcome::Valid);
        alg = itemOf(QStringLiteral("alg-allowed"));
        QVERIFY(alg);
        QCOMPARE(alg->foreground().color(), green);
        QCOMPARE(itemOf(QStringLiteral("signature"))->foreground().color(), green);
    }
};

QTEST_MAIN(TestVerifyPanel)
#include "TestVerifyPanel.moc"
