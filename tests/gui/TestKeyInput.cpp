// The key field reads its keys once per change, in the core: quick input at once, input that may be slow (a
// passphrase to derive a key from, a big JWKS) off the UI thread once typing pauses, the old keys kept meanwhile.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Jwk.h"
#include "verify/KeyInput.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>

using namespace jwti;

namespace {

Key generated(const KeySpec& spec)
{
    auto key = generateKey(spec);
    return key ? *key : Key();
}

} // namespace

class TestKeyInput : public QObject
{
    Q_OBJECT

private slots:
    void readsAQuickKeyAtOnce()
    {
        KeyInput input(QStringLiteral("key"), QStringLiteral("key"));
        QSignalSpy changed(&input, &KeyInput::changed);
        const Key key = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
        input.setKeyText(QString::fromLatin1(exportPublicPem(key)));
        QVERIFY(!input.isReading());
        QCOMPARE(changed.count(), 1);
        QVERIFY(input.keys().ok());
        QCOMPARE(input.keys()->size(), std::size_t(1));
        QCOMPARE(input.keys()->front().metadata.provenance.kind, KeyProvenance::Kind::Typed);
    }

    void derivesAPassphraseOffTheUiThread()
    {
        KeyInput input(QStringLiteral("key"), QStringLiteral("key"));
        const Key key = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
        const SecretBytes passphrase(QByteArrayLiteral("correct horse"));
        const Result<QByteArray> pem = exportPrivatePem(key, passphrase);
        QVERIFY(pem.ok());
        input.setKeyText(QString::fromLatin1(*pem));
        QCOMPARE(input.keys().code(), ErrorCode::PassphraseRequired);
        auto* field = input.findChild<QLineEdit*>(QStringLiteral("keyPassphrase"));
        QVERIFY(field);
        QVERIFY(!field->isHidden());

        QSignalSpy changed(&input, &KeyInput::changed);
        field->setText(QStringLiteral("correct horse"));
        // Not read on the UI thread: the answer comes later, and the field says what it knew until then.
        QVERIFY(input.isReading());
        QCOMPARE(changed.count(), 0);
        QCOMPARE(input.keys().code(), ErrorCode::PassphraseRequired);
        QVERIFY(changed.wait(30000));
        QVERIFY(!input.isReading());
        QVERIFY2(input.keys().ok(), qPrintable(input.keys().ok() ? QString() : input.keys().message()));
        QVERIFY(input.keys()->front().hasPrivate());
    }

    void readsABigJwksOffTheUiThread()
    {
        std::vector<Key> keys;
        QByteArray jwks;
        for (int i = 0; jwks.size() <= kQuickImportBytes; ++i) {
            Key key = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")}).publicOnly();
            key.metadata.kid = QStringLiteral("k%1").arg(i);
            keys.push_back(key);
            jwks = exportJwks(keys);
        }
        KeyInput input(QStringLiteral("key"), QStringLiteral("key"));
        QSignalSpy changed(&input, &KeyInput::changed);
        input.setKeyText(QString::fromUtf8(jwks));
        QVERIFY(input.isReading());
        QVERIFY(changed.wait(30000));
        QVERIFY(input.keys().ok());
        QCOMPARE(input.keys()->size(), keys.size());
    }

    void aNewEditSupersedesTheReadingBeforeIt()
    {
        const Key key = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
        const Result<QByteArray> pem = exportPrivatePem(key, SecretBytes(QByteArrayLiteral("pass")));
        QVERIFY(pem.ok());
        KeyInput input(QStringLiteral("key"), QStringLiteral("key"));
        input.setKeyText(QString::fromLatin1(*pem));
        auto* field = input.findChild<QLineEdit*>(QStringLiteral("keyPassphrase"));
        QSignalSpy changed(&input, &KeyInput::changed);
        field->setText(QStringLiteral("wrong"));
        field->setText(QStringLiteral("pass"));
        QVERIFY(changed.wait(30000));
        // One answer, for the last passphrase.
        QCOMPARE(changed.count(), 1);
        QVERIFY(input.keys().ok());
        // Emptied, the field has no keys at once.
        input.clear();
        QVERIFY(!input.isReading());
        QVERIFY(input.keys().ok() && input.keys()->empty());
    }
};

QTEST_MAIN(TestKeyInput)
#include "TestKeyInput.moc"
