#include "core/jose/Jws.h"

#include "core/crypto/Signature.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/Wording.h"
#include "core/model/Verdict.h"

#include <QCoreApplication>
#include <algorithm>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Jws", for the messages here.
struct JwsText
{
    Q_DECLARE_TR_FUNCTIONS(Jws)
};

// The rules live in computeVerdict (model/Verdict.h), the one implementation every face uses; this keeps the older
// result shape for the callers that read it.
VerifyResult verifyToken(const Token& token, const std::vector<Key>& candidates, const VerifyOptions& options)
{
    return verifyResultOf(computeVerdict(token, candidates, options));
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
