#include "core/jose/Jwk.h"

#include "core/crypto/KeyComponents.h"
#include "core/crypto/Signature.h"

#include <QCoreApplication>
#include <QSet>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Jwk", for the messages here.
struct JwkText
{
    Q_DECLARE_TR_FUNCTIONS(Jwk)
};

namespace {

Result<Key> keyFailure(ErrorCode code, const QString& message)
{
    return Result<Key>::failure(code, message);
}

// Reads the members of one JWK object, each with the reason when it is wrong.
class JwkReader
{
public:
    explicit JwkReader(const JsonValue& object)
        : m_object(object)
    {
    }

    // A string member; nullptr when absent. A member of another JSON type is an error.
    Result<const QString*> string(const char* name) const
    {
        const JsonValue* value = m_object.member(QString::fromLatin1(name));
        if (!value)
            return static_cast<const QString*>(nullptr);
        if (!value->isString())
            return Result<const QString*>::failure(
                ErrorCode::KeyInvalid, JwkText::tr("JWK member \"%1\" must be a string").arg(QLatin1StringView(name)));
        return &value->string;
    }

    // RFC 7518 §6: key material is base64url without padding; anything lenient decoding would forgive is refused.
    Result<QByteArray> bytes(const char* name, bool required) const
    {
        auto text = string(name);
        if (!text)
            return Result<QByteArray>(text.error());
        if (!*text) {
            if (required)
                return Result<QByteArray>::failure(
                    ErrorCode::KeyInvalid, JwkText::tr("JWK has no \"%1\" member").arg(QLatin1StringView(name)));
            return QByteArray();
        }
        QByteArray encoded = (*text)->toUtf8();
        Base64Decoded decoded = Base64Url::decode(encoded);
        wipeBytes(encoded);
        if (!decoded.ok()) {
            const qsizetype offset = decoded.issues.front().offset;
            wipeBytes(decoded.bytes);
            return Result<QByteArray>::failure(ErrorCode::KeyInvalid,
                                               JwkText::tr("JWK member \"%1\" is not canonical base64url (offset %2)")
                                                   .arg(QLatin1StringView(name))
                                                   .arg(offset));
        }
        if (decoded.bytes.isEmpty())
            return Result<QByteArray>::failure(ErrorCode::KeyInvalid,
                                               JwkText::tr("JWK member \"%1\" is empty").arg(QLatin1StringView(name)));
        return std::move(decoded.bytes);
    }

    Result<SecretBytes> secret(const char* name, bool required) const
    {
        auto raw = bytes(name, required);
        if (!raw)
            return Result<SecretBytes>(raw.error());
        SecretBytes secretBytes(*raw);
        wipeBytes(raw.value());
        return secretBytes;
    }

    Result<void> readMetadata(KeyMetadata& metadata) const
    {
        const char* names[] = {"kid", "alg", "use"};
        QString* targets[] = {&metadata.kid, &metadata.alg, &metadata.use};
        for (int i = 0; i < 3; ++i) {
            auto value = string(names[i]);
            if (!value)
                return Result<void>(value.error());
            if (*value)
                *targets[i] = **value;
        }
        if (const JsonValue* ops = m_object.member(u"key_ops")) {
            if (!ops->isArray())
                return Result<void>::failure(ErrorCode::KeyInvalid,
                                             JwkText::tr("JWK member \"key_ops\" must be an array of strings"));
            for (const JsonValue& op : ops->items) {
                if (!op.isString())
                    return Result<void>::failure(ErrorCode::KeyInvalid,
                                                 JwkText::tr("JWK member \"key_ops\" must be an array of strings"));
                // RFC 7517 §4.3: duplicate key operation values MUST NOT be present.
                if (metadata.keyOps.contains(op.string))
                    return Result<void>::failure(ErrorCode::KeyInvalid,
                                                 JwkText::tr("JWK \"key_ops\" repeats \"%1\"").arg(op.string));
                metadata.keyOps.append(op.string);
            }
        }
        return {};
    }

private:
    const JsonValue& m_object;
};

template <typename T>
Result<Key> passError(const Result<T>& result)
{
    return Result<Key>(result.error());
}

Result<Key> importRsa(const JwkReader& reader, bool memberOfSet)
{
    RsaComponents components;
    components.structuralCheckOnly = memberOfSet;
    auto n = reader.bytes("n", true);
    if (!n)
        return passError(n);
    auto e = reader.bytes("e", true);
    if (!e)
        return passError(e);
    components.n = *n;
    components.e = *e;
    SecretBytes* privateParts[]
        = {&components.d, &components.p, &components.q, &components.dp, &components.dq, &components.qi};
    const char* privateNames[] = {"d", "p", "q", "dp", "dq", "qi"};
    for (int i = 0; i < 6; ++i) {
        auto part = reader.secret(privateNames[i], false);
        if (!part)
            return passError(part);
        *privateParts[i] = std::move(part).value();
    }
    // RFC 7518 §6.3.2.7 "oth" (more than two primes) is not supported by this reader.
    auto oth = reader.string("oth");
    if (!oth || *oth)
        return keyFailure(ErrorCode::KeyUnsupported,
                          JwkText::tr("RSA JWK with \"oth\" (more than two primes) is not supported"));
    return makeRsaKey(components);
}

Result<Key> importEc(const JwkReader& reader)
{
    auto crv = reader.string("crv");
    if (!crv)
        return passError(crv);
    if (!*crv)
        return keyFailure(ErrorCode::KeyInvalid, JwkText::tr("JWK has no \"crv\" member"));
    EcComponents components;
    components.curve = **crv;
    if (curveCoordinateBytes(components.curve) == 0 || components.curve.startsWith(u"Ed"))
        return keyFailure(
            ErrorCode::KeyUnsupported,
            JwkText::tr("EC crv \"%1\" is not supported (P-256, P-384, P-521, secp256k1)").arg(components.curve));
    auto x = reader.bytes("x", true);
    if (!x)
        return passError(x);
    auto y = reader.bytes("y", true);
    if (!y)
        return passError(y);
    auto d = reader.secret("d", false);
    if (!d)
        return passError(d);
    components.x = *x;
    components.y = *y;
    components.d = std::move(d).value();
    return makeEcKey(components);
}

Result<Key> importOkp(const JwkReader& reader)
{
    auto crv = reader.string("crv");
    if (!crv)
        return passError(crv);
    if (!*crv)
        return keyFailure(ErrorCode::KeyInvalid, JwkText::tr("JWK has no \"crv\" member"));
    OkpComponents components;
    components.curve = **crv;
    if (components.curve != u"Ed25519" && components.curve != u"Ed448" && components.curve != u"X25519"
        && components.curve != u"X448")
        return keyFailure(ErrorCode::KeyUnsupported,
                          JwkText::tr("OKP crv \"%1\" is not supported (Ed25519, Ed448 for signatures; X25519, X448 "
                                      "for encryption; RFC 8037)")
                              .arg(components.curve));
    auto x = reader.bytes("x", true);
    if (!x)
        return passError(x);
    auto d = reader.secret("d", false);
    if (!d)
        return passError(d);
    components.x = *x;
    components.d = std::move(d).value();
    return makeOkpKey(components);
}

Result<Key> importOct(const JwkReader& reader)
{
    auto k = reader.secret("k", true);
    if (!k)
        return passError(k);
    return Key::fromSecret(std::move(k).value());
}

// The members of an exported JWK, in order, with their already-encoded JSON values.
struct Member
{
    QByteArray name;
    QByteArray json;
};

QByteArray quote(QStringView text)
{
    QByteArray out = "\"";
    for (const char c : text.toUtf8()) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20)
                out += QByteArray("\\u00")
                    + QByteArray::number(static_cast<unsigned char>(c), 16).rightJustified(2, '0');
            else
                out += c;
        }
    }
    out += '"';
    return out;
}

QByteArray quoteB64(QByteArrayView bytes)
{
    return '"' + Base64Url::encode(bytes) + '"';
}

QByteArray quoteSecret(const SecretBytes& bytes)
{
    return '"' + Base64Url::encode(bytes.view()) + '"';
}

// RFC 7638 §3.2: the required members in lexicographic order (which is also the export order).
std::vector<Member> requiredMembers(const Key& key)
{
    std::vector<Member> members;
    switch (key.type()) {
    case KeyType::Rsa: {
        const RsaComponents rsa = rsaComponents(key, false);
        members = {{"e", quoteB64(rsa.e)}, {"kty", "\"RSA\""}, {"n", quoteB64(rsa.n)}};
        break;
    }
    case KeyType::Ec: {
        const EcComponents ec = ecComponents(key, false);
        members = {{"crv", quote(ec.curve)}, {"kty", "\"EC\""}, {"x", quoteB64(ec.x)}, {"y", quoteB64(ec.y)}};
        break;
    }
    case KeyType::Okp: {
        const OkpComponents okp = okpComponents(key, false);
        members = {{"crv", quote(okp.curve)}, {"kty", "\"OKP\""}, {"x", quoteB64(okp.x)}};
        break;
    }
    case KeyType::Oct:
        members = {{"k", quoteSecret(key.secret())}, {"kty", "\"oct\""}};
        break;
    }
    return members;
}

QByteArray render(const std::vector<Member>& members, int indent, int depth = 0)
{
    if (indent <= 0) {
        QByteArray out = "{";
        for (size_t i = 0; i < members.size(); ++i) {
            if (i > 0)
                out += ',';
            out += '"' + members[i].name + "\":" + members[i].json;
        }
        return out + '}';
    }
    const QByteArray inner(indent * (depth + 1), ' ');
    const QByteArray outer(indent * depth, ' ');
    QByteArray out = "{\n";
    for (size_t i = 0; i < members.size(); ++i) {
        out += inner + '"' + members[i].name + "\": " + members[i].json;
        out += i + 1 < members.size() ? ",\n" : "\n";
    }
    return out + outer + '}';
}

void wipeMembers(std::vector<Member>& members)
{
    for (Member& member : members)
        wipeBytes(member.json);
}

std::vector<Member> exportMembers(const Key& key, bool includePrivate)
{
    std::vector<Member> members;
    if (key.isNull())
        return members;
    if (key.type() == KeyType::Oct) {
        // For an HMAC key the only material is the secret: without includePrivate it is left out entirely.
        if (includePrivate)
            members = requiredMembers(key);
        else
            members = {{"kty", "\"oct\""}};
    } else {
        members = requiredMembers(key);
    }
    if (includePrivate && key.hasPrivate()) {
        switch (key.type()) {
        case KeyType::Rsa: {
            const RsaComponents rsa = rsaComponents(key, true);
            const std::pair<const char*, const SecretBytes*> parts[]
                = {{"d", &rsa.d}, {"p", &rsa.p}, {"q", &rsa.q}, {"dp", &rsa.dp}, {"dq", &rsa.dq}, {"qi", &rsa.qi}};
            for (const auto& [name, value] : parts) {
                if (!value->isEmpty())
                    members.push_back({name, quoteSecret(*value)});
            }
            break;
        }
        case KeyType::Ec:
            members.push_back({"d", quoteSecret(ecComponents(key, true).d)});
            break;
        case KeyType::Okp:
            members.push_back({"d", quoteSecret(okpComponents(key, true).d)});
            break;
        case KeyType::Oct:
            break;
        }
    }
    const KeyMetadata& meta = key.metadata;
    if (!meta.kid.isEmpty())
        members.push_back({"kid", quote(meta.kid)});
    if (!meta.alg.isEmpty())
        members.push_back({"alg", quote(meta.alg)});
    if (!meta.use.isEmpty())
        members.push_back({"use", quote(meta.use)});
    if (!meta.keyOps.isEmpty()) {
        QByteArray ops = "[";
        for (qsizetype i = 0; i < meta.keyOps.size(); ++i) {
            if (i > 0)
                ops += ", ";
            ops += quote(meta.keyOps[i]);
        }
        members.push_back({"key_ops", ops + ']'});
    }
    return members;
}

// memberOfSet: one key of a JWKS, whose RSA public keys get the structural checks only (see RsaComponents).
Result<Key> importJwkValue(const JsonValue& jwk, bool memberOfSet)
{
    if (!jwk.isObject())
        return keyFailure(ErrorCode::KeyInvalid, JwkText::tr("a JWK must be a JSON object"));
    const JwkReader reader(jwk);
    auto kty = reader.string("kty");
    if (!kty)
        return passError(kty);
    if (!*kty)
        return keyFailure(ErrorCode::KeyInvalid, JwkText::tr("JWK has no \"kty\" member"));
    const QString& type = **kty;
    Result<Key> key = type == u"RSA" ? importRsa(reader, memberOfSet)
        : type == u"EC"              ? importEc(reader)
        : type == u"OKP"             ? importOkp(reader)
        : type == u"oct"             ? importOct(reader)
                                     : keyFailure(ErrorCode::KeyUnsupported,
                                                  JwkText::tr("JWK kty \"%1\" is not supported (RSA, EC, OKP, oct)").arg(type));
    if (!key)
        return key;
    auto metadata = reader.readMetadata(key->metadata);
    if (!metadata)
        return Result<Key>(metadata.error());
    if (key->metadata.source.isEmpty())
        key->metadata.source = QStringLiteral("JWK");
    return key;
}

} // namespace

Result<Key> importJwk(const JsonValue& jwk)
{
    return importJwkValue(jwk, false);
}

Result<Key> importJwk(QByteArrayView json)
{
    const JsonDocument document = parseJson(json);
    if (!document.ok())
        return keyFailure(ErrorCode::Json,
                          JwkText::tr("JWK is not valid JSON at offset %1: %2")
                              .arg(document.error ? document.error->offset : 0)
                              .arg(document.error ? document.error->message : JwkText::tr("no value")));
    // RFC 7517 §4: member names are unique; a key whose "n" or "kid" is written twice is ambiguous.
    if (!document.duplicates.empty())
        return keyFailure(ErrorCode::KeyInvalid,
                          JwkText::tr("JWK member \"%1\" appears twice").arg(document.duplicates.front().path));
    return importJwk(*document.root);
}

Result<std::vector<Key>> importJwks(QByteArrayView json)
{
    using Keys = Result<std::vector<Key>>;
    const JsonDocument document = parseJson(json);
    if (!document.ok())
        return Keys::failure(ErrorCode::Json,
                             JwkText::tr("JWKS is not valid JSON at offset %1: %2")
                                 .arg(document.error ? document.error->offset : 0)
                                 .arg(document.error ? document.error->message : JwkText::tr("no value")));
    if (!document.duplicates.empty())
        return Keys::failure(ErrorCode::KeyInvalid,
                             JwkText::tr("JWKS member \"%1\" appears twice").arg(document.duplicates.front().path));
    const JsonValue& root = *document.root;
    const JsonValue* keys = root.isObject() ? root.member(u"keys") : nullptr;
    if (!keys || !keys->isArray())
        return Keys::failure(ErrorCode::KeyInvalid,
                             JwkText::tr("a JWKS is an object with a \"keys\" array (RFC 7517 §5)"));

    std::vector<Key> imported;
    QSet<QString> kids;
    bool hasOct = false;
    bool hasAsymmetric = false;
    int index = 0;
    for (const JsonValue& item : keys->items) {
        ++index;
        // A set's RSA keys are checked structurally here; OpenSSL's full public check (4 ms a key) would make a
        // 10,000-key JWKS take 40 s before one token is looked at.
        auto key = importJwkValue(item, keys->items.size() > 1);
        if (!key)
            return Keys::failure(key.code(), JwkText::tr("JWKS entry %1: %2").arg(index).arg(key.message()));
        key->metadata.source = JwkText::tr("JWKS entry %1").arg(index);
        const QString& kid = key->metadata.kid;
        // A kid picks one key; if two keys share it, which one verifies would be a guess.
        if (!kid.isEmpty()) {
            if (kids.contains(kid))
                return Keys::failure(
                    ErrorCode::KeyAmbiguous,
                    JwkText::tr("JWKS entry %1 repeats kid \"%2\"; the set is ambiguous").arg(index).arg(kid));
            kids.insert(kid);
        }
        (key->type() == KeyType::Oct ? hasOct : hasAsymmetric) = true;
        imported.push_back(std::move(key).value());
    }
    // A set mixing secrets with public keys invites algorithm confusion (RFC 8725 §3.1).
    if (hasOct && hasAsymmetric)
        return Keys::failure(ErrorCode::KeyAmbiguous,
                             JwkText::tr("JWKS mixes \"oct\" secrets with asymmetric keys; the set is ambiguous"));
    if (imported.empty())
        return Keys::failure(ErrorCode::KeyNotFound, JwkText::tr("JWKS has no keys"));
    return imported;
}

QByteArray exportJwk(const Key& key, bool includePrivate, int indent)
{
    if (key.isNull())
        return {};
    std::vector<Member> members = exportMembers(key, includePrivate);
    QByteArray out = render(members, indent);
    wipeMembers(members);
    return out;
}

QByteArray exportJwks(const std::vector<Key>& keys, int indent)
{
    QList<QByteArray> entries;
    for (const Key& key : keys) {
        // Public members only: an HMAC secret has none and is never published in a key set.
        if (key.isNull() || key.type() == KeyType::Oct)
            continue;
        entries.append(render(exportMembers(key, false), indent, indent > 0 ? 2 : 0));
    }
    if (indent <= 0) {
        QByteArray out = "{\"keys\":[";
        for (qsizetype i = 0; i < entries.size(); ++i)
            out += (i > 0 ? "," : "") + entries[i];
        return out + "]}";
    }
    const QByteArray one(indent, ' ');
    const QByteArray two(indent * 2, ' ');
    if (entries.isEmpty())
        return "{\n" + one + "\"keys\": []\n}";
    QByteArray out = "{\n" + one + "\"keys\": [\n";
    for (qsizetype i = 0; i < entries.size(); ++i)
        out += two + entries[i] + (i + 1 < entries.size() ? ",\n" : "\n");
    return out + one + "]\n}";
}

QByteArray thumbprintInput(const Key& key)
{
    if (key.isNull())
        return {};
    std::vector<Member> members = requiredMembers(key);
    QByteArray out = render(members, 0);
    wipeMembers(members);
    return out;
}

QString thumbprint(const Key& key)
{
    QByteArray input = thumbprintInput(key);
    if (input.isEmpty())
        return {};
    const QByteArray digest = computeDigest(Digest::Sha256, input);
    wipeBytes(input);
    return QString::fromLatin1(Base64Url::encode(digest));
}

} // namespace jwti
