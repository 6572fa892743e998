#pragma once

// The teaching tour's "change one character" step: which character of a token's encoded payload to change so the
// payload stays readable JSON and only the signature tells that it was changed.

#include "core/jose/Token.h"

#include <QByteArrayView>
#include <QChar>
#include <optional>

namespace jwti {

struct PayloadChange
{
    qsizetype inputOffset = 0; // in the token as the user gave it (Token::input, the editor's text)
    QChar from; // the encoded character there
    QChar to; // what it becomes
    char byteFrom = 0; // the one decoded payload byte that changes, a letter
    char byteTo = 0; // what it becomes, a letter too
};

// One character of the encoded payload whose change alters exactly one decoded byte, a letter into another letter.
// Preferably inside the value of the member preferredMember (the samples' "name", "Jane Doe"), so the change is easy
// to see. Base64url maps 3 bytes to 4 characters: the first character of a group carries only the first byte's top
// bits, the last only the third byte's low bits, so such a character exists in any payload with letters. Nothing
// when the payload has no letter to change, or does not decode cleanly.
std::optional<PayloadChange> findPayloadChange(const Token& token, QByteArrayView preferredMember = "name");

} // namespace jwti
