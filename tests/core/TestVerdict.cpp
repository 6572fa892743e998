// The one Verdict (model/Verdict): every outcome, every check state, which keys are candidates and what their
// failure means, the empty payload, the headline's honesty, the JSON form, and every diagnosis code.
#include "core/crypto/KeyFormats.h"
#include "core/crypto/KeyGeneration.h"
#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"
#include "core/jose/Token.h"
#include "core/model/Verdict.h"

#include <QHash>
#include <QTest>

using namespace jwti;

namespace {

const qint64 kNow = 1796580060 + 7200; // two hours after 2026-12-06 18:01 UTC

Key generated(const QString& algName, int bits = 0)
{
    static QHash<QString, Key> cache;
    const AlgInfo* alg = findAlg(algName);
    if (!alg)
        return {};
    const auto spec = keySpecForAlg(*alg, bits);
    if (!spec)
        return {};
    const QString cacheKey = QStringLiteral("%1/%2/%3").arg(int(spec->type)).arg(spec->bits).arg(spec->curve);
    if (!cache.contains(cacheKey)) {
        auto key = generateKey(*spec);
        if (!key)
            return {};
        cache.insert(cacheKey, *key);
    }
    return cache.value(cacheKey);
}

Key fresh(const QString& algName)
{
    auto spec = keySpecForAlg(*findAlg(algName));
    auto key = generateKey(*spec);
    return key ? *key : Key();
}

// A key as the key store hands it over: tried because it fits, never chosen by the user.
Key stored(Key key, const QString& kid = {})
{
    key.metadata.kid = kid;
    key.metadata.provenance.kind = KeyProvenance::Kind::Keychain;
    key.metadata.provenance.chosenByUser = false;
    key.metadata.provenance.keySet = QStringLiteral("prod");
    key.metadata.provenance.keyName = QStringLiteral("signer");
    key.metadata.provenance.status = QStringLiteral("active");
    return key;
}

Key typed(Key key, const QString& kid = {}, const QString& alg = {})
{
    key.metadata.kid = kid;
    key.metadata.alg = alg;
    key.metadata.provenance.kind = KeyProvenance::Kind::Typed;
    key.metadata.provenance.chosenByUser = true;
    return key;
}

QByteArray sign(const QByteArray& payload, const Key& key, const QString& alg, const QString& kid = {},
                const QByteArray& header = {})
{
    SignOptions options;
    options.alg = alg;
    options.kid = kid;
    options.headerJson = header;
    auto token = signToken(payload, key, options);
    if (!token)
        qWarning("signToken failed: %s", qPrintable(token.message()));
    return token ? *token : QByteArray();
}

Expectations at(qint64 now)
{
    Expectations expectations;
    expectations.claims.now = now;
    return expectations;
}

Verdict judge(const QByteArray& text, const std::vector<Key>& keys, const Expectations& expectations = at(kNow))
{
    return computeVerdict(QByteArrayView(text), keys, expectations);
}

CheckState stateOf(const Verdict& verdict, const char* name)
{
    const VerdictCheck* check = verdict.check(QString::fromLatin1(name));
    return check ? check->state : CheckState(-1);
}

QStringList codes(const Verdict& verdict)
{
    QStringList out;
    for (const Diagnosis& diagnosis : verdict.diagnosis)
        out << diagnosis.code;
    return out;
}

QString messageOf(const Verdict& verdict, const QString& code)
{
    for (const Diagnosis& diagnosis : verdict.diagnosis) {
        if (diagnosis.code == code)
            return diagnosis.message;
    }
    return {};
}

// The token with its signature replaced.
QByteArray withSignature(const QByteArray& token, const QByteArray& signature)
{
    QList<QByteArray> parts = token.split('.');
    parts[2] = Base64Url::encode(signature);
    return parts.join('.');
}

QByteArray signatureOf(const QByteArray& token)
{
    return Base64Url::decode(token.split('.').value(2)).bytes;
}

QByteArray signingInputOf(const QByteArray& token)
{
    return token.left(token.lastIndexOf('.'));
}

// ECDSA raw r‖s as DER SEQUENCE { INTEGER r, INTEGER s } (what OpenSSL and Java emit).
QByteArray derOf(const QByteArray& raw)
{
    auto integer = [](QByteArray value) {
        while (value.size() > 1 && value[0] == '\0' && !(static_cast<unsigned char>(value[1]) & 0x80))
            value.remove(0, 1);
        if (static_cast<unsigned char>(value[0]) & 0x80)
            value.prepend('\0');
        return QByteArray(1, '\x02') + char(value.size()) + value;
    };
    const QByteArray body = integer(raw.left(raw.size() / 2)) + integer(raw.mid(raw.size() / 2));
    QByteArray out(1, '\x30');
    if (body.size() > 0x7f)
        out += '\x81';
    out += char(body.size());
    return out + body;
}

const QByteArray kClaims = "{\"sub\":\"1234567890\",\"iat\":1796500000,\"exp\":1796590000}";

} // namespace

class TestVerdict : public QObject
{
    Q_OBJECT

private slots:
    void namesOutcomesAndStates();
    void validNamesTheKeyAndWhereItCameFrom();
    void everyReadableVerdictListsTheTenChecksInOrder();
    void withoutKeyItIsNotVerifiedWithTheClaimsThatNeedNoKey();
    void tamperedWithTheUsersKeyIsInvalidAndClaimsDoNotReadAsAPass();
    void expiredHeadlineNamesTheExpiryFirst();
    void notYetValidIsInvalid();
    void audienceWithoutExpectationIsNotCheckedAndNotClaimedAsPassed();
    void expectedAudienceAndIssuerAreChecked();
    void unsecuredTokenIsUnsecured();
    void malformedTextIsMalformed();
    void unrelatedStoredRsaKeyDoesNotDecide();
    void storedRsaKeyIsNoCandidateForAnHmacToken();
    void storedKeyThatFitsButDoesNotVerifyGivesNotVerified();
    void unreadableKeyIsTheDecisiveReason();
    void storedKeyPickedByTheTokensKidDecides();
    void typedSecretVerifiesATokenWhoseKidNoStoredKeyHas();
    void userKeysAreTriedFirstAndNamed();
    void userKeyThatDoesNotFitIsNotAFailure();
    void explicitKidPicksTheKeyAndMakesItDecisive();
    void allowedAlgsAreEnforced();
    void unknownCritIsInvalid();
    void typMustBeAString();
    void emptyPayloadSegmentIsASignatureOverTheEmptyPayload_data();
    void emptyPayloadSegmentIsASignatureOverTheEmptyPayload();
    void suppliedPayloadMakesTheEmptySegmentDetached();
    void jsonSerializationWithTwoSignaturesMatchesKeysBySignature();
    void jsonSerializationFailsWhenAKeyThatFitsASignatureDoesNotVerifyIt();
    void jsonOutputHasEveryMemberAndEscapesControls();
    void provenanceIsNamedInWords();

    void diagnosesSecretReadAsTextInsteadOfBase64();
    void diagnosesSecretDecodedInsteadOfUsedAsText();
    void diagnosesChangeAfterSigning();
    void diagnosesAnotherKey();
    void diagnosesHashMismatch();
    void diagnosesRsaPaddingMismatch_data();
    void diagnosesRsaPaddingMismatch();
    void diagnosesEcdsaDer();
    void diagnosesKidMismatch();
    void diagnosesAlgMismatch();
    void diagnosesTruncatedSignature();
    void diagnosesReencodedToken_data();
    void diagnosesReencodedToken();
    void diagnosesExpiredWithTheLeewayThatWouldAcceptIt();
    void diagnosesNotYetValid();
    void diagnosesPastedKeysAndCertificates_data();
    void diagnosesPastedKeysAndCertificates();
    void diagnosisNeverChangesTheOutcomeAndRunsOnlyOnFailure();
    void wordsForWhatPassedNeverChangeTheVerdict();
};

void TestVerdict::namesOutcomesAndStates()
{
    QCOMPARE(outcomeName(VerdictOutcome::Valid), QStringLiteral("valid"));
    QCOMPARE(outcomeName(VerdictOutcome::Invalid), QStringLiteral("invalid"));
    QCOMPARE(outcomeName(VerdictOutcome::NotVerified), QStringLiteral("not-verified"));
    QCOMPARE(outcomeName(VerdictOutcome::Unsecured), QStringLiteral("unsecured"));
    QCOMPARE(outcomeName(VerdictOutcome::Malformed), QStringLiteral("malformed"));
    QCOMPARE(checkStateName(CheckState::Passed), QStringLiteral("passed"));
    QCOMPARE(checkStateName(CheckState::Failed), QStringLiteral("failed"));
    QCOMPARE(checkStateName(CheckState::NotChecked), QStringLiteral("not-checked"));
    QCOMPARE(checkStateName(CheckState::NotApplicable), QStringLiteral("not-applicable"));
}

void TestVerdict::validNamesTheKeyAndWhereItCameFrom()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    Key fromFile = rsa.publicOnly();
    fromFile.metadata.provenance.kind = KeyProvenance::Kind::File;
    fromFile.metadata.provenance.file = QStringLiteral("k.pem");
    const Verdict verdict = judge(sign(kClaims, rsa, QStringLiteral("RS256")), {fromFile});
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QVERIFY(verdict.isValid());
    QVERIFY(verdict.signatureVerified());
    QVERIFY(verdict.key.has_value());
    QCOMPARE(verdict.keyProvenance, QStringLiteral("file k.pem"));
    QVERIFY2(verdict.headline.startsWith(QLatin1String("Valid: signature verified with RSA 2048-bit public key, "
                                                       "file k.pem")),
             qPrintable(verdict.headline));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "key-fits"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "alg-allowed"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "exp"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "iat"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "nbf"), CheckState::NotApplicable);
    QCOMPARE(stateOf(verdict, "crit"), CheckState::NotApplicable);
    QCOMPARE(stateOf(verdict, "typ"), CheckState::Passed);
    QVERIFY(verdict.diagnosis.empty());
    QCOMPARE(verdict.decisiveSignature(), &verdict.signatures.front());
}

void TestVerdict::everyReadableVerdictListsTheTenChecksInOrder()
{
    const QStringList expected
        = {"signature", "alg-allowed", "key-fits", "exp", "nbf", "iat", "aud", "iss", "crit", "typ"};
    const Key hmac = generated(QStringLiteral("HS256"));
    for (const std::vector<Key>& keys : {std::vector<Key>{}, std::vector<Key>{hmac}}) {
        const Verdict verdict = judge(sign(kClaims, hmac, QStringLiteral("HS256")), keys);
        QStringList names;
        for (const VerdictCheck& check : verdict.checks)
            names << check.name;
        QCOMPARE(names, expected);
    }
}

void TestVerdict::withoutKeyItIsNotVerifiedWithTheClaimsThatNeedNoKey()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Verdict verdict = judge(sign(kClaims, rsa, QStringLiteral("RS256")), {});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(verdict.code, ErrorCode::KeyNotFound);
    QCOMPARE(verdict.headline, QStringLiteral("Not verified: no key given"));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::NotChecked);
    QCOMPARE(stateOf(verdict, "key-fits"), CheckState::NotChecked);
    QCOMPARE(stateOf(verdict, "exp"), CheckState::Passed);
    QVERIFY(!verdict.key);
    QVERIFY(verdict.diagnosis.empty());
}

void TestVerdict::tamperedWithTheUsersKeyIsInvalidAndClaimsDoNotReadAsAPass()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    QList<QByteArray> parts = sign(kClaims, rsa, QStringLiteral("RS256")).split('.');
    parts[1] = Base64Url::encode("{\"sub\":\"admin\",\"exp\":1796590000}");
    const Verdict verdict = judge(parts.join('.'), {typed(rsa.publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::SignatureInvalid);
    QVERIFY2(verdict.headline.startsWith(QLatin1String("Invalid: the RS256 signature does not verify")),
             qPrintable(verdict.headline));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::Failed);
    // Claims are still evaluated (exp has not passed yet) but nothing reads as a pass of the token.
    QCOMPARE(stateOf(verdict, "exp"), CheckState::Passed);
    QVERIFY(!verdict.signatureVerified());
    QVERIFY(!verdict.key);
    QVERIFY(!verdict.headline.contains(QLatin1String("passed")));
}

void TestVerdict::expiredHeadlineNamesTheExpiryFirst()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"sub\":\"x\",\"exp\":1796580060}", hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::Expired);
    QCOMPARE(verdict.headline, QStringLiteral("Invalid: expired 2 h ago (exp 2026-12-06 18:01 UTC)"));
    QCOMPARE(verdict.reason, QStringLiteral("expired 2 h ago (exp 2026-12-06 18:01 UTC)"));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "exp"), CheckState::Failed);
    QVERIFY(verdict.signatureVerified());
}

void TestVerdict::notYetValidIsInvalid()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"nbf\":" + QByteArray::number(kNow + 600) + "}", hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::NotYetValid);
    QCOMPARE(stateOf(verdict, "nbf"), CheckState::Failed);
    QVERIFY2(verdict.headline.startsWith(QLatin1String("Invalid: not valid before in 10 min")),
             qPrintable(verdict.headline));
}

void TestVerdict::audienceWithoutExpectationIsNotCheckedAndNotClaimedAsPassed()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"aud\":\"api\"}", hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QCOMPARE(stateOf(verdict, "aud"), CheckState::NotChecked);
    QVERIFY2(verdict.headline.endsWith(QLatin1String("; not checked: aud")), qPrintable(verdict.headline));
    QVERIFY(!verdict.headline.contains(QLatin1String("every")));
    QVERIFY(verdict.check(u"aud")->message.contains(QLatin1String("\"api\"")));
    // The state says "not checked"; the message says why, and every face puts the two together itself.
    QVERIFY2(!verdict.check(u"aud")->message.startsWith(QLatin1String("not checked")),
             qPrintable(verdict.check(u"aud")->message));
}

void TestVerdict::expectedAudienceAndIssuerAreChecked()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"aud\":\"api\",\"iss\":\"https://idp\"}", hmac, QStringLiteral("HS256"));
    Expectations expectations = at(kNow);
    expectations.claims.audiences = {QStringLiteral("api")};
    expectations.claims.issuer = QStringLiteral("https://idp");
    Verdict verdict = judge(token, {typed(hmac)}, expectations);
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QCOMPARE(stateOf(verdict, "aud"), CheckState::Passed);
    QCOMPARE(stateOf(verdict, "iss"), CheckState::Passed);
    QVERIFY(!verdict.headline.contains(QLatin1String("not checked")));

    expectations.claims.audiences = {QStringLiteral("web")};
    verdict = judge(token, {typed(hmac)}, expectations);
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::AudienceMismatch);
    QCOMPARE(stateOf(verdict, "aud"), CheckState::Failed);

    expectations.checkClaims = false;
    verdict = judge(token, {typed(hmac)}, expectations);
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QCOMPARE(stateOf(verdict, "aud"), CheckState::NotChecked);
    QCOMPARE(stateOf(verdict, "exp"), CheckState::NotChecked);
}

void TestVerdict::unsecuredTokenIsUnsecured()
{
    const QByteArray token = Base64Url::encode("{\"alg\":\"none\"}") + '.' + Base64Url::encode(kClaims) + '.';
    for (const std::vector<Key>& keys : {std::vector<Key>{}, std::vector<Key>{generated(QStringLiteral("HS256"))}}) {
        const Verdict verdict = judge(token, keys);
        QCOMPARE(verdict.outcome, VerdictOutcome::Unsecured);
        QCOMPARE(verdict.code, ErrorCode::AlgNone);
        QVERIFY(verdict.headline.startsWith(QLatin1String("Unsecured:")));
        QCOMPARE(stateOf(verdict, "signature"), CheckState::Failed);
        QCOMPARE(stateOf(verdict, "alg-allowed"), CheckState::Failed);
        QCOMPARE(stateOf(verdict, "key-fits"), CheckState::NotApplicable);
        QVERIFY(!verdict.isValid());
    }
}

void TestVerdict::malformedTextIsMalformed()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    QList<QByteArray> parts = sign(kClaims, hmac, QStringLiteral("HS256")).split('.');
    parts[1].insert(5, '*');
    const Verdict verdict = judge(parts.join('.'), {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Malformed);
    QVERIFY(verdict.headline.startsWith(QLatin1String("Malformed: ")));
    QVERIFY(verdict.headline.contains(QLatin1String("payload")));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::NotChecked);
    QVERIFY(verdict.signatures.empty());
    QCOMPARE(verdict.decisiveSignature(), nullptr);
}

void TestVerdict::unrelatedStoredRsaKeyDoesNotDecide()
{
    // An RS256 token from another issuer, no kid; the keychain holds an unrelated RSA-4096 key.
    const Key issuer = generated(QStringLiteral("RS256"));
    const Key big = stored(generated(QStringLiteral("RS256"), 4096).publicOnly(), QStringLiteral("mine"));
    const Verdict verdict = judge(sign(kClaims, issuer, QStringLiteral("RS256")), {big});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(stateOf(verdict, "signature"), CheckState::NotChecked);
    QCOMPARE(stateOf(verdict, "key-fits"), CheckState::NotChecked);
    QVERIFY2(!verdict.headline.contains(QLatin1String("Malformed")), qPrintable(verdict.headline));
    QCOMPARE(verdict.signatures.front().keysTried, 0);
}

void TestVerdict::storedRsaKeyIsNoCandidateForAnHmacToken()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const Key rsa = stored(generated(QStringLiteral("RS256")).publicOnly(), QStringLiteral("r"));
    const Verdict verdict = judge(sign(kClaims, hmac, QStringLiteral("HS256")), {rsa});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QVERIFY2(!verdict.headline.contains(QLatin1String("RS256")), qPrintable(verdict.headline));
    QCOMPARE(stateOf(verdict, "key-fits"), CheckState::NotChecked);
}

void TestVerdict::storedKeyThatFitsButDoesNotVerifyGivesNotVerified()
{
    const Key issuer = generated(QStringLiteral("RS256"));
    const Key other = stored(fresh(QStringLiteral("RS256")).publicOnly());
    const Key another = stored(fresh(QStringLiteral("RS256")).publicOnly());
    const Verdict verdict = judge(sign(kClaims, issuer, QStringLiteral("RS256")), {other, another});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(verdict.headline, QStringLiteral("Not verified: none of the 2 stored keys that fit verifies it"));
    QCOMPARE(stateOf(verdict, "signature"), CheckState::NotChecked);
    QCOMPARE(verdict.signatures.front().keysTried, 2);
}

void TestVerdict::unreadableKeyIsTheDecisiveReason()
{
    // The window keeps a token open while its key is typed; a key that cannot be read is why nothing verified, not
    // "no key given", whether or not stored keys were tried beside it.
    const Key issuer = generated(QStringLiteral("RS256"));
    Expectations expectations = at(kNow);
    expectations.unusableKey = QStringLiteral("the PEM block holds no key");
    const QByteArray token = sign(kClaims, issuer, QStringLiteral("RS256"));
    for (const std::vector<Key>& keys :
         {std::vector<Key>{}, std::vector<Key>{stored(fresh(QStringLiteral("RS256")).publicOnly())}}) {
        const Verdict verdict = judge(token, keys, expectations);
        QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
        QCOMPARE(verdict.headline,
                 QStringLiteral("Not verified: the key given is not usable: the PEM block holds no key"));
        QCOMPARE(stateOf(verdict, "key-fits"), CheckState::Failed);
        QCOMPARE(verdict.notes.contains(QStringLiteral("Also tried: the 1 stored key that fits does not verify it")),
                 !keys.empty());
    }
    // A stored key that verifies still does: the token is what it is, whatever else was typed.
    const Verdict verified = judge(token, {stored(issuer.publicOnly())}, expectations);
    QCOMPARE(verified.outcome, VerdictOutcome::Valid);
}

void TestVerdict::storedKeyPickedByTheTokensKidDecides()
{
    const Key issuer = generated(QStringLiteral("RS256"));
    const Key wrong = stored(fresh(QStringLiteral("RS256")).publicOnly(), QStringLiteral("k1"));
    const Verdict verdict = judge(sign(kClaims, issuer, QStringLiteral("RS256"), QStringLiteral("k1")), {wrong});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(stateOf(verdict, "signature"), CheckState::Failed);

    const Verdict right = judge(sign(kClaims, issuer, QStringLiteral("RS256"), QStringLiteral("k1")),
                                {stored(issuer.publicOnly(), QStringLiteral("k1"))});
    QCOMPARE(right.outcome, VerdictOutcome::Valid);
    QCOMPARE(right.keyProvenance, QStringLiteral("keychain set prod, key signer (active)"));
}

void TestVerdict::typedSecretVerifiesATokenWhoseKidNoStoredKeyHas()
{
    // The sample: kid sample-hs256, its secret typed in, the keychain holding other keys.
    const Key secret = generated(QStringLiteral("HS256"));
    const QByteArray token = sign(kClaims, secret, QStringLiteral("HS256"), QStringLiteral("sample-hs256"));
    const std::vector<Key> keys = {stored(generated(QStringLiteral("RS256"), 4096).publicOnly(), QStringLiteral("a")),
                                   stored(fresh(QStringLiteral("HS256")), QStringLiteral("b")), typed(secret)};
    const Verdict verdict = judge(token, keys);
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QCOMPARE(verdict.keyProvenance, QStringLiteral("typed here"));
    QVERIFY(verdict.notes.contains(QStringLiteral("No stored key has kid \"sample-hs256\"")));

    // The typed secret alone: the note says it was tried without a kid, never "no key given has kid" beside a key
    // given that verified.
    const Verdict alone = judge(token, {typed(secret)});
    QCOMPARE(alone.outcome, VerdictOutcome::Valid);
    QCOMPARE(
        alone.notes,
        QStringList{QStringLiteral("The token names kid \"sample-hs256\"; the key given has no kid, so it was tried")});

    // Without the typed secret: a neutral not-verified, not a failure.
    const Verdict without = judge(token, {keys[0], keys[1]});
    QCOMPARE(without.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(without.headline, QStringLiteral("Not verified: no key with kid \"sample-hs256\""));
}

void TestVerdict::userKeysAreTriedFirstAndNamed()
{
    const Key secret = generated(QStringLiteral("HS256"));
    const QByteArray token = sign(kClaims, secret, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {stored(secret), typed(secret)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Valid);
    QCOMPARE(verdict.key->metadata.provenance.kind, KeyProvenance::Kind::Typed);
    QVERIFY(verdict.headline.endsWith(QLatin1String("typed here")));
}

void TestVerdict::userKeyThatDoesNotFitIsNotAFailure()
{
    // An RSA public key offered for an HS256 token: it cannot check it (and must never be used as a secret).
    const Key hmac = generated(QStringLiteral("HS256"));
    const Verdict verdict
        = judge(sign(kClaims, hmac, QStringLiteral("HS256")), {typed(generated(QStringLiteral("RS256")).publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(verdict.code, ErrorCode::KeyMismatch);
    QCOMPARE(stateOf(verdict, "key-fits"), CheckState::Failed);
    QCOMPARE(stateOf(verdict, "signature"), CheckState::NotChecked);
}

void TestVerdict::explicitKidPicksTheKeyAndMakesItDecisive()
{
    const Key issuer = generated(QStringLiteral("ES256"));
    const Key other = stored(fresh(QStringLiteral("ES256")).publicOnly(), QStringLiteral("x"));
    Expectations expectations = at(kNow);
    expectations.kid = QStringLiteral("x");
    const Verdict verdict = judge(sign(kClaims, issuer, QStringLiteral("ES256")), {other}, expectations);
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);

    expectations.kid = QStringLiteral("y");
    const Verdict missing = judge(sign(kClaims, issuer, QStringLiteral("ES256")), {other}, expectations);
    QCOMPARE(missing.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(missing.code, ErrorCode::KeyNotFound);
}

void TestVerdict::allowedAlgsAreEnforced()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    Expectations expectations = at(kNow);
    expectations.allowedAlgs = {QStringLiteral("RS256"), QStringLiteral("ES256")};
    const Verdict verdict = judge(sign(kClaims, hmac, QStringLiteral("HS256")), {typed(hmac)}, expectations);
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::AlgNotAllowed);
    QCOMPARE(stateOf(verdict, "alg-allowed"), CheckState::Failed);

    expectations.allowedAlgs = {QStringLiteral("HS256")};
    QCOMPARE(judge(sign(kClaims, hmac, QStringLiteral("HS256")), {typed(hmac)}, expectations).outcome,
             VerdictOutcome::Valid);
}

void TestVerdict::unknownCritIsInvalid()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign(kClaims, hmac, QStringLiteral("HS256"), {}, "{\"crit\":[\"exp\"],\"exp\":1}");
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.code, ErrorCode::CritUnsupported);
    QCOMPARE(stateOf(verdict, "crit"), CheckState::Failed);
    // Even with no key at all the token must be rejected (RFC 7515 §4.1.11).
    QCOMPARE(judge(token, {}).outcome, VerdictOutcome::Invalid);
}

void TestVerdict::typMustBeAString()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const Verdict verdict = judge(sign(kClaims, hmac, QStringLiteral("HS256"), {}, "{\"typ\":7}"), {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(stateOf(verdict, "typ"), CheckState::Failed);
}

void TestVerdict::emptyPayloadSegmentIsASignatureOverTheEmptyPayload_data()
{
    QTest::addColumn<QString>("alg");
    for (const char* alg : {"HS256", "HS512", "RS256", "PS256", "ES256", "ES384", "EdDSA"})
        QTest::newRow(alg) << QString::fromLatin1(alg);
}

void TestVerdict::emptyPayloadSegmentIsASignatureOverTheEmptyPayload()
{
    QFETCH(QString, alg);
    const Key key = generated(alg);
    const QByteArray token = sign(QByteArray(), key, alg);
    QVERIFY2(token.contains(".."), token.constData());
    const Key verifier = key.type() == KeyType::Oct ? key : key.publicOnly();
    const Verdict verdict = judge(token, {typed(verifier)});
    QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
    QCOMPARE(stateOf(verdict, "exp"), CheckState::NotApplicable);
}

void TestVerdict::suppliedPayloadMakesTheEmptySegmentDetached()
{
    const Key key = generated(QStringLiteral("ES256"));
    const QByteArray payload = "{\"exp\":" + QByteArray::number(kNow - 10) + "}";
    QList<QByteArray> parts = sign(payload, key, QStringLiteral("ES256")).split('.');
    parts[1].clear();
    const QByteArray token = parts.join('.');
    QCOMPARE(judge(token, {typed(key.publicOnly())}).outcome, VerdictOutcome::Invalid);
    Expectations expectations = at(kNow);
    expectations.detachedPayload = payload;
    const Verdict verdict = judge(token, {typed(key.publicOnly())}, expectations);
    // The signature verifies over the supplied payload, whose exp (not the empty segment's) decides.
    QCOMPARE(stateOf(verdict, "signature"), CheckState::Passed);
    QCOMPARE(verdict.code, ErrorCode::Expired);
}

void TestVerdict::jsonSerializationWithTwoSignaturesMatchesKeysBySignature()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray payload = Base64Url::encode(kClaims);
    const QByteArray rsaHeader = Base64Url::encode("{\"alg\":\"RS256\"}");
    const QByteArray ecHeader = Base64Url::encode("{\"alg\":\"ES256\"}");
    const QByteArray rsaSig = Base64Url::encode(*signBytes(*findAlg(u"RS256"), rsa, rsaHeader + '.' + payload));
    const QByteArray ecSig = Base64Url::encode(*signBytes(*findAlg(u"ES256"), ec, ecHeader + '.' + payload));
    const QByteArray json = "{\"payload\":\"" + payload + "\",\"signatures\":[{\"protected\":\"" + rsaHeader
        + "\",\"header\":{\"kid\":\"r\"},\"signature\":\"" + rsaSig + "\"},{\"protected\":\"" + ecHeader
        + "\",\"header\":{\"kid\":\"e\"},\"signature\":\"" + ecSig + "\"}]}";
    for (const Key& key : {typed(rsa.publicOnly(), QStringLiteral("r")), typed(ec.publicOnly(), QStringLiteral("e"))}) {
        const Verdict verdict = judge(json, {key});
        QVERIFY2(verdict.isValid(), qPrintable(verdict.headline));
        QCOMPARE(verdict.signatures.size(), std::size_t(2));
        int valid = 0;
        for (const SignatureVerdict& s : verdict.signatures) {
            valid += s.outcome == VerdictOutcome::Valid;
            QVERIFY(s.outcome == VerdictOutcome::Valid || s.outcome == VerdictOutcome::NotVerified);
        }
        QCOMPARE(valid, 1);
    }
}

void TestVerdict::jsonSerializationFailsWhenAKeyThatFitsASignatureDoesNotVerifyIt()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray payload = Base64Url::encode(kClaims);
    const QByteArray rsaHeader = Base64Url::encode("{\"alg\":\"RS256\"}");
    const QByteArray ecHeader = Base64Url::encode("{\"alg\":\"ES256\"}");
    const QByteArray rsaSig = Base64Url::encode(*signBytes(*findAlg(u"RS256"), rsa, rsaHeader + '.' + payload));
    // The EC signature is over another payload: the EC key fits it and it does not verify.
    const QByteArray ecSig = Base64Url::encode(*signBytes(*findAlg(u"ES256"), ec, ecHeader + ".e30"));
    const QByteArray json = "{\"payload\":\"" + payload + "\",\"signatures\":[{\"protected\":\"" + rsaHeader
        + "\",\"signature\":\"" + rsaSig + "\"},{\"protected\":\"" + ecHeader + "\",\"signature\":\"" + ecSig + "\"}]}";
    const Verdict verdict = judge(json, {typed(rsa.publicOnly()), typed(ec.publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(verdict.signatures[0].outcome, VerdictOutcome::Valid);
    QCOMPARE(verdict.signatures[1].outcome, VerdictOutcome::Invalid);
    QVERIFY2(verdict.headline.startsWith(QLatin1String("Invalid: signature 2: ")), qPrintable(verdict.headline));
}

void TestVerdict::jsonOutputHasEveryMemberAndEscapesControls()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const Verdict verdict
        = judge(sign("{\"aud\":\"a\\u001b[31m\\u202e\"}", hmac, QStringLiteral("HS256")), {typed(hmac)});
    const QByteArray json = verdictToJson(verdict);
    QVERIFY2(!json.contains('\x1b'), json.constData());
    QVERIFY(!QString::fromUtf8(json).contains(QChar(0x202e)));
    auto parsed = parseJson(json);
    QVERIFY(parsed.ok());
    for (const char* member : {"valid", "outcome", "headline", "key", "checks", "signatures", "diagnosis"})
        QVERIFY2(parsed.root->member(QString::fromLatin1(member)), member);
    QCOMPARE(parsed.root->member(u"outcome")->string, QStringLiteral("valid"));
    QCOMPARE(parsed.root->member(u"key")->member(u"provenance")->string, QStringLiteral("typed here"));
    QCOMPARE(parsed.root->member(u"checks")->items.size(), std::size_t(10));
    QCOMPARE(parsed.root->member(u"checks")->items[6].member(u"state")->string, QStringLiteral("not-checked"));
    QCOMPARE(parsed.root->member(u"signatures")->items[0].member(u"outcome")->string, QStringLiteral("valid"));
}

void TestVerdict::provenanceIsNamedInWords()
{
    KeyProvenance provenance;
    QCOMPARE(describeProvenance(provenance), QStringLiteral("typed here"));
    provenance.kind = KeyProvenance::Kind::File;
    provenance.file = QStringLiteral("k.pem");
    QCOMPARE(describeProvenance(provenance), QStringLiteral("file k.pem"));
    provenance.kind = KeyProvenance::Kind::Keychain;
    provenance.keySet = QStringLiteral("S");
    provenance.keyName = QStringLiteral("K");
    provenance.status = QStringLiteral("verify-only");
    QCOMPARE(describeProvenance(provenance), QStringLiteral("keychain set S, key K (verify-only)"));
    provenance.kind = KeyProvenance::Kind::RemoteJwks;
    provenance.url = QStringLiteral("https://idp.example/jwks");
    provenance.status.clear();
    provenance.fetched = QDateTime::fromSecsSinceEpoch(1796580000, Qt::UTC);
    QCOMPARE(describeProvenance(provenance),
             QStringLiteral("JWKS of https://idp.example/jwks fetched 2026-12-06 18:00 UTC"));
}

void TestVerdict::diagnosesSecretReadAsTextInsteadOfBase64()
{
    // The signer used the bytes the base64 text encodes; the user typed the base64 text as a text secret.
    const QByteArray text = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC0zMmJ5dGVz";
    const Key bytes = *importSecret(text, SecretEncoding::Base64);
    const Key asText = typed(*importSecret(text, SecretEncoding::Text));
    const Verdict verdict = judge(sign(kClaims, bytes, QStringLiteral("HS256")), {asText});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("secret-encoding")});
    QVERIFY2(messageOf(verdict, QStringLiteral("secret-encoding")).contains(QLatin1String("base64")),
             qPrintable(messageOf(verdict, QStringLiteral("secret-encoding"))));
}

void TestVerdict::diagnosesSecretDecodedInsteadOfUsedAsText()
{
    // The reverse: the signer used the hex text itself; the user gave it with --secret-hex.
    const QByteArray hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    const Key signer = *importSecret(hex, SecretEncoding::Text);
    const Key decoded = typed(*importSecret(hex, SecretEncoding::Hex));
    const Verdict verdict = judge(sign(kClaims, signer, QStringLiteral("HS256")), {decoded});
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("secret-encoding")});
    QVERIFY(messageOf(verdict, QStringLiteral("secret-encoding")).contains(QLatin1String("hex")));
}

void TestVerdict::diagnosesChangeAfterSigning()
{
    for (const char* alg : {"RS256", "PS384"}) {
        const Key rsa = generated(QString::fromLatin1(alg));
        QList<QByteArray> parts = sign(kClaims, rsa, QString::fromLatin1(alg)).split('.');
        parts[1] = Base64Url::encode("{\"sub\":\"admin\"}");
        const Verdict verdict = judge(parts.join('.'), {typed(rsa.publicOnly())});
        QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
        QVERIFY2(codes(verdict).contains(QStringLiteral("changed-after-signing")),
                 qPrintable(codes(verdict).join(',') + QLatin1Char(' ') + QLatin1String(alg)));
    }
}

void TestVerdict::diagnosesAnotherKey()
{
    const Key signer = generated(QStringLiteral("RS256"));
    const Key other = typed(fresh(QStringLiteral("RS256")).publicOnly());
    const QByteArray token = sign(kClaims, signer, QStringLiteral("RS256"));
    const Verdict verdict = judge(token, {other});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("other-key")});

    // Another key's signature is, as a number, at or above this key's modulus in about one run in ten: both ways of
    // telling must name another key, whichever the draw. All 0xff bytes of the key's length is always above it.
    const Verdict above = judge(withSignature(token, QByteArray(256, char(0xff))), {other});
    QCOMPARE(above.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(above), QStringList{QStringLiteral("other-key")});
    QVERIFY(messageOf(above, QStringLiteral("other-key")).contains(QLatin1String("modulus")));
    const Verdict below = judge(withSignature(token, QByteArray(255, char(0)) + char(2)), {other});
    QCOMPARE(codes(below), QStringList{QStringLiteral("other-key")});
}

void TestVerdict::diagnosesHashMismatch()
{
    // An RS256 header over a signature whose block carries a SHA-384 DigestInfo.
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray token = sign(kClaims, rsa, QStringLiteral("RS256"));
    const QByteArray forged = withSignature(token, *signBytes(*findAlg(u"RS384"), rsa, signingInputOf(token)));
    const Verdict verdict = judge(forged, {typed(rsa.publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("hash-mismatch")});
    QVERIFY(messageOf(verdict, QStringLiteral("hash-mismatch")).contains(QLatin1String("SHA-384")));
}

void TestVerdict::diagnosesRsaPaddingMismatch_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("signedAs");
    QTest::newRow("PS256 header, PKCS#1 v1.5 signature") << QStringLiteral("PS256") << QStringLiteral("RS256");
    QTest::newRow("RS256 header, PSS signature") << QStringLiteral("RS256") << QStringLiteral("PS256");
}

void TestVerdict::diagnosesRsaPaddingMismatch()
{
    QFETCH(QString, header);
    QFETCH(QString, signedAs);
    const Key rsa = generated(QStringLiteral("RS256"));
    const QByteArray token = sign(kClaims, rsa, header);
    const QByteArray forged = withSignature(token, *signBytes(*findAlg(signedAs), rsa, signingInputOf(token)));
    const Verdict verdict = judge(forged, {typed(rsa.publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("rsa-padding-mismatch")});
    QVERIFY(messageOf(verdict, QStringLiteral("rsa-padding-mismatch")).contains(signedAs));
}

void TestVerdict::diagnosesEcdsaDer()
{
    const Key ec = generated(QStringLiteral("ES256"));
    const QByteArray token = sign(kClaims, ec, QStringLiteral("ES256"));
    const Verdict verdict = judge(withSignature(token, derOf(signatureOf(token))), {typed(ec.publicOnly())});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("ecdsa-der")});
}

void TestVerdict::diagnosesKidMismatch()
{
    // The token's kid names a key; the user opened another one (a PEM, no kid): its thumbprint differs.
    const Key signer = generated(QStringLiteral("ES256"));
    const Key other = typed(fresh(QStringLiteral("ES256")).publicOnly());
    const Verdict verdict = judge(sign(kClaims, signer, QStringLiteral("ES256"), thumbprint(signer)), {other});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QVERIFY2(codes(verdict).contains(QStringLiteral("kid-mismatch")), qPrintable(codes(verdict).join(',')));
    QVERIFY(messageOf(verdict, QStringLiteral("kid-mismatch")).contains(thumbprint(other)));

    // A key the user chose with another kid is not tried (not verified), and the diagnosis names both kids.
    const Verdict otherKid = judge(sign(kClaims, signer, QStringLiteral("ES256"), QStringLiteral("a")),
                                   {typed(signer.publicOnly(), QStringLiteral("b"))});
    QCOMPARE(otherKid.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(codes(otherKid), QStringList{QStringLiteral("kid-mismatch")});
    QVERIFY(messageOf(otherKid, QStringLiteral("kid-mismatch")).contains(QLatin1String("\"b\"")));

    // The right key without a kid verifies, and its thumbprint equals the kid: no diagnosis at all.
    const Verdict right
        = judge(sign(kClaims, signer, QStringLiteral("ES256"), thumbprint(signer)), {typed(signer.publicOnly())});
    QVERIFY(right.isValid());
    QVERIFY(right.diagnosis.empty());
}

void TestVerdict::diagnosesAlgMismatch()
{
    const Key rsa = generated(QStringLiteral("RS256"));
    const Key keyForRs384 = typed(rsa.publicOnly(), {}, QStringLiteral("RS384"));
    const Verdict verdict = judge(sign(kClaims, rsa, QStringLiteral("RS256")), {keyForRs384});
    QCOMPARE(verdict.outcome, VerdictOutcome::NotVerified);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("alg-mismatch")});
}

void TestVerdict::diagnosesTruncatedSignature()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign(kClaims, hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(withSignature(token, signatureOf(token).left(16)), {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Invalid);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("truncated-signature")});
    QVERIFY(messageOf(verdict, QStringLiteral("truncated-signature")).contains(QLatin1String("16 bytes")));
}

void TestVerdict::diagnosesReencodedToken_data()
{
    QTest::addColumn<QByteArray>("change");
    QTest::newRow("padding") << QByteArray("=");
    QTest::newRow("base64 alphabet") << QByteArray("+/");
    QTest::newRow("line break") << QByteArray("\n");
}

void TestVerdict::diagnosesReencodedToken()
{
    QFETCH(QByteArray, change);
    const Key hmac = generated(QStringLiteral("HS256"));
    QByteArray token;
    // A token whose encoding has '-' or '_' (for the alphabet row) and a signature that needs padding.
    for (int i = 0; token.isEmpty() && i < 200; ++i) {
        const QByteArray candidate = sign("{\"n\":" + QByteArray::number(i) + "}", hmac, QStringLiteral("HS256"));
        if (change == "+/" && !candidate.contains('-') && !candidate.contains('_'))
            continue;
        token = candidate;
    }
    QByteArray reencoded = token;
    if (change == "=")
        reencoded += '='; // 32-byte HMAC tag: 43 characters, one '=' of padding in base64
    else if (change == "+/")
        reencoded.replace('-', '+').replace('_', '/');
    else
        reencoded.insert(token.size() / 2, "\n");
    const Verdict verdict = judge(reencoded, {typed(hmac)});
    QCOMPARE(verdict.outcome, VerdictOutcome::Malformed);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("reencoded")});
    QVERIFY(messageOf(verdict, QStringLiteral("reencoded")).contains(QLatin1String("verifies")));
}

void TestVerdict::diagnosesExpiredWithTheLeewayThatWouldAcceptIt()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"exp\":" + QByteArray::number(kNow - 90) + "}", hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("expired")});
    const QString message = messageOf(verdict, QStringLiteral("expired"));
    QVERIFY2(message.contains(QLatin1String("90 s")) && message.contains(QLatin1String("leeway of 91 s")),
             qPrintable(message));
    // The leeway it names does accept it.
    Expectations expectations = at(kNow);
    expectations.claims.leeway = 91;
    QVERIFY(judge(token, {typed(hmac)}, expectations).isValid());
}

void TestVerdict::diagnosesNotYetValid()
{
    const Key hmac = generated(QStringLiteral("HS256"));
    const QByteArray token = sign("{\"nbf\":" + QByteArray::number(kNow + 30) + "}", hmac, QStringLiteral("HS256"));
    const Verdict verdict = judge(token, {typed(hmac)});
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("not-yet-valid")});
    QVERIFY(messageOf(verdict, QStringLiteral("not-yet-valid")).contains(QLatin1String("leeway of 30 s")));
    Expectations expectations = at(kNow);
    expectations.claims.leeway = 30;
    QVERIFY(judge(token, {typed(hmac)}, expectations).isValid());
}

void TestVerdict::diagnosesPastedKeysAndCertificates_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("names");
    const Key rsa = generated(QStringLiteral("RS256"));
    QTest::newRow("PEM public key") << exportPublicPem(rsa) << QStringLiteral("PEM key");
    QTest::newRow("JWK") << exportJwk(rsa.publicOnly()) << QStringLiteral("JWK");
    QTest::newRow("JWKS") << exportJwks({rsa.publicOnly()}) << QStringLiteral("JWKS");
    const QByteArray pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    QTest::newRow("certificate") << pem << QStringLiteral("certificate");
}

void TestVerdict::diagnosesPastedKeysAndCertificates()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, names);
    const Verdict verdict = judge(text, {});
    QCOMPARE(verdict.outcome, VerdictOutcome::Malformed);
    QCOMPARE(codes(verdict), QStringList{QStringLiteral("not-a-token")});
    QVERIFY2(messageOf(verdict, QStringLiteral("not-a-token")).contains(names),
             qPrintable(messageOf(verdict, QStringLiteral("not-a-token"))));
    QVERIFY(messageOf(verdict, QStringLiteral("not-a-token")).contains(QLatin1String("key field")));
}

void TestVerdict::diagnosisNeverChangesTheOutcomeAndRunsOnlyOnFailure()
{
    const Key signer = generated(QStringLiteral("RS256"));
    const Key other = typed(fresh(QStringLiteral("RS256")).publicOnly());
    const QByteArray token = sign(kClaims, signer, QStringLiteral("RS256"));
    Expectations quiet = at(kNow);
    quiet.diagnose = false;
    const Verdict with = judge(token, {other});
    const Verdict without = judge(token, {other}, quiet);
    QVERIFY(!with.diagnosis.empty());
    QVERIFY(without.diagnosis.empty());
    QCOMPARE(with.outcome, without.outcome);
    QCOMPARE(with.headline, without.headline);
    QCOMPARE(with.code, without.code);
    QVERIFY(judge(token, {typed(signer.publicOnly())}).diagnosis.empty());
}

void TestVerdict::wordsForWhatPassedNeverChangeTheVerdict()
{
    // verify --batch turns explain off; outcome, code, reason of a failure and every state stay the same.
    const Key hmac = generated(QStringLiteral("HS256"));
    QList<QByteArray> tampered = sign(kClaims, hmac, QStringLiteral("HS256")).split('.');
    tampered[1] = Base64Url::encode("{}");
    const QList<QByteArray> tokens = {
        sign(kClaims, hmac, QStringLiteral("HS256")),
        sign("{\"exp\":1796580060,\"nbf\":1,\"iat\":1,\"aud\":\"x\",\"iss\":\"y\"}", hmac, QStringLiteral("HS256")),
        tampered.join('.'),
        sign("{\"nbf\":" + QByteArray::number(kNow + 5) + "}", hmac, QStringLiteral("HS256"), QStringLiteral("k")),
    };
    Expectations quiet = at(kNow);
    quiet.explain = false;
    for (const std::vector<Key>& keys :
         {std::vector<Key>{typed(hmac)}, std::vector<Key>{stored(hmac)}, std::vector<Key>{}}) {
        for (const QByteArray& token : tokens) {
            const Verdict full = judge(token, keys);
            const Verdict lean = judge(token, keys, quiet);
            QCOMPARE(lean.outcome, full.outcome);
            QCOMPARE(lean.code, full.code);
            if (!full.isValid())
                QCOMPARE(lean.reason, full.reason);
            QCOMPARE(lean.checks.size(), full.checks.size());
            for (std::size_t i = 0; i < full.checks.size(); ++i)
                QCOMPARE(lean.checks[i].state, full.checks[i].state);
        }
    }
}

QTEST_GUILESS_MAIN(TestVerdict)
#include "TestVerdict.moc"
