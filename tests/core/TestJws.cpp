// Token-level verify and sign (jose/Jws): which alg is chosen, which key is tried, claims, detached and unencoded
// payloads, the JSON serializations, and sign/verify round trips for every alg.
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"

#include <QHash>
#include <QTest>

using namespace jwti;

namespace {

const qint64 kNow = 1700000000;

Key generated(const QString& algName)
{
    static QHash<QString, Key> cache;
    const AlgInfo* alg = findAlg(algName);
    if (!alg)
        return {};
    const auto spec = keySpecForAlg(*alg);
    if (!spec)
        return {};
    // One key per key shape: RS256 and PS512 may share an RSA key, HS256 and HS512 may not (size rule).
    const QString cacheKey = QStringLiteral("%1/%2/%3").arg(int(spec->type)).arg(spec->bits).arg(spec->curve);
    if (!cache.contains(cacheKey)) {
        auto key = generateKey(*spec);
        if (!key)
            return {};
        cache.insert(cacheKey, *key);
    }
    return cache.value(cacheKey);
}

Key withMetadata(Key key, const QString& kid, const QString& alg = {})
{
    key.metadata.kid = kid;
    key.metadata.alg = alg;
    return key;
}

Token strict(const QByteArray& text)
{
    auto token = parseStrict(text);
    if (!token) {
        qWarning("parseStrict failed: %s", qPrintable(token.message()));
        return {};
    }
    return *token;
}

QByteArray sign(const QByteArray& payload, const Key& key, const QString& alg, const QByteArray& header = {},
                const QString& kid = {})
{
    SignOptions options;
    options.alg = alg;
    options.headerJson = header;
    options.kid = kid;
    auto token = signToken(payload, key, options);
    if (!token) {
        qWarning("signToken failed: %s", qPrintable(token.message()));
        return {};
    }
    return *token;
}

VerifyOptions at(qint64 now)
{
    VerifyOptions options;
    options.claims.now = now;
    return options;
}

QList<QByteArray> parts(const QByteArray& compact)
{
    return compact.split('.');
}

} // namespace

class TestJws : public QObject
{
    Q_OBJECT

private slots:
    void signsHeaderInOrderAlgTypKidThenExtras();
    void signKeepsGivenTypAndRefusesDifferentAlg();
    void signRefusesNoneAndUnfitKeys();
    void roundTripsEveryAlg_data();
    void roundTripsEveryAlg();
    void forcedAlgMustEqualHeaderAlg();
    void keysJwkAlgIsChosenOverHeader();
    void headerAlgMustFitKeyType();
    void explicitKidPicksTheKey();
    void explicitKidMissingIsKeyNotFound();
    void tokenKidPicksAmongKeysWithKids();
    void tokenKidWithoutMatchIsKeyNotFound();
    void withoutKidEveryFittingKeyIsTriedAndTheOneThatVerifiedIsNamed();
    void noFittingKeyIsKeyMismatch();
    void expiredTokenIsInvalidDespiteGoodSignature();
    void claimsPassWithinLeeway();
    void audienceAndIssuerAreCheckedWhenAsked();
    void claimsCanBeSkipped();
    void verifiesDetachedPayloadOnlyWhenSuppliedElseTheEmptyPayload();
    void verifiesUnencodedPayload();
    void malformedTokenIsRefused();
    void jweHasNothingToVerify();
    void generalJsonWithTwoSignaturesVerifiesWithOneKnownKey();
    void generalJsonWithOneBadSignatureIsInvalid();
    void flattenedJsonVerifies();
};

void TestJws::signsHeaderInOrderAlgTypKidThenExtras()
{
    const Key key = generated(QStringLiteral("HS256"));
    QVERIFY(!key.isNull());
    const QByteArray token
        = sign("{\"sub\":\"a\"}", key, QStringLiteral("HS256"), "{\"cty\":\"x\",\"zip\":1e3}", QStringLiteral("k1"));
    QVERIFY(!token.isEmpty());
    QCOMPARE(Base64Url::decode(parts(token).at(0)).bytes,
             QByteArray("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"k1\",\"cty\":\"x\",\"zip\":1e3}"));
    QCOMPARE(Base64Url::decode(parts(token).at(1)).bytes, QByteArray("{\"sub\":\"a\"}"));
}

void TestJws::signKeepsGivenTypAndRefusesDifferentAlg()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{}", key, QStringLiteral("HS256"), "{\"typ\":\"at+jwt\",\"alg\":\"HS256\"}");
    QCOMPARE(Base64Url::decode(parts(token).at(0)).bytes, QByteArray("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}"));

    SignOptions options;
    options.alg = QStringLiteral("HS256");
    options.headerJson = "{\"alg\":\"HS512\"}";
    auto refused = signToken("{}", key, options);
    QVERIFY(!refused);
    QCOMPARE(refused.code(), ErrorCode::AlgMismatch);
}

void TestJws::signRefusesNoneAndUnfitKeys()
{
    SignOptions options;
    options.alg = QStringLiteral("none");
    auto none = signToken("{}", generated(QStringLiteral("HS256")), options);
    QVERIFY(!none);
    QCOMPARE(none.code(), ErrorCode::AlgNone);

    options.alg = QStringLiteral("RS256");
    auto wrongType = signToken("{}", generated(QStringLiteral("ES256")), options);
    QVERIFY(!wrongType);
    QCOMPARE(wrongType.code(), ErrorCode::KeyMismatch);

    auto publicOnly = signToken("{}", generated(QStringLiteral("RS256")).publicOnly(), options);
    QVERIFY(!publicOnly);
    QCOMPARE(publicOnly.code(), ErrorCode::KeyMismatch);
}

void TestJws::roundTripsEveryAlg_data()
{
    QTest::addColumn<QString>("alg");
    for (const AlgInfo& alg : allAlgs()) {
        if (alg.scheme != SignatureScheme::None)
            QTest::newRow(alg.name) << alg.displayName();
    }
}

void TestJws::roundTripsEveryAlg()
{
    QFETCH(QString, alg);
    const Key key = generated(alg);
    QVERIFY2(!key.isNull(), qPrintable(QStringLiteral("no key generated for %1").arg(alg)));
    const QByteArray token = sign("{\"sub\":\"round trip\",\"n\":12345678901234567890123456789}", key, alg);
    QVERIFY(!token.isEmpty());

    const Key verifier = key.type() == KeyType::Oct ? key : key.publicOnly();
    const VerifyResult result = verifyToken(strict(token), {verifier}, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
    QCOMPARE(result.signatures.size(), std::size_t(1));
    QCOMPARE(result.signatures.front().alg, alg);

    // One payload character changed: the signature no longer matches.
    QList<QByteArray> pieces = parts(token);
    QByteArray payload = Base64Url::decode(pieces[1]).bytes;
    payload.replace("round", "rOund");
    pieces[1] = Base64Url::encode(payload);
    const VerifyResult tampered = verifyToken(strict(pieces.join('.')), {verifier}, at(kNow));
    QVERIFY(!tampered.valid);
    QCOMPARE(tampered.code, ErrorCode::SignatureInvalid);
}

void TestJws::forcedAlgMustEqualHeaderAlg()
{
    const Key key = generated(QStringLiteral("HS512"));
    const QByteArray token = sign("{}", key, QStringLiteral("HS512"));
    VerifyOptions options = at(kNow);
    options.alg = QStringLiteral("HS512");
    QVERIFY(verifyToken(strict(token), {key}, options).valid);
    options.alg = QStringLiteral("HS256");
    const VerifyResult result = verifyToken(strict(token), {key}, options);
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::AlgMismatch);
    QVERIFY2(result.reason.contains(QLatin1String("HS256")), qPrintable(result.reason));
}

void TestJws::keysJwkAlgIsChosenOverHeader()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray rs256 = sign("{}", rsa, QStringLiteral("RS256"));
    const QByteArray ps256 = sign("{}", rsa, QStringLiteral("PS256"));
    const Key psOnly = withMetadata(rsa.publicOnly(), {}, QStringLiteral("PS256"));

    QVERIFY(verifyToken(strict(ps256), {psOnly}, at(kNow)).valid);
    const VerifyResult result = verifyToken(strict(rs256), {psOnly}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::AlgMismatch);
    QVERIFY2(result.reason.contains(QLatin1String("PS256")), qPrintable(result.reason));
}

void TestJws::headerAlgMustFitKeyType()
{
    const QByteArray token = sign("{}", generated(QStringLiteral("ES256")), QStringLiteral("ES256"));
    const VerifyResult result = verifyToken(strict(token), {generated(QStringLiteral("ES384")).publicOnly()}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::KeyMismatch);
}

void TestJws::explicitKidPicksTheKey()
{
    const Key a = withMetadata(generated(QStringLiteral("HS256")), QStringLiteral("a"));
    const Key b = withMetadata(generated(QStringLiteral("HS384")), QStringLiteral("b"));
    const QByteArray token = sign("{}", b, QStringLiteral("HS384"));
    VerifyOptions options = at(kNow);
    options.kid = QStringLiteral("b");
    const VerifyResult result = verifyToken(strict(token), {a, b}, options);
    QVERIFY2(result.valid, qPrintable(result.reason));
    QCOMPARE(result.signatures.front().key->metadata.kid, QStringLiteral("b"));
}

void TestJws::explicitKidMissingIsKeyNotFound()
{
    const Key a = withMetadata(generated(QStringLiteral("HS256")), QStringLiteral("a"));
    VerifyOptions options = at(kNow);
    options.kid = QStringLiteral("zzz");
    const VerifyResult result = verifyToken(strict(sign("{}", a, QStringLiteral("HS256"))), {a}, options);
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::KeyNotFound);
    QVERIFY(result.reason.contains(QLatin1String("zzz")));
}

void TestJws::tokenKidPicksAmongKeysWithKids()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key first = withMetadata(generated(QStringLiteral("ES256")).publicOnly(), QStringLiteral("ec"));
    const Key second = withMetadata(rsa.publicOnly(), QStringLiteral("rsa"));
    const QByteArray token = sign("{}", rsa, QStringLiteral("RS256"), {}, QStringLiteral("rsa"));
    const VerifyResult result = verifyToken(strict(token), {first, second}, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
    QVERIFY(result.reason.contains(QLatin1String("kid=rsa")));
}

void TestJws::tokenKidWithoutMatchIsKeyNotFound()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray token = sign("{}", rsa, QStringLiteral("RS256"), {}, QStringLiteral("other"));
    const VerifyResult result
        = verifyToken(strict(token), {withMetadata(rsa.publicOnly(), QStringLiteral("rsa"))}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::KeyNotFound);
    QVERIFY2(result.reason.contains(QLatin1String("no key with kid \"other\"")), qPrintable(result.reason));
}

void TestJws::withoutKidEveryFittingKeyIsTriedAndTheOneThatVerifiedIsNamed()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    auto otherRsa = generateKey(KeySpec{KeyType::Rsa, 2048, {}});
    QVERIFY(otherRsa);
    const std::vector<Key> keys = {
        withMetadata(generated(QStringLiteral("ES256")).publicOnly(), QStringLiteral("ec")),
        withMetadata(otherRsa->publicOnly(), QStringLiteral("old")),
        withMetadata(rsa.publicOnly(), QStringLiteral("current")),
    };
    // No kid in the token: every fitting key is tried.
    const QByteArray token = sign("{}", rsa, QStringLiteral("RS256"));
    const VerifyResult result = verifyToken(strict(token), keys, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
    QCOMPARE(result.signatures.front().key->metadata.kid, QStringLiteral("current"));
    QVERIFY2(result.reason.startsWith(QLatin1String("Signature verified with key kid=current (RSA 2048-bit")),
             qPrintable(result.reason));
}

void TestJws::noFittingKeyIsKeyMismatch()
{
    const QByteArray token = sign("{}", generated(QStringLiteral("RS256")), QStringLiteral("RS256"));
    const VerifyResult result = verifyToken(strict(token), {generated(QStringLiteral("HS256"))}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::KeyMismatch);
    QVERIFY2(result.reason.contains(QLatin1String("RS256")), qPrintable(result.reason));
}

void TestJws::expiredTokenIsInvalidDespiteGoodSignature()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"exp\":1699740800}", key, QStringLiteral("HS256")); // 3 days before kNow
    const VerifyResult result = verifyToken(strict(token), {key}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::Expired);
    QVERIFY2(result.reason.contains(QLatin1String("expired")), qPrintable(result.reason));
    QVERIFY(result.signatures.front().valid);
}

void TestJws::claimsPassWithinLeeway()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"exp\":1699999990,\"nbf\":1700000005}", key, QStringLiteral("HS256"));
    VerifyOptions options = at(kNow);
    QVERIFY(!verifyToken(strict(token), {key}, options).valid);
    options.claims.leeway = 30;
    const VerifyResult result = verifyToken(strict(token), {key}, options);
    QVERIFY2(result.valid, qPrintable(result.reason));
}

void TestJws::audienceAndIssuerAreCheckedWhenAsked()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"aud\":[\"web\",\"api\"],\"iss\":\"me\"}", key, QStringLiteral("HS256"));
    VerifyOptions options = at(kNow);
    options.claims.audiences = {QStringLiteral("api")};
    options.claims.issuer = QStringLiteral("me");
    QVERIFY(verifyToken(strict(token), {key}, options).valid);
    options.claims.audiences = {QStringLiteral("mobile")};
    QCOMPARE(verifyToken(strict(token), {key}, options).code, ErrorCode::AudienceMismatch);
    options.claims.audiences.clear();
    options.claims.issuer = QStringLiteral("you");
    QCOMPARE(verifyToken(strict(token), {key}, options).code, ErrorCode::IssuerMismatch);
}

void TestJws::claimsCanBeSkipped()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"exp\":1}", key, QStringLiteral("HS256"));
    VerifyOptions options = at(kNow);
    options.checkClaims = false;
    QVERIFY(verifyToken(strict(token), {key}, options).valid);
}

void TestJws::verifiesDetachedPayloadOnlyWhenSuppliedElseTheEmptyPayload()
{
    const Key key = generated(QStringLiteral("ES256"));
    const QByteArray payload = "{\"detached\":true}";
    QList<QByteArray> pieces = parts(sign(payload, key, QStringLiteral("ES256")));
    pieces[1].clear();
    const Token token = strict(pieces.join('.'));
    QVERIFY(token.payloadDetached);

    // Without a supplied payload the empty segment is an empty payload (RFC 7515 §5.2, §7.1): the signature over
    // the real payload does not verify over nothing.
    const VerifyResult missing = verifyToken(token, {key.publicOnly()}, at(kNow));
    QVERIFY(!missing.valid);
    QCOMPARE(missing.code, ErrorCode::SignatureInvalid);

    VerifyOptions options = at(kNow);
    options.detachedPayload = payload;
    const VerifyResult supplied = verifyToken(token, {key.publicOnly()}, options);
    QVERIFY2(supplied.valid, qPrintable(supplied.reason));

    options.detachedPayload = QByteArray("{\"detached\":false}");
    QCOMPARE(verifyToken(token, {key.publicOnly()}, options).code, ErrorCode::SignatureInvalid);
}

void TestJws::verifiesUnencodedPayload()
{
    const Key key = generated(QStringLiteral("HS256"));
    const QByteArray withDot = sign("$.02", key, QStringLiteral("HS256"), "{\"b64\":false,\"crit\":[\"b64\"]}");
    QVERIFY(withDot.isEmpty()); // a '.' cannot travel in a compact unencoded payload (RFC 7797 §5.2)

    const QByteArray unencoded = sign("$02", key, QStringLiteral("HS256"), "{\"b64\":false,\"crit\":[\"b64\"]}");
    QVERIFY(!unencoded.isEmpty());
    QCOMPARE(parts(unencoded).at(1), QByteArray("$02"));
    // RFC 7797 §3: the signing input is the header's base64url, '.', and the payload bytes themselves.
    const QByteArray expectedMac
        = computeHmac(Digest::Sha256, key.secret().view(), parts(unencoded).at(0) + QByteArray(".$02"));
    QCOMPARE(Base64Url::decode(parts(unencoded).at(2)).bytes, expectedMac);

    auto token = parseStrict(unencoded);
    QVERIFY2(token, token ? "" : qPrintable(token.message()));
    QVERIFY(token->unencodedPayload);
    const VerifyResult result = verifyToken(*token, {key}, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
}

void TestJws::malformedTokenIsRefused()
{
    Token token = decodeUnverified(QStringLiteral("abc.def"));
    const VerifyResult result = verifyToken(token, {generated(QStringLiteral("HS256"))}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::MalformedToken);
    QVERIFY(!result.reason.isEmpty());
}

void TestJws::jweHasNothingToVerify()
{
    const QByteArray header = Base64Url::encode("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}");
    const Token token = decodeUnverified(QString::fromLatin1(header + ".AAAA.AAAA.AAAA.AAAA"));
    QCOMPARE(token.kind, TokenKind::Jwe);
    const VerifyResult result = verifyToken(token, {generated(QStringLiteral("RS256"))}, at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.reason,
             QStringLiteral("a JWE is encrypted, not signed: decrypt it to read and verify what is inside"));
}

namespace {

// A general JWS JSON serialization (RFC 7515 §7.2.1) of compact tokens signed over the same payload.
QByteArray generalJson(const QList<QByteArray>& tokens, const QStringList& kids)
{
    QByteArray json = "{\"payload\":\"" + parts(tokens.first()).at(1) + "\",\"signatures\":[";
    for (qsizetype i = 0; i < tokens.size(); ++i) {
        if (i)
            json += ',';
        json += "{\"protected\":\"" + parts(tokens[i]).at(0) + "\",\"header\":{\"kid\":\"" + kids[i].toUtf8()
            + "\"},\"signature\":\"" + parts(tokens[i]).at(2) + "\"}";
    }
    return json + "]}";
}

} // namespace

void TestJws::generalJsonWithTwoSignaturesVerifiesWithOneKnownKey()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray payload = "{\"sub\":\"two signers\"}";
    const QByteArray json = generalJson({sign(payload, rsa, QStringLiteral("RS256"), "{\"typ\":\"JWT\"}"),
                                         sign(payload, ec, QStringLiteral("ES256"), "{\"typ\":\"JWT\"}")},
                                        {QStringLiteral("r"), QStringLiteral("e")});
    const Token token = strict(json);
    QCOMPARE(token.kind, TokenKind::JwsJsonGeneral);

    const VerifyResult result = verifyToken(token, {withMetadata(ec.publicOnly(), QStringLiteral("e"))}, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
    QCOMPARE(result.signatures.size(), std::size_t(2));
    QVERIFY(!result.signatures[0].valid);
    QCOMPARE(result.signatures[0].code, ErrorCode::KeyNotFound);
    QVERIFY(result.signatures[1].valid);

    const VerifyResult both = verifyToken(
        token,
        {withMetadata(ec.publicOnly(), QStringLiteral("e")), withMetadata(rsa.publicOnly(), QStringLiteral("r"))},
        at(kNow));
    QVERIFY2(both.valid, qPrintable(both.reason));
    QVERIFY(both.signatures[0].valid && both.signatures[1].valid);
}

void TestJws::generalJsonWithOneBadSignatureIsInvalid()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray payload = "{\"sub\":\"two signers\"}";
    QByteArray rsaToken = sign(payload, rsa, QStringLiteral("RS256"));
    // The RSA signature is made over another payload: with the RSA key known, it must fail the whole token.
    const QByteArray other = sign("{\"sub\":\"someone else\"}", rsa, QStringLiteral("RS256"));
    QList<QByteArray> pieces = parts(rsaToken);
    pieces[2] = parts(other).at(2);
    rsaToken = pieces.join('.');
    const QByteArray json = generalJson({rsaToken, sign(payload, ec, QStringLiteral("ES256"))},
                                        {QStringLiteral("r"), QStringLiteral("e")});
    const VerifyResult result = verifyToken(
        strict(json),
        {withMetadata(ec.publicOnly(), QStringLiteral("e")), withMetadata(rsa.publicOnly(), QStringLiteral("r"))},
        at(kNow));
    QVERIFY(!result.valid);
    QCOMPARE(result.code, ErrorCode::SignatureInvalid);
    QVERIFY2(result.reason.startsWith(QLatin1String("signature 1:")), qPrintable(result.reason));
}

void TestJws::flattenedJsonVerifies()
{
    const Key ec = generated(QStringLiteral("ES384"));
    const QByteArray compact = sign("{\"flat\":1}", ec, QStringLiteral("ES384"));
    const QByteArray json = "{\"payload\":\"" + parts(compact).at(1) + "\",\"protected\":\"" + parts(compact).at(0)
        + "\",\"header\":{\"kid\":\"f\"},\"signature\":\"" + parts(compact).at(2) + "\"}";
    const Token token = strict(json);
    QCOMPARE(token.kind, TokenKind::JwsJsonFlattened);
    const VerifyResult result = verifyToken(token, {withMetadata(ec.publicOnly(), QStringLiteral("f"))}, at(kNow));
    QVERIFY2(result.valid, qPrintable(result.reason));
}

QTEST_GUILESS_MAIN(TestJws)
#include "TestJws.moc"
