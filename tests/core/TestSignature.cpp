#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"

#include <QFile>
#include <QTest>
#include <map>
// The test makes signatures our API must refuse (PSS with another salt length), so it calls OpenSSL itself.
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace jwti;

namespace {

QByteArray fixture(const QString& name)
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing key fixture %s (is JWTI_TESTDATA_DIR set?)", qPrintable(file.fileName()));
    return file.readAll();
}

const AlgInfo& alg(const char* name)
{
    const AlgInfo* info = findAlg(QString::fromLatin1(name));
    if (!info)
        qFatal("unknown alg %s", name);
    return *info;
}

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text));
}

const QByteArray kInput("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxMjM0In0");

// PSS signature with a chosen salt length, made with OpenSSL directly.
QByteArray signPss(const Key& key, int saltLength)
{
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    QByteArray signature(EVP_PKEY_get_size(key.pkey()), '\0');
    size_t length = static_cast<size_t>(signature.size());
    const bool ok = EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, key.pkey()) == 1
        && EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1
        && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltLength) == 1
        && EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &length,
                          reinterpret_cast<const unsigned char*>(kInput.constData()),
                          static_cast<size_t>(kInput.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        qFatal("OpenSSL could not make the PSS test signature");
    return signature;
}

} // namespace

class TestSignature : public QObject
{
    Q_OBJECT

    std::map<QString, Key> m_keys; // one generated key per key spec, shared by the algs that use it

    const Key& keyFor(const AlgInfo& info)
    {
        auto spec = keySpecForAlg(info);
        if (!spec)
            qFatal("no key spec for %s", info.name);
        const QString id = QStringLiteral("%1/%2/%3").arg(int(spec->type)).arg(spec->bits).arg(spec->curve);
        auto found = m_keys.find(id);
        if (found == m_keys.end()) {
            auto key = generateKey(*spec);
            if (!key)
                qFatal("generation failed: %s", qPrintable(key.message()));
            found = m_keys.emplace(id, *key).first;
        }
        return found->second;
    }

    Key ecKey(const char* name) { return keyFor(alg(name)); }

private slots:
    void signsAndVerifiesEveryAlg_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("signatureBytes");
        for (const AlgInfo& info : allAlgs()) {
            if (info.scheme == SignatureScheme::None)
                continue;
            const int bytes = info.signatureBytes != 0  ? info.signatureBytes
                : info.scheme == SignatureScheme::EdDsa ? 64
                                                        : 256;
            QTest::newRow(info.name) << info.displayName() << bytes;
        }
    }

    void signsAndVerifiesEveryAlg()
    {
        QFETCH(QString, name);
        QFETCH(int, signatureBytes);
        const AlgInfo& info = *findAlg(name);
        const Key& key = keyFor(info);
        auto signature = signBytes(info, key, kInput);
        QVERIFY2(signature.ok(), qPrintable(signature.ok() ? QString() : signature.message()));
        QCOMPARE(signature->size(), signatureBytes);

        const Key verifier = key.type() == KeyType::Oct ? key : key.publicOnly();
        auto verified = verifyBytes(info, verifier, kInput, *signature);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.message()));

        QByteArray tamperedInput = kInput;
        tamperedInput[5] = tamperedInput[5] ^ 1;
        QCOMPARE(verifyBytes(info, verifier, tamperedInput, *signature).code(), ErrorCode::SignatureInvalid);

        QByteArray tamperedSignature = *signature;
        tamperedSignature[tamperedSignature.size() - 1] = tamperedSignature.back() ^ 1;
        auto tampered = verifyBytes(info, verifier, kInput, tamperedSignature);
        QVERIFY(!tampered.ok());
        QVERIFY(tampered.code() == ErrorCode::SignatureInvalid || tampered.code() == ErrorCode::SignatureMalformed);
        QCOMPARE(ERR_peek_error(), 0UL); // nothing stale left in OpenSSL's queue
    }

    void eddsaAcceptsEd448()
    {
        const Key ed448 = keyFor(alg("Ed448"));
        auto signature = signBytes(alg("EdDSA"), ed448, kInput);
        QVERIFY(signature.ok());
        QCOMPARE(signature->size(), 114);
        QVERIFY(verifyBytes(alg("EdDSA"), ed448.publicOnly(), kInput, *signature).ok());
        QVERIFY(verifyBytes(alg("Ed448"), ed448.publicOnly(), kInput, *signature).ok());
        auto wrongCurve = verifyBytes(alg("Ed25519"), ed448, kInput, *signature);
        QCOMPARE(wrongCurve.code(), ErrorCode::KeyMismatch);
        QCOMPARE(wrongCurve.message(), QStringLiteral("Ed25519 needs an Ed25519 key; this is Ed448"));
    }

    void knownAnswers()
    {
        // RFC 4231 §4.3 (test case 2) and FIPS 180-2 "abc".
        QCOMPARE(computeHmac(Digest::Sha256, "Jefe", "what do ya want for nothing?"),
                 hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        QCOMPARE(computeDigest(Digest::Sha256, "abc"),
                 hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(computeDigest(Digest::Sha384, "abc").size(), 48);
        QCOMPARE(computeDigest(Digest::Sha512, "abc").size(), 64);
        QVERIFY(computeDigest(Digest::None, "abc").isEmpty());
    }

    void hmacRefusesTruncatedOrLongerTags()
    {
        const AlgInfo& hs256 = alg("HS256");
        const Key& key = keyFor(hs256);
        auto tag = signBytes(hs256, key, kInput);
        QVERIFY(tag.ok());
        auto truncated = verifyBytes(hs256, key, kInput, tag->first(16));
        QCOMPARE(truncated.code(), ErrorCode::SignatureMalformed);
        QVERIFY2(truncated.message().contains(u"full 32 bytes"), qPrintable(truncated.message()));
        QCOMPARE(verifyBytes(hs256, key, kInput, *tag + '\0').code(), ErrorCode::SignatureMalformed);
        QCOMPARE(verifyBytes(hs256, key, kInput, QByteArray()).code(), ErrorCode::SignatureMalformed);
    }

    // A reused verifier restarts every message from the key: a tag that fails, then one that verifies, then a wrong one
    // again, each gets its own answer, for every alg (HMAC re-initialises one context rather than copying one).
    void reusedVerifierAnswersEachMessageAfresh_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : {"HS256", "HS384", "HS512", "RS256", "PS256", "ES256", "EdDSA"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }
    void reusedVerifierAnswersEachMessageAfresh()
    {
        QFETCH(QString, name);
        const AlgInfo& info = alg(qPrintable(name));
        const Key& key = keyFor(info);
        const SignatureVerifier verifier(info, key);
        for (int round = 0; round < 3; ++round) {
            const QByteArray message = kInput + QByteArray::number(round);
            auto signature = signBytes(info, key, message);
            QVERIFY(signature.ok());
            QByteArray altered = *signature;
            altered[altered.size() / 2] = char(altered[altered.size() / 2] ^ 1);
            QVERIFY(!verifier.verify(message, altered).ok());
            QVERIFY2(verifier.verify(message, *signature).ok(), qPrintable(name));
            QVERIFY(!verifier.verify(message + 'x', *signature).ok());
            QVERIFY(verifier.verify(message, *signature).ok());
        }
    }

    void ecdsaRefusesMalformedSignatures_data()
    {
        const QByteArray order = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
        const QByteArray one = QByteArray(31, '\0') + '\x01';
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QString>("words");
        QTest::newRow("r = s = 0") << QByteArray(64, '\0') << "r = 0";
        QTest::newRow("s = 0") << one + QByteArray(32, '\0') << "s = 0";
        QTest::newRow("r = n") << order + one << "r not below the group order";
        QTest::newRow("s = n") << one + order << "s not below the group order";
        QTest::newRow("r = 2^256 - 1") << QByteArray(32, '\xff') + one << "r not below";
        QTest::newRow("63 bytes") << QByteArray(63, '\x01') << "63 bytes";
        QTest::newRow("65 bytes") << QByteArray(65, '\x01') << "65 bytes";
        QTest::newRow("empty") << QByteArray() << "0 bytes";
    }

    void ecdsaRefusesMalformedSignatures()
    {
        QFETCH(QByteArray, signature);
        QFETCH(QString, words);
        auto result = verifyBytes(alg("ES256"), ecKey("ES256"), kInput, signature);
        QCOMPARE(result.code(), ErrorCode::SignatureMalformed);
        QVERIFY2(result.message().contains(words), qPrintable(result.message()));
    }

    void ecdsaRefusesDerSignatures()
    {
        const Key& key = ecKey("ES256");
        auto raw = signBytes(alg("ES256"), key, kInput);
        QVERIFY(raw.ok());
        // The same r and s as DER: SEQUENCE { INTEGER r, INTEGER s } with sign bytes where needed.
        auto integer = [](QByteArray value) {
            while (value.size() > 1 && value[0] == '\0' && !(value[1] & 0x80))
                value.remove(0, 1);
            if (value[0] & 0x80)
                value.prepend('\0');
            return QByteArray("\x02") + char(value.size()) + value;
        };
        const QByteArray body = integer(raw->first(32)) + integer(raw->sliced(32));
        const QByteArray der = QByteArray("\x30") + char(body.size()) + body;
        QVERIFY(der.size() != 64);
        QCOMPARE(verifyBytes(alg("ES256"), key, kInput, der).code(), ErrorCode::SignatureMalformed);
        QVERIFY(verifyBytes(alg("ES256"), key, kInput, *raw).ok());
    }

    void ecdsaSignaturesAreLeftPadded()
    {
        // Over many signatures some r or s has a leading zero byte; every one must still be 2 × 66 bytes for P-521.
        const Key& key = ecKey("ES512");
        for (int i = 0; i < 40; ++i) {
            const QByteArray input = kInput + QByteArray::number(i);
            auto signature = signBytes(alg("ES512"), key, input);
            QVERIFY(signature.ok());
            QCOMPARE(signature->size(), 132);
            QVERIFY(verifyBytes(alg("ES512"), key, input, *signature).ok());
        }
    }

    void pssRefusesOtherSaltLengths_data()
    {
        QTest::addColumn<int>("saltLength");
        QTest::addColumn<bool>("valid");
        QTest::newRow("salt 32 (hash length)") << 32 << true;
        QTest::newRow("salt 0") << 0 << false;
        QTest::newRow("salt 20") << 20 << false;
        QTest::newRow("salt max") << RSA_PSS_SALTLEN_MAX << false;
    }

    void pssRefusesOtherSaltLengths()
    {
        QFETCH(int, saltLength);
        QFETCH(bool, valid);
        const Key& key = keyFor(alg("PS256"));
        const QByteArray signature = signPss(key, saltLength);
        auto result = verifyBytes(alg("PS256"), key.publicOnly(), kInput, signature);
        QCOMPARE(result.ok(), valid);
        if (!valid)
            QCOMPARE(result.code(), ErrorCode::SignatureInvalid);
        QCOMPARE(ERR_peek_error(), 0UL);
    }

    void rsaRefusesSignaturesOfTheWrongLength()
    {
        const Key& key = keyFor(alg("RS256"));
        auto signature = signBytes(alg("RS256"), key, kInput);
        QVERIFY(signature.ok());
        QCOMPARE(verifyBytes(alg("RS256"), key, kInput, signature->first(255)).code(), ErrorCode::SignatureMalformed);
        QCOMPARE(verifyBytes(alg("RS256"), key, kInput, QByteArray(1, '\0') + *signature).code(),
                 ErrorCode::SignatureMalformed);
        // A PKCS#1 v1.5 signature is not a PSS one, and the other way round.
        QCOMPARE(verifyBytes(alg("PS256"), key, kInput, *signature).code(), ErrorCode::SignatureInvalid);
        QCOMPARE(verifyBytes(alg("RS384"), key, kInput, *signature).code(), ErrorCode::SignatureInvalid);
    }

    void eddsaRefusesSignaturesOfTheWrongLength()
    {
        const Key& key = keyFor(alg("EdDSA"));
        QCOMPARE(verifyBytes(alg("EdDSA"), key, kInput, QByteArray(63, '\x01')).code(), ErrorCode::SignatureMalformed);
        QCOMPARE(verifyBytes(alg("EdDSA"), key, kInput, QByteArray(114, '\x01')).code(), ErrorCode::SignatureMalformed);
    }

    void explainsWhyAKeyDoesNotFit_data()
    {
        QTest::addColumn<QString>("algName");
        QTest::addColumn<QString>("keyAlg"); // the alg whose generated key is offered; "rsa1024"/"short" fixtures
        QTest::addColumn<bool>("publicOnly");
        QTest::addColumn<int>("purpose");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("message");
        const int verify = int(KeyPurpose::Verify);
        const int sign = int(KeyPurpose::Sign);
        QTest::newRow("RS256 with EC key")
            << "RS256"
            << "ES256" << false << verify << ErrorCode::KeyMismatch << "Key does not fit RS256: it is an EC P-256 key";
        QTest::newRow("ES256 with RSA key")
            << "ES256"
            << "RS256" << false << verify << ErrorCode::KeyMismatch << "Key does not fit ES256: it is an RSA key";
        QTest::newRow("EdDSA with HMAC secret")
            << "EdDSA"
            << "HS256" << false << verify << ErrorCode::KeyMismatch << "Key does not fit EdDSA: it is an HMAC secret";
        QTest::newRow("HS256 with RSA public key")
            << "HS256"
            << "RS256" << true << verify << ErrorCode::KeyMismatch
            << "an RSA public key is not an HMAC secret (algorithm confusion, RFC 8725 §3.1)";
        QTest::newRow("HS256 with EC public key")
            << "HS256"
            << "ES256" << true << verify << ErrorCode::KeyMismatch
            << "an EC P-256 public key is not an HMAC secret (algorithm confusion, RFC 8725 §3.1)";
        QTest::newRow("ES256 with P-384")
            << "ES256"
            << "ES384" << false << verify << ErrorCode::KeyMismatch << "ES256 needs a P-256 key; this is P-384";
        QTest::newRow("ES256K with P-256")
            << "ES256K"
            << "ES256" << false << verify << ErrorCode::KeyMismatch << "ES256K needs a secp256k1 key; this is P-256";
        QTest::newRow("signing with a public key") << "RS256"
                                                   << "RS256" << true << sign << ErrorCode::KeyMismatch
                                                   << "signing needs a private key; this is an RSA public key";
        QTest::newRow("HS256 with 128-bit secret")
            << "HS256"
            << "short" << false << verify << ErrorCode::KeyWeak
            << "HMAC secret of 128 bits is shorter than the 256 bits HS256 needs (RFC 7518 §3.2)";
        QTest::newRow("HS512 with 256-bit secret")
            << "HS512"
            << "HS256" << false << sign << ErrorCode::KeyWeak
            << "HMAC secret of 256 bits is shorter than the 512 bits HS512 needs (RFC 7518 §3.2)";
        QTest::newRow("RS256 with RSA-1024") << "RS256"
                                             << "rsa1024" << false << verify << ErrorCode::KeyWeak
                                             << "RSA key of 1024 bits is under the 2048 bits RFC 7518 §3.3 requires";
        QTest::newRow("PS256 signing with RSA-1024")
            << "PS256"
            << "rsa1024" << false << sign << ErrorCode::KeyWeak
            << "RSA key of 1024 bits is under the 2048 bits RFC 7518 §3.3 requires";
        QTest::newRow("none") << "none"
                              << "HS256" << false << verify << ErrorCode::AlgNone << "";
    }

    void explainsWhyAKeyDoesNotFit()
    {
        QFETCH(QString, algName);
        QFETCH(QString, keyAlg);
        QFETCH(bool, publicOnly);
        QFETCH(int, purpose);
        QFETCH(ErrorCode, code);
        QFETCH(QString, message);
        Key key;
        if (keyAlg == u"short")
            key = Key::fromSecret(SecretBytes(QByteArray(16, 'k')));
        else if (keyAlg == u"rsa1024")
            key = importKeys(fixture("rsa1024-pkcs8.pem"))->front();
        else
            key = keyFor(*findAlg(keyAlg));
        if (publicOnly)
            key = key.publicOnly();
        auto fits = checkKeyFitsAlg(*findAlg(algName), key, KeyPurpose(purpose));
        QVERIFY(!fits.ok());
        QCOMPARE(fits.code(), code);
        if (!message.isEmpty())
            QCOMPARE(fits.message(), message);
        // verifyBytes/signBytes enforce the same rule.
        if (KeyPurpose(purpose) == KeyPurpose::Verify)
            QCOMPARE(verifyBytes(*findAlg(algName), key, kInput, QByteArray(64, '\x01')).code(), code);
        else
            QCOMPARE(signBytes(*findAlg(algName), key, kInput).code(), code);
    }

    void honoursJwkAlgUseAndKeyOps_data()
    {
        QTest::addColumn<QString>("jwkAlg");
        QTest::addColumn<QString>("use");
        QTest::addColumn<QStringList>("keyOps");
        QTest::addColumn<int>("purpose");
        QTest::addColumn<bool>("fits");
        QTest::addColumn<ErrorCode>("code");
        const int verify = int(KeyPurpose::Verify);
        const int sign = int(KeyPurpose::Sign);
        QTest::newRow("no metadata") << ""
                                     << "" << QStringList() << verify << true << ErrorCode::Crypto;
        QTest::newRow("alg equal") << "ES256"
                                   << "" << QStringList() << verify << true << ErrorCode::Crypto;
        QTest::newRow("alg differs") << "ES384"
                                     << "" << QStringList() << verify << false << ErrorCode::AlgMismatch;
        QTest::newRow("use sig") << ""
                                 << "sig" << QStringList() << verify << true << ErrorCode::Crypto;
        QTest::newRow("use enc") << ""
                                 << "enc" << QStringList() << verify << false << ErrorCode::KeyUseForbidden;
        QTest::newRow("key_ops verify, verifying")
            << ""
            << "" << QStringList{"verify"} << verify << true << ErrorCode::Crypto;
        QTest::newRow("key_ops verify, signing")
            << ""
            << "" << QStringList{"verify"} << sign << false << ErrorCode::KeyUseForbidden;
        QTest::newRow("key_ops sign, verifying")
            << ""
            << "" << QStringList{"sign"} << verify << false << ErrorCode::KeyUseForbidden;
        QTest::newRow("key_ops encrypt") << ""
                                         << "" << QStringList{"encrypt"} << verify << false
                                         << ErrorCode::KeyUseForbidden;
    }

    void honoursJwkAlgUseAndKeyOps()
    {
        QFETCH(QString, jwkAlg);
        QFETCH(QString, use);
        QFETCH(QStringList, keyOps);
        QFETCH(int, purpose);
        QFETCH(bool, fits);
        QFETCH(ErrorCode, code);
        Key key = ecKey("ES256");
        key.metadata.alg = jwkAlg;
        key.metadata.use = use;
        key.metadata.keyOps = keyOps;
        auto result = checkKeyFitsAlg(alg("ES256"), key, KeyPurpose(purpose));
        QCOMPARE(result.ok(), fits);
        if (!fits)
            QCOMPARE(result.code(), code);
    }

    void nullKeyIsNotFound()
    {
        QCOMPARE(checkKeyFitsAlg(alg("HS256"), Key(), KeyPurpose::Verify).code(), ErrorCode::KeyNotFound);
        QCOMPARE(verifyBytes(alg("none"), Key(), kInput, QByteArray()).code(), ErrorCode::AlgNone);
    }
};

QTEST_GUILESS_MAIN(TestSignature)
#include "TestSignature.moc"
