#include "core/jose/Token.h"

#include <QCoreApplication>
#include <QStringDecoder>
#include <QVarLengthArray>
#include <algorithm>
#include <array>
#include <cstring>

namespace jwti {
namespace {

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Token", for every string here.
struct TokenText
{
    Q_DECLARE_TR_FUNCTIONS(Token)
};

constexpr std::array<SegmentRole, 3> kJwsRoles = {SegmentRole::Header, SegmentRole::Payload, SegmentRole::Signature};
constexpr std::array<SegmentRole, 5> kJweRoles
    = {SegmentRole::Header, SegmentRole::EncryptedKey, SegmentRole::Iv, SegmentRole::Ciphertext, SegmentRole::Tag};

// TokenDetail::ForVerdict builds of the JSON only what a verdict reads: of a header, what this reader and the
// verdict's checks look at (RFC 7515 §4.1, RFC 7516 §4.1.2, RFC 7797 §3); of a claims set, the claims a verdict judges
// (RFC 7519 §4.1). Everything else is still read and checked as strictly (parseJsonKeeping).
const QLatin1String kVerdictHeaderMembers[] = {QLatin1String("alg"), QLatin1String("enc"),  QLatin1String("kid"),
                                               QLatin1String("typ"), QLatin1String("crit"), QLatin1String("b64")};
const QLatin1String kVerdictClaims[]
    = {QLatin1String("exp"), QLatin1String("nbf"), QLatin1String("iat"), QLatin1String("aud"), QLatin1String("iss")};

// The compact header last read for a verdict on this thread, when it decoded and parsed without a problem. The tokens
// of a batch share one header (the same alg, kid and typ on every line): it is then decoded and parsed once, and each
// token gets a copy, which shares its strings. What is read is exactly what reading the same bytes again gives, so
// parseStrict stays a function of its text. One header a thread, and only a small one: the memory stays bounded.
struct KnownHeader
{
    QByteArray encoded;
    Base64Decoded decoded;
    JsonDocument json;
};
thread_local std::optional<KnownHeader> t_knownHeader;
constexpr qsizetype kKnownHeaderMaxBytes = 2048;

bool isLineBreak(char16_t c)
{
    return c == u'\n' || c == u'\r' || c == u'\v' || c == u'\f' || c == 0x2028 || c == 0x2029 || c == 0x85;
}

// Characters a copy from a web page or a chat leaves in a token without showing them.
bool isInvisible(char16_t c)
{
    return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x00AD;
}

bool isNoiseSpace(QChar c)
{
    return c.isSpace() || isInvisible(c.unicode());
}

bool isAsciiWhitespace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The offset of the first ASCII whitespace in text, or its size. Every character of every verified token passes here,
// so eight are tested at once: a word with no byte below 0x21 (the usual case) holds no whitespace. (x - 0x21…) & ~x
// & 0x80… is non-zero exactly when some byte is below 0x21: bytes of 0x80 and above have no high bit in ~x, and a
// borrow reaches a byte only from a lower byte that is itself below 0x21.
qsizetype firstAsciiWhitespace(QByteArrayView text)
{
    constexpr quint64 kOnes = 0x0101010101010101ull;
    constexpr quint64 kHighBits = 0x8080808080808080ull;
    const char* data = text.data();
    const qsizetype size = text.size();
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        quint64 word;
        std::memcpy(&word, data + i, sizeof word);
        if (((word - 0x21 * kOnes) & ~word & kHighBits) == 0)
            continue;
        for (qsizetype k = i; k < i + 8; ++k) {
            if (isAsciiWhitespace(data[k]))
                return k;
        }
    }
    for (; i < size; ++i) {
        if (isAsciiWhitespace(data[i]))
            return i;
    }
    return size;
}

QString plural(qsizetype count, const char* one, const char* many)
{
    return QStringLiteral("%1 %2").arg(count).arg(TokenText::tr(count == 1 ? one : many));
}

// Appends one UTF-16 code point (or pair) as UTF-8, mapping each byte to the input offset it came from.
void appendUtf8(QByteArray& text, std::vector<qsizetype>& map, const QString& input, qsizetype& i)
{
    const qsizetype at = i;
    char32_t cp = input[i].unicode();
    if (QChar::isHighSurrogate(cp) && i + 1 < input.size() && input[i + 1].isLowSurrogate()) {
        cp = QChar::surrogateToUcs4(input[i].unicode(), input[i + 1].unicode());
        ++i;
    } else if (QChar::isSurrogate(cp)) {
        cp = 0xFFFD;
    }
    auto put = [&](unsigned int byte) {
        text.append(static_cast<char>(byte));
        map.push_back(at);
    };
    if (cp < 0x80) {
        put(cp);
    } else if (cp < 0x800) {
        put(0xC0 | (cp >> 6));
        put(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        put(0xE0 | (cp >> 12));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    } else {
        put(0xF0 | (cp >> 18));
        put(0x80 | ((cp >> 12) & 0x3F));
        put(0x80 | ((cp >> 6) & 0x3F));
        put(0x80 | (cp & 0x3F));
    }
}

qsizetype firstNonJsonSpace(const QByteArray& bytes)
{
    qsizetype i = 0;
    while (i < bytes.size() && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\n' || bytes[i] == '\r'))
        ++i;
    return i;
}

// "None" or "NONE" is not the unsecured algorithm (RFC 7518 §3.6 names exactly "none"), but a token that spells it so
// is an attempt at one: its empty signature is left for the verify and findings layers to judge by its alg.
bool isNoneInAnyCase(const JsonValue* alg)
{
    return alg && alg->isString() && alg->string.compare(QLatin1String("none"), Qt::CaseInsensitive) == 0;
}

// Reads Token::text (already cleaned) into segments, signatures and errors.
class TokenReader
{
public:
    explicit TokenReader(Token& token, TokenDetail detail = TokenDetail::Full)
        : m_token(token)
        , m_detail(detail)
    {
    }

    void read();

private:
    struct SegmentPlace
    {
        OffsetRange range; // in Token::text
        bool exact = true; // false when the encoded text is not a verbatim slice of Token::text (JSON escapes)
        QString prefix; // before the segment's role in messages: "signatures[1] " (JSON forms), else empty
    };

    void addError(int segment, OffsetRange range, ErrorCode code, const QString& message, const QString& reason = {})
    {
        m_token.errors.push_back({segment, range, code, message, reason.isEmpty() ? message : reason});
    }
    void addSegmentError(int index, qsizetype character, qsizetype length, ErrorCode code, const QString& message)
    {
        // The label ("header", "signatures[1] header") is made here, on the rare path: a token read without a
        // problem never needs it (verify --batch reads one a line).
        const QString label = m_places[static_cast<size_t>(index)].prefix
            + segmentRoleName(m_token.segments[static_cast<size_t>(index)].role);
        addError(index, {character, character + length}, code,
                 TokenText::tr("%1 segment, character %2: %3").arg(label).arg(character).arg(message), message);
    }
    // The characters in Token::text that carry decoded bytes [byteBegin, byteEnd) of a segment.
    OffsetRange textRangeForBytes(int index, qsizetype byteBegin, qsizetype byteEnd) const;

    // known: the segment's bytes, already decoded without an issue (a header read before).
    int addSegment(SegmentRole role, SegmentPlace place, QByteArray encoded, bool decode,
                   const Base64Decoded* known = nullptr);
    Segment segmentForVerdictOrCopy(int index);
    JsonDocument parseHeaderJson(QByteArrayView bytes) const;
    void readJsonPayload(int index);
    void checkHeader(int headerIndex, const JsonValue* unprotected);
    const JsonValue* headerMember(int headerIndex, const JsonValue* unprotected, QStringView name) const;

    void readCompact();
    void readJsonSerialization();
    bool readJsonSignature(const JsonValue& object, const QString& prefix);
    void readJweJsonSerialization(const JsonValue& root);

    Token& m_token;
    TokenDetail m_detail;
    std::vector<SegmentPlace> m_places; // parallel to m_token.segments
};

OffsetRange TokenReader::textRangeForBytes(int index, qsizetype byteBegin, qsizetype byteEnd) const
{
    const Segment& segment = m_token.segments[static_cast<size_t>(index)];
    const SegmentPlace& place = m_places[static_cast<size_t>(index)];
    if (!place.exact)
        return place.range;
    if (m_token.unencodedPayload && segment.role == SegmentRole::Payload) {
        const qsizetype end = std::min(byteEnd, place.range.size());
        return {place.range.begin + std::min(byteBegin, end), place.range.begin + end};
    }
    const OffsetRange chars = Base64Url::encodedRangeForBytes({byteBegin, byteEnd}, segment.encoded.size());
    return {place.range.begin + chars.begin, place.range.begin + chars.end};
}

int TokenReader::addSegment(SegmentRole role, SegmentPlace place, QByteArray encoded, bool decode,
                            const Base64Decoded* known)
{
    Segment segment;
    segment.role = role;
    segment.range = place.range;
    segment.encoded = std::move(encoded);
    const int index = static_cast<int>(m_token.segments.size());
    m_places.push_back(std::move(place));
    if (known) {
        segment.decoded = *known;
    } else if (decode) {
        // The common case, canonical base64url, takes the one-pass decoder; anything else the lenient one that reports.
        if (!Base64Url::decodeCanonical(segment.encoded, segment.decoded.bytes))
            segment.decoded = Base64Url::decode(segment.encoded);
    } else {
        // RFC 7797 §5: with "b64": false the payload is carried as is.
        segment.decoded.bytes = segment.encoded;
    }
    m_token.segments.push_back(std::move(segment));
    const SegmentPlace& where = m_places.back();
    for (const Base64Issue& issue : m_token.segments.back().decoded.issues) {
        const qsizetype character = where.exact ? where.range.begin + issue.offset : where.range.begin;
        const qsizetype length = where.exact ? issue.length : where.range.size();
        addSegmentError(index, character, length, ErrorCode::Base64, issue.message);
    }
    return index;
}

// A payload that starts with '{' is a claims set and must be exactly one JSON object; other payloads are bytes.
void TokenReader::readJsonPayload(int index)
{
    Segment& segment = m_token.segments[static_cast<size_t>(index)];
    const QByteArray& bytes = segment.decoded.bytes;
    const qsizetype start = firstNonJsonSpace(bytes);
    if (start >= bytes.size() || bytes[start] != '{')
        return;
    segment.json = m_detail == TokenDetail::ForVerdict ? parseJsonKeeping(bytes, kVerdictClaims) : parseJson(bytes);
    const JsonDocument& document = *segment.json;
    if (document.error) {
        const qsizetype offset = std::min(document.error->offset, bytes.size());
        const OffsetRange range = textRangeForBytes(index, offset, std::min(offset + 1, bytes.size()));
        addSegmentError(
            index, range.begin, range.size(), ErrorCode::PayloadInvalid,
            TokenText::tr("the payload starts with '{' but is not exactly one JSON object: %1 (byte %2 of the "
                          "decoded payload)")
                .arg(document.error->message)
                .arg(document.error->offset));
    }
}

const JsonValue* TokenReader::headerMember(int headerIndex, const JsonValue* unprotected, QStringView name) const
{
    if (headerIndex >= 0) {
        const Segment& segment = m_token.segments[static_cast<size_t>(headerIndex)];
        if (segment.json && segment.json->root && segment.json->root->isObject()) {
            if (const JsonValue* value = segment.json->root->member(name))
                return value;
        }
    }
    if (unprotected && unprotected->isObject())
        return unprotected->member(name);
    return nullptr;
}

// A copy of segment index for the place a verdict reads it from (Token::payload, a signature's protected header). For
// a verdict its JSON moves there rather than being copied: the tree in Token::segments is read by displays only.
Segment TokenReader::segmentForVerdictOrCopy(int index)
{
    Segment& source = m_token.segments[static_cast<size_t>(index)];
    if (m_detail == TokenDetail::Full)
        return source;
    Segment segment;
    segment.role = source.role;
    segment.range = source.range;
    segment.encoded = source.encoded;
    segment.decoded = source.decoded;
    segment.json = std::move(source.json);
    source.json.reset();
    return segment;
}

JsonDocument TokenReader::parseHeaderJson(QByteArrayView bytes) const
{
    return m_detail == TokenDetail::ForVerdict ? parseJsonKeeping(bytes, kVerdictHeaderMembers) : parseJson(bytes);
}

// RFC 7515 §4.1.1: "alg" is required; RFC 7797 §6: "b64": false must be understood, so it must be in "crit".
void TokenReader::checkHeader(int headerIndex, const JsonValue* unprotected)
{
    Segment* segment = headerIndex >= 0 ? &m_token.segments[static_cast<size_t>(headerIndex)] : nullptr;
    const qsizetype at = segment ? segment->range.begin : 0;
    const qsizetype length = segment ? segment->range.size() : 0;
    if (segment && !segment->encoded.isEmpty()) {
        if (!segment->json)
            segment->json = parseHeaderJson(segment->decoded.bytes);
        const JsonDocument& document = *segment->json;
        if (document.error) {
            const qsizetype size = segment->decoded.bytes.size();
            const qsizetype offset = std::min(document.error->offset, size);
            const OffsetRange range = textRangeForBytes(headerIndex, offset, std::min(offset + 1, size));
            addSegmentError(headerIndex, range.begin, range.size(), ErrorCode::Json,
                            TokenText::tr("the header is not valid JSON: %1 (byte %2 of the decoded header)")
                                .arg(document.error->message)
                                .arg(document.error->offset));
            return;
        }
        if (!document.root->isObject()) {
            addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid,
                            TokenText::tr("the header is not a JSON object"));
            return;
        }
    }
    const JsonValue* alg = headerMember(headerIndex, unprotected, u"alg");
    if (!alg)
        addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid,
                        TokenText::tr("the header has no \"alg\" member (RFC 7515 §4.1.1)"));
    else if (!alg->isString())
        addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid, TokenText::tr("\"alg\" must be a string"));

    const JsonValue* protectedRoot = segment && segment->json && segment->json->root ? &*segment->json->root : nullptr;
    const JsonValue* b64 = protectedRoot ? protectedRoot->member(u"b64") : nullptr;
    if (unprotected && unprotected->isObject() && unprotected->member(u"b64"))
        addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid,
                        TokenText::tr("\"b64\" must be in the protected header (RFC 7797 §3)"));
    if (!b64)
        return;
    if (b64->kind != JsonValue::Kind::Bool) {
        addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid,
                        TokenText::tr("\"b64\" must be true or false"));
        return;
    }
    if (b64->boolean)
        return;
    m_token.unencodedPayload = true;
    bool listed = false;
    if (const JsonValue* crit = protectedRoot->member(u"crit"); crit && crit->isArray()) {
        listed = std::any_of(crit->items.begin(), crit->items.end(),
                             [](const JsonValue& item) { return item.isString() && item.string == u"b64"; });
    }
    if (!listed)
        addSegmentError(headerIndex, at, length, ErrorCode::HeaderInvalid,
                        TokenText::tr("\"b64\": false must be listed in \"crit\" (RFC 7797 §6)"));
}

void TokenReader::read()
{
    if (m_token.text.isEmpty()) {
        m_token.kind = TokenKind::Empty;
        return;
    }
    if (m_token.text.front() == '{')
        readJsonSerialization();
    else
        readCompact();
}

void TokenReader::readCompact()
{
    const QByteArray& text = m_token.text;
    m_token.payload.role = SegmentRole::Payload;
    // Room for a JWE and a few dots too many on the stack: no allocation for any real token.
    QVarLengthArray<OffsetRange, 8> parts;
    QVarLengthArray<qsizetype, 8> dots;
    qsizetype start = 0;
    for (qsizetype dot = text.indexOf('.'); dot >= 0; dot = text.indexOf('.', dot + 1)) {
        parts.push_back({start, dot});
        dots.push_back(dot);
        start = dot + 1;
    }
    parts.push_back({start, text.size()});

    bool wellFormed = true;
    auto dotError = [&](size_t dotIndex, const QString& message) {
        const qsizetype at = dots[dotIndex];
        addError(-1, {at, at + 1}, ErrorCode::MalformedToken, TokenText::tr("character %1: %2").arg(at).arg(message));
        wellFormed = false;
    };
    if (parts.size() == 1) {
        addError(-1, {0, text.size()}, ErrorCode::MalformedToken,
                 TokenText::tr("character 0: no '.' found: a JWS has three base64url parts separated by two dots "
                               "(header.payload.signature)"));
        wellFormed = false;
    } else if (parts.size() == 2) {
        dotError(0,
                 TokenText::tr("only one '.': a JWS has three parts (header.payload.signature); the signature part is "
                               "missing"));
    } else if (parts.size() == 4) {
        dotError(2, TokenText::tr("a third '.': a JWS has exactly two dots and a JWE exactly four"));
    } else if (parts.size() > 5) {
        dotError(4, TokenText::tr("a fifth '.': a JWE has exactly four dots and a JWS two"));
    }

    const bool jweShape = parts.size() >= 5;
    const size_t roleCount
        = jweShape ? kJweRoles.size() : std::min(static_cast<size_t>(parts.size()), kJwsRoles.size());
    m_token.segments.reserve(roleCount);
    m_places.reserve(roleCount);
    auto roleAt = [&](size_t k) { return jweShape ? kJweRoles[k] : kJwsRoles[k]; };
    auto placeOf = [&](size_t k) { return SegmentPlace{parts[k], true, {}}; };
    auto sliceOf = [&](size_t k) { return text.mid(parts[k].begin, parts[k].size()); };

    // The header decides how the payload is read ("b64"), so it comes first.
    const QByteArrayView headerText = QByteArrayView(text).sliced(parts[0].begin, parts[0].size());
    const bool knownHeader
        = m_detail == TokenDetail::ForVerdict && t_knownHeader && QByteArrayView(t_knownHeader->encoded) == headerText;
    const int headerIndex = knownHeader
        ? addSegment(SegmentRole::Header, placeOf(0), t_knownHeader->encoded, true, &t_knownHeader->decoded)
        : addSegment(SegmentRole::Header, placeOf(0), sliceOf(0), true);
    if (knownHeader)
        m_token.segments[0].json = t_knownHeader->json;
    if (m_token.segments[0].encoded.isEmpty())
        addSegmentError(headerIndex, parts[0].begin, 0, ErrorCode::MalformedToken,
                        TokenText::tr("the segment is empty: a JWS or JWE needs a protected header"));
    checkHeader(headerIndex, nullptr);
    if (m_detail == TokenDetail::ForVerdict && !knownHeader && headerText.size() <= kKnownHeaderMaxBytes) {
        const Segment& header = m_token.segments[0];
        if (header.decoded.issues.empty() && header.json && header.json->ok())
            t_knownHeader = KnownHeader{header.encoded, header.decoded, *header.json};
    }
    const JsonValue* alg = headerMember(headerIndex, nullptr, u"alg");
    const bool enc = headerMember(headerIndex, nullptr, u"enc") != nullptr;
    const bool unsecured = alg && alg->isString() && alg->string == u"none"; // exact: RFC 7518 §3.6
    const bool noneInAnyCase = isNoneInAnyCase(alg);

    if (jweShape) {
        for (size_t k = 1; k < roleCount; ++k)
            addSegment(roleAt(k), placeOf(k), sliceOf(k), true);
        if (!enc)
            addSegmentError(
                headerIndex, parts[0].begin, parts[0].size(), ErrorCode::HeaderInvalid,
                TokenText::tr("a five-part token is a JWE, but the header has no \"enc\" (RFC 7516 §4.1.2)"));
        m_token.payload = m_token.segments[3];
        m_token.kind = wellFormed ? TokenKind::Jwe : TokenKind::Malformed;
        return;
    }

    if (roleCount > 1) {
        const bool decodePayload = !m_token.unencodedPayload;
        const int payloadIndex = addSegment(SegmentRole::Payload, placeOf(1), sliceOf(1), decodePayload);
        // RFC 7515 App. F: an empty payload segment means the content is detached and supplied separately.
        m_token.payloadDetached = m_token.segments[static_cast<size_t>(payloadIndex)].encoded.isEmpty();
        readJsonPayload(payloadIndex);
        m_token.payload = segmentForVerdictOrCopy(payloadIndex);
    }
    if (roleCount > 2) {
        const int signatureIndex = addSegment(SegmentRole::Signature, placeOf(2), sliceOf(2), true);
        if (m_token.segments[static_cast<size_t>(signatureIndex)].encoded.isEmpty() && !noneInAnyCase)
            addSegmentError(
                signatureIndex, parts[2].begin, 0, ErrorCode::MalformedToken,
                TokenText::tr("the segment is empty: only an unsecured token (alg \"none\") has no signature"));
        m_token.signatures.push_back({segmentForVerdictOrCopy(0), std::nullopt, m_token.segments[2]});
    }

    if (!wellFormed) {
        m_token.kind = TokenKind::Malformed;
    } else if (enc) {
        addError(
            -1, {0, text.size()}, ErrorCode::MalformedToken,
            TokenText::tr("character 0: the header has \"enc\", so this is a JWE, but a compact JWE has five parts, "
                          "not three"));
        m_token.kind = TokenKind::Jwe;
    } else {
        m_token.kind = unsecured ? TokenKind::Unsecured : TokenKind::Jws;
    }
}

// One signature object of the JWS JSON serialization (RFC 7515 §7.2.1): "protected", "header", "signature".
bool TokenReader::readJsonSignature(const JsonValue& object, const QString& prefix)
{
    auto stringContent = [&](const JsonValue& value) {
        const OffsetRange inside{value.span.begin + 1, value.span.end - 1};
        const bool exact = value.raw.size() == value.string.size() + 2
            && QByteArrayView(value.raw).sliced(1, value.raw.size() - 2) == QByteArrayView(value.string.toUtf8());
        return std::make_pair(inside, exact);
    };
    auto memberError = [&](const JsonValue& at, const QString& message) {
        addError(-1, at.span, ErrorCode::MalformedToken,
                 TokenText::tr("character %1: %2%3").arg(at.span.begin).arg(prefix, message));
        return false;
    };

    const JsonValue* protectedValue = object.member(u"protected");
    const JsonValue* unprotected = object.member(u"header");
    const JsonValue* signatureValue = object.member(u"signature");
    if (protectedValue && !protectedValue->isString())
        return memberError(*protectedValue, TokenText::tr("\"protected\" must be a string"));
    if (unprotected && !unprotected->isObject())
        return memberError(*unprotected, TokenText::tr("\"header\" must be a JSON object"));
    if (!signatureValue)
        return memberError(object, TokenText::tr("no \"signature\" member"));
    if (!signatureValue->isString())
        return memberError(*signatureValue, TokenText::tr("\"signature\" must be a string"));
    if (!protectedValue && !unprotected)
        return memberError(object, TokenText::tr("neither \"protected\" nor \"header\": there is no \"alg\""));

    int headerIndex = -1;
    SegmentPlace headerPlace{{object.span.begin, object.span.begin}, false, prefix};
    QByteArray headerEncoded;
    if (protectedValue) {
        const auto [range, exact] = stringContent(*protectedValue);
        headerPlace.range = range;
        headerPlace.exact = exact;
        headerEncoded = protectedValue->string.toUtf8();
    }
    headerIndex = addSegment(SegmentRole::Header, headerPlace, headerEncoded, true);
    if (protectedValue && headerEncoded.isEmpty())
        addSegmentError(headerIndex, headerPlace.range.begin, 0, ErrorCode::MalformedToken,
                        TokenText::tr("\"protected\" is empty: leave it out when there is no protected header"));
    checkHeader(headerIndex, unprotected);

    // RFC 7515 §7.2.1: the protected and unprotected header parameter names must be disjoint.
    const Segment& header = m_token.segments[static_cast<size_t>(headerIndex)];
    if (unprotected && header.json && header.json->root && header.json->root->isObject()) {
        for (const JsonMember& member : unprotected->members) {
            if (header.json->root->member(member.name)) {
                addError(headerIndex, member.nameSpan, ErrorCode::HeaderInvalid,
                         TokenText::tr("character %1: %2\"%3\" is in both the protected and the unprotected header "
                                       "(RFC 7515 §7.2.1)")
                             .arg(member.nameSpan.begin)
                             .arg(prefix, member.name));
                break;
            }
        }
    }

    const auto [signatureRange, signatureExact] = stringContent(*signatureValue);
    const int signatureIndex = addSegment(SegmentRole::Signature, {signatureRange, signatureExact, prefix},
                                          signatureValue->string.toUtf8(), true);
    const JsonValue* alg = headerMember(headerIndex, unprotected, u"alg");
    if (m_token.segments[static_cast<size_t>(signatureIndex)].encoded.isEmpty() && !isNoneInAnyCase(alg))
        addSegmentError(signatureIndex, signatureRange.begin, 0, ErrorCode::MalformedToken,
                        TokenText::tr("the signature is empty: only alg \"none\" has no signature"));

    JwsSignature signature;
    signature.protectedHeader = m_token.segments[static_cast<size_t>(headerIndex)];
    if (unprotected) {
        JsonDocument document;
        document.root = *unprotected;
        signature.unprotectedHeader = std::move(document);
    }
    signature.signature = m_token.segments[static_cast<size_t>(signatureIndex)];
    m_token.signatures.push_back(std::move(signature));
    return true;
}

// RFC 7515 §7.2: the general ("signatures": [...]) and flattened forms.
void TokenReader::readJsonSerialization()
{
    m_token.kind = TokenKind::Malformed;
    const JsonDocument document = parseJson(m_token.text);
    if (!document.ok()) {
        const qsizetype at = std::min(document.error->offset, m_token.text.size());
        addError(-1, {at, std::min(at + 1, m_token.text.size())}, ErrorCode::Json,
                 TokenText::tr("character %1: the text starts with '{' but is not valid JSON: %2")
                     .arg(at)
                     .arg(document.error->message));
        return;
    }
    const JsonValue& root = *document.root;
    if (!root.isObject()) {
        addError(-1, root.span, ErrorCode::MalformedToken, TokenText::tr("character 0: not a JSON object"));
        return;
    }
    const JsonValue* signatures = root.member(u"signatures");
    const JsonValue* signature = root.member(u"signature");
    if (!signatures && !signature) {
        if (root.member(u"ciphertext")) {
            readJweJsonSerialization(root);
            return;
        }
        addError(-1, {0, 1}, ErrorCode::MalformedToken,
                 TokenText::tr("character 0: a JSON object, but not a JWS JSON serialization (no \"signature\" or "
                               "\"signatures\" member, RFC 7515 §7.2)"));
        return;
    }
    if (signatures && signature) {
        addError(
            -1, signature->span, ErrorCode::MalformedToken,
            TokenText::tr("character %1: both \"signatures\" and \"signature\": the general and the flattened forms "
                          "cannot be mixed (RFC 7515 §7.2.2)")
                .arg(signature->span.begin));
        return;
    }

    // The payload comes first in Token::segments; it is decoded once the headers have said whether "b64" is false.
    const JsonValue* payloadValue = root.member(u"payload");
    if (payloadValue && !payloadValue->isString()) {
        addError(-1, payloadValue->span, ErrorCode::MalformedToken,
                 TokenText::tr("character %1: \"payload\" must be a string").arg(payloadValue->span.begin));
        return;
    }
    m_token.segments.emplace_back();
    m_token.segments.back().role = SegmentRole::Payload;
    m_places.push_back({{0, 0}, false, segmentRoleName(SegmentRole::Payload)});

    bool readAll = true;
    if (signatures) {
        if (!signatures->isArray() || signatures->items.empty()) {
            addError(
                -1, signatures->span, ErrorCode::MalformedToken,
                TokenText::tr("character %1: \"signatures\" must be a non-empty array").arg(signatures->span.begin));
            return;
        }
        for (size_t k = 0; k < signatures->items.size(); ++k) {
            const JsonValue& item = signatures->items[k];
            const QString prefix = QStringLiteral("signatures[%1] ").arg(k);
            if (!item.isObject()) {
                addError(-1, item.span, ErrorCode::MalformedToken,
                         TokenText::tr("character %1: %2is not a JSON object").arg(item.span.begin).arg(prefix));
                readAll = false;
                continue;
            }
            readAll = readJsonSignature(item, prefix) && readAll;
        }
    } else {
        readAll = readJsonSignature(root, QString());
    }

    // RFC 7797 §3: every signature must agree on "b64".
    bool anyUnencoded = false;
    bool anyEncoded = false;
    for (const JwsSignature& entry : m_token.signatures) {
        const JsonValue* b64 = nullptr;
        if (entry.protectedHeader.json && entry.protectedHeader.json->root
            && entry.protectedHeader.json->root->isObject())
            b64 = entry.protectedHeader.json->root->member(u"b64");
        const bool unencoded = b64 && b64->kind == JsonValue::Kind::Bool && !b64->boolean;
        anyUnencoded = anyUnencoded || unencoded;
        anyEncoded = anyEncoded || !unencoded;
    }
    m_token.unencodedPayload = anyUnencoded;
    if (anyUnencoded && anyEncoded)
        addError(-1, {0, 1}, ErrorCode::HeaderInvalid,
                 TokenText::tr("character 0: the signatures disagree on \"b64\" (RFC 7797 §3)"));

    Segment& payload = m_token.segments.front();
    if (payloadValue) {
        const OffsetRange inside{payloadValue->span.begin + 1, payloadValue->span.end - 1};
        const QByteArray encoded = payloadValue->string.toUtf8();
        const bool exact = payloadValue->raw.size() == encoded.size() + 2
            && QByteArrayView(payloadValue->raw).sliced(1, encoded.size()) == QByteArrayView(encoded);
        m_places.front() = {inside, exact, segmentRoleName(SegmentRole::Payload)};
        payload.range = inside;
        payload.encoded = encoded;
        if (m_token.unencodedPayload) {
            payload.decoded.bytes = encoded;
        } else {
            payload.decoded = Base64Url::decode(encoded);
            for (const Base64Issue& issue : payload.decoded.issues)
                addSegmentError(0, exact ? inside.begin + issue.offset : inside.begin,
                                exact ? issue.length : inside.size(), ErrorCode::Base64, issue.message);
        }
        m_token.payloadDetached = encoded.isEmpty();
        readJsonPayload(0);
    } else {
        // RFC 7515 App. F: no "payload" member means detached content.
        m_token.payloadDetached = true;
    }
    m_token.payload = payload;
    if (readAll)
        m_token.kind = signatures ? TokenKind::JwsJsonGeneral : TokenKind::JwsJsonFlattened;
}

// RFC 7516 §7.2: the general ("recipients": [...]) and flattened JWE JSON serializations, shown part by part at the
// places of their members' strings. Only the form is read here: parseJwe (Jwe.h) applies the header rules and
// decrypts.
void TokenReader::readJweJsonSerialization(const JsonValue& root)
{
    auto stringPart = [&](const JsonValue* value, SegmentRole role, const QString& label) {
        if (!value)
            return -1;
        if (!value->isString()) {
            addError(-1, value->span, ErrorCode::MalformedToken,
                     TokenText::tr("character %1: %2 must be a string").arg(value->span.begin).arg(label));
            return -1;
        }
        const OffsetRange inside{value->span.begin + 1, value->span.end - 1};
        const QByteArray encoded = value->string.toUtf8();
        const bool exact = value->raw.size() == encoded.size() + 2
            && QByteArrayView(value->raw).sliced(1, encoded.size()) == QByteArrayView(encoded);
        return addSegment(role, {inside, exact, label}, encoded, true);
    };
    const JsonValue* protectedValue = root.member(u"protected");
    const JsonValue* recipients = root.member(u"recipients");
    const int headerIndex = stringPart(protectedValue, SegmentRole::Header, segmentRoleName(SegmentRole::Header));
    if (headerIndex >= 0) {
        Segment& header = m_token.segments[static_cast<size_t>(headerIndex)];
        header.json = parseJson(header.decoded.bytes);
        if (!header.json->ok())
            addSegmentError(headerIndex, header.range.begin, header.range.size(), ErrorCode::Json,
                            TokenText::tr("the protected header is not valid JSON"));
    }
    if (recipients && recipients->isArray()) {
        for (size_t k = 0; k < recipients->items.size(); ++k) {
            const JsonValue& item = recipients->items[k];
            if (item.isObject())
                stringPart(item.member(u"encrypted_key"), SegmentRole::EncryptedKey,
                           QStringLiteral("recipients[%1] ").arg(k) + segmentRoleName(SegmentRole::EncryptedKey));
        }
    } else {
        stringPart(root.member(u"encrypted_key"), SegmentRole::EncryptedKey,
                   segmentRoleName(SegmentRole::EncryptedKey));
    }
    stringPart(root.member(u"iv"), SegmentRole::Iv, segmentRoleName(SegmentRole::Iv));
    const int ciphertext
        = stringPart(root.member(u"ciphertext"), SegmentRole::Ciphertext, segmentRoleName(SegmentRole::Ciphertext));
    stringPart(root.member(u"tag"), SegmentRole::Tag, segmentRoleName(SegmentRole::Tag));
    if (ciphertext >= 0)
        m_token.payload = m_token.segments[static_cast<size_t>(ciphertext)];
    m_token.kind = ciphertext >= 0 && headerIndex >= 0 ? TokenKind::Jwe : TokenKind::Malformed;
    if (headerIndex < 0)
        addError(-1, {0, 1}, ErrorCode::MalformedToken,
                 TokenText::tr("character 0: a JWE JSON serialization without a \"protected\" header: this app "
                               "shows only JWEs whose \"enc\" is protected"));
}

// Removes paste noise and records it; fills text, textToInput and noise.
void stripNoise(Token& token)
{
    const QString& in = token.input;
    qsizetype begin = 0;
    qsizetype end = in.size();
    auto trim = [&] {
        while (begin < end && isNoiseSpace(in[begin]))
            ++begin;
        while (end > begin && isNoiseSpace(in[end - 1]))
            --end;
    };
    auto startsWith = [&](QLatin1String word) {
        return end - begin >= word.size()
            && QStringView(in).sliced(begin, word.size()).compare(word, Qt::CaseInsensitive) == 0;
    };

    trim();
    for (bool changed = true; changed && begin < end;) {
        changed = false;
        if (startsWith(QLatin1String("authorization:"))) {
            token.noise.push_back({TokenText::tr("removed the \"Authorization:\" header name"), {begin, begin + 14}});
            begin += 14;
            trim();
            changed = true;
        }
        if (startsWith(QLatin1String("bearer")) && begin + 6 < end && isNoiseSpace(in[begin + 6])) {
            const qsizetype from = begin;
            begin += 6;
            trim();
            token.noise.push_back({TokenText::tr("removed the \"Bearer \" prefix"), {from, begin}});
            changed = true;
        }
        if (end - begin >= 2) {
            const QChar first = in[begin];
            const QChar last = in[end - 1];
            if (first == last && (first == u'"' || first == u'\'' || first == u'`')) {
                const QString what = first == u'"' ? TokenText::tr("removed the surrounding double quotes")
                    : first == u'\''               ? TokenText::tr("removed the surrounding single quotes")
                                                   : TokenText::tr("removed the surrounding backticks");
                token.noise.push_back({what, {begin, begin + 1}});
                ++begin;
                --end;
                trim();
                changed = true;
            }
        }
    }

    if (begin < end && in[begin] == u'{') {
        // A JSON serialization: whitespace inside is JSON's own, not noise.
        token.text.reserve(end - begin);
        token.textToInput.reserve(static_cast<size_t>(end - begin + 1));
        for (qsizetype i = begin; i < end; ++i)
            appendUtf8(token.text, token.textToInput, in, i);
        token.textToInput.push_back(end);
        return;
    }

    qsizetype lineBreaks = 0;
    qsizetype spaces = 0;
    qsizetype invisible = 0;
    qsizetype firstWhitespace = -1;
    qsizetype firstInvisible = -1;
    // Counts the noise character at i (a CR LF pair counts once and advances i); false when it is not noise.
    auto takeNoise = [&](qsizetype& i) {
        const char16_t c = in[i].unicode();
        if (isLineBreak(c)) {
            if (firstWhitespace < 0)
                firstWhitespace = i;
            if (c == u'\r' && i + 1 < end && in[i + 1] == u'\n')
                ++i;
            ++lineBreaks;
        } else if (isInvisible(c)) {
            if (firstInvisible < 0)
                firstInvisible = i;
            ++invisible;
        } else if (in[i].isSpace()) {
            if (firstWhitespace < 0)
                firstWhitespace = i;
            ++spaces;
        } else {
            return false;
        }
        return true;
    };

    // ASCII text is written through pointers into buffers sized for it: a pasted 1 MiB token must not cost a
    // function call per character. The first other character (rare) switches to appending.
    token.text.resize(end - begin);
    token.textToInput.resize(static_cast<size_t>(end - begin + 1));
    char* out = token.text.data();
    qsizetype* map = token.textToInput.data();
    const QChar* chars = in.constData();
    qsizetype used = 0;
    bool direct = true;
    for (qsizetype i = begin; i < end; ++i) {
        const char16_t c = chars[i].unicode();
        if (direct && c < 0x80 && c > 0x20 && c != 0x7f) {
            out[used] = static_cast<char>(c);
            map[used] = i;
            ++used;
            continue;
        }
        if (takeNoise(i))
            continue;
        if (direct) {
            direct = false;
            token.text.truncate(used);
            token.textToInput.resize(static_cast<size_t>(used));
        }
        appendUtf8(token.text, token.textToInput, in, i);
    }
    if (direct) {
        token.text.truncate(used);
        token.textToInput.resize(static_cast<size_t>(used));
    }
    token.textToInput.push_back(end);
    if (lineBreaks + spaces > 0) {
        QStringList parts;
        if (lineBreaks > 0)
            parts << plural(lineBreaks, "line break", "line breaks");
        if (spaces > 0)
            parts << plural(spaces, "space", "spaces");
        token.noise.push_back({TokenText::tr("removed %1 inside the token").arg(parts.join(TokenText::tr(" and "))),
                               {firstWhitespace, firstWhitespace + 1}});
    }
    if (invisible > 0)
        token.noise.push_back({TokenText::tr("removed %1 (zero-width spaces, byte order marks or soft hyphens)")
                                   .arg(plural(invisible, "invisible character", "invisible characters")),
                               {firstInvisible, firstInvisible + 1}});
}

} // namespace

QString segmentRoleName(SegmentRole role)
{
    switch (role) {
    case SegmentRole::Header:
        return TokenText::tr("header");
    case SegmentRole::Payload:
        return TokenText::tr("payload");
    case SegmentRole::Signature:
        return TokenText::tr("signature");
    case SegmentRole::EncryptedKey:
        return TokenText::tr("encrypted key");
    case SegmentRole::Iv:
        return TokenText::tr("initialization vector");
    case SegmentRole::Ciphertext:
        return TokenText::tr("ciphertext");
    case SegmentRole::Tag:
        return TokenText::tr("authentication tag");
    }
    return QString();
}

const JsonValue* Token::header(int signatureIndex) const
{
    const Segment* segment = nullptr;
    if (signatureIndex >= 0 && static_cast<size_t>(signatureIndex) < signatures.size())
        segment = &signatures[static_cast<size_t>(signatureIndex)].protectedHeader;
    else if (signatureIndex == 0 && !segments.empty() && segments.front().role == SegmentRole::Header)
        segment = &segments.front(); // a JWE or a token too broken to have a signature
    if (!segment || !segment->json || !segment->json->root || !segment->json->root->isObject())
        return nullptr;
    return &*segment->json->root;
}

const JsonValue* Token::claims() const
{
    if (kind == TokenKind::Jwe || !payload.json || !payload.json->root || !payload.json->root->isObject())
        return nullptr;
    return &*payload.json->root;
}

namespace {

QString headerString(const Token& token, int signatureIndex, QStringView name)
{
    if (const JsonValue* header = token.header(signatureIndex)) {
        if (const JsonValue* value = header->member(name))
            return value->isString() ? value->string : QString();
    }
    if (signatureIndex >= 0 && static_cast<size_t>(signatureIndex) < token.signatures.size()) {
        const auto& unprotected = token.signatures[static_cast<size_t>(signatureIndex)].unprotectedHeader;
        if (unprotected && unprotected->root && unprotected->root->isObject()) {
            if (const JsonValue* value = unprotected->root->member(name); value && value->isString())
                return value->string;
        }
    }
    return QString();
}

} // namespace

QString Token::alg(int signatureIndex) const
{
    return headerString(*this, signatureIndex, u"alg");
}

QString Token::kid(int signatureIndex) const
{
    return headerString(*this, signatureIndex, u"kid");
}

QByteArray Token::signingInput(int signatureIndex, const QByteArray& detachedPayload) const
{
    if (signatureIndex < 0 || static_cast<size_t>(signatureIndex) >= signatures.size())
        return QByteArray();
    const QByteArray& protectedEncoded = signatures[static_cast<size_t>(signatureIndex)].protectedHeader.encoded;
    QByteArray signing;
    signing.reserve(protectedEncoded.size() + 1 + std::max(payload.encoded.size(), detachedPayload.size() * 4 / 3 + 4));
    signing += protectedEncoded;
    signing += '.';
    if (payloadDetached) {
        // RFC 7515 App. F: the detached content takes the payload's place, encoded as it would have been.
        signing += unencodedPayload ? detachedPayload : Base64Url::encode(detachedPayload);
    } else if (unencodedPayload) {
        // RFC 7797 §3: ASCII(BASE64URL(protected)) || '.' || the payload bytes themselves.
        signing += payload.decoded.bytes;
    } else {
        signing += payload.encoded;
    }
    return signing;
}

QByteArrayView Token::signingInputView(int signatureIndex, const QByteArray& detachedPayload, QByteArray& storage) const
{
    if ((kind == TokenKind::Jws || kind == TokenKind::Unsecured) && signatureIndex == 0 && signatures.size() == 1
        && !payloadDetached && !unencodedPayload) {
        // Compact: header, '.', payload are one slice of text from its start when each segment is its text verbatim.
        const Segment& header = signatures.front().protectedHeader;
        if (header.range.begin == 0 && header.range.size() == header.encoded.size()
            && payload.range.begin == header.range.end + 1 && payload.range.size() == payload.encoded.size()
            && payload.range.end <= text.size())
            return QByteArrayView(text).first(payload.range.end);
    }
    storage = signingInput(signatureIndex, detachedPayload);
    return storage;
}

qsizetype Token::inputOffset(qsizetype textOffset) const
{
    if (textToInput.empty())
        return textOffset;
    const auto last = static_cast<qsizetype>(textToInput.size()) - 1;
    return textToInput[static_cast<size_t>(std::clamp<qsizetype>(textOffset, 0, last))];
}

Token decodeUnverified(const QString& input)
{
    Token token;
    token.input = input;
    stripNoise(token);
    TokenReader(token).read();
    return token;
}

namespace {

// Token::input and Token::textToInput for a token whose text is text[begin, end): what a display needs to show
// a place in the text as the user wrote it.
void mapToInput(Token& token, QByteArrayView text, qsizetype begin, qsizetype end)
{
    // A token is ASCII in the common case, where Latin-1 conversion gives the same string as the UTF-8 decoder at a
    // fraction of its cost (verify --batch parses one token per line).
    const bool ascii
        = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii) {
        token.input = QString::fromLatin1(text);
    } else {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        QString input = decoder(text);
        const bool utf8 = !decoder.hasError();
        token.input = utf8 ? std::move(input) : QString::fromLatin1(text);
    }
    token.textToInput.resize(static_cast<size_t>(token.text.size() + 1));
    qsizetype* map = token.textToInput.data();
    if (token.input.size() == text.size()) {
        // One UTF-16 unit per byte (ASCII, or read as Latin-1): the map is the identity shifted by the trim.
        for (qsizetype i = 0; i <= token.text.size(); ++i)
            map[i] = begin + i;
    } else {
        // Map each byte to the UTF-16 offset of its character; the end sentinel is the offset right after the
        // token's last character.
        qsizetype unit = 0;
        qsizetype sentinel = 0;
        qsizetype written = 0;
        for (qsizetype i = 0; i < text.size();) {
            if (i == end)
                sentinel = unit;
            const auto lead = static_cast<unsigned char>(text[i]);
            const qsizetype length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            for (qsizetype k = 0; k < length && i + k < text.size(); ++k) {
                if (i + k >= begin && i + k < end)
                    map[written++] = unit;
            }
            i += length;
            unit += length == 4 ? 2 : 1;
        }
        if (end == text.size())
            sentinel = unit;
        map[written] = sentinel;
    }
}

} // namespace

Result<Token> parseStrict(QByteArrayView text, TokenDetail detail)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isAsciiWhitespace(text[begin]))
        ++begin;
    while (end > begin && isAsciiWhitespace(text[end - 1]))
        --end;
    const QByteArrayView trimmed = text.sliced(begin, end - begin);
    auto malformed = [](qsizetype at, const QString& why) {
        return Result<Token>::failure(ErrorCode::MalformedToken,
                                      TokenText::tr("malformed token: character %1: %2").arg(at).arg(why));
    };
    if (trimmed.isEmpty())
        return Result<Token>::failure(ErrorCode::MalformedToken, TokenText::tr("malformed token: the token is empty"));
    if (trimmed.size() > 7 && QLatin1String(trimmed.first(6)).compare(QLatin1String("bearer"), Qt::CaseInsensitive) == 0
        && isAsciiWhitespace(trimmed[6]))
        return malformed(0,
                         TokenText::tr("a \"Bearer \" prefix is not part of the token (decode strips it; verify judges "
                                       "exactly the token it is given)"));
    if (trimmed.front() == '"' || trimmed.front() == '\'' || trimmed.front() == '`')
        return malformed(0, TokenText::tr("the token is quoted; quotes are not part of it"));
    if (trimmed.front() != '{') {
        const qsizetype space = firstAsciiWhitespace(trimmed);
        if (space != trimmed.size())
            return malformed(space,
                             TokenText::tr("whitespace inside the token (decode strips paste noise; verify judges "
                                           "exactly the token it is given)"));
    }

    Token token;
    token.text = trimmed.toByteArray();
    if (detail == TokenDetail::Full)
        mapToInput(token, text, begin, end);
    TokenReader(token, detail).read();
    if (!token.errors.empty()) {
        const TokenError& first = token.errors.front();
        return Result<Token>::failure(first.code, TokenText::tr("malformed token: %1").arg(first.message));
    }
    if (token.kind == TokenKind::Malformed || token.kind == TokenKind::Empty)
        return Result<Token>::failure(ErrorCode::MalformedToken, TokenText::tr("malformed token: not a JWS or JWE"));
    return token;
}

} // namespace jwti
