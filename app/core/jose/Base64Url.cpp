#include "core/jose/Base64Url.h"

#include <QCoreApplication>
#include <algorithm>
#include <array>

namespace jwti::Base64Url {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::array<signed char, 256> makeDecodeTable()
{
    std::array<signed char, 256> table{};
    for (auto& entry : table)
        entry = -1;
    for (int i = 0; i < 64; ++i)
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<signed char>(i);
    return table;
}
constexpr auto kDecodeTable = makeDecodeTable();

// The decode table once per place in a group of four, each value already shifted to its bits of the 24; a character
// outside the alphabet sets bit 24, which no valid group has. A group is then four loads and three ORs.
constexpr quint32 kNotInAlphabet = 1u << 24;
constexpr std::array<std::array<quint32, 256>, 4> makeShiftedDecodeTables()
{
    std::array<std::array<quint32, 256>, 4> tables{};
    for (int place = 0; place < 4; ++place) {
        for (int c = 0; c < 256; ++c) {
            const int value = kDecodeTable[static_cast<size_t>(c)];
            tables[static_cast<size_t>(place)][static_cast<size_t>(c)]
                = value < 0 ? kNotInAlphabet : quint32(value) << (18 - 6 * place);
        }
    }
    return tables;
}
constexpr auto kShiftedDecodeTables = makeShiftedDecodeTables();

// Q_DECLARE_TR_FUNCTIONS gives lupdate and translate() the same context, "Base64Url", for every string here.
struct Base64UrlText
{
    Q_DECLARE_TR_FUNCTIONS(Base64Url)
};

QString describeCharacter(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QLatin1Char(c));
    return QStringLiteral("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

} // namespace

QByteArrayView alphabet()
{
    return QByteArrayView(kAlphabet, 64);
}

QByteArray encode(QByteArrayView bytes)
{
    QByteArray out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
    qsizetype i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned int group = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
        out.append(kAlphabet[(group >> 18) & 63]);
        out.append(kAlphabet[(group >> 12) & 63]);
        out.append(kAlphabet[(group >> 6) & 63]);
        out.append(kAlphabet[group & 63]);
    }
    const qsizetype rest = bytes.size() - i;
    if (rest == 1) {
        const unsigned int group = data[i] << 16;
        out.append(kAlphabet[(group >> 18) & 63]);
        out.append(kAlphabet[(group >> 12) & 63]);
    } else if (rest == 2) {
        const unsigned int group = (data[i] << 16) | (data[i + 1] << 8);
        out.append(kAlphabet[(group >> 18) & 63]);
        out.append(kAlphabet[(group >> 12) & 63]);
        out.append(kAlphabet[(group >> 6) & 63]);
    }
    return out;
}

Base64Decoded decode(QByteArrayView text)
{
    Base64Decoded result;
    QByteArray sextets;
    sextets.reserve(text.size());
    qsizetype lastOffset = -1;

    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const signed char value = kDecodeTable[static_cast<unsigned char>(c)];
        if (value >= 0) {
            sextets.append(static_cast<char>(value));
            lastOffset = i;
            continue;
        }
        if (c == '+' || c == '/') {
            // Decode as the base64url twin so the user still sees the content.
            sextets.append(static_cast<char>(c == '+' ? 62 : 63));
            lastOffset = i;
            const bool continuesRun = !result.issues.empty()
                && result.issues.back().kind == Base64Issue::Kind::StandardAlphabet
                && result.issues.back().offset + result.issues.back().length == i;
            if (!continuesRun)
                result.issues.push_back(
                    {Base64Issue::Kind::StandardAlphabet, i, 1,
                     Base64UrlText::tr("'%1' belongs to standard base64; base64url uses '%2'")
                         .arg(QString(QLatin1Char(c)), QString(QLatin1Char(c == '+' ? '-' : '_')))});
            continue;
        }
        if (c == '=') {
            qsizetype end = i;
            while (end < text.size() && text[end] == '=')
                ++end;
            result.issues.push_back({Base64Issue::Kind::Padding, i, end - i,
                                     Base64UrlText::tr("'=' padding is not allowed in base64url (RFC 7515 §2)")});
            if (end < text.size())
                result.issues.push_back({Base64Issue::Kind::InvalidCharacter, end, 1,
                                         Base64UrlText::tr("%1 after padding").arg(describeCharacter(text[end]))});
            break;
        }
        result.issues.push_back({Base64Issue::Kind::InvalidCharacter, i, 1,
                                 Base64UrlText::tr("%1 is not a base64url character").arg(describeCharacter(c))});
        break;
    }

    if (sextets.size() % 4 == 1) {
        result.issues.push_back(
            {Base64Issue::Kind::ImpossibleLength, lastOffset, 1,
             Base64UrlText::tr("%1 characters cannot encode whole bytes (a length of 4n+1 is impossible)")
                 .arg(sextets.size())});
        sextets.chop(1);
    }

    const auto* s = reinterpret_cast<const unsigned char*>(sextets.constData());
    const qsizetype n = sextets.size();
    result.bytes.reserve(n * 3 / 4);
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const unsigned int group = (s[i] << 18) | (s[i + 1] << 12) | (s[i + 2] << 6) | s[i + 3];
        result.bytes.append(static_cast<char>((group >> 16) & 0xff));
        result.bytes.append(static_cast<char>((group >> 8) & 0xff));
        result.bytes.append(static_cast<char>(group & 0xff));
    }
    const qsizetype rest = n - i;
    bool spareBitsSet = false;
    if (rest == 2) {
        result.bytes.append(static_cast<char>((s[i] << 2) | (s[i + 1] >> 4)));
        spareBitsSet = (s[i + 1] & 0x0f) != 0;
    } else if (rest == 3) {
        result.bytes.append(static_cast<char>((s[i] << 2) | (s[i + 1] >> 4)));
        result.bytes.append(static_cast<char>(((s[i + 1] & 0x0f) << 4) | (s[i + 2] >> 2)));
        spareBitsSet = (s[i + 2] & 0x03) != 0;
    }
    if (spareBitsSet)
        result.issues.push_back(
            {Base64Issue::Kind::NonCanonicalBits, lastOffset, 1,
             Base64UrlText::tr("the last character carries non-zero spare bits: the encoding is not canonical, "
                               "so the same bytes have another spelling")});

    std::sort(result.issues.begin(), result.issues.end(),
              [](const Base64Issue& a, const Base64Issue& b) { return a.offset < b.offset; });
    return result;
}

bool isCanonical(QByteArrayView text)
{
    if (text.size() % 4 == 1)
        return false;
    for (const char c : text) {
        if (kDecodeTable[static_cast<unsigned char>(c)] < 0)
            return false;
    }
    if (text.isEmpty())
        return true;
    const int last = kDecodeTable[static_cast<unsigned char>(text.back())];
    switch (text.size() % 4) {
    case 2:
        return (last & 0x0f) == 0;
    case 3:
        return (last & 0x03) == 0;
    default:
        return true;
    }
}

bool decodeCanonical(QByteArrayView text, QByteArray& out)
{
    const qsizetype n = text.size();
    if (n % 4 == 1)
        return false;
    out.resize(n / 4 * 3 + (n % 4 == 0 ? 0 : n % 4 - 1));
    const auto* in = reinterpret_cast<const unsigned char*>(text.data());
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    // Any character outside the alphabet sets kNotInAlphabet in the OR: one test a group.
    const auto& [first, second, third, fourth] = kShiftedDecodeTables;
    qsizetype i = 0;
    for (; i + 4 <= n; i += 4) {
        const quint32 group = first[in[i]] | second[in[i + 1]] | third[in[i + 2]] | fourth[in[i + 3]];
        if (group & kNotInAlphabet)
            return false;
        *bytes++ = static_cast<unsigned char>(group >> 16);
        *bytes++ = static_cast<unsigned char>(group >> 8);
        *bytes++ = static_cast<unsigned char>(group);
    }
    const qsizetype rest = n - i;
    if (rest == 2) {
        const int a = kDecodeTable[in[i]], b = kDecodeTable[in[i + 1]];
        // The spare bits of the last character must be zero, else the same bytes would have two spellings.
        if ((a | b) < 0 || (b & 0x0f) != 0)
            return false;
        *bytes = static_cast<unsigned char>((a << 2) | (b >> 4));
    } else if (rest == 3) {
        const int a = kDecodeTable[in[i]], b = kDecodeTable[in[i + 1]], c = kDecodeTable[in[i + 2]];
        if ((a | b | c) < 0 || (c & 0x03) != 0)
            return false;
        *bytes++ = static_cast<unsigned char>((a << 2) | (b >> 4));
        *bytes = static_cast<unsigned char>(((b & 0x0f) << 4) | (c >> 2));
    }
    return true;
}

OffsetRange encodedRangeForBytes(OffsetRange bytes, qsizetype encodedLength)
{
    const qsizetype begin = std::min((bytes.begin * 8) / 6, encodedLength);
    if (bytes.end <= bytes.begin)
        return {begin, begin};
    const qsizetype end = std::min((bytes.end * 8 + 5) / 6, encodedLength);
    return {begin, std::max(begin, end)};
}

OffsetRange byteRangeForEncoded(OffsetRange chars, qsizetype decodedLength)
{
    const qsizetype begin = std::min((chars.begin * 6) / 8, decodedLength);
    if (chars.end <= chars.begin)
        return {begin, begin};
    const qsizetype end = std::min((chars.end * 6 + 7) / 8, decodedLength);
    return {begin, std::max(begin, end)};
}

} // namespace jwti::Base64Url
