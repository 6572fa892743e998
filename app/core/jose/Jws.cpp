#include "Jws.h"

#include "Base64Url.h"
#include "Json.h"
#include "crypto/Signature.h"

#include <QCoreApplication>
#include <algorithm>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Jws", for the messages here.
struct JwsText
{
    Q_DECLARE_TR_FUNCTIONS(Jws)
};

namespace {

// A header parameter of signature i: the protected header first, then the JSON serialization's unprotected
// "header" (RFC 7515 §7.2.1: their union is the JOSE Header; names must not repeat across them).
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

QString quoted(const QString& text)
{
    return QLatin1Char('"') + text + QLatin1Char('"');
}

// RFC 7515 §4.1.11: "crit" lives in the protected header, is a non-empty array of names, and every name must be
// understood. The only extension we implement is RFC 7797 "b64", which must then be present (§6) and a boolean.
Result<void> checkCrit(const Token& token, int index)
{
    const JsonValue* header = token.header(index);
    const JsonValue* crit = header ? header->member(u"crit") : nullptr;
    const JsonValue* b64 = header ? header->member(u"b64") : nullptr;
    if (!crit) {
        if (index >= 0 && std::size_t(index) < token.signatures.size()) {
            const auto& unprotected = token.signatures[std::size_t(index)].unprotectedHeader;
            if (unprotected && unprotected->root && unprotected->root->member(u"crit"))
                return Result<void>::failure(ErrorCode::CritUnsupported,
                                             JwsText::tr("\"crit\" must be in the protected header (RFC 7515 "
                                                         "§4.1.11)"));
        }
        if (b64)
            return Result<void>::failure(ErrorCode::CritUnsupported,
                                         JwsText::tr("\"b64\" is used but not listed in \"crit\" (RFC 7797 §6)"));
        return {};
    }
    if (!crit->isArray() || crit->items.empty())
        return Result<void>::failure(ErrorCode::CritUnsupported,
                                     JwsText::tr("\"crit\" must be a non-empty array of names (RFC 7515 §4.1.11)"));
    bool listsB64 = false;
    for (const JsonValue& item : crit->items) {
        if (!item.isString())
            return Result<void>::failure(ErrorCode::CritUnsupported,
                                         JwsText::tr("\"crit\" must list header parameter names (RFC 7515 "
                                                     "§4.1.11)"));
        if (item.string == QLatin1String("b64")) {
            listsB64 = true;
            continue;
        }
        return Result<void>::failure(ErrorCode::CritUnsupported,
                                     JwsText::tr("unsupported critical header parameter %1: the token must be "
                                                 "rejected (RFC 7515 §4.1.11)")
                                         .arg(quoted(item.string)));
    }
    if (listsB64 && !b64)
        return Result<void>::failure(ErrorCode::CritUnsupported,
                                     JwsText::tr("\"crit\" lists \"b64\" but the header has no \"b64\" member "
                                                 "(RFC 7515 §4.1.11)"));
    if (b64 && b64->kind != JsonValue::Kind::Bool)
        return Result<void>::failure(ErrorCode::HeaderInvalid,
                                     JwsText::tr("\"b64\" must be true or false (RFC 7797 §3)"));
    if (b64 && !listsB64)
        return Result<void>::failure(ErrorCode::CritUnsupported,
                                     JwsText::tr("\"b64\" is used but not listed in \"crit\" (RFC 7797 §6)"));
    return {};
}

QString keyName(const Key& key)
{
    if (!key.metadata.kid.isEmpty())
        return JwsText::tr("kid=%1 (%2)").arg(key.metadata.kid, key.description());
    return QStringLiteral("(%1)").arg(key.description());
}

// Lower is better: a failure that reached the signature says more than one that never found a key.
int failureRank(ErrorCode code)
{
    switch (code) {
    case ErrorCode::SignatureInvalid:
    case ErrorCode::SignatureMalformed:
        return 0;
    case ErrorCode::AlgMismatch:
        return 1;
    case ErrorCode::KeyWeak:
    case ErrorCode::KeyUseForbidden:
        return 2;
    default:
        return 3;
    }
}

// Verifies signature index of token against the candidates; fills check.
SignatureCheck verifyOne(const Token& token, int index, const std::vector<Key>& candidates,
                         const VerifyOptions& options)
{
    SignatureCheck check;
    check.signatureIndex = index;
    auto fail = [&check](ErrorCode code, QString message) {
        check.valid = false;
        check.code = code;
        check.message = std::move(message);
        return check;
    };

    const JsonValue* algValue = headerMember(token, index, u"alg");
    if (!algValue || !algValue->isString())
        return fail(ErrorCode::HeaderInvalid, JwsText::tr("the header has no \"alg\" string (RFC 7515 §4.1.1)"));
    const QString headerAlg = algValue->string;
    check.alg = headerAlg;

    // RFC 8725 §3.1: an unsecured JWS is never accepted, whatever the spelling.
    if (headerAlg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return fail(ErrorCode::AlgNone, JwsText::tr("Unsecured token (alg %1): nothing to verify").arg(headerAlg));

    if (auto crit = checkCrit(token, index); !crit)
        return fail(crit.code(), crit.message());

    const AlgInfo* headerAlgInfo = findAlg(headerAlg);
    if (!headerAlgInfo)
        return fail(ErrorCode::AlgUnknown, JwsText::tr("unknown alg %1").arg(quoted(headerAlg)));

    if (!options.alg.isEmpty()) {
        const AlgInfo* forced = findAlg(options.alg);
        if (!forced)
            return fail(ErrorCode::AlgUnknown, JwsText::tr("unknown alg %1").arg(quoted(options.alg)));
        if (forced->scheme == SignatureScheme::None)
            return fail(ErrorCode::AlgNone, JwsText::tr("alg none is never verified"));
        if (headerAlg != options.alg)
            return fail(
                ErrorCode::AlgMismatch,
                JwsText::tr("the header says alg %1 but %2 was required").arg(quoted(headerAlg), quoted(options.alg)));
    }

    // Which keys: an explicit kid, else the token's kid when the candidates carry kids, else all of them.
    std::vector<const Key*> keys;
    const QString tokenKid = headerString(token, index, u"kid");
    if (!options.kid.isEmpty()) {
        for (const Key& key : candidates) {
            if (key.metadata.kid == options.kid)
                keys.push_back(&key);
        }
        if (keys.empty())
            return fail(ErrorCode::KeyNotFound, JwsText::tr("no key with kid %1").arg(quoted(options.kid)));
    } else {
        const bool anyKid
            = std::any_of(candidates.begin(), candidates.end(), [](const Key& k) { return !k.metadata.kid.isEmpty(); });
        if (!tokenKid.isEmpty() && anyKid) {
            for (const Key& key : candidates) {
                if (key.metadata.kid == tokenKid)
                    keys.push_back(&key);
            }
            if (keys.empty())
                return fail(ErrorCode::KeyNotFound, JwsText::tr("no key with kid %1").arg(quoted(tokenKid)));
        } else {
            for (const Key& key : candidates)
                keys.push_back(&key);
        }
    }
    if (keys.empty())
        return fail(ErrorCode::KeyNotFound, JwsText::tr("no key to verify with"));

    std::optional<QByteArray> signingInput;
    const QByteArray& signature = token.signatures[std::size_t(index)].signature.decoded.bytes;
    bool haveFailure = false;
    for (const Key* key : keys) {
        // The alg: forced, else the key's own JWK "alg", else the header's; the header must always agree.
        QString chosen = options.alg;
        if (chosen.isEmpty())
            chosen = key->metadata.alg;
        if (chosen.isEmpty())
            chosen = headerAlg;
        // The common case (the header's own alg) reuses the table entry already found for it.
        const AlgInfo* alg = chosen == headerAlg ? headerAlgInfo : findAlg(chosen);
        Error failure;
        if (!alg) {
            failure = {ErrorCode::AlgUnknown, JwsText::tr("the key's alg %1 is unknown").arg(quoted(chosen))};
        } else if (chosen != headerAlg) {
            failure = {ErrorCode::AlgMismatch,
                       JwsText::tr("the header says alg %1 but the key %2 is for %3")
                           .arg(quoted(headerAlg), keyName(*key), quoted(chosen))};
        } else {
            // verifyBytes applies checkKeyFitsAlg first (RFC 7518 §3.2/§3.3 sizes, key type, JWK alg/use/key_ops), so
            // a key that does not fit fails here with that reason and its code.
            if (!signingInput)
                signingInput = token.signingInput(index, options.detachedPayload.value_or(QByteArray()));
            auto verified = verifyBytes(*alg, *key, *signingInput, signature);
            if (verified) {
                check.valid = true;
                check.code = ErrorCode::SignatureInvalid;
                check.alg = chosen;
                check.key = *key;
                check.message = JwsText::tr("Signature verified with key %1").arg(keyName(*key));
                return check;
            }
            failure = verified.error();
        }
        if (!haveFailure || failureRank(failure.code) < failureRank(check.code)) {
            haveFailure = true;
            check.code = failure.code;
            check.message = failure.message;
            check.key = *key;
        }
    }
    check.valid = false;
    if (check.code == ErrorCode::SignatureInvalid && check.message.isEmpty())
        check.message = JwsText::tr("signature does not match");
    return check;
}

// Failures that only mean "no key of ours is meant for this signature" (general JSON serialization: a signature
// for someone else's key is not a reason to reject a token another signature proves).
bool isKeyAvailabilityFailure(ErrorCode code)
{
    return code == ErrorCode::KeyNotFound || code == ErrorCode::KeyMismatch;
}

} // namespace

VerifyResult verifyToken(const Token& token, const std::vector<Key>& candidates, const VerifyOptions& options)
{
    VerifyResult result;
    auto fail = [&result](ErrorCode code, QString reason) {
        result.valid = false;
        result.code = code;
        result.reason = std::move(reason);
        return result;
    };

    if (!token.errors.empty())
        return fail(ErrorCode::MalformedToken, token.errors.front().message);
    switch (token.kind) {
    case TokenKind::Empty:
        return fail(ErrorCode::MalformedToken, JwsText::tr("empty token"));
    case TokenKind::Malformed:
        return fail(ErrorCode::MalformedToken, JwsText::tr("not a JWS: expected header.payload.signature"));
    case TokenKind::Jwe:
        return fail(ErrorCode::AlgNotAllowed, JwsText::tr("JWE is encrypted: nothing to verify here"));
    case TokenKind::Unsecured:
    case TokenKind::Jws:
    case TokenKind::JwsJsonFlattened:
    case TokenKind::JwsJsonGeneral:
        break;
    }
    if (token.signatures.empty())
        return fail(ErrorCode::MalformedToken, JwsText::tr("the token has no signature"));
    if (token.payloadDetached && !options.detachedPayload)
        return fail(ErrorCode::Usage,
                    JwsText::tr("the payload is detached (RFC 7515 Appendix F): supply it to verify the signature"));

    // Rule for several signatures (general JSON serialization, RFC 7515 §7.2.1 leaves it to the application):
    // valid when at least one signature verifies and no other one fails for a reason other than "none of the
    // given keys is meant for it" (KeyNotFound, KeyMismatch). alg none, an unknown crit or a signature that does not
    // match under a key meant for it makes the whole token invalid.
    bool anyValid = false;
    const SignatureCheck* firstBlocking = nullptr;
    for (int i = 0; i < int(token.signatures.size()); ++i)
        result.signatures.push_back(verifyOne(token, i, candidates, options));
    for (const SignatureCheck& check : result.signatures) {
        if (check.valid)
            anyValid = true;
        else if (!firstBlocking && (result.signatures.size() == 1 || !isKeyAvailabilityFailure(check.code)))
            firstBlocking = &check;
    }
    if (firstBlocking || !anyValid) {
        const SignatureCheck& reason = firstBlocking ? *firstBlocking : result.signatures.front();
        QString message = reason.message;
        if (result.signatures.size() > 1)
            message = JwsText::tr("signature %1: %2").arg(reason.signatureIndex + 1).arg(message);
        return fail(reason.code, message);
    }

    const SignatureCheck* verified = nullptr;
    for (const SignatureCheck& check : result.signatures) {
        if (check.valid) {
            verified = &check;
            break;
        }
    }

    if (options.checkClaims) {
        const JsonValue* claims = token.claims();
        std::optional<JsonDocument> detachedJson;
        if (options.detachedPayload && (token.payloadDetached || !claims)) {
            // The claims of a detached payload are the bytes the caller supplied, not the empty segment.
            claims = nullptr;
            if (options.detachedPayload->startsWith('{')) {
                detachedJson = parseJson(*options.detachedPayload);
                if (!detachedJson->ok() || !detachedJson->root->isObject())
                    return fail(ErrorCode::PayloadInvalid,
                                JwsText::tr("the payload starts with \"{\" but is not one JSON object: %1")
                                    .arg(detachedJson->error ? detachedJson->error->message : QString()));
                claims = &*detachedJson->root;
            }
        }
        if (claims && claims->isObject()) {
            result.claims = checkClaims(*claims, options.claims);
            for (const ClaimCheck& claim : result.claims) {
                if (!claim.passed)
                    return fail(claim.code, claim.message);
            }
        }
    }

    result.valid = true;
    result.code = ErrorCode::SignatureInvalid;
    result.reason = verified->message;
    return result;
}

Result<QByteArray> signToken(const QByteArray& payload, const Key& key, const SignOptions& options)
{
    using R = Result<QByteArray>;
    const AlgInfo* alg = findAlg(options.alg);
    if (options.alg.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0)
        return R::failure(ErrorCode::AlgNone, JwsText::tr("refusing to make an unsecured token (alg none)"));
    if (!alg)
        return R::failure(ErrorCode::AlgUnknown, JwsText::tr("unknown alg %1").arg(quoted(options.alg)));
    if (auto fits = checkKeyFitsAlg(*alg, key, KeyPurpose::Sign); !fits)
        return fits.error();

    std::optional<JsonDocument> extra;
    if (!options.headerJson.trimmed().isEmpty()) {
        extra = parseJson(options.headerJson);
        if (!extra->ok())
            return R::failure(ErrorCode::HeaderInvalid,
                              JwsText::tr("the header is not valid JSON: %1 at byte %2")
                                  .arg(extra->error ? extra->error->message : QString())
                                  .arg(extra->error ? extra->error->offset : 0));
        if (!extra->root->isObject())
            return R::failure(ErrorCode::HeaderInvalid, JwsText::tr("the header must be a JSON object"));
        if (!extra->duplicates.empty())
            return R::failure(ErrorCode::HeaderInvalid,
                              JwsText::tr("the header repeats the member %1 (RFC 7515 "
                                          "§4)")
                                  .arg(quoted(extra->duplicates.front().path)));
    }

    bool hasTyp = false;
    bool unencoded = false;
    if (extra) {
        for (const JsonMember& member : extra->root->members) {
            if (member.name == QLatin1String("alg")) {
                if (!member.value.isString() || member.value.string != options.alg)
                    return R::failure(
                        ErrorCode::AlgMismatch,
                        JwsText::tr("the header's alg differs from the signing alg %1").arg(quoted(options.alg)));
            } else if (member.name == QLatin1String("typ")) {
                hasTyp = true;
            } else if (member.name == QLatin1String("kid")) {
                if (!options.kid.isEmpty() && (!member.value.isString() || member.value.string != options.kid))
                    return R::failure(ErrorCode::Usage, JwsText::tr("the header's kid differs from the kid given"));
            } else if (member.name == QLatin1String("b64")) {
                unencoded = member.value.kind == JsonValue::Kind::Bool && !member.value.boolean;
            }
        }
    }

    QByteArray header = "{\"alg\":" + jsonQuote(options.alg);
    if (!hasTyp)
        header += ",\"typ\":\"JWT\"";
    if (!options.kid.isEmpty())
        header += ",\"kid\":" + jsonQuote(options.kid);
    if (extra) {
        for (const JsonMember& member : extra->root->members) {
            if (member.name == QLatin1String("alg") || (member.name == QLatin1String("kid") && !options.kid.isEmpty()))
                continue;
            header += ',' + jsonQuote(member.name) + ':' + member.value.toCompactJson();
        }
    }
    header += '}';

    QByteArray signingInput = Base64Url::encode(header);
    signingInput += '.';
    if (unencoded) {
        // RFC 7797 §5.2: with b64 false the compact form carries the payload itself, so it cannot hold a '.'.
        if (payload.contains('.'))
            return R::failure(ErrorCode::PayloadInvalid,
                              JwsText::tr("an unencoded payload (b64 false) cannot contain '.' in the compact form "
                                          "(RFC 7797 §5.2)"));
        signingInput += payload;
    } else {
        signingInput += Base64Url::encode(payload);
    }
    auto signature = signBytes(*alg, key, signingInput);
    if (!signature)
        return signature.error();
    signingInput += '.';
    signingInput += Base64Url::encode(*signature);
    return signingInput;
}

} // namespace jwti
