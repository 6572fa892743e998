// Every test of the five Wycheproof files (C2SP/wycheproof testvectors_v1) through verifyBytes, the primitive JWS
// verification uses after splitting a token. The vectors sign arbitrary bytes, so msg is the "signing input".
//
// Policy, asserted row by row:
//  - "valid" must verify and "invalid" must be rejected, except where a JWS rule deliberately rejects a valid vector:
//    * HS256 tags shorter than 32 bytes (groups with tagSize 128): RFC 7518 §3.2 defines HS256 as the full
//      HMAC-SHA-256 output, so a truncated tag is SignatureMalformed.
//    * HS256 keys of 128 bits (tcId 163–165 and the tagSize-128 group with them): RFC 7518 §3.2 requires a key at
//      least as long as the hash output, so they are KeyWeak.
//    These are counted apart ("rejected by policy") in the summary line.
//  - "acceptable" (only rsa_signature_2048_sha256 tcId 8, flag MissingNull: a DigestInfo without the ASN.1 NULL):
//    we reject it, as OpenSSL 3 does, and assert that this stays so.
//  - RSA keys with e = 3 (tcId 258, 259): we set no policy on the public exponent (RFC 7518 does not), so their
//    valid signatures verify, and the test asserts that they do.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/Signature.h"
#include "core/jose/Jwk.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <map>

using namespace jwti;

namespace {

enum class Expect { Accept, Reject, RejectByPolicy };

struct Tally
{
    int total = 0;
    int accepted = 0;
    int rejected = 0;
    int rejectedByPolicy = 0;
    int acceptableRejected = 0;
    int expectedTotal = 0;
};

QJsonObject readVectorFile(const QString& name)
{
    QFile file(qEnvironmentVariable("JWTI_VECTORS_DIR") + QStringLiteral("/wycheproof/testvectors_v1/") + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s (is JWTI_VECTORS_DIR set?)", qPrintable(file.fileName()));
    return QJsonDocument::fromJson(file.readAll()).object();
}

QByteArray hex(const QJsonValue& value)
{
    return QByteArray::fromHex(value.toString().toLatin1());
}

} // namespace

class TestWycheproof : public QObject
{
    Q_OBJECT

    std::map<QString, Tally> m_tallies;

    // One row per tcId. keyText is a JWK (JSON), or DER when the group has no JWK.
    static void addRows(const QString& fileName)
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("tcId");
        QTest::addColumn<QByteArray>("keyText");
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<QByteArray>("signature");
        QTest::addColumn<QString>("result");
        QTest::addColumn<int>("keyBits");
        QTest::addColumn<int>("tagBits");

        const QJsonObject root = readVectorFile(fileName);
        for (const QJsonValue& groupValue : root.value(u"testGroups").toArray()) {
            const QJsonObject group = groupValue.toObject();
            QByteArray keyText;
            for (const char* member : {"keyJwk", "publicKeyJwk"}) {
                if (group.contains(QLatin1StringView(member)))
                    keyText = QJsonDocument(group.value(QLatin1StringView(member)).toObject())
                                  .toJson(QJsonDocument::Compact);
            }
            if (keyText.isEmpty() && group.contains(u"publicKeyDer"))
                keyText = hex(group.value(u"publicKeyDer"));
            const int keyBits = group.value(u"keySize").toInt();
            const int tagBits = group.value(u"tagSize").toInt();
            for (const QJsonValue& testValue : group.value(u"tests").toArray()) {
                const QJsonObject test = testValue.toObject();
                const bool hmac = test.contains(u"tag");
                const int tcId = test.value(u"tcId").toInt();
                QTest::addRow("tcId %d %s", tcId, qPrintable(test.value(u"comment").toString()))
                    << fileName << tcId << (hmac ? hex(test.value(u"key")) : keyText) << hex(test.value(u"msg"))
                    << hex(test.value(hmac ? u"tag" : u"sig")) << test.value(u"result").toString() << keyBits
                    << tagBits;
            }
        }
    }

    void runRow(const char* algName)
    {
        QFETCH(QString, file);
        QFETCH(int, tcId);
        QFETCH(QByteArray, keyText);
        QFETCH(QByteArray, message);
        QFETCH(QByteArray, signature);
        QFETCH(QString, result);
        QFETCH(int, keyBits);
        QFETCH(int, tagBits);
        const AlgInfo& alg = *findAlg(QString::fromLatin1(algName));

        Key key;
        if (alg.scheme == SignatureScheme::Hmac) {
            key = Key::fromSecret(SecretBytes(keyText));
        } else {
            auto keys = importKeys(keyText);
            QVERIFY2(keys.ok(),
                     qPrintable(QStringLiteral("tcId %1: key import failed: %2")
                                    .arg(tcId)
                                    .arg(keys.ok() ? QString() : keys.message())));
            key = keys->front();
            // The Wycheproof JWKs carry "kid":"none" and an alg; the alg must match the one we verify with.
        }

        Expect expect = result == u"valid" ? Expect::Accept : Expect::Reject;
        ErrorCode policyCode = ErrorCode::Crypto;
        if (alg.scheme == SignatureScheme::Hmac && expect == Expect::Accept) {
            if (keyBits < alg.minKeyBits) {
                expect = Expect::RejectByPolicy;
                policyCode = ErrorCode::KeyWeak; // RFC 7518 §3.2: key shorter than the hash output
            } else if (tagBits != 8 * digestBytes(alg.digest)) {
                expect = Expect::RejectByPolicy;
                policyCode = ErrorCode::SignatureMalformed; // RFC 7518 §3.2: truncated tag
            }
        }

        Tally& tally = m_tallies[file];
        ++tally.total;
        auto verdict = verifyBytes(alg, key, message, signature);
        if (verdict.ok())
            ++tally.accepted;
        else
            ++tally.rejected;

        const QString reason = verdict.ok() ? QStringLiteral("verified")
                                            : errorCodeName(verdict.code()) + QStringLiteral(": ") + verdict.message();
        switch (expect) {
        case Expect::Accept:
            QVERIFY2(verdict.ok(),
                     qPrintable(QStringLiteral("tcId %1 is valid but was rejected (%2)").arg(tcId).arg(reason)));
            ++tally.expectedTotal;
            break;
        case Expect::Reject:
            QVERIFY2(!verdict.ok(), qPrintable(QStringLiteral("tcId %1 is %2 but verified").arg(tcId).arg(result)));
            if (result == u"acceptable")
                ++tally.acceptableRejected;
            ++tally.expectedTotal;
            break;
        case Expect::RejectByPolicy:
            QVERIFY2(!verdict.ok() && verdict.code() == policyCode,
                     qPrintable(QStringLiteral("tcId %1 must be refused as %2 (RFC 7518 §3.2), got %3")
                                    .arg(tcId)
                                    .arg(errorCodeName(policyCode), reason)));
            ++tally.rejectedByPolicy;
            ++tally.expectedTotal;
            break;
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("JWTI_VECTORS_DIR").isEmpty(), "JWTI_VECTORS_DIR is not set");
    }

    void rs256_data() { addRows(QStringLiteral("rsa_signature_2048_sha256_test.json")); }
    void rs256() { runRow("RS256"); }
    void ps256_data() { addRows(QStringLiteral("rsa_pss_2048_sha256_mgf1_32_test.json")); }
    void ps256() { runRow("PS256"); }
    void es256_data() { addRows(QStringLiteral("ecdsa_secp256r1_sha256_p1363_test.json")); }
    void es256() { runRow("ES256"); }
    void eddsa_data() { addRows(QStringLiteral("ed25519_test.json")); }
    void eddsa() { runRow("EdDSA"); }
    void hs256_data() { addRows(QStringLiteral("hmac_sha256_test.json")); }
    void hs256() { runRow("HS256"); }

    void everyTestOfEveryFileRan()
    {
        const std::map<QString, int> counts = {{"rsa_signature_2048_sha256_test.json", 259},
                                               {"rsa_pss_2048_sha256_mgf1_32_test.json", 108},
                                               {"ecdsa_secp256r1_sha256_p1363_test.json", 262},
                                               {"ed25519_test.json", 151},
                                               {"hmac_sha256_test.json", 174}};
        int all = 0;
        for (const auto& [file, count] : counts) {
            const Tally& tally = m_tallies[file];
            qInfo("%s: %d tests, %d accepted, %d rejected (%d of them valid vectors rejected by RFC 7518 policy, %d "
                  "acceptable rejected); %d as expected",
                  qPrintable(file), tally.total, tally.accepted, tally.rejected, tally.rejectedByPolicy,
                  tally.acceptableRejected, tally.expectedTotal);
            QCOMPARE(tally.total, count);
            QCOMPARE(tally.expectedTotal, count);
            all += tally.total;
        }
        QCOMPARE(all, 954);
        // The deliberate rejections are a fixed, known set: 36 valid HMAC vectors (truncated tags or 128-bit keys).
        QCOMPARE(m_tallies["hmac_sha256_test.json"].rejectedByPolicy, 36);
        QCOMPARE(m_tallies["rsa_signature_2048_sha256_test.json"].acceptableRejected, 1);
    }
};

QTEST_GUILESS_MAIN(TestWycheproof)
#include "TestWycheproof.moc"
