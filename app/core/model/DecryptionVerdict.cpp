#include "core/model/DecryptionVerdict.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/DecryptionWalkthrough.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Wording.h"
#include "core/model/CheckNames.h"
#include "core/model/KeyCandidates.h"

#include <QCoreApplication>
#include <algorithm>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "DecryptionVerdict", for the messages here.
struct DecryptionVerdictText
{
    Q_DECLARE_TR_FUNCTIONS(DecryptionVerdict)
};

namespace {

using namespace checkname;

// A failure that is the token's own (a header parameter out of bounds, an ephemeral key off its curve, a zip past
// the cap) makes the token fail whichever key met it: no other key would fare better.
bool isTokenFault(ErrorCode code)
{
    return code == ErrorCode::HeaderInvalid || code == ErrorCode::KeyInvalid || code == ErrorCode::PayloadInvalid;
}

// Lower is better: a failure that reached the ciphertext says more than one that never got there.
int failureRank(ErrorCode code)
{
    if (isTokenFault(code))
        return 0;
    switch (code) {
    case ErrorCode::DecryptionFailed:
        return 1;
    case ErrorCode::KeyWeak:
    case ErrorCode::KeyUseForbidden:
        return 2;
    default:
        return 3;
    }
}

// Which check a walk-through step belongs to: the CEK's recovery, the tag, or the plaintext's inflation.
QString checkOfStep(const QString& stepId)
{
    if (stepId == QLatin1String("hmac") || stepId == QLatin1String("tag-compare") || stepId == QLatin1String("gcm-tag")
        || stepId == QLatin1String("cbc-keys") || stepId == QLatin1String("plaintext"))
        return kTag;
    if (stepId == QLatin1String("inflate"))
        return kZip;
    return kKeyManagement;
}

// A JWE holding recipient r alone, so one key is tried on exactly one recipient (the AAD does not depend on the
// recipients, RFC 7516 §5.1 step 14).
Jwe onlyRecipient(const Jwe& jwe, int r)
{
    Jwe single = jwe;
    single.recipients = {jwe.recipients[std::size_t(r)]};
    return single;
}

QString howCekIsRecovered(const KeyManagementInfo& alg)
{
    switch (alg.mode) {
    case KeyManagementMode::Direct:
        return DecryptionVerdictText::tr("dir: the key is the CEK (RFC 7518 §4.5)");
    case KeyManagementMode::EcdhEs:
        return DecryptionVerdictText::tr("CEK agreed by ECDH-ES with the Concat KDF (RFC 7518 §4.6)");
    case KeyManagementMode::EcdhEsKeyWrap:
        return DecryptionVerdictText::tr("key agreed by ECDH-ES, CEK unwrapped with it (RFC 7518 §4.6)");
    case KeyManagementMode::Pbes2:
        return DecryptionVerdictText::tr("key derived by PBKDF2 from the password, CEK unwrapped with it (RFC 7518 "
                                         "§4.8)");
    case KeyManagementMode::AesGcmKeyWrap:
        return DecryptionVerdictText::tr("CEK unwrapped with AES-GCM (RFC 7518 §4.7)");
    case KeyManagementMode::AesKeyWrap:
        return DecryptionVerdictText::tr("CEK unwrapped with AES Key Wrap (RFC 7518 §4.4)");
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1:
        return DecryptionVerdictText::tr("CEK decrypted with the RSA private key (%1)")
            .arg(QString::fromUtf8(alg.rfcSection));
    }
    return {};
}

// A decrypted plaintext that is itself a token: "cty": "JWT" says so (RFC 7519 §5.2); printable text that reads as
// a JWS or JWE without it is recognised too.
NestedKind nestedKindOf(const QByteArray& plaintext, const QString& cty, std::optional<Token>& inner)
{
    const bool printable = !plaintext.isEmpty() && std::all_of(plaintext.begin(), plaintext.end(), [](char c) {
        return (c > 0x20 && c < 0x7f) || c == '\n' || c == '\r' || c == ' ' || c == '\t';
    });
    const bool saysJwt = cty.compare(QLatin1String("JWT"), Qt::CaseInsensitive) == 0;
    if (!printable && !saysJwt)
        return NestedKind::None;
    Token token = decodeUnverified(QString::fromUtf8(plaintext));
    if (token.kind == TokenKind::Malformed || token.kind == TokenKind::Empty)
        return NestedKind::None;
    // A JSON object that only happens to parse is a claims set, not a token: decodeUnverified says JWS only for
    // the dotted or the JSON serializations.
    const NestedKind kind = token.kind == TokenKind::Jwe ? NestedKind::Jwe : NestedKind::Jws;
    inner = std::move(token);
    return kind;
}

// keyLabel() with the words of JWE for a secret: an AES key, a dir key or a password, never an "HMAC secret".
QString decryptionKeyLabel(const Key& key, const QString& algName)
{
    const KeyManagementInfo* alg = findKeyManagement(algName);
    if (key.jwkKty() != QLatin1String("oct") || !alg)
        return keyLabel(key);
    QString what;
    switch (alg->mode) {
    case KeyManagementMode::Pbes2:
        what = DecryptionVerdictText::tr("a password"); // its length is nobody's business
        break;
    case KeyManagementMode::Direct:
        what = DecryptionVerdictText::tr("dir key (%1 bits)").arg(key.bits());
        break;
    default:
        what = DecryptionVerdictText::tr("AES key (%1 bits)").arg(key.bits());
        break;
    }
    return key.metadata.kid.isEmpty() ? what : DecryptionVerdictText::tr("kid=%1 (%2)").arg(key.metadata.kid, what);
}

struct Attempt
{
    Error error;
    const Key* key = nullptr;
    int recipient = 0;
    bool decisive = false;
};

} // namespace

const VerdictCheck* DecryptionVerdict::check(QStringView name) const
{
    for (const VerdictCheck& c : checks) {
        if (c.name == name)
            return &c;
    }
    return nullptr;
}

QString decryptionOutcomeName(DecryptionOutcome outcome)
{
    switch (outcome) {
    case DecryptionOutcome::Decrypted:
        return QStringLiteral("decrypted");
    case DecryptionOutcome::Failed:
        return QStringLiteral("failed");
    case DecryptionOutcome::NotDecrypted:
        return QStringLiteral("not-decrypted");
    case DecryptionOutcome::Malformed:
        return QStringLiteral("malformed");
    }
    return {};
}

DecryptionVerdict computeDecryptionVerdict(const Jwe& jwe, const std::vector<Key>& candidates,
                                           const DecryptionExpectations& expectations)
{
    DecryptionVerdict verdict;
    VerdictCheck algAllowed{kAlgAllowed, CheckState::NotChecked, {}};
    VerdictCheck keyFits{kKeyFits, CheckState::NotChecked, {}};
    VerdictCheck keyManagement{kKeyManagement, CheckState::NotChecked, {}};
    VerdictCheck tag{kTag, CheckState::NotChecked, {}};
    VerdictCheck zip{kZip, CheckState::NotApplicable,
                     DecryptionVerdictText::tr("no \"zip\": the plaintext is not "
                                               "compressed")};
    // parseJwe refused any "crit" (no extension is understood) and every header rule of RFC 7516 already.
    const VerdictCheck crit{kCrit, CheckState::NotApplicable,
                            DecryptionVerdictText::tr("no \"crit\" header parameter")};
    const VerdictCheck header{kHeader, CheckState::Passed,
                              DecryptionVerdictText::tr("the headers are disjoint, \"alg\" and \"enc\" are present, "
                                                        "\"zip\" is protected (RFC 7516 §4, §7.2.1)")};
    auto finish = [&](DecryptionOutcome outcome, ErrorCode code, const QString& reason) {
        verdict.outcome = outcome;
        verdict.code = code;
        verdict.reason = reason;
        verdict.checks = {algAllowed, keyFits, keyManagement, tag, zip, crit, header};
        if (verdict.key) {
            verdict.keyDescription = decryptionKeyLabel(*verdict.key, verdict.alg);
            verdict.keyProvenance = describeProvenance(verdict.key->metadata.provenance);
        }
        switch (outcome) {
        case DecryptionOutcome::Decrypted:
            verdict.headline = DecryptionVerdictText::tr("Decrypted: %1 + %2 with key %3, %4")
                                   .arg(verdict.alg, verdict.enc, verdict.keyDescription, verdict.keyProvenance);
            break;
        case DecryptionOutcome::Failed:
            // The key is named beside, not in, the reason: "invalid: REASON" stays the same for every key.
            verdict.headline = verdict.key ? DecryptionVerdictText::tr("Failed: %1; key %2, %3")
                                                 .arg(reason, verdict.keyDescription, verdict.keyProvenance)
                                           : DecryptionVerdictText::tr("Failed: %1").arg(reason);
            break;
        case DecryptionOutcome::NotDecrypted:
            verdict.headline = DecryptionVerdictText::tr("Not decrypted: %1").arg(reason);
            break;
        case DecryptionOutcome::Malformed:
            verdict.headline = DecryptionVerdictText::tr("Malformed JWE: %1").arg(reason);
            break;
        }
        verdict.notes.removeDuplicates();
        return verdict;
    };

    std::optional<Attempt> decisiveFailure;
    std::optional<Attempt> triedFailure;
    std::optional<Attempt> unfitFailure; // a key the user chose that does not fit
    QString noKeyReason; // why nothing was tried, from the first recipient
    auto remember = [](std::optional<Attempt>& slot, Attempt attempt) {
        if (!slot || failureRank(attempt.error.code) < failureRank(slot->error.code))
            slot = std::move(attempt);
    };

    for (int r = 0; r < int(jwe.recipients.size()); ++r) {
        const QString algName = jwe.headerString(r, u"alg");
        const QString encName = jwe.headerString(r, u"enc");
        const KeyManagementInfo* alg = findKeyManagement(algName);
        const EncInfo* enc = findEnc(encName);
        if (verdict.recipient < 0) {
            verdict.recipient = r;
            verdict.alg = algName;
            verdict.enc = encName;
            verdict.zip = jwe.headerString(r, u"zip");
            verdict.cty = jwe.headerString(r, u"cty");
        }
        if (!alg || !enc) {
            algAllowed = {kAlgAllowed, CheckState::Failed,
                          DecryptionVerdictText::tr("unknown alg %1 or enc %2").arg(quoted(algName), quoted(encName))};
            continue;
        }
        if (!expectations.allowedAlgs.isEmpty() && !expectations.allowedAlgs.contains(algName)) {
            algAllowed = {kAlgAllowed, CheckState::Failed,
                          DecryptionVerdictText::tr("alg %1 is not among the allowed algs (%2)")
                              .arg(quoted(algName), expectations.allowedAlgs.join(QStringLiteral(", ")))};
            continue;
        }
        algAllowed = {kAlgAllowed, CheckState::Passed,
                      DecryptionVerdictText::tr("%1 with %2 is a JWE algorithm pair").arg(algName, encName)};

        // A weak or use-restricted key of the right kind fits, and then fails with its reason.
        const CandidatePick pick = pickCandidates(
            candidates, jwe.headerString(r, u"kid"), expectations.kid, [&](const Key& key, bool, Error* why) {
                auto fit = checkKeyFitsJwe(*alg, *enc, key, JweKeyPurpose::Decrypt);
                if (fit || fit.code() == ErrorCode::KeyWeak || fit.code() == ErrorCode::KeyUseForbidden)
                    return true;
                if (why)
                    *why = fit.error();
                return false;
            });
        if (const QString note = kidNote(pick, expectations.kid, !candidates.empty()); !note.isEmpty())
            verdict.notes << note;
        if (pick.keys.empty()) {
            if (pick.unfitKey)
                remember(unfitFailure, {pick.unfitReason, pick.unfitKey, r, true});
            if (noKeyReason.isEmpty()) {
                if (candidates.empty())
                    noKeyReason = DecryptionVerdictText::tr("no key given");
                else if (!pick.wantedKid.isEmpty() && !pick.anyWithKid && !pick.unfitKey)
                    noKeyReason = DecryptionVerdictText::tr("no key with kid %1").arg(quoted(pick.wantedKid));
                else if (pick.unfit > 0)
                    noKeyReason = pick.allStored
                        ? plural(pick.unfit, DecryptionVerdictText::tr("the stored key does not fit %1").arg(algName),
                                 DecryptionVerdictText::tr("none of the %1 stored keys fits %2")
                                     .arg(QStringLiteral("%1"), algName))
                        : plural(pick.unfit, DecryptionVerdictText::tr("the key given does not fit %1").arg(algName),
                                 DecryptionVerdictText::tr("none of the %1 keys given fits %2")
                                     .arg(QStringLiteral("%1"), algName));
                else
                    noKeyReason = (pick.allStored ? DecryptionVerdictText::tr("no stored key fits %1")
                                                  : DecryptionVerdictText::tr("no key given fits %1"))
                                      .arg(algName);
            }
            continue;
        }

        const Jwe single = onlyRecipient(jwe, r);
        JweDecryptOptions options;
        options.maxInflatedBytes = expectations.maxInflatedBytes;
        for (const CandidateKey& candidate : pick.keys) {
            ++verdict.keysTried;
            auto decrypted = decryptJwe(single, {*candidate.key}, options);
            if (!decrypted) {
                remember(candidate.decisive ? decisiveFailure : triedFailure,
                         {decrypted.error(), candidate.key, r, candidate.decisive});
                continue;
            }
            verdict.recipient = r;
            verdict.alg = algName;
            verdict.enc = encName;
            verdict.zip = decrypted->zip;
            verdict.cty = decrypted->cty;
            verdict.key = *candidate.key;
            verdict.plaintext = std::move(decrypted.value().plaintext);
            const QString label = decryptionKeyLabel(*candidate.key, algName);
            keyFits = {kKeyFits, CheckState::Passed, DecryptionVerdictText::tr("%1 fits %2").arg(label, algName)};
            keyManagement = {kKeyManagement, CheckState::Passed, howCekIsRecovered(*alg)};
            tag = {kTag, CheckState::Passed,
                   DecryptionVerdictText::tr("the %1 authentication tag matches: the ciphertext, IV and protected "
                                             "header are as encrypted")
                       .arg(encName)};
            if (!verdict.zip.isEmpty())
                zip = {kZip, CheckState::Passed,
                       DecryptionVerdictText::tr("inflated to %1 bytes, within the cap of %2 MiB")
                           .arg(verdict.plaintext.size())
                           .arg(expectations.maxInflatedBytes / (1024 * 1024))};
            if (jwe.recipients.size() > 1)
                verdict.notes
                    << DecryptionVerdictText::tr("Opened by recipient %1 of %2").arg(r + 1).arg(jwe.recipients.size());
            verdict.nested = nestedKindOf(verdict.plaintext, verdict.cty, verdict.inner);
            if (verdict.nested == NestedKind::Jws)
                verdict.innerVerdict = computeVerdict(QByteArrayView(verdict.plaintext).trimmed(),
                                                      expectations.verifyKeys, expectations.innerExpectations);
            if (verdict.nested == NestedKind::None
                && verdict.cty.compare(QLatin1String("JWT"), Qt::CaseInsensitive) == 0)
                verdict.notes << DecryptionVerdictText::tr("The header says cty \"JWT\" but the plaintext is not a "
                                                           "token");
            return finish(DecryptionOutcome::Decrypted, ErrorCode::DecryptionFailed, {});
        }
    }

    // Nothing opened it. A token fault met by any key decides; else the user's own key; else the stored keys tried.
    std::optional<Attempt> decisive;
    if (triedFailure && isTokenFault(triedFailure->error.code))
        decisive = triedFailure;
    if (decisiveFailure && (!decisive || failureRank(decisiveFailure->error.code) <= failureRank(decisive->error.code)))
        decisive = decisiveFailure;
    if (decisive) {
        const Attempt& a = *decisive;
        verdict.recipient = a.recipient;
        verdict.alg = jwe.headerString(a.recipient, u"alg");
        verdict.enc = jwe.headerString(a.recipient, u"enc");
        verdict.key = *a.key;
        const QString label = decryptionKeyLabel(*a.key, verdict.alg);
        const bool keyRefused = a.error.code == ErrorCode::KeyWeak || a.error.code == ErrorCode::KeyUseForbidden;
        keyFits = {kKeyFits, keyRefused ? CheckState::Failed : CheckState::Passed,
                   keyRefused ? a.error.message : DecryptionVerdictText::tr("%1 fits %2").arg(label, verdict.alg)};
        QString reason = a.error.message;
        if (a.error.code == ErrorCode::DecryptionFailed) {
            const KeyManagementInfo* alg = findKeyManagement(verdict.alg);
            if (alg && alg->mode == KeyManagementMode::RsaPkcs1) {
                // RFC 7516 §11.5: a wrong RSA1_5 key and a changed token must look the same; no step is named.
                keyManagement = {kKeyManagement, CheckState::NotChecked,
                                 DecryptionVerdictText::tr("RSA1_5 cannot tell a wrong key from a changed token (RFC "
                                                           "7516 §11.5)")};
                tag = {kTag, CheckState::Failed, a.error.message};
            } else {
                const DecryptionWalkthrough walk = walkThroughDecryption(jwe, *a.key, a.recipient);
                const QString failedStep = walk.failedStep >= 0 ? walk.steps[std::size_t(walk.failedStep)].id
                                                                : QStringLiteral("tag-compare");
                const QString place = checkOfStep(failedStep);
                if (place == kKeyManagement) {
                    keyManagement = {kKeyManagement, CheckState::Failed,
                                     walk.failureReason.isEmpty() ? a.error.message : walk.failureReason};
                } else {
                    keyManagement = {kKeyManagement, CheckState::Passed, alg ? howCekIsRecovered(*alg) : QString()};
                    tag = {kTag, CheckState::Failed, a.error.message};
                }
            }
        } else if (a.error.code == ErrorCode::PayloadInvalid) {
            keyManagement = {kKeyManagement, CheckState::Passed, {}};
            tag = {kTag, CheckState::Passed, {}};
            zip = {kZip, CheckState::Failed, a.error.message};
        } else if (a.error.code == ErrorCode::HeaderInvalid || a.error.code == ErrorCode::KeyInvalid) {
            keyManagement = {kKeyManagement, CheckState::Failed, a.error.message};
        }
        return finish(DecryptionOutcome::Failed, a.error.code, reason);
    }
    if (algAllowed.state == CheckState::Failed)
        return finish(DecryptionOutcome::Failed,
                      algAllowed.message.startsWith(QLatin1String("unknown")) ? ErrorCode::AlgUnknown
                                                                              : ErrorCode::AlgNotAllowed,
                      algAllowed.message);
    if (triedFailure) {
        verdict.recipient = triedFailure->recipient;
        verdict.key = *triedFailure->key;
        keyFits = {kKeyFits, CheckState::Passed,
                   plural(verdict.keysTried, DecryptionVerdictText::tr("1 stored key fits %1").arg(verdict.alg),
                          DecryptionVerdictText::tr("%1 stored keys fit %2").arg(QStringLiteral("%1"), verdict.alg))};
        return finish(DecryptionOutcome::NotDecrypted, triedFailure->error.code,
                      plural(verdict.keysTried,
                             DecryptionVerdictText::tr("the 1 stored key that fits does not open it"),
                             DecryptionVerdictText::tr("none of the %1 stored keys that fit opens it")));
    }
    if (unfitFailure) {
        verdict.key = *unfitFailure->key;
        keyFits = {kKeyFits, CheckState::Failed, unfitFailure->error.message};
        // The key the user named cannot do this alg: say so, but it proves nothing about the token.
        return finish(DecryptionOutcome::NotDecrypted, unfitFailure->error.code,
                      DecryptionVerdictText::tr("the key given does not fit %1: %2")
                          .arg(verdict.alg, unfitFailure->error.message));
    }
    keyFits = {kKeyFits, CheckState::NotChecked, noKeyReason};
    return finish(DecryptionOutcome::NotDecrypted, ErrorCode::KeyNotFound, noKeyReason);
}

DecryptionVerdict computeDecryptionVerdict(QByteArrayView text, const std::vector<Key>& candidates,
                                           const DecryptionExpectations& expectations)
{
    auto jwe = parseJwe(text);
    if (!jwe) {
        DecryptionVerdict verdict;
        verdict.outcome = DecryptionOutcome::Malformed;
        verdict.code = jwe.code();
        verdict.reason = jwe.message();
        verdict.headline = DecryptionVerdictText::tr("Malformed JWE: %1").arg(jwe.message());
        const bool critFailed = jwe.code() == ErrorCode::CritUnsupported;
        verdict.checks = {
            {kAlgAllowed, CheckState::NotChecked, {}},
            {kKeyFits, CheckState::NotChecked, {}},
            {kKeyManagement, CheckState::NotChecked, {}},
            {kTag, CheckState::NotChecked, {}},
            {kZip, CheckState::NotChecked, {}},
            {kCrit, critFailed ? CheckState::Failed : CheckState::NotChecked, critFailed ? jwe.message() : QString()},
            {kHeader, critFailed ? CheckState::NotChecked : CheckState::Failed, critFailed ? QString() : jwe.message()},
        };
        return verdict;
    }
    return computeDecryptionVerdict(*jwe, candidates, expectations);
}

} // namespace jwti
