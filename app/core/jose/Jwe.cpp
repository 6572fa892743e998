#include "core/jose/Jwe.h"

#include "core/crypto/ContentEncryption.h"
#include "core/crypto/KeyManagement.h"
#include "core/jose/Base64Url.h"
#include "core/jose/Deflate.h"
#include "core/jose/Jwk.h"
#include "core/jose/Wording.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>

namespace jwti {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Jwe", for every JWE message.
struct JweText
{
    Q_DECLARE_TR_FUNCTIONS(Jwe)
};

namespace {

bool isAsciiWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

QByteArrayView trimmedView(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isAsciiWhitespace(text[begin]))
        ++begin;
    while (end > begin && isAsciiWhitespace(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}

// Header parameters RFC 7515/7516/7518 define: never extensions, so never in "crit" (RFC 7515 §4.1.11).
bool isRegisteredHeaderName(const QString& name)
{
    static const QStringList names
        = {QStringLiteral("alg"),  QStringLiteral("enc"),      QStringLiteral("zip"), QStringLiteral("jku"),
           QStringLiteral("jwk"),  QStringLiteral("kid"),      QStringLiteral("x5u"), QStringLiteral("x5c"),
           QStringLiteral("x5t"),  QStringLiteral("x5t#S256"), QStringLiteral("typ"), QStringLiteral("cty"),
           QStringLiteral("crit"), QStringLiteral("epk"),      QStringLiteral("apu"), QStringLiteral("apv"),
           QStringLiteral("iv"),   QStringLiteral("tag"),      QStringLiteral("p2s"), QStringLiteral("p2c")};
    return names.contains(name);
}

static_assert(kPbes2MaxCount == 1000000, "the p2c message spells the cap out");

using ParseResult = Result<Jwe>;

ParseResult malformed(ErrorCode code, const QString& message)
{
    return ParseResult::failure(code, JweText::tr("malformed token: %1").arg(message));
}

// One base64url part, strictly: canonical or an error at the first issue's place.
struct Decoded
{
    bool ok = true;
    QByteArray bytes;
    QString error;
};

Decoded decodePart(QByteArrayView encoded, const QString& label, qsizetype textOffset)
{
    Decoded out;
    if (Base64Url::isCanonical(encoded)) {
        out.bytes = QByteArray::fromBase64(encoded.toByteArray(), QByteArray::Base64UrlEncoding);
        return out;
    }
    const Base64Decoded decoded = Base64Url::decode(encoded);
    out.ok = false;
    if (decoded.issues.empty()) {
        out.error = JweText::tr("%1, character %2: not canonical base64url").arg(label).arg(textOffset);
        return out;
    }
    // A character outside the alphabet is the cause; the spare bits of what precedes it are its consequence.
    const auto cause = std::find_if(decoded.issues.begin(), decoded.issues.end(), [](const Base64Issue& issue) {
        return issue.kind != Base64Issue::Kind::NonCanonicalBits;
    });
    const Base64Issue& issue = cause != decoded.issues.end() ? *cause : decoded.issues.front();
    out.error = JweText::tr("%1, character %2: %3").arg(label).arg(textOffset + issue.offset).arg(issue.message);
    return out;
}

// A header object from decoded bytes: JSON, an object, no repeated member.
Result<JsonValue> parseHeaderObject(const QByteArray& bytes, const QString& label)
{
    const JsonDocument document = parseJson(bytes);
    if (!document.ok())
        return Result<JsonValue>::failure(ErrorCode::Json,
                                          JweText::tr("%1 is not valid JSON: %2 (byte %3 of the decoded header)")
                                              .arg(label, document.error ? document.error->message : QString())
                                              .arg(document.error ? document.error->offset : 0));
    if (!document.root->isObject())
        return Result<JsonValue>::failure(ErrorCode::HeaderInvalid, JweText::tr("%1 is not a JSON object").arg(label));
    // RFC 7516 §4: member names must be unique; a security tool refuses rather than guess which one counts.
    if (!document.duplicates.empty())
        return Result<JsonValue>::failure(
            ErrorCode::HeaderInvalid,
            JweText::tr("%1 repeats the member %2").arg(label, quoted(document.duplicates.front().path)));
    return *document.root;
}

const JsonValue* memberOf(const std::optional<JsonValue>& object, QStringView name)
{
    return object && object->isObject() ? object->member(name) : nullptr;
}

// The JOSE header rules of RFC 7516 for every recipient, once the parts are read.
Result<void> checkHeaders(const Jwe& jwe, const std::vector<qsizetype>& recipientPlaces)
{
    auto fail = [](ErrorCode code, const QString& message) {
        return Result<void>::failure(code, JweText::tr("malformed token: %1").arg(message));
    };
    auto where = [&](size_t k) {
        return jwe.serialization == JweSerialization::JsonGeneral
            ? JweText::tr("character %1: recipients[%2]: ").arg(recipientPlaces[k]).arg(k)
            : JweText::tr("character %1: ").arg(recipientPlaces[k]);
    };

    // RFC 7516 §7.2.1: the protected, shared and per-recipient header parameter names are disjoint.
    if (jwe.protectedHeader && jwe.sharedHeader) {
        for (const JsonMember& member : jwe.sharedHeader->members) {
            if (jwe.protectedHeader->member(member.name))
                return fail(ErrorCode::HeaderInvalid,
                            JweText::tr("character %1: %2 is in both the protected and the shared unprotected header "
                                        "(RFC 7516 §7.2.1)")
                                .arg(member.nameSpan.begin)
                                .arg(quoted(member.name)));
        }
    }
    QString enc;
    for (size_t k = 0; k < jwe.recipients.size(); ++k) {
        const auto& own = jwe.recipients[k].header;
        if (own) {
            for (const JsonMember& member : own->members) {
                if (memberOf(jwe.protectedHeader, member.name) || memberOf(jwe.sharedHeader, member.name))
                    return fail(ErrorCode::HeaderInvalid,
                                JweText::tr("character %1: %2 is in both the recipient's header and the shared "
                                            "headers (RFC 7516 §7.2.1)")
                                    .arg(member.nameSpan.begin)
                                    .arg(quoted(member.name)));
            }
        }
        const int r = static_cast<int>(k);
        const JsonValue* alg = jwe.headerMember(r, u"alg");
        if (!alg || !alg->isString())
            return fail(ErrorCode::HeaderInvalid,
                        where(k)
                            + (alg ? JweText::tr("\"alg\" must be a string")
                                   : JweText::tr("the header has no \"alg\" (RFC 7516 §4.1.1)")));
        const JsonValue* encValue = jwe.headerMember(r, u"enc");
        if (!encValue || !encValue->isString())
            return fail(ErrorCode::HeaderInvalid,
                        where(k)
                            + (encValue ? JweText::tr("\"enc\" must be a string")
                                        : JweText::tr("the header has no \"enc\" (RFC 7516 §4.1.2)")));
        if (k == 0)
            enc = encValue->string;
        else if (encValue->string != enc)
            return fail(ErrorCode::HeaderInvalid,
                        where(k)
                            + JweText::tr("\"enc\" is %1 here but %2 for the first recipient: there is one "
                                          "ciphertext")
                                  .arg(quoted(encValue->string), quoted(enc)));
        const KeyManagementInfo* management = findKeyManagement(alg->string);
        if (!management)
            return fail(ErrorCode::AlgUnknown,
                        where(k) + JweText::tr("unknown JWE \"alg\" %1 (RFC 7518 §4.1)").arg(quoted(alg->string)));
        if (!findEnc(enc))
            return fail(ErrorCode::AlgUnknown,
                        where(k) + JweText::tr("unknown JWE \"enc\" %1 (RFC 7518 §5.1)").arg(quoted(enc)));
        // RFC 7516 §4.1.3: "zip" must be integrity protected.
        if (memberOf(own, u"zip") || memberOf(jwe.sharedHeader, u"zip"))
            return fail(ErrorCode::HeaderInvalid,
                        where(k)
                            + JweText::tr("\"zip\" is in an unprotected header; it must be in the protected "
                                          "header (RFC 7516 §4.1.3)"));
        if (memberOf(own, u"crit") || memberOf(jwe.sharedHeader, u"crit"))
            return fail(ErrorCode::HeaderInvalid,
                        where(k)
                            + JweText::tr("\"crit\" is in an unprotected header; it must be in the protected "
                                          "header (RFC 7515 §4.1.11)"));
        if (!management->hasEncryptedKey() && !jwe.recipients[k].encryptedKey.isEmpty())
            return fail(ErrorCode::MalformedToken,
                        where(k)
                            + JweText::tr("%1 uses no encrypted key, but the encrypted key is %2 bytes "
                                          "(RFC 7518 §4.5, §4.6)")
                                  .arg(management->displayName())
                                  .arg(jwe.recipients[k].encryptedKey.size()));
        if (management->hasEncryptedKey() && jwe.recipients[k].encryptedKey.isEmpty())
            return fail(ErrorCode::MalformedToken,
                        where(k)
                            + JweText::tr("%1 needs an encrypted key, and it is empty").arg(management->displayName()));
    }
    if (jwe.recipients.size() > 1) {
        for (size_t k = 0; k < jwe.recipients.size(); ++k) {
            const KeyManagementInfo* management = findKeyManagement(jwe.headerString(static_cast<int>(k), u"alg"));
            if (management && !management->hasEncryptedKey())
                return fail(ErrorCode::HeaderInvalid,
                            where(k)
                                + JweText::tr("%1 cannot be one of several recipients: its key is the CEK "
                                              "(RFC 7516 §7.2.1)")
                                      .arg(management->displayName()));
        }
    }

    if (const JsonValue* zip = memberOf(jwe.protectedHeader, u"zip")) {
        if (!zip->isString() || zip->string != u"DEF")
            return fail(ErrorCode::HeaderInvalid,
                        JweText::tr("protected header: unknown \"zip\" %1; only \"DEF\" is defined (RFC 7516 §4.1.3)")
                            .arg(zip->isString() ? quoted(zip->string) : QString::fromUtf8(zip->toCompactJson())));
    }
    if (const JsonValue* crit = memberOf(jwe.protectedHeader, u"crit")) {
        if (!crit->isArray() || crit->items.empty())
            return fail(ErrorCode::HeaderInvalid,
                        JweText::tr("protected header: \"crit\" must be a non-empty array of names (RFC 7515 "
                                    "§4.1.11)"));
        for (const JsonValue& item : crit->items) {
            if (!item.isString())
                return fail(ErrorCode::HeaderInvalid,
                            JweText::tr("protected header: \"crit\" must list names (strings)"));
            if (isRegisteredHeaderName(item.string))
                return fail(ErrorCode::HeaderInvalid,
                            JweText::tr("protected header: \"crit\" lists %1, a parameter of the standard itself "
                                        "(RFC 7515 §4.1.11)")
                                .arg(quoted(item.string)));
            return fail(ErrorCode::CritUnsupported,
                        JweText::tr("protected header: \"crit\" lists %1, an extension this tool does not understand "
                                    "(RFC 7515 §4.1.11 requires refusing the token)")
                            .arg(quoted(item.string)));
        }
    }

    // The IV and tag lengths the "enc" fixes (RFC 7518 §5.2.2.1, §5.3).
    const EncInfo* encInfo = findEnc(enc);
    if (jwe.iv.size() != encInfo->ivBytes)
        return fail(ErrorCode::MalformedToken,
                    JweText::tr("the initialization vector is %1 bytes; %2 needs %3")
                        .arg(jwe.iv.size())
                        .arg(encInfo->displayName())
                        .arg(encInfo->ivBytes));
    if (jwe.tag.size() != encInfo->tagBytes)
        return fail(ErrorCode::MalformedToken,
                    JweText::tr("the authentication tag is %1 bytes; %2 needs %3")
                        .arg(jwe.tag.size())
                        .arg(encInfo->displayName())
                        .arg(encInfo->tagBytes));
    return {};
}

ParseResult parseCompact(QByteArrayView text)
{
    std::vector<qsizetype> dots;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == '.')
            dots.push_back(i);
    }
    if (dots.size() != 4) {
        const qsizetype at = dots.size() > 4 ? dots[4] : (dots.empty() ? 0 : dots.back());
        return malformed(ErrorCode::MalformedToken,
                         JweText::tr("character %1: a compact JWE has five base64url parts separated by four dots; "
                                     "this has %2")
                             .arg(at)
                             .arg(dots.size() + 1));
    }
    static const std::array<const char*, 5> labels
        = {QT_TRANSLATE_NOOP("Jwe", "header segment"), QT_TRANSLATE_NOOP("Jwe", "encrypted key segment"),
           QT_TRANSLATE_NOOP("Jwe", "initialization vector segment"), QT_TRANSLATE_NOOP("Jwe", "ciphertext segment"),
           QT_TRANSLATE_NOOP("Jwe", "authentication tag segment")};
    std::array<QByteArray, 5> encoded;
    std::array<QByteArray, 5> decoded;
    qsizetype start = 0;
    for (size_t k = 0; k < 5; ++k) {
        const qsizetype end = k < 4 ? dots[k] : text.size();
        encoded[k] = text.sliced(start, end - start).toByteArray();
        const Decoded part = decodePart(encoded[k], JweText::tr(labels[k]), start);
        if (!part.ok)
            return malformed(ErrorCode::Base64, part.error);
        decoded[k] = part.bytes;
        start = end + 1;
    }
    if (encoded[0].isEmpty())
        return malformed(ErrorCode::MalformedToken,
                         JweText::tr("header segment, character 0: the segment is empty: a compact JWE needs a "
                                     "protected header"));
    auto header = parseHeaderObject(decoded[0], JweText::tr("header segment, character 0: the header"));
    if (!header)
        return malformed(header.code(), header.message());

    Jwe jwe;
    jwe.serialization = JweSerialization::Compact;
    jwe.protectedEncoded = encoded[0];
    jwe.protectedHeader = std::move(header).value();
    jwe.recipients.push_back({std::nullopt, encoded[1], decoded[1]});
    jwe.ivEncoded = encoded[2];
    jwe.iv = decoded[2];
    jwe.ciphertextEncoded = encoded[3];
    jwe.ciphertext = decoded[3];
    jwe.tagEncoded = encoded[4];
    jwe.tag = decoded[4];
    if (auto checked = checkHeaders(jwe, {0}); !checked)
        return checked.error();
    return jwe;
}

ParseResult parseJsonSerialization(QByteArrayView text)
{
    const JsonDocument document = parseJson(text);
    if (!document.ok()) {
        const qsizetype at = document.error ? document.error->offset : 0;
        return malformed(ErrorCode::Json,
                         JweText::tr("character %1: not valid JSON: %2")
                             .arg(at)
                             .arg(document.error ? document.error->message : QString()));
    }
    const JsonValue& root = *document.root;
    if (!root.isObject())
        return malformed(ErrorCode::MalformedToken, JweText::tr("character 0: not a JSON object"));
    if (!document.duplicates.empty())
        return malformed(ErrorCode::MalformedToken,
                         JweText::tr("character %1: the member %2 is repeated")
                             .arg(document.duplicates.front().second.begin)
                             .arg(quoted(document.duplicates.front().path)));

    auto stringMember = [&](const JsonValue& object, QStringView name, bool required, const QString& label,
                            QByteArray& encodedOut, QByteArray& decodedOut) -> Result<bool> {
        const JsonValue* value = object.member(name);
        if (!value) {
            if (required)
                return Result<bool>::failure(ErrorCode::MalformedToken,
                                             JweText::tr("character %1: no %2 member (RFC 7516 §7.2.1)")
                                                 .arg(object.span.begin)
                                                 .arg(quoted(name.toString())));
            return false;
        }
        if (!value->isString())
            return Result<bool>::failure(
                ErrorCode::MalformedToken,
                JweText::tr("character %1: %2 must be a string").arg(value->span.begin).arg(quoted(name.toString())));
        encodedOut = value->string.toUtf8();
        const Decoded part = decodePart(encodedOut, label, value->span.begin + 1);
        if (!part.ok)
            return Result<bool>::failure(ErrorCode::Base64, part.error);
        decodedOut = part.bytes;
        return true;
    };
    auto objectMember = [&](const JsonValue& object, QStringView name, std::optional<JsonValue>& out) -> Result<void> {
        const JsonValue* value = object.member(name);
        if (!value)
            return {};
        if (!value->isObject())
            return Result<void>::failure(ErrorCode::MalformedToken,
                                         JweText::tr("character %1: %2 must be a JSON object")
                                             .arg(value->span.begin)
                                             .arg(quoted(name.toString())));
        out = *value;
        return {};
    };
    auto failWith = [](const Error& error) { return malformed(error.code, error.message); };

    Jwe jwe;
    QByteArray protectedBytes;
    auto protectedRead
        = stringMember(root, u"protected", false, JweText::tr("\"protected\""), jwe.protectedEncoded, protectedBytes);
    if (!protectedRead)
        return failWith(protectedRead.error());
    if (*protectedRead) {
        const JsonValue* value = root.member(u"protected");
        if (jwe.protectedEncoded.isEmpty())
            return malformed(ErrorCode::MalformedToken,
                             JweText::tr("character %1: \"protected\" is empty: leave it out when there is no "
                                         "protected header")
                                 .arg(value->span.begin));
        auto header = parseHeaderObject(protectedBytes,
                                        JweText::tr("character %1: the protected header").arg(value->span.begin));
        if (!header)
            return malformed(header.code(), header.message());
        jwe.protectedHeader = std::move(header).value();
    }
    if (auto shared = objectMember(root, u"unprotected", jwe.sharedHeader); !shared)
        return failWith(shared.error());
    QByteArray ignored;
    for (auto [name, encodedOut, decodedOut, required, label] :
         {std::tuple{u"iv", &jwe.ivEncoded, &jwe.iv, true, JweText::tr("\"iv\"")},
          std::tuple{u"ciphertext", &jwe.ciphertextEncoded, &jwe.ciphertext, true, JweText::tr("\"ciphertext\"")},
          std::tuple{u"tag", &jwe.tagEncoded, &jwe.tag, true, JweText::tr("\"tag\"")}}) {
        auto read = stringMember(root, name, required, label, *encodedOut, *decodedOut);
        if (!read)
            return failWith(read.error());
    }
    if (root.member(u"aad")) {
        QByteArray aadEncoded;
        auto read = stringMember(root, u"aad", false, JweText::tr("\"aad\""), aadEncoded, ignored);
        if (!read)
            return failWith(read.error());
        jwe.aadEncoded = aadEncoded;
    }

    std::vector<qsizetype> places;
    const JsonValue* recipients = root.member(u"recipients");
    if (recipients) {
        if (root.member(u"header") || root.member(u"encrypted_key"))
            return malformed(ErrorCode::MalformedToken,
                             JweText::tr("character %1: both \"recipients\" and a flattened \"header\" or "
                                         "\"encrypted_key\": the general and the flattened forms cannot be mixed "
                                         "(RFC 7516 §7.2.2)")
                                 .arg(recipients->span.begin));
        if (!recipients->isArray() || recipients->items.empty())
            return malformed(
                ErrorCode::MalformedToken,
                JweText::tr("character %1: \"recipients\" must be a non-empty array").arg(recipients->span.begin));
        jwe.serialization = JweSerialization::JsonGeneral;
        for (size_t k = 0; k < recipients->items.size(); ++k) {
            const JsonValue& item = recipients->items[k];
            if (!item.isObject())
                return malformed(ErrorCode::MalformedToken,
                                 JweText::tr("character %1: recipients[%2] is not a "
                                             "JSON object")
                                     .arg(item.span.begin)
                                     .arg(k));
            JweRecipient recipient;
            if (auto header = objectMember(item, u"header", recipient.header); !header)
                return failWith(header.error());
            auto key
                = stringMember(item, u"encrypted_key", false, JweText::tr("recipients[%1] \"encrypted_key\"").arg(k),
                               recipient.encryptedKeyEncoded, recipient.encryptedKey);
            if (!key)
                return failWith(key.error());
            jwe.recipients.push_back(std::move(recipient));
            places.push_back(item.span.begin);
        }
    } else {
        jwe.serialization = JweSerialization::JsonFlattened;
        JweRecipient recipient;
        if (auto header = objectMember(root, u"header", recipient.header); !header)
            return failWith(header.error());
        auto key = stringMember(root, u"encrypted_key", false, JweText::tr("\"encrypted_key\""),
                                recipient.encryptedKeyEncoded, recipient.encryptedKey);
        if (!key)
            return failWith(key.error());
        jwe.recipients.push_back(std::move(recipient));
        places.push_back(0);
    }
    if (auto checked = checkHeaders(jwe, places); !checked)
        return checked.error();
    return jwe;
}

} // namespace

const JsonValue* Jwe::headerMember(int recipient, QStringView name) const
{
    if (const JsonValue* value = memberOf(protectedHeader, name))
        return value;
    if (const JsonValue* value = memberOf(sharedHeader, name))
        return value;
    if (recipient >= 0 && static_cast<size_t>(recipient) < recipients.size())
        return memberOf(recipients[static_cast<size_t>(recipient)].header, name);
    return nullptr;
}

QString Jwe::headerString(int recipient, QStringView name) const
{
    const JsonValue* value = headerMember(recipient, name);
    return value && value->isString() ? value->string : QString();
}

QByteArray Jwe::additionalData() const
{
    if (!aadEncoded)
        return protectedEncoded;
    return protectedEncoded + '.' + *aadEncoded;
}

bool looksLikeJwe(QByteArrayView text)
{
    const QByteArrayView trimmed = trimmedView(text);
    if (trimmed.startsWith('{')) {
        const JsonDocument document = parseJson(trimmed);
        return document.ok() && document.root->isObject() && document.root->member(u"ciphertext");
    }
    return trimmed.count('.') == 4;
}

Result<Jwe> parseJwe(QByteArrayView text)
{
    const QByteArrayView trimmed = trimmedView(text);
    if (trimmed.isEmpty())
        return ParseResult::failure(ErrorCode::MalformedToken, JweText::tr("malformed token: the token is empty"));
    if (trimmed.front() == '{')
        return parseJsonSerialization(trimmed);
    for (qsizetype i = 0; i < trimmed.size(); ++i) {
        if (isAsciiWhitespace(trimmed[i]))
            return malformed(ErrorCode::MalformedToken,
                             JweText::tr("character %1: whitespace inside the token").arg(i));
    }
    return parseCompact(trimmed);
}

namespace {

// A base64url header member for key management (epk coordinates are the JWK's business): absent is empty.
Result<QByteArray> headerBytes(const Jwe& jwe, int recipient, QStringView name, bool required)
{
    const JsonValue* value = jwe.headerMember(recipient, name);
    if (!value) {
        if (required)
            return Result<QByteArray>::failure(
                ErrorCode::HeaderInvalid,
                JweText::tr("the header has no %1, which %2 needs")
                    .arg(quoted(name.toString()), quoted(jwe.headerString(recipient, u"alg"))));
        return QByteArray();
    }
    if (!value->isString() || !Base64Url::isCanonical(value->string.toLatin1()))
        return Result<QByteArray>::failure(
            ErrorCode::HeaderInvalid,
            JweText::tr("header member %1 must be a base64url string").arg(quoted(name.toString())));
    return QByteArray::fromBase64(value->string.toLatin1(), QByteArray::Base64UrlEncoding);
}

Result<Key> importEpk(const JsonValue* epk)
{
    if (!epk)
        return Result<Key>::failure(ErrorCode::HeaderInvalid,
                                    JweText::tr("the header has no \"epk\", which ECDH-ES needs (RFC 7518 §4.6.1.1)"));
    if (!epk->isObject() || epk->member(u"d"))
        return Result<Key>::failure(ErrorCode::HeaderInvalid,
                                    JweText::tr("\"epk\" must be a public JWK (RFC 7518 §4.6.1.1)"));
    auto key = importJwk(*epk);
    if (!key)
        return Result<Key>::failure(key.code() == ErrorCode::KeyInvalid ? ErrorCode::KeyInvalid
                                                                        : ErrorCode::HeaderInvalid,
                                    JweText::tr("the ephemeral key \"epk\" is refused: %1").arg(key.message()));
    if (!isEcdhCurve(key->curve()))
        return Result<Key>::failure(
            ErrorCode::HeaderInvalid,
            JweText::tr("the ephemeral key \"epk\" is %1, not an ECDH key").arg(key->description()));
    return key;
}

// The CEK of one recipient for one key; every cryptographic failure is DecryptionFailed without detail.
Result<SecretBytes> recoverCek(const Jwe& jwe, int recipient, const KeyManagementInfo& alg, const EncInfo& enc,
                               const Key& key)
{
    using R = Result<SecretBytes>;
    const QByteArray& encryptedKey = jwe.recipients[static_cast<size_t>(recipient)].encryptedKey;
    switch (alg.mode) {
    case KeyManagementMode::Direct:
        return key.secret();
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1:
        return rsaUnwrap(alg, key, encryptedKey, enc.cekBytes);
    case KeyManagementMode::AesKeyWrap:
        return aesKeyUnwrap(key.secret(), encryptedKey);
    case KeyManagementMode::AesGcmKeyWrap: {
        auto iv = headerBytes(jwe, recipient, u"iv", true);
        if (!iv)
            return iv.error();
        auto tag = headerBytes(jwe, recipient, u"tag", true);
        if (!tag)
            return tag.error();
        if (iv->size() != 12 || tag->size() != 16)
            return R::failure(ErrorCode::HeaderInvalid,
                              JweText::tr("%1 needs a 12-byte \"iv\" and a 16-byte \"tag\" header member; these are "
                                          "%2 and %3 bytes (RFC 7518 §4.7.1)")
                                  .arg(alg.displayName())
                                  .arg(iv->size())
                                  .arg(tag->size()));
        auto cek = gcmOpen(key.secret(), *iv, {}, encryptedKey, *tag);
        if (!cek)
            return cek.error();
        SecretBytes secret(*cek);
        wipeBytes(cek.value());
        return secret;
    }
    case KeyManagementMode::Pbes2: {
        const JsonValue* p2c = jwe.headerMember(recipient, u"p2c");
        const std::optional<qint64> count = p2c && p2c->isNumber() ? p2c->toInteger() : std::nullopt;
        if (!count)
            return R::failure(
                ErrorCode::HeaderInvalid,
                JweText::tr("%1 needs a whole-number \"p2c\" (RFC 7518 §4.8.1.2)").arg(alg.displayName()));
        if (*count < kPbes2MinCount || *count > kPbes2MaxCount)
            return R::failure(ErrorCode::HeaderInvalid,
                              JweText::tr("\"p2c\" is %1; this tool accepts %2 to %3 PBES2 iterations (fewer is too "
                                          "weak to protect a password, more lets a token spend the decrypter's time)")
                                  .arg(*count)
                                  .arg(kPbes2MinCount)
                                  .arg(QStringLiteral("1,000,000")));
        auto p2s = headerBytes(jwe, recipient, u"p2s", true);
        if (!p2s)
            return p2s.error();
        if (p2s->size() < 8)
            return R::failure(
                ErrorCode::HeaderInvalid,
                JweText::tr("\"p2s\" is %1 bytes; RFC 7518 §4.8.1.1 requires a salt of at least 8").arg(p2s->size()));
        auto kek = pbes2Key(alg, key.secret(), *p2s, static_cast<int>(*count));
        if (!kek)
            return kek.error();
        return aesKeyUnwrap(*kek, encryptedKey);
    }
    case KeyManagementMode::EcdhEs:
    case KeyManagementMode::EcdhEsKeyWrap: {
        auto epk = importEpk(jwe.headerMember(recipient, u"epk"));
        if (!epk)
            return epk.error();
        auto apu = headerBytes(jwe, recipient, u"apu", false);
        if (!apu)
            return apu.error();
        auto apv = headerBytes(jwe, recipient, u"apv", false);
        if (!apv)
            return apv.error();
        auto z = ecdhSharedSecret(key, *epk);
        if (!z)
            return z.error();
        const bool direct = alg.mode == KeyManagementMode::EcdhEs;
        const int keyBytes = direct ? enc.cekBytes : alg.wrapKeyBytes;
        const QByteArray otherInfo
            = concatKdfOtherInfo(direct ? QByteArray(enc.name) : QByteArray(alg.name), *apu, *apv, keyBytes);
        auto derived = concatKdf(*z, otherInfo, keyBytes);
        if (!derived || direct)
            return derived;
        return aesKeyUnwrap(*derived, encryptedKey);
    }
    }
    return R::failure(ErrorCode::AlgUnknown, JweText::tr("unknown key management"));
}

// Lower is better: a failure that reached the cryptography says more than a key that did not fit.
int failureRank(ErrorCode code)
{
    switch (code) {
    case ErrorCode::DecryptionFailed:
        return 0;
    case ErrorCode::KeyInvalid:
    case ErrorCode::HeaderInvalid:
    case ErrorCode::PayloadInvalid:
    case ErrorCode::MalformedToken:
        return 1;
    case ErrorCode::KeyWeak:
    case ErrorCode::KeyUseForbidden:
        return 2;
    default:
        return 3;
    }
}

} // namespace

Result<JweDecryption> decryptJwe(const Jwe& jwe, const std::vector<Key>& candidates, const JweDecryptOptions& options)
{
    using R = Result<JweDecryption>;
    if (candidates.empty())
        return R::failure(ErrorCode::KeyNotFound, JweText::tr("no key to decrypt with"));
    std::optional<Error> best;
    auto remember = [&](const Error& error) {
        if (!best || failureRank(error.code) < failureRank(best->code))
            best = error;
    };
    const QByteArray aad = jwe.additionalData();
    for (size_t r = 0; r < jwe.recipients.size(); ++r) {
        const int recipient = static_cast<int>(r);
        const QString algName = jwe.headerString(recipient, u"alg");
        const KeyManagementInfo* alg = findKeyManagement(algName);
        const EncInfo* enc = findEnc(jwe.headerString(recipient, u"enc"));
        if (!alg || !enc) {
            remember({ErrorCode::AlgUnknown, JweText::tr("unknown alg or enc")});
            continue;
        }
        if (!options.allowedAlgs.isEmpty() && !options.allowedAlgs.contains(algName)) {
            remember({ErrorCode::AlgNotAllowed,
                      JweText::tr("alg %1 is not among the allowed (%2)")
                          .arg(quoted(algName), options.allowedAlgs.join(QStringLiteral(", ")))});
            continue;
        }
        // The kid picks like verify's: the --kid given, else the header's when some candidate carries it.
        const QString headerKid = jwe.headerString(recipient, u"kid");
        const QString wantedKid = !options.kid.isEmpty() ? options.kid : headerKid;
        const bool anyWithKid = !wantedKid.isEmpty()
            && std::any_of(candidates.begin(), candidates.end(),
                           [&](const Key& key) { return key.metadata.kid == wantedKid; });
        if (!options.kid.isEmpty() && !anyWithKid) {
            remember({ErrorCode::KeyNotFound, JweText::tr("no key has kid %1").arg(quoted(options.kid))});
            continue;
        }
        for (const Key& key : candidates) {
            if (anyWithKid && key.metadata.kid != wantedKid)
                continue;
            if (auto fits = checkKeyFitsJwe(*alg, *enc, key, JweKeyPurpose::Decrypt); !fits) {
                remember(fits.error());
                continue;
            }
            auto cek = recoverCek(jwe, recipient, *alg, *enc, key);
            if (!cek) {
                remember(cek.error());
                continue;
            }
            if (cek->size() != enc->cekBytes) {
                // A key that unwrapped to a CEK of another length is a wrong key, said the same way as the others.
                remember({ErrorCode::DecryptionFailed,
                          JweText::tr("the token does not decrypt with this key (a wrong key, or the token was "
                                      "changed)")});
                continue;
            }
            auto plaintext = openContent(*enc, *cek, jwe.iv, aad, jwe.ciphertext, jwe.tag);
            if (!plaintext) {
                remember(plaintext.error());
                continue;
            }
            JweDecryption out;
            out.recipient = recipient;
            out.alg = algName;
            out.enc = enc->displayName();
            out.zip = jwe.headerString(recipient, u"zip");
            out.cty = jwe.headerString(recipient, u"cty");
            out.key = key;
            if (out.zip == u"DEF") {
                auto inflated = inflateRaw(*plaintext, options.maxInflatedBytes);
                wipeBytes(plaintext.value());
                if (!inflated)
                    return inflated.error();
                out.plaintext = std::move(inflated).value();
            } else {
                out.plaintext = std::move(plaintext).value();
            }
            return out;
        }
    }
    if (!best)
        return R::failure(ErrorCode::KeyNotFound, JweText::tr("no key fits the token"));
    return *best;
}

namespace {

QByteArray jsonMember(const char* name, const QByteArray& json)
{
    return jsonQuote(QString::fromLatin1(name)) + ':' + json;
}

QByteArray jsonString(const QString& text)
{
    return jsonQuote(text);
}

} // namespace

Result<QByteArray> encryptJwe(QByteArrayView plaintext, const Key& key, const JweEncryptOptions& options)
{
    using R = Result<QByteArray>;
    // With a fixed protected header (a published example) its members rule; otherwise the options do.
    std::optional<JsonValue> fixedHeader;
    if (!options.protectedEncoded.isEmpty()) {
        if (!Base64Url::isCanonical(options.protectedEncoded))
            return R::failure(ErrorCode::HeaderInvalid, JweText::tr("the protected header is not base64url"));
        auto header = parseHeaderObject(QByteArray::fromBase64(options.protectedEncoded, QByteArray::Base64UrlEncoding),
                                        JweText::tr("the protected header"));
        if (!header)
            return header.error();
        fixedHeader = std::move(header).value();
    }
    auto fixedString = [&](QStringView name) {
        const JsonValue* value = fixedHeader ? fixedHeader->member(name) : nullptr;
        return value && value->isString() ? value->string : QString();
    };
    const QString algName = fixedHeader ? fixedString(u"alg") : options.alg;
    const QString encName = fixedHeader ? fixedString(u"enc") : options.enc;
    const QString zip = fixedHeader ? fixedString(u"zip") : options.zip;
    const KeyManagementInfo* alg = findKeyManagement(algName);
    if (!alg)
        return R::failure(ErrorCode::AlgUnknown,
                          JweText::tr("unknown JWE alg %1 (RFC 7518 §4.1)").arg(quoted(algName)));
    const EncInfo* enc = findEnc(encName);
    if (!enc)
        return R::failure(ErrorCode::AlgUnknown,
                          JweText::tr("unknown JWE enc %1 (RFC 7518 §5.1)").arg(quoted(encName)));
    if (!zip.isEmpty() && zip != u"DEF")
        return R::failure(ErrorCode::Usage, JweText::tr("unknown zip %1; only DEF is defined").arg(quoted(zip)));
    if (auto fits = checkKeyFitsJwe(*alg, *enc, key, JweKeyPurpose::Encrypt); !fits)
        return fits.error();

    // The CEK: the key itself (dir), agreed (ECDH-ES), or fresh and wrapped.
    SecretBytes cek;
    if (options.cek) {
        cek = *options.cek;
    } else if (alg->mode == KeyManagementMode::Direct) {
        cek = key.secret();
    } else if (alg->mode != KeyManagementMode::EcdhEs) {
        auto random = randomSecret(enc->cekBytes);
        if (!random)
            return random.error();
        cek = std::move(random).value();
    }

    std::vector<QByteArray> params; // key management header members, JSON-encoded
    QByteArray encryptedKey;
    switch (alg->mode) {
    case KeyManagementMode::Direct:
        if (!cek.equals(key.secret().view()) || cek.size() != key.secret().size())
            return R::failure(ErrorCode::Usage, JweText::tr("with dir the CEK is the key itself"));
        break;
    case KeyManagementMode::RsaOaep:
    case KeyManagementMode::RsaPkcs1: {
        auto wrapped = rsaWrap(*alg, key, cek);
        if (!wrapped)
            return wrapped.error();
        encryptedKey = *wrapped;
        break;
    }
    case KeyManagementMode::AesKeyWrap: {
        auto wrapped = aesKeyWrap(key.secret(), cek);
        if (!wrapped)
            return wrapped.error();
        encryptedKey = *wrapped;
        break;
    }
    case KeyManagementMode::AesGcmKeyWrap: {
        QByteArray iv = options.keyWrapIv;
        if (fixedHeader) {
            auto fromHeader = QByteArray::fromBase64(fixedString(u"iv").toLatin1(), QByteArray::Base64UrlEncoding);
            if (!iv.isEmpty() && iv != fromHeader)
                return R::failure(ErrorCode::Usage, JweText::tr("the key wrap IV differs from the header's \"iv\""));
            iv = fromHeader;
        }
        if (iv.isEmpty()) {
            auto random = randomBytes(12);
            if (!random)
                return random.error();
            iv = *random;
        }
        if (iv.size() != 12)
            return R::failure(ErrorCode::Usage, JweText::tr("the key wrap IV must be 12 bytes"));
        auto sealed = gcmSeal(key.secret(), iv, {}, cek.view());
        if (!sealed)
            return sealed.error();
        encryptedKey = sealed->ciphertext;
        if (fixedHeader && fixedString(u"tag").toLatin1() != Base64Url::encode(sealed->tag))
            return R::failure(ErrorCode::Usage, JweText::tr("the key wrap tag differs from the header's \"tag\""));
        params.push_back(jsonMember("iv", jsonString(QString::fromLatin1(Base64Url::encode(iv)))));
        params.push_back(jsonMember("tag", jsonString(QString::fromLatin1(Base64Url::encode(sealed->tag)))));
        break;
    }
    case KeyManagementMode::Pbes2: {
        QByteArray salt = options.p2s;
        int count = options.p2c;
        if (fixedHeader) {
            salt = QByteArray::fromBase64(fixedString(u"p2s").toLatin1(), QByteArray::Base64UrlEncoding);
            const JsonValue* p2c = fixedHeader->member(u"p2c");
            count = p2c && p2c->toInteger() ? static_cast<int>(*p2c->toInteger()) : 0;
        }
        if (count < kPbes2MinCount || count > kPbes2MaxCount)
            return R::failure(ErrorCode::Usage,
                              JweText::tr("PBES2 iterations must be %1 to %2").arg(kPbes2MinCount).arg(kPbes2MaxCount));
        if (salt.isEmpty()) {
            auto random = randomBytes(16);
            if (!random)
                return random.error();
            salt = *random;
        }
        if (salt.size() < 8)
            return R::failure(ErrorCode::Usage, JweText::tr("the PBES2 salt must be at least 8 bytes"));
        auto kek = pbes2Key(*alg, key.secret(), salt, count);
        if (!kek)
            return kek.error();
        auto wrapped = aesKeyWrap(*kek, cek);
        if (!wrapped)
            return wrapped.error();
        encryptedKey = *wrapped;
        params.push_back(jsonMember("p2s", jsonString(QString::fromLatin1(Base64Url::encode(salt)))));
        params.push_back(jsonMember("p2c", QByteArray::number(count)));
        break;
    }
    case KeyManagementMode::EcdhEs:
    case KeyManagementMode::EcdhEsKeyWrap: {
        Key ephemeral;
        if (options.ephemeralKey) {
            ephemeral = *options.ephemeralKey;
        } else {
            auto generated = generateEphemeralKey(key.curve());
            if (!generated)
                return generated.error();
            ephemeral = *generated;
        }
        QByteArray apu = options.apu;
        QByteArray apv = options.apv;
        if (fixedHeader) {
            apu = QByteArray::fromBase64(fixedString(u"apu").toLatin1(), QByteArray::Base64UrlEncoding);
            apv = QByteArray::fromBase64(fixedString(u"apv").toLatin1(), QByteArray::Base64UrlEncoding);
        }
        if (fixedHeader) {
            // The header's epk must be the public half of the ephemeral key given, or the token could not decrypt.
            auto headerEpk = importEpk(fixedHeader->member(u"epk"));
            if (!headerEpk)
                return headerEpk.error();
            if (thumbprint(*headerEpk) != thumbprint(ephemeral.publicOnly()))
                return R::failure(ErrorCode::Usage, JweText::tr("the ephemeral key is not the header's \"epk\""));
        }
        auto z = ecdhSharedSecret(ephemeral, key.publicOnly().isNull() ? key : key.publicOnly());
        if (!z)
            return z.error();
        const bool direct = alg->mode == KeyManagementMode::EcdhEs;
        const int keyBytes = direct ? enc->cekBytes : alg->wrapKeyBytes;
        auto derived = concatKdf(
            *z, concatKdfOtherInfo(direct ? QByteArray(enc->name) : QByteArray(alg->name), apu, apv, keyBytes),
            keyBytes);
        if (!derived)
            return derived.error();
        if (direct) {
            if (options.cek && !options.cek->equals(derived->view()))
                return R::failure(ErrorCode::Usage, JweText::tr("with ECDH-ES the CEK is the agreed key"));
            cek = *derived;
        } else {
            auto wrapped = aesKeyWrap(*derived, cek);
            if (!wrapped)
                return wrapped.error();
            encryptedKey = *wrapped;
        }
        Key ephemeralPublic = ephemeral.publicOnly();
        ephemeralPublic.metadata = {};
        params.push_back(jsonMember("epk", exportJwk(ephemeralPublic, false, 0)));
        if (!apu.isEmpty())
            params.push_back(jsonMember("apu", jsonString(QString::fromLatin1(Base64Url::encode(apu)))));
        if (!apv.isEmpty())
            params.push_back(jsonMember("apv", jsonString(QString::fromLatin1(Base64Url::encode(apv)))));
        break;
    }
    }

    QByteArray protectedEncoded = options.protectedEncoded;
    if (!fixedHeader) {
        QByteArray header = '{' + jsonMember("alg", jsonString(algName)) + ',' + jsonMember("enc", jsonString(encName));
        if (!zip.isEmpty())
            header += ',' + jsonMember("zip", jsonString(zip));
        if (!options.kid.isEmpty())
            header += ',' + jsonMember("kid", jsonString(options.kid));
        if (!options.cty.isEmpty())
            header += ',' + jsonMember("cty", jsonString(options.cty));
        for (const QByteArray& param : params)
            header += ',' + param;
        header += '}';
        protectedEncoded = Base64Url::encode(header);
    }

    QByteArray iv = options.iv;
    if (iv.isEmpty()) {
        auto random = randomBytes(enc->ivBytes);
        if (!random)
            return random.error();
        iv = *random;
    }
    const QByteArray content = zip == u"DEF" ? deflateRaw(plaintext) : plaintext.toByteArray();
    auto sealed = sealContent(*enc, cek, iv, protectedEncoded, content);
    if (!sealed)
        return sealed.error();
    return protectedEncoded + '.' + Base64Url::encode(encryptedKey) + '.' + Base64Url::encode(iv) + '.'
        + Base64Url::encode(sealed->ciphertext) + '.' + Base64Url::encode(sealed->tag);
}

} // namespace jwti
