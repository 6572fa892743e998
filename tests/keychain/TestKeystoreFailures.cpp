// The key store when the keychain cannot help: no Secret Service at all, and a locked collection. Each must give
// a clear error, keep the key in memory, write nothing in plaintext and leave the index as it was.

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwti;
using keystoretest::await;

class TestKeystoreFailures : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void commandLineSaysNoSecretServiceIsRunning_data();
    void commandLineSaysNoSecretServiceIsRunning();
    void lockedKeychainKeepsNewKeyInMemoryAndIndexUnchanged();
    void lockedKeychainRefusesToReadOrDelete();
    void lockedKeychainLeavesSetUnrotated();
    void commandLineSaysKeychainIsLocked();

private:
    struct CliRun
    {
        int exitCode = -1;
        QString out;
        QString err;
    };
    CliRun runCli(const QStringList& args, const QProcessEnvironment& environment) const;
    QProcessEnvironment cliEnvironment() const;
    QByteArray indexBytes() const;

    KeychainTestFixture m_keychain;
    QTemporaryDir m_cliHome;
    KeyRecord m_existing;
    Key m_existingKey;
};

void TestKeystoreFailures::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    QVERIFY(m_cliHome.isValid());

    // One key stored while the keychain is still open, for the locked cases.
    KeyStore store;
    NewKeyOptions options;
    options.keySet = QStringLiteral("api");
    m_existingKey = keystoretest::generate(QStringLiteral("ES256"));
    const auto stored = await<KeyRecord>([&](QObject* c, auto done) { store.add(m_existingKey, options, c, done); });
    QVERIFY2(stored.ok(), qPrintable(stored.ok() ? QString() : stored.message()));
    m_existing = *stored;
}

QProcessEnvironment TestKeystoreFailures::cliEnvironment() const
{
    return KeychainTestFixture::cliEnvironment(m_cliHome.path());
}

TestKeystoreFailures::CliRun TestKeystoreFailures::runCli(const QStringList& args,
                                                          const QProcessEnvironment& environment) const
{
    CliRun run;
    const QString binary = qEnvironmentVariable("JWTI_BINARY");
    if (binary.isEmpty())
        return run;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(binary, args);
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QByteArray TestKeystoreFailures::indexBytes() const
{
    QFile file(KeyIndex::defaultPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestKeystoreFailures::commandLineSaysNoSecretServiceIsRunning_data()
{
    QTest::addColumn<QString>("busAddress");
    QTest::newRow("bus socket missing") << QStringLiteral("unix:path=/nonexistent/jwti-test-bus");
    QTest::newRow("no session bus") << QString();
}

void TestKeystoreFailures::commandLineSaysNoSecretServiceIsRunning()
{
    QFETCH(QString, busAddress);
    if (qEnvironmentVariableIsEmpty("JWTI_BINARY"))
        QFAIL("JWTI_BINARY is not set (run through ctest)");
    QProcessEnvironment environment = cliEnvironment();
    if (busAddress.isEmpty()) {
        environment.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        environment.remove(QStringLiteral("DISPLAY"));
    } else {
        environment.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
    }
    const CliRun generated
        = runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("ES256")},
                 environment);
    QCOMPARE(generated.exitCode, 3);
    QVERIFY2(
        generated.err.contains(QLatin1String("no Secret Service is running (is gnome-keyring or KeePassXC running?)")),
        qPrintable(generated.err));
    QVERIFY(generated.out.isEmpty());
    // Nothing was written: no index, no file at all in the data folder.
    const QStringList written = QDir(m_cliHome.path() + QStringLiteral("/data/jwt-inspector")).entryList(QDir::Files);
    QVERIFY2(written.isEmpty(), qPrintable(written.join(QLatin1Char(' '))));

    // Listing needs no keychain.
    const CliRun listed = runCli({QStringLiteral("keys"), QStringLiteral("list")}, environment);
    QCOMPARE(listed.exitCode, 0);
}

void TestKeystoreFailures::lockedKeychainKeepsNewKeyInMemoryAndIndexUnchanged()
{
    QVERIFY(m_keychain.service().lockDefaultCollection());
    const QByteArray before = indexBytes();
    QVERIFY(!before.isEmpty());

    KeyStore store;
    const Key key = keystoretest::generate(QStringLiteral("RS256"));
    NewKeyOptions options;
    options.name = QStringLiteral("while locked");
    const auto stored = await<KeyRecord>([&](QObject* c, auto done) { store.add(key, options, c, done); });
    QVERIFY(!stored.ok());
    QCOMPARE(stored.code(), ErrorCode::Keychain);
    QCOMPARE(stored.message(), QStringLiteral("the keychain is locked"));

    // Kept in memory, with the reason, so the user can retry or export it encrypted.
    QCOMPARE(store.pendingKeys().size(), std::size_t(1));
    const PendingKey& pending = store.pendingKeys().front();
    QCOMPARE(pending.error.message, QStringLiteral("the keychain is locked"));
    QCOMPARE(thumbprint(pending.key), thumbprint(key));
    const auto encrypted = exportPrivatePem(pending.key, SecretBytes(QByteArrayView("export passphrase")));
    QVERIFY(encrypted.ok());
    QVERIFY(encrypted->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    QCOMPARE(indexBytes(), before);
    const auto der = exportPrivateDer(key);
    QVERIFY(der.ok());
    const QByteArray derBytes = der->view().toByteArray();
    const QStringList leaks = keystoretest::filesContaining(
        {QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
         QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
         QStandardPaths::writableLocation(QStandardPaths::CacheLocation), QDir::tempPath()},
        {derBytes, derBytes.toBase64(), *exportPrivatePem(key)});
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(QStringLiteral(", "))));

    // A retry while still locked fails the same way and still keeps the key.
    const auto retried = await<KeyRecord>([&](QObject* c, auto done) { store.retry(pending.record.id, c, done); });
    QVERIFY(!retried.ok());
    QCOMPARE(store.pendingKeys().size(), std::size_t(1));
}

void TestKeystoreFailures::lockedKeychainRefusesToReadOrDelete()
{
    const QByteArray before = indexBytes();
    KeyStore store;
    QVERIFY(store.reload().ok());
    const auto loaded = await<Key>([&](QObject* c, auto done) { store.loadPrivate(m_existing.id, c, done); });
    QVERIFY(!loaded.ok());
    QCOMPARE(loaded.message(), QStringLiteral("the keychain is locked"));

    // The Secret Service would report success while leaving the locked item in place; the store refuses instead.
    const auto removed = await<void>([&](QObject* c, auto done) { store.remove(m_existing.id, c, done); });
    QVERIFY(!removed.ok());
    QCOMPARE(removed.message(), QStringLiteral("the keychain is locked"));
    QCOMPARE(indexBytes(), before);
    QVERIFY(store.record(m_existing.id));
}

void TestKeystoreFailures::lockedKeychainLeavesSetUnrotated()
{
    const QByteArray before = indexBytes();
    KeyStore store;
    const Key next = keystoretest::generate(QStringLiteral("ES256"));
    const auto rotated = await<KeyRecord>([&](QObject* c, auto done) {
        store.rotate(QStringLiteral("api"), next, QDateTime::currentDateTimeUtc().addDays(7), c, done);
    });
    QVERIFY(!rotated.ok());
    QCOMPARE(rotated.message(), QStringLiteral("the keychain is locked"));
    QCOMPARE(indexBytes(), before);
    QCOMPARE(store.activeKey(QStringLiteral("api"))->id, m_existing.id);
    QCOMPARE(store.pendingKeys().size(), std::size_t(1));
    QVERIFY(store.pendingKeys().front().rotation);
}

void TestKeystoreFailures::commandLineSaysKeychainIsLocked()
{
    if (qEnvironmentVariableIsEmpty("JWTI_BINARY"))
        QFAIL("JWTI_BINARY is not set (run through ctest)");
    const CliRun generated
        = runCli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("HS256")},
                 cliEnvironment());
    QCOMPARE(generated.exitCode, 3);
    QVERIFY2(generated.err.contains(QLatin1String("the keychain is locked")), qPrintable(generated.err));
    QVERIFY(!QFile::exists(m_cliHome.path() + QStringLiteral("/data/jwt-inspector/keys.json")));
}

QTEST_GUILESS_MAIN(TestKeystoreFailures)
#include "TestKeystoreFailures.moc"
