// The key store's encryption keys reach the decrypt panel, and only while a JWE is open: the token's kid picks the
// stored key when one has it, else the keys kept for its alg are offered; a JWS reads no encryption key at all, and
// the keys read for a JWE are dropped once another token is open.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/TokenDocument.h"
#include "decrypt/DecryptPanel.h"
#include "keys/KeystoreDecryptBridge.h"
#include "keystore/KeyStore.h"

#include <QSignalSpy>
#include <QTest>

using namespace jwti;

class TestKeystoreDecryptBridge : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void offersStoredEncryptionKeysOnlyForAJwe();

private:
    KeychainTestFixture m_keychain;
};

void TestKeystoreDecryptBridge::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    KeychainTestFixture::clearIndex();
}

namespace {

Key generateFor(const QString& alg)
{
    KeyRequest request;
    request.alg = alg;
    auto key = generateKeyForRequest(request);
    return key ? *key : Key();
}

QString encryptTo(const Key& key, const QString& alg, const QString& kid)
{
    JweEncryptOptions options;
    options.alg = alg;
    options.enc = QStringLiteral("A128GCM");
    options.kid = kid;
    auto token
        = encryptJwe(QByteArrayView("{\"sub\":\"1\"}"), key.type() == KeyType::Oct ? key : key.publicOnly(), options);
    return token ? QString::fromLatin1(*token) : QString();
}

} // namespace

void TestKeystoreDecryptBridge::offersStoredEncryptionKeysOnlyForAJwe()
{
    KeyStore store;
    const Key rsa = generateFor(QStringLiteral("RSA-OAEP-256"));
    const Key wrap = generateFor(QStringLiteral("A256KW"));
    const Key signing = keystoretest::generate(QStringLiteral("ES256"));
    QVERIFY(!rsa.isNull() && !wrap.isNull() && !signing.isNull());
    NewKeyOptions rsaOptions;
    rsaOptions.name = QStringLiteral("rsa decrypter");
    rsaOptions.kid = QStringLiteral("enc-1");
    rsaOptions.alg = QStringLiteral("RSA-OAEP-256");
    NewKeyOptions wrapOptions;
    wrapOptions.name = QStringLiteral("wrap key");
    wrapOptions.kid = QStringLiteral("wrap-1");
    wrapOptions.alg = QStringLiteral("A256KW");
    QVERIFY(keystoretest::await<KeyRecord>([&](QObject* c, auto done) { store.add(rsa, rsaOptions, c, done); }).ok());
    QVERIFY(keystoretest::await<KeyRecord>([&](QObject* c, auto done) { store.add(wrap, wrapOptions, c, done); }).ok());
    QVERIFY(keystoretest::await<KeyRecord>([&](QObject* c, auto done) { store.add(signing, {}, c, done); }).ok());

    TokenDocument document;
    DecryptPanel panel(&document);
    KeystoreDecryptBridge bridge(&store, &document, &panel);
    QSignalSpy offered(&bridge, &KeystoreDecryptBridge::keysOffered);
    document.setText(QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
    bridge.start();
    // A JWS asks for no encryption key.
    QCOMPARE(offered.count(), 0);
    QVERIFY(panel.keys().empty());

    // The kid picks the stored key, and the verdict names it and its place in the store.
    document.setText(encryptTo(rsa, QStringLiteral("RSA-OAEP-256"), QStringLiteral("enc-1")));
    QTRY_COMPARE_WITH_TIMEOUT(offered.count(), 1, 30000);
    QCOMPARE(offered.last().at(0).toInt(), 1);
    QVERIFY2(bridge.lastError().isEmpty(), qPrintable(bridge.lastError()));
    QTRY_VERIFY_WITH_TIMEOUT(panel.verdict().isDecrypted(), 30000);
    const DecryptionVerdict& verdict = panel.verdict();
    QVERIFY(verdict.key);
    QCOMPARE(verdict.key->metadata.provenance.kind, KeyProvenance::Kind::Keychain);
    QVERIFY(!verdict.key->metadata.provenance.chosenByUser);
    QCOMPARE(verdict.key->metadata.provenance.keyName, QStringLiteral("rsa decrypter"));
    QVERIFY2(verdict.keyProvenance.contains(QLatin1String("rsa decrypter")), qPrintable(verdict.keyProvenance));

    // No kid: the keys kept for the token's alg are offered, and only those.
    document.setText(encryptTo(wrap, QStringLiteral("A256KW"), QString()));
    QTRY_COMPARE_WITH_TIMEOUT(offered.count(), 2, 30000);
    QCOMPARE(offered.last().at(0).toInt(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(panel.verdict().isDecrypted(), 30000);
    QCOMPARE(panel.verdict().key->metadata.provenance.keyName, QStringLiteral("wrap key"));

    // Back to a JWS: the private parts read for the JWE are no longer held by the panel.
    document.setText(QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"));
    QVERIFY(panel.keys().empty());
}

QTEST_MAIN(TestKeystoreDecryptBridge)
#include "TestKeystoreDecryptBridge.moc"
