// The decrypt panel on its own document: a typed key of each family decrypts a compact JWE (RSA-OAEP, ECDH-ES, A*KW,
// dir, PBES2) and the panel offers the kind of key the alg needs; a wrong key is a clear failure with no plaintext;
// a JSON plaintext keeps its key order; a nested JWS shows its own verdict with the verify panel's keys and opens
// as the window's token; the verdict label is read as its text.
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "shell/MainWindow.h"
#include "shell/Palette.h"
#include "token/JsonView.h"
#include "verify/KeyInput.h"
#include "verify/SecretInput.h"

#include <QDateTime>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;

namespace {

QString fixtureText(const char* name)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing key fixture %s", name);
    return QString::fromLatin1(file.readAll());
}

Key fixtureKey(const char* name)
{
    return importKeys(fixtureText(name).toLatin1()).value().front();
}

QString encrypt(const QByteArray& plaintext, const Key& key, const QString& alg, const QString& enc,
                const QString& cty = {})
{
    JweEncryptOptions options;
    options.alg = alg;
    options.enc = enc;
    options.cty = cty;
    options.p2c = 1000;
    auto token = encryptJwe(plaintext, key, options);
    if (!token)
        qFatal("%s", qPrintable(token.message()));
    return QString::fromLatin1(*token);
}

// Gives the panel its key the way a user does: the kind of key, then the text in its box.
void typeKey(DecryptPanel& panel, DecryptPanel::KeyKind kind, const QString& text)
{
    panel.setKeyKind(kind);
    switch (kind) {
    case DecryptPanel::KeyKind::PrivateKey:
        panel.keyInput()->setKeyText(text);
        break;
    case DecryptPanel::KeyKind::Secret:
        panel.secretInput()->setSecret(text, SecretEncoding::Hex);
        break;
    case DecryptPanel::KeyKind::Password:
        panel.passwordInput()->setSecret(text, SecretEncoding::Text);
        break;
    }
}

} // namespace

Q_DECLARE_METATYPE(jwti::DecryptPanel::KeyKind)

class TestDecryptPanel : public QObject
{
    Q_OBJECT

private slots:
    void typedKeyDecryptsEachFamily_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addColumn<DecryptPanel::KeyKind>("kind");
        QTest::addColumn<QString>("keyText");
        const Key rsa = fixtureKey("rsa2048-pkcs8.pem");
        const Key ec = fixtureKey("ec-p256-pkcs8.pem");
        const QByteArray aes(16, 'k');
        const QByteArray dir(32, 'd');
        QTest::newRow("RSA-OAEP") << encrypt("hello", rsa.publicOnly(), "RSA-OAEP", "A256GCM")
                                  << DecryptPanel::KeyKind::PrivateKey << fixtureText("rsa2048-pkcs8.pem");
        QTest::newRow("ECDH-ES") << encrypt("hello", ec.publicOnly(), "ECDH-ES", "A128GCM")
                                 << DecryptPanel::KeyKind::PrivateKey << fixtureText("ec-p256-pkcs8.pem");
        QTest::newRow("A128KW") << encrypt("hello", Key::fromSecret(SecretBytes(aes)), "A128KW", "A128CBC-HS256")
                                << DecryptPanel::KeyKind::Secret << QString::fromLatin1(aes.toHex());
        QTest::newRow("dir") << encrypt("hello", Key::fromSecret(SecretBytes(dir)), "dir", "A128CBC-HS256")
                             << DecryptPanel::KeyKind::Secret << QString::fromLatin1(dir.toHex());
        QTest::newRow("PBES2") << encrypt("hello", Key::fromSecret(SecretBytes(QByteArrayLiteral("correct horse"))),
                                          "PBES2-HS256+A128KW", "A128GCM")
                               << DecryptPanel::KeyKind::Password << QStringLiteral("correct horse");
    }

    void typedKeyDecryptsEachFamily()
    {
        QFETCH(QString, token);
        QFETCH(DecryptPanel::KeyKind, kind);
        QFETCH(QString, keyText);
        TokenDocument document;
        DecryptPanel panel(&document);
        document.setText(token);
        // Before any key: the panel offers the kind of key the alg needs, and says nothing is decrypted yet.
        QCOMPARE(panel.keyKind(), kind);
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.verdict().outcome, DecryptionOutcome::NotDecrypted);
        QVERIFY2(panel.headline().startsWith(QStringLiteral("Not decrypted: no key given")),
                 qPrintable(panel.headline()));

        typeKey(panel, kind, keyText);
        QTRY_VERIFY(!panel.isBusy());
        QVERIFY2(panel.verdict().isDecrypted(), qPrintable(panel.headline()));
        QVERIFY(panel.headline().startsWith(QStringLiteral("Decrypted: ")));
        QVERIFY(panel.headline().contains(QStringLiteral("typed here")));
        QCOMPARE(panel.plaintextView()->text(), QStringLiteral("hello"));
        QCOMPARE(panel.checkLines().size(), 7);
        QVERIFY(panel.checkLines().at(3).startsWith(QStringLiteral("✓ authentication tag passed")));
        // Decrypted: its passes are green.
        QCOMPARE(panel.findChild<QListWidget*>(QStringLiteral("decryptChecks"))->item(3)->foreground().color(),
                 Palette::text(Palette::Role::Valid));
        // Read aloud as what it says.
        auto* result = panel.findChild<QLabel*>(QStringLiteral("decryptResult"));
        QCOMPARE(result->accessibleName(), panel.headline());
    }

    // The window's status bar speaks of a JWE in the decrypt panel's words: never "not verified", which is for a
    // signed token.
    void statusBarSaysWhatTheDecryptPanelDecided()
    {
        QStandardPaths::setTestModeEnabled(true);
        MainWindow window(MainWindow::Options::NoSettings);
        auto* summary = window.findChild<QLabel*>(QStringLiteral("statusSummary"));
        QVERIFY(summary);
        window.loadToken(
            encrypt("{\"sub\":\"1\"}", Key::fromSecret(SecretBytes(QByteArray(32, 'd'))), "dir", "A128CBC-HS256"));
        QTRY_VERIFY(summary->text().startsWith(QStringLiteral("not decrypted · dir · encrypted (JWE)")));
        typeKey(*window.decryptPanel(), DecryptPanel::KeyKind::Secret,
                QString::fromLatin1(QByteArray(32, 'd').toHex()));
        QTRY_VERIFY2(summary->text().startsWith(QStringLiteral("decrypted · dir · encrypted (JWE)")),
                     qPrintable(summary->text()));
        QVERIFY(!summary->text().contains(QStringLiteral("verified")));
    }

    void wrongKeyIsAClearFailure()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        document.setText(
            encrypt("secret stuff", Key::fromSecret(SecretBytes(QByteArray(32, 'd'))), "dir", "A128CBC-HS256"));
        typeKey(panel, DecryptPanel::KeyKind::Secret, QString::fromLatin1(QByteArray(32, 'e').toHex()));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.verdict().outcome, DecryptionOutcome::Failed);
        QVERIFY2(panel.headline().startsWith(QStringLiteral("Failed: the token does not decrypt with this key")),
                 qPrintable(panel.headline()));
        QVERIFY(panel.checkLines().at(3).startsWith(QStringLiteral("✗ authentication tag failed")));
        // The passes beside that failure (the alg, the key's kind) are not shown as good news.
        auto* list = panel.findChild<QListWidget*>(QStringLiteral("decryptChecks"));
        QVERIFY(list->item(0)->text().startsWith(QStringLiteral("✓ algorithm allowed passed")));
        for (int i = 0; i < list->count(); ++i)
            QVERIFY2(list->item(i)->foreground().color() != Palette::text(Palette::Role::Valid),
                     qPrintable(list->item(i)->text()));
        QVERIFY(!panel.plaintextView()->isVisibleTo(&panel));
        QVERIFY(!panel.plaintextView()->text().contains(QStringLiteral("secret stuff")));

        // An RSA key for an AES token does not fit: not decrypted, never "failed".
        typeKey(panel, DecryptPanel::KeyKind::PrivateKey, fixtureText("rsa2048-pkcs8.pem"));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.verdict().outcome, DecryptionOutcome::NotDecrypted);
    }

    void jsonPlaintextKeepsItsKeyOrder()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        const QByteArray dir(32, 'd');
        document.setText(encrypt(R"({"zeta":1,"alpha":2})", Key::fromSecret(SecretBytes(dir)), "dir", "A256GCM"));
        typeKey(panel, DecryptPanel::KeyKind::Secret, QString::fromLatin1(dir.toHex()));
        QTRY_VERIFY(!panel.isBusy());
        QVERIFY(panel.verdict().isDecrypted());
        const QString text = panel.plaintextView()->text();
        QVERIFY2(text.indexOf(QLatin1String("zeta")) >= 0
                     && text.indexOf(QLatin1String("zeta")) < text.indexOf(QLatin1String("alpha")),
                 qPrintable(text));
        QCOMPARE(panel.plaintextView()->content(), JsonView::Content::Json);
    }

    void nestedJwsShowsItsOwnVerdictAndOpens()
    {
        const Key hmac = Key::fromSecret(SecretBytes(QByteArray(32, 's')));
        SignOptions sign;
        sign.alg = QStringLiteral("HS256");
        // Timed claims: the inner verdict is judged by the document's clock, not the epoch.
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        const QByteArray claims
            = QStringLiteral(R"({"sub":"inner","iat":%1,"exp":%2})").arg(now - 60).arg(now + 3600).toUtf8();
        const QByteArray inner = signToken(claims, hmac, sign).value();
        const QByteArray dir(32, 'd');
        TokenDocument document;
        DecryptPanel panel(&document);
        panel.show();
        document.setText(encrypt(inner, Key::fromSecret(SecretBytes(dir)), "dir", "A128CBC-HS256", "JWT"));
        typeKey(panel, DecryptPanel::KeyKind::Secret, QString::fromLatin1(dir.toHex()));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.verdict().nested, NestedKind::Jws);
        auto* innerLabel = panel.findChild<QLabel*>(QStringLiteral("decryptInner"));
        QVERIFY(innerLabel->isVisible());
        QVERIFY2(innerLabel->text().contains(QStringLiteral("Not verified")), qPrintable(innerLabel->text()));

        // The verify panel's keys verify the inner token; the decrypting key never does.
        document.setKeys({hmac});
        QTRY_VERIFY(!panel.isBusy());
        QTRY_VERIFY2(innerLabel->text().contains(QStringLiteral("Valid: signature verified")),
                     qPrintable(innerLabel->text()));

        QSignalSpy opened(&panel, &DecryptPanel::innerTokenRequested);
        panel.findChild<QPushButton*>(QStringLiteral("decryptOpenInner"))->click();
        QCOMPARE(opened.size(), 1);
        QCOMPARE(opened.front().front().toString(), QString::fromLatin1(inner));
    }

    void aJwsIsNothingToDecrypt()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        SignOptions sign;
        sign.alg = QStringLiteral("HS256");
        document.setText(
            QString::fromLatin1(signToken("{}", Key::fromSecret(SecretBytes(QByteArray(32, 's'))), sign).value()));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.headline(), QStringLiteral("Nothing to decrypt."));
        QVERIFY(panel.checkLines().isEmpty());
    }

    void aMalformedJwesUncheckedChecksShareOneLine()
    {
        TokenDocument document;
        DecryptPanel panel(&document);
        // Five parts, so a JWE by its shape, but its header asks for an extension nobody understands (RFC 7516
        // §4.1.13).
        const QByteArray header = Base64Url::encode(R"({"alg":"dir","enc":"A128GCM","crit":["x-new"],"x-new":1})");
        document.setText(QString::fromLatin1(header + "..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA"));
        QTRY_VERIFY(!panel.isBusy());
        QCOMPARE(panel.verdict().outcome, DecryptionOutcome::Malformed);
        const QStringList lines = panel.checkLines();
        QStringList notCheckedLines;
        for (const QString& line : lines) {
            if (line.startsWith(QStringLiteral("○")))
                notCheckedLines << line;
        }
        QCOMPARE(notCheckedLines.size(), 1);
        QVERIFY2(notCheckedLines.front().startsWith(
                     QStringLiteral("○ Not checked: algorithm allowed, key fits, key unwrap or agreement, "
                                    "authentication tag, zip")),
                 qPrintable(lines.join(QLatin1Char('\n'))));
        auto* list = panel.findChild<QListWidget*>(QStringLiteral("decryptChecks"));
        QVERIFY(list);
        for (int i = 0; i < list->count(); ++i) {
            if (list->item(i)->text() == notCheckedLines.front())
                QCOMPARE(list->item(i)->data(Qt::AccessibleTextRole).toString(), notCheckedLines.front().mid(2));
        }
    }
};

QTEST_MAIN(TestDecryptPanel)
#include "TestDecryptPanel.moc"
