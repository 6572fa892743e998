// decrypt and encrypt as a user meets them: the built binary (JWTI_BINARY) through QProcess, exit codes 0/1/2/3, the
// plaintext bytes exactly, --json with a nested token, and nothing from the token reaching the terminal raw.
#include "ProcessRunner.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

// The built binary (JWTI_BINARY), input on its standard input.
using Run = testsupport::ProcessRun;
Run run(const QStringList& args, const QByteArray& input = {})
{
    testsupport::ProcessOptions options;
    options.input = input;
    return testsupport::runJwtInspector(args, options);
}

QString keyFile(const char* name)
{
    return qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/keys/") + QLatin1String(name);
}

const QByteArray kBinary("\x00\x01\xff\r\n plaintext \x1b[31m bytes\n", 29);

} // namespace

class TestCliJwe : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString& name, const QByteArray& bytes)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(bytes);
        return path;
    }

private slots:
    void roundTripsBytesExactly_data()
    {
        QTest::addColumn<QStringList>("encryptKey");
        QTest::addColumn<QStringList>("decryptKey");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QString>("enc");
        const QStringList rsaPublic{QStringLiteral("--key"), keyFile("rsa2048-spki.pem")};
        const QStringList rsaPrivate{QStringLiteral("--key"), keyFile("rsa2048-pkcs8.pem")};
        const QStringList ecPublic{QStringLiteral("--key"), keyFile("ec-p256-spki.pem")};
        const QStringList ecPrivate{QStringLiteral("--key"), keyFile("ec-p256-pkcs8.pem")};
        const QStringList aes{QStringLiteral("--secret-hex"), QStringLiteral("000102030405060708090a0b0c0d0e0f")};
        QTest::newRow("RSA-OAEP-256 A256GCM") << rsaPublic << rsaPrivate << "RSA-OAEP-256"
                                              << "A256GCM";
        QTest::newRow("ECDH-ES A128GCM") << ecPublic << ecPrivate << "ECDH-ES"
                                         << "A128GCM";
        QTest::newRow("ECDH-ES+A256KW A256CBC-HS512") << ecPublic << ecPrivate << "ECDH-ES+A256KW"
                                                      << "A256CBC-HS512";
        QTest::newRow("A128KW A128CBC-HS256") << aes << aes << "A128KW"
                                              << "A128CBC-HS256";
        QTest::newRow("A128GCMKW A192GCM") << aes << aes << "A128GCMKW"
                                           << "A192GCM";
    }

    void roundTripsBytesExactly()
    {
        QFETCH(QStringList, encryptKey);
        QFETCH(QStringList, decryptKey);
        QFETCH(QString, alg);
        QFETCH(QString, enc);
        const Run encrypted
            = run(QStringList{QStringLiteral("encrypt")} + encryptKey
                      + QStringList{QStringLiteral("--alg"), alg, QStringLiteral("--enc"), enc, QStringLiteral("--zip"),
                                    QStringLiteral("DEF"), QStringLiteral("-")},
                  kBinary);
        QCOMPARE(encrypted.exitCode, 0);
        QVERIFY(encrypted.out.endsWith('\n'));
        const QByteArray token = encrypted.out.trimmed();
        QCOMPARE(token.count('.'), 4);
        const Run decrypted
            = run(QStringList{QStringLiteral("decrypt")} + decryptKey + QStringList{QStringLiteral("-")}, token);
        QCOMPARE(decrypted.exitCode, 0);
        QCOMPARE(decrypted.out, kBinary);
        QVERIFY(decrypted.err.isEmpty());
    }

    void passwordFileOpensPbes2()
    {
        const QString password = write(QStringLiteral("pw"), "entrap_o–peter_long–credit_tun\n");
        const Run encrypted
            = run({QStringLiteral("encrypt"), QStringLiteral("--password-file"), password, QStringLiteral("--alg"),
                   QStringLiteral("PBES2-HS512+A256KW"), QStringLiteral("--enc"), QStringLiteral("A128CBC-HS256"),
                   QStringLiteral("--p2c"), QStringLiteral("1000"), QStringLiteral("secret text")});
        QCOMPARE(encrypted.exitCode, 0);
        const Run decrypted = run({QStringLiteral("decrypt"), QStringLiteral("--password-file"), password,
                                   QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(decrypted.exitCode, 0);
        QCOMPARE(decrypted.out, QByteArray("secret text"));
        const QString wrong = write(QStringLiteral("wrong"), "not it");
        const Run refused = run({QStringLiteral("decrypt"), QStringLiteral("--password-file"), wrong,
                                 QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(refused.exitCode, 1);
        QCOMPARE(
            refused.out,
            QByteArray("invalid: the token does not decrypt with this key (a wrong key, or the token was changed)\n"));
    }

    void exitCodesSayWhatHappened()
    {
        const QStringList aes{QStringLiteral("--secret-hex"), QStringLiteral("000102030405060708090a0b0c0d0e0f")};
        const Run encrypted
            = run(QStringList{QStringLiteral("encrypt")} + aes
                  + QStringList{QStringLiteral("--alg"), QStringLiteral("A128KW"), QStringLiteral("--enc"),
                                QStringLiteral("A128GCM"), QStringLiteral("x")});
        QCOMPARE(encrypted.exitCode, 0);
        const QString token = QString::fromLatin1(encrypted.out.trimmed());

        const Run otherKey = run({QStringLiteral("decrypt"), QStringLiteral("--secret-hex"),
                                  QStringLiteral("0f0e0d0c0b0a09080706050403020100"), token});
        QCOMPARE(otherKey.exitCode, 1);
        QVERIFY(otherKey.out.startsWith("invalid: "));
        QVERIFY(!otherKey.out.contains('x'));

        const Run malformed = run(QStringList{QStringLiteral("decrypt")} + aes + QStringList{token.left(40)});
        QCOMPARE(malformed.exitCode, 2);
        QVERIFY2(malformed.err.startsWith("jwt-inspector decrypt: malformed token: "), malformed.err.constData());
        QVERIFY(malformed.out.isEmpty());

        const Run noFile = run({QStringLiteral("decrypt"), QStringLiteral("--password-file"),
                                m_dir.filePath(QStringLiteral("missing")), token});
        QCOMPARE(noFile.exitCode, 3);

        const Run noKey = run({QStringLiteral("decrypt"), token});
        QCOMPARE(noKey.exitCode, 2);

        const Run rsa15 = run({QStringLiteral("encrypt"), QStringLiteral("--key"), keyFile("rsa2048-spki.pem"),
                               QStringLiteral("--alg"), QStringLiteral("RSA1_5"), QStringLiteral("--enc"),
                               QStringLiteral("A128GCM"), QStringLiteral("x")});
        QCOMPARE(rsa15.exitCode, 2);
        QVERIFY(rsa15.out.isEmpty());

        const Run badZip = run(QStringList{QStringLiteral("encrypt")} + aes
                               + QStringList{QStringLiteral("--alg"), QStringLiteral("A128KW"), QStringLiteral("--enc"),
                                             QStringLiteral("A128GCM"), QStringLiteral("--zip"), QStringLiteral("GZ"),
                                             QStringLiteral("x")});
        QCOMPARE(badZip.exitCode, 2);
    }

    // Sign, then encrypt with cty JWT; decrypt --json shows the inner token's decode, and nothing raw.
    void jsonShowsTheNestedToken()
    {
        const QString secret = QStringLiteral("a-secret-of-32-bytes-or-more-0123456789");
        const Run signedToken
            = run({QStringLiteral("sign"), QStringLiteral("--secret"), secret, QStringLiteral("--alg"),
                   QStringLiteral("HS256"), QStringLiteral("{\"sub\":\"alice\"}")});
        QCOMPARE(signedToken.exitCode, 0);
        const Run encrypted = run({QStringLiteral("encrypt"), QStringLiteral("--key"), keyFile("rsa2048-spki.pem"),
                                   QStringLiteral("--alg"), QStringLiteral("RSA-OAEP"), QStringLiteral("--enc"),
                                   QStringLiteral("A128CBC-HS256"), QStringLiteral("--cty"), QStringLiteral("JWT"),
                                   QStringLiteral("--kid"), QStringLiteral("k\x1b]0;x\x07"),
                                   QString::fromLatin1(signedToken.out.trimmed())});
        QCOMPARE(encrypted.exitCode, 0);
        const Run decrypted = run({QStringLiteral("decrypt"), QStringLiteral("--key"), keyFile("rsa2048-pkcs8.pem"),
                                   QStringLiteral("--json"), QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(decrypted.exitCode, 0);
        QVERIFY(!decrypted.out.contains('\x1b'));
        const QJsonObject json = QJsonDocument::fromJson(decrypted.out).object();
        QCOMPARE(json.value(QLatin1String("alg")).toString(), QStringLiteral("RSA-OAEP"));
        QCOMPARE(json.value(QLatin1String("protected")).toObject().value(QLatin1String("cty")).toString(),
                 QStringLiteral("JWT"));
        QCOMPARE(json.value(QLatin1String("protected")).toObject().value(QLatin1String("kid")).toString(),
                 QStringLiteral("k\x1b]0;x\x07"));
        QCOMPARE(QByteArray::fromBase64(json.value(QLatin1String("plaintext_b64u")).toString().toLatin1(),
                                        QByteArray::Base64UrlEncoding),
                 signedToken.out.trimmed());
        const QJsonObject nested = json.value(QLatin1String("nested")).toObject();
        QCOMPARE(nested.value(QLatin1String("kind")).toString(), QStringLiteral("JWS"));
        QCOMPARE(nested.value(QLatin1String("payload")).toObject().value(QLatin1String("sub")).toString(),
                 QStringLiteral("alice"));
        QCOMPARE(json.value(QLatin1String("recipients")).toArray().size(), 1);
    }

    // The key that opened it is named with where it came from, and a JWKS given with --jwks is picked by kid, as
    // verify picks; a kid no key has is "invalid: no key with kid", never a guess.
    void jsonNamesTheKeyAndWhereItCameFrom()
    {
        const QByteArray a(16, 'a');
        const QByteArray b(16, 'b');
        auto b64u = [](const QByteArray& bytes) {
            return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        };
        const QString jwks = write(QStringLiteral("enc.jwks"),
                                   QStringLiteral(R"({"keys":[{"kty":"oct","kid":"a","k":"%1"},)"
                                                  R"({"kty":"oct","kid":"b","k":"%2"}]})")
                                       .arg(b64u(a), b64u(b))
                                       .toLatin1());
        const Run encrypted
            = run({QStringLiteral("encrypt"), QStringLiteral("--secret-hex"), QString::fromLatin1(b.toHex()),
                   QStringLiteral("--alg"), QStringLiteral("A128KW"), QStringLiteral("--enc"),
                   QStringLiteral("A128GCM"), QStringLiteral("--kid"), QStringLiteral("b"), QStringLiteral("for b")});
        QCOMPARE(encrypted.exitCode, 0);
        const Run decrypted = run({QStringLiteral("decrypt"), QStringLiteral("--jwks"), jwks, QStringLiteral("--json"),
                                   QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(decrypted.exitCode, 0);
        const QJsonObject json = QJsonDocument::fromJson(decrypted.out).object();
        QCOMPARE(json.value(QLatin1String("outcome")).toString(), QStringLiteral("decrypted"));
        const QJsonObject key = json.value(QLatin1String("key")).toObject();
        QCOMPARE(key.value(QLatin1String("kid")).toString(), QStringLiteral("b"));
        QCOMPARE(key.value(QLatin1String("provenance")).toString(), QStringLiteral("file ") + jwks);
        QVERIFY(json.value(QLatin1String("headline")).toString().startsWith(QStringLiteral("Decrypted: ")));
        QCOMPARE(json.value(QLatin1String("checks")).toArray().size(), 7);

        const Run plain = run(
            {QStringLiteral("decrypt"), QStringLiteral("--jwks"), jwks, QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(plain.exitCode, 0);
        QCOMPARE(plain.out, QByteArray("for b"));

        const Run forC = run({QStringLiteral("encrypt"), QStringLiteral("--secret-hex"),
                              QString::fromLatin1(QByteArray(16, 'c').toHex()), QStringLiteral("--alg"),
                              QStringLiteral("A128KW"), QStringLiteral("--enc"), QStringLiteral("A128GCM"),
                              QStringLiteral("--kid"), QStringLiteral("c"), QStringLiteral("for c")});
        const Run noKid
            = run({QStringLiteral("decrypt"), QStringLiteral("--jwks"), jwks, QString::fromLatin1(forC.out.trimmed())});
        QCOMPARE(noKid.exitCode, 1);
        QCOMPARE(noKid.out, QByteArray("invalid: no key with kid \"c\"\n"));

        // --jwks takes a key set only: one key there is said, not used.
        const Run single = run({QStringLiteral("decrypt"), QStringLiteral("--jwks"), keyFile("rsa2048-pkcs8.pem"),
                                QString::fromLatin1(encrypted.out.trimmed())});
        QVERIFY(single.exitCode != 0);
        QVERIFY2(single.err.contains("not a JWKS"), single.err.constData());
    }

    // A nested JWS is verified with --verify-key, never with the decrypting key.
    void verifyKeyVerifiesTheNestedToken()
    {
        const QByteArray secret = "a-secret-of-32-bytes-or-more-0123456789";
        const QString secretFile = write(QStringLiteral("hmac.secret"), secret);
        const Run signedToken = run({QStringLiteral("sign"), QStringLiteral("--secret-file"), secretFile,
                                     QStringLiteral("--alg"), QStringLiteral("HS256"), QStringLiteral("{}")});
        QCOMPARE(signedToken.exitCode, 0);
        const QByteArray dir(32, 'd');
        const Run encrypted
            = run({QStringLiteral("encrypt"), QStringLiteral("--secret-hex"), QString::fromLatin1(dir.toHex()),
                   QStringLiteral("--alg"), QStringLiteral("dir"), QStringLiteral("--enc"), QStringLiteral("A256GCM"),
                   QStringLiteral("--cty"), QStringLiteral("JWT"), QString::fromLatin1(signedToken.out.trimmed())});
        QCOMPARE(encrypted.exitCode, 0);
        const QString jwk
            = write(QStringLiteral("hmac.jwk"),
                    "{\"kty\":\"oct\",\"k\":\""
                        + secret.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) + "\"}");
        const QStringList decrypt = {QStringLiteral("decrypt"), QStringLiteral("--secret-hex"),
                                     QString::fromLatin1(dir.toHex()), QStringLiteral("--json")};
        const Run verified = run(
            decrypt + QStringList{QStringLiteral("--verify-key"), jwk, QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(verified.exitCode, 0);
        const QJsonObject inner
            = QJsonDocument::fromJson(verified.out).object().value(QLatin1String("nested_verdict")).toObject();
        QCOMPARE(inner.value(QLatin1String("outcome")).toString(), QStringLiteral("valid"));
        const Run unverified = run(decrypt + QStringList{QString::fromLatin1(encrypted.out.trimmed())});
        QCOMPARE(QJsonDocument::fromJson(unverified.out)
                     .object()
                     .value(QLatin1String("nested_verdict"))
                     .toObject()
                     .value(QLatin1String("outcome"))
                     .toString(),
                 QStringLiteral("not-verified"));
    }
};

QTEST_GUILESS_MAIN(TestCliJwe)
#include "TestCliJwe.moc"
