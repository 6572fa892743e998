#pragma once

// Where every character of a compact token comes from, for the teaching views: which JSON member a character
// carries, which characters carry a member, and what one stretch of base64url does bit by bit.
// Base64url maps 3 bytes to 4 characters (RFC 4648 §5), so a byte range maps to an exact character range; a
// character at the edge of a range may also carry bits of the neighbouring byte, and that is flagged, not hidden.

#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/Token.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>
#include <vector>

namespace jwti {

// One JSON member (or array item) of a decoded segment and the characters of Token::text that carry it.
struct MemberTrace
{
    int segment = -1; // index into Token::segments
    QString path; // "payload.address.city", "header.alg", "payload.roles[1]"
    QString name; // the member name; empty for an array item
    int depth = 0; // 1 for the members of the segment's root object
    JsonSpan bytes; // the whole member (name through value) in the decoded segment; an item: its value
    JsonSpan valueBytes; // the value alone
    OffsetRange chars; // the characters of Token::text that hold any bit of bytes
    OffsetRange fullGroupChars; // chars widened to whole groups of 4 (the last group of a segment may be shorter)
    // The first character also carries bits of the byte before the member (bytes.begin is not a multiple of 3).
    bool startsMidGroup = false;
    // The last character also carries bits of the byte after the member (bytes.end is not a multiple of 3 and is
    // not the end of the segment; at the end of a segment the last character's other bits are spare bits).
    bool endsMidGroup = false;
};

// The characters of Token::text that carry bytes [bytes.begin, bytes.end) of a segment's decoded bytes, with the
// flags above; nullopt when the segment is not a verbatim slice of Token::text (a JSON serialization string with
// escapes) or the index is out of range.
std::optional<MemberTrace> traceBytes(const Token& token, int segment, JsonSpan bytes);

// Every member at every depth (and every array item) of every segment that holds JSON (the headers and a JSON
// payload), in source order, parents before their members.
std::vector<MemberTrace> traceMembers(const Token& token);

// Who owns one decoded byte.
struct ByteOwner
{
    qsizetype byte = 0; // offset in the decoded segment
    QString path; // the deepest member, item or value whose span covers the byte; empty outside the JSON value
    JsonSpan span; // that member's (or value's) bytes
};

// One character of Token::text, traced back to the bytes it carries and the JSON it belongs to.
struct CharacterTrace
{
    int segment = -1; // index into Token::segments
    qsizetype charOffset = 0; // offset of the character inside the segment
    OffsetRange bytes; // the decoded bytes the character contributes bits to (none for a lone impossible character)
    QString path; // the deepest member, item or value whose span covers all of bytes; empty when none does
    JsonSpan span; // that member's (or value's) bytes
    std::vector<ByteOwner> owners; // per byte of bytes: a character at a member's edge can carry two owners
};

// nullopt for a '.' separator, an offset outside every segment, or a segment that is not a verbatim slice of
// Token::text. Signature and non-JSON payload characters trace to bytes with an empty path.
std::optional<CharacterTrace> traceCharacter(const Token& token, qsizetype textOffset);

// One character of an inspected stretch.
struct Base64Character
{
    qsizetype offset = 0; // in the segment
    char character = 0;
    int sextet = -1; // alphabet index 0..63, -1 when the character is not in the alphabet
    QString bits; // the six bits, "011001"; empty for an invalid character
    OffsetRange bytes; // the decoded bytes its bits land in; empty when it carries only spare bits
    int spareBits = 0; // trailing bits that land in no byte (only the last character of a short group)
    bool selected = false; // inside the stretch the caller asked about (the rest completes its group)
    QString lookup; // "'Z' → index 25 → 011001"; or why the character is not base64url
};

// A group of up to 4 characters and the up to 3 bytes they encode.
struct Base64Group
{
    OffsetRange chars; // in the segment, aligned to multiples of 4 from the segment's start
    QByteArray characters;
    std::vector<int> sextets; // per character, -1 for one outside the alphabet
    std::vector<Base64Character> details; // per character
    OffsetRange bytes; // in the decoded segment
    QByteArray byteValues;
    QString hex; // "66 6f 6f"
    QString text; // printable ASCII as is, every other byte as '·'
    int spareBits = 0; // 4 after 2 characters, 2 after 3 characters, else 0
    int spareBitsValue = 0; // what those bits hold
    bool spareBitsZero = true; // RFC 4648 §3.5: canonical encoders set them to zero
    QString problem; // why the group cannot be read in full (a non-alphabet character, a lone character); or empty
};

// The groups of a segment's encoded text that the characters [selection.begin, selection.end) fall into; the
// groups are aligned to the segment's start, so a selection that begins mid-group still shows its whole group.
// '+' and '/' are read as their base64url twins (with the reason in the lookup); reading stops at '=' or any other
// character outside the alphabet, as Base64Url::decode does. For a selection in Token::text, traceCharacter gives
// the segment and the offset inside it.
std::vector<Base64Group> inspectBase64(QByteArrayView segmentEncoded, OffsetRange selection);

// Why a final short group's last character carries bits that belong to no byte, and whether these are zero.
// Empty for a full group.
QString explainSpareBits(const Base64Group& group);

} // namespace jwti
