// libFuzzer harness for the token reader: decodeUnverified (input read as Latin-1 and as UTF-8) and parseStrict.
// Besides "no crash, no sanitizer report" it checks the promises other code relies on: every range points into the
// text it names, textToInput covers the text, and a token parseStrict accepts decodes the same way for display.
#include "core/jose/Token.h"

#include <cstddef>
#include <cstdint>

using namespace jwti;

namespace {

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

bool inside(OffsetRange range, qsizetype size)
{
    return range.begin >= 0 && range.begin <= range.end && range.end <= size;
}

void walk(const JsonValue& value, qsizetype sourceSize)
{
    require(inside(value.span, sourceSize));
    (void)value.toInteger();
    (void)value.toDouble();
    for (const JsonMember& member : value.members) {
        require(inside(member.nameSpan, sourceSize));
        walk(member.value, sourceSize);
    }
    for (const JsonValue& item : value.items)
        walk(item, sourceSize);
}

// Copies of a segment (Token::payload, JwsSignature) are checked for their place only, which keeps the runs fast.
void checkSegment(const Segment& segment, const Token& token, bool deep = true)
{
    require(inside(segment.range, token.text.size()));
    (void)segmentRoleName(segment.role);
    if (deep && segment.json && segment.json->root) {
        walk(*segment.json->root, segment.decoded.bytes.size());
        const PrettyJson pretty = prettyPrint(*segment.json->root);
        for (const HighlightSpan& span : pretty.spans)
            require(inside(span.text, pretty.text.size()));
    }
}

void touch(const Token& token)
{
    require(token.textToInput.size() == static_cast<size_t>(token.text.size()) + 1 || token.text.isEmpty());
    for (const qsizetype offset : token.textToInput)
        require(offset >= 0 && offset <= token.input.size());
    for (qsizetype i = -1; i <= token.text.size() + 1; ++i)
        require(token.inputOffset(i) >= 0);
    for (const NoiseNote& note : token.noise)
        require(inside(note.range, token.input.size()) && !note.message.isEmpty());
    for (const TokenError& error : token.errors) {
        require(inside(error.range, token.text.size()) && !error.message.isEmpty());
        require(error.segment >= -1 && error.segment < static_cast<int>(token.segments.size()));
    }
    for (const Segment& segment : token.segments)
        checkSegment(segment, token);
    checkSegment(token.payload, token, false);

    const int count = static_cast<int>(token.signatures.size());
    for (int i = -1; i <= count; ++i) {
        (void)token.header(i);
        (void)token.alg(i);
        (void)token.kid(i);
        (void)token.signingInput(i);
        (void)token.signingInput(i, QByteArrayLiteral("detached payload"));
    }
    for (const JwsSignature& signature : token.signatures) {
        checkSegment(signature.protectedHeader, token, false);
        checkSegment(signature.signature, token, false);
    }
    if (const JsonValue* claims = token.claims())
        (void)claims->toCompactJson();
    (void)token.isMalformed();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    touch(decodeUnverified(QString::fromLatin1(bytes)));
    const Token shown = decodeUnverified(QString::fromUtf8(bytes));
    touch(shown);

    const Result<Token> strict = parseStrict(bytes);
    if (!strict.ok()) {
        require(!strict.message().isEmpty());
        return 0;
    }
    touch(*strict);
    require(strict->errors.empty() && strict->kind != TokenKind::Malformed && strict->kind != TokenKind::Empty);
    // What verify accepts, decode shows the same way (its noise stripping has nothing to remove). Decode reads text,
    // so this holds only for input that is UTF-8: other bytes (allowed in a "b64": false payload) become U+FFFD.
    if (!bytes.isValidUtf8())
        return 0;
    require(shown.errors.empty());
    require(shown.kind == strict->kind);
    require(shown.text == strict->text);
    require(shown.signatures.size() == strict->signatures.size());
    for (int i = 0; i < static_cast<int>(shown.signatures.size()); ++i)
        require(shown.signingInput(i) == strict->signingInput(i));
    return 0;
}
