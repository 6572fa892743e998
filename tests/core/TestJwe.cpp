// JWE (RFC 7516/7518, RFC 8037): every alg × enc pair round-trips, and every refusal the issue lists happens with
// its reason and without plaintext.
#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QTest>
#include <map>

using namespace jwti;

Q_DECLARE_METATYPE(jwti::Key)

namespace {

template <typename T>
QString why(const Result<T>& result)
{
    return result ? QString() : errorCodeName(result.code()) + QStringLiteral(": ") + result.message();
}

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

Key secretKey(int bytes, char fill = 'k')
{
    return Key::fromSecret(SecretBytes(QByteArray(bytes, fill)));
}

Key ecdhKey(const QString& curve)
{
    auto key = generateEphemeralKey(curve);
    if (!key)
        qFatal("cannot make a %s key", qPrintable(curve));
    return *key;
}

QList<QByteArray> parts(const QByteArray& compact)
{
    return compact.split('.');
}

QByteArray joined(const QList<QByteArray>& list)
{
    return list.join('.');
}

QByteArray headerJson(const QByteArray& compact)
{
    return QByteArray::fromBase64(parts(compact).front(), QByteArray::Base64UrlEncoding);
}

// The token with its protected header replaced by json (the AAD changes too: only checks before the tag matter).
QByteArray withHeader(const QByteArray& compact, const QByteArray& json)
{
    QList<QByteArray> list = parts(compact);
    list[0] = Base64Url::encode(json);
    return joined(list);
}

QByteArray flipLastByte(const QByteArray& encoded)
{
    QByteArray bytes = QByteArray::fromBase64(encoded, QByteArray::Base64UrlEncoding);
    bytes[bytes.size() - 1] = char(bytes[bytes.size() - 1] ^ 0x01);
    return Base64Url::encode(bytes);
}

Result<JweDecryption> decryptText(const QByteArray& text, const std::vector<Key>& keys,
                                  const JweDecryptOptions& options = {})
{
    auto jwe = parseJwe(text);
    if (!jwe)
        return jwe.error();
    return decryptJwe(*jwe, keys, options);
}

std::map<QString, int>& roundTrips()
{
    static std::map<QString, int> counts;
    return counts;
}

const QByteArray kPlaintext = "Live long and prosper. \x00\xff bytes, exactly";

} // namespace

class TestJwe : public QObject
{
    Q_OBJECT

private:
    Key m_rsa;
    Key m_rsa1024;

private slots:
    void initTestCase()
    {
        m_rsa = fixtureKey("rsa2048-pkcs8.pem");
        m_rsa1024 = fixtureKey("rsa1024-pkcs8.pem");
    }

    void roundTripsEveryAlgAndEnc_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("zip");
        for (const KeyManagementInfo& alg : allKeyManagements()) {
            if (!alg.canEncrypt)
                continue;
            const QStringList curves = alg.isEcdh()
                ? QStringList{QStringLiteral("P-256"), QStringLiteral("P-384"), QStringLiteral("P-521"),
                              QStringLiteral("X25519"), QStringLiteral("X448")}
                : QStringList{QString()};
            for (const EncInfo& enc : allEncs()) {
                for (const QString& curve : curves) {
                    for (const QString& zip : {QString(), QStringLiteral("DEF")}) {
                        const QString name = QStringLiteral("%1 %2 %3 %4")
                                                 .arg(alg.displayName(), enc.displayName(), curve, zip)
                                                 .simplified();
                        QTest::newRow(qPrintable(name)) << alg.displayName() << enc.displayName() << curve << zip;
                    }
                }
            }
        }
    }

    void roundTripsEveryAlgAndEnc()
    {
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        QFETCH(QString, curve);
        QFETCH(QString, zip);
        const KeyManagementInfo* management = findKeyManagement(alg);
        const EncInfo* content = findEnc(enc);
        QVERIFY(management && content);
        Key decryptKey;
        Key encryptKey;
        switch (management->mode) {
        case KeyManagementMode::RsaOaep:
        case KeyManagementMode::RsaPkcs1:
            decryptKey = m_rsa;
            encryptKey = m_rsa.publicOnly();
            break;
        case KeyManagementMode::AesKeyWrap:
        case KeyManagementMode::AesGcmKeyWrap:
            decryptKey = encryptKey = secretKey(management->wrapKeyBytes);
            break;
        case KeyManagementMode::Direct:
            decryptKey = encryptKey = secretKey(content->cekBytes);
            break;
        case KeyManagementMode::EcdhEs:
        case KeyManagementMode::EcdhEsKeyWrap:
            decryptKey = ecdhKey(curve);
            encryptKey = decryptKey.publicOnly();
            break;
        case KeyManagementMode::Pbes2:
            decryptKey = encryptKey = Key::fromSecret(SecretBytes(QByteArrayLiteral("correct horse battery staple")));
            break;
        }
        JweEncryptOptions options;
        options.alg = alg;
        options.enc = enc;
        options.zip = zip;
        options.kid = QStringLiteral("k1");
        options.cty = QStringLiteral("text/plain");
        options.p2c = 1000;
        auto token = encryptJwe(kPlaintext, encryptKey, options);
        QVERIFY2(token, qPrintable(why(token)));
        QCOMPARE(parts(*token).size(), 5);
        const QByteArray header = headerJson(*token);
        QVERIFY(header.startsWith("{\"alg\":\"" + alg.toUtf8() + "\",\"enc\":\"" + enc.toUtf8() + '"'));
        QCOMPARE(header.contains("\"zip\":\"DEF\""), !zip.isEmpty());

        auto decrypted = decryptText(*token, {decryptKey});
        QVERIFY2(decrypted, qPrintable(why(decrypted)));
        QCOMPARE(decrypted->plaintext, kPlaintext);
        QCOMPARE(decrypted->alg, alg);
        QCOMPARE(decrypted->enc, enc);
        QCOMPARE(decrypted->cty, QStringLiteral("text/plain"));

        // One changed ciphertext byte: refused with the one decryption error.
        QList<QByteArray> list = parts(*token);
        list[3] = flipLastByte(list[3]);
        auto tampered = decryptText(joined(list), {decryptKey});
        QVERIFY(!tampered);
        QCOMPARE(tampered.code(), ErrorCode::DecryptionFailed);
        ++roundTrips()[alg];
    }

    void refusesEncryptingWithRsa1_5()
    {
        JweEncryptOptions options;
        options.alg = QStringLiteral("RSA1_5");
        options.enc = QStringLiteral("A128GCM");
        auto token = encryptJwe(kPlaintext, m_rsa.publicOnly(), options);
        QVERIFY(!token);
        QCOMPARE(token.code(), ErrorCode::AlgNotAllowed);
        QVERIFY2(token.message().contains(QLatin1String("decrypting old tokens only")), qPrintable(token.message()));
    }

    // RFC 7516 §11.5: a bad RSA1_5 CEK and a bad tag fail alike, with one message.
    void rsa1_5FailsTheSameWayAtEveryStep()
    {
        const KeyManagementInfo* alg = findKeyManagement(u"RSA1_5");
        const EncInfo* enc = findEnc(u"A128CBC-HS256");
        const SecretBytes cek(QByteArray(32, 'c'));
        auto wrapped = rsaWrap(*alg, m_rsa.publicOnly(), cek);
        QVERIFY(wrapped);
        const QByteArray header = Base64Url::encode(R"({"alg":"RSA1_5","enc":"A128CBC-HS256"})");
        const QByteArray iv(16, 'i');
        auto sealed = sealContent(*enc, cek, iv, header, kPlaintext);
        QVERIFY(sealed);
        QList<QByteArray> list = {header, Base64Url::encode(*wrapped), Base64Url::encode(iv),
                                  Base64Url::encode(sealed->ciphertext), Base64Url::encode(sealed->tag)};
        auto good = decryptText(joined(list), {m_rsa});
        QVERIFY2(good, qPrintable(why(good)));
        QCOMPARE(good->plaintext, kPlaintext);

        QList<QByteArray> badKey = list;
        badKey[1] = flipLastByte(badKey[1]);
        QList<QByteArray> badTag = list;
        badTag[4] = flipLastByte(badTag[4]);
        // A CEK of another length (RSA1_5 decrypts it fine): also a random CEK.
        auto shortWrapped = rsaWrap(*alg, m_rsa.publicOnly(), SecretBytes(QByteArray(16, 'c')));
        QVERIFY(shortWrapped);
        QList<QByteArray> shortCek = list;
        shortCek[1] = Base64Url::encode(*shortWrapped);
        auto keyFailure = decryptText(joined(badKey), {m_rsa});
        auto tagFailure = decryptText(joined(badTag), {m_rsa});
        auto lengthFailure = decryptText(joined(shortCek), {m_rsa});
        QVERIFY(!keyFailure && !tagFailure && !lengthFailure);
        QCOMPARE(keyFailure.code(), ErrorCode::DecryptionFailed);
        QCOMPARE(tagFailure.code(), ErrorCode::DecryptionFailed);
        QCOMPARE(lengthFailure.code(), ErrorCode::DecryptionFailed);
        QCOMPARE(keyFailure.message(), tagFailure.message());
        QCOMPARE(lengthFailure.message(), tagFailure.message());
    }

    void refusesWhatAttacksUse_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<Key>("key");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("words");

        auto encrypt = [](const QString& alg, const QString& enc, const Key& key, const QString& zip = {}) {
            JweEncryptOptions options;
            options.alg = alg;
            options.enc = enc;
            options.zip = zip;
            options.p2c = 1000;
            auto token = encryptJwe(kPlaintext, key, options);
            if (!token)
                qFatal("%s", qPrintable(token.message()));
            return *token;
        };

        // ECDH-ES: an epk off its curve (y changed), on another curve, or of low order.
        const Key p256 = ecdhKey(QStringLiteral("P-256"));
        const QByteArray ecdh = encrypt(QStringLiteral("ECDH-ES"), QStringLiteral("A128GCM"), p256.publicOnly());
        QByteArray header = headerJson(ecdh);
        const qsizetype yAt = header.indexOf("\"y\":\"") + 5;
        QByteArray offCurve = header;
        offCurve[yAt] = offCurve[yAt] == 'A' ? 'B' : 'A';
        QTest::newRow("epk not on its curve")
            << withHeader(ecdh, offCurve) << p256 << ErrorCode::KeyInvalid << "not on P-256";
        const Key p384 = ecdhKey(QStringLiteral("P-384"));
        QTest::newRow("epk on another curve")
            << encrypt(QStringLiteral("ECDH-ES"), QStringLiteral("A128GCM"), p384.publicOnly()) << p256
            << ErrorCode::KeyMismatch << "ECDH needs one curve";
        const Key x25519 = ecdhKey(QStringLiteral("X25519"));
        const QByteArray xToken = encrypt(QStringLiteral("ECDH-ES"), QStringLiteral("A128GCM"), x25519.publicOnly());
        QByteArray lowOrder = headerJson(xToken);
        const qsizetype xAt = lowOrder.indexOf("\"x\":\"") + 5;
        lowOrder.replace(xAt, 43, QByteArray(43, 'A'));
        QTest::newRow("epk of low order")
            << withHeader(xToken, lowOrder) << x25519 << ErrorCode::KeyInvalid << "low-order";
        QByteArray withD = headerJson(ecdh);
        withD.replace("\"crv\"", "\"d\":\"AAAA\",\"crv\"");
        QTest::newRow("epk with a private part")
            << withHeader(ecdh, withD) << p256 << ErrorCode::HeaderInvalid << "public JWK";

        // PBES2 iteration bounds and salt.
        const Key password = Key::fromSecret(SecretBytes(QByteArrayLiteral("hunter2 hunter2")));
        const QByteArray pbes2 = encrypt(QStringLiteral("PBES2-HS256+A128KW"), QStringLiteral("A128GCM"), password);
        QByteArray tooMany = headerJson(pbes2);
        tooMany.replace("\"p2c\":1000", "\"p2c\":1000001");
        QTest::newRow("p2c above the cap")
            << withHeader(pbes2, tooMany) << password << ErrorCode::HeaderInvalid << "1000 to 1,000,000";
        QByteArray tooFew = headerJson(pbes2);
        tooFew.replace("\"p2c\":1000", "\"p2c\":999");
        QTest::newRow("p2c under the floor")
            << withHeader(pbes2, tooFew) << password << ErrorCode::HeaderInvalid << "\"p2c\" is 999";
        QByteArray shortSalt = headerJson(pbes2);
        const qsizetype saltAt = shortSalt.indexOf("\"p2s\":\"") + 7;
        shortSalt.replace(saltAt, shortSalt.indexOf('"', saltAt) - saltAt, "AAAA");
        QTest::newRow("p2s under 8 bytes")
            << withHeader(pbes2, shortSalt) << password << ErrorCode::HeaderInvalid << "at least 8";

        // A zip bomb: 16 MiB and one byte of 'a' deflate to a few kilobytes.
        const Key aes = secretKey(16);
        JweEncryptOptions bomb;
        bomb.alg = QStringLiteral("A128KW");
        bomb.enc = QStringLiteral("A128GCM");
        bomb.zip = QStringLiteral("DEF");
        auto bombToken = encryptJwe(QByteArray(kJweMaxInflatedBytes + 1, 'a'), aes, bomb);
        QVERIFY(bombToken);
        QVERIFY(bombToken->size() < 100000);
        QTest::newRow("zip past 16 MiB") << *bombToken << aes << ErrorCode::PayloadInvalid << "16 MiB cap";

        // Lengths: tag, IV, CEK.
        const QByteArray gcm = encrypt(QStringLiteral("A128KW"), QStringLiteral("A128GCM"), aes);
        QList<QByteArray> list = parts(gcm);
        list[4] = Base64Url::encode(QByteArray::fromBase64(list[4], QByteArray::Base64UrlEncoding).left(15));
        QTest::newRow("tag of the wrong length")
            << joined(list) << aes << ErrorCode::MalformedToken << "tag is 15 bytes; A128GCM needs 16";
        list = parts(gcm);
        list[2] = Base64Url::encode(QByteArray(16, 'i'));
        QTest::newRow("IV of the wrong length")
            << joined(list) << aes << ErrorCode::MalformedToken << "vector is 16 bytes; A128GCM needs 12";
        auto wrongCek = aesKeyWrap(aes.secret(), SecretBytes(QByteArray(32, 'c')));
        QVERIFY(wrongCek);
        list = parts(gcm);
        list[1] = Base64Url::encode(*wrongCek);
        QTest::newRow("CEK of the wrong length")
            << joined(list) << aes << ErrorCode::DecryptionFailed << "does not decrypt";
        QTest::newRow("dir key of the wrong length")
            << encrypt(QStringLiteral("dir"), QStringLiteral("A128GCM"), secretKey(16)) << secretKey(32)
            << ErrorCode::KeyMismatch << "needs a 128-bit key";

        // crit, alg/enc fitting the key, the JWK's own words, RSA size.
        QByteArray crit = headerJson(gcm);
        crit.replace("{", "{\"crit\":[\"exp\"],\"exp\":1,");
        QTest::newRow("crit not understood")
            << withHeader(gcm, crit) << aes << ErrorCode::CritUnsupported << "does not understand";
        QTest::newRow("alg not fitting the key")
            << gcm << secretKey(32) << ErrorCode::KeyMismatch << "A128KW needs a 128-bit AES key";
        QTest::newRow("RSA alg with an AES key")
            << encrypt(QStringLiteral("RSA-OAEP-256"), QStringLiteral("A256GCM"), m_rsa.publicOnly()) << aes
            << ErrorCode::KeyMismatch << "needs an RSA key";
        Key signingUse = aes;
        signingUse.metadata.use = QStringLiteral("sig");
        QTest::newRow("JWK use sig") << gcm << signingUse << ErrorCode::KeyUseForbidden << "\"use\": \"sig\"";
        Key otherAlg = aes;
        otherAlg.metadata.alg = QStringLiteral("A128GCMKW");
        QTest::newRow("JWK alg another") << gcm << otherAlg << ErrorCode::KeyUseForbidden << "\"alg\": \"A128GCMKW\"";
        Key signOps = aes;
        signOps.metadata.keyOps = {QStringLiteral("sign"), QStringLiteral("verify")};
        QTest::newRow("JWK key_ops forbid") << gcm << signOps << ErrorCode::KeyUseForbidden << "key_ops";
        auto small = rsaWrap(*findKeyManagement(u"RSA-OAEP"), m_rsa1024.publicOnly(), SecretBytes(QByteArray(16, 'c')));
        QVERIFY(small);
        list = parts(encrypt(QStringLiteral("RSA-OAEP"), QStringLiteral("A128GCM"), m_rsa.publicOnly()));
        list[1] = Base64Url::encode(*small);
        QTest::newRow("RSA under 2048 bits") << joined(list) << m_rsa1024 << ErrorCode::KeyWeak
                                             << "1024 bits is under the 2048 bits RFC 7518 \u00a74.3 requires";
        QTest::newRow("public key to decrypt")
            << encrypt(QStringLiteral("RSA-OAEP"), QStringLiteral("A128GCM"), m_rsa.publicOnly()) << m_rsa.publicOnly()
            << ErrorCode::KeyMismatch << "needs a private key";
    }

    void refusesWhatAttacksUse()
    {
        QFETCH(QByteArray, token);
        QFETCH(Key, key);
        QFETCH(ErrorCode, code);
        QFETCH(QString, words);
        auto decrypted = decryptText(token, {key});
        QVERIFY2(!decrypted, "refused token decrypted");
        QVERIFY2(decrypted.code() == code, qPrintable(why(decrypted)));
        QVERIFY2(decrypted.message().contains(words), qPrintable(decrypted.message()));
    }

    void refusesBrokenHeaderRules_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("words");
        const QByteArray iv = Base64Url::encode(QByteArray(12, 'i'));
        const QByteArray tag = Base64Url::encode(QByteArray(16, 't'));
        const QByteArray ek = Base64Url::encode(QByteArray(24, 'e'));
        auto compact = [&](const QByteArray& header, const QByteArray& key = {}) {
            return Base64Url::encode(header) + '.' + key + '.' + iv + ".AAAA." + tag;
        };
        auto json = [&](const QByteArray& members) {
            return "{" + members + ",\"iv\":\"" + iv + "\",\"ciphertext\":\"AAAA\",\"tag\":\"" + tag + "\"}";
        };
        const QByteArray kwProtected = Base64Url::encode(R"({"alg":"A128KW","enc":"A128GCM"})");
        QTest::newRow("member in both headers")
            << json("\"protected\":\"" + kwProtected + "\",\"unprotected\":{\"alg\":\"A128KW\"},\"encrypted_key\":\""
                    + ek + '"')
            << ErrorCode::HeaderInvalid << "in both the protected and the shared unprotected header";
        QTest::newRow("recipient header repeats a shared one")
            << json("\"protected\":\"" + kwProtected + "\",\"header\":{\"enc\":\"A128GCM\"},\"encrypted_key\":\"" + ek
                    + '"')
            << ErrorCode::HeaderInvalid << "in both the recipient's header and the shared headers";
        QTest::newRow("zip outside the protected header")
            << json("\"protected\":\"" + kwProtected + "\",\"unprotected\":{\"zip\":\"DEF\"},\"encrypted_key\":\"" + ek
                    + '"')
            << ErrorCode::HeaderInvalid << "must be in the protected header";
        QTest::newRow("crit outside the protected header")
            << json("\"protected\":\"" + kwProtected + "\",\"header\":{\"crit\":[\"x\"]},\"encrypted_key\":\"" + ek
                    + '"')
            << ErrorCode::HeaderInvalid << "\"crit\" is in an unprotected header";
        QTest::newRow("encrypted key with dir") << compact(R"({"alg":"dir","enc":"A128GCM"})", ek)
                                                << ErrorCode::MalformedToken << "dir uses no encrypted key";
        QTest::newRow("encrypted key with ECDH-ES") << compact(R"({"alg":"ECDH-ES","enc":"A128GCM","epk":{}})", ek)
                                                    << ErrorCode::MalformedToken << "ECDH-ES uses no encrypted key";
        QTest::newRow("no encrypted key with A128KW")
            << compact(R"({"alg":"A128KW","enc":"A128GCM"})") << ErrorCode::MalformedToken << "needs an encrypted key";
        QTest::newRow("unknown zip") << compact(R"({"alg":"A128KW","enc":"A128GCM","zip":"GZIP"})", ek)
                                     << ErrorCode::HeaderInvalid << "unknown \"zip\" \"GZIP\"";
        QTest::newRow("no enc") << compact(R"({"alg":"A128KW"})", ek) << ErrorCode::HeaderInvalid << "no \"enc\"";
        QTest::newRow("unknown alg") << compact(R"({"alg":"A128KWX","enc":"A128GCM"})", ek) << ErrorCode::AlgUnknown
                                     << "unknown JWE \"alg\" \"A128KWX\"";
        QTest::newRow("unknown enc") << compact(R"({"alg":"A128KW","enc":"A128CTR"})", ek) << ErrorCode::AlgUnknown
                                     << "unknown JWE \"enc\" \"A128CTR\"";
        QTest::newRow("repeated header member") << compact(R"({"alg":"A128KW","enc":"A128GCM","alg":"dir"})", ek)
                                                << ErrorCode::HeaderInvalid << "repeats the member \"alg\"";
        QTest::newRow("crit names a standard parameter")
            << compact(R"({"alg":"A128KW","enc":"A128GCM","crit":["enc"]})", ek) << ErrorCode::HeaderInvalid
            << "a parameter of the standard itself";
        QTest::newRow("four parts") << QByteArray("a.b.c.d") << ErrorCode::MalformedToken << "this has 4";
        QTest::newRow("base64 error in the IV")
            << (Base64Url::encode(R"({"alg":"dir","enc":"A128GCM"})") + "..aa*a.AAAA." + tag) << ErrorCode::Base64
            << "initialization vector segment, character 43";
        QTest::newRow("mixed general and flattened")
            << json("\"protected\":\"" + kwProtected + "\",\"recipients\":[{}],\"encrypted_key\":\"" + ek + '"')
            << ErrorCode::MalformedToken << "cannot be mixed";
        QTest::newRow("JSON without ciphertext") << QByteArray(R"({"protected":"e30","iv":"AAAA","tag":"AAAA"})")
                                                 << ErrorCode::MalformedToken << "no \"ciphertext\" member";
    }

    void refusesBrokenHeaderRules()
    {
        QFETCH(QByteArray, token);
        QFETCH(ErrorCode, code);
        QFETCH(QString, words);
        auto jwe = parseJwe(token);
        QVERIFY2(!jwe, "a broken token parsed");
        QVERIFY2(jwe.code() == code, qPrintable(why(jwe)));
        QVERIFY2(jwe.message().contains(words), qPrintable(jwe.message()));
        QVERIFY(jwe.message().startsWith(QLatin1String("malformed token: ")));
    }

    // The kid picks among candidates, as verify's does.
    void picksTheKeyByKid()
    {
        Key first = secretKey(16, 'a');
        first.metadata.kid = QStringLiteral("one");
        Key second = secretKey(16, 'b');
        second.metadata.kid = QStringLiteral("two");
        JweEncryptOptions options;
        options.alg = QStringLiteral("A128KW");
        options.enc = QStringLiteral("A128GCM");
        options.kid = QStringLiteral("two");
        auto token = encryptJwe(kPlaintext, second, options);
        QVERIFY(token);
        auto decrypted = decryptText(*token, {first, second});
        QVERIFY2(decrypted, qPrintable(why(decrypted)));
        QCOMPARE(decrypted->key.metadata.kid, QStringLiteral("two"));
        JweDecryptOptions onlyOne;
        onlyOne.kid = QStringLiteral("one");
        auto wrongKid = decryptText(*token, {first, second}, onlyOne);
        QVERIFY(!wrongKid);
        QCOMPARE(wrongKid.code(), ErrorCode::DecryptionFailed);
        JweDecryptOptions missing;
        missing.kid = QStringLiteral("three");
        QCOMPARE(decryptText(*token, {first, second}, missing).code(), ErrorCode::KeyNotFound);
    }

    void cleanupTestCase()
    {
        QStringList lines;
        for (const auto& [alg, count] : roundTrips())
            lines << QStringLiteral("%1: %2").arg(alg).arg(count);
        qInfo("JWE round trips per alg: %s", qPrintable(lines.join(QStringLiteral(", "))));
    }
};

QTEST_GUILESS_MAIN(TestJwe)
#include "TestJwe.moc"
