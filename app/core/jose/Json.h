#pragma once

#include "core/jose/Base64Url.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <optional>
#include <span>
#include <vector>

namespace jwti {

// Byte offsets into the JSON source text (the decoded segment), half-open.
using JsonSpan = OffsetRange;

struct JsonMember;

// A JSON value that remembers where it was written and how. QJsonObject sorts keys and reads numbers through a
// double; an inspector must show neither, so this is our own tree.
struct JsonValue
{
    enum class Kind { Null, Bool, Number, String, Array, Object };

    Kind kind = Kind::Null;
    JsonSpan span; // the whole value in the source
    QByteArray raw; // Number, Bool, Null: the literal exactly as written; String: the quoted source
    QString string; // String: the decoded text
    bool boolean = false; // Bool
    std::vector<JsonMember> members; // Object: in source order, duplicates kept
    std::vector<JsonValue> items; // Array

    bool isObject() const { return kind == Kind::Object; }
    bool isArray() const { return kind == Kind::Array; }
    bool isString() const { return kind == Kind::String; }
    bool isNumber() const { return kind == Kind::Number; }

    // The member with this name; when a name repeats, the last one (as JavaScript's JSON.parse does, and as
    // RFC 7519 §4 allows); duplicates are reported separately by the parser.
    const JsonValue* member(QStringView name) const;

    // A Number that is an integer (written as one, or as 1e3) and fits in 64 bits.
    std::optional<qint64> toInteger() const;
    // A Number as a double (NumericDate may have a fraction).
    std::optional<double> toDouble() const;

    // Compact JSON text of this value with members in source order and numbers/strings as written.
    QByteArray toCompactJson() const;
};

struct JsonMember
{
    QString name;
    JsonSpan nameSpan; // the quoted name in the source
    JsonValue value;
    QByteArray rawName; // the quoted name exactly as written; empty for members built in code
    JsonSpan span() const { return {nameSpan.begin, value.span.end}; }
};

struct JsonError
{
    qsizetype offset = 0; // byte offset into the source
    QString message;
};

struct JsonDuplicate
{
    QString path; // e.g. "sub", "address.street" or "keys[1].kid"
    JsonSpan first; // the first member with this name (name through value)
    JsonSpan second; // a later member with the same name
};

struct JsonDocument
{
    std::optional<JsonValue> root; // empty when the text is not valid JSON
    std::optional<JsonError> error;
    std::vector<JsonDuplicate> duplicates;
    bool ok() const { return root.has_value() && !error.has_value(); }
};

// RFC 8259 JSON, strict: UTF-8 only (invalid sequences are errors with their offset), no trailing commas, no comments,
// exactly one value with only whitespace around it. Nesting deeper than maxDepth is an error, never a stack overflow.
JsonDocument parseJson(QByteArrayView utf8, int maxDepth = 512);

// For verifying, where a few members decide: the same text is accepted or refused as by parseJson, with the same error
// at the same offset, but of the root object only the members with these names are built (in full, duplicates kept
// and reported); every other member is read, checked and dropped, so its strings cost no allocation. Not for display:
// the tree is incomplete and the dropped members' duplicates are not reported.
JsonDocument parseJsonKeeping(QByteArrayView utf8, std::span<const QLatin1String> names, int maxDepth = 512);

// A span of pretty-printed text and the source bytes it shows.
struct HighlightSpan
{
    enum class Kind { Key, String, Number, Literal, Punctuation };
    Kind kind;
    OffsetRange text; // UTF-16 offsets into PrettyJson::text
    JsonSpan source; // the bytes in the source this piece shows
    JsonSpan member; // the whole member (name through value) this piece belongs to; empty when none
};

struct PrettyJson
{
    QString text;
    std::vector<HighlightSpan> spans; // in text order
};

// Indented JSON in source order. Strings and numbers are shown exactly as written in the source.
PrettyJson prettyPrint(const JsonValue& root, int indent = 2);

// A JSON string literal (quoted, escaped) for text.
QByteArray jsonQuote(QStringView text);

// The path of member name inside path: "address.street" for a plain name; address["a.b"] (the name JSON-quoted)
// for one that is empty or holds a '.', '[', ']', quote, space or control character, so that every path names
// exactly one member. Claim names that are URIs ("https://example.com/roles", RFC 7519 §4.2) take the second form.
QString jsonPathAppend(const QString& path, const QString& name);

} // namespace jwti
