#include "core/jose/TokenTrace.h"

#include <QCoreApplication>
#include <algorithm>

namespace jwti {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "TokenTrace", for every string here.
struct TokenTraceText
{
    Q_DECLARE_TR_FUNCTIONS(TokenTrace)
};

int sextetOf(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-' || c == '+') // '+' is read as its base64url twin, as Base64Url::decode does
        return 62;
    if (c == '_' || c == '/')
        return 63;
    return -1;
}

QString quoteCharacter(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

QString sixBits(int value)
{
    return QString::number(value, 2).rightJustified(6, QLatin1Char('0'));
}

bool contains(JsonSpan outer, OffsetRange inner)
{
    return outer.begin <= inner.begin && inner.end <= outer.end;
}

// A segment whose characters are exactly its encoded text: compact tokens always; JSON serializations unless the
// string was written with escapes, in which case characters cannot be traced one to one.
bool isVerbatim(const Token& token, const Segment& segment)
{
    const OffsetRange range = segment.range;
    if (range.begin < 0 || range.end > token.text.size() || range.size() != segment.encoded.size())
        return false;
    return QByteArrayView(token.text).sliced(range.begin, range.size()) == QByteArrayView(segment.encoded);
}

// RFC 7797: with "b64": false the payload characters are the payload bytes.
bool isRaw(const Token& token, const Segment& segment)
{
    return token.unencodedPayload && segment.role == SegmentRole::Payload;
}

// Stable, untranslated path prefixes: the UI keys its highlights by these paths.
QString segmentPrefix(const Token& token, int index)
{
    const Segment& segment = token.segments[static_cast<size_t>(index)];
    if (segment.role == SegmentRole::Payload)
        return QStringLiteral("payload");
    if (segment.role != SegmentRole::Header)
        return QStringLiteral("segment%1").arg(index);
    int headersBefore = 0;
    int headers = 0;
    for (size_t i = 0; i < token.segments.size(); ++i) {
        if (token.segments[i].role != SegmentRole::Header)
            continue;
        ++headers;
        if (static_cast<int>(i) < index)
            ++headersBefore;
    }
    return headers > 1 ? QStringLiteral("header[%1]").arg(headersBefore) : QStringLiteral("header");
}

const JsonValue* rootOf(const Segment& segment)
{
    if (!segment.json || !segment.json->root)
        return nullptr;
    return &*segment.json->root;
}

// The deepest member, item or value that covers all of bytes; the root itself when nothing deeper does.
void deepestOwner(const JsonValue& root, const QString& prefix, OffsetRange bytes, QString& path, JsonSpan& span)
{
    path.clear();
    span = {};
    if (bytes.size() <= 0 || !contains(root.span, bytes))
        return;
    path = prefix;
    span = root.span;
    const JsonValue* value = &root;
    while (value) {
        const JsonValue* next = nullptr;
        if (value->isObject()) {
            for (const JsonMember& member : value->members) {
                if (!contains(member.span(), bytes))
                    continue;
                path = jsonPathAppend(path, member.name);
                span = member.span();
                if (contains(member.value.span, bytes))
                    next = &member.value;
                break;
            }
        } else if (value->isArray()) {
            for (size_t i = 0; i < value->items.size(); ++i) {
                if (!contains(value->items[i].span, bytes))
                    continue;
                path += QStringLiteral("[%1]").arg(i);
                span = value->items[i].span;
                next = &value->items[i];
                break;
            }
        }
        value = next;
    }
}

void collectMembers(const Token& token, int segment, const JsonValue& value, const QString& path, int depth,
                    std::vector<MemberTrace>& out)
{
    auto add = [&](const QString& childPath, const QString& name, JsonSpan bytes, const JsonValue& child) {
        if (auto trace = traceBytes(token, segment, bytes)) {
            trace->path = childPath;
            trace->name = name;
            trace->depth = depth + 1;
            trace->valueBytes = child.span;
            out.push_back(std::move(*trace));
        }
        collectMembers(token, segment, child, childPath, depth + 1, out);
    };
    if (value.isObject()) {
        for (const JsonMember& member : value.members)
            add(jsonPathAppend(path, member.name), member.name, member.span(), member.value);
    } else if (value.isArray()) {
        for (size_t i = 0; i < value.items.size(); ++i)
            add(path + QStringLiteral("[%1]").arg(i), QString(), value.items[i].span, value.items[i]);
    }
}

QString printable(QByteArrayView bytes)
{
    QString text;
    text.reserve(bytes.size());
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        text += (u >= 0x20 && u < 0x7f) ? QChar(QLatin1Char(c)) : QChar(0x00B7);
    }
    return text;
}

} // namespace

std::optional<MemberTrace> traceBytes(const Token& token, int segmentIndex, JsonSpan bytes)
{
    if (segmentIndex < 0 || static_cast<size_t>(segmentIndex) >= token.segments.size())
        return std::nullopt;
    const Segment& segment = token.segments[static_cast<size_t>(segmentIndex)];
    if (!isVerbatim(token, segment))
        return std::nullopt;
    const qsizetype decodedLength = segment.decoded.bytes.size();
    const qsizetype encodedLength = segment.encoded.size();
    bytes.begin = std::clamp<qsizetype>(bytes.begin, 0, decodedLength);
    bytes.end = std::clamp<qsizetype>(bytes.end, bytes.begin, decodedLength);

    MemberTrace trace;
    trace.segment = segmentIndex;
    trace.bytes = bytes;
    trace.valueBytes = bytes;
    OffsetRange chars;
    OffsetRange groups;
    if (isRaw(token, segment)) {
        chars = bytes;
        groups = bytes;
    } else {
        chars = Base64Url::encodedRangeForBytes(bytes, encodedLength);
        groups.begin = chars.begin / 4 * 4;
        groups.end = std::min((chars.end + 3) / 4 * 4, encodedLength);
        if (chars.size() == 0)
            groups.end = groups.begin;
        // 3 bytes fill a group of 4 characters exactly (RFC 4648 §4): only a byte offset that is a multiple of 3
        // starts or ends on a character boundary.
        trace.startsMidGroup = bytes.size() > 0 && bytes.begin % 3 != 0;
        trace.endsMidGroup = bytes.size() > 0 && bytes.end % 3 != 0 && bytes.end < decodedLength;
    }
    const qsizetype base = segment.range.begin;
    trace.chars = {base + chars.begin, base + chars.end};
    trace.fullGroupChars = {base + groups.begin, base + groups.end};
    return trace;
}

std::vector<MemberTrace> traceMembers(const Token& token)
{
    std::vector<MemberTrace> traces;
    for (size_t i = 0; i < token.segments.size(); ++i) {
        const Segment& segment = token.segments[i];
        const JsonValue* root = rootOf(segment);
        if (!root || !isVerbatim(token, segment))
            continue;
        const int index = static_cast<int>(i);
        collectMembers(token, index, *root, segmentPrefix(token, index), 0, traces);
    }
    return traces;
}

std::optional<CharacterTrace> traceCharacter(const Token& token, qsizetype textOffset)
{
    for (size_t i = 0; i < token.segments.size(); ++i) {
        const Segment& segment = token.segments[i];
        if (textOffset < segment.range.begin || textOffset >= segment.range.end || !isVerbatim(token, segment))
            continue;
        const int index = static_cast<int>(i);
        CharacterTrace trace;
        trace.segment = index;
        trace.charOffset = textOffset - segment.range.begin;
        const qsizetype decodedLength = segment.decoded.bytes.size();
        if (isRaw(token, segment)) {
            const qsizetype at = std::min(trace.charOffset, decodedLength);
            trace.bytes = {at, std::min(at + 1, decodedLength)};
        } else {
            trace.bytes = Base64Url::byteRangeForEncoded({trace.charOffset, trace.charOffset + 1}, decodedLength);
        }
        if (const JsonValue* root = rootOf(segment)) {
            const QString prefix = segmentPrefix(token, index);
            deepestOwner(*root, prefix, trace.bytes, trace.path, trace.span);
            for (qsizetype byte = trace.bytes.begin; byte < trace.bytes.end; ++byte) {
                ByteOwner owner;
                owner.byte = byte;
                deepestOwner(*root, prefix, {byte, byte + 1}, owner.path, owner.span);
                trace.owners.push_back(std::move(owner));
            }
        } else {
            for (qsizetype byte = trace.bytes.begin; byte < trace.bytes.end; ++byte)
                trace.owners.push_back({byte, QString(), {}});
        }
        return trace;
    }
    return std::nullopt;
}

std::vector<Base64Group> inspectBase64(QByteArrayView encoded, OffsetRange selection)
{
    std::vector<Base64Group> groups;
    const qsizetype length = encoded.size();
    selection.begin = std::clamp<qsizetype>(selection.begin, 0, length);
    selection.end = std::clamp<qsizetype>(selection.end, selection.begin, length);
    if (selection.size() == 0)
        return groups;

    // Reading stops at the first character outside the alphabet, as Base64Url::decode does; later characters
    // carry no bytes.
    qsizetype validEnd = 0;
    while (validEnd < length && sextetOf(encoded[validEnd]) >= 0)
        ++validEnd;

    for (qsizetype start = selection.begin / 4 * 4; start < selection.end; start += 4) {
        Base64Group group;
        const qsizetype end = std::min(start + 4, length);
        group.chars = {start, end};
        group.characters = encoded.sliced(start, end - start).toByteArray();
        const int valid = static_cast<int>(std::clamp<qsizetype>(validEnd - start, 0, end - start));
        // n sextets hold 6n bits: 4 → 3 bytes, 3 → 2, 2 → 1, 1 → none (RFC 4648 §4).
        const int byteCount = valid == 4 ? 3 : valid == 3 ? 2 : valid == 2 ? 1 : 0;
        const qsizetype firstByte = start / 4 * 3;
        group.bytes = {firstByte, firstByte + byteCount};

        quint32 bits = 0;
        for (qsizetype offset = start; offset < end; ++offset) {
            const char c = encoded[offset];
            const int position = static_cast<int>(offset - start);
            Base64Character detail;
            detail.offset = offset;
            detail.character = c;
            detail.selected = offset >= selection.begin && offset < selection.end;
            if (position < valid) {
                detail.sextet = sextetOf(c);
                detail.bits = sixBits(detail.sextet);
                bits |= static_cast<quint32>(detail.sextet) << (18 - 6 * position);
                const int bitBegin = 6 * position;
                const int bitEnd = bitBegin + 6;
                const int usedEnd = std::min(bitEnd, 8 * byteCount);
                if (usedEnd > bitBegin)
                    detail.bytes = {firstByte + bitBegin / 8, firstByte + (usedEnd - 1) / 8 + 1};
                else
                    detail.bytes = {firstByte + byteCount, firstByte + byteCount};
                detail.spareBits = position == valid - 1 ? std::max(0, bitEnd - 8 * byteCount) : 0;
                if (c == '+' || c == '/')
                    detail.lookup
                        = TokenTraceText::tr(
                              "%1 belongs to standard base64; read as its base64url twin '%2' → index %3 → %4")
                              .arg(quoteCharacter(c), QString(QLatin1Char(kAlphabet[detail.sextet])))
                              .arg(detail.sextet)
                              .arg(detail.bits);
                else
                    detail.lookup = QStringLiteral("%1 → index %2 → %3")
                                        .arg(quoteCharacter(c))
                                        .arg(detail.sextet)
                                        .arg(detail.bits);
            } else if (c == '=') {
                detail.lookup = TokenTraceText::tr("'=' is padding, which base64url leaves out (RFC 7515 §2)");
            } else if (sextetOf(c) < 0) {
                detail.lookup = TokenTraceText::tr("%1 is not in the base64url alphabet").arg(quoteCharacter(c));
            } else {
                detail.lookup
                    = TokenTraceText::tr("%1 comes after a character that stopped the reading").arg(quoteCharacter(c));
            }
            group.sextets.push_back(detail.sextet);
            group.details.push_back(std::move(detail));
        }

        for (int k = 0; k < byteCount; ++k)
            group.byteValues.append(static_cast<char>((bits >> (16 - 8 * k)) & 0xff));
        group.hex = QString::fromLatin1(group.byteValues.toHex(' '));
        group.text = printable(group.byteValues);

        if (valid == 2 || valid == 3) {
            group.spareBits = valid == 2 ? 4 : 2;
            group.spareBitsValue = group.sextets[static_cast<size_t>(valid - 1)] & ((1 << group.spareBits) - 1);
            group.spareBitsZero = group.spareBitsValue == 0;
        }
        if (valid < end - start) {
            group.problem = TokenTraceText::tr("%1 at character %2 stops the reading: %3")
                                .arg(quoteCharacter(encoded[start + valid]))
                                .arg(start + valid)
                                .arg(group.details[static_cast<size_t>(valid)].lookup);
        } else if (valid == 1) {
            group.problem = TokenTraceText::tr(
                "a lone last character holds 6 bits, less than one byte: a length of 4n+1 characters "
                "is impossible");
        }
        groups.push_back(std::move(group));
    }
    return groups;
}

QString explainSpareBits(const Base64Group& group)
{
    if (group.spareBits == 0)
        return QString();
    const int characters = group.spareBits == 4 ? 2 : 3;
    const int byteCount = characters - 1;
    const auto& last = group.details[static_cast<size_t>(characters - 1)];
    const QString spare = QString::number(group.spareBitsValue, 2).rightJustified(group.spareBits, QLatin1Char('0'));
    QString text = TokenTraceText::tr(
                       "The last group has only %1 characters, %2 bits, but %3 whole %4 (%5 bits) fit in them, so the "
                       "last %6 bits of %7 (%8) belong to no byte. RFC 4648 §3.5 asks encoders to set these spare bits "
                       "to zero, so that every byte string has exactly one spelling.")
                       .arg(characters)
                       .arg(6 * characters)
                       .arg(byteCount)
                       .arg(byteCount == 1 ? TokenTraceText::tr("byte") : TokenTraceText::tr("bytes"))
                       .arg(8 * byteCount)
                       .arg(group.spareBits)
                       .arg(quoteCharacter(last.character), last.bits);
    if (group.spareBitsZero)
        return text + QLatin1Char(' ') + TokenTraceText::tr("Here they are %1: the encoding is canonical.").arg(spare);
    const int canonical = last.sextet & ~((1 << group.spareBits) - 1);
    return text + QLatin1Char(' ')
        + TokenTraceText::tr(
              "Here they are %1, so the encoding is not canonical: '%2' would spell the same bytes, and a strict "
              "verifier rejects the token (RFC 7515 §2 requires canonical base64url).")
              .arg(spare, QString(QLatin1Char(kAlphabet[canonical])));
}

} // namespace jwti
