// The key store against a real Secret Service (a private gnome-keyring): secrets in the keychain, public parts in
// the index, rotation, retirement, deletion, and no key material in any file of the application.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"
#include "keystore/SecretPack.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <optional>

using namespace jwti;
using keystoretest::await;

class TestKeyStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void windowAndCommandLineShareOneIndex();
    void storesSecretInKeychainAndPublicPartsInIndex_data();
    void storesSecretInKeychainAndPublicPartsInIndex();
    void defaultsKidToThumbprintAndHmacKidToRandomId();
    void refusesSecondKeyWithSameKidInSet();
    void rotatesSetAndPublishesBothKeysUntilRetired();
    void refusesToRetireActiveKey();
    void deletesKeychainEntryAndIndexEntry();
    void loadsVerificationKeysByKidWithHmacSecretFromKeychain();
    void keepsKeyPendingWhenIndexCannotBeWrittenAndRetryStoresIt();
    void abandonsKeychainJobThatDoesNotAnswerInTime();
    void refusesIndexFromNewerSchema();
    void waitsForAPackLockOffTheCallersThread();

private:
    QStringList appFolders() const;
    QList<QByteArray> materialOf(const Key& key) const;

    KeychainTestFixture m_keychain;
};

void TestKeyStore::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    QStandardPaths::setTestModeEnabled(true);
}

// The window sets an organization name, the command line does not; both must still read and write the same index.
void TestKeyStore::windowAndCommandLineShareOneIndex()
{
    const QString commandLine = KeyIndex::defaultPath();
    QCoreApplication::setOrganizationName(QStringLiteral("jwt-inspector"));
    const QString window = KeyIndex::defaultPath();
    QCoreApplication::setOrganizationName(QString());
    QCOMPARE(window, commandLine);
    QVERIFY2(commandLine.endsWith(QLatin1String("/jwt-inspector/keys.json")), qPrintable(commandLine));
}

void TestKeyStore::init()
{
    for (const QString& folder : appFolders())
        QDir(folder).removeRecursively();
}

QStringList TestKeyStore::appFolders() const
{
    return {QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
            QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation),
            QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)};
}

// Every spelling of the key's secret part a leak could take: raw DER, its base64 (the keychain's own form), the
// PEM, and the private JWK member in base64url, base64 and hex.
QList<QByteArray> TestKeyStore::materialOf(const Key& key) const
{
    QList<QByteArray> needles;
    if (key.type() == KeyType::Oct) {
        const QByteArray secret(key.secret().data(), key.secret().size());
        needles << secret << secret.toBase64()
                << secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) << secret.toHex();
        return needles;
    }
    const auto der = exportPrivateDer(key);
    if (der) {
        const QByteArray bytes(der->data(), der->size());
        needles << bytes << bytes.toBase64();
    }
    if (const auto pem = exportPrivatePem(key))
        needles << *pem;
    const QJsonObject jwk = QJsonDocument::fromJson(exportJwk(key, true)).object();
    const QByteArray d = jwk.value(QStringLiteral("d")).toString().toLatin1();
    const QByteArray dBytes = QByteArray::fromBase64(d, QByteArray::Base64UrlEncoding);
    needles << d << dBytes.toBase64() << dBytes.toHex();
    return needles;
}

void TestKeyStore::storesSecretInKeychainAndPublicPartsInIndex_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("kty");
    QTest::newRow("RS256 2048-bit") << QStringLiteral("RS256") << QStringLiteral("RSA");
    QTest::newRow("ES256 P-256") << QStringLiteral("ES256") << QStringLiteral("EC");
    QTest::newRow("ES512 P-521") << QStringLiteral("ES512") << QStringLiteral("EC");
    QTest::newRow("EdDSA Ed25519") << QStringLiteral("EdDSA") << QStringLiteral("OKP");
    QTest::newRow("HS256 secret") << QStringLiteral("HS256") << QStringLiteral("oct");
    QTest::newRow("HS512 secret") << QStringLiteral("HS512") << QStringLiteral("oct");
}

void TestKeyStore::storesSecretInKeychainAndPublicPartsInIndex()
{
    QFETCH(QString, alg);
    QFETCH(QString, kty);
    const Key key = keystoretest::generate(alg);
    QVERIFY(!key.isNull());

    KeyStore store;
    NewKeyOptions options;
    options.name = QStringLiteral("signer");
    options.keySet = QStringLiteral("api");
    const auto stored = await<KeyRecord>([&](QObject* context, auto done) { store.add(key, options, context, done); });
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.message()));
    QCOMPARE(stored->alg, alg);
    QCOMPARE(stored->kty, kty);
    QCOMPARE(stored->status, KeyStatus::Active);
    QVERIFY(stored->hasSecret);

    // The keychain holds exactly the material: PKCS#8 DER, or the HMAC secret itself.
    const QByteArray inKeychain = keystoretest::secretToolLookup(stored->id);
    QVERIFY2(!inKeychain.isEmpty(), "secret-tool finds no entry key/<id> for service jwt-inspector");
    if (kty == QLatin1String("oct")) {
        QCOMPARE(inKeychain, key.secret().view().toByteArray());
    } else {
        const auto der = exportPrivateDer(key);
        QVERIFY(der.ok());
        QCOMPARE(inKeychain, der->view().toByteArray());
    }

    // The index names the key but holds no secret; read back, the key is the same key.
    const auto records = KeyIndex::read(store.indexPath());
    QVERIFY(records.ok());
    QCOMPARE(records->size(), std::size_t(1));
    QCOMPARE(records->front().kid, stored->kid);
    const auto loaded = await<Key>([&](QObject* context, auto done) { store.loadPrivate(stored->id, context, done); });
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.message()));
    QVERIFY(loaded->hasPrivate());
    QCOMPARE(loaded->metadata.kid, stored->kid);
    if (kty == QLatin1String("oct"))
        QVERIFY(loaded->secret().equals(key.secret().view()));
    else
        QCOMPARE(thumbprint(*loaded), thumbprint(key));

    const QStringList leaks = keystoretest::filesContaining(appFolders(), materialOf(key));
    QVERIFY2(leaks.isEmpty(), qPrintable(QStringLiteral("key material found in: ") + leaks.join(QStringLiteral(", "))));
}

void TestKeyStore::defaultsKidToThumbprintAndHmacKidToRandomId()
{
    KeyStore store;
    const Key ec = keystoretest::generate(QStringLiteral("ES256"));
    const Key hmac = keystoretest::generate(QStringLiteral("HS256"));
    const auto ecRecord = await<KeyRecord>([&](QObject* c, auto done) { store.add(ec, {}, c, done); });
    const auto hmacRecord = await<KeyRecord>([&](QObject* c, auto done) { store.add(hmac, {}, c, done); });
    QVERIFY(ecRecord.ok() && hmacRecord.ok());
    // RFC 7638 §1: the thumbprint is a kid that needs no registry.
    QCOMPARE(ecRecord->kid, thumbprint(ec));
    QCOMPARE(ecRecord->thumbprint, thumbprint(ec));
    // A hash of an HMAC secret in the index would let its reader test guesses offline.
    QVERIFY(hmacRecord->thumbprint.isEmpty());
    QVERIFY(hmacRecord->kid != thumbprint(hmac));
    QVERIFY(!hmacRecord->kid.isEmpty());
}

void TestKeyStore::refusesSecondKeyWithSameKidInSet()
{
    KeyStore store;
    const Key key = keystoretest::generate(QStringLiteral("ES256"));
    QVERIFY(await<KeyRecord>([&](QObject* c, auto done) { store.add(key, {}, c, done); }).ok());
    const auto again = await<KeyRecord>([&](QObject* c, auto done) { store.add(key, {}, c, done); });
    QVERIFY(!again.ok());
    QCOMPARE(again.code(), ErrorCode::KeyAmbiguous);
    QCOMPARE(store.records().size(), std::size_t(1));
}

void TestKeyStore::rotatesSetAndPublishesBothKeysUntilRetired()
{
    KeyStore store;
    NewKeyOptions options;
    options.keySet = QStringLiteral("api");
    const Key first = keystoretest::generate(QStringLiteral("ES256"));
    const auto old = await<KeyRecord>([&](QObject* c, auto done) { store.add(first, options, c, done); });
    QVERIFY(old.ok());

    const Key second = keystoretest::generate(QStringLiteral("ES256"));
    const QDateTime retireAfter = QDateTime::currentDateTimeUtc().addDays(14);
    const auto rotated = await<KeyRecord>(
        [&](QObject* c, auto done) { store.rotate(QStringLiteral("api"), second, retireAfter, c, done); });
    QVERIFY2(rotated.ok(), qPrintable(rotated.ok() ? QString() : rotated.message()));
    QCOMPARE(rotated->status, KeyStatus::Active);
    QCOMPARE(rotated->alg, QStringLiteral("ES256"));
    QCOMPARE(rotated->rotatedFrom, old->id);

    const auto previous = store.record(old->id);
    QVERIFY(previous);
    QCOMPARE(previous->status, KeyStatus::VerifyOnly);
    QCOMPARE(previous->rotatedTo, rotated->id);
    QCOMPARE(previous->retireAfter.toSecsSinceEpoch(), retireAfter.toSecsSinceEpoch());
    QCOMPARE(store.activeKey(QStringLiteral("api"))->id, rotated->id);
    QVERIFY(!keystoretest::secretToolLookup(rotated->id).isEmpty());

    // Tokens signed by the old key keep verifying: the set's JWKS holds both until the old key is retired.
    auto jwks = importJwks(store.keySetJwks(QStringLiteral("api")));
    QVERIFY(jwks.ok());
    QCOMPARE(jwks->size(), std::size_t(2));

    QVERIFY(store.retire(old->id).ok());
    QCOMPARE(store.record(old->id)->status, KeyStatus::Retired);
    jwks = importJwks(store.keySetJwks(QStringLiteral("api")));
    QVERIFY(jwks.ok());
    QCOMPARE(jwks->size(), std::size_t(1));
    QCOMPARE(jwks->front().metadata.kid, rotated->kid);
}

void TestKeyStore::refusesToRetireActiveKey()
{
    KeyStore store;
    const auto active = await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("ES256")), {}, c, done); });
    QVERIFY(active.ok());
    const auto retired = store.retire(active->id);
    QVERIFY(!retired.ok());
    QVERIFY(retired.message().contains(QLatin1String("rotate the set first")));
    QCOMPARE(store.record(active->id)->status, KeyStatus::Active);
}

void TestKeyStore::deletesKeychainEntryAndIndexEntry()
{
    KeyStore store;
    const auto stored = await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("EdDSA")), {}, c, done); });
    QVERIFY(stored.ok());
    QVERIFY(!keystoretest::secretToolLookup(stored->id).isEmpty());
    const auto removed = await<void>([&](QObject* c, auto done) { store.remove(stored->id, c, done); });
    QVERIFY2(removed.ok(), qPrintable(removed.ok() ? QString() : removed.message()));
    QVERIFY(keystoretest::secretToolLookup(stored->id).isEmpty());
    QVERIFY(store.records().empty());
    QVERIFY(KeyIndex::read(store.indexPath())->empty());
}

void TestKeyStore::loadsVerificationKeysByKidWithHmacSecretFromKeychain()
{
    KeyStore store;
    const Key hmac = keystoretest::generate(QStringLiteral("HS384"));
    const Key ec = keystoretest::generate(QStringLiteral("ES384"));
    NewKeyOptions hmacOptions;
    hmacOptions.kid = QStringLiteral("shared-1");
    hmacOptions.keySet = QStringLiteral("internal");
    QVERIFY(await<KeyRecord>([&](QObject* c, auto done) { store.add(hmac, hmacOptions, c, done); }).ok());
    QVERIFY(await<KeyRecord>([&](QObject* c, auto done) { store.add(ec, {}, c, done); }).ok());

    const auto byKid = await<std::vector<Key>>(
        [&](QObject* c, auto done) { store.loadVerificationKeys(QStringLiteral("shared-1"), c, done); });
    QVERIFY(byKid.ok());
    QCOMPARE(byKid->size(), std::size_t(1));
    QVERIFY(byKid->front().secret().equals(hmac.secret().view()));
    QCOMPARE(byKid->front().metadata.alg, QStringLiteral("HS384"));

    const auto all = await<std::vector<Key>>([&](QObject* c, auto done) { store.loadVerificationKeys({}, c, done); });
    QVERIFY(all.ok());
    QCOMPARE(all->size(), std::size_t(2));

    const auto missing = await<std::vector<Key>>(
        [&](QObject* c, auto done) { store.loadVerificationKeys(QStringLiteral("nobody"), c, done); });
    QVERIFY(!missing.ok());
    QCOMPARE(missing.code(), ErrorCode::KeyNotFound);
}

void TestKeyStore::keepsKeyPendingWhenIndexCannotBeWrittenAndRetryStoresIt()
{
    // A regular file where the index's folder should be: the secret is stored, the index write fails.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(base);
    const QString blocker = base + QStringLiteral("/blocked");
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    KeyStore store(blocker + QStringLiteral("/keys.json"));
    const Key key = keystoretest::generate(QStringLiteral("ES256"));
    const auto failed = await<KeyRecord>([&](QObject* c, auto done) { store.add(key, {}, c, done); });
    QVERIFY(!failed.ok());
    QCOMPARE(failed.code(), ErrorCode::Io);
    QCOMPARE(store.pendingKeys().size(), std::size_t(1));
    const QString id = store.pendingKeys().front().record.id;
    QCOMPARE(thumbprint(store.pendingKeys().front().key), thumbprint(key));

    QVERIFY(QFile::remove(blocker));
    const auto retried = await<KeyRecord>([&](QObject* c, auto done) { store.retry(id, c, done); });
    QVERIFY2(retried.ok(), qPrintable(retried.ok() ? QString() : retried.message()));
    QVERIFY(store.pendingKeys().empty());
    QCOMPARE(KeyIndex::read(store.indexPath())->size(), std::size_t(1));
    QVERIFY(!keystoretest::secretToolLookup(id).isEmpty());
}

void TestKeyStore::abandonsKeychainJobThatDoesNotAnswerInTime()
{
    KeychainClient client;
    client.setTimeout(std::chrono::milliseconds(0));
    const SecretBytes secret(QByteArrayView("abandoned-but-harmless-secret-bytes"));
    const auto timedOut
        = await<void>([&](QObject* c, auto done) { client.write(QStringLiteral("key/abandoned"), secret, c, done); });
    QVERIFY(!timedOut.ok());
    QCOMPARE(keychainProblemOf(timedOut.error()), KeychainProblem::TimedOut);

    // The abandoned job still finishes on its own; the next call is answered normally behind it.
    KeychainClient patient;
    const auto read
        = await<SecretBytes>([&](QObject* c, auto done) { patient.read(QStringLiteral("key/abandoned"), c, done); });
    QVERIFY2(read.ok(), qPrintable(read.ok() ? QString() : read.message()));
    QVERIFY(read->equals(secret.view()));
    QVERIFY(await<void>([&](QObject* c, auto done) { patient.remove(QStringLiteral("key/abandoned"), c, done); }).ok());
}

void TestKeyStore::refusesIndexFromNewerSchema()
{
    const QString path
        = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/keys.json");
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": 99, "keys": []})");
    file.close();
    KeyStore store;
    const auto loaded = store.reload();
    QVERIFY(!loaded.ok());
    QVERIFY(loaded.message().contains(QLatin1String("newer")));
    const auto added = await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("ES256")), {}, c, done); });
    QVERIFY(!added.ok());
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(R"({"schema": 99, "keys": []})"));
}

// Another process may hold a pack's lock for seconds: the caller (the window) must go on meanwhile, and the removal
// finish once the lock is free.
void TestKeyStore::waitsForAPackLockOffTheCallersThread()
{
    KeyStore store;
    std::vector<std::pair<Key, NewKeyOptions>> keys;
    for (int i = 0; i < kSecretPackFrom; ++i) {
        NewKeyOptions options;
        options.kid = QStringLiteral("p%1").arg(i);
        keys.emplace_back(keystoretest::generate(QStringLiteral("HS256")), options);
    }
    const auto stored
        = await<std::vector<KeyRecord>>([&](QObject* context, auto done) { store.addMany(keys, context, done); });
    QVERIFY(stored.ok());
    const KeyRecord member = stored->front();
    QVERIFY2(!member.secretPack.isEmpty(), "a bulk add of kSecretPackFrom secrets shares a pack");

    QLockFile otherProcess(store.indexPath() + QStringLiteral(".pack-") + member.secretPack + QStringLiteral(".lock"));
    QVERIFY(otherProcess.lock());
    std::optional<Result<void>> answer;
    QObject context;
    QElapsedTimer clock;
    clock.start();
    store.removeFromPack(member.secretPack, member.id, &context, [&](Result<void> removed) { answer = removed; });
    QVERIFY2(clock.elapsed() < 1000, "removeFromPack waited for the lock on the caller's thread");
    QVERIFY(!answer);
    // The caller's event loop runs on: this timer frees the lock, and only then can the removal finish.
    QTimer::singleShot(300, &context, [&] { otherProcess.unlock(); });
    QTRY_VERIFY_WITH_TIMEOUT(answer.has_value(), 20000);
    QVERIFY2(answer->ok(), qPrintable(answer->ok() ? QString() : answer->message()));
    const auto secret = await<SecretBytes>([&](QObject* c, auto done) { store.readSecret(member, c, done); });
    QVERIFY(!secret.ok());
    const auto other = await<SecretBytes>([&](QObject* c, auto done) { store.readSecret(stored->back(), c, done); });
    QVERIFY(other.ok());
}

QTEST_GUILESS_MAIN(TestKeyStore)
#include "TestKeyStore.moc"
