#include "core/jose/Json.h"

#include <QCoreApplication>
#include <QHash>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string>

namespace jwti {
namespace {

// Destroying, printing and compacting a tree recurse over its depth, so the parser never builds one deeper than this,
// whatever the caller asks for.
constexpr int kHardDepthLimit = 2048;

// Objects with more members than this get a hash index for the duplicate check; smaller ones are scanned.
constexpr qsizetype kLinearDuplicateScanLimit = 16;
constexpr std::size_t kTypicalMemberCount = 8;

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Json", for every string here.
struct JsonText
{
    Q_DECLARE_TR_FUNCTIONS(Json)
};

bool isJsonWhitespace(char c)
{
    // RFC 8259 §2: only these four are insignificant whitespace.
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

QString describeByte(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

class Parser
{
public:
    Parser(QByteArrayView source, int maxDepth)
        : m_data(source.data())
        , m_size(source.size())
        , m_maxDepth(std::clamp(maxDepth, 1, kHardDepthLimit))
    {
    }

    // Of the root object, build only the members with these names; the others are read and checked, then dropped.
    void keepOnly(std::span<const QLatin1String> names)
    {
        m_keep = names;
        m_filtered = true;
    }

    JsonDocument run();

private:
    struct Frame
    {
        JsonValue value; // the container being filled
        QString pendingName; // objects: the name of the member whose value is being read
        JsonSpan pendingNameSpan;
        QByteArray pendingRawName;
        QHash<QString, qsizetype> nameIndex; // name → first member index, once the object is large
    };

    bool fail(qsizetype offset, QString message)
    {
        if (!m_error)
            m_error = JsonError{offset, std::move(message)};
        return false;
    }

    void skipWhitespace()
    {
        while (m_pos < m_size && isJsonWhitespace(m_data[m_pos]))
            ++m_pos;
    }

    bool atEnd() const { return m_pos >= m_size; }
    char peek() const { return m_data[m_pos]; }

    // build false: the value is read and checked exactly as it would be built (same errors), but nothing is made.
    bool parseString(JsonValue& out, bool build = true);
    bool parseStringBody(qsizetype begin, qsizetype end, bool plainAscii, QString& out);
    bool parseNumber(JsonValue& out, bool build = true);
    bool parseLiteral(JsonValue& out);
    bool parseScalar(JsonValue& out, bool build = true);
    bool readMemberName(Frame& frame);
    bool isKeptName(qsizetype open, qsizetype close);
    void recordMember(Frame& frame, JsonValue value);
    QString pathTo(const QString& name) const;

    const char* m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
    int m_maxDepth;
    std::vector<Frame> m_stack;
    std::optional<JsonError> m_error;
    std::vector<JsonDuplicate> m_duplicates;
    bool m_filtered = false; // keepOnly was called
    std::span<const QLatin1String> m_keep;
    bool m_skipping = false; // reading a root member that is not kept: nothing below it is built
};

// Scans the string starting at the opening quote at m_pos. A first pass finds the closing quote and checks for
// unescaped control characters; the second decodes (fast for plain ASCII, the usual case in tokens).
bool Parser::parseString(JsonValue& out, bool build)
{
    const qsizetype open = m_pos;
    qsizetype i = open + 1;
    bool plainAscii = true;
    while (true) {
        if (i >= m_size)
            return fail(open, JsonText::tr("unterminated string"));
        const auto c = static_cast<unsigned char>(m_data[i]);
        if (c == '"')
            break;
        if (c == '\\') {
            plainAscii = false;
            i += 2;
            continue;
        }
        if (c < 0x20)
            return fail(i,
                        JsonText::tr("control character U+%1 must be escaped in a string")
                            .arg(QStringLiteral("%1").arg(static_cast<int>(c), 4, 16, QLatin1Char('0')).toUpper()));
        if (c >= 0x80)
            plainAscii = false;
        ++i;
    }
    const qsizetype close = i;
    if (!build) {
        // Escapes and UTF-8 are checked by decoding; plain ASCII has nothing left to check.
        m_pos = close + 1;
        QString checked;
        return plainAscii || parseStringBody(open + 1, close, false, checked);
    }
    if (!parseStringBody(open + 1, close, plainAscii, out.string))
        return false;
    out.kind = JsonValue::Kind::String;
    out.span = {open, close + 1};
    out.raw = QByteArray(m_data + open, close + 1 - open);
    m_pos = close + 1;
    return true;
}

bool Parser::parseStringBody(qsizetype begin, qsizetype end, bool plainAscii, QString& out)
{
    if (plainAscii) {
        out = QString::fromLatin1(m_data + begin, end - begin);
        return true;
    }
    std::u16string buffer;
    buffer.reserve(static_cast<size_t>(end - begin));
    const auto* bytes = reinterpret_cast<const unsigned char*>(m_data);
    qsizetype i = begin;
    while (i < end) {
        const unsigned char c = bytes[i];
        if (c == '\\') {
            const qsizetype escape = i;
            const char e = i + 1 < end ? m_data[i + 1] : '\0';
            switch (e) {
            case '"':
                buffer.push_back(u'"');
                break;
            case '\\':
                buffer.push_back(u'\\');
                break;
            case '/':
                buffer.push_back(u'/');
                break;
            case 'b':
                buffer.push_back(u'\b');
                break;
            case 'f':
                buffer.push_back(u'\f');
                break;
            case 'n':
                buffer.push_back(u'\n');
                break;
            case 'r':
                buffer.push_back(u'\r');
                break;
            case 't':
                buffer.push_back(u'\t');
                break;
            case 'u': {
                auto readHex4 = [&](qsizetype at, char16_t& unit) {
                    if (at + 4 > end)
                        return false;
                    int value = 0;
                    for (qsizetype k = at; k < at + 4; ++k) {
                        const int digit = hexValue(m_data[k]);
                        if (digit < 0)
                            return false;
                        value = value * 16 + digit;
                    }
                    unit = static_cast<char16_t>(value);
                    return true;
                };
                char16_t unit = 0;
                if (!readHex4(i + 2, unit))
                    return fail(escape, JsonText::tr("invalid \\u escape: expected 4 hex digits"));
                i += 6;
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    // RFC 8259 §7: a character outside the BMP is a surrogate pair of two escapes.
                    char16_t low = 0;
                    if (i + 1 < end && m_data[i] == '\\' && m_data[i + 1] == 'u' && readHex4(i + 2, low)
                        && low >= 0xDC00 && low <= 0xDFFF) {
                        buffer.push_back(unit);
                        buffer.push_back(low);
                        i += 6;
                        continue;
                    }
                    return fail(escape,
                                JsonText::tr("lone surrogate \\u%1: a high surrogate must be followed by a low one")
                                    .arg(static_cast<int>(unit), 4, 16, QLatin1Char('0')));
                }
                if (unit >= 0xDC00 && unit <= 0xDFFF)
                    return fail(escape,
                                JsonText::tr("lone surrogate \\u%1: a low surrogate without a high one before it")
                                    .arg(static_cast<int>(unit), 4, 16, QLatin1Char('0')));
                buffer.push_back(unit);
                continue;
            }
            default:
                return fail(escape,
                            i + 1 < end ? JsonText::tr("invalid escape '\\%1' in a string").arg(QLatin1Char(e))
                                        : JsonText::tr("invalid escape at the end of a string"));
            }
            i += 2;
            continue;
        }
        if (c < 0x80) {
            buffer.push_back(static_cast<char16_t>(c));
            ++i;
            continue;
        }
        // RFC 3629 §4: the exact well-formed byte sequences; everything else is an error at the lead byte.
        qsizetype length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;
        char32_t codePoint = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
            codePoint = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            codePoint = c & 0x0F;
            if (c == 0xE0)
                low = 0xA0;
            else if (c == 0xED)
                high = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            codePoint = c & 0x07;
            if (c == 0xF0)
                low = 0x90;
            else if (c == 0xF4)
                high = 0x8F;
        } else {
            QString why;
            if (c >= 0x80 && c <= 0xBF)
                why = JsonText::tr("a continuation byte without a lead byte");
            else if (c == 0xC0 || c == 0xC1)
                why = JsonText::tr("overlong encoding");
            else if (c >= 0xF5 && c <= 0xF7)
                why = JsonText::tr("a code point above U+10FFFF");
            else
                why = JsonText::tr("byte 0x%1 never appears in UTF-8")
                          .arg(static_cast<int>(c), 2, 16, QLatin1Char('0'));
            return fail(i, JsonText::tr("invalid UTF-8 at byte %1: %2").arg(i).arg(why));
        }
        for (qsizetype k = 1; k < length; ++k) {
            if (i + k >= end)
                return fail(i, JsonText::tr("invalid UTF-8 at byte %1: truncated sequence").arg(i));
            const unsigned char next = bytes[i + k];
            const unsigned char allowedLow = k == 1 ? low : 0x80;
            const unsigned char allowedHigh = k == 1 ? high : 0xBF;
            if (next < allowedLow || next > allowedHigh) {
                QString why = JsonText::tr("truncated sequence");
                if (k == 1 && next >= 0x80 && next <= 0xBF) {
                    if (c == 0xE0 || c == 0xF0)
                        why = JsonText::tr("overlong encoding");
                    else if (c == 0xED)
                        why = JsonText::tr("an encoded UTF-16 surrogate");
                    else if (c == 0xF4)
                        why = JsonText::tr("a code point above U+10FFFF");
                }
                return fail(i, JsonText::tr("invalid UTF-8 at byte %1: %2").arg(i).arg(why));
            }
            codePoint = (codePoint << 6) | (next & 0x3F);
        }
        if (codePoint >= 0x10000) {
            codePoint -= 0x10000;
            buffer.push_back(static_cast<char16_t>(0xD800 + (codePoint >> 10)));
            buffer.push_back(static_cast<char16_t>(0xDC00 + (codePoint & 0x3FF)));
        } else {
            buffer.push_back(static_cast<char16_t>(codePoint));
        }
        i += length;
    }
    out = QString(reinterpret_cast<const QChar*>(buffer.data()), static_cast<qsizetype>(buffer.size()));
    return true;
}

// RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
bool Parser::parseNumber(JsonValue& out, bool build)
{
    const qsizetype begin = m_pos;
    qsizetype i = m_pos;
    if (m_data[i] == '-')
        ++i;
    if (i >= m_size || !isDigit(m_data[i]))
        return fail(i, JsonText::tr("expected a digit after '-'"));
    if (m_data[i] == '0') {
        ++i;
        if (i < m_size && isDigit(m_data[i]))
            return fail(i - 1, JsonText::tr("leading zeros are not allowed in numbers"));
    } else {
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    if (i < m_size && m_data[i] == '.') {
        ++i;
        if (i >= m_size || !isDigit(m_data[i]))
            return fail(i, JsonText::tr("expected a digit after '.'"));
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    if (i < m_size && (m_data[i] == 'e' || m_data[i] == 'E')) {
        ++i;
        if (i < m_size && (m_data[i] == '+' || m_data[i] == '-'))
            ++i;
        if (i >= m_size || !isDigit(m_data[i]))
            return fail(i, JsonText::tr("expected a digit in the exponent"));
        while (i < m_size && isDigit(m_data[i]))
            ++i;
    }
    m_pos = i;
    if (!build)
        return true;
    out.kind = JsonValue::Kind::Number;
    out.span = {begin, i};
    out.raw = QByteArray(m_data + begin, i - begin);
    return true;
}

bool Parser::parseLiteral(JsonValue& out)
{
    const QByteArrayView rest(m_data + m_pos, m_size - m_pos);
    // Literal raw texts share static data: no allocation per true/false/null.
    if (rest.startsWith("true")) {
        out.kind = JsonValue::Kind::Bool;
        out.boolean = true;
        out.raw = QByteArrayLiteral("true");
    } else if (rest.startsWith("false")) {
        out.kind = JsonValue::Kind::Bool;
        out.boolean = false;
        out.raw = QByteArrayLiteral("false");
    } else if (rest.startsWith("null")) {
        out.kind = JsonValue::Kind::Null;
        out.raw = QByteArrayLiteral("null");
    } else {
        return fail(m_pos, JsonText::tr("invalid literal: expected true, false or null"));
    }
    out.span = {m_pos, m_pos + out.raw.size()};
    m_pos += out.raw.size();
    return true;
}

bool Parser::parseScalar(JsonValue& out, bool build)
{
    if (atEnd())
        return fail(m_pos, JsonText::tr("unexpected end of input: expected a JSON value"));
    const char c = peek();
    if (c == '"')
        return parseString(out, build);
    if (c == '-' || isDigit(c))
        return parseNumber(out, build);
    if (c == 't' || c == 'f' || c == 'n')
        return parseLiteral(out);
    if (c == '+')
        return fail(m_pos, JsonText::tr("'+' is not allowed before a number"));
    if (c == '.')
        return fail(m_pos, JsonText::tr("a number must start with a digit (write 0.5, not .5)"));
    if (c == '}' || c == ']')
        return fail(m_pos, JsonText::tr("unexpected '%1': expected a JSON value").arg(QLatin1Char(c)));
    return fail(m_pos, JsonText::tr("unexpected %1: expected a JSON value").arg(describeByte(c)));
}

// Reads `"name" :` at m_pos (whitespace skipped before) into the frame's pending name.
bool Parser::readMemberName(Frame& frame)
{
    if (atEnd() || peek() != '"')
        return fail(m_pos,
                    atEnd() ? JsonText::tr("unexpected end of input: expected a member name")
                            : JsonText::tr("expected a member name (a string), found %1").arg(describeByte(peek())));
    JsonValue name;
    const qsizetype open = m_pos;
    if (m_skipping || (m_filtered && m_stack.size() == 1)) {
        if (!parseString(name, false))
            return false;
        if (!m_skipping && !isKeptName(open, m_pos - 1))
            m_skipping = true;
    }
    if (!m_skipping) {
        m_pos = open;
        if (!parseString(name))
            return false;
        frame.pendingName = std::move(name.string);
        frame.pendingNameSpan = name.span;
        frame.pendingRawName = std::move(name.raw);
    }
    skipWhitespace();
    if (atEnd() || peek() != ':')
        return fail(m_pos, JsonText::tr("expected ':' after member name"));
    ++m_pos;
    skipWhitespace();
    return true;
}

// Whether the root member whose name is quoted at open and close (already checked) is one keepOnly asked for.
bool Parser::isKeptName(qsizetype open, qsizetype close)
{
    const QByteArrayView raw(m_data + open + 1, close - open - 1);
    if (!raw.contains('\\'))
        return std::any_of(m_keep.begin(), m_keep.end(), [raw](QLatin1String name) {
            return raw.size() == name.size() && std::memcmp(raw.data(), name.data(), size_t(raw.size())) == 0;
        });
    // An escaped name ("\u0065xp" is "exp") is compared as what it says.
    QString decoded;
    if (!parseStringBody(open + 1, close, false, decoded))
        return false;
    return std::any_of(m_keep.begin(), m_keep.end(), [&decoded](QLatin1String name) { return decoded == name; });
}

QString Parser::pathTo(const QString& name) const
{
    QString path;
    // Frame k sits inside frame k-1, under the name or index it was being read for.
    for (size_t k = 1; k < m_stack.size(); ++k) {
        const Frame& parent = m_stack[k - 1];
        if (parent.value.isObject())
            path = jsonPathAppend(path, parent.pendingName);
        else
            path += QStringLiteral("[%1]").arg(parent.value.items.size());
    }
    return jsonPathAppend(path, name);
}

// RFC 7515 §5.2 / RFC 7519 §4: duplicate names are kept and reported, never silently merged.
void Parser::recordMember(Frame& frame, JsonValue value)
{
    auto& members = frame.value.members;
    std::optional<qsizetype> firstIndex;
    if (members.size() < static_cast<size_t>(kLinearDuplicateScanLimit)) {
        for (size_t k = 0; k < members.size(); ++k) {
            if (members[k].name == frame.pendingName) {
                firstIndex = static_cast<qsizetype>(k);
                break;
            }
        }
    } else {
        if (frame.nameIndex.isEmpty()) {
            frame.nameIndex.reserve(static_cast<qsizetype>(members.size()) * 2);
            for (size_t k = 0; k < members.size(); ++k) {
                if (!frame.nameIndex.contains(members[k].name))
                    frame.nameIndex.insert(members[k].name, static_cast<qsizetype>(k));
            }
        }
        const auto found = frame.nameIndex.constFind(frame.pendingName);
        if (found != frame.nameIndex.constEnd())
            firstIndex = found.value();
        else
            frame.nameIndex.insert(frame.pendingName, static_cast<qsizetype>(members.size()));
    }
    if (firstIndex)
        m_duplicates.push_back({pathTo(frame.pendingName), members[static_cast<size_t>(*firstIndex)].span(),
                                JsonSpan{frame.pendingNameSpan.begin, value.span.end}});
    JsonMember member;
    member.name = std::move(frame.pendingName);
    member.nameSpan = frame.pendingNameSpan;
    member.rawName = std::move(frame.pendingRawName);
    member.value = std::move(value);
    members.push_back(std::move(member));
    frame.pendingName = QString();
}

JsonDocument Parser::run()
{
    JsonDocument document;
    m_stack.reserve(4);
    if (m_size >= 3 && QByteArrayView(m_data, 3) == QByteArrayView("\xEF\xBB\xBF", 3)) {
        // RFC 8259 §8.1: a byte order mark must not be sent; strict parsing refuses it.
        fail(0, JsonText::tr("a byte order mark is not allowed before JSON text (RFC 8259 §8.1)"));
        document.error = m_error;
        return document;
    }
    skipWhitespace();
    if (atEnd()) {
        fail(m_pos,
             m_size == 0 ? JsonText::tr("empty input: expected a JSON value")
                         : JsonText::tr("unexpected end of input: expected a JSON value"));
        document.error = m_error;
        return document;
    }

    JsonValue finished;
    bool haveRoot = false;
    // An explicit stack instead of recursion, so deep nesting is an error and never a stack overflow.
    while (!m_error && !haveRoot) {
        // Read one value starting at m_pos: open a container or read a scalar.
        bool valueReady = false;
        JsonValue value;
        if (atEnd()) {
            fail(m_pos, JsonText::tr("unexpected end of input: expected a JSON value"));
            break;
        }
        const char c = peek();
        if (c == '{' || c == '[') {
            if (static_cast<int>(m_stack.size()) >= m_maxDepth) {
                fail(m_pos, JsonText::tr("nesting deeper than %1 levels").arg(m_maxDepth));
                break;
            }
            Frame frame;
            frame.value.kind = c == '{' ? JsonValue::Kind::Object : JsonValue::Kind::Array;
            // A JOSE header or a claims set has a handful of members: one allocation for them rather than a
            // growth step (and a move of every member so far) at the 1st, 2nd, 4th and 8th. Only the outermost
            // object: an array of a million small objects must not hold room for eight members in each.
            if (c == '{' && m_stack.empty())
                frame.value.members.reserve(kTypicalMemberCount);
            frame.value.span.begin = m_pos;
            ++m_pos;
            skipWhitespace();
            const char close = c == '{' ? '}' : ']';
            if (!atEnd() && peek() == close) {
                ++m_pos;
                frame.value.span.end = m_pos;
                value = std::move(frame.value);
                valueReady = true;
            } else {
                m_stack.push_back(std::move(frame));
                if (c == '{' && !readMemberName(m_stack.back()))
                    break;
            }
        } else {
            if (!parseScalar(value, !m_skipping))
                break;
            valueReady = true;
        }

        // Attach finished values to their parents, closing every container that ends here.
        while (valueReady && !m_error) {
            if (m_stack.empty()) {
                finished = std::move(value);
                haveRoot = true;
                break;
            }
            Frame& top = m_stack.back();
            if (m_skipping) {
                // Dropped; a value that completes a root member ends the skipped member.
                if (m_stack.size() == 1)
                    m_skipping = false;
            } else if (top.value.isObject()) {
                recordMember(top, std::move(value));
            } else {
                top.value.items.push_back(std::move(value));
            }
            skipWhitespace();
            const bool isObject = top.value.isObject();
            const char close = isObject ? '}' : ']';
            if (atEnd()) {
                fail(m_pos,
                     isObject ? JsonText::tr("unexpected end of input: expected ',' or '}' after a member")
                              : JsonText::tr("unexpected end of input: expected ',' or ']' after an array item"));
                break;
            }
            if (peek() == ',') {
                const qsizetype comma = m_pos;
                ++m_pos;
                skipWhitespace();
                if (!atEnd() && peek() == close) {
                    fail(comma, JsonText::tr("a trailing comma before '%1' is not allowed").arg(QLatin1Char(close)));
                    break;
                }
                if (isObject)
                    readMemberName(top);
                valueReady = false;
            } else if (peek() == close) {
                ++m_pos;
                value = std::move(top.value);
                value.span.end = m_pos;
                m_stack.pop_back();
            } else {
                fail(m_pos,
                     isObject ? JsonText::tr("expected ',' or '}' after a member")
                              : JsonText::tr("expected ',' or ']' after an array item"));
            }
        }
    }

    if (!m_error) {
        skipWhitespace();
        if (!atEnd())
            fail(m_pos, JsonText::tr("trailing characters after the JSON value"));
    }
    // Unwind the partial tree one level at a time so its destruction never recurses deeply.
    while (!m_stack.empty())
        m_stack.pop_back();
    if (m_error) {
        document.error = m_error;
    } else {
        document.root = std::move(finished);
    }
    document.duplicates = std::move(m_duplicates);
    return document;
}

// Parses the digits of an unsigned decimal into a magnitude; false when it exceeds maxMagnitude.
bool accumulateDigits(QByteArrayView digits, quint64 maxMagnitude, quint64& magnitude)
{
    magnitude = 0;
    for (const char d : digits) {
        const auto digit = static_cast<quint64>(d - '0');
        if (magnitude > (maxMagnitude - digit) / 10)
            return false;
        magnitude = magnitude * 10 + digit;
    }
    return true;
}

void appendCompact(const JsonValue& value, QByteArray& out)
{
    switch (value.kind) {
    case JsonValue::Kind::Null:
        out += "null";
        return;
    case JsonValue::Kind::Bool:
        out += value.raw.isEmpty() ? QByteArrayView(value.boolean ? "true" : "false") : QByteArrayView(value.raw);
        return;
    case JsonValue::Kind::Number:
        out += value.raw.isEmpty() ? QByteArrayView("0") : QByteArrayView(value.raw);
        return;
    case JsonValue::Kind::String:
        out += value.raw.isEmpty() ? jsonQuote(value.string) : value.raw;
        return;
    case JsonValue::Kind::Array: {
        out += '[';
        bool first = true;
        for (const JsonValue& item : value.items) {
            if (!first)
                out += ',';
            first = false;
            appendCompact(item, out);
        }
        out += ']';
        return;
    }
    case JsonValue::Kind::Object: {
        out += '{';
        bool first = true;
        for (const JsonMember& member : value.members) {
            if (!first)
                out += ',';
            first = false;
            out += member.rawName.isEmpty() ? jsonQuote(member.name) : member.rawName;
            out += ':';
            appendCompact(member.value, out);
        }
        out += '}';
        return;
    }
    }
}

class PrettyPrinter
{
public:
    PrettyPrinter(int indent, qsizetype expectedSize)
        : m_indent(std::max(indent, 0))
    {
        m_out.text.reserve(expectedSize);
    }

    void reserveSpans(size_t count) { m_out.spans.reserve(count); }
    void print(const JsonValue& value, int depth, JsonSpan member);
    PrettyJson take() { return std::move(m_out); }

private:
    void emitLatin1(HighlightSpan::Kind kind, QByteArrayView shown, JsonSpan source, JsonSpan member)
    {
        const qsizetype begin = m_out.text.size();
        m_out.text += QLatin1String(shown.data(), shown.size());
        m_out.spans.push_back({kind, {begin, m_out.text.size()}, source, member});
    }
    void emitUtf8(HighlightSpan::Kind kind, QByteArrayView shown, JsonSpan source, JsonSpan member)
    {
        const qsizetype begin = m_out.text.size();
        const bool ascii
            = std::all_of(shown.begin(), shown.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        if (ascii)
            m_out.text += QLatin1String(shown.data(), shown.size());
        else
            m_out.text += QString::fromUtf8(shown);
        m_out.spans.push_back({kind, {begin, m_out.text.size()}, source, member});
    }
    void newline(int depth)
    {
        if (m_indent == 0)
            return;
        const qsizetype width = static_cast<qsizetype>(depth) * m_indent;
        while (m_spaces.size() < width)
            m_spaces += m_spaces.isEmpty() ? QStringLiteral("        ") : m_spaces;
        m_out.text += QLatin1Char('\n');
        m_out.text += QStringView(m_spaces).first(width);
    }

    int m_indent;
    QString m_spaces; // indentation, shared by every line
    PrettyJson m_out;
};

void PrettyPrinter::print(const JsonValue& value, int depth, JsonSpan member)
{
    using Kind = HighlightSpan::Kind;
    const JsonSpan open{value.span.begin, std::min(value.span.begin + 1, value.span.end)};
    const JsonSpan close{std::max(value.span.begin, value.span.end - 1), value.span.end};
    switch (value.kind) {
    case JsonValue::Kind::Null:
    case JsonValue::Kind::Bool:
    case JsonValue::Kind::Number: {
        QByteArray shown = value.raw;
        if (shown.isEmpty())
            appendCompact(value, shown);
        emitLatin1(value.kind == JsonValue::Kind::Number ? Kind::Number : Kind::Literal, shown, value.span, member);
        return;
    }
    case JsonValue::Kind::String:
        emitUtf8(Kind::String, value.raw.isEmpty() ? jsonQuote(value.string) : value.raw, value.span, member);
        return;
    case JsonValue::Kind::Array:
        emitLatin1(Kind::Punctuation, "[", open, member);
        for (size_t k = 0; k < value.items.size(); ++k) {
            const JsonValue& item = value.items[k];
            newline(depth + 1);
            print(item, depth + 1, member);
            if (k + 1 < value.items.size())
                emitLatin1(Kind::Punctuation, ",", {item.span.end, value.items[k + 1].span.begin}, member);
        }
        if (!value.items.empty())
            newline(depth);
        emitLatin1(Kind::Punctuation, "]", close, member);
        return;
    case JsonValue::Kind::Object:
        emitLatin1(Kind::Punctuation, "{", open, member);
        for (size_t k = 0; k < value.members.size(); ++k) {
            const JsonMember& m = value.members[k];
            const JsonSpan whole = m.span();
            newline(depth + 1);
            emitUtf8(Kind::Key, m.rawName.isEmpty() ? jsonQuote(m.name) : m.rawName, m.nameSpan, whole);
            emitLatin1(Kind::Punctuation, ":", {m.nameSpan.end, m.value.span.begin}, whole);
            m_out.text += QLatin1Char(' ');
            print(m.value, depth + 1, whole);
            if (k + 1 < value.members.size())
                emitLatin1(Kind::Punctuation, ",", {m.value.span.end, value.members[k + 1].nameSpan.begin}, member);
        }
        if (!value.members.empty())
            newline(depth);
        emitLatin1(Kind::Punctuation, "}", close, member);
        return;
    }
}

} // namespace

const JsonValue* JsonValue::member(QStringView name) const
{
    // Length and first character first, inline: a verdict looks up a dozen names a token, most of them absent.
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        const QString& candidate = it->name;
        if (candidate.size() == name.size() && (name.isEmpty() || candidate.front() == name.front())
            && candidate == name)
            return &it->value;
    }
    return nullptr;
}

// Exact integer reading from the written text: plain integers never go through a double, and exponent or fraction
// forms count as integers only when their value is integral (1e3, 1.0, 15e-1 is not).
std::optional<qint64> JsonValue::toInteger() const
{
    if (kind != Kind::Number || raw.isEmpty())
        return std::nullopt;
    QByteArrayView text(raw);
    const bool negative = text.startsWith('-');
    if (negative)
        text = text.sliced(1);
    // The common case, digits alone (a NumericDate such as 1516239022), read without building anything: 18 digits
    // always fit in 64 bits.
    if (!text.isEmpty() && text.size() <= 18 && std::all_of(text.begin(), text.end(), isDigit)) {
        qint64 value = 0;
        for (const char d : text)
            value = value * 10 + (d - '0');
        return negative ? -value : value;
    }
    qsizetype exponentAt = -1;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == 'e' || text[i] == 'E') {
            exponentAt = i;
            break;
        }
    }
    const QByteArrayView mantissa = exponentAt < 0 ? text : text.first(exponentAt);
    const qsizetype dot = mantissa.indexOf('.');
    QByteArray digits = (dot < 0 ? mantissa : mantissa.first(dot)).toByteArray();
    if (digits.isEmpty())
        return std::nullopt;
    qint64 exponent = 0;
    if (dot >= 0) {
        const QByteArrayView fraction = mantissa.sliced(dot + 1);
        digits += fraction;
        exponent -= fraction.size();
    }
    if (exponentAt >= 0) {
        QByteArrayView expText = text.sliced(exponentAt + 1);
        bool expNegative = false;
        if (!expText.isEmpty() && (expText.front() == '+' || expText.front() == '-')) {
            expNegative = expText.front() == '-';
            expText = expText.sliced(1);
        }
        qint64 written = 0;
        for (const char d : expText) {
            if (d < '0' || d > '9')
                return std::nullopt;
            // Saturate: anything this large is far outside qint64 unless the digits are all zero.
            written = std::min<qint64>(written * 10 + (d - '0'), qint64(1) << 40);
        }
        exponent += expNegative ? -written : written;
    }
    for (const char d : digits) {
        if (d < '0' || d > '9')
            return std::nullopt;
    }
    // Leading zeros carry no value (0.5 → digits "05").
    qsizetype firstNonZero = 0;
    while (firstNonZero < digits.size() && digits[firstNonZero] == '0')
        ++firstNonZero;
    digits.remove(0, firstNonZero);
    if (digits.isEmpty())
        return 0;
    if (exponent < 0) {
        const qint64 drop = -exponent;
        if (drop > digits.size())
            return std::nullopt;
        for (qsizetype i = digits.size() - drop; i < digits.size(); ++i) {
            if (digits[i] != '0')
                return std::nullopt;
        }
        digits.chop(drop);
    } else if (exponent > 0) {
        if (digits.size() + exponent > 19)
            return std::nullopt;
        digits.append(QByteArray(exponent, '0'));
    }
    if (digits.size() > 19)
        return std::nullopt;
    const quint64 limit
        = negative ? quint64(std::numeric_limits<qint64>::max()) + 1 : quint64(std::numeric_limits<qint64>::max());
    quint64 magnitude = 0;
    if (!accumulateDigits(digits, limit, magnitude))
        return std::nullopt;
    if (negative)
        return magnitude == limit ? std::numeric_limits<qint64>::min() : -static_cast<qint64>(magnitude);
    return static_cast<qint64>(magnitude);
}

std::optional<double> JsonValue::toDouble() const
{
    if (kind != Kind::Number || raw.isEmpty())
        return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(raw.constData(), raw.constData() + raw.size(), value);
    if (error != std::errc() || end != raw.constData() + raw.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

QByteArray JsonValue::toCompactJson() const
{
    QByteArray out;
    out.reserve(std::max<qsizetype>(span.size(), 16));
    appendCompact(*this, out);
    return out;
}

JsonDocument parseJson(QByteArrayView utf8, int maxDepth)
{
    return Parser(utf8, maxDepth).run();
}

JsonDocument parseJsonKeeping(QByteArrayView utf8, std::span<const QLatin1String> names, int maxDepth)
{
    Parser parser(utf8, maxDepth);
    parser.keepOnly(names);
    return parser.run();
}

namespace {

// The exact number of spans prettyPrint makes for a value: a large document's spans are reserved once, never regrown.
size_t countSpans(const JsonValue& value)
{
    switch (value.kind) {
    case JsonValue::Kind::Array: {
        size_t count = 2 + (value.items.empty() ? 0 : value.items.size() - 1);
        for (const JsonValue& item : value.items)
            count += countSpans(item);
        return count;
    }
    case JsonValue::Kind::Object: {
        size_t count = 2 + (value.members.empty() ? 0 : value.members.size() - 1) + 2 * value.members.size();
        for (const JsonMember& member : value.members)
            count += countSpans(member.value);
        return count;
    }
    default:
        return 1;
    }
}

} // namespace

PrettyJson prettyPrint(const JsonValue& root, int indent)
{
    // Indentation roughly doubles a compact document's size.
    PrettyPrinter printer(indent, root.span.size() * 2 + 64);
    printer.reserveSpans(countSpans(root));
    printer.print(root, 0, {});
    return printer.take();
}

QString jsonPathAppend(const QString& path, const QString& name)
{
    const bool plain = !name.isEmpty() && std::none_of(name.begin(), name.end(), [](QChar c) {
        return c == QLatin1Char('.') || c == QLatin1Char('[') || c == QLatin1Char(']') || c == QLatin1Char('"')
            || c.isSpace() || c.unicode() < 0x20;
    });
    if (!plain)
        return path + QLatin1Char('[') + QString::fromUtf8(jsonQuote(name)) + QLatin1Char(']');
    return path.isEmpty() ? name : path + QLatin1Char('.') + name;
}

QByteArray jsonQuote(QStringView text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    static constexpr char kHex[] = "0123456789abcdef";
    qsizetype runStart = 0;
    auto flushRun = [&](qsizetype end) {
        if (end > runStart)
            out += text.sliced(runStart, end - runStart).toUtf8();
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        const char* escape = nullptr;
        switch (c) {
        case u'"':
            escape = "\\\"";
            break;
        case u'\\':
            escape = "\\\\";
            break;
        case u'\b':
            escape = "\\b";
            break;
        case u'\f':
            escape = "\\f";
            break;
        case u'\n':
            escape = "\\n";
            break;
        case u'\r':
            escape = "\\r";
            break;
        case u'\t':
            escape = "\\t";
            break;
        default:
            break;
        }
        const bool control = c < 0x20;
        // A lone surrogate has no UTF-8 form; it is written as U+FFFD, as QString::toUtf8 would.
        const bool highSurrogate = c >= 0xD800 && c <= 0xDBFF;
        const bool lowSurrogate = c >= 0xDC00 && c <= 0xDFFF;
        const bool pairedHigh = highSurrogate && i + 1 < text.size() && text[i + 1].isLowSurrogate();
        if (pairedHigh) {
            ++i;
            continue;
        }
        if (!escape && !control && !highSurrogate && !lowSurrogate)
            continue;
        flushRun(i);
        runStart = i + 1;
        if (escape) {
            out += escape;
        } else if (control) {
            out += "\\u00";
            out += kHex[(c >> 4) & 0xF];
            out += kHex[c & 0xF];
        } else {
            out += "\xEF\xBF\xBD";
        }
    }
    flushRun(text.size());
    out += '"';
    return out;
}

} // namespace jwti
