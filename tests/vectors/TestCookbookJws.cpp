// RFC 7520 (JOSE Cookbook) JWS examples, cookbook/jws/*.json: the compact, general JSON and flattened JSON outputs
// verify with the example's key; 4.5's detached content verifies once the payload is supplied; reproducible
// examples re-sign to the printed signature.
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

QList<QJsonObject> readExamples(QStringList* names = nullptr)
{
    QList<QJsonObject> examples;
    const QString dir = qEnvironmentVariable("JWTI_VECTORS_DIR") + QStringLiteral("/cookbook/jws");
    const QStringList files = QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString& name : files) {
        QFile file(dir + QLatin1Char('/') + name);
        if (!file.open(QIODevice::ReadOnly))
            continue;
        examples << QJsonDocument::fromJson(file.readAll()).object();
        if (names)
            *names << name.section(QLatin1Char('.'), 0, 0);
    }
    return examples;
}

} // namespace

class TestCookbookJws : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verifiesEveryOutput_data();
    void verifiesEveryOutput();
    void detachedContentNeedsThePayload();
    void reSignsReproducibleExamples_data();
    void reSignsReproducibleExamples();
    void cleanupTestCase();

private:
    int m_verified = 0;
    int m_resigned = 0;
};

void TestCookbookJws::initTestCase()
{
    QVERIFY2(readExamples().size() == 4, "expected the 4 cookbook/jws examples under JWTI_VECTORS_DIR");
}

void TestCookbookJws::verifiesEveryOutput_data()
{
    QTest::addColumn<QJsonObject>("example");
    QTest::addColumn<QByteArray>("text");
    QStringList names;
    const QList<QJsonObject> examples = readExamples(&names);
    for (qsizetype i = 0; i < examples.size(); ++i) {
        const QJsonObject output = examples[i].value(QLatin1String("output")).toObject();
        const QByteArray name = names[i].toUtf8();
        QTest::newRow((name + " compact").constData())
            << examples[i] << output.value(QLatin1String("compact")).toString().toUtf8();
        QTest::newRow((name + " json").constData())
            << examples[i]
            << QJsonDocument(output.value(QLatin1String("json")).toObject()).toJson(QJsonDocument::Compact);
        QTest::newRow((name + " json_flat").constData())
            << examples[i]
            << QJsonDocument(output.value(QLatin1String("json_flat")).toObject()).toJson(QJsonDocument::Compact);
    }
}

void TestCookbookJws::verifiesEveryOutput()
{
    QFETCH(QJsonObject, example);
    QFETCH(QByteArray, text);
    const QJsonObject input = example.value(QLatin1String("input")).toObject();
    auto key = importJwk(QJsonDocument(input.value(QLatin1String("key")).toObject()).toJson(QJsonDocument::Compact));
    QVERIFY2(key, key ? "" : qPrintable(key.message()));
    const Key verifier = key->type() == KeyType::Oct ? *key : key->publicOnly();

    auto token = parseStrict(text);
    QVERIFY2(token, token ? "" : qPrintable(token.message()));
    VerifyOptions options;
    options.alg = input.value(QLatin1String("alg")).toString();
    if (token->payloadDetached)
        options.detachedPayload = input.value(QLatin1String("payload")).toString().toUtf8();
    const VerifyResult result = verifyToken(*token, {verifier}, options);
    QVERIFY2(result.valid, qPrintable(result.reason));
    ++m_verified;
}

void TestCookbookJws::detachedContentNeedsThePayload()
{
    QStringList names;
    const QList<QJsonObject> examples = readExamples(&names);
    const qsizetype index = names.indexOf(QStringLiteral("4_5"));
    QVERIFY(index >= 0);
    const QJsonObject example = examples[index];
    const QJsonObject input = example.value(QLatin1String("input")).toObject();
    auto key = importJwk(QJsonDocument(input.value(QLatin1String("key")).toObject()).toJson(QJsonDocument::Compact));
    QVERIFY(key);
    auto token = parseStrict(
        example.value(QLatin1String("output")).toObject().value(QLatin1String("compact")).toString().toUtf8());
    QVERIFY(token);
    QVERIFY(token->payloadDetached);
    QVERIFY(!verifyToken(*token, {*key}, {}).valid);
    VerifyOptions options;
    options.detachedPayload = QByteArray("It's a different payload");
    const VerifyResult wrong = verifyToken(*token, {*key}, options);
    QVERIFY(!wrong.valid);
    QCOMPARE(wrong.code, ErrorCode::SignatureInvalid);
}

void TestCookbookJws::reSignsReproducibleExamples_data()
{
    QTest::addColumn<QJsonObject>("example");
    QStringList names;
    const QList<QJsonObject> examples = readExamples(&names);
    for (qsizetype i = 0; i < examples.size(); ++i)
        QTest::newRow(names[i].toUtf8().constData()) << examples[i];
}

void TestCookbookJws::reSignsReproducibleExamples()
{
    QFETCH(QJsonObject, example);
    const QJsonObject input = example.value(QLatin1String("input")).toObject();
    const QJsonObject signing = example.value(QLatin1String("signing")).toObject();
    auto key = importJwk(QJsonDocument(input.value(QLatin1String("key")).toObject()).toJson(QJsonDocument::Compact));
    QVERIFY(key);
    const AlgInfo* alg = findAlg(input.value(QLatin1String("alg")).toString());
    QVERIFY(alg);
    const QByteArray signingInput = signing.value(QLatin1String("sig-input")).toString().toUtf8();
    auto signature = signBytes(*alg, *key, signingInput);
    QVERIFY2(signature, signature ? "" : qPrintable(signature.message()));
    if (example.value(QLatin1String("reproducible")).toBool())
        QCOMPARE(Base64Url::encode(*signature), signing.value(QLatin1String("sig")).toString().toLatin1());
    else
        QVERIFY(verifyBytes(*alg, key->publicOnly(), signingInput, *signature));
    ++m_resigned;
}

void TestCookbookJws::cleanupTestCase()
{
    qInfo("Cookbook JWS: %d verification rows, %d re-sign rows passed", m_verified, m_resigned);
}

QTEST_GUILESS_MAIN(TestCookbookJws)
#include "TestCookbookJws.moc"
