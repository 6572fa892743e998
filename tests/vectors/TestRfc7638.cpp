// RFC 7638 JWK thumbprints: every case of rfc/rfc7638-jwk-thumbprint.authored.json (2 printed in RFCs, 4 derived).
#include "core/crypto/Signature.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

class TestRfc7638 : public QObject
{
    Q_OBJECT

private slots:
    void computesEveryThumbprint_data()
    {
        QTest::addColumn<QByteArray>("jwk");
        QTest::addColumn<QByteArray>("canonicalJson");
        QTest::addColumn<QByteArray>("thumbprintHex");
        QTest::addColumn<QString>("thumbprintB64u");
        QFile file(qEnvironmentVariable("JWTI_VECTORS_DIR")
                   + QStringLiteral("/rfc/rfc7638-jwk-thumbprint.authored.json"));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName() + QStringLiteral(" (JWTI_VECTORS_DIR)")));
        const QJsonArray tests = QJsonDocument::fromJson(file.readAll()).object().value(u"tests").toArray();
        QCOMPARE(tests.size(), 6);
        for (const QJsonValue& value : tests) {
            const QJsonObject test = value.toObject();
            QTest::addRow("%s", qPrintable(test.value(u"id").toString()))
                << QJsonDocument(test.value(u"jwk").toObject()).toJson(QJsonDocument::Compact)
                << test.value(u"canonicalJson").toString().toUtf8()
                << test.value(u"thumbprintHex").toString().toLatin1() << test.value(u"thumbprintB64u").toString();
        }
    }

    void computesEveryThumbprint()
    {
        QFETCH(QByteArray, jwk);
        QFETCH(QByteArray, canonicalJson);
        QFETCH(QByteArray, thumbprintHex);
        QFETCH(QString, thumbprintB64u);
        auto key = importJwk(jwk);
        QVERIFY2(key.ok(), qPrintable(key.ok() ? QString() : key.message()));
        QCOMPARE(thumbprintInput(*key), canonicalJson);
        QCOMPARE(computeDigest(Digest::Sha256, thumbprintInput(*key)).toHex(), thumbprintHex);
        QCOMPARE(thumbprint(*key), thumbprintB64u);
        // RFC 7638 §3.2.1: a private key's thumbprint is its public key's.
        if (key->type() != KeyType::Oct)
            QCOMPARE(thumbprint(key->publicOnly()), thumbprintB64u);
    }
};

QTEST_GUILESS_MAIN(TestRfc7638)
#include "TestRfc7638.moc"
