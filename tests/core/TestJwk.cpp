#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QTest>
#include <openssl/bn.h>

using namespace jwti;

namespace {

// RFC 7638 §3.1's example key.
const QByteArray kRsaN
    = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
      "BJECPebWKRXjBZCiFV4n3oknjhMs"
      "tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQv"
      "RL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKn"
      "qDKgw";
const QByteArray kRsaPublic = R"({"kty":"RSA","n":")" + kRsaN + R"(","e":"AQAB","alg":"RS256","kid":"2011-04-29"})";

// RFC 7520 §3.1 (EC public key) and RFC 8037 §A.2 (Ed25519 public key).
const QByteArray kEcPublic
    = R"({"kty":"EC","kid":"bilbo.baggins@hobbiton.example","use":"sig","crv":"P-521",)"
      R"("x":"AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",)"
      R"("y":"AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1"})";
const QByteArray kOkpPublic = R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})";
const QByteArray kOctKey
    = R"({"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"})";

Key generated(KeyType type, int bits, const char* curve)
{
    auto key = generateKey(KeySpec{type, bits, QString::fromLatin1(curve)});
    if (!key)
        qFatal("generation failed: %s", qPrintable(key.message()));
    return *key;
}

QByteArray replaced(QByteArray text, const QByteArray& from, const QByteArray& to)
{
    return text.replace(from, to);
}

} // namespace

class TestJwk : public QObject
{
    Q_OBJECT

private slots:
    void importsEachKty_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("kid");
        QTest::newRow("RSA public") << kRsaPublic << "RSA 2048-bit public key"
                                    << "2011-04-29";
        QTest::newRow("EC public") << kEcPublic << "EC P-521 public key"
                                   << "bilbo.baggins@hobbiton.example";
        QTest::newRow("OKP public") << kOkpPublic << "Ed25519 public key"
                                    << "";
        QTest::newRow("oct") << kOctKey << "HMAC secret (512 bits)"
                             << "";
        QTest::newRow("OKP private (RFC 8037 A.1)")
            << QByteArray(R"({"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",)"
                          R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})")
            << "Ed25519 private key"
            << "";
    }

    void importsEachKty()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, description);
        QFETCH(QString, kid);
        auto key = importJwk(json);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        QCOMPARE(key->description(), description);
        QCOMPARE(key->metadata.kid, kid);
    }

    void keepsMetadata()
    {
        auto key
            = importJwk(replaced(kOkpPublic, "}", R"(,"kid":"k","alg":"EdDSA","use":"sig","key_ops":["verify"]})"));
        QVERIFY(key.ok());
        QCOMPARE(key->metadata.kid, QStringLiteral("k"));
        QCOMPARE(key->metadata.alg, QStringLiteral("EdDSA"));
        QCOMPARE(key->metadata.use, QStringLiteral("sig"));
        QCOMPARE(key->metadata.keyOps, QStringList{QStringLiteral("verify")});
    }

    void exportsMembersInThumbprintOrder()
    {
        auto key = importJwk(kRsaPublic);
        QVERIFY(key.ok());
        QCOMPARE(exportJwk(*key, false, 0),
                 R"({"e":"AQAB","kty":"RSA","n":")" + kRsaN + R"(","kid":"2011-04-29","alg":"RS256"})");
        QCOMPARE(thumbprintInput(*key), R"({"e":"AQAB","kty":"RSA","n":")" + kRsaN + R"("})");
        QCOMPARE(thumbprint(*key), QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));

        auto ec = importJwk(kEcPublic);
        QVERIFY(ec.ok());
        const QByteArray ecJson = exportJwk(*ec, false, 0);
        QVERIFY2(ecJson.startsWith(R"({"crv":"P-521","kty":"EC","x":"AHKZ)"), ecJson.constData());
        QVERIFY(ecJson.endsWith(R"(","kid":"bilbo.baggins@hobbiton.example","use":"sig"})"));

        auto okp = importJwk(kOkpPublic);
        QVERIFY(okp.ok());
        QCOMPARE(exportJwk(*okp, true, 0),
                 QByteArray(R"({"crv":"Ed25519","kty":"OKP","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})"));
    }

    void indentedExportIsTheSameJson()
    {
        auto key = importJwk(
            replaced(kOkpPublic, "}", ",\"kid\":\"a \\\"quoted\\\" id\",\"key_ops\":[\"verify\",\"sign\"]}"));
        QVERIFY(key.ok());
        const QByteArray pretty = exportJwk(*key);
        QVERIFY(pretty.contains("\n  \"crv\": \"Ed25519\""));
        auto back = importJwk(pretty);
        QVERIFY2(back.ok(), pretty.constData());
        QCOMPARE(back->metadata.kid, QStringLiteral("a \"quoted\" id"));
        QCOMPARE(back->metadata.keyOps, (QStringList{QStringLiteral("verify"), QStringLiteral("sign")}));
        QCOMPARE(exportJwk(*back, false, 0), exportJwk(*key, false, 0));
    }

    void exportsPrivateMembersOnlyWhenAsked_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QStringList>("privateMembers");
        QTest::newRow("RSA") << int(KeyType::Rsa) << 2048 << "" << QStringList{"d", "p", "q", "dp", "dq", "qi"};
        QTest::newRow("EC P-256") << int(KeyType::Ec) << 0 << "P-256" << QStringList{"d"};
        QTest::newRow("EC P-521") << int(KeyType::Ec) << 0 << "P-521" << QStringList{"d"};
        QTest::newRow("Ed448") << int(KeyType::Okp) << 0 << "Ed448" << QStringList{"d"};
        QTest::newRow("oct") << int(KeyType::Oct) << 256 << "" << QStringList{"k"};
    }

    void exportsPrivateMembersOnlyWhenAsked()
    {
        QFETCH(int, type);
        QFETCH(int, bits);
        QFETCH(QString, curve);
        QFETCH(QStringList, privateMembers);
        const Key key = generated(KeyType(type), bits, curve.toLatin1().constData());
        const QByteArray publicJson = exportJwk(key, false, 0);
        const QByteArray privateJson = exportJwk(key, true, 0);
        for (const QString& member : privateMembers) {
            const QByteArray quoted = '"' + member.toLatin1() + "\":";
            QVERIFY2(!publicJson.contains(quoted), publicJson.constData());
            QVERIFY2(privateJson.contains(quoted), qPrintable(member));
        }
        auto back = importJwk(privateJson);
        QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.message()));
        QVERIFY(back->hasPrivate());
        QCOMPARE(exportJwk(*back, true, 0), privateJson);
        QCOMPARE(thumbprint(*back), thumbprint(key));
    }

    void ecCoordinatesAreLeftPaddedToTheFieldSize()
    {
        // P-521 coordinates are below 2^521: the first of their 66 bytes is 0 or 1, so padding always shows.
        for (int i = 0; i < 8; ++i) {
            const Key key = generated(KeyType::Ec, 0, "P-521");
            auto back = importJwk(exportJwk(key, true));
            QVERIFY2(back.ok(), qPrintable(back.ok() ? QString() : back.message()));
        }
        const QByteArray json = exportJwk(generated(KeyType::Ec, 0, "P-521"), false, 0);
        const qsizetype x = json.indexOf("\"x\":\"") + 5;
        QCOMPARE(json.indexOf('"', x) - x, 88); // 66 bytes in base64url
    }

    void refusesBadMembers_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("words");
        QTest::newRow("not an object") << QByteArray("[]") << ErrorCode::KeyInvalid << "JSON object";
        QTest::newRow("not JSON") << QByteArray("{\"kty\"") << ErrorCode::Json << "offset";
        QTest::newRow("no kty") << QByteArray(R"({"k":"AAAA"})") << ErrorCode::KeyInvalid << "no \"kty\"";
        QTest::newRow("kty not string") << QByteArray(R"({"kty":1})") << ErrorCode::KeyInvalid << "must be a string";
        QTest::newRow("unknown kty") << QByteArray(R"({"kty":"DSA"})") << ErrorCode::KeyUnsupported << "\"DSA\"";
        QTest::newRow("RSA without n") << QByteArray(R"({"kty":"RSA","e":"AQAB"})") << ErrorCode::KeyInvalid
                                       << "no \"n\"";
        QTest::newRow("RSA without e") << replaced(kRsaPublic, R"("e":"AQAB",)", "") << ErrorCode::KeyInvalid
                                       << "no \"e\"";
        QTest::newRow("n padded") << replaced(kRsaPublic, "qDKgw", "qDKgw=") << ErrorCode::KeyInvalid
                                  << "\"n\" is not canonical base64url";
        QTest::newRow("n standard alphabet")
            << replaced(kRsaPublic, "0vx7ago", "0vx7a+o") << ErrorCode::KeyInvalid << "\"n\" is not canonical";
        QTest::newRow("RSA d without primes complete")
            << replaced(kRsaPublic, "}", R"(,"d":"AQAB","p":"AQAB"})") << ErrorCode::KeyInvalid << "RFC 7518 §6.3.2";
        QTest::newRow("RSA oth") << replaced(kRsaPublic, "}", R"(,"oth":[]})") << ErrorCode::KeyUnsupported << "oth";
        QTest::newRow("EC unknown crv") << replaced(kEcPublic, "P-521", "P-192") << ErrorCode::KeyUnsupported
                                        << "\"P-192\"";
        QTest::newRow("EC no crv") << replaced(kEcPublic, R"("crv":"P-521",)", "") << ErrorCode::KeyInvalid
                                   << "no \"crv\"";
        QTest::newRow("EC no y") << QByteArray(R"({"kty":"EC","crv":"P-256","x":"AAAA"})") << ErrorCode::KeyInvalid
                                 << "no \"y\"";
        QTest::newRow("EC short x") << replaced(kEcPublic, "AHKZ", "") << ErrorCode::KeyInvalid << "\"x\" is 63 bytes";
        QTest::newRow("EC point off the curve") << replaced(kEcPublic, "HZR1", "HZR2") << ErrorCode::KeyInvalid << "EC";
        QTest::newRow("OKP unknown crv") << replaced(kOkpPublic, "Ed25519", "Ed9999") << ErrorCode::KeyUnsupported
                                         << "\"Ed9999\"";
        QTest::newRow("OKP short x") << replaced(kOkpPublic, "11qY", "") << ErrorCode::KeyInvalid
                                     << "\"x\" is 29 bytes";
        QTest::newRow("OKP d of another key")
            << replaced(kOkpPublic, "}", R"(,"d":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})")
            << ErrorCode::KeyInvalid << "not the public key of \"d\"";
        QTest::newRow("oct without k") << QByteArray(R"({"kty":"oct"})") << ErrorCode::KeyInvalid << "no \"k\"";
        QTest::newRow("oct empty k") << QByteArray(R"({"kty":"oct","k":""})") << ErrorCode::KeyInvalid << "empty";
        QTest::newRow("key_ops not array")
            << replaced(kOctKey, "}", R"(,"key_ops":"sign"})") << ErrorCode::KeyInvalid << "key_ops";
        QTest::newRow("key_ops repeated")
            << replaced(kOctKey, "}", R"(,"key_ops":["sign","sign"]})") << ErrorCode::KeyInvalid << "repeats";
        QTest::newRow("kid not string") << replaced(kOctKey, "}", R"(,"kid":7})") << ErrorCode::KeyInvalid << "\"kid\"";
        QTest::newRow("duplicate member")
            << replaced(kOkpPublic, "}", R"(,"crv":"Ed448"})") << ErrorCode::KeyInvalid << "appears twice";
    }

    void refusesBadMembers()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        QFETCH(QString, words);
        auto key = importJwk(json);
        QVERIFY(!key.ok());
        QVERIFY2(key.code() == code, qPrintable(errorCodeName(key.code()) + QStringLiteral(": ") + key.message()));
        QVERIFY2(key.message().contains(words), qPrintable(key.message()));
    }

    void privateMembersNeverAppearInErrors()
    {
        auto key = importJwk(replaced(kOkpPublic, "}", R"(,"d":"c2VjcmV0c2VjcmV0=="})"));
        QVERIFY(!key.ok());
        QVERIFY(!key.message().contains(u"c2VjcmV0"));
    }

    void importsJwks()
    {
        auto keys = importJwks("{\"keys\":[" + kRsaPublic + "," + kEcPublic + "," + kOkpPublic + "]}");
        QVERIFY2(keys.ok(), qPrintable(keys.ok() ? QString() : keys.message()));
        QCOMPARE(keys->size(), size_t(3));
        QCOMPARE(keys->at(1).metadata.source, QStringLiteral("JWKS entry 2"));
    }

    void refusesAmbiguousOrBrokenJwks_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<ErrorCode>("code");
        QTest::addColumn<QString>("words");
        QTest::newRow("repeated kid") << "{\"keys\":[" + kRsaPublic + "," + kRsaPublic + "]}" << ErrorCode::KeyAmbiguous
                                      << "repeats kid \"2011-04-29\"";
        QTest::newRow("oct with RSA") << "{\"keys\":[" + kRsaPublic + "," + kOctKey + "]}" << ErrorCode::KeyAmbiguous
                                      << "mixes";
        QTest::newRow("empty") << QByteArray(R"({"keys":[]})") << ErrorCode::KeyNotFound << "no keys";
        QTest::newRow("no keys member") << QByteArray(R"({"kty":"oct"})") << ErrorCode::KeyInvalid << "\"keys\" array";
        QTest::newRow("bad entry") << "{\"keys\":[" + kOkpPublic + ",{\"kty\":\"RSA\"}]}" << ErrorCode::KeyInvalid
                                   << "JWKS entry 2: JWK has no \"n\"";
        // A set's RSA keys get the structural checks only (the full OpenSSL check costs 4 ms a key), and those
        // still refuse what is no RSA public key.
        QByteArray evenModulus = kRsaPublic;
        evenModulus.replace("\"kid\":\"2011-04-29\"", "\"kid\":\"even\"");
        const qsizetype nEnd = evenModulus.indexOf("\"", evenModulus.indexOf("\"n\":\"") + 5) - 1;
        evenModulus[nEnd] = 'A'; // the last base64url digit's low bit is the modulus's low bit
        QTest::newRow("even modulus in a set")
            << "{\"keys\":[" + kOkpPublic + "," + evenModulus + "]}" << ErrorCode::KeyInvalid << "n must be odd";
        QByteArray exponentOne = kRsaPublic;
        exponentOne.replace("\"e\":\"AQAB\"", "\"e\":\"AQ\"");
        QTest::newRow("exponent 1 in a set")
            << "{\"keys\":[" + kOkpPublic + "," + exponentOne + "]}" << ErrorCode::KeyInvalid << "3 <= e < n";
    }

    void refusesAmbiguousOrBrokenJwks()
    {
        QFETCH(QByteArray, json);
        QFETCH(ErrorCode, code);
        QFETCH(QString, words);
        auto keys = importJwks(json);
        QVERIFY(!keys.ok());
        QCOMPARE(keys.code(), code);
        QVERIFY2(keys.message().contains(words), qPrintable(keys.message()));
    }

    void setMemberThatVerifiesGetsTheFullPublicCheck()
    {
        // n = 3·p·q is odd with an odd e, so it passes a set's structural checks, and RSA arithmetic works with it: a
        // signature made with its d verifies. OpenSSL's full public check refuses it (a small factor). Read as a set
        // member it is accepted; the signature that would rest on it is not.
        BN_CTX* ctx = BN_CTX_new();
        BIGNUM* p = BN_new();
        BIGNUM* q = BN_new();
        BIGNUM* n = BN_new();
        BIGNUM* e = BN_new();
        BIGNUM* lambda = BN_new();
        BIGNUM* pm1 = BN_new();
        BIGNUM* qm1 = BN_new();
        BIGNUM* gcd = BN_new();
        BIGNUM* d = BN_new();
        QVERIFY(BN_generate_prime_ex(p, 1024, 0, nullptr, nullptr, nullptr) == 1);
        QVERIFY(BN_generate_prime_ex(q, 1024, 0, nullptr, nullptr, nullptr) == 1);
        QVERIFY(BN_set_word(e, 65537) == 1 && BN_mul(n, p, q, ctx) == 1 && BN_mul_word(n, 3) == 1);
        // λ(3pq) = lcm(2, p−1, q−1) = (p−1)(q−1) / gcd(p−1, q−1)
        QVERIFY(BN_sub(pm1, p, BN_value_one()) == 1 && BN_sub(qm1, q, BN_value_one()) == 1);
        QVERIFY(BN_gcd(gcd, pm1, qm1, ctx) == 1 && BN_mul(lambda, pm1, qm1, ctx) == 1);
        QVERIFY(BN_div(lambda, nullptr, lambda, gcd, ctx) == 1);
        QVERIFY(BN_mod_inverse(d, e, lambda, ctx) != nullptr);

        const QByteArray input = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0";
        const int k = BN_num_bytes(n);
        const QByteArray digestInfo
            = QByteArray::fromHex("3031300d060960864801650304020105000420") + computeDigest(Digest::Sha256, input);
        QByteArray block = QByteArray("\x00\x01", 2) + QByteArray(k - 3 - digestInfo.size(), char(0xff))
            + QByteArray(1, char(0)) + digestInfo;
        BIGNUM* m = BN_bin2bn(reinterpret_cast<const unsigned char*>(block.constData()), k, nullptr);
        BIGNUM* sig = BN_new();
        QVERIFY(m && BN_mod_exp(sig, m, d, n, ctx) == 1);
        QByteArray signature(k, 0);
        QVERIFY(BN_bn2binpad(sig, reinterpret_cast<unsigned char*>(signature.data()), k) == k);
        QByteArray modulus(k, 0);
        QVERIFY(BN_bn2binpad(n, reinterpret_cast<unsigned char*>(modulus.data()), k) == k);
        for (BIGNUM* bn : {p, q, n, e, lambda, pm1, qm1, gcd, d, m, sig})
            BN_clear_free(bn);
        BN_CTX_free(ctx);

        const QByteArray member
            = "{\"kty\":\"RSA\",\"kid\":\"three\",\"e\":\"AQAB\",\"n\":\"" + Base64Url::encode(modulus) + "\"}";
        auto alone = importJwk(member);
        QVERIFY(!alone.ok());
        QVERIFY2(alone.message().contains(QLatin1String("not valid")), qPrintable(alone.message()));

        auto set = importJwks("{\"keys\":[" + kOkpPublic + "," + member + "]}");
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.message()));
        const Key& key = set->at(1);
        for (int attempt = 0; attempt < 2; ++attempt) { // the second answer comes from the check kept with the key
            auto verified = verifyBytes(*findAlg(u"RS256"), key, input, signature);
            QVERIFY(!verified.ok());
            QCOMPARE(verified.code(), ErrorCode::KeyInvalid);
            QVERIFY2(verified.message().contains(QLatin1String("not a valid RSA key")), qPrintable(verified.message()));
        }
        // The same arithmetic with a well-formed set member verifies.
        const Key good = generated(KeyType::Rsa, 2048, "");
        auto goodSet = importJwks("{\"keys\":[" + kOkpPublic + "," + exportJwk(good.publicOnly()) + "]}");
        QVERIFY(goodSet.ok());
        const QByteArray goodSignature = *signBytes(*findAlg(u"RS256"), good, input);
        QVERIFY(verifyBytes(*findAlg(u"RS256"), goodSet->at(1), input, goodSignature).ok());
    }

    void exportsJwksWithPublicMembersOnly()
    {
        std::vector<Key> keys = {generated(KeyType::Ec, 0, "P-256"), generated(KeyType::Okp, 0, "Ed25519"),
                                 generated(KeyType::Oct, 256, "")};
        keys[0].metadata.kid = QStringLiteral("ec");
        keys[1].metadata.kid = QStringLiteral("ed");
        const QByteArray jwks = exportJwks(keys);
        QVERIFY(!jwks.contains("\"d\""));
        QVERIFY(!jwks.contains("\"k\""));
        auto back = importJwks(jwks);
        QVERIFY2(back.ok(), jwks.constData());
        QCOMPARE(back->size(), size_t(2));
        QVERIFY(!back->at(0).hasPrivate());
        QCOMPARE(thumbprint(back->at(0)), thumbprint(keys[0]));
        QCOMPARE(thumbprint(back->at(1)), thumbprint(keys[1]));
        QCOMPARE(exportJwks({}, 0), QByteArray("{\"keys\":[]}"));
        auto compact = importJwks(exportJwks(keys, 0));
        QVERIFY(compact.ok());
    }

    void importsWeakRsaSoTheFitCheckCanNameIt()
    {
        QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/rsa1024-pkcs8.pem"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        auto pem = importKeys(file.readAll());
        QVERIFY(pem.ok());
        auto key = importJwk(exportJwk(pem->front(), false));
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        QCOMPARE(key->bits(), 1024);
        QCOMPARE(checkKeyFitsAlg(*findAlg(u"RS256"), *key, KeyPurpose::Verify).code(), ErrorCode::KeyWeak);
        auto privateKey = importJwk(exportJwk(pem->front(), true));
        QVERIFY2(privateKey.ok(), qPrintable(privateKey.ok() ? QString() : privateKey.message()));
    }

    void importedJwkVerifiesWhatItsPrivateTwinSigned()
    {
        const Key key = generated(KeyType::Rsa, 2048, "");
        auto publicKey = importJwk(exportJwk(key, false));
        QVERIFY(publicKey.ok());
        QVERIFY(!publicKey->hasPrivate());
        auto signature = signBytes(*findAlg(u"PS256"), key, "input");
        QVERIFY(signature.ok());
        QVERIFY(verifyBytes(*findAlg(u"PS256"), *publicKey, "input", *signature).ok());
    }
};

QTEST_GUILESS_MAIN(TestJwk)
#include "TestJwk.moc"
