// The attack corpus: tokens crafted the way published JWT attacks craft them. Every one must come out invalid,
// for the reason asserted here (ErrorCode and a part of the message), never "verified".
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"

#include <QFile>
#include <QHash>
#include <QTest>

using namespace jwti;

namespace {

const qint64 kNow = 1700000000;
const QByteArray kPayload = "{\"sub\":\"admin\",\"admin\":true}";

Key generated(const QString& algName)
{
    static QHash<QString, Key> cache;
    if (!cache.contains(algName)) {
        auto spec = keySpecForAlg(*findAlg(algName));
        auto key = spec ? generateKey(*spec) : Result<Key>(Error{ErrorCode::Crypto, spec.message()});
        if (!key)
            qFatal("cannot generate a key for %s: %s", qPrintable(algName), qPrintable(key.message()));
        cache.insert(algName, *key);
    }
    return cache.value(algName);
}

Key verifierOf(const Key& key)
{
    return key.type() == KeyType::Oct ? key : key.publicOnly();
}

QByteArray compact(const QByteArray& header, const QByteArray& payload, const QByteArray& signature)
{
    return Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.' + Base64Url::encode(signature);
}

QByteArray signingInputOf(const QByteArray& header, const QByteArray& payload)
{
    return Base64Url::encode(header) + '.' + Base64Url::encode(payload);
}

// A token whose signature is a real one by key over header.payload.
QByteArray signedToken(const QByteArray& header, const QByteArray& payload, const Key& key, const QString& alg)
{
    auto signature = signBytes(*findAlg(alg), key, signingInputOf(header, payload));
    if (!signature)
        qFatal("cannot sign: %s", qPrintable(signature.message()));
    return compact(header, payload, *signature);
}

QByteArray signatureOf(const QByteArray& token)
{
    return Base64Url::decode(token.split('.').at(2)).bytes;
}

QByteArray withSignature(const QByteArray& token, const QByteArray& signature)
{
    QList<QByteArray> parts = token.split('.');
    parts[2] = Base64Url::encode(signature);
    return parts.join('.');
}

VerifyResult verify(const QByteArray& text, const std::vector<Key>& keys, const QString& alg = {})
{
    VerifyOptions options;
    options.claims.now = kNow;
    options.alg = alg;
    auto token = parseStrict(text);
    if (!token) {
        VerifyResult refused;
        refused.code = token.code();
        refused.reason = token.message();
        return refused;
    }
    return verifyToken(*token, keys, options);
}

// DER SEQUENCE { INTEGER r, INTEGER s } from raw r‖s, as OpenSSL (and some JWT libraries) produce it.
QByteArray derFromRaw(const QByteArray& raw)
{
    auto integer = [](QByteArray value) {
        while (value.size() > 1 && value.at(0) == 0 && !(quint8(value.at(1)) & 0x80))
            value.remove(0, 1);
        if (quint8(value.at(0)) & 0x80)
            value.prepend('\0');
        return QByteArray(1, 0x02) + char(value.size()) + value;
    };
    const QByteArray body = integer(raw.left(raw.size() / 2)) + integer(raw.mid(raw.size() / 2));
    return QByteArray(1, 0x30) + char(body.size()) + body;
}

#define CHECK_INVALID(result, expectedCode, messagePart)                                                               \
    do {                                                                                                               \
        const VerifyResult& r_ = (result);                                                                             \
        QVERIFY2(!r_.valid, "an attack token verified");                                                               \
        QVERIFY2(r_.code == (expectedCode),                                                                            \
                 qPrintable(QStringLiteral("code %1, expected %2: %3")                                                 \
                                .arg(errorCodeName(r_.code), errorCodeName(expectedCode), r_.reason)));                \
        QVERIFY2(r_.reason.contains(QLatin1String(messagePart)),                                                       \
                 qPrintable(QStringLiteral("reason \"%1\" lacks \"%2\"").arg(r_.reason, QLatin1String(messagePart)))); \
    } while (false)

} // namespace

class TestAttacks : public QObject
{
    Q_OBJECT

private slots:
    void rejectsAlgNoneInAnySpelling_data();
    void rejectsAlgNoneInAnySpelling();
    void rejectsHs256SignedWithThePublicKeyPem();
    void rejectsEs256WithZeroRAndS();
    void rejectsEs256WithROfTheGroupOrder();
    void rejectsDerEncodedEs256Signature();
    void rejectsTruncatedAndEmptySignatures_data();
    void rejectsTruncatedAndEmptySignatures();
    void neverTrustsAnEmbeddedJwk();
    void neverFetchesJkuOrX5u_data();
    void neverFetchesJkuOrX5u();
    void rejectsUnknownCrit();
    void rejectsCritB64WithoutB64();
    void rejectsRs256HeaderWithEcKey();
    void rejectsJwkAlgDifferingFromChosenAlg();
    void rejectsJwkUseEnc();
    void rejectsJwkKeyOpsWithoutVerify();
    void rejectsRsa1024Key();
    void rejects128BitHmacSecret();
    void rejectsHeaderAlgDifferingFromForcedAlg();
};

void TestAttacks::rejectsAlgNoneInAnySpelling_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<QByteArray>("signature");
    for (const char* spelling : {"none", "None", "NONE", "nOnE"}) {
        QTest::addRow("%s, empty signature", spelling) << QString::fromLatin1(spelling) << QByteArray();
        QTest::addRow("%s, non-empty signature", spelling)
            << QString::fromLatin1(spelling) << QByteArray("not a signature at all");
    }
}

void TestAttacks::rejectsAlgNoneInAnySpelling()
{
    QFETCH(QString, alg);
    QFETCH(QByteArray, signature);
    const QByteArray token = compact("{\"alg\":\"" + alg.toLatin1() + "\",\"typ\":\"JWT\"}", kPayload, signature);
    // RFC 8725 §3.1: refused in any spelling, before any key is looked at.
    const ErrorCode expected = ErrorCode::AlgNone;
    const char* part = "nothing to verify";
    for (const Key& key : {generated(QStringLiteral("HS256")), verifierOf(generated(QStringLiteral("RS256")))})
        CHECK_INVALID(verify(token, {key}), expected, part);
    // Even when the caller forces an alg, and with no key at all.
    CHECK_INVALID(verify(token, {generated(QStringLiteral("HS256"))}, QStringLiteral("HS256")), expected, part);
    CHECK_INVALID(verify(token, {}), expected, part);
}

void TestAttacks::rejectsHs256SignedWithThePublicKeyPem()
{
    // The classic confusion (CVE-2015-9235 and kin): HMAC keyed with the public key's PEM text.
    const Key rsa = verifierOf(generated(QStringLiteral("RS256")));
    const QByteArray pem = exportPublicPem(rsa);
    QVERIFY(!pem.isEmpty());
    const QByteArray header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    const QByteArray mac = computeHmac(Digest::Sha256, pem, signingInputOf(header, kPayload));
    const QByteArray token = compact(header, kPayload, mac);
    CHECK_INVALID(verify(token, {rsa}), ErrorCode::KeyMismatch, "not an HMAC secret");
    CHECK_INVALID(verify(token, {rsa}, QStringLiteral("HS256")), ErrorCode::KeyMismatch, "not an HMAC secret");
}

void TestAttacks::rejectsEs256WithZeroRAndS()
{
    // CVE-2022-21449 ("psychic signatures"): r = s = 0 verified in some Java versions.
    const QByteArray token = compact("{\"alg\":\"ES256\"}", kPayload, QByteArray(64, '\0'));
    CHECK_INVALID(verify(token, {verifierOf(generated(QStringLiteral("ES256")))}), ErrorCode::SignatureMalformed,
                  "= 0");
}

void TestAttacks::rejectsEs256WithROfTheGroupOrder()
{
    const QByteArray order = QByteArray::fromHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
    QByteArray signature = order + QByteArray(31, '\0') + '\x01';
    const QByteArray token = compact("{\"alg\":\"ES256\"}", kPayload, signature);
    CHECK_INVALID(verify(token, {verifierOf(generated(QStringLiteral("ES256")))}), ErrorCode::SignatureMalformed,
                  "order");
}

void TestAttacks::rejectsDerEncodedEs256Signature()
{
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray good = signedToken("{\"alg\":\"ES256\"}", kPayload, ec, QStringLiteral("ES256"));
    QVERIFY(verify(good, {verifierOf(ec)}).valid);
    const QByteArray der = derFromRaw(signatureOf(good));
    QVERIFY(der.size() != 64);
    CHECK_INVALID(verify(withSignature(good, der), {verifierOf(ec)}), ErrorCode::SignatureMalformed, "64 bytes");
}

void TestAttacks::rejectsTruncatedAndEmptySignatures_data()
{
    QTest::addColumn<QString>("alg");
    QTest::addColumn<bool>("empty");
    for (const char* alg : {"HS256", "RS256", "PS256", "ES256", "EdDSA"}) {
        QTest::addRow("%s truncated", alg) << QString::fromLatin1(alg) << false;
        QTest::addRow("%s empty", alg) << QString::fromLatin1(alg) << true;
    }
}

void TestAttacks::rejectsTruncatedAndEmptySignatures()
{
    QFETCH(QString, alg);
    QFETCH(bool, empty);
    const Key key = generated(alg);
    const QByteArray good = signedToken("{\"alg\":\"" + alg.toLatin1() + "\"}", kPayload, key, alg);
    QVERIFY(verify(good, {verifierOf(key)}).valid);
    const QByteArray signature = signatureOf(good);
    const QByteArray bad = withSignature(good, empty ? QByteArray() : signature.left(signature.size() - 1));
    // An empty signature segment is refused by the strict parser already; a short one by the signature check.
    if (empty)
        CHECK_INVALID(verify(bad, {verifierOf(key)}), ErrorCode::MalformedToken, "empty");
    else
        CHECK_INVALID(verify(bad, {verifierOf(key)}), ErrorCode::SignatureMalformed,
                      (QByteArray::number(signature.size() - 1) + " bytes").constData());
}

void TestAttacks::neverTrustsAnEmbeddedJwk()
{
    // CVE-2018-0114: the attacker signs with their own key and ships its public half in the "jwk" header.
    const Key real = verifierOf(generated(QStringLiteral("ES256")));
    auto attacker = generateKey(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
    QVERIFY(attacker);
    QByteArray jwk = exportJwk(attacker->publicOnly(), false, 0);
    jwk.replace('\n', "");
    QVERIFY(jwk.startsWith('{'));
    const QByteArray header = "{\"alg\":\"ES256\",\"jwk\":" + jwk + "}";
    const QByteArray token = signedToken(header, kPayload, *attacker, QStringLiteral("ES256"));

    const VerifyResult result = verify(token, {real});
    CHECK_INVALID(result, ErrorCode::SignatureInvalid, "does not verify");
    QVERIFY(result.signatures.front().key.has_value());
    QCOMPARE(thumbprint(*result.signatures.front().key), thumbprint(real));
    // Without keys of our own there is nothing to verify with: the embedded key is not one.
    CHECK_INVALID(verify(token, {}), ErrorCode::KeyNotFound, "no key");
}

void TestAttacks::neverFetchesJkuOrX5u_data()
{
    QTest::addColumn<QByteArray>("member");
    QTest::newRow("jku") << QByteArray("\"jku\":\"https://attacker.example/jwks.json\"");
    QTest::newRow("x5u") << QByteArray("\"x5u\":\"https://attacker.example/cert.pem\"");
    QTest::newRow("jku on loopback") << QByteArray("\"jku\":\"http://127.0.0.1:1/jwks.json\"");
}

void TestAttacks::neverFetchesJkuOrX5u()
{
    QFETCH(QByteArray, member);
    const Key real = generated(QStringLiteral("RS256"));
    auto attacker = generateKey(KeySpec{KeyType::Rsa, 2048, {}});
    QVERIFY(attacker);
    const QByteArray header = "{\"alg\":\"RS256\"," + member + "}";
    // The verdict depends only on the keys given: the real key's token verifies, the attacker's does not, and no key
    // means nothing is verified (a fetch would have found the attacker's key).
    QVERIFY(verify(signedToken(header, kPayload, real, QStringLiteral("RS256")), {verifierOf(real)}).valid);
    const QByteArray forged = signedToken(header, kPayload, *attacker, QStringLiteral("RS256"));
    CHECK_INVALID(verify(forged, {verifierOf(real)}), ErrorCode::SignatureInvalid, "does not verify");
    CHECK_INVALID(verify(forged, {}), ErrorCode::KeyNotFound, "no key");
}

void TestAttacks::rejectsUnknownCrit()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray header = "{\"alg\":\"HS256\",\"crit\":[\"http://example.com/must-understand\"],"
                              "\"http://example.com/must-understand\":true}";
    const QByteArray token = signedToken(header, kPayload, key, QStringLiteral("HS256"));
    CHECK_INVALID(verify(token, {key}), ErrorCode::CritUnsupported, "http://example.com/must-understand");
}

void TestAttacks::rejectsCritB64WithoutB64()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token
        = signedToken("{\"alg\":\"HS256\",\"crit\":[\"b64\"]}", kPayload, key, QStringLiteral("HS256"));
    CHECK_INVALID(verify(token, {key}), ErrorCode::CritUnsupported, "b64");
}

void TestAttacks::rejectsRs256HeaderWithEcKey()
{
    const Key ec = verifierOf(generated(QStringLiteral("ES256")));
    const QByteArray token = compact("{\"alg\":\"RS256\"}", kPayload, QByteArray(256, 'x'));
    CHECK_INVALID(verify(token, {ec}), ErrorCode::KeyMismatch, "RS256");
}

void TestAttacks::rejectsJwkAlgDifferingFromChosenAlg()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray token = signedToken("{\"alg\":\"RS256\"}", kPayload, rsa, QStringLiteral("RS256"));
    Key restricted = verifierOf(rsa);
    restricted.metadata.alg = QStringLiteral("RS384");
    CHECK_INVALID(verify(token, {restricted}), ErrorCode::AlgMismatch, "RS384");
    CHECK_INVALID(verify(token, {restricted}, QStringLiteral("RS256")), ErrorCode::AlgMismatch, "RS384");
}

void TestAttacks::rejectsJwkUseEnc()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray token = signedToken("{\"alg\":\"RS256\"}", kPayload, rsa, QStringLiteral("RS256"));
    QByteArray jwk = exportJwk(verifierOf(rsa), false, 0);
    jwk.replace('\n', "");
    jwk.insert(1, "\"use\":\"enc\",");
    auto encryptionKey = importJwk(QByteArrayView(jwk));
    QVERIFY2(encryptionKey, encryptionKey ? "" : qPrintable(encryptionKey.message()));
    QCOMPARE(encryptionKey->metadata.use, QStringLiteral("enc"));
    CHECK_INVALID(verify(token, {*encryptionKey}), ErrorCode::KeyUseForbidden, "enc");
}

void TestAttacks::rejectsJwkKeyOpsWithoutVerify()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = signedToken("{\"alg\":\"HS256\"}", kPayload, hmac, QStringLiteral("HS256"));
    Key signOnly = hmac;
    signOnly.metadata.keyOps = {QStringLiteral("sign")};
    CHECK_INVALID(verify(token, {signOnly}), ErrorCode::KeyUseForbidden, "key_ops");
}

void TestAttacks::rejectsRsa1024Key()
{
    const QString dir = qEnvironmentVariable("JWTI_TESTDATA_DIR") + QStringLiteral("/attacks/");
    QFile pemFile(dir + QStringLiteral("rsa1024-public.pem"));
    QFile tokenFile(dir + QStringLiteral("rs256-rsa1024.jwt"));
    QVERIFY2(pemFile.open(QIODevice::ReadOnly), qPrintable(pemFile.fileName()));
    QVERIFY2(tokenFile.open(QIODevice::ReadOnly), qPrintable(tokenFile.fileName()));
    auto keys = importKeys(pemFile.readAll());
    QVERIFY2(keys, keys ? "" : qPrintable(keys.message()));
    QCOMPARE(keys->front().bits(), 1024);
    // The signature is good; the key is too small to trust (RFC 7518 §3.3).
    CHECK_INVALID(verify(tokenFile.readAll().trimmed(), *keys), ErrorCode::KeyWeak, "1024");
}

void TestAttacks::rejects128BitHmacSecret()
{
    auto weak = importSecret("0123456789abcdef", SecretEncoding::Text);
    QVERIFY(weak);
    const QByteArray header = "{\"alg\":\"HS256\"}";
    const QByteArray mac = computeHmac(Digest::Sha256, "0123456789abcdef", signingInputOf(header, kPayload));
    CHECK_INVALID(verify(compact(header, kPayload, mac), {*weak}), ErrorCode::KeyWeak, "128");
}

void TestAttacks::rejectsHeaderAlgDifferingFromForcedAlg()
{
    const Key hmac = generated(QStringLiteral("HS512"));
    const QByteArray token = signedToken("{\"alg\":\"HS512\"}", kPayload, hmac, QStringLiteral("HS512"));
    CHECK_INVALID(verify(token, {hmac}, QStringLiteral("HS256")), ErrorCode::AlgMismatch, "HS256");
}

QTEST_GUILESS_MAIN(TestAttacks)
#include "TestAttacks.moc"
