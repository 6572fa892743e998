#include "core/model/Verdict.h"

#include "core/crypto/Signature.h"
#include "core/jose/Algorithms.h"
#include "core/jose/Claims.h"
#include "core/jose/Json.h"
#include "core/jose/Wording.h"
#include "core/model/CheckNames.h"
#include "core/model/KeyCandidates.h"
#include "core/model/VerdictDiagnosis.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QRegularExpression>
#include <algorithm>
#include <array>
#include <span>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Verdict", for the messages here.
struct VerdictText
{
    Q_DECLARE_TR_FUNCTIONS(Verdict)
};

namespace {

using namespace checkname;

// A header parameter of signature index: the protected header first, then the JSON serialization's unprotected
// "header" (RFC 7515 §7.2.1: their union is the JOSE Header).
const JsonValue* headerMember(const Token& token, int index, QStringView name)
{
    if (const JsonValue* header = token.header(index)) {
        if (const JsonValue* value = header->member(name))
            return value;
    }
    if (index >= 0 && std::size_t(index) < token.signatures.size()) {
        const auto& unprotected = token.signatures[std::size_t(index)].unprotectedHeader;
        if (unprotected && unprotected->root && unprotected->root->isObject())
            return unprotected->root->member(name);
    }
    return nullptr;
}

QString headerString(const Token& token, int index, QStringView name)
{
    const JsonValue* value = headerMember(token, index, name);
    return value && value->isString() ? value->string : QString();
}

// RFC 7515 §4.1.11: "crit" lives in the protected header, is a non-empty array of names, and every name must be
// understood. The only extension we implement is RFC 7797 "b64", which must then be present (§6) and a boolean.
// Passed with a message when crit is present and understood; NotApplicable when there is none.
VerdictCheck checkCrit(const Token& token, int index, ErrorCode& code, bool explain)
{
    const JsonValue* header = token.header(index);
    const JsonValue* crit = header ? header->member(u"crit") : nullptr;
    const JsonValue* b64 = header ? header->member(u"b64") : nullptr;
    auto failed = [&code](ErrorCode failure, QString message) {
        code = failure;
        return VerdictCheck{kCrit, CheckState::Failed, std::move(message)};
    };
    if (!crit) {
        if (index >= 0 && std::size_t(index) < token.signatures.size()) {
            const auto& unprotected = token.signatures[std::size_t(index)].unprotectedHeader;
            if (unprotected && unprotected->root && unprotected->root->member(u"crit"))
                return failed(ErrorCode::CritUnsupported,
                              VerdictText::tr("\"crit\" must be in the protected header (RFC 7515 §4.1.11)"));
        }
        if (b64)
            return failed(ErrorCode::CritUnsupported,
                          VerdictText::tr("\"b64\" is used but not listed in \"crit\" (RFC 7797 §6)"));
        return {kCrit, CheckState::NotApplicable,
                explain ? VerdictText::tr("no \"crit\" header parameter") : QString()};
    }
    if (!crit->isArray() || crit->items.empty())
        return failed(ErrorCode::CritUnsupported,
                      VerdictText::tr("\"crit\" must be a non-empty array of names (RFC 7515 §4.1.11)"));
    bool listsB64 = false;
    for (const JsonValue& item : crit->items) {
        if (!item.isString())
            return failed(ErrorCode::CritUnsupported,
                          VerdictText::tr("\"crit\" must list header parameter names (RFC 7515 §4.1.11)"));
        if (item.string == QLatin1String("b64")) {
            listsB64 = true;
            continue;
        }
        return failed(ErrorCode::CritUnsupported,
                      VerdictText::tr("unsupported critical header parameter %1: the token must be rejected (RFC "
                                      "7515 §4.1.11)")
                          .arg(quoted(item.string)));
    }
    if (listsB64 && !b64)
        return failed(ErrorCode::CritUnsupported,
                      VerdictText::tr("\"crit\" lists \"b64\" but the header has no \"b64\" member (RFC 7515 "
                                      "§4.1.11)"));
    if (b64 && b64->kind != JsonValue::Kind::Bool)
        return failed(ErrorCode::HeaderInvalid, VerdictText::tr("\"b64\" must be true or false (RFC 7797 §3)"));
    if (b64 && !listsB64)
        return failed(ErrorCode::CritUnsupported,
                      VerdictText::tr("\"b64\" is used but not listed in \"crit\" (RFC 7797 §6)"));
    return {kCrit, CheckState::Passed,
            explain ? VerdictText::tr("\"crit\" lists only \"b64\", which is understood") : QString()};
}

// RFC 7519 §5.1 / RFC 7515 §4.1.9: typ is advisory, but when present it must be a string.
VerdictCheck checkTyp(const Token& token, int index, bool explain)
{
    const JsonValue* typ = headerMember(token, index, u"typ");
    if (!typ)
        return {kTyp, CheckState::NotApplicable, explain ? VerdictText::tr("no \"typ\" header parameter") : QString()};
    if (!typ->isString())
        return {kTyp, CheckState::Failed, VerdictText::tr("\"typ\" must be a string (RFC 7515 §4.1.9)")};
    return {kTyp, CheckState::Passed, explain ? VerdictText::tr("typ %1").arg(quoted(typ->string)) : QString()};
}

bool isUnsecuredAlg(const QString& alg)
{
    return alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0;
}

// Whether key is one this signature can be checked with at all (type, curve, JWK alg): a key that does not fit is
// never tried and never a failure. Weak or use-restricted keys of the right type fit (and then fail, with reason).
bool fits(const AlgInfo& alg, const Key& key, Error* why)
{
    const Result<void> fit = checkKeyFitsAlgForVerify(alg, key);
    if (fit)
        return true;
    if (fit.code() == ErrorCode::KeyWeak || fit.code() == ErrorCode::KeyUseForbidden)
        return true;
    if (why)
        *why = fit.error();
    return false;
}

// A stored key tried on the off chance must also fit the signature's size: an RSA key makes signatures exactly as
// long as its modulus, so a 4096-bit key is not a candidate for a 256-byte signature.
bool fitsSize(const AlgInfo& alg, const Key& key, qsizetype signatureBytes)
{
    if (alg.scheme == SignatureScheme::RsaPkcs1 || alg.scheme == SignatureScheme::RsaPss)
        return (key.bits() + 7) / 8 == signatureBytes;
    return true;
}

// Lower is better: a failure that reached the signature says more than one that never got there.
int failureRank(ErrorCode code)
{
    switch (code) {
    case ErrorCode::SignatureInvalid:
    case ErrorCode::SignatureMalformed:
        return 0;
    case ErrorCode::KeyWeak:
    case ErrorCode::KeyUseForbidden:
        return 1;
    default:
        return 2;
    }
}

SignatureVerdict judgeSignature(const Token& token, int index, const std::vector<Key>& candidates,
                                const Expectations& expectations, std::array<VerdictCheck, 4>& algChecks,
                                QStringList& notes)
{
    SignatureVerdict result;
    result.index = index;
    result.kid = headerString(token, index, u"kid");
    result.alg = headerString(token, index, u"alg");
    VerdictCheck algAllowed{kAlgAllowed, CheckState::NotChecked, {}};
    VerdictCheck keyFits{kKeyFits, CheckState::NotChecked, {}};
    ErrorCode critCode = ErrorCode::CritUnsupported;
    const bool explain = expectations.explain;
    VerdictCheck crit = checkCrit(token, index, critCode, explain);
    VerdictCheck typ = checkTyp(token, index, explain);
    auto finish = [&](VerdictOutcome outcome, ErrorCode code, QString message) {
        result.outcome = outcome;
        result.code = code;
        result.message = std::move(message);
        // Moved, not copied: every path returns what finish returns, and the checks and the result (with its key) are
        // made once per token in verify --batch.
        algChecks = {std::move(algAllowed), std::move(keyFits), std::move(crit), std::move(typ)};
        return std::move(result);
    };

    const JsonValue* algValue = headerMember(token, index, u"alg");
    if (!algValue || !algValue->isString()) {
        algAllowed = {kAlgAllowed, CheckState::Failed, VerdictText::tr("the header has no \"alg\" string")};
        return finish(VerdictOutcome::Malformed, ErrorCode::HeaderInvalid,
                      VerdictText::tr("the header has no \"alg\" string (RFC 7515 §4.1.1)"));
    }
    // RFC 8725 §3.1: an unsecured JWS is never accepted, whatever the spelling.
    if (isUnsecuredAlg(result.alg)) {
        algAllowed
            = {kAlgAllowed, CheckState::Failed,
               VerdictText::tr("alg %1 is an unsecured JWS: never accepted (RFC 8725 §3.1)").arg(quoted(result.alg))};
        keyFits = {kKeyFits, CheckState::NotApplicable, VerdictText::tr("an unsecured JWS uses no key")};
        return finish(VerdictOutcome::Unsecured, ErrorCode::AlgNone,
                      VerdictText::tr("Unsecured token (alg %1): nothing to verify").arg(result.alg));
    }
    const AlgInfo* alg = findAlg(result.alg);
    if (!alg) {
        algAllowed = {kAlgAllowed, CheckState::Failed, VerdictText::tr("unknown alg %1").arg(quoted(result.alg))};
        return finish(VerdictOutcome::Invalid, ErrorCode::AlgUnknown,
                      VerdictText::tr("unknown alg %1").arg(quoted(result.alg)));
    }
    if (!expectations.alg.isEmpty() && expectations.alg != result.alg) {
        const QString message = VerdictText::tr("the header says alg %1 but %2 was required")
                                    .arg(quoted(result.alg), quoted(expectations.alg));
        algAllowed = {kAlgAllowed, CheckState::Failed, message};
        return finish(VerdictOutcome::Invalid, ErrorCode::AlgMismatch, message);
    }
    if (!expectations.allowedAlgs.isEmpty() && !expectations.allowedAlgs.contains(result.alg)) {
        const QString message = VerdictText::tr("alg %1 is not among the allowed algs (%2)")
                                    .arg(quoted(result.alg), expectations.allowedAlgs.join(QStringLiteral(", ")));
        algAllowed = {kAlgAllowed, CheckState::Failed, message};
        return finish(VerdictOutcome::Invalid, ErrorCode::AlgNotAllowed, message);
    }
    algAllowed = {kAlgAllowed, CheckState::Passed,
                  !explain ? QString()
                      : expectations.alg.isEmpty() && expectations.allowedAlgs.isEmpty()
                      ? VerdictText::tr("%1 is a signature alg (none is never accepted)").arg(result.alg)
                      : VerdictText::tr("%1 is allowed").arg(result.alg)};
    if (crit.state == CheckState::Failed)
        return finish(VerdictOutcome::Invalid, critCode, crit.message);
    if (typ.state == CheckState::Failed)
        return finish(VerdictOutcome::Invalid, ErrorCode::HeaderInvalid, typ.message);

    // Which keys: the rule verify and decrypt share (KeyCandidates.h). A stored key tried on the off chance must
    // also fit the signature's size.
    const QByteArray& signature = token.signatures[std::size_t(index)].signature.decoded.bytes;
    const CandidatePick pick
        = pickCandidates(candidates, result.kid, expectations.kid, [&](const Key& key, bool decisive, Error* why) {
              return fits(*alg, key, why) && (decisive || fitsSize(*alg, key, signature.size()));
          });
    const QString& wantedKid = pick.wantedKid;
    const std::vector<CandidateKey>& keys = pick.keys;
    const int unfit = pick.unfit;
    const Error& unfitReason = pick.unfitReason;
    const bool userKeyUnfit = pick.unfitKey != nullptr;
    const Key* unfitKey = pick.unfitKey;
    const Key* otherKidKey = pick.otherKidKey;
    const bool anyWithKid = pick.anyWithKid;
    const bool allStored = pick.allStored;
    if (explain) {
        if (const QString note = kidNote(pick, expectations.kid, !candidates.empty()); !note.isEmpty())
            notes << note;
    }

    // The user's own key could not be read: that, not "no key given", is why nothing decided.
    const QString unusable = expectations.unusableKey.isEmpty()
        ? QString()
        : VerdictText::tr("the key given is not usable: %1").arg(expectations.unusableKey);
    if (keys.empty()) {
        if (!unusable.isEmpty() && !userKeyUnfit) {
            keyFits = {kKeyFits, CheckState::Failed, unusable};
            return finish(VerdictOutcome::NotVerified, ErrorCode::KeyInvalid, unusable);
        }
        if (candidates.empty()) {
            keyFits = {kKeyFits, CheckState::NotChecked, VerdictText::tr("no key given")};
            return finish(VerdictOutcome::NotVerified, ErrorCode::KeyNotFound, VerdictText::tr("no key given"));
        }
        if (!wantedKid.isEmpty() && !anyWithKid && !userKeyUnfit) {
            if (otherKidKey)
                result.key = *otherKidKey;
            const QString message = VerdictText::tr("no key with kid %1").arg(quoted(wantedKid));
            keyFits = {kKeyFits, CheckState::NotChecked, message};
            return finish(VerdictOutcome::NotVerified, ErrorCode::KeyNotFound, message);
        }
        if (userKeyUnfit) {
            result.key = *unfitKey;
            // The key the user named cannot check this alg: say so, but it proves nothing about the token.
            keyFits = {kKeyFits, CheckState::Failed, unfitReason.message};
            return finish(VerdictOutcome::NotVerified, unfitReason.code,
                          VerdictText::tr("the key given does not fit %1: %2").arg(result.alg, unfitReason.message));
        }
        const QString message = unfit > 0
            ? (allStored
                   ? plural(unfit, VerdictText::tr("the stored key does not fit %1").arg(result.alg),
                            VerdictText::tr("none of the %1 stored keys fits %2").arg(QStringLiteral("%1"), result.alg))
                   : plural(unfit, VerdictText::tr("the key given does not fit %1").arg(result.alg),
                            VerdictText::tr("none of the %1 keys given fits %2").arg(QStringLiteral("%1"), result.alg)))
            : (allStored ? VerdictText::tr("no stored key fits %1") : VerdictText::tr("no key given fits %1"))
                  .arg(result.alg);
        keyFits = {kKeyFits, CheckState::NotChecked, message};
        return finish(VerdictOutcome::NotVerified, ErrorCode::KeyNotFound, message);
    }

    QByteArray signingInputStorage;
    const QByteArrayView signingInput
        = token.signingInputView(index, expectations.detachedPayload.value_or(QByteArray()), signingInputStorage);
    std::optional<Error> decisiveFailure;
    const Key* decisiveKey = nullptr;
    std::optional<Error> triedFailure;
    const Key* triedKey = nullptr;
    for (const CandidateKey& candidate : keys) {
        ++result.keysTried;
        auto verified = verifyBytes(*alg, *candidate.key, signingInput, signature);
        if (verified) {
            result.key = *candidate.key;
            // Only a verdict that is read needs the words; verify --batch without --json only prints "valid".
            const QString label = explain ? keyLabel(*candidate.key) : QString();
            keyFits = {kKeyFits, CheckState::Passed,
                       explain ? VerdictText::tr("%1 fits %2").arg(label, result.alg) : QString()};
            return finish(VerdictOutcome::Valid, ErrorCode::SignatureInvalid,
                          explain ? VerdictText::tr("Signature verified with key %1").arg(label) : QString());
        }
        std::optional<Error>& slot = candidate.decisive ? decisiveFailure : triedFailure;
        const Key*& slotKey = candidate.decisive ? decisiveKey : triedKey;
        if (!slot || failureRank(verified.code()) < failureRank(slot->code)) {
            slot = verified.error();
            slotKey = candidate.key;
        }
    }
    if (decisiveFailure) {
        result.key = *decisiveKey;
        const bool keyRefused = decisiveFailure->code == ErrorCode::KeyWeak
            || decisiveFailure->code == ErrorCode::KeyUseForbidden || decisiveFailure->code == ErrorCode::KeyInvalid;
        keyFits = {kKeyFits, keyRefused ? CheckState::Failed : CheckState::Passed,
                   keyRefused ? decisiveFailure->message
                              : VerdictText::tr("%1 fits %2").arg(keyLabel(*decisiveKey), result.alg)};
        QString message = decisiveFailure->message;
        if (decisiveFailure->code == ErrorCode::SignatureInvalid)
            message = VerdictText::tr("the %1 signature does not verify with key %2")
                          .arg(result.alg, keyLabel(*decisiveKey));
        else if (!keyRefused)
            message = VerdictText::tr("%1; key %2").arg(message, keyLabel(*decisiveKey));
        return finish(VerdictOutcome::Invalid, decisiveFailure->code, message);
    }
    // Only stored keys tried on the off chance: their failure asserts nothing about the token.
    result.key = *triedKey;
    keyFits = {kKeyFits, CheckState::Passed,
               plural(result.keysTried, VerdictText::tr("1 stored key fits %1").arg(result.alg),
                      VerdictText::tr("%1 stored keys fit %2").arg(QStringLiteral("%1"), result.alg))};
    const QString message = plural(result.keysTried, VerdictText::tr("the 1 stored key that fits does not verify it"),
                                   VerdictText::tr("none of the %1 stored keys that fit verifies it"));
    if (!unusable.isEmpty()) {
        keyFits = {kKeyFits, CheckState::Failed, unusable};
        notes << VerdictText::tr("Also tried: %1").arg(message);
        return finish(VerdictOutcome::NotVerified, ErrorCode::KeyInvalid, unusable);
    }
    return finish(VerdictOutcome::NotVerified, triedFailure->code, message);
}

QString minuteUtc(qint64 seconds)
{
    return QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

// The claim checks: exp, nbf, iat, aud, iss, each with a state, appended to checks; nothing here needs a key.
void judgeClaims(const JsonValue* claims, const Expectations& expectations, std::optional<ClaimCheck>& firstFailure,
                 std::vector<VerdictCheck>& checks)
{
    const QString names[] = {kExp, kNbf, kIat, kAud, kIss};
    if (!expectations.checkClaims) {
        for (const QString& name : names)
            checks.push_back({name, CheckState::NotChecked, VerdictText::tr("claims checks were turned off")});
        return;
    }
    if (!claims || !claims->isObject()) {
        for (const QString& name : names)
            checks.push_back({name, CheckState::NotApplicable, VerdictText::tr("the payload is not a JSON object")});
        return;
    }
    std::vector<ClaimCheck> results;
    if (expectations.explain) {
        results = checkClaims(*claims, expectations.claims);
    } else {
        ClaimsPolicy policy = expectations.claims;
        policy.explainPassed = false;
        results = checkClaims(*claims, policy);
    }
    for (const QString& name : names) {
        const auto found = std::find_if(results.begin(), results.end(),
                                        [&name](const ClaimCheck& check) { return check.claim == name; });
        if (found != results.end()) {
            if (!found->passed && !firstFailure)
                firstFailure = *found;
            checks.push_back({name, found->passed ? CheckState::Passed : CheckState::Failed, found->message});
            continue;
        }
        if (!expectations.explain) {
            checks.push_back({name,
                              claims->member(name) && (name == kAud || name == kIss) ? CheckState::NotChecked
                                                                                     : CheckState::NotApplicable,
                              QString()});
            continue;
        }
        const JsonValue* value = claims->member(name);
        if (name == kAud && value)
            checks.push_back({name, CheckState::NotChecked,
                              VerdictText::tr("the token names the audience %1 and no audience was expected")
                                  .arg(QString::fromUtf8(value->toCompactJson()))});
        else if (name == kIss && value)
            checks.push_back({name, CheckState::NotChecked,
                              VerdictText::tr("the token names the issuer %1 and no issuer was expected")
                                  .arg(QString::fromUtf8(value->toCompactJson()))});
        else
            checks.push_back({name, CheckState::NotApplicable, VerdictText::tr("no \"%1\" claim").arg(name)});
    }
}

// The decisive headline reason for a failed claim: for exp, "expired 2 h ago (exp 2026-12-06 18:01 UTC)".
QString claimReason(const ClaimCheck& failure, const JsonValue* claims, const ClaimsPolicy& policy)
{
    if (failure.code == ErrorCode::Expired) {
        if (auto exp = numericDateSeconds(claims ? claims->member(kExp) : nullptr))
            return VerdictText::tr("%1 (exp %2)")
                .arg(describeTime(ClaimTimeKind::Expiration, *exp, policy.now), minuteUtc(*exp));
    }
    if (failure.code == ErrorCode::NotYetValid) {
        if (auto nbf = numericDateSeconds(claims ? claims->member(kNbf) : nullptr))
            return VerdictText::tr("not valid before %1 (nbf %2)")
                .arg(formatRelative(*nbf, policy.now), minuteUtc(*nbf));
    }
    return failure.message;
}

// "Malformed: character 5: …" rather than "Malformed: malformed token: character 5: …": the parser's messages name
// the problem for a reader who has no headline, the headline already says it.
QString malformedHeadline(const QString& reason)
{
    static const QString prefix = QStringLiteral("malformed token: ");
    const QString rest = reason.startsWith(prefix, Qt::CaseInsensitive) ? reason.mid(prefix.size()) : reason;
    return VerdictText::tr("Malformed: %1").arg(rest);
}

Verdict malformed(ErrorCode code, const QString& reason)
{
    Verdict verdict;
    verdict.outcome = VerdictOutcome::Malformed;
    verdict.code = code;
    verdict.reason = reason;
    verdict.headline = malformedHeadline(reason);
    for (const QString& name : {kSignature, kAlgAllowed, kKeyFits, kExp, kNbf, kIat, kAud, kIss, kCrit, kTyp})
        verdict.checks.push_back({name, CheckState::NotChecked, VerdictText::tr("the token cannot be read")});
    return verdict;
}

// The parser's own place prefix ("character 0: "), counted from 0 for scripts; a headline gives its own place.
QString withoutPlace(QString reason)
{
    static const QRegularExpression leadingPlace(QStringLiteral("^character \\d+: "));
    return reason.remove(leadingPlace);
}

// One headline for a token that cannot be read, with its place counted from 1 in the text as the user gave it
// (paste noise included), as every view a person reads counts. Text without a single dot is no JWT at all.
Verdict malformedAt(const Token& token, const TokenError& error)
{
    Verdict verdict = malformed(error.code, error.message);
    const QString why = withoutPlace(error.reason);
    if (error.segment < 0 && !token.text.contains('.')) {
        verdict.headline = VerdictText::tr("This is not a JWT: %1").arg(why);
        return verdict;
    }
    const qsizetype character = token.inputOffset(error.range.begin) + 1;
    verdict.headline = error.segment >= 0 && size_t(error.segment) < token.segments.size()
        ? VerdictText::tr("Malformed: %1, character %2: %3")
              .arg(segmentRoleName(token.segments[size_t(error.segment)].role))
              .arg(character)
              .arg(why)
        : VerdictText::tr("Malformed: character %1: %2").arg(character).arg(why);
    return verdict;
}

// The parser counts characters from 0 (its messages serve scripts and tests); a headline is read by a person, and
// every view a person reads counts from 1.
QString countedFromOne(const QString& message)
{
    static const QRegularExpression place(QStringLiteral("character (\\d+)"));
    QString out;
    qsizetype copied = 0;
    for (auto match = place.globalMatch(message); match.hasNext();) {
        const QRegularExpressionMatch found = match.next();
        out += message.mid(copied, found.capturedStart(1) - copied);
        out += QString::number(found.captured(1).toLongLong() + 1);
        copied = found.capturedEnd(1);
    }
    return out + message.mid(copied);
}

} // namespace

bool Verdict::signatureVerified() const
{
    return std::any_of(signatures.begin(), signatures.end(),
                       [](const SignatureVerdict& s) { return s.outcome == VerdictOutcome::Valid; });
}

const VerdictCheck* Verdict::check(QStringView name) const
{
    for (const VerdictCheck& entry : checks) {
        if (entry.name == name)
            return &entry;
    }
    return nullptr;
}

const SignatureVerdict* Verdict::decisiveSignature() const
{
    if (signatures.empty())
        return nullptr;
    for (const SignatureVerdict& s : signatures) {
        if (s.outcome == VerdictOutcome::Valid && outcome != VerdictOutcome::Invalid)
            return &s;
    }
    for (const SignatureVerdict& s : signatures) {
        if (s.outcome == VerdictOutcome::Invalid || s.outcome == VerdictOutcome::Unsecured
            || s.outcome == VerdictOutcome::Malformed)
            return &s;
    }
    for (const SignatureVerdict& s : signatures) {
        if (s.outcome == VerdictOutcome::Valid)
            return &s;
    }
    return &signatures.front();
}

Verdict computeVerdict(const Token& token, const std::vector<Key>& candidates, const Expectations& expectations)
{
    if (!token.errors.empty())
        return malformedAt(token, token.errors.front());
    switch (token.kind) {
    case TokenKind::Empty:
        return malformed(ErrorCode::MalformedToken, VerdictText::tr("empty token"));
    case TokenKind::Malformed:
        return malformed(ErrorCode::MalformedToken, VerdictText::tr("not a JWS: expected header.payload.signature"));
    case TokenKind::Jwe: {
        Verdict verdict = malformed(
            ErrorCode::AlgNotAllowed,
            VerdictText::tr("a JWE is encrypted, not signed: decrypt it to read and verify what is inside"));
        verdict.outcome = VerdictOutcome::NotVerified;
        verdict.headline = VerdictText::tr("Not verified: %1").arg(verdict.reason);
        return verdict;
    }
    case TokenKind::Unsecured:
    case TokenKind::Jws:
    case TokenKind::JwsJsonFlattened:
    case TokenKind::JwsJsonGeneral:
        break;
    }
    if (token.signatures.empty())
        return malformed(ErrorCode::MalformedToken, VerdictText::tr("the token has no signature"));
    if (expectations.detachedPayload && !token.payloadDetached)
        return malformed(ErrorCode::Usage,
                         VerdictText::tr("a payload was supplied but the token carries its own "
                                         "(only an empty payload segment is detached)"));

    Verdict verdict;
    // Each signature's alg-allowed, key-fits, crit and typ checks; the decisive signature's go into the verdict.
    std::vector<std::array<VerdictCheck, 4>> algChecksOf(token.signatures.size());
    verdict.signatures.reserve(token.signatures.size());
    int decisiveIndex = -1;
    for (int i = 0; i < int(token.signatures.size()); ++i) {
        verdict.signatures.push_back(
            judgeSignature(token, i, candidates, expectations, algChecksOf[std::size_t(i)], verdict.notes));
        const VerdictOutcome outcome = verdict.signatures.back().outcome;
        if (decisiveIndex < 0 && outcome == VerdictOutcome::Valid)
            decisiveIndex = i;
        if (outcome == VerdictOutcome::Invalid || outcome == VerdictOutcome::Malformed
            || (outcome == VerdictOutcome::Unsecured && token.signatures.size() > 1)) {
            if (decisiveIndex < 0 || verdict.signatures[std::size_t(decisiveIndex)].outcome == VerdictOutcome::Valid)
                decisiveIndex = i;
        }
    }
    verdict.notes.removeDuplicates();
    if (decisiveIndex < 0)
        decisiveIndex = 0;
    std::array<VerdictCheck, 4>& decisiveAlgChecks = algChecksOf[std::size_t(decisiveIndex)];
    const SignatureVerdict& decisive = verdict.signatures[std::size_t(decisiveIndex)];
    const bool several = verdict.signatures.size() > 1;
    auto signaturePrefix = [several](const SignatureVerdict& s) {
        return several ? VerdictText::tr("signature %1: ").arg(s.index + 1) : QString();
    };

    // The claims: of the supplied payload when detached, else of the token's payload.
    const JsonValue* claims = token.claims();
    std::optional<JsonDocument> detachedJson;
    if (expectations.detachedPayload) {
        claims = nullptr;
        if (expectations.detachedPayload->startsWith('{')) {
            detachedJson = parseJson(*expectations.detachedPayload);
            if (!detachedJson->ok() || !detachedJson->root->isObject())
                return malformed(ErrorCode::PayloadInvalid,
                                 VerdictText::tr("the payload starts with \"{\" but is not one JSON object: %1")
                                     .arg(detachedJson->error ? detachedJson->error->message : QString()));
            claims = &*detachedJson->root;
        }
    }
    std::optional<ClaimCheck> claimFailure;

    // The signature check, then alg-allowed and key-fits, the claims, crit and typ: the order of Verdict.h.
    VerdictCheck signature{kSignature, CheckState::NotChecked, {}};
    switch (decisive.outcome) {
    case VerdictOutcome::Valid:
        signature.state = CheckState::Passed;
        break;
    case VerdictOutcome::Invalid:
    case VerdictOutcome::Unsecured:
    case VerdictOutcome::Malformed:
        signature.state = CheckState::Failed;
        break;
    case VerdictOutcome::NotVerified:
        signature.state = CheckState::NotChecked;
        break;
    }
    signature.message = signaturePrefix(decisive) + decisive.message;
    verdict.checks.reserve(10);
    verdict.checks.push_back(std::move(signature));
    verdict.checks.push_back(std::move(decisiveAlgChecks[0]));
    verdict.checks.push_back(std::move(decisiveAlgChecks[1]));
    const std::size_t firstClaimCheck = verdict.checks.size();
    judgeClaims(claims, expectations, claimFailure, verdict.checks);
    const std::size_t claimCheckCount = verdict.checks.size() - firstClaimCheck;
    verdict.checks.push_back(std::move(decisiveAlgChecks[2]));
    verdict.checks.push_back(std::move(decisiveAlgChecks[3]));
    const auto claimChecks = std::span<const VerdictCheck>(verdict.checks).subspan(firstClaimCheck, claimCheckCount);

    if (decisive.outcome == VerdictOutcome::Valid)
        verdict.key = decisive.key;
    if (decisive.outcome == VerdictOutcome::Valid && expectations.explain) {
        verdict.keyDescription = keyLabel(*decisive.key);
        verdict.keyProvenance = describeProvenance(decisive.key->metadata.provenance);
    }

    const QString decisiveReason = signaturePrefix(decisive) + decisive.message;
    switch (decisive.outcome) {
    case VerdictOutcome::Valid:
        if (claimFailure) {
            verdict.outcome = VerdictOutcome::Invalid;
            verdict.code = claimFailure->code;
            verdict.reason = claimReason(*claimFailure, claims, expectations.claims);
            verdict.headline = VerdictText::tr("Invalid: %1").arg(verdict.reason);
        } else {
            verdict.outcome = VerdictOutcome::Valid;
            verdict.code = ErrorCode::SignatureInvalid;
            verdict.reason = decisiveReason;
            if (!expectations.explain)
                break;
            QStringList unchecked;
            for (const VerdictCheck& check : claimChecks) {
                if (check.state == CheckState::NotChecked)
                    unchecked << check.name;
            }
            QString headline = VerdictText::tr("Valid: signature verified with %1, %2")
                                   .arg(verdict.keyDescription, verdict.keyProvenance);
            if (several)
                headline = VerdictText::tr("Valid: signature %1 of %2 verified with %3, %4")
                               .arg(decisive.index + 1)
                               .arg(verdict.signatures.size())
                               .arg(verdict.keyDescription, verdict.keyProvenance);
            if (!unchecked.isEmpty())
                headline += VerdictText::tr("; not checked: %1").arg(unchecked.join(QStringLiteral(", ")));
            verdict.headline = headline;
        }
        break;
    case VerdictOutcome::Invalid:
        verdict.outcome = VerdictOutcome::Invalid;
        verdict.code = decisive.code;
        verdict.reason = decisiveReason;
        verdict.headline = VerdictText::tr("Invalid: %1").arg(decisiveReason);
        break;
    case VerdictOutcome::Unsecured:
        verdict.code = ErrorCode::AlgNone;
        verdict.reason = decisiveReason;
        if (several) {
            verdict.outcome = VerdictOutcome::Invalid;
            verdict.headline = VerdictText::tr("Invalid: %1").arg(decisiveReason);
        } else {
            verdict.outcome = VerdictOutcome::Unsecured;
            // The most important thing to say about such a token, said plainly (RFC 8725 §3.1).
            verdict.headline = VerdictText::tr("Unsecured: alg %1 — anyone can write this token; it never verifies")
                                   .arg(decisive.alg);
        }
        break;
    case VerdictOutcome::Malformed:
        verdict.outcome = VerdictOutcome::Malformed;
        verdict.code = decisive.code;
        verdict.reason = decisiveReason;
        verdict.headline = malformedHeadline(decisiveReason);
        break;
    case VerdictOutcome::NotVerified:
        verdict.outcome = VerdictOutcome::NotVerified;
        verdict.code = decisive.code;
        verdict.reason = decisiveReason;
        verdict.headline = VerdictText::tr("Not verified: %1").arg(decisiveReason);
        break;
    }
    if (expectations.diagnose && verdict.outcome != VerdictOutcome::Valid)
        verdict.diagnosis = diagnoseFailure(token, candidates, expectations, verdict);
    return verdict;
}

Verdict computeVerdict(QByteArrayView text, const std::vector<Key>& candidates, const Expectations& expectations)
{
    // The verdict never shows a place in the text as typed: the display-only mapping is not built.
    auto token = parseStrict(text.trimmed(), TokenDetail::ForVerdict);
    if (!token) {
        Verdict verdict = malformed(token.code(), token.message());
        verdict.headline = malformedHeadline(countedFromOne(token.message()));
        if (expectations.diagnose)
            verdict.diagnosis = diagnoseUnreadable(text, candidates, expectations);
        // Text with no dot, or a key or certificate, is no JWT at all: said first, in so many words.
        const auto notAToken = std::find_if(verdict.diagnosis.begin(), verdict.diagnosis.end(),
                                            [](const Diagnosis& d) { return d.code == QLatin1String("not-a-token"); });
        if (notAToken != verdict.diagnosis.end())
            verdict.headline = VerdictText::tr("This is not a JWT: %1").arg(notAToken->message);
        else if (!text.trimmed().contains('.'))
            verdict.headline = VerdictText::tr("This is not a JWT: it has no dots, and a JWT is three base64url parts "
                                               "joined by two dots (header.payload.signature)");
        return verdict;
    }
    return computeVerdict(*token, candidates, expectations);
}

VerifyResult verifyResultOf(const Verdict& verdict)
{
    VerifyResult result;
    result.valid = verdict.isValid();
    result.code = verdict.code;
    result.reason = verdict.reason;
    for (const SignatureVerdict& signature : verdict.signatures) {
        SignatureCheck check;
        check.signatureIndex = signature.index;
        check.valid = signature.outcome == VerdictOutcome::Valid;
        check.code = signature.code;
        check.message = signature.message;
        check.alg = signature.alg;
        check.key = signature.key;
        result.signatures.push_back(std::move(check));
    }
    bool decisiveClaimSeen = false;
    for (const VerdictCheck& check : verdict.checks) {
        if (check.name != QLatin1String("exp") && check.name != QLatin1String("nbf")
            && check.name != QLatin1String("iat") && check.name != QLatin1String("aud")
            && check.name != QLatin1String("iss"))
            continue;
        if (check.state != CheckState::Passed && check.state != CheckState::Failed)
            continue;
        ClaimCheck claim;
        claim.claim = check.name;
        claim.passed = check.state == CheckState::Passed;
        claim.message = check.message;
        if (!claim.passed && !decisiveClaimSeen) {
            decisiveClaimSeen = true;
            claim.code = verdict.code;
        }
        result.claims.push_back(std::move(claim));
    }
    return result;
}

QString outcomeName(VerdictOutcome outcome)
{
    switch (outcome) {
    case VerdictOutcome::Valid:
        return QStringLiteral("valid");
    case VerdictOutcome::Invalid:
        return QStringLiteral("invalid");
    case VerdictOutcome::NotVerified:
        return QStringLiteral("not-verified");
    case VerdictOutcome::Unsecured:
        return QStringLiteral("unsecured");
    case VerdictOutcome::Malformed:
        return QStringLiteral("malformed");
    }
    return {};
}

QString checkStateName(CheckState state)
{
    switch (state) {
    case CheckState::Passed:
        return QStringLiteral("passed");
    case CheckState::Failed:
        return QStringLiteral("failed");
    case CheckState::NotChecked:
        return QStringLiteral("not-checked");
    case CheckState::NotApplicable:
        return QStringLiteral("not-applicable");
    }
    return {};
}

QString describeProvenance(const KeyProvenance& provenance)
{
    switch (provenance.kind) {
    case KeyProvenance::Kind::Typed:
        return VerdictText::tr("typed here");
    case KeyProvenance::Kind::File:
        return provenance.file.isEmpty() ? VerdictText::tr("a file") : VerdictText::tr("file %1").arg(provenance.file);
    case KeyProvenance::Kind::Keychain: {
        QString text
            = VerdictText::tr("keychain set %1, key %2")
                  .arg(provenance.keySet, provenance.keyName.isEmpty() ? provenance.keyId : provenance.keyName);
        if (!provenance.status.isEmpty())
            text += QStringLiteral(" (%1)").arg(provenance.status);
        return text;
    }
    case KeyProvenance::Kind::RemoteJwks: {
        QString text = VerdictText::tr("JWKS of %1").arg(provenance.url);
        if (provenance.fetched.isValid())
            text += VerdictText::tr(" fetched %1").arg(minuteUtc(provenance.fetched.toSecsSinceEpoch()));
        if (!provenance.status.isEmpty())
            text += QStringLiteral(" (%1)").arg(provenance.status);
        return text;
    }
    }
    return {};
}

QString keyLabel(const Key& key)
{
    if (!key.metadata.kid.isEmpty())
        return VerdictText::tr("kid=%1 (%2)").arg(key.metadata.kid, key.description());
    return key.description();
}

namespace {

// JSON string with every control and bidirectional character \u-escaped, so the output is safe on a terminal.
QByteArray safeJsonString(const QString& text)
{
    QByteArray out = "\"";
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == '"' || u == '\\') {
            out += '\\';
            out += char(u);
        } else if (u < 0x20 || (u >= 0x7f && u <= 0x9f) || (u >= 0x200e && u <= 0x200f) || (u >= 0x202a && u <= 0x202e)
                   || (u >= 0x2066 && u <= 0x2069) || u == 0x061c) {
            out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0')).toLatin1();
        } else {
            out += QString(c).toUtf8();
        }
    }
    out += '"';
    return out;
}

} // namespace

QByteArray verdictToJson(const Verdict& verdict)
{
    QByteArray json = "{\"valid\":";
    json += verdict.isValid() ? "true" : "false";
    json += ",\"outcome\":" + safeJsonString(outcomeName(verdict.outcome));
    json += ",\"headline\":" + safeJsonString(verdict.headline);
    json += ",\"reason\":" + safeJsonString(verdict.isValid() ? QString() : verdict.reason);
    json += ",\"code\":" + (verdict.isValid() ? QByteArray("null") : safeJsonString(errorCodeName(verdict.code)));
    json += ",\"key\":";
    if (verdict.key)
        json += "{\"description\":" + safeJsonString(verdict.keyDescription)
            + ",\"kid\":" + safeJsonString(verdict.key->metadata.kid)
            + ",\"provenance\":" + safeJsonString(verdict.keyProvenance) + '}';
    else
        json += "null";
    json += ",\"checks\":[";
    for (std::size_t i = 0; i < verdict.checks.size(); ++i) {
        const VerdictCheck& check = verdict.checks[i];
        if (i)
            json += ',';
        json += "{\"name\":" + safeJsonString(check.name) + ",\"state\":" + safeJsonString(checkStateName(check.state))
            + ",\"message\":" + safeJsonString(check.message) + '}';
    }
    json += "],\"signatures\":[";
    for (std::size_t i = 0; i < verdict.signatures.size(); ++i) {
        const SignatureVerdict& s = verdict.signatures[i];
        if (i)
            json += ',';
        json += "{\"index\":" + QByteArray::number(s.index) + ",\"kid\":" + safeJsonString(s.kid)
            + ",\"alg\":" + safeJsonString(s.alg) + ",\"outcome\":" + safeJsonString(outcomeName(s.outcome))
            + ",\"message\":" + safeJsonString(s.message) + '}';
    }
    json += "],\"diagnosis\":[";
    for (std::size_t i = 0; i < verdict.diagnosis.size(); ++i) {
        if (i)
            json += ',';
        json += "{\"code\":" + safeJsonString(verdict.diagnosis[i].code)
            + ",\"message\":" + safeJsonString(verdict.diagnosis[i].message) + '}';
    }
    json += "],\"notes\":[";
    for (qsizetype i = 0; i < verdict.notes.size(); ++i) {
        if (i)
            json += ',';
        json += safeJsonString(verdict.notes[i]);
    }
    json += "]}";
    return json;
}

} // namespace jwti
