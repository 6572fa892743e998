#pragma once

#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/Result.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace jwti {

enum class SegmentRole {
    Header, // JWS/JWE protected header
    Payload, // JWS payload
    Signature, // JWS signature
    EncryptedKey, // JWE parts (RFC 7516 §7.1)
    Iv,
    Ciphertext,
    Tag,
};
QString segmentRoleName(SegmentRole role); // "header", "payload", "signature", "encrypted key", …

// One base64url segment as received.
struct Segment
{
    SegmentRole role = SegmentRole::Header;
    OffsetRange range; // characters in Token::text (compact) or in the JSON member's string (JSON forms)
    QByteArray encoded; // exactly as received
    Base64Decoded decoded; // bytes and base64url issues (issue offsets are relative to the segment)
    std::optional<JsonDocument> json; // header always; payload when it looks like JSON (starts with '{')
};

enum class TokenKind {
    Empty,
    Jws, // compact JWS with a signature algorithm
    Unsecured, // compact, alg "none" (RFC 7519 §6)
    Jwe, // JWE: compact (5 parts) or JSON (RFC 7516 §7.2); header shown, payload encrypted
    JwsJsonFlattened, // RFC 7515 §7.2.2
    JwsJsonGeneral, // RFC 7515 §7.2.1
    Malformed, // not recognisable as any of the above
};

// Where a problem is: segment index (-1 = the token as a whole), offset into Token::text, length, and why.
struct TokenError
{
    int segment = -1;
    OffsetRange range; // characters in Token::text
    ErrorCode code = ErrorCode::MalformedToken;
    QString message; // with its place: "payload segment, character 76: '*' is not a base64url character"
    QString reason; // the same without the place, for views that show the place themselves
};

// Paste noise that decodeUnverified removed and now reports.
struct NoiseNote
{
    QString message; // "removed the \"Bearer \" prefix", "removed 3 line breaks and 12 spaces"
    OffsetRange range; // first place in Token::input
};

// One signature of a JWS (compact: exactly one).
struct JwsSignature
{
    Segment protectedHeader;
    std::optional<JsonDocument> unprotectedHeader; // JSON serialization "header" member; spans index Token::text
    Segment signature;
};

struct Token
{
    QString input; // as given
    QByteArray text; // what was parsed (noise removed); ASCII for compact tokens
    std::vector<qsizetype> textToInput; // textToInput[i] = offset in input of text[i]; size text.size() + 1
    std::vector<NoiseNote> noise;

    TokenKind kind = TokenKind::Empty;
    std::vector<Segment> segments; // compact: in order (3 for JWS, 5 for JWE); JSON forms: payload + per-signature
    Segment payload; // JWS payload (JWE: the ciphertext, labelled encrypted)
    std::vector<JwsSignature> signatures;
    std::vector<TokenError> errors;
    bool payloadDetached = false; // empty payload segment (RFC 7515 App. F)
    bool unencodedPayload = false; // "b64": false (RFC 7797)

    bool isMalformed() const { return kind == TokenKind::Malformed || !errors.empty(); }
    // The first signature's protected header, parsed (nullptr when missing or not JSON).
    const JsonValue* header(int signatureIndex = 0) const;
    const JsonValue* claims() const; // the payload as a JSON object, or nullptr
    QString alg(int signatureIndex = 0) const;
    QString kid(int signatureIndex = 0) const;
    // ASCII(BASE64URL(protected) '.' payload) exactly as received (RFC 7515 §5.1); payload bytes substituted
    // for detached or unencoded payloads.
    QByteArray signingInput(int signatureIndex = 0, const QByteArray& detachedPayload = {}) const;
    // The same bytes, as a view into text when the token carries them verbatim (a compact JWS with its own base64url
    // payload, the usual case), else signingInput's bytes kept in storage: verifying needs no copy of the token.
    QByteArrayView signingInputView(int signatureIndex, const QByteArray& detachedPayload, QByteArray& storage) const;
    qsizetype inputOffset(qsizetype textOffset) const;
};

// For display: strips paste noise (a "Bearer " prefix, surrounding quotes, whitespace and line breaks anywhere)
// and says so, reads as much as it can, and records every problem at its place. Never fails.
// Recognises compact JWS/JWT, unsecured JWT, compact JWE and the JWS JSON serializations.
Token decodeUnverified(const QString& input);

// For verifying: the text trimmed of surrounding whitespace and nothing else; any base64url issue, interior
// whitespace, a header that is not a JSON object with "alg", or a "{" payload that is not exactly one JSON object
// is an error (MalformedToken, Base64, Json, HeaderInvalid, PayloadInvalid) naming the segment and offset.
// With TokenDetail::ForVerdict the display-only parts are left out: input and textToInput (inputOffset is then the
// identity), and of the JSON all but what a verdict reads: a protected header's alg, enc, kid, typ, crit and b64, a
// claims set's exp, nbf, iat, aud and iss (the rest is checked as strictly, then dropped: parseJsonKeeping), held only
// where a verdict reads them (payload, signatures[i].protectedHeader; not segments). The bytes, errors and kind are the
// same in both. A compact header equal to the last one read for a verdict on this thread is not decoded and parsed
// again (verify --batch: every line has the same header); the result is the same.
enum class TokenDetail { Full, ForVerdict };
Result<Token> parseStrict(QByteArrayView text, TokenDetail detail = TokenDetail::Full);

} // namespace jwti
