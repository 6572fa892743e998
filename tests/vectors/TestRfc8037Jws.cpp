// RFC 8037 Appendix A.4/A.5 (Ed25519 JWS) and the RFC 9864 "Ed25519" variant: the "jws-compact" cases of
// rfc/rfc8037-appendix-a.authored.json, verified as tokens and re-signed (Ed25519 is deterministic).
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

QJsonArray readTests()
{
    const QString dir = qEnvironmentVariable("JWTI_VECTORS_DIR");
    QFile file(dir + QStringLiteral("/rfc/rfc8037-appendix-a.authored.json"));
    if (dir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("tests")).toArray();
}

std::optional<Key> jwkKey(const QJsonValue& jwk)
{
    if (!jwk.isObject())
        return std::nullopt;
    auto key = importJwk(QJsonDocument(jwk.toObject()).toJson(QJsonDocument::Compact));
    if (!key)
        return std::nullopt;
    return *key;
}

} // namespace

class TestRfc8037Jws : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verifiesCompactCases_data();
    void verifiesCompactCases();
    void reSignsToThePrintedSignature_data();
    void reSignsToThePrintedSignature();
    void cleanupTestCase();

private:
    int m_passed = 0;
};

void TestRfc8037Jws::initTestCase()
{
    QVERIFY2(!readTests().isEmpty(), "rfc/rfc8037-appendix-a.authored.json not found under JWTI_VECTORS_DIR");
}

void TestRfc8037Jws::verifiesCompactCases_data()
{
    QTest::addColumn<QJsonObject>("test");
    for (const QJsonValue value : readTests()) {
        const QJsonObject test = value.toObject();
        if (test.value(QLatin1String("kind")).toString() == QLatin1String("jws-compact"))
            QTest::newRow(test.value(QLatin1String("id")).toString().toUtf8().constData()) << test;
    }
}

void TestRfc8037Jws::verifiesCompactCases()
{
    QFETCH(QJsonObject, test);
    const auto key = jwkKey(test.value(QLatin1String("verifyKey")));
    QVERIFY(key);
    const bool expectValid = test.value(QLatin1String("expected")).toString() == QLatin1String("valid");
    auto token = parseStrict(test.value(QLatin1String("compact")).toString().toUtf8());
    QVERIFY2(token || !expectValid, token ? "" : qPrintable(token.message()));
    if (token) {
        VerifyOptions options;
        options.alg = test.value(QLatin1String("alg")).toString();
        options.checkClaims = false;
        const VerifyResult result = verifyToken(*token, {*key}, options);
        QVERIFY2(result.valid == expectValid, qPrintable(result.reason));
        if (!expectValid)
            QCOMPARE(result.code, ErrorCode::SignatureInvalid);
    }
    ++m_passed;
}

void TestRfc8037Jws::reSignsToThePrintedSignature_data()
{
    QTest::addColumn<QJsonObject>("test");
    for (const QJsonValue value : readTests()) {
        const QJsonObject test = value.toObject();
        if (test.value(QLatin1String("kind")).toString() == QLatin1String("jws-compact")
            && test.value(QLatin1String("key")).isObject())
            QTest::newRow(test.value(QLatin1String("id")).toString().toUtf8().constData()) << test;
    }
}

void TestRfc8037Jws::reSignsToThePrintedSignature()
{
    QFETCH(QJsonObject, test);
    const AlgInfo* alg = findAlg(test.value(QLatin1String("alg")).toString());
    QVERIFY(alg);
    const auto key = jwkKey(test.value(QLatin1String("key")));
    QVERIFY(key);
    auto signature = signBytes(*alg, *key, test.value(QLatin1String("signingInput")).toString().toUtf8());
    QVERIFY2(signature, signature ? "" : qPrintable(signature.message()));
    QCOMPARE(Base64Url::encode(*signature), test.value(QLatin1String("signatureB64u")).toString().toLatin1());
    ++m_passed;
}

void TestRfc8037Jws::cleanupTestCase()
{
    qInfo("RFC 8037: %d rows passed", m_passed);
}

QTEST_GUILESS_MAIN(TestRfc8037Jws)
#include "TestRfc8037Jws.moc"
