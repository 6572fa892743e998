// The key store's keys reach the verify panel as stored keys (provenance Keychain, not chosen by the user): a token
// whose kid names a stored key verifies with it, and the verdict names that key and its place in the store.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "keys/KeystoreVerifyBridge.h"
#include "keystore/KeyStore.h"
#include "verify/VerifyPanel.h"

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
    KeychainTestFixture m_keychain;
};

void TestKeystoreVerifyBridge::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    KeychainTestFixture::clearIndex();
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
    const Verdict& verdict = document.verdict();
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    // The verdict names the stored key and where it lives; it was not the user's pick, the token's kid picked it.
    QVERIFY(verdict.key);
    const KeyProvenance& provenance = verdict.key->metadata.provenance;
    QCOMPARE(provenance.kind, KeyProvenance::Kind::Keychain);
    QVERIFY(!provenance.chosenByUser);
    QCOMPARE(provenance.keyName, QStringLiteral("hmac signer"));
    const auto record = std::find_if(store.records().begin(), store.records().end(),
                                     [](const KeyRecord& r) { return r.kid == QLatin1String("hmac-1"); });
    QVERIFY(record != store.records().end());
    QCOMPARE(provenance.keyId, record->id);
    QCOMPARE(provenance.status, keyStatusName(record->status));
    QVERIFY2(panel.resultText().contains(verdict.keyProvenance), qPrintable(panel.resultText()));
    QVERIFY2(verdict.keyProvenance.contains(QLatin1String("hmac signer")), qPrintable(verdict.keyProvenance));
}

QTEST_MAIN(TestKeystoreVerifyBridge)
#include "TestKeystoreVerifyBridge.moc"
