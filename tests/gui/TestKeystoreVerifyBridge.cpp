// The key store's keys reach the verify panel: a token whose kid names a stored key verifies with it, and the
// verdict names that key.

#include "KeyStore.h"
#include "KeystoreTestSupport.h"
#include "PrivateSecretService.h"
#include "VerifyPanel.h"
#include "jose/Jws.h"
#include "keys/KeystoreVerifyBridge.h"
#include "model/TokenDocument.h"

#include <QDir>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;

class TestKeystoreVerifyBridge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void offersStoredKeysAndTokenKidPicksOne();

private:
    PrivateSecretService m_service;
};

void TestKeystoreVerifyBridge::initTestCase()
{
    const QString problem = m_service.start();
    if (!problem.isEmpty())
        QFAIL(qPrintable(QStringLiteral("cannot start a private Secret Service: ") + problem));
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QStandardPaths::setTestModeEnabled(true);
    QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).removeRecursively();
}

void TestKeystoreVerifyBridge::offersStoredKeysAndTokenKidPicksOne()
{
    KeyStore store;
    const Key first = keystoretest::generate(QStringLiteral("ES256"));
    const Key second = keystoretest::generate(QStringLiteral("HS256"));
    NewKeyOptions options;
    options.name = QStringLiteral("hmac signer");
    options.kid = QStringLiteral("hmac-1");
    QVERIFY(keystoretest::await<KeyRecord>([&](QObject* c, auto done) { store.add(first, {}, c, done); }).ok());
    QVERIFY(keystoretest::await<KeyRecord>([&](QObject* c, auto done) { store.add(second, options, c, done); }).ok());

    TokenDocument document;
    VerifyPanel panel(&document);
    KeystoreVerifyBridge bridge(&store, &panel);
    QSignalSpy offered(&bridge, &KeystoreVerifyBridge::keysOffered);
    bridge.start();
    QVERIFY(offered.wait(30000));
    QCOMPARE(offered.last().at(0).toInt(), 2);
    QVERIFY(bridge.lastError().isEmpty());

    SignOptions signOptions;
    signOptions.alg = QStringLiteral("HS256");
    signOptions.kid = QStringLiteral("hmac-1");
    Key signingKey = second;
    const auto token = signToken(QByteArray(R"({"sub":"1"})"), signingKey, signOptions);
    QVERIFY(token.ok());
    document.setText(QString::fromLatin1(*token));
    QTRY_VERIFY(document.verifyResult().has_value());
    QVERIFY2(document.verifyResult()->valid, qPrintable(document.verifyResult()->reason));
    QVERIFY(panel.resultText().contains(QLatin1String("hmac signer"))
            || document.verifyResult()->signatures.front().key->metadata.source.contains(QLatin1String("hmac signer")));
}

QTEST_MAIN(TestKeystoreVerifyBridge)
#include "TestKeystoreVerifyBridge.moc"
