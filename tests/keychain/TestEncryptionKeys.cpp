// Encryption keys in the key store, against a private Secret Service: each JWE key kind stored with its use and its
// key-management alg, a JWK's use/key_ops honoured on import, a key only ever a candidate for its own use, JWKS
// export marking use and alg, rotation of an encryption set, old index files read as signing keys, and the command
// line's keys generate/list and keygen for encryption algs.

#include "KeystoreTestSupport.h"
#include "PrivateSecretService.h"
#include "cli/Cli.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwk.h"
#include "keystore/KeyIndex.h"
#include "keystore/KeyStore.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTest>

using namespace jwti;
using keystoretest::await;

namespace {

Key generated(const QString& alg, const QString& curve = {}, const QString& enc = {})
{
    auto key = generateKeyForRequest(KeyRequest{alg, 0, curve, enc});
    if (!key)
        qFatal("cannot generate a key for %s: %s", qPrintable(alg), qPrintable(key.message()));
    return *key;
}

template <typename R>
QString why(const R& result)
{
    return result ? QString() : result.message();
}

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

// The command line in this process, so it reads the test's own index (QStandardPaths test mode).
Run cli(const QStringList& args)
{
    QByteArray none;
    QBuffer in(&none);
    in.open(QIODevice::ReadOnly);
    Run run;
    QTextStream out(&run.out);
    QTextStream err(&run.err);
    run.code = runCli(args, in, out, err);
    out.flush();
    err.flush();
    return run;
}

} // namespace

class TestEncryptionKeys : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void storesEachEncryptionKeyWithItsUseAndAlg_data();
    void storesEachEncryptionKeyWithItsUseAndAlg();
    void honoursAJwksUseAndKeyOpsOnImport();
    void offersAKeyOnlyForItsOwnUse();
    void keepsOneUseInAKeySet();
    void exportsUseAndAlgInTheJwks();
    void rotatesAnEncryptionSetKeepingItsCurveAndFollowingItsName();
    void readsAnIndexWithoutUseAsSigningKeys();
    void commandLineGeneratesListsAndRotatesEncryptionKeys();

private:
    PrivateSecretService m_service;
};

void TestEncryptionKeys::initTestCase()
{
    const QString problem = m_service.start();
    if (!problem.isEmpty())
        QFAIL(qPrintable(QStringLiteral("cannot start a private Secret Service: ") + problem));
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QStandardPaths::setTestModeEnabled(true);
}

void TestEncryptionKeys::init()
{
    QDir(QFileInfo(KeyIndex::defaultPath()).path()).removeRecursively();
}

void TestEncryptionKeys::storesEachEncryptionKeyWithItsUseAndAlg_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QString>("curve");
    QTest::addColumn<QString>("enc");
    QTest::addColumn<QString>("kty");
    QTest::addColumn<QString>("description");
    QTest::newRow("RSA-OAEP-256") << "RSA-OAEP-256" << QString() << "A256GCM"
                                  << "RSA"
                                  << "RSA 2048-bit private key";
    QTest::newRow("ECDH-ES P-384") << "ECDH-ES"
                                   << "P-384"
                                   << "A128GCM"
                                   << "EC"
                                   << "EC P-384 private key";
    QTest::newRow("ECDH-ES+A256KW X25519") << "ECDH-ES+A256KW"
                                           << "X25519"
                                           << "A128CBC-HS256"
                                           << "OKP"
                                           << "X25519 private key";
    QTest::newRow("A192KW") << "A192KW" << QString() << "A192GCM"
                            << "oct"
                            << "AES key-wrap key (192 bits)";
    QTest::newRow("A128GCMKW") << "A128GCMKW" << QString() << "A256GCM"
                               << "oct"
                               << "AES key-wrap key (128 bits)";
    QTest::newRow("dir A256CBC-HS512") << "dir" << QString() << "A256CBC-HS512"
                                       << "oct"
                                       << "dir key (512 bits)";
    QTest::newRow("PBES2 password") << "PBES2-HS512+A256KW" << QString() << "A256GCM"
                                    << "oct"
                                    << "PBES2 password (43 characters)";
}

void TestEncryptionKeys::storesEachEncryptionKeyWithItsUseAndAlg()
{
    QFETCH(QString, alg);
    QFETCH(QString, curve);
    QFETCH(QString, enc);
    QFETCH(QString, kty);
    QFETCH(QString, description);
    const Key key = generated(alg, curve, alg == QLatin1String("dir") ? enc : QString());
    KeyStore store;
    NewKeyOptions options;
    options.alg = alg;
    const auto stored = await<KeyRecord>([&](QObject* c, auto done) { store.add(key, options, c, done); });
    QVERIFY2(stored, qPrintable(why(stored)));
    QCOMPARE(stored->use, KeyUse::Encryption);
    QCOMPARE(stored->alg, alg);
    QCOMPARE(stored->kty, kty);
    QCOMPARE(stored->description, description);
    QCOMPARE(stored->keySet, QStringLiteral("encryption")); // a set holds one use
    QCOMPARE(stored->status, KeyStatus::Active);
    QCOMPARE(stored->enc, alg == QLatin1String("dir") ? enc : QString());
    // A secret (and a password) is never in the index, and has no thumbprint there either.
    if (kty == QLatin1String("oct")) {
        QVERIFY(stored->publicJwk.isEmpty() && stored->thumbprint.isEmpty());
        QFile index(store.indexPath());
        QVERIFY(index.open(QIODevice::ReadOnly));
        const QByteArray text = index.readAll();
        QVERIFY(!text.contains(key.secret().view().toByteArray()));
        QVERIFY(!text.contains(key.secret().view().toByteArray().toBase64(QByteArray::Base64UrlEncoding
                                                                          | QByteArray::OmitTrailingEquals)));
    }
    const auto records = KeyIndex::read(store.indexPath());
    QVERIFY(records);
    QCOMPARE(records->front().use, KeyUse::Encryption);

    // What the decrypt side reads: the record by use, the secret through the usual KeyStore API, and it opens a
    // token encrypted to the key.
    KeyQuery query;
    query.use = KeyUse::Encryption;
    query.purpose = KeyPurpose::Sign; // with the private part or secret, as decrypting needs
    const auto loaded = await<LoadedKeys>([&](QObject* c, auto done) { store.loadKeys(query, c, done); });
    QVERIFY2(loaded, qPrintable(why(loaded)));
    QCOMPARE(loaded->keys.size(), std::size_t(1));
    const Key& back = loaded->keys.front();
    QCOMPARE(back.metadata.use, QStringLiteral("enc"));
    QCOMPARE(back.metadata.alg, alg);
    JweEncryptOptions encrypt;
    encrypt.alg = alg;
    encrypt.enc = enc;
    auto token = encryptJwe("to the store", kty == QLatin1String("oct") ? back : back.publicOnly(), encrypt);
    QVERIFY2(token, qPrintable(why(token)));
    auto parsed = parseJwe(*token);
    QVERIFY(parsed);
    auto opened = decryptJwe(*parsed, loaded->keys);
    QVERIFY2(opened, qPrintable(why(opened)));
    QCOMPARE(opened->plaintext, QByteArray("to the store"));
}

void TestEncryptionKeys::honoursAJwksUseAndKeyOpsOnImport()
{
    KeyStore store;
    // "use": "enc" without an alg: kept for encryption, with the default alg of its type.
    Key rsa = generated(QStringLiteral("RSA-OAEP"));
    rsa.metadata.use = QStringLiteral("enc");
    const auto byUse = await<KeyRecord>([&](QObject* c, auto done) { store.add(rsa, {}, c, done); });
    QVERIFY2(byUse, qPrintable(why(byUse)));
    QCOMPARE(byUse->use, KeyUse::Encryption);
    QCOMPARE(byUse->alg, QStringLiteral("RSA-OAEP-256"));

    // key_ops alone say it too.
    Key ec = generated(QStringLiteral("ECDH-ES"));
    ec.metadata.keyOps = QStringList{QStringLiteral("deriveBits")};
    const auto byOps = await<KeyRecord>([&](QObject* c, auto done) { store.add(ec, {}, c, done); });
    QVERIFY2(byOps, qPrintable(why(byOps)));
    QCOMPARE(byOps->use, KeyUse::Encryption);
    QCOMPARE(byOps->alg, QStringLiteral("ECDH-ES"));

    // A key whose JWK forbids a purpose is never stored for it, whatever the caller asks.
    Key signingOnly = generated(QStringLiteral("ECDH-ES"));
    signingOnly.metadata.use = QStringLiteral("sig");
    NewKeyOptions forEncryption;
    forEncryption.alg = QStringLiteral("ECDH-ES");
    const auto refused
        = await<KeyRecord>([&](QObject* c, auto done) { store.add(signingOnly, forEncryption, c, done); });
    QVERIFY(!refused);
    QCOMPARE(refused.code(), ErrorCode::KeyUseForbidden);
    Key encryptOnly = generated(QStringLiteral("ECDH-ES"));
    encryptOnly.metadata.keyOps = QStringList{QStringLiteral("wrapKey"), QStringLiteral("unwrapKey")};
    NewKeyOptions forSigning;
    forSigning.alg = QStringLiteral("ES256");
    forSigning.keySet = QStringLiteral("signers");
    const auto refusedToo
        = await<KeyRecord>([&](QObject* c, auto done) { store.add(encryptOnly, forSigning, c, done); });
    QVERIFY(!refusedToo);
    QCOMPARE(refusedToo.code(), ErrorCode::KeyUseForbidden);

    // A dir key whose JWK names its enc as "alg" is a dir key of that enc.
    Key direct = generated(QStringLiteral("dir"), {}, QStringLiteral("A128CBC-HS256"));
    direct.metadata.alg = QStringLiteral("A128CBC-HS256");
    NewKeyOptions directOptions;
    directOptions.keySet = QStringLiteral("direct");
    const auto dir = await<KeyRecord>([&](QObject* c, auto done) { store.add(direct, directOptions, c, done); });
    QVERIFY2(dir, qPrintable(why(dir)));
    QCOMPARE(dir->alg, QStringLiteral("dir"));
    QCOMPARE(dir->enc, QStringLiteral("A128CBC-HS256"));
}

void TestEncryptionKeys::offersAKeyOnlyForItsOwnUse()
{
    KeyStore store;
    const Key signer = keystoretest::generate(QStringLiteral("ES256"));
    const Key receiver = generated(QStringLiteral("ECDH-ES"));
    const auto signing = await<KeyRecord>([&](QObject* c, auto done) { store.add(signer, {}, c, done); });
    NewKeyOptions options;
    options.alg = QStringLiteral("ECDH-ES");
    const auto encryption = await<KeyRecord>([&](QObject* c, auto done) { store.add(receiver, options, c, done); });
    QVERIFY(signing && encryption);

    KeyQuery verify; // signing keys, by default
    const auto verifying = store.candidates(verify);
    QCOMPARE(verifying.size(), std::size_t(1));
    QCOMPARE(verifying.front().id, signing->id);
    KeyQuery decrypt;
    decrypt.use = KeyUse::Encryption;
    decrypt.purpose = KeyPurpose::Sign;
    const auto decrypting = store.candidates(decrypt);
    QCOMPARE(decrypting.size(), std::size_t(1));
    QCOMPARE(decrypting.front().id, encryption->id);
    // By kid too: the encryption key's kid finds nothing to verify with.
    verify.kid = encryption->kid;
    QVERIFY(store.candidates(verify).empty());

    // Signing never picks an encryption key, even by kid or by its set.
    const auto byKid = store.selectSigningKey({}, encryption->kid);
    QVERIFY(!byKid);
    QCOMPARE(byKid.code(), ErrorCode::KeyUseForbidden);
    const auto bySet = store.selectSigningKey({}, {}, QStringLiteral("encryption"));
    QVERIFY(!bySet);
    const auto any = store.selectSigningKey({});
    QVERIFY2(any, qPrintable(why(any)));
    QCOMPARE(any->id, signing->id);
}

void TestEncryptionKeys::keepsOneUseInAKeySet()
{
    KeyStore store;
    NewKeyOptions options;
    options.keySet = QStringLiteral("api");
    QVERIFY(await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("ES256")), options, c, done); }));
    options.alg = QStringLiteral("ECDH-ES");
    const auto mixed = await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(generated(QStringLiteral("ECDH-ES")), options, c, done); });
    QVERIFY(!mixed);
    QCOMPARE(mixed.code(), ErrorCode::KeyMismatch);
    QVERIFY2(mixed.message().contains(QLatin1String("holds signing keys")), qPrintable(mixed.message()));
    QCOMPARE(store.records().size(), std::size_t(1));
}

void TestEncryptionKeys::exportsUseAndAlgInTheJwks()
{
    KeyStore store;
    NewKeyOptions options;
    options.alg = QStringLiteral("RSA-OAEP-256");
    options.keySet = QStringLiteral("receivers");
    QVERIFY(await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(generated(QStringLiteral("RSA-OAEP-256")), options, c, done); }));
    NewKeyOptions signing;
    signing.keySet = QStringLiteral("signers");
    QVERIFY(await<KeyRecord>(
        [&](QObject* c, auto done) { store.add(keystoretest::generate(QStringLiteral("ES384")), signing, c, done); }));

    const QJsonArray receivers
        = QJsonDocument::fromJson(store.keySetJwks(QStringLiteral("receivers"))).object().value(u"keys").toArray();
    QCOMPARE(receivers.size(), 1);
    QCOMPARE(receivers.first().toObject().value(u"use").toString(), QStringLiteral("enc"));
    QCOMPARE(receivers.first().toObject().value(u"alg").toString(), QStringLiteral("RSA-OAEP-256"));
    const QJsonArray signers
        = QJsonDocument::fromJson(store.keySetJwks(QStringLiteral("signers"))).object().value(u"keys").toArray();
    QCOMPARE(signers.first().toObject().value(u"use").toString(), QStringLiteral("sig"));
    QCOMPARE(signers.first().toObject().value(u"alg").toString(), QStringLiteral("ES384"));
    // Read back by a JWK reader, the export still says what it is for.
    const auto imported = importJwks(store.keySetJwks(QStringLiteral("receivers")));
    QVERIFY(imported);
    QCOMPARE(keyUseFromMetadata(imported->front().metadata)->value(), KeyUse::Encryption);
}

void TestEncryptionKeys::rotatesAnEncryptionSetKeepingItsCurveAndFollowingItsName()
{
    KeyStore store;
    NewKeyOptions options;
    options.alg = QStringLiteral("ECDH-ES+A128KW");
    options.keySet = QStringLiteral("inbox");
    options.name = QStringLiteral("inbox receiver");
    const auto first = await<KeyRecord>([&](QObject* c, auto done) {
        store.add(generated(QStringLiteral("ECDH-ES+A128KW"), QStringLiteral("X448")), options, c, done);
    });
    QVERIFY2(first, qPrintable(why(first)));
    Key replaced;
    if (auto old = first->publicKey())
        replaced = *old;
    const KeyRequest request = rotationRequest(first->alg, replaced, first->enc);
    QCOMPARE(request.curve, QStringLiteral("X448"));
    auto next = generateKeyForRequest(request);
    QVERIFY(next);
    const QDateTime retireAfter = retireAfterDate(QDateTime::currentDateTimeUtc(), 7);
    const auto rotated = await<KeyRecord>(
        [&](QObject* c, auto done) { store.rotate(QStringLiteral("inbox"), *next, retireAfter, c, done); });
    QVERIFY2(rotated, qPrintable(why(rotated)));
    QCOMPARE(rotated->use, KeyUse::Encryption);
    QCOMPARE(rotated->alg, QStringLiteral("ECDH-ES+A128KW"));
    QCOMPARE(rotated->name, QStringLiteral("inbox receiver %1").arg(QDate::currentDate().toString(Qt::ISODate)));
    QCOMPARE(rotated->rotatedFrom, first->id);
    QCOMPARE(store.record(first->id)->status, KeyStatus::VerifyOnly);
    QCOMPARE(store.record(first->id)->retireAfter, retireAfter);
    // Both still open tokens: the set's JWKS holds both, marked for encryption.
    const QJsonArray keys
        = QJsonDocument::fromJson(store.keySetJwks(QStringLiteral("inbox"))).object().value(u"keys").toArray();
    QCOMPARE(keys.size(), 2);
    for (const QJsonValue& key : keys)
        QCOMPARE(key.toObject().value(u"use").toString(), QStringLiteral("enc"));
}

void TestEncryptionKeys::readsAnIndexWithoutUseAsSigningKeys()
{
    QJsonObject old{{QStringLiteral("id"), QStringLiteral("9c1b2f9e-4f7d-4c1e-8d4e-000000000001")},
                    {QStringLiteral("name"), QStringLiteral("legacy")},
                    {QStringLiteral("set"), QStringLiteral("default")},
                    {QStringLiteral("kid"), QStringLiteral("k1")},
                    {QStringLiteral("alg"), QStringLiteral("HS256")},
                    {QStringLiteral("kty"), QStringLiteral("oct")},
                    {QStringLiteral("status"), QStringLiteral("active")},
                    {QStringLiteral("hasSecret"), true}};
    const auto record = KeyRecord::fromJson(old);
    QVERIFY2(record, qPrintable(why(record)));
    QCOMPARE(record->use, KeyUse::Signing);
    // Written back, a signing record is what older versions wrote: no "use" member.
    QVERIFY(!record->toJson().contains(QStringLiteral("use")));
    // A remote JWKS could already bring an encryption key before "use" existed: its alg says what it is.
    QJsonObject remote = old;
    remote[QStringLiteral("alg")] = QStringLiteral("RSA-OAEP");
    remote[QStringLiteral("kty")] = QStringLiteral("RSA");
    remote[QStringLiteral("hasSecret")] = false;
    remote[QStringLiteral("publicJwk")] = QJsonObject{{QStringLiteral("kty"), QStringLiteral("RSA")}};
    QCOMPARE(KeyRecord::fromJson(remote)->use, KeyUse::Encryption);
    // A use that contradicts the alg is a damaged entry.
    QJsonObject contradicting = old;
    contradicting[QStringLiteral("use")] = QStringLiteral("enc");
    QVERIFY(!KeyRecord::fromJson(contradicting));
    contradicting[QStringLiteral("use")] = QStringLiteral("both");
    QVERIFY(!KeyRecord::fromJson(contradicting));
}

void TestEncryptionKeys::commandLineGeneratesListsAndRotatesEncryptionKeys()
{
    const Run generatedKey
        = cli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("ECDH-ES"),
               QStringLiteral("--curve"), QStringLiteral("X25519"), QStringLiteral("--set"), QStringLiteral("inbox"),
               QStringLiteral("--name"), QStringLiteral("inbox key")});
    QVERIFY2(generatedKey.code == 0, qPrintable(generatedKey.err));
    QVERIFY2(generatedKey.out.contains(QLatin1String("  enc  ECDH-ES  active")), qPrintable(generatedKey.out));
    const Run password = cli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"),
                              QStringLiteral("PBES2-HS256+A128KW"), QStringLiteral("--set"), QStringLiteral("pw")});
    QVERIFY2(password.code == 0, qPrintable(password.err));
    const Run signing
        = cli({QStringLiteral("keys"), QStringLiteral("generate"), QStringLiteral("--alg"), QStringLiteral("ES256")});
    QVERIFY2(signing.code == 0, qPrintable(signing.err));

    const Run listed = cli({QStringLiteral("keys"), QStringLiteral("list")});
    QCOMPARE(listed.code, 0);
    QVERIFY2(listed.out.section(QLatin1Char('\n'), 0, 0).contains(QLatin1String("  USE  ")), qPrintable(listed.out));
    for (const QString& line : listed.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts).mid(1)) {
        const bool encryption = line.contains(QLatin1String("ECDH-ES")) || line.contains(QLatin1String("PBES2"));
        QVERIFY2(line.contains(encryption ? QLatin1String("  enc  ") : QLatin1String("  sig  ")), qPrintable(line));
    }

    const Run rotated = cli({QStringLiteral("keys"), QStringLiteral("rotate"), QStringLiteral("inbox")});
    QVERIFY2(rotated.code == 0, qPrintable(rotated.err));
    KeyStore store;
    QVERIFY(store.reload());
    const auto active = store.activeKey(QStringLiteral("inbox"));
    QVERIFY(active);
    QCOMPARE(active->alg, QStringLiteral("ECDH-ES"));
    QCOMPARE(active->publicJwk.value(u"crv").toString(), QStringLiteral("X25519"));
    QCOMPARE(active->name, QStringLiteral("inbox key %1").arg(QDate::currentDate().toString(Qt::ISODate)));

    // An encryption alg for sign is refused, and sign --keystore never reaches for an encryption key.
    const Run refused = cli({QStringLiteral("sign"), QStringLiteral("--keystore"), QStringLiteral("--kid"), active->kid,
                             QStringLiteral("--alg"), QStringLiteral("EdDSA"), QStringLiteral("{}")});
    QVERIFY(refused.code != 0);
    QVERIFY2(refused.err.contains(QLatin1String("encryption key")), qPrintable(refused.err));
}

QTEST_GUILESS_MAIN(TestEncryptionKeys)
#include "TestEncryptionKeys.moc"
