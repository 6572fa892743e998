// RFC 7520 §4.8 (JOSE Cookbook, "Multiple Signatures"): one payload signed with RS256, ES512 and HS256 by three keys,
// as a general JSON JWS. Each key alone verifies its own signature and is never asked to verify one it does not fit
// (the RSA and EC keys even share a kid); the two other signatures are not verified, never invalid. Data:
// tests/data/verdict/4_8.multiple_signatures.json, a copy of ietf-jose/cookbook (see the README there).
#include "core/jose/Jwk.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

class TestRfc7520MultipleSignatures : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void eachKeyAloneVerifiesItsOwnSignature_data();
    void eachKeyAloneVerifiesItsOwnSignature();
    void allThreeKeysVerifyEverySignature();
    void aChangedPayloadIsInvalidForEveryKey();
    void flattenedFormOfEachSignatureVerifies();

private:
    QJsonObject m_example;
    std::vector<Key> m_keys; // public parts; RS256, ES512, HS256 in the example's order
    QByteArray m_general;
};

void TestRfc7520MultipleSignatures::initTestCase()
{
    QFile file(qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/verdict/4_8.multiple_signatures.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    m_example = QJsonDocument::fromJson(file.readAll()).object();
    const QJsonArray keys = m_example.value(QStringLiteral("input")).toObject().value(QStringLiteral("key")).toArray();
    QCOMPARE(keys.size(), 3);
    for (const QJsonValue jwk : keys) {
        auto key = importJwk(QJsonDocument(jwk.toObject()).toJson(QJsonDocument::Compact));
        QVERIFY2(key, key ? "" : qPrintable(key.message()));
        Key verifier = key->type() == KeyType::Oct ? *key : key->publicOnly();
        verifier.metadata = key->metadata;
        verifier.metadata.provenance.kind = KeyProvenance::Kind::File;
        verifier.metadata.provenance.file = QStringLiteral("RFC 7520 key %1").arg(m_keys.size() + 1);
        m_keys.push_back(verifier);
    }
    m_general
        = QJsonDocument(m_example.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject())
              .toJson(QJsonDocument::Compact);
    QVERIFY(!m_general.isEmpty());
}

void TestRfc7520MultipleSignatures::eachKeyAloneVerifiesItsOwnSignature_data()
{
    QTest::addColumn<int>("key");
    QTest::newRow("RS256 key (RFC 7520 §3.4)") << 0;
    QTest::newRow("ES512 key (RFC 7520 §3.2)") << 1;
    QTest::newRow("HS256 key (RFC 7520 §3.5)") << 2;
}

void TestRfc7520MultipleSignatures::eachKeyAloneVerifiesItsOwnSignature()
{
    QFETCH(int, key);
    Expectations expectations;
    expectations.claims.now = 1700000000;
    const Verdict verdict = computeVerdict(QByteArrayView(m_general), {m_keys[std::size_t(key)]}, expectations);
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    QCOMPARE(verdict.signatures.size(), std::size_t(3));
    for (const SignatureVerdict& signature : verdict.signatures) {
        if (signature.index == key) {
            QCOMPARE(signature.outcome, VerdictOutcome::Valid);
            QCOMPARE(signature.keysTried, 1);
        } else {
            QCOMPARE(signature.outcome, VerdictOutcome::NotVerified);
            // Never asked to verify a signature it does not fit.
            QCOMPARE(signature.keysTried, 0);
        }
    }
    QCOMPARE(verdict.key->metadata.provenance.file, QStringLiteral("RFC 7520 key %1").arg(key + 1));
    QVERIFY(verdict.headline.contains(QStringLiteral("signature %1 of 3").arg(key + 1)));
}

void TestRfc7520MultipleSignatures::allThreeKeysVerifyEverySignature()
{
    Expectations expectations;
    expectations.claims.now = 1700000000;
    const Verdict verdict = computeVerdict(QByteArrayView(m_general), m_keys, expectations);
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    for (const SignatureVerdict& signature : verdict.signatures) {
        QCOMPARE(signature.outcome, VerdictOutcome::Valid);
        QCOMPARE(signature.keysTried, 1);
    }
}

void TestRfc7520MultipleSignatures::aChangedPayloadIsInvalidForEveryKey()
{
    QJsonObject json = m_example.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject();
    json.insert(QStringLiteral("payload"), QStringLiteral("SXTigJlzIGEgc2FmZSBidXNpbmVzcw"));
    const QByteArray changed = QJsonDocument(json).toJson(QJsonDocument::Compact);
    for (std::size_t key = 0; key < m_keys.size(); ++key) {
        const Verdict verdict = computeVerdict(QByteArrayView(changed), {m_keys[key]}, Expectations());
        QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
        QCOMPARE(verdict.signatures[key].outcome, VerdictOutcome::Invalid);
    }
}

void TestRfc7520MultipleSignatures::flattenedFormOfEachSignatureVerifies()
{
    const QJsonObject general
        = m_example.value(QStringLiteral("output")).toObject().value(QStringLiteral("json")).toObject();
    const QJsonArray signatures = general.value(QStringLiteral("signatures")).toArray();
    for (qsizetype i = 0; i < signatures.size(); ++i) {
        QJsonObject flattened = signatures[i].toObject();
        flattened.insert(QStringLiteral("payload"), general.value(QStringLiteral("payload")));
        const QByteArray text = QJsonDocument(flattened).toJson(QJsonDocument::Compact);
        const Verdict verdict = computeVerdict(QByteArrayView(text), {m_keys[std::size_t(i)]}, Expectations());
        QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    }
}

QTEST_GUILESS_MAIN(TestRfc7520MultipleSignatures)
#include "TestRfc7520MultipleSignatures.moc"
