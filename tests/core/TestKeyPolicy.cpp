#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/KeyManagement.h"
#include "core/crypto/KeyPolicy.h"
#include "core/jose/Jwe.h"
#include "core/jose/Jwk.h"

#include <QTest>

using namespace jwti;

namespace {

Key generated(const QString& alg, int bits = 0, const QString& curve = {}, const QString& enc = {})
{
    auto key = generateKeyForRequest(KeyRequest{alg, bits, curve, enc});
    if (!key)
        qFatal("generating a key for %s failed: %s", qPrintable(alg), qPrintable(key.message()));
    return *key;
}

// A failed result's message, for QVERIFY2 (which evaluates its message whether or not the check fails).
template <typename R>
QString why(const R& result)
{
    return result ? QString() : result.message();
}

KeyMetadata metadata(const QString& use, const QStringList& keyOps, const QString& alg = {})
{
    KeyMetadata meta;
    meta.use = use;
    meta.keyOps = keyOps;
    meta.alg = alg;
    return meta;
}

} // namespace

class TestKeyPolicy : public QObject
{
    Q_OBJECT

private slots:
    void namesUsesAndKeyTypesBothWays()
    {
        for (const KeyUse use : {KeyUse::Signing, KeyUse::Encryption})
            QCOMPARE(keyUseFromJwkName(keyUseJwkName(use)), use);
        QCOMPARE(keyUseJwkName(KeyUse::Encryption), QStringLiteral("enc"));
        QVERIFY(!keyUseFromJwkName(u"signature"));
        for (const KeyType type : {KeyType::Oct, KeyType::Rsa, KeyType::Ec, KeyType::Okp})
            QCOMPARE(keyTypeFromJwkName(keyTypeJwkName(type)), type);
        QVERIFY(!keyTypeFromJwkName(u"rsa")); // kty is case-sensitive (RFC 7517 §4.1)
    }

    void tellsSigningFromEncryptionAlgs_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<int>("use"); // -1: neither
        QTest::newRow("RS256") << "RS256" << int(KeyUse::Signing);
        QTest::newRow("EdDSA") << "EdDSA" << int(KeyUse::Signing);
        QTest::newRow("HS512") << "HS512" << int(KeyUse::Signing);
        QTest::newRow("none is neither") << "none" << -1;
        QTest::newRow("RSA-OAEP-256") << "RSA-OAEP-256" << int(KeyUse::Encryption);
        QTest::newRow("ECDH-ES+A128KW") << "ECDH-ES+A128KW" << int(KeyUse::Encryption);
        QTest::newRow("dir") << "dir" << int(KeyUse::Encryption);
        QTest::newRow("PBES2-HS512+A256KW") << "PBES2-HS512+A256KW" << int(KeyUse::Encryption);
        QTest::newRow("an enc is no key alg") << "A256GCM" << -1;
        QTest::newRow("unknown") << "RS257" << -1;
    }
    void tellsSigningFromEncryptionAlgs()
    {
        QFETCH(QString, alg);
        QFETCH(int, use);
        const auto found = algUse(alg);
        QCOMPARE(found ? int(*found) : -1, use);
        QCOMPARE(isSigningAlg(alg), use == int(KeyUse::Signing));
        QCOMPARE(isEncryptionAlg(alg), use == int(KeyUse::Encryption));
    }

    void listsAlgsOfEachUseFromTheTables()
    {
        const QStringList signing = algNamesForUse(KeyUse::Signing);
        QVERIFY(signing.contains(QStringLiteral("PS384")));
        QVERIFY(!signing.contains(QStringLiteral("none")));
        const QStringList encryption = algNamesForUse(KeyUse::Encryption);
        QVERIFY(encryption.contains(QStringLiteral("A192GCMKW")));
        QVERIFY(encryption.contains(QStringLiteral("ECDH-ES+A256KW")));
        QVERIFY(!encryption.contains(QStringLiteral("RSA1_5"))); // RFC 7518 §4.2: decrypt only
        for (const QString& alg : encryption)
            QVERIFY2(!signing.contains(alg), qPrintable(alg));
    }

    void namesSigningAlgsFromTheTable()
    {
        QCOMPARE(signingAlgName(SignatureScheme::RsaPkcs1, Digest::Sha384), QStringLiteral("RS384"));
        QCOMPARE(signingAlgName(SignatureScheme::RsaPss, Digest::Sha512), QStringLiteral("PS512"));
        QCOMPARE(signingAlgName(SignatureScheme::Hmac, Digest::Sha256), QStringLiteral("HS256"));
        QCOMPARE(signingAlgName(SignatureScheme::EdDsa, Digest::None), QStringLiteral("EdDSA"));
        QCOMPARE(ecdsaAlgForCurve(u"P-521"), QStringLiteral("ES512"));
        QVERIFY(ecdsaAlgForCurve(u"X25519").isEmpty());
    }

    void picksTheDefaultAlgOfEachKey_data()
    {
        QTest::addColumn<QString>("generateFor");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("signing");
        QTest::addColumn<QString>("encryption");
        QTest::newRow("RSA") << "RS512" << QString() << "RS256"
                             << "RSA-OAEP-256";
        QTest::newRow("P-384") << "ES384" << QString() << "ES384"
                               << "ECDH-ES";
        QTest::newRow("Ed25519") << "EdDSA" << QString() << "EdDSA" << QString();
        QTest::newRow("X25519") << "ECDH-ES"
                                << "X25519" << QString() << "ECDH-ES";
        QTest::newRow("384-bit secret") << "HS384" << QString() << "HS384"
                                        << "PBES2-HS256+A128KW";
        QTest::newRow("128-bit secret") << "A128KW" << QString() << "HS256"
                                        << "A128KW";
        QTest::newRow("256-bit secret") << "A256KW" << QString() << "HS256"
                                        << "A256KW";
    }
    void picksTheDefaultAlgOfEachKey()
    {
        QFETCH(QString, generateFor);
        QFETCH(QString, curve);
        QFETCH(QString, signing);
        QFETCH(QString, encryption);
        const Key key = generated(generateFor, 0, curve);
        QCOMPARE(defaultAlgForKey(key, KeyUse::Signing), signing);
        QCOMPARE(defaultAlgForKey(key, KeyUse::Encryption), encryption);
        QVERIFY(defaultAlgForKey(Key()).isEmpty());
    }

    void readsTheUseAJwkAllows_data()
    {
        QTest::addColumn<QString>("use");
        QTest::addColumn<QStringList>("keyOps");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<int>("expected"); // -1: nothing said; -2: refused
        QTest::newRow("nothing") << QString() << QStringList() << QString() << -1;
        QTest::newRow("use enc") << "enc" << QStringList() << QString() << int(KeyUse::Encryption);
        QTest::newRow("use sig") << "sig" << QStringList() << QString() << int(KeyUse::Signing);
        QTest::newRow("unwrapKey") << QString() << QStringList{"unwrapKey"} << QString() << int(KeyUse::Encryption);
        QTest::newRow("deriveBits") << QString() << QStringList{"deriveBits"} << QString() << int(KeyUse::Encryption);
        QTest::newRow("verify") << QString() << QStringList{"verify"} << QString() << int(KeyUse::Signing);
        QTest::newRow("alg alone") << QString() << QStringList() << "RSA-OAEP" << int(KeyUse::Encryption);
        QTest::newRow("dir key's enc as alg") << QString() << QStringList() << "A256GCM" << int(KeyUse::Encryption);
        QTest::newRow("use and ops disagree") << "sig" << QStringList{"encrypt"} << QString() << -2;
        QTest::newRow("ops of both kinds") << QString() << QStringList{"sign", "decrypt"} << QString() << -2;
        QTest::newRow("use and alg disagree") << "enc" << QStringList() << "ES256" << -2;
        QTest::newRow("unknown use") << "both" << QStringList() << QString() << -2;
        QTest::newRow("ops of no kind") << QString() << QStringList{"frobnicate"} << QString() << -2;
    }
    void readsTheUseAJwkAllows()
    {
        QFETCH(QString, use);
        QFETCH(QStringList, keyOps);
        QFETCH(QString, alg);
        QFETCH(int, expected);
        const auto found = keyUseFromMetadata(metadata(use, keyOps, alg));
        if (expected == -2) {
            QVERIFY(!found);
            QCOMPARE(found.code(), ErrorCode::KeyUseForbidden);
            return;
        }
        QVERIFY2(found, qPrintable(why(found)));
        QCOMPARE(found->has_value() ? int(**found) : -1, expected);
    }

    void generatesTheKeyEachEncryptionAlgNeeds_data()
    {
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("enc");
        QTest::addColumn<QString>("kty");
        QTest::addColumn<int>("bits");
        QTest::newRow("RSA-OAEP-256") << "RSA-OAEP-256" << QString() << QString() << "RSA" << 2048;
        QTest::newRow("ECDH-ES P-256") << "ECDH-ES" << QString() << QString() << "EC" << 256;
        QTest::newRow("ECDH-ES+A128KW P-521") << "ECDH-ES+A128KW"
                                              << "P-521" << QString() << "EC" << 521;
        QTest::newRow("ECDH-ES X448") << "ECDH-ES"
                                      << "X448" << QString() << "OKP" << 448;
        QTest::newRow("A192KW") << "A192KW" << QString() << QString() << "oct" << 192;
        QTest::newRow("A256GCMKW") << "A256GCMKW" << QString() << QString() << "oct" << 256;
        QTest::newRow("dir A128CBC-HS256") << "dir" << QString() << "A128CBC-HS256"
                                           << "oct" << 256;
        QTest::newRow("dir A256CBC-HS512") << "dir" << QString() << "A256CBC-HS512"
                                           << "oct" << 512;
    }
    void generatesTheKeyEachEncryptionAlgNeeds()
    {
        QFETCH(QString, alg);
        QFETCH(QString, curve);
        QFETCH(QString, enc);
        QFETCH(QString, kty);
        QFETCH(int, bits);
        const Key key = generated(alg, 0, curve, enc);
        QCOMPARE(key.jwkKty(), kty);
        QCOMPARE(key.bits(), bits);
        QVERIFY(key.hasPrivate());
        const auto serves = checkKeyServesAlg(key, alg);
        QVERIFY2(serves, qPrintable(why(serves)));
        // Encrypting to it with the JWE code works: the key is what the JWE code takes.
        JweEncryptOptions options;
        options.alg = alg;
        options.enc = enc.isEmpty() ? QStringLiteral("A128GCM") : enc;
        auto token
            = encryptJwe("hello", alg.startsWith(u"RSA") || alg.startsWith(u"ECDH") ? key.publicOnly() : key, options);
        QVERIFY2(token, qPrintable(why(token)));
        auto parsed = parseJwe(*token);
        QVERIFY(parsed);
        auto opened = decryptJwe(*parsed, {key});
        QVERIFY2(opened, qPrintable(why(opened)));
        QCOMPARE(opened->plaintext, QByteArray("hello"));
    }

    void generatesATypeablePbes2Password()
    {
        const Key password = generated(QStringLiteral("PBES2-HS384+A192KW"));
        QCOMPARE(password.secret().size(), 43); // 256 random bits in base64url
        for (const char c : password.secret().view())
            QVERIFY(QChar::fromLatin1(c).isLetterOrNumber() || c == '-' || c == '_');
        QVERIFY(generated(QStringLiteral("PBES2-HS384+A192KW")).secret().view() != password.secret().view());
        QCOMPARE(describeKeyFor(password, u"PBES2-HS384+A192KW"), QStringLiteral("PBES2 password (43 characters)"));
    }

    void refusesKeysAnEncryptionAlgCannotUse_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<int>("bits");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("enc");
        QTest::newRow("RSA under 2048 bits") << "RSA-OAEP" << 1024 << QString() << QString();
        QTest::newRow("RSA1_5 is decrypt only") << "RSA1_5" << 0 << QString() << QString();
        QTest::newRow("ECDH on secp256k1") << "ECDH-ES" << 0 << "secp256k1" << QString();
        QTest::newRow("ECDH on Ed25519") << "ECDH-ES" << 0 << "Ed25519" << QString();
        QTest::newRow("A128KW of 256 bits") << "A128KW" << 256 << QString() << QString();
        QTest::newRow("dir without enc") << "dir" << 0 << QString() << QString();
        QTest::newRow("dir with no enc") << "dir" << 0 << QString() << "A512GCM";
        QTest::newRow("not an alg") << "RSA-OAEP-512" << 0 << QString() << QString();
    }
    void refusesKeysAnEncryptionAlgCannotUse()
    {
        QFETCH(QString, request);
        QFETCH(int, bits);
        QFETCH(QString, curve);
        QFETCH(QString, enc);
        QVERIFY(!keySpecForRequest(KeyRequest{request, bits, curve, enc}));
        QVERIFY(!generateKeyForRequest(KeyRequest{request, bits, curve, enc}));
    }

    void checksAnImportedKeyAgainstItsAlg()
    {
        const Key aes128 = generated(QStringLiteral("A128KW"));
        QVERIFY(checkKeyServesAlg(aes128, u"A128KW"));
        QVERIFY(checkKeyServesAlg(aes128, u"A128GCMKW"));
        QVERIFY(checkKeyServesAlg(aes128, u"dir")); // the CEK of A128GCM
        QCOMPARE(directEncForSecretBytes(16)->displayName(), QStringLiteral("A128GCM"));
        QCOMPARE(directEncForSecretBytes(32)->displayName(), QStringLiteral("A256GCM"));
        QCOMPARE(directEncForSecretBytes(64)->displayName(), QStringLiteral("A256CBC-HS512"));
        QVERIFY(!directEncForSecretBytes(20));
        QCOMPARE(checkKeyServesAlg(aes128, u"A256KW").code(), ErrorCode::KeyMismatch);
        QVERIFY(!checkKeyServesAlg(aes128, u"HS256")); // RFC 7518 §3.2: shorter than the hash
        const Key ed = generated(QStringLiteral("EdDSA"));
        QVERIFY(!checkKeyServesAlg(ed, u"ECDH-ES"));
        QCOMPARE(checkKeyServesAlg(ed, u"A256GCM").code(), ErrorCode::AlgUnknown);
        Key forbidden = generated(QStringLiteral("ES256"));
        forbidden.metadata.use = QStringLiteral("sig");
        QCOMPARE(checkKeyServesAlg(forbidden, u"ECDH-ES").code(), ErrorCode::KeyUseForbidden);
        QCOMPARE(describeKeyFor(aes128, u"A128KW"), QStringLiteral("AES key-wrap key (128 bits)"));
        QCOMPARE(describeKeyFor(aes128, u"HS256"), aes128.description());
    }

    void givesPublicKeysTheirThumbprintAndSecretsARandomKid()
    {
        const Key ec = generated(QStringLiteral("ES256"));
        QVERIFY(kidDefaultsToThumbprint(ec));
        QCOMPARE(defaultKid(ec), thumbprint(ec));
        QCOMPARE(defaultKid(ec.publicOnly()), thumbprint(ec));
        const Key secret = generated(QStringLiteral("HS256"));
        QVERIFY(!kidDefaultsToThumbprint(secret));
        const QString kid = defaultKid(secret);
        QVERIFY(kid != thumbprint(secret)); // a hash of the secret would let a reader test guesses
        QVERIFY(kid != defaultKid(secret));
        QVERIFY(checkKid(kid));
        QVERIFY(checkKid(thumbprint(ec)));
    }

    void refusesKidsNoOneCanReadOrTellApart_data()
    {
        QTest::addColumn<QString>("kid");
        QTest::newRow("empty") << QString();
        QTest::newRow("leading space") << QStringLiteral(" k1");
        QTest::newRow("trailing tab") << QStringLiteral("k1\t");
        QTest::newRow("newline") << QStringLiteral("k\n1");
        QTest::newRow("escape") << QStringLiteral("k\x1b[31m");
        QTest::newRow("zero-width space") << QStringLiteral("k\u200b1");
        QTest::newRow("right-to-left override") << QStringLiteral("k\u202e1");
        QTest::newRow("too long") << QString(257, u'k');
    }
    void refusesKidsNoOneCanReadOrTellApart()
    {
        QFETCH(QString, kid);
        QVERIFY(!checkKid(kid));
        QVERIFY(checkKid(QStringLiteral("2026-12 signing key #3 (ünïcode)")));
        QVERIFY(checkKid(QString(256, u'k')));
    }

    void datesTheRetirementOfTheReplacedKey()
    {
        const QDateTime rotated(QDate(2026, 12, 6), QTime(23, 30), Qt::UTC);
        QCOMPARE(retireAfterDate(rotated, kDefaultRetireAfterDays),
                 QDateTime(QDate(2027, 1, 5), QTime(23, 30), Qt::UTC));
        QCOMPARE(retireAfterDate(rotated, 0), rotated);
        QCOMPARE(daysUntil(retireAfterDate(rotated, 30), rotated), 30);
        QCOMPARE(daysUntil(rotated, rotated.addDays(2)), -2);
        QVERIFY(kMaxRetireAfterDays >= 365);
    }

    void namesTheRotatedKeyAfterTheOneItReplaces_data()
    {
        QTest::addColumn<QString>("set");
        QTest::addColumn<QString>("replaced");
        QTest::addColumn<QString>("expected");
        QTest::newRow("a plain name gets the date") << "api"
                                                    << "RS256 key"
                                                    << "RS256 key 2026-12-06";
        QTest::newRow("a dated name gets the new date") << "api"
                                                        << "api signing 2026-01-02"
                                                        << "api signing 2026-12-06";
        QTest::newRow("the old rotation stamp") << "default"
                                                << "default 2026-01-02 10:11:12"
                                                << "default 2026-12-06";
        QTest::newRow("no name: the set's") << "billing" << QString() << "billing key 2026-12-06";
        QTest::newRow("only a date: the set's") << "billing"
                                                << "2026-01-02"
                                                << "billing key 2026-12-06";
    }
    void namesTheRotatedKeyAfterTheOneItReplaces()
    {
        QFETCH(QString, set);
        QFETCH(QString, replaced);
        QFETCH(QString, expected);
        QCOMPARE(rotatedKeyName(set, replaced, QDate(2026, 12, 6)), expected);
    }

    void rotationKeepsTheSetsStrength()
    {
        const Key rsa3072 = generated(QStringLiteral("PS256"), 3072);
        KeyRequest request = rotationRequest(QStringLiteral("PS256"), rsa3072.publicOnly());
        QCOMPARE(request.alg, QStringLiteral("PS256"));
        QCOMPARE(request.bits, 3072);
        QCOMPARE(keySpecForRequest(request)->bits, 3072);
        QCOMPARE(rotationRequest(QStringLiteral("PS256"), rsa3072.publicOnly(), {}, 4096).bits, 4096);

        const Key x25519 = generated(QStringLiteral("ECDH-ES+A256KW"), 0, QStringLiteral("X25519"));
        request = rotationRequest(QStringLiteral("ECDH-ES+A256KW"), x25519.publicOnly());
        QCOMPARE(generateKeyForRequest(request)->curve(), QStringLiteral("X25519"));

        request = rotationRequest(QStringLiteral("dir"), Key(), QStringLiteral("A192CBC-HS384"));
        QCOMPARE(generateKeyForRequest(request)->bits(), 384);
        request = rotationRequest(QStringLiteral("HS384"), Key());
        QCOMPARE(generateKeyForRequest(request)->bits(), 384);
    }
};

QTEST_GUILESS_MAIN(TestKeyPolicy)
#include "TestKeyPolicy.moc"
