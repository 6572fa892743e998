// `jwt-inspector keys …` over a real Secret Service: generate, list, import, export, rotate, retire, delete, and
// the keystore as a verification KEYSPEC (loadKeystoreKeys).

#include "KeychainTestFixture.h"
#include "KeystoreTestSupport.h"
#include "ProcessRunner.h"
#include "cli/Cli.h"
#include "cli/KeysCommand.h"
#include "core/crypto/KeyFormats.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace jwti;

class TestKeysCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void generatesListsAndExportsPublicKey();
    void rotatesRetiresAndDeletesThroughTheCommandLine();
    void importsAJwksAndPicksOneByKid();
    void exportsPrivateKeyEncryptedOnlyWithPassphrase();
    void refusesUnknownActionAndMissingAlg_data();
    void refusesUnknownActionAndMissingAlg();
    void loadsKeystoreKeysForVerifyingByKid();

private:
    using Run = testsupport::CommandRun;
    Run keys(const QStringList& args, const QByteArray& input = {});
    QJsonArray listed();

    KeychainTestFixture m_keychain;
    QTemporaryDir m_files;
};

void TestKeysCommand::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    QVERIFY(m_files.isValid());
}

void TestKeysCommand::init()
{
    KeychainTestFixture::clearIndex();
}

TestKeysCommand::Run TestKeysCommand::keys(const QStringList& args, const QByteArray& input)
{
    return testsupport::runInProcess(runKeysCommand, args, input);
}

QJsonArray TestKeysCommand::listed()
{
    const Run run = keys({QStringLiteral("list"), QStringLiteral("--json")});
    return QJsonDocument::fromJson(run.out.toUtf8()).array();
}

void TestKeysCommand::generatesListsAndExportsPublicKey()
{
    const Run generated
        = keys({QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("ES384"), QStringLiteral("--name"),
                QStringLiteral("signer"), QStringLiteral("--set"), QStringLiteral("api")});
    QVERIFY2(generated.code == ExitOk, qPrintable(generated.err));
    const QJsonArray records = listed();
    QCOMPARE(records.size(), 1);
    const QJsonObject record = records.first().toObject();
    QCOMPARE(record.value(QStringLiteral("alg")).toString(), QStringLiteral("ES384"));
    QCOMPARE(record.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
    QVERIFY(!keystoretest::secretToolLookup(record.value(QStringLiteral("id")).toString()).isEmpty());

    const Run table = keys({QStringLiteral("list")});
    QCOMPARE(table.code, ExitOk);
    QVERIFY(table.out.contains(QLatin1String("signer")));
    QVERIFY(table.out.contains(record.value(QStringLiteral("kid")).toString()));

    const Run pem = keys({QStringLiteral("export"), QStringLiteral("signer")});
    QCOMPARE(pem.code, ExitOk);
    QVERIFY(pem.out.startsWith(QLatin1String("-----BEGIN PUBLIC KEY-----")));
    QVERIFY(!pem.out.contains(QLatin1String("PRIVATE")));
    const Run jwk = keys({QStringLiteral("export"), record.value(QStringLiteral("kid")).toString(),
                          QStringLiteral("--format"), QStringLiteral("jwk")});
    QCOMPARE(jwk.code, ExitOk);
    const auto imported = importJwk(jwk.out.toUtf8());
    QVERIFY(imported.ok());
    QVERIFY(!imported->hasPrivate());
    QCOMPARE(imported->metadata.kid, record.value(QStringLiteral("kid")).toString());
}

void TestKeysCommand::rotatesRetiresAndDeletesThroughTheCommandLine()
{
    QCOMPARE(keys({QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("RS256"),
                   QStringLiteral("--set"), QStringLiteral("web")})
                 .code,
             ExitOk);
    const QString oldId = listed().first().toObject().value(QStringLiteral("id")).toString();
    const Run rotated = keys(
        {QStringLiteral("rotate"), QStringLiteral("web"), QStringLiteral("--retire-after-days"), QStringLiteral("10")});
    QVERIFY2(rotated.code == ExitOk, qPrintable(rotated.err));
    QJsonArray records = listed();
    QCOMPARE(records.size(), 2);
    QString newId;
    for (const QJsonValue& value : records) {
        const QJsonObject record = value.toObject();
        if (record.value(QStringLiteral("id")).toString() == oldId) {
            QCOMPARE(record.value(QStringLiteral("status")).toString(), QStringLiteral("verify-only"));
        } else {
            QCOMPARE(record.value(QStringLiteral("status")).toString(), QStringLiteral("active"));
            QCOMPARE(record.value(QStringLiteral("alg")).toString(), QStringLiteral("RS256"));
            newId = record.value(QStringLiteral("id")).toString();
        }
    }
    const Run jwks = keys({QStringLiteral("export"), newId, QStringLiteral("--format"), QStringLiteral("jwks")});
    QCOMPARE(jwks.code, ExitOk);
    QCOMPARE(importJwks(jwks.out.toUtf8())->size(), std::size_t(2));

    QCOMPARE(keys({QStringLiteral("retire"), newId}).code, ExitUsage); // the active key: rotate first
    QCOMPARE(keys({QStringLiteral("retire"), oldId}).code, ExitOk);
    QCOMPARE(
        importJwks(
            keys({QStringLiteral("export"), newId, QStringLiteral("--format"), QStringLiteral("jwks")}).out.toUtf8())
            ->size(),
        std::size_t(1));

    const Run deleted = keys({QStringLiteral("delete"), oldId});
    QVERIFY2(deleted.code == ExitOk, qPrintable(deleted.err));
    QVERIFY(keystoretest::secretToolLookup(oldId).isEmpty());
    QCOMPARE(listed().size(), 1);
    QCOMPARE(keys({QStringLiteral("delete"), oldId}).code, ExitUsage);
}

void TestKeysCommand::importsAJwksAndPicksOneByKid()
{
    Key first = keystoretest::generate(QStringLiteral("ES256"));
    Key second = keystoretest::generate(QStringLiteral("ES256"));
    first.metadata.kid = QStringLiteral("one");
    second.metadata.kid = QStringLiteral("two");
    const QByteArray jwks = exportJwks({first.publicOnly(), second.publicOnly()});
    // exportJwks keeps kid from the metadata of each key.
    const Run picked = keys({QStringLiteral("import"), QStringLiteral("-"), QStringLiteral("--kid"),
                             QStringLiteral("two"), QStringLiteral("--set"), QStringLiteral("partner")},
                            jwks);
    QVERIFY2(picked.code == ExitOk, qPrintable(picked.err));
    const QJsonArray records = listed();
    QCOMPARE(records.size(), 1);
    const QJsonObject record = records.first().toObject();
    QCOMPARE(record.value(QStringLiteral("kid")).toString(), QStringLiteral("two"));
    // A public key has nothing for the keychain and cannot sign: verify-only.
    QCOMPARE(record.value(QStringLiteral("hasSecret")).toBool(), false);
    QCOMPARE(record.value(QStringLiteral("status")).toString(), QStringLiteral("verify-only"));
}

void TestKeysCommand::exportsPrivateKeyEncryptedOnlyWithPassphrase()
{
    QCOMPARE(keys({QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("EdDSA"),
                   QStringLiteral("--name"), QStringLiteral("ed")})
                 .code,
             ExitOk);
    const Run refused = keys({QStringLiteral("export"), QStringLiteral("ed"), QStringLiteral("--private")});
    QCOMPARE(refused.code, ExitUsage);
    QVERIFY(refused.out.isEmpty());

    const QString passphraseFile = m_files.filePath(QStringLiteral("passphrase"));
    QFile file(passphraseFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("correct horse battery staple\n");
    file.close();
    const Run encrypted = keys({QStringLiteral("export"), QStringLiteral("ed"), QStringLiteral("--private"),
                                QStringLiteral("--passphrase-file"), passphraseFile});
    QVERIFY2(encrypted.code == ExitOk, qPrintable(encrypted.err));
    QVERIFY(encrypted.out.startsWith(QLatin1String("-----BEGIN ENCRYPTED PRIVATE KEY-----")));
    const auto decrypted
        = importKeys(encrypted.out.toUtf8(), SecretBytes(QByteArrayView("correct horse battery staple")));
    QVERIFY(decrypted.ok());
    QVERIFY(decrypted->front().hasPrivate());

    const Run jwk = keys({QStringLiteral("export"), QStringLiteral("ed"), QStringLiteral("--private"),
                          QStringLiteral("--format"), QStringLiteral("jwk")});
    QCOMPARE(jwk.code, ExitOk);
    QVERIFY(jwk.err.contains(QLatin1String("unencrypted")));
    QVERIFY(importJwk(jwk.out.toUtf8())->hasPrivate());
}

void TestKeysCommand::refusesUnknownActionAndMissingAlg_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown action") << QStringList{QStringLiteral("frobnicate")};
    QTest::newRow("generate without --alg") << QStringList{QStringLiteral("generate")};
    QTest::newRow("generate with alg none")
        << QStringList{QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("none")};
    QTest::newRow("rotate without a set") << QStringList{QStringLiteral("rotate")};
    QTest::newRow("export jwks of nothing") << QStringList{QStringLiteral("export"), QStringLiteral("nobody")};
}

void TestKeysCommand::refusesUnknownActionAndMissingAlg()
{
    QFETCH(QStringList, args);
    const Run run = keys(args);
    QCOMPARE(run.code, ExitUsage);
    QVERIFY(!run.err.isEmpty());
}

void TestKeysCommand::loadsKeystoreKeysForVerifyingByKid()
{
    QCOMPARE(keys({QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("HS256"),
                   QStringLiteral("--kid"), QStringLiteral("hmac-1")})
                 .code,
             ExitOk);
    QCOMPARE(keys({QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("ES256"),
                   QStringLiteral("--kid"), QStringLiteral("ec-1")})
                 .code,
             ExitOk);
    const auto one = loadKeystoreKeys(QStringLiteral("hmac-1"));
    QVERIFY2(one.ok(), qPrintable(one.ok() ? QString() : one.message()));
    QCOMPARE(one->size(), std::size_t(1));
    QCOMPARE(one->front().type(), KeyType::Oct);
    QCOMPARE(one->front().metadata.alg, QStringLiteral("HS256"));
    const auto all = loadKeystoreKeys({});
    QVERIFY(all.ok());
    QCOMPARE(all->size(), std::size_t(2));
    const auto none = loadKeystoreKeys(QStringLiteral("missing"));
    QVERIFY(!none.ok());
    QCOMPARE(none.code(), ErrorCode::KeyNotFound);
}

QTEST_GUILESS_MAIN(TestKeysCommand)
#include "TestKeysCommand.moc"
