// RFC 7515 Appendix A (and E) through the token-level API: every case of rfc/rfc7515-appendix-a.authored.json.
// Compact and JSON forms verify (or are rejected) per "expected"; deterministic cases re-sign to the printed
// signature byte for byte; ECDSA cases sign afresh and verify.
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

QJsonObject readVectors(const QString& relative)
{
    const QString dir = qEnvironmentVariable("JWTI_VECTORS_DIR");
    QFile file(dir + QLatin1Char('/') + relative);
    if (dir.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

std::optional<Key> jwkKey(const QJsonValue& jwk, const QString& kid = {})
{
    if (!jwk.isObject())
        return std::nullopt;
    auto key = importJwk(QJsonDocument(jwk.toObject()).toJson(QJsonDocument::Compact));
    if (!key) {
        qWarning("JWK import failed: %s", qPrintable(key.message()));
        return std::nullopt;
    }
    Key value = *key;
    if (!kid.isEmpty())
        value.metadata.kid = kid;
    return value;
}

// The RFC's payload carries exp 1300819380 (2011): these cases test signatures, not the clock.
VerifyOptions signatureOnly(const QJsonValue& alg)
{
    VerifyOptions options;
    options.checkClaims = false;
    if (alg.isString())
        options.alg = alg.toString();
    return options;
}

} // namespace

class TestRfc7515 : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void verifiesPerExpected_data();
    void verifiesPerExpected();
    void reSignsDeterministicCases_data();
    void reSignsDeterministicCases();
    void cleanupTestCase();

private:
    QJsonArray m_tests;
    int m_verified = 0;
    int m_resigned = 0;
};

void TestRfc7515::initTestCase()
{
    const QJsonObject vectors = readVectors(QStringLiteral("rfc/rfc7515-appendix-a.authored.json"));
    m_tests = vectors.value(QLatin1String("tests")).toArray();
    QVERIFY2(!m_tests.isEmpty(), "rfc/rfc7515-appendix-a.authored.json not found under JWTI_VECTORS_DIR");
}

void TestRfc7515::verifiesPerExpected_data()
{
    QTest::addColumn<QJsonObject>("test");
    QTest::addColumn<QByteArray>("text");
    const QJsonObject vectors = readVectors(QStringLiteral("rfc/rfc7515-appendix-a.authored.json"));
    for (const QJsonValue value : vectors.value(QLatin1String("tests")).toArray()) {
        const QJsonObject test = value.toObject();
        const QByteArray id = test.value(QLatin1String("id")).toString().toUtf8();
        if (test.contains(QLatin1String("compact")))
            QTest::newRow((id + " compact").constData())
                << test << test.value(QLatin1String("compact")).toString().toUtf8();
        if (test.contains(QLatin1String("json")))
            QTest::newRow((id + " json").constData())
                << test << QJsonDocument(test.value(QLatin1String("json")).toObject()).toJson(QJsonDocument::Compact);
    }
}

void TestRfc7515::verifiesPerExpected()
{
    QFETCH(QJsonObject, test);
    QFETCH(QByteArray, text);
    std::vector<Key> keys;
    if (test.contains(QLatin1String("keys"))) {
        const QJsonObject byKid = test.value(QLatin1String("keys")).toObject();
        for (auto it = byKid.begin(); it != byKid.end(); ++it) {
            auto key = jwkKey(it.value(), it.key());
            QVERIFY(key);
            keys.push_back(*key);
        }
    } else if (auto key = jwkKey(test.value(QLatin1String("verifyKey")))) {
        keys.push_back(*key);
    }
    const bool expectValid = test.value(QLatin1String("expected")).toString() == QLatin1String("valid");

    auto token = parseStrict(text);
    if (!token) {
        QVERIFY2(!expectValid, qPrintable(token.message()));
        ++m_verified;
        return;
    }
    const VerifyResult result = verifyToken(*token, keys, signatureOnly(test.value(QLatin1String("alg"))));
    QVERIFY2(result.valid == expectValid,
             qPrintable(QStringLiteral("expected %1, got %2 (%3)")
                            .arg(test.value(QLatin1String("expected")).toString(),
                                 result.valid ? QStringLiteral("valid") : QStringLiteral("invalid"), result.reason)));
    if (test.contains(QLatin1String("expectedPerSignature"))) {
        const QJsonArray perSignature = test.value(QLatin1String("expectedPerSignature")).toArray();
        QCOMPARE(result.signatures.size(), std::size_t(perSignature.size()));
        for (qsizetype i = 0; i < perSignature.size(); ++i)
            QCOMPARE(result.signatures[std::size_t(i)].valid, perSignature[i].toString() == QLatin1String("valid"));
    }
    ++m_verified;
}

void TestRfc7515::reSignsDeterministicCases_data()
{
    QTest::addColumn<QJsonObject>("test");
    const QJsonObject vectors = readVectors(QStringLiteral("rfc/rfc7515-appendix-a.authored.json"));
    for (const QJsonValue value : vectors.value(QLatin1String("tests")).toArray()) {
        const QJsonObject test = value.toObject();
        // Only cases with a signing key and a single alg; "none" has nothing to sign.
        if (!test.value(QLatin1String("key")).isObject() || !test.value(QLatin1String("alg")).isString()
            || !test.contains(QLatin1String("signingInput")))
            continue;
        QTest::newRow(test.value(QLatin1String("id")).toString().toUtf8().constData()) << test;
    }
}

void TestRfc7515::reSignsDeterministicCases()
{
    QFETCH(QJsonObject, test);
    const AlgInfo* alg = findAlg(test.value(QLatin1String("alg")).toString());
    QVERIFY(alg);
    const auto key = jwkKey(test.value(QLatin1String("key")));
    const auto verifyKey = jwkKey(test.value(QLatin1String("verifyKey")));
    QVERIFY(key && verifyKey);
    const QByteArray input = test.value(QLatin1String("signingInput")).toString().toUtf8();
    auto signature = signBytes(*alg, *key, input);
    QVERIFY2(signature, signature ? "" : qPrintable(signature.message()));
    if (test.value(QLatin1String("deterministic")).toBool()) {
        QCOMPARE(Base64Url::encode(*signature), test.value(QLatin1String("signatureB64u")).toString().toLatin1());
    } else {
        // ECDSA: a fresh signature differs from the printed one but must verify, as a token too.
        QVERIFY(verifyBytes(*alg, *verifyKey, input, *signature));
        VerifyOptions options = signatureOnly(test.value(QLatin1String("alg")));
        auto token = parseStrict(input + '.' + Base64Url::encode(*signature));
        QVERIFY(token);
        QVERIFY(verifyToken(*token, {*verifyKey}, options).valid);
    }
    ++m_resigned;
}

void TestRfc7515::cleanupTestCase()
{
    qInfo("RFC 7515: %d verification rows, %d re-sign rows passed", m_verified, m_resigned);
}

QTEST_GUILESS_MAIN(TestRfc7515)
#include "TestRfc7515.moc"
