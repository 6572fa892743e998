#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QTest>

using namespace jwti;

namespace {

QByteArray fixture(const QString& name)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing key fixture %s (is JWTI_TESTDATA_DIR set?)", qPrintable(file.fileName()));
    return file.readAll();
}

const SecretBytes kPassphrase(QByteArrayView("correct horse"));

} // namespace

class TestKeys : public QObject
{
    Q_OBJECT

private slots:
    void importsEveryKeyForm_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("encrypted");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("kty");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("curve");

        const QString rsaPrivate = QStringLiteral("RSA 2048-bit private key");
        const QString rsaPublic = QStringLiteral("RSA 2048-bit public key");
        const QString rsa = QStringLiteral("RSA");
        QTest::newRow("PKCS#1 RSA PRIVATE KEY") << "rsa2048-pkcs1.pem" << false << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("PKCS#8 PRIVATE KEY") << "rsa2048-pkcs8.pem" << false << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("PKCS#8 ENCRYPTED PRIVATE KEY")
            << "rsa2048-pkcs8-encrypted.pem" << true << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("PKCS#1 legacy encrypted")
            << "rsa2048-pkcs1-encrypted.pem" << true << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("SPKI PUBLIC KEY") << "rsa2048-spki.pem" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("PKCS#1 RSA PUBLIC KEY") << "rsa2048-pkcs1-public.pem" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("X.509 CERTIFICATE") << "rsa2048-cert.pem" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("DER PKCS#1 private") << "rsa2048-pkcs1.der" << false << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("DER PKCS#8") << "rsa2048-pkcs8.der" << false << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("DER encrypted PKCS#8")
            << "rsa2048-pkcs8-encrypted.der" << true << rsaPrivate << rsa << 2048 << "";
        QTest::newRow("DER SPKI") << "rsa2048-spki.der" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("DER PKCS#1 public") << "rsa2048-pkcs1-public.der" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("DER certificate") << "rsa2048-cert.der" << false << rsaPublic << rsa << 2048 << "";
        QTest::newRow("SEC1 EC PRIVATE KEY with EC PARAMETERS") << "ec-p256-sec1.pem" << false << "EC P-256 private key"
                                                                << "EC" << 256 << "P-256";
        QTest::newRow("DER SEC1") << "ec-p256-sec1.der" << false << "EC P-256 private key"
                                  << "EC" << 256 << "P-256";
        QTest::newRow("EC PKCS#8") << "ec-p256-pkcs8.pem" << false << "EC P-256 private key"
                                   << "EC" << 256 << "P-256";
        QTest::newRow("EC SPKI") << "ec-p256-spki.pem" << false << "EC P-256 public key"
                                 << "EC" << 256 << "P-256";
        QTest::newRow("Ed25519 PKCS#8") << "ed25519-pkcs8.pem" << false << "Ed25519 private key"
                                        << "OKP" << 256 << "Ed25519";
        QTest::newRow("Ed25519 SPKI") << "ed25519-spki.pem" << false << "Ed25519 public key"
                                      << "OKP" << 256 << "Ed25519";
        QTest::newRow("Ed448 PKCS#8") << "ed448-pkcs8.pem" << false << "Ed448 private key"
                                      << "OKP" << 456 << "Ed448";
        // RFC 8037 §3.2: X25519 keys are ECDH-ES (JWE) keys; they used to be refused as no JWS key.
        QTest::newRow("X25519 PKCS#8") << "x25519-pkcs8.pem" << false << "X25519 private key"
                                       << "OKP" << 256 << "X25519";
    }

    void importsEveryKeyForm()
    {
        QFETCH(QString, file);
        QFETCH(bool, encrypted);
        QFETCH(QString, description);
        QFETCH(QString, kty);
        QFETCH(int, bits);
        QFETCH(QString, curve);
        auto keys = importKeys(fixture(file), encrypted ? kPassphrase : SecretBytes());
        QVERIFY2(keys.ok(), qPrintable(keys.ok() ? QString() : keys.message()));
        QCOMPARE(keys->size(), size_t(1));
        const Key& key = keys->front();
        QCOMPARE(key.description(), description);
        QCOMPARE(key.jwkKty(), kty);
        QCOMPARE(key.bits(), bits);
        QCOMPARE(key.curve(), curve);
        QVERIFY(!key.metadata.source.isEmpty());
    }

    void everyFormOfOneRsaKeyHasTheSameThumbprint()
    {
        const QStringList files = {"rsa2048-pkcs1.pem",
                                   "rsa2048-pkcs8.pem",
                                   "rsa2048-spki.pem",
                                   "rsa2048-pkcs1-public.pem",
                                   "rsa2048-cert.pem",
                                   "rsa2048-pkcs8.der",
                                   "rsa2048-spki.der",
                                   "rsa2048-pkcs1-public.der",
                                   "rsa2048-cert.der",
                                   "rsa2048-pkcs8-encrypted.pem",
                                   "rsa2048-pkcs1-encrypted.pem",
                                   "rsa2048-pkcs8-encrypted.der",
                                   "rsa2048-pkcs1.der"};
        QString expected;
        for (const QString& file : files) {
            auto keys = importKeys(fixture(file), kPassphrase);
            QVERIFY2(keys.ok(), qPrintable(file));
            const QString print = thumbprint(keys->front());
            QCOMPARE(print.size(), 43);
            if (expected.isEmpty())
                expected = print;
            QVERIFY2(print == expected, qPrintable(file));
        }
    }

    void certificateKeepsItsSubject()
    {
        auto keys = importKeys(fixture("rsa2048-cert.pem"));
        QVERIFY(keys.ok());
        QVERIFY2(keys->front().metadata.source.contains(u"CN=jwti test"), qPrintable(keys->front().metadata.source));
        QVERIFY(!keys->front().hasPrivate());
    }

    void importsEveryBlockOfABundle()
    {
        auto keys = importKeys(fixture("bundle-three-blocks.pem"));
        QVERIFY2(keys.ok(), qPrintable(keys.ok() ? QString() : keys.message()));
        QCOMPARE(keys->size(), size_t(3));
        QCOMPARE(keys->at(0).jwkKty(), QStringLiteral("RSA"));
        QCOMPARE(keys->at(1).curve(), QStringLiteral("P-256"));
        QCOMPARE(keys->at(2).curve(), QStringLiteral("Ed25519"));
        QVERIFY(keys->at(1).metadata.source.startsWith(u"PEM block 2"));
    }

    void encryptedKeyWithoutPassphraseNeedsOne_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("PKCS#8 PEM") << "rsa2048-pkcs8-encrypted.pem";
        QTest::newRow("legacy PEM") << "rsa2048-pkcs1-encrypted.pem";
        QTest::newRow("PKCS#8 DER") << "rsa2048-pkcs8-encrypted.der";
    }

    void encryptedKeyWithoutPassphraseNeedsOne()
    {
        QFETCH(QString, file);
        auto keys = importKeys(fixture(file));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.code(), ErrorCode::PassphraseRequired);
    }

    void encryptedKeyWithWrongPassphraseIsRefused_data() { encryptedKeyWithoutPassphraseNeedsOne_data(); }

    void encryptedKeyWithWrongPassphraseIsRefused()
    {
        QFETCH(QString, file);
        auto keys = importKeys(fixture(file), SecretBytes(QByteArrayView("battery staple")));
        QVERIFY(!keys.ok());
        QCOMPARE(keys.code(), ErrorCode::PassphraseWrong);
        QVERIFY(!keys.message().contains(u"battery"));
    }

    void refusesKeysThatAskForAbsurdKeyDerivationWork_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("PEM") << "rsa2048-pkcs8-encrypted-huge-iterations.pem";
        QTest::newRow("DER") << "rsa2048-pkcs8-encrypted-huge-iterations.der";
    }

    void refusesKeysThatAskForAbsurdKeyDerivationWork()
    {
        // 2^31-1 PBKDF2 iterations would take minutes; the file is refused before any derivation, with or without
        // a passphrase.
        QFETCH(QString, file);
        for (const SecretBytes& passphrase : {SecretBytes(), kPassphrase}) {
            auto keys = importKeys(fixture(file), passphrase);
            QVERIFY(!keys.ok());
            QCOMPARE(keys.code(), ErrorCode::KeyUnsupported);
            QVERIFY2(keys.message().contains(u"2147483647 key-derivation iterations"), qPrintable(keys.message()));
        }
    }

    void refusesWhatIsNotAKey_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("words");
        QTest::newRow("empty") << QByteArray() << ErrorCode::KeyInvalid << "empty";
        QTest::newRow("plain text") << QByteArray("hello world") << ErrorCode::KeyInvalid
                                    << "expected PEM, DER, JWK or JWKS";
        QTest::newRow("truncated PEM") << QByteArray("-----BEGIN PUBLIC KEY-----\nMIIB\n") << ErrorCode::KeyInvalid
                                       << "no \"-----END PUBLIC KEY-----\"";
        QTest::newRow("PEM garbage body") << QByteArray("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
                                          << ErrorCode::KeyInvalid << "PEM block 1 (PUBLIC KEY)";
        QTest::newRow("PEM of a CSR") << QByteArray("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE "
                                                    "REQUEST-----\n")
                                      << ErrorCode::KeyUnsupported << "not a key";
        QTest::newRow("DER garbage") << QByteArray("\x30\x03\x02\x01\x01", 5) << ErrorCode::KeyInvalid << "not a key";
        QTest::newRow("P-224 key") << fixture("ec-p224-pkcs8.pem") << ErrorCode::KeyUnsupported << "secp224r1";
        QTest::newRow("JSON without kty") << QByteArray("{\"n\":\"AQAB\"}") << ErrorCode::KeyInvalid << "kty";
        QTest::newRow("broken JSON") << QByteArray("{\"kty\":") << ErrorCode::Json << "offset";
    }

    void refusesWhatIsNotAKey()
    {
        QFETCH(QByteArray, input);
        QFETCH(ErrorCode, code);
        QFETCH(QString, words);
        auto keys = importKeys(input);
        QVERIFY(!keys.ok());
        QVERIFY2(keys.code() == code, qPrintable(errorCodeName(keys.code()) + QStringLiteral(": ") + keys.message()));
        QVERIFY2(keys.message().contains(words), qPrintable(keys.message()));
    }

    void importsJwkAndJwksThroughImportKeys()
    {
        auto jwk = importKeys(
            R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow","kid":"hmac"})");
        QVERIFY2(jwk.ok(), qPrintable(jwk.ok() ? QString() : jwk.message()));
        QCOMPARE(jwk->size(), size_t(1));
        QCOMPARE(jwk->front().description(), QStringLiteral("HMAC secret (512 bits)"));
        QCOMPARE(jwk->front().metadata.kid, QStringLiteral("hmac"));

        auto jwks = importKeys(
            R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a"},)"
            R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"b"}]})");
        QVERIFY2(jwks.ok(), qPrintable(jwks.ok() ? QString() : jwks.message()));
        QCOMPARE(jwks->size(), size_t(2));
    }

    void importsSecrets_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<SecretEncoding>("encoding");
        QTest::addColumn<QByteArray>("bytes");
        QTest::newRow("text") << QByteArray("your-256-bit-secret") << SecretEncoding::Text
                              << QByteArray("your-256-bit-secret");
        QTest::newRow("hex lower") << QByteArray("00ff10") << SecretEncoding::Hex << QByteArray("\x00\xff\x10", 3);
        QTest::newRow("hex upper, newline") << QByteArray("ABCD\n") << SecretEncoding::Hex << QByteArray("\xab\xcd");
        QTest::newRow("base64 standard padded")
            << QByteArray("+/8=") << SecretEncoding::Base64 << QByteArray("\xfb\xff");
        QTest::newRow("base64 url unpadded") << QByteArray("-_8") << SecretEncoding::Base64 << QByteArray("\xfb\xff");
        QTest::newRow("base64 two pads") << QByteArray("YQ==") << SecretEncoding::Base64 << QByteArray("a");
    }

    void importsSecrets()
    {
        QFETCH(QByteArray, input);
        QFETCH(SecretEncoding, encoding);
        QFETCH(QByteArray, bytes);
        auto key = importSecret(input, encoding);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        QCOMPARE(key->type(), KeyType::Oct);
        QVERIFY(key->secret().equals(bytes));
    }

    void refusesMalformedSecrets_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<SecretEncoding>("encoding");
        QTest::addColumn<QString>("words");
        QTest::newRow("empty text") << QByteArray() << SecretEncoding::Text << "empty";
        QTest::newRow("odd hex") << QByteArray("abc") << SecretEncoding::Hex << "odd number of digits (3)";
        QTest::newRow("non-hex digit") << QByteArray("abzz") << SecretEncoding::Hex << "offset 2";
        QTest::newRow("mixed alphabets") << QByteArray("+_8") << SecretEncoding::Base64 << "mixes";
        QTest::newRow("three pads") << QByteArray("Y===") << SecretEncoding::Base64 << "padding";
        QTest::newRow("pad not to 4") << QByteArray("YQ=") << SecretEncoding::Base64 << "padding";
        QTest::newRow("non-canonical bits") << QByteArray("YR") << SecretEncoding::Base64 << "spare bits";
        QTest::newRow("bad character") << QByteArray("YQ*A") << SecretEncoding::Base64 << "offset 2";
        QTest::newRow("impossible length") << QByteArray("YQABC") << SecretEncoding::Base64 << "impossible length";
    }

    void refusesMalformedSecrets()
    {
        QFETCH(QByteArray, input);
        QFETCH(SecretEncoding, encoding);
        QFETCH(QString, words);
        auto key = importSecret(input, encoding);
        QVERIFY(!key.ok());
        QCOMPARE(key.code(), ErrorCode::KeyInvalid);
        QVERIFY2(key.message().contains(words), qPrintable(key.message()));
    }

    void exportsPublicPemAndDerThatReimport()
    {
        auto keys = importKeys(fixture("ec-p256-sec1.pem"));
        QVERIFY(keys.ok());
        const Key& key = keys->front();
        const QByteArray pem = exportPublicPem(key);
        QVERIFY(pem.startsWith("-----BEGIN PUBLIC KEY-----"));
        QCOMPARE(pem, fixture("ec-p256-spki.pem"));
        auto fromPem = importKeys(pem);
        QVERIFY(fromPem.ok());
        QVERIFY(!fromPem->front().hasPrivate());
        QCOMPARE(thumbprint(fromPem->front()), thumbprint(key));
        auto fromDer = importKeys(exportPublicDer(key));
        QVERIFY(fromDer.ok());
        QCOMPARE(thumbprint(fromDer->front()), thumbprint(key));
    }

    void exportsPrivatePkcs8PlainAndEncrypted()
    {
        auto keys = importKeys(fixture("rsa2048-pkcs1.pem"));
        QVERIFY(keys.ok());
        const Key& key = keys->front();
        auto plain = exportPrivatePem(key);
        QVERIFY(plain.ok());
        QVERIFY(plain->startsWith("-----BEGIN PRIVATE KEY-----"));
        QCOMPARE(*plain, fixture("rsa2048-pkcs8.pem"));

        auto encrypted = exportPrivatePem(key, kPassphrase);
        QVERIFY(encrypted.ok());
        QVERIFY(encrypted->startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        QCOMPARE(importKeys(*encrypted).code(), ErrorCode::PassphraseRequired);
        auto back = importKeys(*encrypted, kPassphrase);
        QVERIFY(back.ok());
        QVERIFY(back->front().hasPrivate());
        QCOMPARE(thumbprint(back->front()), thumbprint(key));

        auto der = exportPrivateDer(key);
        QVERIFY(der.ok());
        QCOMPARE(der->view(), QByteArrayView(fixture("rsa2048-pkcs8.der")));
    }

    void privateExportRefusesPublicKeysAndSecrets()
    {
        auto keys = importKeys(fixture("rsa2048-spki.pem"));
        QVERIFY(keys.ok());
        QCOMPARE(exportPrivatePem(keys->front()).code(), ErrorCode::KeyInvalid);
        QCOMPARE(exportPrivateDer(keys->front()).code(), ErrorCode::KeyInvalid);
        const Key secret = Key::fromSecret(SecretBytes(QByteArrayView("0123456789abcdef0123456789abcdef")));
        QCOMPARE(exportPrivatePem(secret).code(), ErrorCode::KeyUnsupported);
        QVERIFY(exportPublicPem(secret).isEmpty());
    }

    void publicOnlyDropsThePrivateHalf()
    {
        auto keys = importKeys(fixture("ed25519-pkcs8.pem"));
        QVERIFY(keys.ok());
        Key key = keys->front();
        key.metadata.kid = QStringLiteral("k1");
        const Key pub = key.publicOnly();
        QVERIFY(key.hasPrivate());
        QVERIFY(!pub.hasPrivate());
        QCOMPARE(pub.metadata.kid, QStringLiteral("k1"));
        QCOMPARE(pub.description(), QStringLiteral("Ed25519 public key"));
        QCOMPARE(thumbprint(pub), thumbprint(key));
        QVERIFY(Key::fromSecret(SecretBytes(QByteArrayView("x"))).publicOnly().isNull());
    }

    void describesSecrets()
    {
        const Key secret = Key::fromSecret(SecretBytes(QByteArray(32, 'a')));
        QCOMPARE(secret.description(), QStringLiteral("HMAC secret (256 bits)"));
        QCOMPARE(secret.bits(), 256);
        QCOMPARE(secret.jwkKty(), QStringLiteral("oct"));
        QVERIFY(secret.curve().isEmpty());
        QVERIFY(Key().isNull());
    }

    void keySpecFollowsTheAlgorithm_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<int>("bits");
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<int>("specBits");
        QTest::addColumn<QString>("curve");
        QTest::newRow("HS256") << "HS256" << 0 << KeyType::Oct << 256 << "";
        QTest::newRow("HS512") << "HS512" << 0 << KeyType::Oct << 512 << "";
        QTest::newRow("HS256 with 512 bits") << "HS256" << 512 << KeyType::Oct << 512 << "";
        QTest::newRow("RS256") << "RS256" << 0 << KeyType::Rsa << 2048 << "";
        QTest::newRow("PS384 4096") << "PS384" << 4096 << KeyType::Rsa << 4096 << "";
        QTest::newRow("ES384") << "ES384" << 0 << KeyType::Ec << 0 << "P-384";
        QTest::newRow("ES256K") << "ES256K" << 0 << KeyType::Ec << 0 << "secp256k1";
        QTest::newRow("EdDSA") << "EdDSA" << 0 << KeyType::Okp << 0 << "Ed25519";
        QTest::newRow("Ed448") << "Ed448" << 0 << KeyType::Okp << 0 << "Ed448";
    }

    void keySpecFollowsTheAlgorithm()
    {
        QFETCH(QString, alg);
        QFETCH(int, bits);
        QFETCH(KeyType, type);
        QFETCH(int, specBits);
        QFETCH(QString, curve);
        auto spec = keySpecForAlg(*findAlg(alg), bits);
        QVERIFY(spec.ok());
        QCOMPARE(spec->type, type);
        QCOMPARE(spec->bits, specBits);
        QCOMPARE(spec->curve, curve);
    }

    void keySpecRefusesWeakOrOddSizes()
    {
        QCOMPARE(keySpecForAlg(*findAlg(u"HS512"), 256).code(), ErrorCode::KeyWeak);
        QCOMPARE(keySpecForAlg(*findAlg(u"RS256"), 1024).code(), ErrorCode::KeyWeak);
        QCOMPARE(keySpecForAlg(*findAlg(u"RS256"), 2500).code(), ErrorCode::KeyUnsupported);
        QCOMPARE(keySpecForAlg(*findAlg(u"none")).code(), ErrorCode::AlgNone);
    }

    void generatesEveryKeyKind_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("description");
        QTest::newRow("RSA 2048") << KeyType::Rsa << 2048 << ""
                                  << "RSA 2048-bit private key";
        QTest::newRow("RSA 3072") << KeyType::Rsa << 3072 << ""
                                  << "RSA 3072-bit private key";
        QTest::newRow("P-256") << KeyType::Ec << 0 << "P-256"
                               << "EC P-256 private key";
        QTest::newRow("P-384") << KeyType::Ec << 0 << "P-384"
                               << "EC P-384 private key";
        QTest::newRow("P-521") << KeyType::Ec << 0 << "P-521"
                               << "EC P-521 private key";
        QTest::newRow("secp256k1") << KeyType::Ec << 0 << "secp256k1"
                                   << "EC secp256k1 private key";
        QTest::newRow("Ed25519") << KeyType::Okp << 0 << "Ed25519"
                                 << "Ed25519 private key";
        QTest::newRow("Ed448") << KeyType::Okp << 0 << "Ed448"
                               << "Ed448 private key";
        QTest::newRow("HMAC 256") << KeyType::Oct << 256 << ""
                                  << "HMAC secret (256 bits)";
        QTest::newRow("HMAC 384") << KeyType::Oct << 384 << ""
                                  << "HMAC secret (384 bits)";
        QTest::newRow("HMAC 512") << KeyType::Oct << 512 << ""
                                  << "HMAC secret (512 bits)";
    }

    void generatesEveryKeyKind()
    {
        QFETCH(KeyType, type);
        QFETCH(int, bits);
        QFETCH(QString, curve);
        QFETCH(QString, description);
        auto key = generateKey(KeySpec{type, bits, curve});
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        QCOMPARE(key->description(), description);
        QVERIFY(key->hasPrivate());
    }

    void twoGeneratedSecretsDiffer()
    {
        auto first = generateKey(KeySpec{KeyType::Oct, 256, {}});
        auto second = generateKey(KeySpec{KeyType::Oct, 256, {}});
        QVERIFY(first.ok() && second.ok());
        QVERIFY(!first->secret().equals(second->secret().view()));
    }

    void generationRefusesUnsupportedSpecs()
    {
        QCOMPARE(generateKey(KeySpec{KeyType::Rsa, 1024, {}}).code(), ErrorCode::KeyUnsupported);
        QCOMPARE(generateKey(KeySpec{KeyType::Ec, 0, QStringLiteral("P-192")}).code(), ErrorCode::KeyUnsupported);
        QCOMPARE(generateKey(KeySpec{KeyType::Okp, 0, QStringLiteral("X25519")}).code(), ErrorCode::KeyUnsupported);
        QCOMPARE(generateKey(KeySpec{KeyType::Oct, 128, {}}).code(), ErrorCode::KeyUnsupported);
    }

    void cancelledGenerationStops_data()
    {
        QTest::addColumn<KeyType>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("curve");
        // RSA stops inside OpenSSL, through the progress callback (a 4096-bit key would otherwise take seconds).
        QTest::newRow("RSA 4096") << KeyType::Rsa << 4096 << "";
        QTest::newRow("RSA 2048") << KeyType::Rsa << 2048 << "";
        QTest::newRow("P-256") << KeyType::Ec << 0 << "P-256";
    }

    void cancelledGenerationStops()
    {
        QFETCH(KeyType, type);
        QFETCH(int, bits);
        QFETCH(QString, curve);
        std::atomic_bool cancel{true};
        auto key = generateKey(KeySpec{type, bits, curve}, &cancel);
        QVERIFY(!key.ok());
        QCOMPARE(key.code(), ErrorCode::Crypto);
        QCOMPARE(key.message(), QStringLiteral("cancelled"));
    }

    void uncancelledFlagDoesNotStopGeneration()
    {
        std::atomic_bool cancel{false};
        auto key = generateKey(KeySpec{KeyType::Rsa, 2048, {}}, &cancel);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
    }
};

QTEST_GUILESS_MAIN(TestKeys)
#include "TestKeys.moc"
