// RFC 8037 Appendix A key cases: the "jwk-parse" and "jwk-thumbprint" kinds of rfc/rfc8037-appendix-a.authored.json.
// (The "jws-compact" kind is token-level and tested with the JWS code.)
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

QJsonArray testsOfKind(const QString& kind)
{
    QFile file(qEnvironmentVariable("JWTI_VECTORS_DIR") + QStringLiteral("/rfc/rfc8037-appendix-a.authored.json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s (is JWTI_VECTORS_DIR set?)", qPrintable(file.fileName()));
    QJsonArray selected;
    for (const QJsonValue& value : QJsonDocument::fromJson(file.readAll()).object().value(u"tests").toArray()) {
        if (value.toObject().value(u"kind").toString() == kind)
            selected.append(value);
    }
    return selected;
}

QByteArray compact(const QJsonValue& value)
{
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// A member of an exported JWK, decoded.
QByteArray exportedMember(const Key& key, const char* name)
{
    const QJsonObject jwk = QJsonDocument::fromJson(exportJwk(key, true)).object();
    return Base64Url::decode(jwk.value(QLatin1StringView(name)).toString().toLatin1()).bytes;
}

} // namespace

class TestRfc8037Keys : public QObject
{
    Q_OBJECT

private slots:
    void parsesTheEd25519Keys_data()
    {
        QTest::addColumn<QByteArray>("privateJwk");
        QTest::addColumn<QByteArray>("publicJwk");
        QTest::addColumn<QByteArray>("d");
        QTest::addColumn<QByteArray>("x");
        const QJsonArray tests = testsOfKind(QStringLiteral("jwk-parse"));
        QVERIFY(!tests.isEmpty());
        for (const QJsonValue& value : tests) {
            const QJsonObject test = value.toObject();
            QCOMPARE(test.value(u"expected").toString(), QStringLiteral("valid"));
            QTest::addRow("%s", qPrintable(test.value(u"id").toString()))
                << compact(test.value(u"privateJwk")) << compact(test.value(u"publicJwk"))
                << QByteArray::fromHex(test.value(u"dHex").toString().toLatin1())
                << QByteArray::fromHex(test.value(u"xHex").toString().toLatin1());
        }
    }

    void parsesTheEd25519Keys()
    {
        QFETCH(QByteArray, privateJwk);
        QFETCH(QByteArray, publicJwk);
        QFETCH(QByteArray, d);
        QFETCH(QByteArray, x);
        auto privateKey = importJwk(privateJwk);
        QVERIFY2(privateKey.ok(), qPrintable(privateKey.ok() ? QString() : privateKey.message()));
        QCOMPARE(privateKey->description(), QStringLiteral("Ed25519 private key"));
        QCOMPARE(exportedMember(*privateKey, "d"), d);
        QCOMPARE(exportedMember(*privateKey, "x"), x);

        auto publicKey = importJwk(publicJwk);
        QVERIFY(publicKey.ok());
        QCOMPARE(publicKey->description(), QStringLiteral("Ed25519 public key"));
        QCOMPARE(exportedMember(*publicKey, "x"), x);
        QCOMPARE(thumbprint(*publicKey), thumbprint(*privateKey));

        // The private key's signatures verify with the public one (RFC 8037 §A.4's signing input).
        const QByteArray input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        auto signature = signBytes(*findAlg(u"EdDSA"), *privateKey, input);
        QVERIFY(signature.ok());
        QVERIFY(verifyBytes(*findAlg(u"EdDSA"), *publicKey, input, *signature).ok());
    }

    void computesTheThumbprint_data()
    {
        QTest::addColumn<QByteArray>("jwk");
        QTest::addColumn<QByteArray>("canonicalJson");
        QTest::addColumn<QByteArray>("thumbprintHex");
        QTest::addColumn<QString>("thumbprintB64u");
        const QJsonArray tests = testsOfKind(QStringLiteral("jwk-thumbprint"));
        QVERIFY(!tests.isEmpty());
        for (const QJsonValue& value : tests) {
            const QJsonObject test = value.toObject();
            QTest::addRow("%s", qPrintable(test.value(u"id").toString()))
                << compact(test.value(u"jwk")) << test.value(u"canonicalJson").toString().toUtf8()
                << test.value(u"thumbprintHex").toString().toLatin1() << test.value(u"thumbprintB64u").toString();
        }
    }

    void computesTheThumbprint()
    {
        QFETCH(QByteArray, jwk);
        QFETCH(QByteArray, canonicalJson);
        QFETCH(QByteArray, thumbprintHex);
        QFETCH(QString, thumbprintB64u);
        auto key = importJwk(jwk);
        QVERIFY(key.ok());
        QCOMPARE(thumbprintInput(*key), canonicalJson);
        QCOMPARE(computeDigest(Digest::Sha256, canonicalJson).toHex(), thumbprintHex);
        QCOMPARE(thumbprint(*key), thumbprintB64u);
    }
};

QTEST_GUILESS_MAIN(TestRfc8037Keys)
#include "TestRfc8037Keys.moc"
