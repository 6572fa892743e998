// The "How it's decrypted" steps: each alg family shows its own steps, secrets are marked, the failing step is the
// one that failed (the tag for RSA1_5, RFC 7516 §11.5), and the outcome always agrees with decryptJwe.
#include "core/crypto/ContentEncryption.h"
#include "core/crypto/DecryptionWalkthrough.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"

#include <QFile>
#include <QTest>

using namespace jwti;

namespace {

Key fixtureKey(const char* name)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/") + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing key fixture %s (is JWTI_TESTDATA_DIR set?)", name);
    auto keys = importKeys(file.readAll());
    if (!keys || keys->empty())
        qFatal("fixture %s does not import", name);
    return keys->front();
}

QStringList ids(const DecryptionWalkthrough& walk)
{
    QStringList out;
    for (const WalkStep& step : walk.steps)
        out << step.id;
    return out;
}

const WalkStep* stepOf(const DecryptionWalkthrough& walk, const char* id)
{
    for (const WalkStep& step : walk.steps) {
        if (step.id == QLatin1String(id))
            return &step;
    }
    return nullptr;
}

QByteArray encrypt(const QString& alg, const QString& enc, const Key& key, const QString& zip = {})
{
    JweEncryptOptions options;
    options.alg = alg;
    options.enc = enc;
    options.zip = zip;
    options.p2c = 1000;
    auto token = encryptJwe("walk me through", key, options);
    if (!token)
        qFatal("%s", qPrintable(token.message()));
    return *token;
}

QByteArray flipTag(const QByteArray& token)
{
    QList<QByteArray> parts = token.split('.');
    QByteArray tag = QByteArray::fromBase64(parts[4], QByteArray::Base64UrlEncoding);
    tag[0] = char(tag[0] ^ 1);
    parts[4] = Base64Url::encode(tag);
    return parts.join('.');
}

} // namespace

Q_DECLARE_METATYPE(jwti::Key)

class TestDecryptionWalkthrough : public QObject
{
    Q_OBJECT

private slots:
    void showsEachFamilysSteps_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<Key>("key");
        QTest::addColumn<QStringList>("expected");
        const Key rsa = fixtureKey("rsa2048-pkcs8.pem");
        const Key aes = Key::fromSecret(SecretBytes(QByteArray(16, 'k')));
        const Key dir = Key::fromSecret(SecretBytes(QByteArray(32, 'd')));
        const Key password = Key::fromSecret(SecretBytes(QByteArrayLiteral("a password")));
        auto ec = generateEphemeralKey(QStringLiteral("P-256"));
        QVERIFY(ec);
        QTest::newRow("RSA-OAEP + A256GCM")
            << encrypt(QStringLiteral("RSA-OAEP"), QStringLiteral("A256GCM"), rsa.publicOnly()) << rsa
            << QStringList{"aad", "key-fit", "encrypted-key", "cek", "gcm-tag"};
        QTest::newRow("A128KW + A128CBC-HS256 + zip")
            << encrypt(QStringLiteral("A128KW"), QStringLiteral("A128CBC-HS256"), aes, QStringLiteral("DEF")) << aes
            << QStringList{"aad",  "key-fit",     "encrypted-key", "cek",    "cbc-keys",
                           "hmac", "tag-compare", "plaintext",     "inflate"};
        QTest::newRow("dir + A128CBC-HS256")
            << encrypt(QStringLiteral("dir"), QStringLiteral("A128CBC-HS256"), dir) << dir
            << QStringList{"aad", "key-fit", "cek", "cbc-keys", "hmac", "tag-compare", "plaintext"};
        QTest::newRow("ECDH-ES+A128KW + A128GCM")
            << encrypt(QStringLiteral("ECDH-ES+A128KW"), QStringLiteral("A128GCM"), ec->publicOnly()) << *ec
            << QStringList{"aad",        "key-fit",     "encrypted-key", "epk",    "ecdh-z",
                           "concat-kdf", "derived-key", "cek",           "gcm-tag"};
        QTest::newRow("A128GCMKW + A128GCM")
            << encrypt(QStringLiteral("A128GCMKW"), QStringLiteral("A128GCM"), aes) << aes
            << QStringList{"aad", "key-fit", "encrypted-key", "gcmkw-params", "cek", "gcm-tag"};
        QTest::newRow("PBES2 + A128GCM") << encrypt(
            QStringLiteral("PBES2-HS256+A128KW"), QStringLiteral("A128GCM"),
            password) << password << QStringList{"aad", "key-fit", "encrypted-key", "pbes2-kek", "cek", "gcm-tag"};
    }

    void showsEachFamilysSteps()
    {
        QFETCH(QByteArray, token);
        QFETCH(Key, key);
        QFETCH(QStringList, expected);
        auto jwe = parseJwe(token);
        QVERIFY(jwe);
        const DecryptionWalkthrough walk = walkThroughDecryption(*jwe, key);
        QVERIFY2(walk.decrypted, qPrintable(walk.failureReason));
        QCOMPARE(ids(walk), expected);
        QCOMPARE(walk.plaintext, QByteArray("walk me through"));
        QCOMPARE(walk.failedStep, -1);
        // The AAD is the protected header as received; the CEK and what leads to it are secret.
        QCOMPARE(stepOf(walk, "aad")->value, jwe->protectedEncoded);
        QVERIFY(stepOf(walk, "cek")->secret);
        QVERIFY(!stepOf(walk, "aad")->secret);
        if (const WalkStep* z = stepOf(walk, "ecdh-z"))
            QVERIFY(z->secret && stepOf(walk, "derived-key")->secret);
        if (const WalkStep* kdf = stepOf(walk, "concat-kdf")) {
            QCOMPARE(kdf->fields.size(), size_t(4));
            QCOMPARE(kdf->fields.front().note, QStringLiteral("ECDH-ES+A128KW"));
        }

        // A changed tag fails at the step that checks it, as decryptJwe refuses it.
        auto tampered = parseJwe(flipTag(token));
        QVERIFY(tampered);
        const DecryptionWalkthrough failed = walkThroughDecryption(*tampered, key);
        QVERIFY(!failed.decrypted);
        QVERIFY(!decryptJwe(*tampered, {key}));
        QVERIFY(failed.failedStep >= 0);
        const QString failedId = failed.steps[static_cast<size_t>(failed.failedStep)].id;
        QVERIFY2(failedId == QLatin1String("tag-compare") || failedId == QLatin1String("gcm-tag"),
                 qPrintable(failedId));
        QVERIFY(failed.plaintext.isEmpty());
    }

    // A wrong AES key fails at the unwrap; RSA1_5 with a wrong key only at the tag (no padding oracle).
    void marksWhereAWrongKeyFails()
    {
        const Key aes = Key::fromSecret(SecretBytes(QByteArray(16, 'k')));
        const Key other = Key::fromSecret(SecretBytes(QByteArray(16, 'o')));
        auto kw = parseJwe(encrypt(QStringLiteral("A128KW"), QStringLiteral("A128GCM"), aes));
        QVERIFY(kw);
        const DecryptionWalkthrough wrong = walkThroughDecryption(*kw, other);
        QVERIFY(!wrong.decrypted);
        QCOMPARE(wrong.steps[static_cast<size_t>(wrong.failedStep)].id, QStringLiteral("cek"));

        const Key rsa = fixtureKey("rsa2048-pkcs8.pem");
        const KeyManagementInfo* rsa15 = findKeyManagement(u"RSA1_5");
        const EncInfo* enc = findEnc(u"A128GCM");
        const SecretBytes cek(QByteArray(16, 'c'));
        auto wrapped = rsaWrap(*rsa15, rsa.publicOnly(), cek);
        QVERIFY(wrapped);
        QByteArray badKey = *wrapped;
        badKey[badKey.size() - 1] = char(badKey[badKey.size() - 1] ^ 1);
        const QByteArray header = Base64Url::encode(R"({"alg":"RSA1_5","enc":"A128GCM"})");
        const QByteArray iv(12, 'i');
        auto sealed = sealContent(*enc, cek, iv, header, "legacy");
        QVERIFY(sealed);
        auto legacy = parseJwe(header + '.' + Base64Url::encode(badKey) + '.' + Base64Url::encode(iv) + '.'
                               + Base64Url::encode(sealed->ciphertext) + '.' + Base64Url::encode(sealed->tag));
        QVERIFY(legacy);
        const DecryptionWalkthrough walk = walkThroughDecryption(*legacy, rsa);
        QVERIFY(!walk.decrypted);
        QCOMPARE(walk.steps[static_cast<size_t>(walk.failedStep)].id, QStringLiteral("gcm-tag"));
        QCOMPARE(*stepOf(walk, "cek")->passed, true);
    }

    // A p2s under 8 bytes: every step would succeed (the token is made with it), but decryptJwe refuses it
    // (RFC 7518 §4.8.1.1), and so does the walkthrough.
    void agreesWithDecryptJwe()
    {
        const Key password = Key::fromSecret(SecretBytes(QByteArrayLiteral("a password")));
        const KeyManagementInfo* alg = findKeyManagement(u"PBES2-HS256+A128KW");
        const EncInfo* enc = findEnc(u"A128GCM");
        const QByteArray header
            = Base64Url::encode(R"({"alg":"PBES2-HS256+A128KW","enc":"A128GCM","p2s":"c2hvcnQ","p2c":1000})");
        auto kek = pbes2Key(*alg, password.secret(), "short", 1000);
        QVERIFY(kek);
        const SecretBytes cek(QByteArray(16, 'c'));
        auto wrapped = aesKeyWrap(*kek, cek);
        QVERIFY(wrapped);
        const QByteArray iv(12, 'i');
        auto sealed = sealContent(*enc, cek, iv, header, "x");
        QVERIFY(sealed);
        auto jwe = parseJwe(header + '.' + Base64Url::encode(*wrapped) + '.' + Base64Url::encode(iv) + '.'
                            + Base64Url::encode(sealed->ciphertext) + '.' + Base64Url::encode(sealed->tag));
        QVERIFY(jwe);
        const auto refused = decryptJwe(*jwe, {password});
        QVERIFY(!refused);
        QVERIFY(refused.message().contains(QLatin1String("at least 8")));
        const DecryptionWalkthrough walk = walkThroughDecryption(*jwe, password);
        QVERIFY(!walk.decrypted);
        QVERIFY(walk.plaintext.isEmpty());
        QCOMPARE(walk.failureReason, refused.message());
    }

    void refusesAKeyThatDoesNotFit()
    {
        const Key aes = Key::fromSecret(SecretBytes(QByteArray(16, 'k')));
        auto kw = parseJwe(encrypt(QStringLiteral("A128KW"), QStringLiteral("A128GCM"), aes));
        QVERIFY(kw);
        const DecryptionWalkthrough walk
            = walkThroughDecryption(*kw, Key::fromSecret(SecretBytes(QByteArray(32, 'k'))));
        QVERIFY(!walk.decrypted);
        QCOMPARE(walk.steps[static_cast<size_t>(walk.failedStep)].id, QStringLiteral("key-fit"));
        QVERIFY(walk.failureReason.contains(QLatin1String("128-bit AES key")));
    }
};

QTEST_GUILESS_MAIN(TestDecryptionWalkthrough)
#include "TestDecryptionWalkthrough.moc"
