// RFC 7520 (JOSE Cookbook) keys: cookbook/jwk/*.json imported and thumbprinted; cookbook/jws/*.json keys imported,
// their signing inputs signed (byte-for-byte equal where the example is reproducible) and verified.
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

QString cookbookDir(const QString& sub)
{
    return qEnvironmentVariable("JWTI_VECTORS_DIR") + QStringLiteral("/cookbook/") + sub;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s (is JWTI_VECTORS_DIR set?)", qPrintable(path));
    return file.readAll();
}

} // namespace

class TestCookbookKeys : public QObject
{
    Q_OBJECT

private slots:
    void importsAndThumbprintsEveryJwk_data()
    {
        QTest::addColumn<QByteArray>("json");
        const QStringList files
            = QDir(cookbookDir(QStringLiteral("jwk"))).entryList({QStringLiteral("*.json")}, QDir::Files);
        QCOMPARE(files.size(), 3);
        for (const QString& name : files)
            QTest::addRow("%s", qPrintable(name)) << readFile(cookbookDir(QStringLiteral("jwk/")) + name);
    }

    void importsAndThumbprintsEveryJwk()
    {
        QFETCH(QByteArray, json);
        auto key = importJwk(json);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        const QJsonObject jwk = QJsonDocument::fromJson(json).object();
        QCOMPARE(key->jwkKty(), jwk.value(u"kty").toString());
        QCOMPARE(key->metadata.kid, jwk.value(u"kid").toString());
        QCOMPARE(key->metadata.use, jwk.value(u"use").toString());
        QCOMPARE(key->metadata.alg, jwk.value(u"alg").toString());

        // The thumbprint recomputed independently: QJsonObject sorts its keys, which is RFC 7638's order.
        QJsonObject required;
        const QString kty = jwk.value(u"kty").toString();
        const QStringList names = kty == u"RSA" ? QStringList{"e", "kty", "n"}
            : kty == u"EC"                      ? QStringList{"crv", "kty", "x", "y"}
                                                : QStringList{"k", "kty"};
        for (const QString& name : names)
            required.insert(name, jwk.value(name));
        const QByteArray canonical = QJsonDocument(required).toJson(QJsonDocument::Compact);
        QCOMPARE(thumbprintInput(*key), canonical);
        QCOMPARE(thumbprint(*key), QString::fromLatin1(Base64Url::encode(computeDigest(Digest::Sha256, canonical))));
    }

    void signsAndVerifiesEveryJwsExample_data()
    {
        QTest::addColumn<QByteArray>("keyJson");
        QTest::addColumn<QString>("alg");
        QTest::addColumn<QByteArray>("signingInput");
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<bool>("reproducible");
        const QStringList files
            = QDir(cookbookDir(QStringLiteral("jws"))).entryList({QStringLiteral("*.json")}, QDir::Files);
        QCOMPARE(files.size(), 4);
        for (const QString& name : files) {
            const QJsonObject example
                = QJsonDocument::fromJson(readFile(cookbookDir(QStringLiteral("jws/")) + name)).object();
            const QJsonObject input = example.value(u"input").toObject();
            const QJsonObject signing = example.value(u"signing").toObject();
            const Base64Decoded signature = Base64Url::decode(signing.value(u"sig").toString().toLatin1());
            QVERIFY2(signature.ok(), qPrintable(name));
            QTest::addRow("%s", qPrintable(name))
                << QJsonDocument(input.value(u"key").toObject()).toJson(QJsonDocument::Compact)
                << input.value(u"alg").toString() << signing.value(u"sig-input").toString().toUtf8() << signature.bytes
                << example.value(u"reproducible").toBool();
        }
    }

    void signsAndVerifiesEveryJwsExample()
    {
        QFETCH(QByteArray, keyJson);
        QFETCH(QString, alg);
        QFETCH(QByteArray, signingInput);
        QFETCH(QByteArray, signature);
        QFETCH(bool, reproducible);
        const AlgInfo* info = findAlg(alg);
        QVERIFY(info);
        auto key = importJwk(keyJson);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));

        auto verified = verifyBytes(*info, *key, signingInput, signature);
        QVERIFY2(verified.ok(), qPrintable(verified.ok() ? QString() : verified.message()));
        if (key->type() != KeyType::Oct)
            QVERIFY(verifyBytes(*info, key->publicOnly(), signingInput, signature).ok());

        auto signedAgain = signBytes(*info, *key, signingInput);
        QVERIFY2(signedAgain.ok(), qPrintable(signedAgain.ok() ? QString() : signedAgain.message()));
        if (reproducible)
            QCOMPARE(*signedAgain, signature);
        else
            QVERIFY(verifyBytes(*info, *key, signingInput, *signedAgain).ok());
    }
};

QTEST_GUILESS_MAIN(TestCookbookKeys)
#include "TestCookbookKeys.moc"
