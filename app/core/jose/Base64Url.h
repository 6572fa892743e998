#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <vector>

namespace jwti {

// One thing wrong with a base64url text, at its place (offset into the encoded text).
struct Base64Issue
{
    enum class Kind {
        Padding, // '=' characters: RFC 7515 §2 forbids them
        StandardAlphabet, // '+' or '/': base64, not base64url
        InvalidCharacter, // anything else outside the alphabet
        ImpossibleLength, // length % 4 == 1 cannot encode whole bytes
        NonCanonicalBits, // the final character carries non-zero spare bits
    };
    Kind kind;
    qsizetype offset = 0;
    qsizetype length = 1;
    QString message;
};

struct Base64Decoded
{
    QByteArray bytes; // as much as could be read
    std::vector<Base64Issue> issues;
    bool ok() const { return issues.empty(); }
};

// Half-open range [begin, end).
struct OffsetRange
{
    qsizetype begin = 0;
    qsizetype end = 0;
    qsizetype size() const { return end - begin; }
    bool operator==(const OffsetRange&) const = default;
};

namespace Base64Url {

// The 64 characters of base64url (RFC 4648 §5), in the order of their values.
QByteArrayView alphabet();

QByteArray encode(QByteArrayView bytes);

// Lenient for display: decodes '+' '/' as their base64url twins, ignores '=' padding, drops an impossible last
// character, stops at the first other invalid character; reports every one of these as an issue at its offset.
// A strict caller treats any issue as an error.
Base64Decoded decode(QByteArrayView text);

// True when text is canonical unpadded base64url (what RFC 7515 requires).
bool isCanonical(QByteArrayView text);

// The bytes of a canonical unpadded base64url text, in one pass; false (out unspecified) when the text is not
// canonical, and decode() then says why. The fast path of every strict reader (verify --batch reads three a token).
bool decodeCanonical(QByteArrayView text, QByteArray& out);

// The characters of an encoded text of encodedLength characters that carry decoded bytes [byteBegin, byteEnd).
// 3 bytes map to 4 characters; a partial group maps to the characters that hold any of its bits.
OffsetRange encodedRangeForBytes(OffsetRange bytes, qsizetype encodedLength);

// The decoded bytes that characters [charBegin, charEnd) contribute bits to.
OffsetRange byteRangeForEncoded(OffsetRange chars, qsizetype decodedLength);

} // namespace Base64Url
} // namespace jwti
