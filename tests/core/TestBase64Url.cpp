#include "core/jose/Base64Url.h"

#include <QRandomGenerator>
#include <QTest>

using namespace jwti;

class TestBase64Url : public QObject
{
    Q_OBJECT

private slots:
    void encodesRfc4648Vectors_data();
    void encodesRfc4648Vectors();
    void roundTripsRandomBytes();
    void reportsIssuesAtTheirOffset_data();
    void reportsIssuesAtTheirOffset();
    void mapsByteRangesToCharacterRangesExactly();
    void fastStrictDecodeAgreesWithTheReportingDecoder();
};

void TestBase64Url::encodesRfc4648Vectors_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("empty") << QByteArray() << QByteArray();
    QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
    QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
    QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
    QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
    QTest::newRow("url alphabet") << QByteArray("\xfb\xff\xbf", 3) << QByteArray("-_-_");
}

void TestBase64Url::encodesRfc4648Vectors()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QByteArray, encoded);
    QCOMPARE(Base64Url::encode(bytes), encoded);
    const auto decoded = Base64Url::decode(encoded);
    QVERIFY(decoded.ok());
    QCOMPARE(decoded.bytes, bytes);
    QVERIFY(Base64Url::isCanonical(encoded));
}

void TestBase64Url::roundTripsRandomBytes()
{
    QRandomGenerator rng(7515);
    for (int length = 0; length < 200; ++length) {
        QByteArray bytes(length, Qt::Uninitialized);
        for (auto& b : bytes)
            b = static_cast<char>(rng.bounded(256));
        const QByteArray encoded = Base64Url::encode(bytes);
        QCOMPARE(encoded, bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        QCOMPARE(Base64Url::decode(encoded).bytes, bytes);
        QByteArray fast;
        QVERIFY(Base64Url::decodeCanonical(encoded, fast));
        QCOMPARE(fast, bytes);
    }
}

void TestBase64Url::reportsIssuesAtTheirOffset_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("offset");
    QTest::newRow("padding") << QByteArray("Zg==") << int(Base64Issue::Kind::Padding) << 2;
    QTest::newRow("plus") << QByteArray("ab+d") << int(Base64Issue::Kind::StandardAlphabet) << 2;
    QTest::newRow("slash") << QByteArray("a/cd") << int(Base64Issue::Kind::StandardAlphabet) << 1;
    QTest::newRow("invalid") << QByteArray("abc$") << int(Base64Issue::Kind::InvalidCharacter) << 3;
    QTest::newRow("impossible length") << QByteArray("abcde") << int(Base64Issue::Kind::ImpossibleLength) << 4;
    QTest::newRow("spare bits, 1 byte") << QByteArray("Zh") << int(Base64Issue::Kind::NonCanonicalBits) << 1;
    QTest::newRow("spare bits, 2 bytes") << QByteArray("Zm9") << int(Base64Issue::Kind::NonCanonicalBits) << 2;
}

void TestBase64Url::reportsIssuesAtTheirOffset()
{
    QFETCH(QByteArray, text);
    QFETCH(int, kind);
    QFETCH(int, offset);
    const auto decoded = Base64Url::decode(text);
    QVERIFY(!decoded.ok());
    QCOMPARE(int(decoded.issues.front().kind), kind);
    QCOMPARE(decoded.issues.front().offset, offset);
    QVERIFY(!decoded.issues.front().message.isEmpty());
    QVERIFY(!Base64Url::isCanonical(text));
    QByteArray fast;
    QVERIFY(!Base64Url::decodeCanonical(text, fast));
}

void TestBase64Url::mapsByteRangesToCharacterRangesExactly()
{
    // Every (begin, end) byte range of a 10-byte value: the characters found must carry all bits of those bytes
    // and no character whose bits all lie outside them.
    const qsizetype bytes = 10;
    const qsizetype chars = Base64Url::encode(QByteArray(bytes, 'x')).size();
    for (qsizetype begin = 0; begin < bytes; ++begin) {
        for (qsizetype end = begin + 1; end <= bytes; ++end) {
            const auto range = Base64Url::encodedRangeForBytes({begin, end}, chars);
            for (qsizetype c = 0; c < chars; ++c) {
                const qsizetype firstBit = c * 6, lastBit = c * 6 + 5;
                const bool overlaps = lastBit >= begin * 8 && firstBit < end * 8;
                QCOMPARE(c >= range.begin && c < range.end, overlaps);
            }
            const auto back = Base64Url::byteRangeForEncoded(range, bytes);
            QVERIFY(back.begin <= begin && back.end >= end);
        }
    }
}

void TestBase64Url::fastStrictDecodeAgreesWithTheReportingDecoder()
{
    // Every text of up to 3 characters over an alphabet with base64url, base64 and padding characters and a stray
    // byte: the one-pass decoder accepts exactly what decode() reads without an issue, with the same bytes.
    const QByteArray alphabet = QByteArrayLiteral("AQgw_-+/=.\x80");
    std::vector<QByteArray> texts{QByteArray()};
    for (int length = 1; length <= 3; ++length) {
        std::vector<QByteArray> longer;
        for (const QByteArray& text : texts) {
            if (text.size() == length - 1) {
                for (const char c : alphabet)
                    longer.push_back(text + c);
            }
        }
        texts.insert(texts.end(), longer.begin(), longer.end());
    }
    // And longer ones, with a bad character in each place of the last group.
    const QByteArray base = Base64Url::encode(QByteArrayLiteral("sixteen bytes!!!"));
    for (qsizetype at = 0; at < base.size(); ++at) {
        for (const char c : {'+', '=', '.', '\0'}) {
            QByteArray text = base;
            text[at] = c;
            texts.push_back(text);
        }
    }
    for (const QByteArray& text : texts) {
        const Base64Decoded reported = Base64Url::decode(text);
        QByteArray fast;
        const bool accepted = Base64Url::decodeCanonical(text, fast);
        QVERIFY2(accepted == reported.ok(), text.toHex().constData());
        if (accepted)
            QCOMPARE(fast, reported.bytes);
    }
}

QTEST_GUILESS_MAIN(TestBase64Url)
#include "TestBase64Url.moc"
