#include "core/jose/PayloadChange.h"

#include "core/jose/Base64Url.h"

namespace jwti {

namespace {

bool isAsciiLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The bytes of the string value of "member" in a JSON text, or the whole text when there is none. A text search:
// it only steers the choice to a visible place, any byte range is correct.
OffsetRange preferredBytes(const QByteArray& decoded, QByteArrayView member)
{
    const QByteArray prefix = '"' + member.toByteArray() + "\":\"";
    if (const qsizetype at = decoded.indexOf(prefix); at >= 0) {
        const qsizetype begin = at + prefix.size();
        const qsizetype end = decoded.indexOf('"', begin);
        if (end > begin)
            return {begin, end};
    }
    return {0, decoded.size()};
}

} // namespace

std::optional<PayloadChange> findPayloadChange(const Token& token, QByteArrayView preferredMember)
{
    const Segment& payload = token.payload;
    const QByteArray& encoded = payload.encoded;
    const QByteArray& decoded = payload.decoded.bytes;
    if (encoded.isEmpty() || decoded.isEmpty() || !payload.decoded.ok())
        return std::nullopt;
    const OffsetRange preferred = preferredBytes(decoded, preferredMember);
    for (const OffsetRange wanted : {preferred, OffsetRange{0, decoded.size()}}) {
        const OffsetRange chars = Base64Url::encodedRangeForBytes(wanted, encoded.size());
        for (qsizetype c = chars.begin; c < chars.end; ++c) {
            for (const char replacement : Base64Url::alphabet()) {
                if (replacement == encoded[c])
                    continue;
                QByteArray changed = encoded;
                changed[c] = replacement;
                const Base64Decoded result = Base64Url::decode(changed);
                if (!result.ok() || result.bytes.size() != decoded.size())
                    continue;
                qsizetype differing = -1;
                int count = 0;
                for (qsizetype i = 0; i < decoded.size(); ++i) {
                    if (decoded[i] != result.bytes[i]) {
                        differing = i;
                        ++count;
                    }
                }
                if (count != 1 || differing < wanted.begin || differing >= wanted.end
                    || !isAsciiLetter(decoded[differing]) || !isAsciiLetter(result.bytes[differing]))
                    continue;
                return PayloadChange{token.inputOffset(payload.range.begin + c), QChar::fromLatin1(encoded[c]),
                                     QChar::fromLatin1(replacement), decoded[differing], result.bytes[differing]};
            }
        }
    }
    return std::nullopt;
}

} // namespace jwti
