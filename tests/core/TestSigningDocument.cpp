// The signing document: member edits keep the text as written (order, numbers, the rest of the text), the kid
// policy, errors with their place, the choice of the signing key, and a token that verifies with the key.
#include "core/crypto/KeyGeneration.h"
#include "core/jose/Jwk.h"
#include "core/jose/Token.h"
#include "core/model/SigningDocument.h"
#include "core/model/Verdict.h"

#include <QTest>

using namespace jwti;
using Part = SigningDocument::Part;

namespace {

Key generated(const KeySpec& spec)
{
    auto key = generateKey(spec);
    return key ? *key : Key();
}

const Key& hmacKey()
{
    static const Key key = generated(KeySpec{KeyType::Oct, 256, {}});
    return key;
}

const Key& ecKey()
{
    static const Key key = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
    return key;
}

// The decoded header of a compact token, as written.
QByteArray headerOf(const QByteArray& token)
{
    const Token parsed = decodeUnverified(QString::fromLatin1(token));
    return parsed.segments.empty() ? QByteArray() : parsed.segments.front().decoded.bytes;
}

QByteArray payloadOf(const QByteArray& token)
{
    const Token parsed = decodeUnverified(QString::fromLatin1(token));
    return parsed.segments.size() < 2 ? QByteArray() : parsed.segments[1].decoded.bytes;
}

} // namespace

class TestSigningDocument : public QObject
{
    Q_OBJECT

private slots:
    void setMemberReplacesInPlaceAndKeepsTheRestAsWritten();
    void setMemberAppendsToAnObject_data();
    void setMemberAppendsToAnObject();
    void removeMemberTakesItsComma_data();
    void removeMemberTakesItsComma();
    void memberEditsNeedOneObject();
    void signsTheCompactFormInTheOrderWritten();
    void signedTokenVerifiesWithTheKey();
    void errorsSayWhere_data();
    void errorsSayWhere();
    void kidPolicyNoneKeepsTheHeaderAsWritten();
    void kidPolicyFromKeyTakesTheKeysOwnKidElseItsThumbprint();
    void kidPolicyFromKeyLeavesAKidWrittenInTheHeader();
    void kidPolicyFromKeyNeverExposesAnHmacSecretsHash();
    void kidPolicyTypedMustAgreeWithTheHeader();
    void keepsTheKeysProvenance();
    void choosesTheOnePrivateKeyOfAFile();
};

void TestSigningDocument::setMemberReplacesInPlaceAndKeepsTheRestAsWritten()
{
    SigningDocument document;
    document.setText(Part::Payload, "{\n  \"n\": 1e3,\n  \"exp\": 5,\n  \"big\": 123456789012345678901234567890\n}");
    QVERIFY(document.setMember(Part::Payload, QStringLiteral("exp"), "1700000000").ok());
    QCOMPARE(document.text(Part::Payload),
             QByteArray("{\n  \"n\": 1e3,\n  \"exp\": 1700000000,\n  \"big\": 123456789012345678901234567890\n}"));
    QVERIFY(document.json(Part::Payload).ok());
}

void TestSigningDocument::setMemberAppendsToAnObject_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::newRow("empty object") << QByteArray("{}") << QByteArray("{\n  \"kid\": \"k\"\n}");
    QTest::newRow("after the last member")
        << QByteArray("{\"alg\": \"HS256\"}") << QByteArray("{\"alg\": \"HS256\",\n  \"kid\": \"k\"}");
}

void TestSigningDocument::setMemberAppendsToAnObject()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    SigningDocument document;
    document.setText(Part::Header, before);
    QVERIFY(document.setMember(Part::Header, QStringLiteral("kid"), "\"k\"").ok());
    QCOMPARE(document.text(Part::Header), after);
}

void TestSigningDocument::removeMemberTakesItsComma_data()
{
    QTest::addColumn<QByteArray>("before");
    QTest::addColumn<QByteArray>("after");
    QTest::newRow("first") << QByteArray("{\"kid\": \"k\", \"a\": 1, \"b\": 2}") << QByteArray("{\"a\": 1, \"b\": 2}");
    QTest::newRow("middle") << QByteArray("{\"a\": 1, \"kid\": \"k\", \"b\": 2}") << QByteArray("{\"a\": 1, \"b\": 2}");
    QTest::newRow("last") << QByteArray("{\"a\": 1, \"b\": 2, \"kid\": \"k\"}") << QByteArray("{\"a\": 1, \"b\": 2}");
    QTest::newRow("the only one") << QByteArray("{ \"kid\": \"k\" }") << QByteArray("{}");
    QTest::newRow("the last two") << QByteArray("{\"a\": 1, \"kid\": 1, \"kid\": 2}") << QByteArray("{\"a\": 1}");
    QTest::newRow("repeated, apart") << QByteArray("{\"kid\": 1, \"a\": 1, \"kid\": 2}") << QByteArray("{\"a\": 1}");
    QTest::newRow("absent") << QByteArray("{\"a\": 1}") << QByteArray("{\"a\": 1}");
}

void TestSigningDocument::removeMemberTakesItsComma()
{
    QFETCH(QByteArray, before);
    QFETCH(QByteArray, after);
    SigningDocument document;
    document.setText(Part::Header, before);
    QVERIFY(document.removeMember(Part::Header, QStringLiteral("kid")).ok());
    QCOMPARE(document.text(Part::Header), after);
    QVERIFY(document.json(Part::Header).ok());
}

void TestSigningDocument::memberEditsNeedOneObject()
{
    SigningDocument document;
    document.setText(Part::Payload, "[1, 2]");
    QVERIFY(!document.setMember(Part::Payload, QStringLiteral("iat"), "1").ok());
    document.setText(Part::Payload, "{\"a\": ");
    QVERIFY(!document.removeMember(Part::Payload, QStringLiteral("a")).ok());
    QCOMPARE(document.text(Part::Payload), QByteArray("{\"a\": "));
}

void TestSigningDocument::signsTheCompactFormInTheOrderWritten()
{
    SigningDocument document;
    document.setText(Part::Header, "{\n  \"typ\": \"at+jwt\",\n  \"alg\": \"HS256\",\n  \"x\": 1.50\n}");
    document.setText(Part::Payload, "{ \"z\": 1, \"a\": 1e3, \"n\": 123456789012345678901234567890 }");
    document.setAlg(QStringLiteral("HS256"));
    document.setKey(hmacKey());
    QVERIFY2(document.sign(), qPrintable(document.error() ? document.error()->message : QString()));
    QCOMPARE(headerOf(document.token()), QByteArray("{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"x\":1.50}"));
    QCOMPARE(payloadOf(document.token()), QByteArray("{\"z\":1,\"a\":1e3,\"n\":123456789012345678901234567890}"));
    QVERIFY(!document.error());
}

void TestSigningDocument::signedTokenVerifiesWithTheKey()
{
    SigningDocument document;
    document.setText(Part::Header, "{\"alg\": \"ES256\"}");
    document.setText(Part::Payload, "{\"sub\": \"a\"}");
    document.setAlg(QStringLiteral("ES256"));
    document.setKey(ecKey());
    QVERIFY(document.sign());
    const Verdict verdict = computeVerdict(document.token(), {ecKey().publicOnly()}, Expectations{});
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
}

void TestSigningDocument::errorsSayWhere_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("alg");
    QTest::addColumn<int>("place");
    QTest::addColumn<qsizetype>("offset");
    QTest::addColumn<QString>("message");
    using Place = SigningError::Place;
    QTest::newRow("header not JSON") << QByteArray("{\"alg\" \"HS256\"}") << QByteArray("{}") << "HS256"
                                     << int(Place::Header) << qsizetype(7) << "not valid JSON";
    QTest::newRow("header not an object") << QByteArray("[1]") << QByteArray("{}") << "HS256" << int(Place::Header)
                                          << qsizetype(0) << "must be a JSON object";
    QTest::newRow("header member twice") << QByteArray("{\"typ\": \"a\", \"typ\": \"b\"}") << QByteArray("{}")
                                         << "HS256" << int(Place::Header) << qsizetype(13) << "repeats the member";
    QTest::newRow("header alg differs") << QByteArray("{\"alg\": \"HS512\"}") << QByteArray("{}") << "HS256"
                                        << int(Place::Header) << qsizetype(8) << "alg differs";
    QTest::newRow("payload not JSON") << QByteArray() << QByteArray("{\"a\": 1,}") << "HS256" << int(Place::Payload)
                                      << qsizetype(7) << "not valid JSON";
    QTest::newRow("payload member twice") << QByteArray() << QByteArray("{\"a\": 1, \"a\": 2}") << "HS256"
                                          << int(Place::Payload) << qsizetype(9) << "RFC 7519 §4";
    QTest::newRow("alg none") << QByteArray() << QByteArray("{}") << "none" << int(Place::Alg) << qsizetype(-1)
                              << "alg none";
    QTest::newRow("key of another type") << QByteArray() << QByteArray("{}") << "ES256" << int(Place::Key)
                                         << qsizetype(-1) << "";
}

void TestSigningDocument::errorsSayWhere()
{
    QFETCH(QByteArray, header);
    QFETCH(QByteArray, payload);
    QFETCH(QString, alg);
    QFETCH(int, place);
    QFETCH(qsizetype, offset);
    QFETCH(QString, message);
    SigningDocument document;
    document.setText(Part::Header, header);
    document.setText(Part::Payload, payload);
    document.setAlg(alg);
    document.setKey(hmacKey());
    QVERIFY(!document.sign());
    QVERIFY(document.token().isEmpty());
    QVERIFY(document.error());
    QCOMPARE(int(document.error()->place), place);
    QCOMPARE(document.error()->offset, offset);
    QVERIFY2(document.error()->message.contains(message), qPrintable(document.error()->message));
}

void TestSigningDocument::kidPolicyNoneKeepsTheHeaderAsWritten()
{
    Key key = ecKey();
    key.metadata.kid = QStringLiteral("own");
    SigningDocument document;
    document.setText(Part::Payload, "{}");
    document.setAlg(QStringLiteral("ES256"));
    document.setKey(key);
    QVERIFY(document.sign());
    QVERIFY(!headerOf(document.token()).contains("kid"));
    document.setText(Part::Header, "{\"kid\": \"written\"}");
    QVERIFY(document.sign());
    QVERIFY(headerOf(document.token()).contains("\"kid\":\"written\""));
}

void TestSigningDocument::kidPolicyFromKeyTakesTheKeysOwnKidElseItsThumbprint()
{
    SigningDocument document;
    document.setText(Part::Payload, "{}");
    document.setAlg(QStringLiteral("ES256"));
    document.setKidPolicy(KidPolicy::FromKey);
    QVERIFY(!document.kidFor(KidPolicy::FromKey).ok()); // no key yet
    document.setKey(ecKey());
    QCOMPARE(document.kidFor(KidPolicy::FromKey).value(), thumbprint(ecKey()));
    QVERIFY(document.sign());
    QCOMPARE(headerOf(document.token()),
             QByteArray("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":\"") + thumbprint(ecKey()).toLatin1() + "\"}");
    Key withKid = ecKey();
    withKid.metadata.kid = QStringLiteral("set-1");
    document.setKey(withKid);
    QVERIFY(document.sign());
    QVERIFY(headerOf(document.token()).contains("\"kid\":\"set-1\""));
}

void TestSigningDocument::kidPolicyFromKeyLeavesAKidWrittenInTheHeader()
{
    Key key = ecKey();
    key.metadata.kid = QStringLiteral("own");
    SigningDocument document;
    document.setText(Part::Header, "{\"kid\": \"written\", \"typ\": \"kid\"}");
    document.setText(Part::Payload, "{}");
    document.setAlg(QStringLiteral("ES256"));
    document.setKey(key);
    document.setKidPolicy(KidPolicy::FromKey);
    QVERIFY(document.sign());
    QCOMPARE(headerOf(document.token()), QByteArray("{\"alg\":\"ES256\",\"kid\":\"written\",\"typ\":\"kid\"}"));
    // A header that only mentions "kid" as a value names no kid: the key's goes in.
    document.setText(Part::Header, "{\"typ\": \"kid\"}");
    QVERIFY(document.sign());
    QCOMPARE(headerOf(document.token()), QByteArray("{\"alg\":\"ES256\",\"kid\":\"own\",\"typ\":\"kid\"}"));
}

void TestSigningDocument::kidPolicyFromKeyNeverExposesAnHmacSecretsHash()
{
    SigningDocument document;
    document.setText(Part::Payload, "{}");
    document.setAlg(QStringLiteral("HS256"));
    document.setKey(hmacKey());
    document.setKidPolicy(KidPolicy::FromKey);
    QVERIFY(!document.sign());
    QCOMPARE(document.error()->place, SigningError::Place::Kid);
    QVERIFY(document.error()->message.contains(QLatin1String("HMAC")));
    QVERIFY(!document.kidFor(KidPolicy::FromKey).ok());
    // A stored secret has a kid of its own: that one is used.
    Key stored = hmacKey();
    stored.metadata.kid = QStringLiteral("internal-1");
    document.setKey(stored);
    QVERIFY(document.sign());
    QVERIFY(headerOf(document.token()).contains("\"kid\":\"internal-1\""));
}

void TestSigningDocument::kidPolicyTypedMustAgreeWithTheHeader()
{
    SigningDocument document;
    document.setText(Part::Payload, "{}");
    document.setAlg(QStringLiteral("HS256"));
    document.setKey(hmacKey());
    document.setKidPolicy(KidPolicy::Typed, QStringLiteral("typed"));
    QVERIFY(document.sign());
    QVERIFY(headerOf(document.token()).contains("\"kid\":\"typed\""));
    document.setText(Part::Header, "{\"kid\": \"typed\"}");
    QVERIFY(document.sign());
    document.setText(Part::Header, "{\"kid\": \"other\"}");
    QVERIFY(!document.sign());
    QCOMPARE(document.error()->place, SigningError::Place::Header);
    QCOMPARE(document.error()->offset, qsizetype(8));
    document.setKidPolicy(KidPolicy::Typed);
    QVERIFY(!document.kidFor(KidPolicy::Typed).ok());
}

void TestSigningDocument::keepsTheKeysProvenance()
{
    Key key = hmacKey();
    key.metadata.provenance.kind = KeyProvenance::Kind::Keychain;
    key.metadata.provenance.keySet = QStringLiteral("internal");
    SigningDocument document;
    document.setKey(key);
    QCOMPARE(document.key()->metadata.provenance.kind, KeyProvenance::Kind::Keychain);
    QCOMPARE(describeProvenance(document.key()->metadata.provenance), describeProvenance(key.metadata.provenance));
}

void TestSigningDocument::choosesTheOnePrivateKeyOfAFile()
{
    Key first = ecKey();
    first.metadata.kid = QStringLiteral("a");
    Key second = generated(KeySpec{KeyType::Ec, 0, QStringLiteral("P-256")});
    second.metadata.kid = QStringLiteral("b");
    Key publicFirst = first.publicOnly();
    publicFirst.metadata.kid = QStringLiteral("a");

    QVERIFY(!SigningDocument::chooseSigningKey({}).ok());
    QCOMPARE(SigningDocument::chooseSigningKey({publicFirst}).value().metadata.kid, QStringLiteral("a"));
    // A public key beside the private one (a certificate chain, a JWKS with both halves): the private one.
    const Result<Key> onePrivate = SigningDocument::chooseSigningKey({publicFirst, second});
    QVERIFY(onePrivate.ok());
    QCOMPARE(onePrivate->metadata.kid, QStringLiteral("b"));
    QCOMPARE(SigningDocument::chooseSigningKey({first, second}).code(), ErrorCode::KeyAmbiguous);
    QCOMPARE(SigningDocument::chooseSigningKey({first, second}, QStringLiteral("b")).value().metadata.kid,
             QStringLiteral("b"));
    QCOMPARE(SigningDocument::chooseSigningKey({first, second}, QStringLiteral("c")).code(), ErrorCode::KeyNotFound);
    QCOMPARE(SigningDocument::chooseSigningKey({publicFirst, publicFirst}).code(), ErrorCode::KeyMismatch);
}

QTEST_MAIN(TestSigningDocument)
#include "TestSigningDocument.moc"
