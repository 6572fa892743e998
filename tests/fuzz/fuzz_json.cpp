// libFuzzer harness for the JSON scanner and pretty-printer. Invariants checked on every valid document:
// the compact form re-parses to the same compact form with the same duplicates, pretty-printed scalars and keys show
// exactly their source text, and every span lies inside the text it names.
#include "core/jose/Json.h"

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

void walk(const JsonValue& value, QByteArrayView source)
{
    require(inside(value.span, source.size()));
    switch (value.kind) {
    case JsonValue::Kind::Number: {
        require(source.sliced(value.span.begin, value.span.size()) == QByteArrayView(value.raw));
        const auto integer = value.toInteger();
        const auto real = value.toDouble();
        // An integral value that fits in 64 bits is also a finite double.
        require(!integer || real);
        break;
    }
    case JsonValue::Kind::String: {
        require(source.sliced(value.span.begin, value.span.size()) == QByteArrayView(value.raw));
        const JsonDocument quoted = parseJson(jsonQuote(value.string));
        require(quoted.ok() && quoted.root->string == value.string);
        break;
    }
    case JsonValue::Kind::Object:
        for (const JsonMember& member : value.members) {
            require(inside(member.nameSpan, source.size()));
            require(source.sliced(member.nameSpan.begin, member.nameSpan.size()) == QByteArrayView(member.rawName));
            require(value.member(member.name) != nullptr);
            walk(member.value, source);
        }
        break;
    case JsonValue::Kind::Array:
        for (const JsonValue& item : value.items)
            walk(item, source);
        break;
    case JsonValue::Kind::Null:
    case JsonValue::Kind::Bool:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArrayView source(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const JsonDocument shallow = parseJson(source, 8);
    require(shallow.ok() || (shallow.error && shallow.error->offset >= 0 && shallow.error->offset <= source.size()));

    const JsonDocument document = parseJson(source);
    if (!document.ok()) {
        require(document.error.has_value() && !document.error->message.isEmpty());
        require(document.error->offset >= 0 && document.error->offset <= source.size());
        return 0;
    }
    const JsonValue& root = *document.root;
    walk(root, source);
    for (const JsonDuplicate& duplicate : document.duplicates)
        require(inside(duplicate.first, source.size()) && inside(duplicate.second, source.size())
                && duplicate.first.end <= duplicate.second.begin && !duplicate.path.isEmpty());

    const QByteArray compact = root.toCompactJson();
    const JsonDocument reparsed = parseJson(compact);
    require(reparsed.ok());
    require(reparsed.root->toCompactJson() == compact);
    require(reparsed.duplicates.size() == document.duplicates.size());

    const PrettyJson pretty = prettyPrint(root);
    qsizetype previousEnd = 0;
    for (const HighlightSpan& span : pretty.spans) {
        require(inside(span.text, pretty.text.size()) && span.text.begin >= previousEnd);
        require(inside(span.source, source.size()) && inside(span.member, source.size()));
        previousEnd = span.text.end;
        if (span.kind != HighlightSpan::Kind::Punctuation) {
            const QString shown = pretty.text.mid(span.text.begin, span.text.size());
            require(shown == QString::fromUtf8(source.sliced(span.source.begin, span.source.size())));
        }
    }
    // The pretty text is JSON too, and says the same thing.
    const JsonDocument prettyParsed = parseJson(pretty.text.toUtf8());
    require(prettyParsed.ok() && prettyParsed.root->toCompactJson() == compact);
    return 0;
}
