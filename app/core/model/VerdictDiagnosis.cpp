#include "core/model/VerdictDiagnosis.h"

#include "core/crypto/KeyFormats.h"
#include "core/crypto/Signature.h"
#include "core/crypto/SignatureWalkthrough.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Claims.h"
#include "core/jose/Json.h"
#include "core/jose/Jwk.h"
#include "core/jose/Wording.h"

#include <QCoreApplication>

namespace jwti {

struct VerdictDiagnosisText
{
    Q_DECLARE_TR_FUNCTIONS(VerdictDiagnosis)
};

namespace {

void add(std::vector<Diagnosis>& out, const QString& code, const QString& message)
{
    for (const Diagnosis& existing : out) {
        if (existing.code == code)
            return;
    }
    out.push_back({code, message});
}

// The signature length alg makes with key; 0 when it cannot be told.
qsizetype expectedSignatureBytes(const AlgInfo& alg, const Key& key)
{
    switch (alg.scheme) {
    case SignatureScheme::Hmac:
        return digestBytes(alg.digest);
    case SignatureScheme::RsaPkcs1:
    case SignatureScheme::RsaPss:
        return (key.bits() + 7) / 8;
    case SignatureScheme::Ecdsa:
        return alg.signatureBytes;
    case SignatureScheme::EdDsa:
        if (alg.signatureBytes)
            return alg.signatureBytes;
        return key.curve() == QLatin1String("Ed448") ? 114 : 64;
    case SignatureScheme::None:
        break;
    }
    return 0;
}

// DER SEQUENCE { INTEGER r, INTEGER s } (X9.62), the form OpenSSL and Java produce, JWS forbids (RFC 7518 §3.4).
bool looksLikeDerEcdsa(QByteArrayView signature)
{
    const auto byte = [&signature](qsizetype i) { return static_cast<unsigned char>(signature[i]); };
    if (signature.size() < 8 || byte(0) != 0x30)
        return false;
    qsizetype at = 2;
    qsizetype length = byte(1);
    if (length == 0x81) {
        length = byte(2);
        at = 3;
    } else if (length > 0x7f) {
        return false;
    }
    if (at + length != signature.size())
        return false;
    for (int integer = 0; integer < 2; ++integer) {
        if (at + 2 > signature.size() || byte(at) != 0x02)
            return false;
        at += 2 + byte(at + 1);
    }
    return at == signature.size();
}

// An HMAC secret that fails: does it verify when its bytes are read in another encoding, or the reverse?
void probeSecretEncoding(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature,
                         std::vector<Diagnosis>& out)
{
    const QByteArrayView secret = key.secret().view();
    struct Reading
    {
        SecretEncoding encoding;
        const char* name;
    };
    // The secret's bytes were taken as text, but they may be the base64 or hex spelling of the real secret.
    for (const Reading reading :
         {Reading{SecretEncoding::Base64, "base64/base64url"}, Reading{SecretEncoding::Hex, "hex"}}) {
        auto decoded = importSecret(secret, reading.encoding);
        if (!decoded || decoded->secret().view() == secret)
            continue;
        if (verifyBytes(alg, *decoded, input, signature)) {
            add(out, QStringLiteral("secret-encoding"),
                VerdictDiagnosisText::tr("it verifies when the secret is read as %1 instead of text: give it as %1")
                    .arg(QLatin1StringView(reading.name)));
            return;
        }
    }
    // The reverse: the secret was decoded from base64 or hex, but the signer used that spelling itself as the secret.
    QByteArray spellings[]
        = {secret.toByteArray().toBase64(),
           secret.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals),
           secret.toByteArray().toHex()};
    const char* names[] = {"base64", "base64url", "hex"};
    for (int i = 0; i < 3; ++i) {
        auto asText = importSecret(spellings[i], SecretEncoding::Text);
        wipeBytes(spellings[i]);
        if (asText && verifyBytes(alg, *asText, input, signature)) {
            add(out, QStringLiteral("secret-encoding"),
                VerdictDiagnosisText::tr("it verifies when the secret's %1 spelling is used as text: the signer "
                                         "used the text itself, not the bytes it encodes")
                    .arg(QLatin1StringView(names[i])));
            for (int j = i + 1; j < 3; ++j)
                wipeBytes(spellings[j]);
            return;
        }
    }
}

const WalkStep* stepWithId(const SignatureWalkthrough& walk, QStringView id)
{
    for (const WalkStep& step : walk.steps) {
        if (step.id == id)
            return &step;
    }
    return nullptr;
}

bool isPkcs1Block(const QByteArray& em)
{
    if (em.size() < 11 || em[0] != '\0' || em[1] != '\x01')
        return false;
    qsizetype padding = 0;
    while (2 + padding < em.size() && static_cast<unsigned char>(em[2 + padding]) == 0xff)
        ++padding;
    return padding >= 8 && 2 + padding < em.size() && em[2 + padding] == '\0';
}

// The same hash, the other RSA padding: RS256 <-> PS256.
const AlgInfo* otherPadding(const AlgInfo& alg)
{
    const QString name = alg.displayName();
    if (name.startsWith(QLatin1String("RS")))
        return findAlg(QStringLiteral("PS") + name.mid(2));
    if (name.startsWith(QLatin1String("PS")))
        return findAlg(QStringLiteral("RS") + name.mid(2));
    return nullptr;
}

// RSA: the recovered block (the walk-through's s^e mod n) says what went wrong.
void probeRsa(const AlgInfo& alg, const Key& key, QByteArrayView input, QByteArrayView signature,
              std::vector<Diagnosis>& out)
{
    const SignatureWalkthrough walk = walkThroughSignature(alg, key, input, signature);
    if (walk.verified || walk.failedStep < 0)
        return;
    const WalkStep& failed = walk.steps[std::size_t(walk.failedStep)];
    const WalkStep* recovered = stepWithId(walk, u"rsa-public");
    if (!recovered)
        return;
    if (recovered->value.isEmpty()) {
        // A signature of the key's length that is not below its modulus cannot come from this key: the same
        // conclusion as a block without this key's padding, reached before the arithmetic. A wrong length is
        // reported by the length probe.
        if (failed.id == QLatin1String("rsa-public") && signature.size() == expectedSignatureBytes(alg, key))
            add(out, QStringLiteral("other-key"),
                VerdictDiagnosisText::tr("the signature, read as a number, is not below this key's modulus: the "
                                         "token was signed with another key"));
        return;
    }
    const QByteArray& em = recovered->value;

    // The other padding first: a PS* header over a PKCS#1 v1.5 block, or an RS* header over a PSS block.
    if (const AlgInfo* other = otherPadding(alg)) {
        const SignatureWalkthrough otherWalk = walkThroughSignature(*other, key, input, signature);
        const WalkStep* otherFailed
            = otherWalk.failedStep >= 0 ? &otherWalk.steps[std::size_t(otherWalk.failedStep)] : nullptr;
        if (otherWalk.verified || (otherFailed && otherFailed->id == QLatin1String("hash-compare"))
            || (alg.scheme == SignatureScheme::RsaPss && isPkcs1Block(em))) {
            add(out, QStringLiteral("rsa-padding-mismatch"),
                VerdictDiagnosisText::tr("the header says %1 (%2) but the signature has %3 padding%4")
                    .arg(alg.displayName(),
                         alg.scheme == SignatureScheme::RsaPss ? QStringLiteral("RSASSA-PSS")
                                                               : QStringLiteral("PKCS#1 v1.5"),
                         alg.scheme == SignatureScheme::RsaPss ? QStringLiteral("PKCS#1 v1.5")
                                                               : QStringLiteral("RSASSA-PSS"),
                         otherWalk.verified ? VerdictDiagnosisText::tr(": it verifies as %1").arg(other->displayName())
                                            : QString()));
            return;
        }
    }

    if (failed.id == QLatin1String("hash-compare")) {
        add(out, QStringLiteral("changed-after-signing"),
            VerdictDiagnosisText::tr("the recovered block has the right padding and hash name but another hash: the "
                                     "header or the payload was changed after signing"));
        return;
    }
    if (failed.id == QLatin1String("pkcs1-padding") && isPkcs1Block(em)) {
        // Padding fine: the DigestInfo names another hash, or none we know.
        const WalkField* oid = nullptr;
        for (const WalkField& field : failed.fields) {
            if (field.label.trimmed() == QLatin1String("OBJECT IDENTIFIER"))
                oid = &field;
        }
        if (oid) {
            add(out, QStringLiteral("hash-mismatch"),
                VerdictDiagnosisText::tr("the signature block names %1, but %2 uses %3: it was signed with another "
                                         "algorithm than the header says")
                    .arg(oid->note.section(QStringLiteral(" = "), 1), alg.displayName(),
                         QLatin1StringView(digestName(alg.digest))));
            return;
        }
    }
    add(out, QStringLiteral("other-key"),
        VerdictDiagnosisText::tr("the recovered block is not a signature block of this key: the token was signed "
                                 "with another key"));
}

qsizetype secondsBetween(qint64 a, qint64 b)
{
    return a > b ? a - b : b - a;
}

const JsonValue* claimsOf(const Token& token, const Expectations& expectations, std::optional<JsonDocument>& holder)
{
    if (!expectations.detachedPayload)
        return token.claims();
    if (!expectations.detachedPayload->startsWith('{'))
        return nullptr;
    holder = parseJson(*expectations.detachedPayload);
    return holder->ok() && holder->root->isObject() ? &*holder->root : nullptr;
}

} // namespace

std::vector<Diagnosis> diagnoseFailure(const Token& token, const std::vector<Key>& candidates,
                                       const Expectations& expectations, const Verdict& verdict)
{
    std::vector<Diagnosis> out;
    Q_UNUSED(candidates);
    for (const SignatureVerdict& s : verdict.signatures) {
        if (s.outcome == VerdictOutcome::Valid || !s.key || std::size_t(s.index) >= token.signatures.size())
            continue;
        const Key& key = *s.key;
        const AlgInfo* alg = findAlg(s.alg);
        if (!alg || alg->scheme == SignatureScheme::None)
            continue;

        // The key's own alg (its JWK "alg") is not the header's.
        if (!key.metadata.alg.isEmpty() && key.metadata.alg != s.alg)
            add(out, QStringLiteral("alg-mismatch"),
                VerdictDiagnosisText::tr("the key is for %1 (its JWK \"alg\") but the header says %2")
                    .arg(key.metadata.alg, s.alg));
        // The token's kid names another key: the key's kid, or its RFC 7638 thumbprint when it has none.
        if (!s.kid.isEmpty() && key.metadata.kid != s.kid) {
            if (!key.metadata.kid.isEmpty())
                add(out, QStringLiteral("kid-mismatch"),
                    VerdictDiagnosisText::tr("the token's kid is %1 but the key's kid is %2: it names another key")
                        .arg(quoted(s.kid), quoted(key.metadata.kid)));
            else if (key.type() != KeyType::Oct && thumbprint(key) != s.kid)
                add(out, QStringLiteral("kid-mismatch"),
                    VerdictDiagnosisText::tr("the token's kid is %1 but this key's RFC 7638 thumbprint is %2: it "
                                             "names another key")
                        .arg(quoted(s.kid), quoted(thumbprint(key))));
        }
        if (s.code != ErrorCode::SignatureInvalid && s.code != ErrorCode::SignatureMalformed)
            continue;

        const QByteArray& signature = token.signatures[std::size_t(s.index)].signature.decoded.bytes;
        const QByteArray input = token.signingInput(s.index, expectations.detachedPayload.value_or(QByteArray()));
        const qsizetype expected = expectedSignatureBytes(*alg, key);
        if (alg->scheme == SignatureScheme::Ecdsa && signature.size() != expected && looksLikeDerEcdsa(signature)) {
            add(out, QStringLiteral("ecdsa-der"),
                VerdictDiagnosisText::tr("the ECDSA signature is DER (a SEQUENCE of r and s, %1 bytes); JWS needs "
                                         "raw r‖s of %2 bytes (RFC 7518 §3.4)")
                    .arg(signature.size())
                    .arg(expected));
            continue;
        }
        if (expected > 0 && signature.size() < expected) {
            add(out, QStringLiteral("truncated-signature"),
                VerdictDiagnosisText::tr("the signature is %1 bytes; %2 with this key makes %3: it was cut short")
                    .arg(signature.size())
                    .arg(s.alg)
                    .arg(expected));
            continue;
        }
        switch (alg->scheme) {
        case SignatureScheme::Hmac:
            probeSecretEncoding(*alg, key, input, signature, out);
            break;
        case SignatureScheme::RsaPkcs1:
        case SignatureScheme::RsaPss:
            probeRsa(*alg, key, input, signature, out);
            break;
        default:
            break;
        }
    }

    // Time claims: by how much, and the leeway that would accept it.
    std::optional<JsonDocument> holder;
    const JsonValue* claims = claimsOf(token, expectations, holder);
    const qint64 now = expectations.claims.now;
    if (const VerdictCheck* exp = verdict.check(u"exp"); exp && exp->state == CheckState::Failed && claims) {
        if (auto seconds = numericDateSeconds(claims->member(u"exp")); seconds && *seconds <= now) {
            const qint64 late = secondsBetween(now, *seconds);
            add(out, QStringLiteral("expired"),
                VerdictDiagnosisText::tr("expired %1 s before the clock (exp %2, now %3); a leeway of %4 s would "
                                         "accept it")
                    .arg(late)
                    .arg(*seconds)
                    .arg(now)
                    .arg(late + 1));
        }
    }
    if (const VerdictCheck* nbf = verdict.check(u"nbf"); nbf && nbf->state == CheckState::Failed && claims) {
        if (auto seconds = numericDateSeconds(claims->member(u"nbf")); seconds && *seconds > now) {
            const qint64 early = secondsBetween(*seconds, now);
            add(out, QStringLiteral("not-yet-valid"),
                VerdictDiagnosisText::tr("valid only in %1 s (nbf %2, now %3); a leeway of %1 s would accept it")
                    .arg(early)
                    .arg(*seconds)
                    .arg(now));
        }
    }
    return out;
}

std::vector<Diagnosis> diagnoseUnreadable(QByteArrayView text, const std::vector<Key>& candidates,
                                          const Expectations& expectations)
{
    std::vector<Diagnosis> out;
    const QByteArray trimmed = text.trimmed().toByteArray();

    // What was pasted is a key or a certificate, not a token.
    if (trimmed.startsWith("-----BEGIN ")) {
        const bool certificate = trimmed.startsWith("-----BEGIN CERTIFICATE-----");
        add(out, QStringLiteral("not-a-token"),
            certificate ? VerdictDiagnosisText::tr("this is a PEM certificate, not a token: put it in the key field")
                        : VerdictDiagnosisText::tr("this is a PEM key, not a token: put it in the key field"));
        return out;
    }
    if (trimmed.startsWith('{')) {
        const JsonDocument json = parseJson(trimmed);
        if (json.ok() && json.root->isObject()) {
            if (const JsonValue* keys = json.root->member(u"keys"); keys && keys->isArray()) {
                add(out, QStringLiteral("not-a-token"),
                    VerdictDiagnosisText::tr("this is a JWKS (a set of %1 keys), not a token: put it in the key field")
                        .arg(keys->items.size()));
                return out;
            }
            if (json.root->member(u"kty")) {
                add(out, QStringLiteral("not-a-token"),
                    VerdictDiagnosisText::tr("this is a JWK (a key), not a token: put it in the key field"));
                return out;
            }
        }
        return out;
    }

    // Re-encoded on its way: base64 padding, the +/ alphabet, line breaks or spaces inside.
    QStringList changes;
    if (trimmed.contains('='))
        changes << VerdictDiagnosisText::tr("padding \"=\"");
    if (trimmed.contains('+') || trimmed.contains('/'))
        changes << VerdictDiagnosisText::tr("\"+\" or \"/\" (base64, not base64url)");
    if (trimmed.contains('\n') || trimmed.contains('\r') || trimmed.contains(' ') || trimmed.contains('\t'))
        changes << VerdictDiagnosisText::tr("line breaks or spaces");
    if (changes.isEmpty())
        return out;
    QByteArray repaired;
    repaired.reserve(trimmed.size());
    for (const char c : trimmed) {
        if (c == '=' || c == '\n' || c == '\r' || c == ' ' || c == '\t')
            continue;
        repaired += c == '+' ? '-' : c == '/' ? '_' : c;
    }
    auto token = parseStrict(repaired);
    if (!token)
        return out;
    const Verdict repairedVerdict = computeVerdict(*token, candidates, expectations);
    add(out, QStringLiteral("reencoded"),
        VerdictDiagnosisText::tr("the token was re-encoded on its way (%1); put back into base64url it reads as a "
                                 "token%2")
            .arg(changes.join(QStringLiteral(", ")),
                 repairedVerdict.signatureVerified() ? VerdictDiagnosisText::tr(" and its signature verifies")
                                                     : QString()));
    return out;
}

} // namespace jwti
