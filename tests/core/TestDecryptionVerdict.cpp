// The decrypt verdict: each family decrypts and names the key with its provenance; keys are picked by kid as verify
// picks them (one shared rule); a key that does not fit, or a stored key merely tried, is never a failure; the
// user's own wrong key is; RSA1_5 never says which step failed (RFC 7516 §11.5); a nested JWS gets its own verdict.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jws.h"
#include "core/model/DecryptionVerdict.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

QByteArray readTestData(const QString& relative)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QLatin1Char('/') + relative);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test data %s (is JWTI_TESTDATA_DIR set?)", qPrintable(relative));
    return file.readAll();
}

Key fixtureKey(const char* name)
{
    auto keys = importKeys(readTestData(QStringLiteral("keys/") + QLatin1String(name)));
    if (!keys || keys->empty())
        qFatal("fixture %s does not import", name);
    Key key = keys->front();
    key.metadata.provenance.kind = KeyProvenance::Kind::File;
    key.metadata.provenance.file = QLatin1String(name);
    return key;
}

Key secret(QByteArray bytes)
{
    return Key::fromSecret(SecretBytes(bytes));
}

// A key as the key store offers it: tried where it fits, never the user's own choice.
Key stored(Key key, const QString& kid, const QString& set = QStringLiteral("enc"))
{
    key.metadata.kid = kid;
    key.metadata.provenance.kind = KeyProvenance::Kind::Keychain;
    key.metadata.provenance.chosenByUser = false;
    key.metadata.provenance.keySet = set;
    key.metadata.provenance.keyName = kid;
    key.metadata.provenance.status = QStringLiteral("active");
    return key;
}

QByteArray encrypt(const QByteArray& plaintext, const Key& key, const QString& alg, const QString& enc,
                   const QString& kid = {}, const QString& cty = {})
{
    JweEncryptOptions options;
    options.alg = alg;
    options.enc = enc;
    options.kid = kid;
    options.cty = cty;
    options.p2c = 1000;
    auto token = encryptJwe(plaintext, key, options);
    if (!token)
        qFatal("%s", qPrintable(token.message()));
    return *token;
}

QStringList checkNames(const DecryptionVerdict& verdict)
{
    QStringList names;
    for (const VerdictCheck& check : verdict.checks)
        names << check.name;
    return names;
}

const QStringList kCheckNames = {"alg-allowed", "key-fits", "key-management", "tag", "zip", "crit", "header"};

} // namespace

Q_DECLARE_METATYPE(jwti::Key)

class TestDecryptionVerdict : public QObject
{
    Q_OBJECT

private slots:
    void decryptsEachFamilyNamingTheKeyAndWhereItCameFrom_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<Key>("key");
        QTest::addColumn<QString>("provenance");
        const Key rsa = fixtureKey("rsa2048-pkcs8.pem");
        auto ec = generateEphemeralKey(QStringLiteral("P-256"));
        QVERIFY(ec);
        const Key aes = secret(QByteArray(16, 'k'));
        const Key dir = secret(QByteArray(32, 'd'));
        const Key password = secret("correct horse");
        QTest::newRow("RSA-OAEP-256") << encrypt("hello", rsa.publicOnly(), "RSA-OAEP-256", "A256GCM") << rsa
                                      << "file rsa2048-pkcs8.pem";
        QTest::newRow("ECDH-ES") << encrypt("hello", ec->publicOnly(), "ECDH-ES", "A128GCM") << *ec << "typed here";
        QTest::newRow("A128KW") << encrypt("hello", aes, "A128KW", "A128CBC-HS256") << aes << "typed here";
        QTest::newRow("dir") << encrypt("hello", dir, "dir", "A128CBC-HS256") << dir << "typed here";
        QTest::newRow("PBES2") << encrypt("hello", password, "PBES2-HS256+A128KW", "A128GCM") << password
                               << "typed here";
    }

    void decryptsEachFamilyNamingTheKeyAndWhereItCameFrom()
    {
        QFETCH(QByteArray, token);
        QFETCH(Key, key);
        QFETCH(QString, provenance);
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {key});
        QVERIFY2(verdict.isDecrypted(), qPrintable(verdict.headline));
        QCOMPARE(verdict.plaintext, QByteArray("hello"));
        QCOMPARE(checkNames(verdict), kCheckNames);
        QCOMPARE(verdict.keyProvenance, provenance);
        QVERIFY(verdict.headline.startsWith(QStringLiteral("Decrypted: ")));
        QVERIFY(verdict.headline.contains(provenance));
        QCOMPARE(verdict.check(u"key-management")->state, CheckState::Passed);
        QCOMPARE(verdict.check(u"tag")->state, CheckState::Passed);
        QCOMPARE(verdict.nested, NestedKind::None);
    }

    void theTokensKidPicksAmongStoredKeys()
    {
        const Key a = stored(secret(QByteArray(16, 'a')), QStringLiteral("a"));
        const Key b = stored(secret(QByteArray(16, 'b')), QStringLiteral("b"));
        const QByteArray token = encrypt("for b", b, "A128KW", "A128GCM", QStringLiteral("b"));
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {a, b});
        QVERIFY2(verdict.isDecrypted(), qPrintable(verdict.headline));
        QCOMPARE(verdict.keysTried, 1); // key a has another kid: never tried
        QCOMPARE(verdict.key->metadata.kid, QStringLiteral("b"));
        QCOMPARE(verdict.keyProvenance, QStringLiteral("keychain set enc, key b (active)"));

        // The kid picks the key, so its failure decides: a token for kid b that b does not open has failed.
        const QByteArray other = encrypt("not for b", secret(QByteArray(16, 'c')), "A128KW", "A128GCM", "b");
        const DecryptionVerdict failed = computeDecryptionVerdict(other, {a, b});
        QCOMPARE(failed.outcome, DecryptionOutcome::Failed);
        QCOMPARE(failed.code, ErrorCode::DecryptionFailed);
        QCOMPARE(failed.key->metadata.kid, QStringLiteral("b"));
    }

    void storedKeysMerelyTriedProveNothing()
    {
        const Key a = stored(secret(QByteArray(16, 'a')), QStringLiteral("a"));
        const QByteArray token = encrypt("no kid", secret(QByteArray(16, 'z')), "A128KW", "A128GCM");
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {a});
        QCOMPARE(verdict.outcome, DecryptionOutcome::NotDecrypted);
        QCOMPARE(verdict.keysTried, 1);
        QCOMPARE(verdict.reason, QStringLiteral("the 1 stored key that fits does not open it"));
    }

    void aKidNoKeyHasIsNotAFailure()
    {
        const Key a = stored(secret(QByteArray(16, 'a')), QStringLiteral("a"));
        const QByteArray token = encrypt("x", secret(QByteArray(16, 'z')), "A128KW", "A128GCM", "nobody");
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {a});
        QCOMPARE(verdict.outcome, DecryptionOutcome::NotDecrypted);
        QCOMPARE(verdict.reason, QStringLiteral("no key with kid \"nobody\""));
        QVERIFY(verdict.notes.contains(QStringLiteral("No stored key has kid \"nobody\"")));
    }

    void aKeyThatDoesNotFitIsNotAFailure()
    {
        auto ec = generateEphemeralKey(QStringLiteral("P-256"));
        QVERIFY(ec);
        const Key rsa = fixtureKey("rsa2048-pkcs8.pem");
        const QByteArray token = encrypt("x", rsa.publicOnly(), "RSA-OAEP", "A128GCM");
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {*ec});
        QCOMPARE(verdict.outcome, DecryptionOutcome::NotDecrypted);
        QCOMPARE(verdict.check(u"key-fits")->state, CheckState::Failed);
        QVERIFY2(verdict.reason.startsWith(QStringLiteral("the key given does not fit RSA-OAEP")),
                 qPrintable(verdict.reason));
        QCOMPARE(computeDecryptionVerdict(token, {}).reason, QStringLiteral("no key given"));
    }

    void theUsersWrongKeyFailsAtTheTag()
    {
        const QByteArray token = encrypt("x", secret(QByteArray(32, 'd')), "dir", "A128CBC-HS256");
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {secret(QByteArray(32, 'e'))});
        QCOMPARE(verdict.outcome, DecryptionOutcome::Failed);
        QVERIFY(verdict.headline.startsWith(QStringLiteral("Failed: ")));
        QCOMPARE(verdict.check(u"key-fits")->state, CheckState::Passed);
        QCOMPARE(verdict.check(u"tag")->state, CheckState::Failed);
        QVERIFY(verdict.plaintext.isEmpty());

        // A wrong AES key-wrap key fails at the unwrap, before the tag.
        const QByteArray wrapped = encrypt("x", secret(QByteArray(16, 'k')), "A128KW", "A128GCM");
        const DecryptionVerdict unwrap = computeDecryptionVerdict(wrapped, {secret(QByteArray(16, 'l'))});
        QCOMPARE(unwrap.outcome, DecryptionOutcome::Failed);
        QCOMPARE(unwrap.check(u"key-management")->state, CheckState::Failed);
        QCOMPARE(unwrap.check(u"tag")->state, CheckState::NotChecked);
    }

    void rsa15NeverSaysWhichStepFailed()
    {
        const QJsonObject example
            = QJsonDocument::fromJson(
                  readTestData(
                      QStringLiteral("vectors/jwe/cookbook/5_1.key_encryption_using_rsa_v15_and_aes-hmac-sha2.json")))
                  .object();
        const QByteArray token
            = example[QStringLiteral("output")].toObject()[QStringLiteral("compact")].toString().toUtf8();
        auto keys = importKeys(
            QJsonDocument(example[QStringLiteral("input")].toObject()[QStringLiteral("key")].toObject()).toJson());
        QVERIFY2(keys && !keys->empty(), qPrintable(keys ? QString() : keys.message()));
        const DecryptionVerdict good = computeDecryptionVerdict(token, {keys->front()});
        QVERIFY2(good.isDecrypted(), qPrintable(good.headline));

        // Another RSA key: the CEK it "unwraps" is random (RFC 7516 §11.5), so only the tag fails, and the
        // key-management check says it cannot tell.
        const DecryptionVerdict bad = computeDecryptionVerdict(token, {fixtureKey("rsa2048-pkcs8.pem")});
        QCOMPARE(bad.outcome, DecryptionOutcome::Failed);
        QCOMPARE(bad.code, ErrorCode::DecryptionFailed);
        QCOMPARE(bad.check(u"key-management")->state, CheckState::NotChecked);
        QCOMPARE(bad.check(u"tag")->state, CheckState::Failed);
        QVERIFY(!bad.reason.contains(QStringLiteral("padding"), Qt::CaseInsensitive));
        QVERIFY(!bad.reason.contains(QStringLiteral("unwrap"), Qt::CaseInsensitive));
    }

    void aNestedJwsGetsItsOwnVerdict()
    {
        const Key hmac = secret(QByteArray(32, 's'));
        SignOptions sign;
        sign.alg = QStringLiteral("HS256");
        auto inner = signToken(R"({"sub":"inner"})", hmac, sign);
        QVERIFY(inner);
        const Key dir = secret(QByteArray(32, 'd'));
        const QByteArray token = encrypt(*inner, dir, "dir", "A128CBC-HS256", {}, "JWT");

        DecryptionExpectations expectations;
        expectations.verifyKeys = {hmac};
        const DecryptionVerdict verdict = computeDecryptionVerdict(token, {dir}, expectations);
        QVERIFY2(verdict.isDecrypted(), qPrintable(verdict.headline));
        QCOMPARE(verdict.nested, NestedKind::Jws);
        QVERIFY(verdict.inner);
        QVERIFY(verdict.innerVerdict);
        QVERIFY2(verdict.innerVerdict->isValid(), qPrintable(verdict.innerVerdict->headline));

        // Without verify keys the inner token is decoded, not verified; the decrypting key never verifies it.
        const DecryptionVerdict unverified = computeDecryptionVerdict(token, {dir});
        QCOMPARE(unverified.innerVerdict->outcome, VerdictOutcome::NotVerified);
    }

    void theZipCapIsAFailedCheck()
    {
        const Key aes = secret(QByteArray(16, 'k'));
        JweEncryptOptions options;
        options.alg = QStringLiteral("A128KW");
        options.enc = QStringLiteral("A128GCM");
        options.zip = QStringLiteral("DEF");
        auto token = encryptJwe(QByteArray(4096, 'a'), aes, options);
        QVERIFY(token);
        DecryptionExpectations expectations;
        expectations.maxInflatedBytes = 1024;
        const DecryptionVerdict verdict = computeDecryptionVerdict(*token, {aes}, expectations);
        QCOMPARE(verdict.outcome, DecryptionOutcome::Failed);
        QCOMPARE(verdict.check(u"zip")->state, CheckState::Failed);
        QVERIFY(verdict.plaintext.isEmpty());
        const DecryptionVerdict within = computeDecryptionVerdict(*token, {aes});
        QVERIFY(within.isDecrypted());
        QCOMPARE(within.check(u"zip")->state, CheckState::Passed);
    }

    void anAlgNotAllowedFails()
    {
        const Key aes = secret(QByteArray(16, 'k'));
        DecryptionExpectations expectations;
        expectations.allowedAlgs = {QStringLiteral("RSA-OAEP-256")};
        const DecryptionVerdict verdict
            = computeDecryptionVerdict(encrypt("x", aes, "A128KW", "A128GCM"), {aes}, expectations);
        QCOMPARE(verdict.outcome, DecryptionOutcome::Failed);
        QCOMPARE(verdict.code, ErrorCode::AlgNotAllowed);
        QCOMPARE(verdict.check(u"alg-allowed")->state, CheckState::Failed);
    }

    void malformedTextSaysWhereInTheHeaderCheck()
    {
        const DecryptionVerdict verdict = computeDecryptionVerdict(QByteArrayView("a.b.c.d.e"), {});
        QCOMPARE(verdict.outcome, DecryptionOutcome::Malformed);
        QCOMPARE(checkNames(verdict), kCheckNames);
        QVERIFY(verdict.headline.startsWith(QStringLiteral("Malformed JWE: ")));
        QCOMPARE(decryptionOutcomeName(verdict.outcome), QStringLiteral("malformed"));
    }
};

QTEST_GUILESS_MAIN(TestDecryptionVerdict)
#include "TestDecryptionVerdict.moc"
