#include "core/model/SigningDocument.h"

#include "core/crypto/KeyPolicy.h"
#include "core/jose/Jwk.h"
#include "core/jose/Jws.h"

#include <QCoreApplication>

namespace jwti {

struct SigningText
{
    Q_DECLARE_TR_FUNCTIONS(SigningDocument)
};

namespace {

QString partName(SigningDocument::Part part)
{
    return part == SigningDocument::Part::Header ? SigningText::tr("header") : SigningText::tr("payload");
}

} // namespace

void SigningDocument::setText(Part which, const QByteArray& utf8)
{
    PartText& target = part(which);
    target.text = utf8;
    target.json = parseJson(utf8);
}

const QByteArray& SigningDocument::text(Part which) const
{
    return part(which).text;
}

const JsonDocument& SigningDocument::json(Part which) const
{
    return part(which).json;
}

Result<void> SigningDocument::setMember(Part which, const QString& name, const QByteArray& valueJson)
{
    const PartText& source = part(which);
    if (!source.json.ok() || !source.json.root->isObject())
        return Result<void>::failure(
            ErrorCode::Json, SigningText::tr("Fix the %1 JSON first: it must be one object.").arg(partName(which)));
    const JsonValue& root = *source.json.root;
    QByteArray bytes = source.text;
    // JsonValue::member is the last member of that name: the one every reader takes (RFC 7519 §4).
    if (const JsonValue* existing = root.member(name))
        bytes.replace(existing->span.begin, existing->span.size(), valueJson);
    else if (root.members.empty())
        bytes.insert(root.span.begin + 1, "\n  " + jsonQuote(name) + ": " + valueJson + "\n");
    else
        bytes.insert(root.members.back().value.span.end, ",\n  " + jsonQuote(name) + ": " + valueJson);
    setText(which, bytes);
    return {};
}

Result<void> SigningDocument::removeMember(Part which, const QString& name)
{
    const PartText& source = part(which);
    if (!source.json.ok() || !source.json.root->isObject())
        return Result<void>::failure(
            ErrorCode::Json, SigningText::tr("Fix the %1 JSON first: it must be one object.").arg(partName(which)));
    const std::vector<JsonMember>& members = source.json.root->members;
    // Which byte ranges go: a member up to the next one's name (its comma and the space after it), or for the last
    // member kept out, from the end of the member before it. Ranges are cut from the back, so offsets stay true.
    std::vector<bool> removed(members.size(), false);
    for (std::size_t i = 0; i < members.size(); ++i)
        removed[i] = members[i].name == name;
    std::vector<OffsetRange> cuts;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!removed[i])
            continue;
        std::size_t next = i + 1;
        while (next < members.size() && removed[next])
            ++next;
        if (next < members.size()) {
            cuts.push_back({members[i].nameSpan.begin, members[next].nameSpan.begin});
        } else {
            // The last run: from the end of the member kept before it, or the whole inside of the braces.
            const qsizetype begin = i > 0 ? members[i - 1].value.span.end : source.json.root->span.begin + 1;
            const qsizetype end = i > 0 ? members[next - 1].value.span.end : source.json.root->span.end - 1;
            cuts.push_back({begin, end});
            break;
        }
        i = next - 1;
    }
    if (cuts.empty())
        return {};
    QByteArray bytes = source.text;
    for (auto cut = cuts.rbegin(); cut != cuts.rend(); ++cut)
        bytes.remove(cut->begin, cut->size());
    setText(which, bytes);
    return {};
}

void SigningDocument::setKidPolicy(KidPolicy policy, const QString& typedKid)
{
    m_kidPolicy = policy;
    m_typedKid = typedKid;
}

Result<QString> SigningDocument::kidFor(KidPolicy policy, const QString& typedKid) const
{
    switch (policy) {
    case KidPolicy::None:
        return QString();
    case KidPolicy::Typed:
        if (typedKid.isEmpty())
            return Result<QString>::failure(ErrorCode::Usage, SigningText::tr("Type a kid."));
        return typedKid;
    case KidPolicy::FromKey:
        break;
    }
    if (!m_key)
        return Result<QString>::failure(ErrorCode::KeyNotFound, SigningText::tr("Choose a key first."));
    if (!m_key->metadata.kid.isEmpty())
        return m_key->metadata.kid;
    // The key policy gives a secret a random kid when it is stored; a secret typed here has none a verifier could
    // know, and its thumbprint would be a hash of it, which a weak secret could be found from offline.
    if (!kidDefaultsToThumbprint(*m_key))
        return Result<QString>::failure(
            ErrorCode::Usage,
            SigningText::tr("Type a kid for an HMAC secret: its thumbprint would expose a hash of it."));
    return defaultKid(*m_key);
}

bool SigningDocument::fail(SigningError error)
{
    m_token.clear();
    m_error = std::move(error);
    return false;
}

std::optional<SigningError> SigningDocument::partError(Part which) const
{
    using Place = SigningError::Place;
    if (which == Part::Header) {
        // The header: an object, each member once. An empty text is an empty object.
        const JsonDocument& header = m_header.json;
        if (m_header.text.trimmed().isEmpty())
            return std::nullopt;
        if (!header.ok())
            return SigningError{Place::Header, header.error ? header.error->offset : 0, ErrorCode::HeaderInvalid,
                                SigningText::tr("the header is not valid JSON: %1 at byte %2")
                                    .arg(header.error ? header.error->message : QString())
                                    .arg(header.error ? header.error->offset : 0)};
        if (!header.root->isObject())
            return SigningError{Place::Header, header.root->span.begin, ErrorCode::HeaderInvalid,
                                SigningText::tr("the header must be a JSON object")};
        if (!header.duplicates.empty())
            return SigningError{Place::Header, header.duplicates.front().second.begin, ErrorCode::HeaderInvalid,
                                SigningText::tr("the header repeats the member \"%1\" (RFC 7515 §4)")
                                    .arg(header.duplicates.front().path)};
        return std::nullopt;
    }
    // The payload: any JSON value (a claims set is an object), each member once; signed in its compact form.
    const JsonDocument& payload = m_payload.json;
    if (!payload.ok())
        return SigningError{Place::Payload, payload.error ? payload.error->offset : 0, ErrorCode::PayloadInvalid,
                            SigningText::tr("the payload is not valid JSON: %1 at byte %2")
                                .arg(payload.error ? payload.error->message : SigningText::tr("empty"))
                                .arg(payload.error ? payload.error->offset : 0)};
    if (!payload.duplicates.empty())
        return SigningError{Place::Payload, payload.duplicates.front().second.begin, ErrorCode::PayloadInvalid,
                            SigningText::tr("the payload repeats the member \"%1\" (RFC 7519 §4)")
                                .arg(payload.duplicates.front().path)};
    return std::nullopt;
}

bool SigningDocument::sign()
{
    m_token.clear();
    m_error.reset();
    using Place = SigningError::Place;

    if (std::optional<SigningError> error = partError(Part::Header))
        return fail(std::move(*error));
    if (std::optional<SigningError> error = partError(Part::Payload))
        return fail(std::move(*error));
    const JsonDocument& header = m_header.json;
    const QByteArray headerJson = header.ok() ? header.root->toCompactJson() : QByteArray();
    const JsonDocument& payload = m_payload.json;

    if (m_alg.isEmpty())
        return fail({Place::Alg, -1, ErrorCode::AlgUnknown, SigningText::tr("Pick an algorithm.")});
    if (!m_key)
        return fail({Place::Key, -1, ErrorCode::KeyNotFound, SigningText::tr("Choose a key first.")});

    // The kid: a kid the header names itself stays unless one was typed (then they must agree, below).
    const JsonValue* headerKid = header.ok() && header.root->isObject() ? header.root->member(u"kid") : nullptr;
    QString kid;
    if (m_kidPolicy == KidPolicy::Typed || (m_kidPolicy == KidPolicy::FromKey && !headerKid)) {
        Result<QString> chosen = kidFor(m_kidPolicy, m_typedKid);
        if (!chosen)
            return fail({Place::Kid, -1, chosen.code(), chosen.message()});
        kid = *chosen;
    }

    SignOptions options;
    options.alg = m_alg;
    options.headerJson = headerJson;
    options.kid = kid;
    Result<QByteArray> token = signToken(payload.root->toCompactJson(), *m_key, options);
    if (!token) {
        // Where the signer's refusal points: the header's own alg or kid, else the key.
        SigningError error{Place::Key, -1, token.code(), token.message()};
        const JsonValue* alg = header.ok() && header.root->isObject() ? header.root->member(u"alg") : nullptr;
        if (token.code() == ErrorCode::AlgMismatch && alg) {
            error.place = Place::Header;
            error.offset = alg->span.begin;
        } else if (token.code() == ErrorCode::Usage && headerKid) {
            error.place = Place::Header;
            error.offset = headerKid->span.begin;
        } else if (token.code() == ErrorCode::AlgUnknown || token.code() == ErrorCode::AlgNone) {
            error.place = Place::Alg;
        } else if (token.code() == ErrorCode::PayloadInvalid) {
            error.place = Place::Payload;
        }
        return fail(std::move(error));
    }
    m_token = std::move(token).value();
    return true;
}

Result<Key> SigningDocument::chooseSigningKey(const std::vector<Key>& keys, const QString& kid)
{
    using R = Result<Key>;
    if (keys.empty())
        return R::failure(ErrorCode::KeyNotFound, SigningText::tr("no key"));
    std::vector<const Key*> candidates;
    for (const Key& key : keys) {
        if (keys.size() == 1 || kid.isEmpty() || key.metadata.kid == kid)
            candidates.push_back(&key);
    }
    if (candidates.empty())
        return R::failure(ErrorCode::KeyNotFound, SigningText::tr("no key with kid \"%1\"").arg(kid));
    if (candidates.size() == 1)
        return *candidates.front();
    // A PEM file with a certificate chain, or a JWKS: the one private key, if there is exactly one.
    std::vector<const Key*> privateKeys;
    for (const Key* key : candidates) {
        if (key->hasPrivate() || key->type() == KeyType::Oct)
            privateKeys.push_back(key);
    }
    if (privateKeys.empty())
        return R::failure(ErrorCode::KeyMismatch,
                          SigningText::tr("the key file holds %1 public keys or certificates and no private key: "
                                          "signing needs a private key")
                              .arg(candidates.size()));
    if (privateKeys.size() != 1)
        return R::failure(
            ErrorCode::KeyAmbiguous,
            SigningText::tr("the key file holds %1 private keys: pick one with --kid").arg(privateKeys.size()));
    return *privateKeys.front();
}

} // namespace jwti
