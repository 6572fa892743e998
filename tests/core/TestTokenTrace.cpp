#include "core/jose/Base64Url.h"
#include "core/jose/Json.h"
#include "core/jose/Token.h"
#include "core/jose/TokenTrace.h"

#include <QRandomGenerator>
#include <QTest>

using namespace jwti;

namespace {

// Random JSON text: nested objects and arrays, strings with escapes and raw UTF-8 (1 to 4 bytes a character),
// numbers as written (fractions, exponents, 30 digits), literals, and whitespace in the places JSON allows it.
class RandomJson
{
public:
    explicit RandomJson(quint32 seed)
        : m_random(seed)
    {
    }

    QByteArray object(int depth, const QByteArray& firstMember = {})
    {
        QByteArray text = "{" + space();
        const int count = int(m_random.bounded(depth == 0 ? 1 : 0, 6));
        bool first = true;
        if (!firstMember.isEmpty()) {
            text += firstMember;
            first = false;
        }
        for (int i = 0; i < count; ++i) {
            if (!first)
                text += space() + "," + space();
            first = false;
            text += string() + space() + ":" + space() + value(depth + 1);
        }
        return text + space() + "}";
    }

private:
    QByteArray space()
    {
        static const char* const kSpaces[] = {"", "", "", " ", "\n  ", "\t", "\r\n"};
        return QByteArray(kSpaces[m_random.bounded(7)]);
    }

    QByteArray string()
    {
        static const char* const kPieces[]
            = {"a", "sub",  "x y", "\\n",  "\\\"", "\\\\", "\\/",     "\\u00e9", "\\ud83d\\ude00",
               "é", "日本", "😀",   "city", ".",    "[0]",  "\\u0000", "1"};
        QByteArray text = "\"";
        const int count = int(m_random.bounded(0, 5));
        for (int i = 0; i < count; ++i)
            text += kPieces[m_random.bounded(int(std::size(kPieces)))];
        return text + "\"";
    }

    QByteArray number()
    {
        static const char* const kNumbers[] = {"0",
                                               "-1",
                                               "1516239022",
                                               "3.25",
                                               "-0.5e-3",
                                               "1e3",
                                               "2E+10",
                                               "123456789012345678901234567890",
                                               "9007199254740993"};
        return kNumbers[m_random.bounded(int(std::size(kNumbers)))];
    }

    QByteArray value(int depth)
    {
        const int kind = int(m_random.bounded(depth > 4 ? 5 : 7));
        switch (kind) {
        case 0:
        case 1:
            return string();
        case 2:
            return number();
        case 3:
            return QByteArray(m_random.bounded(2) ? "true" : "false");
        case 4:
            return QByteArray("null");
        case 5: {
            QByteArray text = "[" + space();
            const int count = int(m_random.bounded(0, 4));
            for (int i = 0; i < count; ++i) {
                if (i > 0)
                    text += space() + "," + space();
                text += value(depth + 1);
            }
            return text + space() + "]";
        }
        default:
            return object(depth);
        }
    }

    QRandomGenerator m_random;
};

// What the traces must say, computed here from the JSON tree alone.
struct ExpectedMember
{
    QString path;
    JsonSpan bytes;
    int depth = 0;
};

void collect(const JsonValue& value, const QString& path, int depth, std::vector<ExpectedMember>& out)
{
    if (value.isObject()) {
        for (const JsonMember& member : value.members) {
            const QString child = jsonPathAppend(path, member.name); // the form TestJson pins down
            out.push_back({child, member.span(), depth + 1});
            collect(member.value, child, depth + 1, out);
        }
    } else if (value.isArray()) {
        for (size_t i = 0; i < value.items.size(); ++i) {
            const QString child = path + QStringLiteral("[%1]").arg(i);
            out.push_back({child, value.items[i].span, depth + 1});
            collect(value.items[i], child, depth + 1, out);
        }
    }
}

bool covers(JsonSpan outer, OffsetRange inner)
{
    return outer.begin <= inner.begin && inner.end <= outer.end;
}

// The deepest expected member covering bytes, by brute force over all of them.
QString deepestPath(const std::vector<ExpectedMember>& members, const JsonValue& root, const QString& prefix,
                    OffsetRange bytes)
{
    if (bytes.size() <= 0 || !covers(root.span, bytes))
        return QString();
    QString best = prefix;
    int bestDepth = 0;
    for (const auto& member : members) {
        if (member.depth > bestDepth && covers(member.bytes, bytes)) {
            best = member.path;
            bestDepth = member.depth;
        }
    }
    return best;
}

Token makeToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature)
{
    const QByteArray text
        = Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.' + Base64Url::encode(signature);
    return decodeUnverified(QString::fromLatin1(text));
}

// The checks every trace of bytes [bytes) of a segment must pass, whatever the bytes are.
void checkTraceOfBytes(const Token& token, int segmentIndex, const MemberTrace& trace)
{
    const Segment& segment = token.segments[size_t(segmentIndex)];
    const qsizetype base = segment.range.begin;
    const qsizetype decodedLength = segment.decoded.bytes.size();
    const OffsetRange bytes = trace.bytes;
    const OffsetRange chars{trace.chars.begin - base, trace.chars.end - base};
    const OffsetRange groups{trace.fullGroupChars.begin - base, trace.fullGroupChars.end - base};

    // The characters hold every bit of the bytes (character c holds bits [6c, 6c + 6), byte b bits [8b, 8b + 8)),
    // and the first and last characters each hold at least one of them.
    QVERIFY(covers(Base64Url::byteRangeForEncoded(chars, decodedLength), bytes));
    if (bytes.size() > 0) {
        QVERIFY(6 * chars.begin <= 8 * bytes.begin && 8 * bytes.begin < 6 * (chars.begin + 1));
        QVERIFY(6 * (chars.end - 1) < 8 * bytes.end && 8 * bytes.end <= 6 * chars.end);
    }

    // Whole groups, aligned to the segment: decoding exactly those characters gives the member's bytes.
    QCOMPARE(groups.begin % 4, 0);
    QVERIFY(groups.end % 4 == 0 || groups.end == segment.encoded.size());
    QVERIFY(groups.begin <= chars.begin && chars.end <= groups.end);
    const Base64Decoded decoded
        = Base64Url::decode(QByteArrayView(token.text).sliced(trace.fullGroupChars.begin, trace.fullGroupChars.size()));
    QVERIFY(decoded.ok());
    const qsizetype groupFirstByte = groups.begin / 4 * 3;
    QCOMPARE(decoded.bytes.mid(bytes.begin - groupFirstByte, bytes.size()),
             segment.decoded.bytes.mid(bytes.begin, bytes.size()));

    // A flagged edge is a character that also carries a bit of a byte outside the member.
    if (bytes.size() > 0) {
        const OffsetRange first = Base64Url::byteRangeForEncoded({chars.begin, chars.begin + 1}, decodedLength);
        const OffsetRange last = Base64Url::byteRangeForEncoded({chars.end - 1, chars.end}, decodedLength);
        QCOMPARE(trace.startsMidGroup, first.begin < bytes.begin);
        QCOMPARE(trace.endsMidGroup, last.end > bytes.end);
        QCOMPARE(trace.startsMidGroup, chars.begin % 4 != 0);
    }
}

} // namespace

class TestTokenTrace : public QObject
{
    Q_OBJECT

private slots:
    void tracesEveryMemberOfRandomJsonToItsCharacters()
    {
        RandomJson random(20261123);
        QRandomGenerator bytes(7);
        for (int round = 0; round < 500; ++round) {
            const QByteArray header = random.object(1, "\"alg\":\"HS256\"");
            const QByteArray payload = random.object(0);
            QByteArray signature(int(bytes.bounded(0, 70)), '\0');
            for (auto& byte : signature)
                byte = char(bytes.bounded(256));
            const Token token = makeToken(header, payload, signature);
            QVERIFY2(token.segments.size() == 3 && token.segments[1].json && token.segments[1].json->ok(),
                     payload.constData());
            QVERIFY2(token.segments[0].json && token.segments[0].json->ok(), header.constData());

            std::vector<ExpectedMember> expected;
            collect(*token.segments[0].json->root, QStringLiteral("header"), 0, expected);
            const size_t headerCount = expected.size();
            collect(*token.segments[1].json->root, QStringLiteral("payload"), 0, expected);

            const std::vector<MemberTrace> traces = traceMembers(token);
            QCOMPARE(traces.size(), expected.size());
            for (size_t i = 0; i < traces.size(); ++i) {
                const MemberTrace& trace = traces[i];
                QCOMPARE(trace.path, expected[i].path);
                QCOMPARE(trace.bytes, expected[i].bytes);
                QCOMPARE(trace.depth, expected[i].depth);
                QCOMPARE(trace.segment, i < headerCount ? 0 : 1);
                checkTraceOfBytes(token, trace.segment, trace);
                if (QTest::currentTestFailed())
                    QFAIL(qPrintable(
                        QStringLiteral("round %1, %2 in %3").arg(round).arg(trace.path, QString::fromUtf8(payload))));
            }

            std::vector<ExpectedMember> headerMembers(expected.begin(), expected.begin() + qsizetype(headerCount));
            std::vector<ExpectedMember> payloadMembers(expected.begin() + qsizetype(headerCount), expected.end());
            for (qsizetype offset = 0; offset < token.text.size(); ++offset) {
                const auto trace = traceCharacter(token, offset);
                int segmentIndex = -1;
                for (size_t s = 0; s < token.segments.size(); ++s) {
                    if (offset >= token.segments[s].range.begin && offset < token.segments[s].range.end)
                        segmentIndex = int(s);
                }
                if (segmentIndex < 0) {
                    QVERIFY(!trace);
                    QCOMPARE(token.text[offset], '.');
                    continue;
                }
                QVERIFY(trace);
                const Segment& segment = token.segments[size_t(segmentIndex)];
                QCOMPARE(trace->segment, segmentIndex);
                QCOMPARE(trace->charOffset, offset - segment.range.begin);
                QCOMPARE(trace->bytes,
                         Base64Url::byteRangeForEncoded({trace->charOffset, trace->charOffset + 1},
                                                        segment.decoded.bytes.size()));
                QCOMPARE(qsizetype(trace->owners.size()), trace->bytes.size());
                if (segmentIndex == 2) {
                    QVERIFY(trace->path.isEmpty());
                    continue;
                }
                const auto& members = segmentIndex == 0 ? headerMembers : payloadMembers;
                const QString prefix = segmentIndex == 0 ? QStringLiteral("header") : QStringLiteral("payload");
                const JsonValue& root = *segment.json->root;
                QCOMPARE(trace->path, deepestPath(members, root, prefix, trace->bytes));
                for (const ByteOwner& owner : trace->owners)
                    QCOMPARE(owner.path, deepestPath(members, root, prefix, {owner.byte, owner.byte + 1}));
            }
        }
    }

    void flagsPartialGroupsForEveryOffsetAndLength()
    {
        RandomJson random(99);
        for (int round = 0; round < 12; ++round) {
            QByteArray payload = random.object(0);
            while (payload.size() > 150) // every range of a segment is O(n²) traces: keep n small
                payload = random.object(0);
            const Token token = makeToken("{\"alg\":\"none\"}", payload, QByteArray("sig"));
            for (int segmentIndex = 0; segmentIndex < 3; ++segmentIndex) {
                const qsizetype length = token.segments[size_t(segmentIndex)].decoded.bytes.size();
                for (qsizetype begin = 0; begin <= length; ++begin) {
                    for (qsizetype end = begin; end <= length; ++end) {
                        const auto trace = traceBytes(token, segmentIndex, {begin, end});
                        QVERIFY(trace);
                        QCOMPARE(trace->bytes, (OffsetRange{begin, end}));
                        if (begin == end) {
                            QCOMPARE(trace->chars.size(), 0);
                            QVERIFY(!trace->startsMidGroup && !trace->endsMidGroup);
                            continue;
                        }
                        checkTraceOfBytes(token, segmentIndex, *trace);
                        if (QTest::currentTestFailed())
                            QFAIL(qPrintable(
                                QStringLiteral("segment %1 bytes [%2, %3)").arg(segmentIndex).arg(begin).arg(end)));
                    }
                }
            }
        }
    }

    void tracesAKnownToken()
    {
        const QByteArray payload = R"({"sub":"1234","address":{"city":"Köln"},"roles":["a"]})";
        const Token token = makeToken(R"({"alg":"HS256"})", payload, QByteArray(32, 'x'));
        const auto traces = traceMembers(token);
        QCOMPARE(traces.size(), size_t(6));
        QCOMPARE(traces[0].path, QStringLiteral("header.alg"));
        QCOMPARE(traces[0].bytes, (JsonSpan{1, 14}));
        QCOMPARE(traces[0].valueBytes, (JsonSpan{7, 14}));
        // Bytes 1..14 of the header are characters 1..19 (8/6 rounded down, 112/6 rounded up) of
        // "eyJhbGciOiJIUzI1NiJ9"; both ends share a character with a neighbouring byte.
        QCOMPARE(traces[0].chars, (OffsetRange{1, 19}));
        QCOMPARE(traces[0].fullGroupChars, (OffsetRange{0, 20}));
        QVERIFY(traces[0].startsMidGroup);
        QVERIFY(traces[0].endsMidGroup);
        QCOMPARE(traces[1].path, QStringLiteral("payload.sub"));
        QCOMPARE(traces[1].chars.begin, token.segments[1].range.begin + 1);
        QCOMPARE(traces[2].path, QStringLiteral("payload.address"));
        QCOMPARE(traces[3].path, QStringLiteral("payload.address.city"));
        QCOMPARE(traces[3].name, QStringLiteral("city"));
        QCOMPARE(traces[3].depth, 2);
        QCOMPARE(traces[4].path, QStringLiteral("payload.roles"));
        QCOMPARE(traces[5].path, QStringLiteral("payload.roles[0]"));
        QCOMPARE(traces[5].depth, 2);
        QVERIFY(traces[5].name.isEmpty());
        // The last member ends one byte before the end of the payload ('}'), so its last character is shared.
        QCOMPARE(traces[4].endsMidGroup, (payload.size() - 1) % 3 != 0);

        // The first character of the payload carries only '{' bits: the payload root.
        const qsizetype payloadBegin = token.segments[1].range.begin;
        auto first = traceCharacter(token, payloadBegin);
        QVERIFY(first);
        QCOMPARE(first->bytes, (OffsetRange{0, 1}));
        QCOMPARE(first->path, QStringLiteral("payload"));
        // The separators belong to no segment.
        QVERIFY(!traceCharacter(token, payloadBegin - 1));
        QVERIFY(!traceCharacter(token, -1));
        QVERIFY(!traceCharacter(token, token.text.size()));
        // A character inside "Köln" belongs to the city.
        const qsizetype city = payload.indexOf("K");
        const qsizetype character = payloadBegin + Base64Url::encodedRangeForBytes({city, city + 1}, 1000).begin + 1;
        auto inCity = traceCharacter(token, character);
        QVERIFY(inCity);
        QCOMPARE(inCity->path, QStringLiteral("payload.address.city"));
    }

    void refusesSegmentsThatAreNotVerbatim()
    {
        // JSON serialization with an escaped character in the protected string: not a slice of the text.
        const Token token = decodeUnverified(
            QStringLiteral(R"({"payload":"eyJzdWIiOiIxIn0","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"c2ln"})"));
        QVERIFY(!token.segments.empty());
        const auto traces = traceMembers(token);
        for (const auto& trace : traces) {
            const QByteArray text = token.text.mid(trace.fullGroupChars.begin, trace.fullGroupChars.size());
            QVERIFY(Base64Url::decode(text).ok());
        }
        const Token escaped = decodeUnverified(QStringLiteral(
            R"({"payload":"eyJzdWIiOiIxIn0","protected":"eyJhbGciOiJIUzI1NiJ\u0039","signature":"c2ln"})"));
        for (size_t i = 0; i < escaped.segments.size(); ++i) {
            if (escaped.segments[i].role == SegmentRole::Header) {
                QVERIFY(!traceBytes(escaped, int(i), {0, 3}));
                QVERIFY(!traceCharacter(escaped, escaped.segments[i].range.begin));
            }
        }
        QVERIFY(!traceBytes(escaped, 99, {0, 1}));
    }

    void inspectsKnownGroups_data()
    {
        QTest::addColumn<QByteArray>("encoded");
        QTest::addColumn<int>("begin");
        QTest::addColumn<int>("end");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("sextets");
        QTest::addColumn<int>("spareBits");
        QTest::addColumn<bool>("spareBitsZero");
        QTest::newRow("Zm9v") << QByteArray("Zm9v") << 0 << 4 << QByteArray("foo") << "25 38 61 47" << 0 << true;
        QTest::newRow("Zg: 4 spare bits, zero")
            << QByteArray("Zg") << 0 << 2 << QByteArray("f") << "25 32" << 4 << true;
        QTest::newRow("Zh: 4 spare bits, 0001")
            << QByteArray("Zh") << 1 << 2 << QByteArray("f") << "25 33" << 4 << false;
        QTest::newRow("Zm8: 2 spare bits, zero")
            << QByteArray("Zm8") << 0 << 3 << QByteArray("fo") << "25 38 60" << 2 << true;
        QTest::newRow("Zm9: 2 spare bits, 01")
            << QByteArray("Zm9") << 2 << 3 << QByteArray("fo") << "25 38 61" << 2 << false;
        QTest::newRow("selection mid group")
            << QByteArray("Zm9vYmFy") << 5 << 6 << QByteArray("bar") << "24 38 5 50" << 0 << true;
        QTest::newRow("url alphabet") << QByteArray("-_-_") << 0 << 4 << QByteArray("\xfb\xff\xbf") << "62 63 62 63"
                                      << 0 << true;
        QTest::newRow("standard alphabet read as twins")
            << QByteArray("+/+/") << 0 << 1 << QByteArray("\xfb\xff\xbf") << "62 63 62 63" << 0 << true;
        QTest::newRow("padding stops the reading")
            << QByteArray("Zg==") << 0 << 4 << QByteArray("f") << "25 32 -1 -1" << 4 << true;
    }

    void inspectsKnownGroups()
    {
        QFETCH(QByteArray, encoded);
        QFETCH(int, begin);
        QFETCH(int, end);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, sextets);
        QFETCH(int, spareBits);
        QFETCH(bool, spareBitsZero);
        const auto groups = inspectBase64(encoded, {begin, end});
        QCOMPARE(groups.size(), size_t(1));
        const Base64Group& group = groups.front();
        QCOMPARE(group.byteValues, bytes);
        QStringList numbers;
        for (int sextet : group.sextets)
            numbers << QString::number(sextet);
        QCOMPARE(numbers.join(QLatin1Char(' ')), sextets);
        QCOMPARE(group.spareBits, spareBits);
        QCOMPARE(group.spareBitsZero, spareBitsZero);
        QCOMPARE(group.chars.begin % 4, 0);
        QCOMPARE(group.bytes.size(), bytes.size());
        QCOMPARE(group.hex, QString::fromLatin1(bytes.toHex(' ')));
        for (const auto& detail : group.details)
            QCOMPARE(detail.selected, detail.offset >= begin && detail.offset < end);
        const QString explanation = explainSpareBits(group);
        QCOMPARE(explanation.isEmpty(), spareBits == 0);
        if (spareBits != 0)
            QVERIFY(explanation.contains(QStringLiteral("RFC 4648 §3.5")));
        QCOMPARE(group.problem.isEmpty(), !encoded.contains('='));
    }

    void explainsNonCanonicalSpareBits()
    {
        const auto groups = inspectBase64("Zh", {0, 2});
        QCOMPARE(groups.front().spareBitsValue, 1);
        const QString text = explainSpareBits(groups.front());
        QVERIFY2(text.contains(QStringLiteral("0001")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("'g'")), qPrintable(text)); // the canonical spelling of the same byte
        QVERIFY2(text.contains(QStringLiteral("not canonical")), qPrintable(text));
        const auto details = groups.front().details;
        QCOMPARE(details[1].spareBits, 4);
        QCOMPARE(details[1].bits, QStringLiteral("100001"));
        QCOMPARE(details[1].bytes, (OffsetRange{0, 1}));
        QCOMPARE(details[0].spareBits, 0);
    }

    void mapsEachCharacterToTheBytesItsBitsReach()
    {
        const auto groups = inspectBase64("Zm9vYmFy", {0, 8});
        QCOMPARE(groups.size(), size_t(2));
        const OffsetRange expected[] = {{3, 4}, {3, 5}, {4, 6}, {5, 6}};
        for (int i = 0; i < 4; ++i)
            QCOMPARE(groups[1].details[size_t(i)].bytes, expected[i]);
        QCOMPARE(groups[1].bytes, (OffsetRange{3, 6}));
        QCOMPARE(groups[0].details[0].lookup, QStringLiteral("'Z' → index 25 → 011001"));
    }

    void reportsALoneCharacterAndEmptySelections()
    {
        const auto lone = inspectBase64("Zm9vY", {4, 5});
        QCOMPARE(lone.size(), size_t(1));
        QVERIFY(lone.front().byteValues.isEmpty());
        QVERIFY(!lone.front().problem.isEmpty());
        QVERIFY(inspectBase64("Zm9v", {2, 2}).empty());
        QVERIFY(inspectBase64("Zm9v", {7, 9}).empty());
        QCOMPARE(inspectBase64("Zm9v", {-3, 100}).size(), size_t(1));
    }

    void reassemblesRandomBytesFromTheirGroups()
    {
        QRandomGenerator random(4648);
        for (int round = 0; round < 300; ++round) {
            QByteArray bytes(int(random.bounded(0, 40)), '\0');
            for (auto& byte : bytes)
                byte = char(random.bounded(256));
            const QByteArray encoded = Base64Url::encode(bytes);
            QByteArray joined;
            for (const auto& group : inspectBase64(encoded, {0, encoded.size()})) {
                QCOMPARE(group.bytes.begin, joined.size());
                QVERIFY(group.spareBitsZero);
                QVERIFY(group.problem.isEmpty());
                joined += group.byteValues;
            }
            QCOMPARE(joined, bytes);
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenTrace)
#include "TestTokenTrace.moc"
