#include "core/jose/Token.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace jwti;

namespace {

// jwt.io's sample token.
const QByteArray kJwtIoHeader = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
const QByteArray kJwtIoPayload = "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ";
const QByteArray kJwtIoSignature = "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
const QByteArray kJwtIo = kJwtIoHeader + '.' + kJwtIoPayload + '.' + kJwtIoSignature;

// RFC 7519 §3.1 (the same token as RFC 7515 App. A.1): header and payload contain CRLF line breaks.
const QByteArray kRfc7519Header = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
const QByteArray kRfc7519Payload
    = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
const QByteArray kRfc7519 = kRfc7519Header + '.' + kRfc7519Payload + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

// RFC 7516 App. A.3.7: A128KW + A128CBC-HS256, compact serialization.
const QByteArray kRfc7516A3 = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0."
                              "6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ."
                              "AxY8DCtDaGlsbGljb3RoZQ."
                              "KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY."
                              "U0m_YmjN04DJvceFICbCVQ";

QByteArray b64(const QByteArray& bytes)
{
    return Base64Url::encode(bytes);
}

QStringList memberNames(const JsonValue* object)
{
    QStringList names;
    if (object) {
        for (const JsonMember& member : object->members)
            names << member.name;
    }
    return names;
}

const TokenError* findError(const Token& token, ErrorCode code)
{
    for (const TokenError& error : token.errors) {
        if (error.code == code)
            return &error;
    }
    return nullptr;
}

QString describeErrors(const Token& token)
{
    QStringList lines;
    for (const TokenError& error : token.errors)
        lines << QStringLiteral("%1 [%2,%3) %4")
                     .arg(errorCodeName(error.code))
                     .arg(error.range.begin)
                     .arg(error.range.end)
                     .arg(error.message);
    return lines.join(QLatin1String("; "));
}

QJsonObject readVectorFile(const QString& relativePath)
{
    QString dir = qEnvironmentVariable("JWTI_VECTORS_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/data/vectors");
    QFile file(QDir(dir).filePath(relativePath));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QJsonObject rfc7515Case(const QString& id)
{
    const QJsonObject file = readVectorFile(QStringLiteral("rfc/rfc7515-appendix-a.authored.json"));
    for (const auto& test : file.value(QLatin1String("tests")).toArray()) {
        if (test.toObject().value(QLatin1String("id")).toString() == id)
            return test.toObject();
    }
    return {};
}

QByteArray compactJson(const QJsonValue& value)
{
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

} // namespace

class TestToken : public QObject
{
    Q_OBJECT

private slots:
    void decodesRfc7519ExampleInKeyOrder();
    void decodesJwtIoSampleInKeyOrder();
    void mapsSegmentsToTextRanges();
    void stripsAndReportsPasteNoise_data();
    void stripsAndReportsPasteNoise();
    void countsLineBreaksAndSpaces();
    void placesNonAsciiCharactersInTheText();
    void reportsBase64IssuesAtTextOffsets_data();
    void reportsBase64IssuesAtTextOffsets();
    void reportsEmptySegments();
    void acceptsAnEmptyPayloadAsDetachedContent();
    void reportsWrongNumberOfDotsAtTheDot_data();
    void reportsWrongNumberOfDotsAtTheDot();
    void recognisesCompactJwe();
    void recognisesJweJsonSerializations();
    void recognisesUnsecuredTokensByExactAlgNone();
    void reportsHeaderProblemsWithTheirPlace();
    void readsPayloadsAsJsonOnlyWhenTheyStartWithABrace();
    void decodesJwsJsonGeneralSerialization();
    void decodesJwsJsonFlattenedSerialization();
    void reportsJsonSerializationProblems();
    void decodesDetachedContentFromTheCookbook();
    void readsUnencodedPayloadsWithB64False();
    void requiresB64InCrit();
    void parseStrictRejectsWhatDecodeStillShows_data();
    void parseStrictRejectsWhatDecodeStillShows();
    void parseStrictNamesSegmentAndCharacter();
    void parseStrictAcceptsSurroundingWhitespaceOnly();
    void parseStrictFindsWhitespaceAtEveryOffset();
    void signingInputViewIsTheSigningInput();
    void decodesAOneMebibyteToken();
    void namesSegmentRoles();
};

void TestToken::decodesRfc7519ExampleInKeyOrder()
{
    const Token token = decodeUnverified(QString::fromLatin1(kRfc7519));
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QVERIFY(token.noise.empty());
    QCOMPARE(memberNames(token.header()), QStringList({"typ", "alg"}));
    QCOMPARE(token.alg(), QStringLiteral("HS256"));
    QCOMPARE(memberNames(token.claims()), QStringList({"iss", "exp", "http://example.com/is_root"}));
    QCOMPARE(token.claims()->member(u"exp")->raw, QByteArray("1300819380"));
    QCOMPARE(token.claims()->member(u"exp")->toInteger(), std::optional<qint64>(1300819380));
    // The signing input is the received text, CRLFs and all, never re-serialized JSON.
    QCOMPARE(token.signingInput(), kRfc7519Header + '.' + kRfc7519Payload);
    QCOMPARE(token.signatures.size(), size_t(1));
    QCOMPARE(token.payload.decoded.bytes,
             QByteArray("{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"));
    QVERIFY(!token.isMalformed());
}

void TestToken::decodesJwtIoSampleInKeyOrder()
{
    const Token token = decodeUnverified(QString::fromLatin1(kJwtIo));
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(memberNames(token.header()), QStringList({"alg", "typ"}));
    QCOMPARE(memberNames(token.claims()), QStringList({"sub", "name", "iat"}));
    QCOMPARE(token.claims()->member(u"name")->string, QStringLiteral("John Doe"));
    QCOMPARE(token.claims()->member(u"iat")->toInteger(), std::optional<qint64>(1516239022));
    QCOMPARE(token.kid(), QString());
    QCOMPARE(token.text, kJwtIo);
    QCOMPARE(token.signatures.at(0).signature.decoded.bytes.size(), qsizetype(32));
    QCOMPARE(token.signingInput(), kJwtIoHeader + '.' + kJwtIoPayload);
}

void TestToken::mapsSegmentsToTextRanges()
{
    const Token token = decodeUnverified(QString::fromLatin1(kJwtIo));
    QCOMPARE(token.segments.size(), size_t(3));
    const QList<SegmentRole> roles = {SegmentRole::Header, SegmentRole::Payload, SegmentRole::Signature};
    for (size_t k = 0; k < token.segments.size(); ++k) {
        const Segment& segment = token.segments[k];
        QCOMPARE(segment.role, roles.at(static_cast<qsizetype>(k)));
        QCOMPARE(token.text.mid(segment.range.begin, segment.range.size()), segment.encoded);
    }
    QCOMPARE(token.segments[1].range.begin, kJwtIoHeader.size() + 1);
    QCOMPARE(token.textToInput.size(), size_t(token.text.size() + 1));
    QCOMPARE(token.inputOffset(token.text.size()), qsizetype(kJwtIo.size()));
}

void TestToken::stripsAndReportsPasteNoise_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("notes");
    const QString token = QString::fromLatin1(kJwtIo);
    QTest::newRow("Bearer prefix") << QStringLiteral("Bearer ") + token << QStringList({"Bearer"});
    QTest::newRow("bearer lower case with tab") << QStringLiteral("bearer\t") + token << QStringList({"Bearer"});
    QTest::newRow("Authorization header")
        << QStringLiteral("Authorization: Bearer ") + token << QStringList({"Authorization", "Bearer"});
    QTest::newRow("double quotes") << QStringLiteral("\"") + token + QStringLiteral("\"")
                                   << QStringList({"double quotes"});
    QTest::newRow("single quotes") << QStringLiteral("'") + token + QStringLiteral("'")
                                   << QStringList({"single quotes"});
    QTest::newRow("backticks") << QStringLiteral("`") + token + QStringLiteral("`") << QStringList({"backticks"});
    QTest::newRow("quoted Bearer header")
        << QStringLiteral("  \"Bearer ") + token + QStringLiteral("\"\n") << QStringList({"double quotes", "Bearer"});
    QTest::newRow("Bearer then quotes") << QStringLiteral("Bearer '") + token + QStringLiteral("'")
                                        << QStringList({"Bearer", "single quotes"});
    QTest::newRow("CRLF in the middle") << token.left(50) + QStringLiteral("\r\n") + token.mid(50)
                                        << QStringList({"1 line break"});
    QTest::newRow("spaces around dots") << token.left(36) + QStringLiteral(" . ") + token.mid(37)
                                        << QStringList({"2 spaces"});
    QTest::newRow("zero-width space") << token.left(10) + QChar(0x200B) + token.mid(10)
                                      << QStringList({"1 invisible character"});
    QTest::newRow("surrounding whitespace only")
        << QStringLiteral("\n  ") + token + QStringLiteral(" \r\n") << QStringList();
}

void TestToken::stripsAndReportsPasteNoise()
{
    QFETCH(QString, input);
    QFETCH(QStringList, notes);
    const Token token = decodeUnverified(input);
    QCOMPARE(token.input, input);
    QCOMPARE(token.text, kJwtIo);
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.noise.size(), size_t(notes.size()));
    for (qsizetype k = 0; k < notes.size(); ++k) {
        const NoiseNote& note = token.noise[static_cast<size_t>(k)];
        QVERIFY2(note.message.contains(notes.at(k)), qPrintable(note.message));
        QVERIFY(note.range.begin >= 0 && note.range.end <= input.size() && note.range.size() > 0);
    }
    // Every character of the text comes from the same character of the input.
    QCOMPARE(token.textToInput.size(), size_t(token.text.size() + 1));
    for (qsizetype i = 0; i < token.text.size(); ++i)
        QCOMPARE(input.at(token.inputOffset(i)), QLatin1Char(token.text.at(i)));
}

void TestToken::countsLineBreaksAndSpaces()
{
    const QString token = QString::fromLatin1(kJwtIo);
    const QString input = token.left(20) + QStringLiteral("\r\n  ") + token.mid(20, 40) + QStringLiteral("\n\t")
        + token.mid(60) + QStringLiteral("\r\n");
    const Token decoded = decodeUnverified(input);
    QCOMPARE(decoded.text, kJwtIo);
    QCOMPARE(decoded.noise.size(), size_t(1));
    QCOMPARE(decoded.noise[0].message, QStringLiteral("removed 2 line breaks and 3 spaces inside the token"));
    QCOMPARE(decoded.noise[0].range.begin, qsizetype(20));
    QCOMPARE(decoded.inputOffset(20), qsizetype(24));
}

void TestToken::placesNonAsciiCharactersInTheText()
{
    // A stray 'é' stays in the text (as UTF-8) and is an error at its place; a no-break space is paste noise.
    const QString token = QString::fromLatin1(kJwtIo);
    const QString input = token.left(10) + QChar(0xE9) + QChar(0xA0) + token.mid(10);
    const Token decoded = decodeUnverified(input);
    QCOMPARE(decoded.text, kJwtIo.left(10) + "\xC3\xA9" + kJwtIo.mid(10));
    QCOMPARE(decoded.noise.size(), size_t(1));
    QVERIFY(decoded.noise[0].message.contains(QStringLiteral("1 space")));
    QCOMPARE(decoded.noise[0].range.begin, qsizetype(11));
    // The decoder stops at the stray byte (and may also report the spare bits of the character before it).
    const auto stray = std::find_if(decoded.errors.begin(), decoded.errors.end(), [](const TokenError& e) {
        return e.code == ErrorCode::Base64 && e.message.contains(QStringLiteral("0xc3"));
    });
    QVERIFY2(stray != decoded.errors.end(), qPrintable(describeErrors(decoded)));
    QCOMPARE(stray->segment, 0);
    QCOMPARE(stray->range.begin, qsizetype(10));
    QCOMPARE(decoded.inputOffset(10), qsizetype(10));
    QCOMPARE(decoded.inputOffset(11), qsizetype(10));
    QCOMPARE(decoded.inputOffset(12), qsizetype(12));
    QCOMPARE(decoded.inputOffset(decoded.text.size()), input.size());
    QCOMPARE(parseStrict(input.toUtf8()).code(), ErrorCode::Base64);
}

void TestToken::reportsBase64IssuesAtTextOffsets_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("segment");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("reason");
    const QByteArray prefix = kJwtIoHeader + '.' + kJwtIoPayload + '.';
    const int signatureAt = static_cast<int>(prefix.size());
    QTest::newRow("padding on the signature") << prefix + kJwtIoSignature + '=' << 2 << signatureAt + 43 << "padding";
    QByteArray slash = kJwtIoSignature;
    slash[34] = '/';
    QTest::newRow("'/' in the signature") << prefix + slash << 2 << signatureAt + 34 << "standard base64";
    QByteArray plus = kJwtIoPayload;
    plus[5] = '+';
    QTest::newRow("'+' in the payload") << kJwtIoHeader + '.' + plus + '.' + kJwtIoSignature << 1
                                        << static_cast<int>(kJwtIoHeader.size()) + 1 + 5 << "standard base64";
    QByteArray spare = kJwtIoSignature;
    spare[42] = 'd';
    QTest::newRow("non-canonical final bits") << prefix + spare << 2 << signatureAt + 42 << "spare bits";
    QTest::newRow("impossible length") << prefix + kJwtIoSignature + "AA" << 2 << signatureAt + 44 << "4n+1";
    QTest::newRow("padded header") << QByteArray("eyJhbGciOiJub25lIn0=.e30.") << 0 << 19 << "padding";
    QTest::newRow("invalid character") << kJwtIoHeader + ".e30!.sig" << 1 << static_cast<int>(kJwtIoHeader.size()) + 4
                                       << "not a base64url character";
}

void TestToken::reportsBase64IssuesAtTextOffsets()
{
    QFETCH(QByteArray, text);
    QFETCH(int, segment);
    QFETCH(int, offset);
    QFETCH(QString, reason);
    const Token token = decodeUnverified(QString::fromLatin1(text));
    const TokenError* error = findError(token, ErrorCode::Base64);
    QVERIFY2(error, qPrintable(describeErrors(token)));
    QCOMPARE(error->segment, segment);
    QCOMPARE(error->range.begin, qsizetype(offset));
    QVERIFY2(error->message.contains(reason), qPrintable(error->message));
    QVERIFY2(error->message.contains(QStringLiteral("character %1").arg(offset)), qPrintable(error->message));
    QVERIFY(token.isMalformed());
    // Still decoded as far as possible: the header is shown.
    QVERIFY(token.header());
    QVERIFY(!token.alg().isEmpty());

    const auto strict = parseStrict(text);
    QVERIFY(!strict.ok());
    QCOMPARE(strict.code(), ErrorCode::Base64);
    QVERIFY2(strict.message().contains(QStringLiteral("character %1").arg(offset)), qPrintable(strict.message()));
}

void TestToken::reportsEmptySegments()
{
    const Token noHeader = decodeUnverified(QString::fromLatin1('.' + kJwtIoPayload + '.' + kJwtIoSignature));
    const TokenError* error = findError(noHeader, ErrorCode::MalformedToken);
    QVERIFY2(error, qPrintable(describeErrors(noHeader)));
    QCOMPARE(error->segment, 0);
    QCOMPARE(error->range.begin, qsizetype(0));
    QVERIFY(error->message.contains(QStringLiteral("header")));
    QVERIFY(noHeader.claims()); // the payload is still shown
    QCOMPARE(parseStrict('.' + kJwtIoPayload + '.' + kJwtIoSignature).code(), ErrorCode::MalformedToken);

    const QByteArray unsigned_ = kJwtIoHeader + '.' + kJwtIoPayload + '.';
    const Token noSignature = decodeUnverified(QString::fromLatin1(unsigned_));
    error = findError(noSignature, ErrorCode::MalformedToken);
    QVERIFY2(error, qPrintable(describeErrors(noSignature)));
    QCOMPARE(error->segment, 2);
    QCOMPARE(error->range.begin, unsigned_.size());
    QVERIFY(error->message.contains(QStringLiteral("signature")));
    QCOMPARE(parseStrict(unsigned_).code(), ErrorCode::MalformedToken);
}

void TestToken::acceptsAnEmptyPayloadAsDetachedContent()
{
    const QByteArray text = kJwtIoHeader + ".." + kJwtIoSignature;
    const Token token = decodeUnverified(QString::fromLatin1(text));
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QVERIFY(token.payloadDetached);
    QCOMPARE(token.claims(), nullptr);
    QCOMPARE(token.signingInput(0, "{}"), kJwtIoHeader + ".e30");
    QVERIFY(parseStrict(text).ok());
}

void TestToken::reportsWrongNumberOfDotsAtTheDot_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("offset");
    const int afterHeader = static_cast<int>(kJwtIoHeader.size());
    const int afterPayload = afterHeader + 1 + static_cast<int>(kJwtIoPayload.size());
    const int afterSignature = afterPayload + 1 + static_cast<int>(kJwtIoSignature.size());
    QTest::newRow("no dot (1 part)") << kJwtIoHeader << 0;
    QTest::newRow("1 dot (2 parts)") << kJwtIoHeader + '.' + kJwtIoPayload << afterHeader;
    QTest::newRow("3 dots (4 parts)") << kJwtIo + ".e30" << afterSignature;
    QTest::newRow("3 dots, trailing") << kJwtIo + '.' << afterSignature;
    QTest::newRow("5 dots (6 parts)") << kJwtIo + ".e30.e30.e30" << afterSignature + 8;
}

void TestToken::reportsWrongNumberOfDotsAtTheDot()
{
    QFETCH(QByteArray, text);
    QFETCH(int, offset);
    const Token token = decodeUnverified(QString::fromLatin1(text));
    QCOMPARE(token.kind, TokenKind::Malformed);
    QVERIFY(!token.errors.empty());
    const TokenError& error = token.errors.front();
    QCOMPARE(error.code, ErrorCode::MalformedToken);
    QCOMPARE(error.segment, -1);
    QCOMPARE(error.range.begin, qsizetype(offset));
    if (offset > 0)
        QCOMPARE(text.at(offset), '.');
    QVERIFY(token.header()); // the header is still decoded and shown
    const auto strict = parseStrict(text);
    QCOMPARE(strict.code(), ErrorCode::MalformedToken);
    QVERIFY2(strict.message().contains(QStringLiteral("character %1").arg(offset)), qPrintable(strict.message()));
}

void TestToken::recognisesCompactJwe()
{
    const Token token = decodeUnverified(QString::fromLatin1(kRfc7516A3));
    QCOMPARE(token.kind, TokenKind::Jwe);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.segments.size(), size_t(5));
    const QList<SegmentRole> roles
        = {SegmentRole::Header, SegmentRole::EncryptedKey, SegmentRole::Iv, SegmentRole::Ciphertext, SegmentRole::Tag};
    for (size_t k = 0; k < 5; ++k)
        QCOMPARE(token.segments[k].role, roles.at(static_cast<qsizetype>(k)));
    QCOMPARE(memberNames(token.header()), QStringList({"alg", "enc"}));
    QCOMPARE(token.alg(), QStringLiteral("A128KW"));
    QCOMPARE(token.payload.role, SegmentRole::Ciphertext);
    QCOMPARE(token.payload.decoded.bytes.size(), qsizetype(32));
    QCOMPARE(token.segments[2].decoded.bytes.mid(5), QByteArray("Chillicothe"));
    QCOMPARE(token.claims(), nullptr); // encrypted: never parsed
    QVERIFY(token.signingInput().isEmpty());
    const auto strict = parseStrict(kRfc7516A3);
    QVERIFY2(strict.ok(), qPrintable(strict.ok() ? QString() : strict.message()));
    QCOMPARE(strict->kind, TokenKind::Jwe);

    // Three parts whose header has "enc" are a JWE that lost parts.
    const Token truncated
        = decodeUnverified(QString::fromLatin1(kRfc7516A3.left(kRfc7516A3.indexOf('.') + 1) + "e30.AA"));
    QCOMPARE(truncated.kind, TokenKind::Jwe);
    QVERIFY(truncated.isMalformed());
}

void TestToken::recognisesUnsecuredTokensByExactAlgNone()
{
    const QByteArray none = b64(R"({"alg":"none"})") + '.' + kJwtIoPayload + '.';
    const Token token = decodeUnverified(QString::fromLatin1(none));
    QCOMPARE(token.kind, TokenKind::Unsecured);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.alg(), QStringLiteral("none"));
    QVERIFY(token.signatures.at(0).signature.encoded.isEmpty());
    QVERIFY(parseStrict(none).ok());

    for (const char* variant : {"None", "NONE", "nOnE"}) {
        const QByteArray text = b64(QByteArray(R"({"alg":")") + variant + "\"}") + '.' + kJwtIoPayload + '.';
        const Token spelled = decodeUnverified(QString::fromLatin1(text));
        QCOMPARE(spelled.kind, TokenKind::Jws); // not unsecured: an unknown alg for the verify layer to refuse
        QCOMPARE(spelled.alg(), QString::fromLatin1(variant));
        QVERIFY2(spelled.errors.empty(), qPrintable(describeErrors(spelled)));
    }
}

void TestToken::reportsHeaderProblemsWithTheirPlace()
{
    // A header that is JSON but not an object.
    const Token array = decodeUnverified(QString::fromLatin1(b64("[1]") + '.' + kJwtIoPayload + '.' + kJwtIoSignature));
    const TokenError* error = findError(array, ErrorCode::HeaderInvalid);
    QVERIFY2(error, qPrintable(describeErrors(array)));
    QCOMPARE(error->segment, 0);
    QCOMPARE(parseStrict(array.text).code(), ErrorCode::HeaderInvalid);

    // Invalid JSON: the byte offset in the decoded header maps to the characters that carry that byte.
    const QByteArray badJson = b64(R"({"alg":"HS256",})"); // trailing comma at byte 14
    const Token broken = decodeUnverified(QString::fromLatin1(badJson + '.' + kJwtIoPayload + '.' + kJwtIoSignature));
    error = findError(broken, ErrorCode::Json);
    QVERIFY2(error, qPrintable(describeErrors(broken)));
    QCOMPARE(error->segment, 0);
    QCOMPARE(error->range, Base64Url::encodedRangeForBytes({14, 15}, badJson.size()));
    QCOMPARE(error->range, (OffsetRange{18, 20}));
    QVERIFY2(error->message.contains(QStringLiteral("byte 14")), qPrintable(error->message));
    QCOMPARE(broken.header(), nullptr);
    QVERIFY(broken.claims()); // the payload is still shown
    QCOMPARE(parseStrict(broken.text).code(), ErrorCode::Json);

    // No "alg", or an "alg" that is not a string.
    for (const QByteArray& header : {QByteArray(R"({"typ":"JWT"})"), QByteArray(R"({"alg":256})")}) {
        const Token token
            = decodeUnverified(QString::fromLatin1(b64(header) + '.' + kJwtIoPayload + '.' + kJwtIoSignature));
        QVERIFY2(findError(token, ErrorCode::HeaderInvalid), qPrintable(describeErrors(token)));
        QVERIFY(token.header());
        QCOMPARE(token.alg(), QString());
        QCOMPARE(parseStrict(token.text).code(), ErrorCode::HeaderInvalid);
    }
}

void TestToken::readsPayloadsAsJsonOnlyWhenTheyStartWithABrace()
{
    const QByteArray binary = b64(QByteArray("\x00\x01\xff payload", 11));
    const Token bytes = decodeUnverified(QString::fromLatin1(kJwtIoHeader + '.' + binary + '.' + kJwtIoSignature));
    QVERIFY2(bytes.errors.empty(), qPrintable(describeErrors(bytes)));
    QVERIFY(!bytes.payload.json.has_value());
    QCOMPARE(bytes.claims(), nullptr);

    const Token array
        = decodeUnverified(QString::fromLatin1(kJwtIoHeader + '.' + b64("[1,2]") + '.' + kJwtIoSignature));
    QVERIFY(array.errors.empty());
    QCOMPARE(array.claims(), nullptr);

    const Token spaced
        = decodeUnverified(QString::fromLatin1(kJwtIoHeader + '.' + b64(" \r\n{\"a\":1}") + '.' + kJwtIoSignature));
    QVERIFY(spaced.errors.empty());
    QVERIFY(spaced.claims());

    const QByteArray twoObjects = b64(R"({"sub":"1"} {"sub":"2"})");
    const QByteArray text = kJwtIoHeader + '.' + twoObjects + '.' + kJwtIoSignature;
    const Token invalid = decodeUnverified(QString::fromLatin1(text));
    const TokenError* error = findError(invalid, ErrorCode::PayloadInvalid);
    QVERIFY2(error, qPrintable(describeErrors(invalid)));
    QCOMPARE(error->segment, 1);
    const OffsetRange chars = Base64Url::encodedRangeForBytes({12, 13}, twoObjects.size());
    QCOMPARE(error->range.begin, kJwtIoHeader.size() + 1 + chars.begin);
    QCOMPARE(invalid.claims(), nullptr);
    QCOMPARE(parseStrict(text).code(), ErrorCode::PayloadInvalid);
}

void TestToken::decodesJwsJsonGeneralSerialization()
{
    const QJsonObject vector = rfc7515Case(QStringLiteral("rfc7515-A.6"));
    QVERIFY2(!vector.isEmpty(), "rfc/rfc7515-appendix-a.authored.json not found: set JWTI_VECTORS_DIR");
    const QByteArray json = compactJson(vector.value(QLatin1String("json")));
    const QString pretty = QString::fromUtf8(QJsonDocument(vector.value(QLatin1String("json")).toObject()).toJson());
    const Token token = decodeUnverified(QStringLiteral("  ") + pretty);
    QCOMPARE(token.kind, TokenKind::JwsJsonGeneral);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.signatures.size(), size_t(2));
    QCOMPARE(token.segments.size(), size_t(5)); // payload, then protected + signature per signature
    QCOMPARE(token.alg(0), QStringLiteral("RS256"));
    QCOMPARE(token.alg(1), QStringLiteral("ES256"));
    QCOMPARE(token.kid(0), QStringLiteral("2010-12-29"));
    QCOMPARE(token.kid(1), QStringLiteral("e9bc097a-ce51-4036-9562-d2ade882db0d"));
    const QByteArray payload = vector.value(QLatin1String("json"))[QLatin1String("payload")].toString().toLatin1();
    QCOMPARE(token.signingInput(0), "eyJhbGciOiJSUzI1NiJ9." + payload);
    QCOMPARE(token.signingInput(1), "eyJhbGciOiJFUzI1NiJ9." + payload);
    QCOMPARE(memberNames(token.claims()), QStringList({"iss", "exp", "http://example.com/is_root"}));
    for (const Segment& segment : token.segments)
        QCOMPARE(token.text.mid(segment.range.begin, segment.range.size()), segment.encoded);
    QVERIFY(token.signatures[0].unprotectedHeader.has_value());
    QVERIFY(parseStrict(json).ok());
}

void TestToken::decodesJwsJsonFlattenedSerialization()
{
    const QJsonObject vector = rfc7515Case(QStringLiteral("rfc7515-A.7"));
    QVERIFY2(!vector.isEmpty(), "rfc/rfc7515-appendix-a.authored.json not found: set JWTI_VECTORS_DIR");
    const QByteArray json = compactJson(vector.value(QLatin1String("json")));
    const Token token = decodeUnverified(QString::fromUtf8(json));
    QCOMPARE(token.kind, TokenKind::JwsJsonFlattened);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.signatures.size(), size_t(1));
    QCOMPARE(token.alg(), QStringLiteral("ES256"));
    QCOMPARE(token.kid(), QStringLiteral("e9bc097a-ce51-4036-9562-d2ade882db0d"));
    const QByteArray payload = vector.value(QLatin1String("json"))[QLatin1String("payload")].toString().toLatin1();
    QCOMPARE(token.signingInput(), "eyJhbGciOiJFUzI1NiJ9." + payload);
    QCOMPARE(token.text.mid(token.payload.range.begin, token.payload.range.size()), payload);
    const auto strict = parseStrict(json);
    QVERIFY(strict.ok());
    QCOMPARE(strict->kind, TokenKind::JwsJsonFlattened);
}

void TestToken::reportsJsonSerializationProblems()
{
    const Token notJson = decodeUnverified(QStringLiteral("{\"payload\":\"e30\",}"));
    QCOMPARE(notJson.kind, TokenKind::Malformed);
    QVERIFY(findError(notJson, ErrorCode::Json));
    QCOMPARE(findError(notJson, ErrorCode::Json)->range.begin, qsizetype(16));

    const Token claims = decodeUnverified(QStringLiteral("{\"sub\":\"1\"}"));
    QCOMPARE(claims.kind, TokenKind::Malformed);
    QVERIFY(claims.errors.front().message.contains(QStringLiteral("not a JWS JSON serialization")));

    const Token mixed = decodeUnverified(
        QStringLiteral(R"({"payload":"e30","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AA","signatures":[]})"));
    QCOMPARE(mixed.kind, TokenKind::Malformed);

    // A base64url issue inside a JSON member is placed in the text.
    const QString padded
        = QStringLiteral(R"({"payload":"e30=","protected":"eyJhbGciOiJIUzI1NiJ9","signature":"AAAA"})");
    const Token token = decodeUnverified(padded);
    const TokenError* error = findError(token, ErrorCode::Base64);
    QVERIFY2(error, qPrintable(describeErrors(token)));
    QCOMPARE(error->range.begin, qsizetype(padded.indexOf(QLatin1Char('='))));
    QCOMPARE(parseStrict(padded.toUtf8()).code(), ErrorCode::Base64);

    // "alg" may sit in the unprotected header, but not in both.
    const Token unprotectedAlg
        = decodeUnverified(QStringLiteral(R"({"payload":"e30","header":{"alg":"HS256"},"signature":"AAAA"})"));
    QVERIFY2(unprotectedAlg.errors.empty(), qPrintable(describeErrors(unprotectedAlg)));
    QCOMPARE(unprotectedAlg.alg(), QStringLiteral("HS256"));
    QCOMPARE(unprotectedAlg.signingInput(), QByteArray(".e30"));
    const Token both = decodeUnverified(QStringLiteral(
        R"({"payload":"e30","protected":"eyJhbGciOiJIUzI1NiJ9","header":{"alg":"HS256"},"signature":"AAAA"})"));
    QVERIFY(findError(both, ErrorCode::HeaderInvalid));
}

void TestToken::decodesDetachedContentFromTheCookbook()
{
    const QJsonObject vector = readVectorFile(QStringLiteral("cookbook/jws/4_5.signature_with_detached_content.json"));
    QVERIFY2(!vector.isEmpty(), "cookbook 4_5 not found: set JWTI_VECTORS_DIR");
    const QByteArray payload = vector[QLatin1String("input")][QLatin1String("payload")].toString().toUtf8();
    const QByteArray signingInput = vector[QLatin1String("signing")][QLatin1String("sig-input")].toString().toLatin1();
    const QJsonObject output = vector[QLatin1String("output")].toObject();

    const Token compact = decodeUnverified(output[QLatin1String("compact")].toString());
    QCOMPARE(compact.kind, TokenKind::Jws);
    QVERIFY2(compact.errors.empty(), qPrintable(describeErrors(compact)));
    QVERIFY(compact.payloadDetached);
    QCOMPARE(compact.kid(), QStringLiteral("018c0ae5-4d9b-471b-bfd6-eef314bc7037"));
    QCOMPARE(compact.signingInput(0, payload), signingInput);

    const Token general = decodeUnverified(QString::fromUtf8(compactJson(output[QLatin1String("json")])));
    QCOMPARE(general.kind, TokenKind::JwsJsonGeneral);
    QVERIFY2(general.errors.empty(), qPrintable(describeErrors(general)));
    QVERIFY(general.payloadDetached);
    QCOMPARE(general.signingInput(0, payload), signingInput);

    const Token flat = decodeUnverified(QString::fromUtf8(compactJson(output[QLatin1String("json_flat")])));
    QCOMPARE(flat.kind, TokenKind::JwsJsonFlattened);
    QVERIFY(flat.payloadDetached);
    QCOMPARE(flat.signingInput(0, payload), signingInput);
    QVERIFY(parseStrict(output[QLatin1String("compact")].toString().toLatin1()).ok());
}

void TestToken::readsUnencodedPayloadsWithB64False()
{
    const QByteArray header = b64(R"({"alg":"HS256","b64":false,"crit":["b64"]})");
    QCOMPARE(header, QByteArray("eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19"));
    const QByteArray text = header + ".hello$world=" + '.' + kJwtIoSignature;
    const Token token = decodeUnverified(QString::fromLatin1(text));
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token))); // '$' and '=' are not base64url issues here
    QVERIFY(token.unencodedPayload);
    QCOMPARE(token.payload.decoded.bytes, QByteArray("hello$world="));
    QCOMPARE(token.signingInput(), header + ".hello$world=");
    QVERIFY(parseStrict(text).ok());

    // RFC 7797 §4.2: detached, unencoded payload "$.02".
    const QByteArray detached = header + "..A5dxf2s96_n5FLueVuW1Z_vh161FwXZC4YLPff6dmDY";
    const Token example = decodeUnverified(QString::fromLatin1(detached));
    QVERIFY2(example.errors.empty(), qPrintable(describeErrors(example)));
    QVERIFY(example.payloadDetached);
    QVERIFY(example.unencodedPayload);
    QCOMPARE(example.signingInput(0, "$.02"), header + ".$.02");
}

void TestToken::requiresB64InCrit()
{
    const QByteArray header = b64(R"({"alg":"HS256","b64":false})");
    const QByteArray text = header + ".hello." + kJwtIoSignature;
    const Token token = decodeUnverified(QString::fromLatin1(text));
    const TokenError* error = findError(token, ErrorCode::HeaderInvalid);
    QVERIFY2(error, qPrintable(describeErrors(token)));
    QVERIFY(error->message.contains(QStringLiteral("crit")));
    QVERIFY(token.unencodedPayload); // still shown as the unencoded payload it claims to be
    const auto strict = parseStrict(text);
    QCOMPARE(strict.code(), ErrorCode::HeaderInvalid);
}

void TestToken::parseStrictRejectsWhatDecodeStillShows_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("Bearer prefix") << "Bearer " + kJwtIo << ErrorCode::MalformedToken;
    QTest::newRow("quoted") << '"' + kJwtIo + '"' << ErrorCode::MalformedToken;
    QTest::newRow("CRLF inside") << kJwtIo.left(40) + "\r\n" + kJwtIo.mid(40) << ErrorCode::MalformedToken;
    QTest::newRow("space inside") << kJwtIo.left(37) + ' ' + kJwtIo.mid(37) << ErrorCode::MalformedToken;
    QTest::newRow("padding") << kJwtIo + '=' << ErrorCode::Base64;
    QTest::newRow("standard alphabet") << QByteArray(kJwtIo).replace('_', '/') << ErrorCode::Base64;
    QTest::newRow("one dot") << kJwtIoHeader + '.' + kJwtIoPayload << ErrorCode::MalformedToken;
    QTest::newRow("header not an object")
        << b64("\"HS256\"") + '.' + kJwtIoPayload + '.' + kJwtIoSignature << ErrorCode::HeaderInvalid;
    QTest::newRow("payload not one object")
        << kJwtIoHeader + '.' + b64("{\"a\":1") + '.' + kJwtIoSignature << ErrorCode::PayloadInvalid;
}

void TestToken::parseStrictRejectsWhatDecodeStillShows()
{
    QFETCH(QByteArray, text);
    QFETCH(ErrorCode, code);
    const auto strict = parseStrict(text);
    QVERIFY(!strict.ok());
    QCOMPARE(strict.code(), code);
    QVERIFY(strict.message().startsWith(QStringLiteral("malformed token: ")));
    // decode still shows it: the header segment is decoded and parsed.
    const Token shown = decodeUnverified(QString::fromLatin1(text));
    QVERIFY(shown.kind != TokenKind::Empty);
    QVERIFY(!shown.segments.empty());
    QVERIFY(shown.segments.front().json.has_value());
    QVERIFY(shown.segments.front().json->ok());
}

void TestToken::parseStrictNamesSegmentAndCharacter()
{
    const QByteArray text = kJwtIoHeader + '.' + kJwtIoPayload + "=." + kJwtIoSignature;
    const auto strict = parseStrict(text);
    QCOMPARE(strict.code(), ErrorCode::Base64);
    QCOMPARE(strict.message(),
             QStringLiteral("malformed token: payload segment, character %1: '=' padding is not "
                            "allowed in base64url (RFC 7515 §2)")
                 .arg(kJwtIoHeader.size() + 1 + kJwtIoPayload.size()));
}

void TestToken::parseStrictAcceptsSurroundingWhitespaceOnly()
{
    const auto strict = parseStrict(" \t" + kJwtIo + "\r\n");
    QVERIFY2(strict.ok(), qPrintable(strict.ok() ? QString() : strict.message()));
    QCOMPARE(strict->text, kJwtIo);
    QCOMPARE(strict->inputOffset(0), qsizetype(2));
    QCOMPARE(strict->signingInput(), kJwtIoHeader + '.' + kJwtIoPayload);
    QVERIFY(strict->noise.empty());
    QCOMPARE(parseStrict("").code(), ErrorCode::MalformedToken);
    QCOMPARE(parseStrict(" \n ").code(), ErrorCode::MalformedToken);
    QCOMPARE(decodeUnverified(QStringLiteral(" \n ")).kind, TokenKind::Empty);
}

// The whitespace scan tests eight characters at a time: whitespace must be found at every offset of a word, and
// neither a control character nor a byte of 0x80 or above may pass for it.
void TestToken::parseStrictFindsWhitespaceAtEveryOffset()
{
    for (const char space : {' ', '\t', '\n', '\r', '\f', '\v'}) {
        for (qsizetype at = 1; at < kJwtIo.size(); ++at) {
            QByteArray text = kJwtIo;
            text.insert(at, space);
            const auto strict = parseStrict(text);
            QVERIFY2(!strict.ok(), qPrintable(QStringLiteral("whitespace at %1 accepted").arg(at)));
            QVERIFY2(strict.message().contains(QStringLiteral("character %1: whitespace").arg(at)),
                     qPrintable(strict.message()));
        }
    }
    for (const char other : {'\x01', '\x1f', '!', '\x7f', '\x80', '\xa0', '\xff'}) {
        for (const qsizetype at : {qsizetype(1), qsizetype(7), qsizetype(8), qsizetype(40), kJwtIo.size() - 1}) {
            QByteArray text = kJwtIo;
            text.insert(at, other);
            const auto strict = parseStrict(text);
            QVERIFY(!strict.ok());
            QVERIFY2(!strict.message().contains(QStringLiteral("whitespace")), qPrintable(strict.message()));
        }
    }
}

// signingInputView answers signingInput's bytes for every shape, and for a compact JWS without copying them.
void TestToken::signingInputViewIsTheSigningInput()
{
    const QByteArray unencodedHeader = b64(R"({"alg":"HS256","b64":false,"crit":["b64"]})");
    const QByteArray flattened = R"({"payload":")" + kJwtIoPayload + R"(","protected":")" + kJwtIoHeader
        + R"(","signature":")" + kJwtIoSignature + R"("})";
    struct Case
    {
        QByteArray text;
        QByteArray detached;
        bool viewsText;
    };
    const Case cases[] = {
        {kJwtIo, {}, true},
        {" \t" + kJwtIo + "\r\n", {}, true},
        {kRfc7519, {}, true},
        {kJwtIoHeader + ".." + kJwtIoSignature, "detached content", false},
        {unencodedHeader + ".hello$world=." + kJwtIoSignature, {}, false},
        {flattened, {}, false},
    };
    for (const Case& c : cases) {
        for (const TokenDetail detail : {TokenDetail::Full, TokenDetail::ForVerdict}) {
            const auto token = parseStrict(c.text, detail);
            QVERIFY2(token.ok(), qPrintable(token.ok() ? QString() : token.message()));
            QByteArray storage;
            const QByteArrayView view = token->signingInputView(0, c.detached, storage);
            QCOMPARE(view.toByteArray(), token->signingInput(0, c.detached));
            QCOMPARE(view.data() == token->text.constData(), c.viewsText);
        }
    }
}

void TestToken::decodesAOneMebibyteToken()
{
    QByteArray claims = R"({"sub":"1","data":")";
    claims += QByteArray(1024 * 1024, 'x');
    claims += R"("})";
    const QByteArray clean = kJwtIoHeader + '.' + b64(claims) + '.' + kJwtIoSignature;
    QString wrapped;
    wrapped.reserve(clean.size() + clean.size() / 38);
    for (qsizetype i = 0; i < clean.size(); i += 76)
        wrapped += QString::fromLatin1(clean.mid(i, 76)) + QStringLiteral("\r\n");

    const Token token = decodeUnverified(wrapped);
    QCOMPARE(token.kind, TokenKind::Jws);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    QCOMPARE(token.text, clean);
    QCOMPARE(token.noise.size(), size_t(1));
    QVERIFY(token.noise[0].message.contains(QStringLiteral("line breaks")));
    QVERIFY(token.claims());
    QCOMPARE(token.claims()->member(u"data")->string.size(), qsizetype(1024 * 1024));

    const auto strict = parseStrict(clean);
    QVERIFY(strict.ok());
    QCOMPARE(strict->signingInput().size(), clean.size() - kJwtIoSignature.size() - 1);
}

void TestToken::namesSegmentRoles()
{
    QCOMPARE(segmentRoleName(SegmentRole::Header), QStringLiteral("header"));
    QCOMPARE(segmentRoleName(SegmentRole::Payload), QStringLiteral("payload"));
    QCOMPARE(segmentRoleName(SegmentRole::Signature), QStringLiteral("signature"));
    QCOMPARE(segmentRoleName(SegmentRole::EncryptedKey), QStringLiteral("encrypted key"));
    QCOMPARE(segmentRoleName(SegmentRole::Iv), QStringLiteral("initialization vector"));
    QCOMPARE(segmentRoleName(SegmentRole::Ciphertext), QStringLiteral("ciphertext"));
    QCOMPARE(segmentRoleName(SegmentRole::Tag), QStringLiteral("authentication tag"));
}

// RFC 7516 §7.2: the general and flattened JWE JSON forms are shown part by part, at their members' strings.
void TestToken::recognisesJweJsonSerializations()
{
    // RFC 7516 Appendix A.4 (two recipients), shortened: the form is what is read here.
    const QString general = QStringLiteral(
        R"({"protected":"eyJlbmMiOiJBMTI4Q0JDLUhTMjU2In0","unprotected":{"jku":"https://server.example.com/keys.jwks"},)"
        R"("recipients":[{"header":{"alg":"RSA1_5","kid":"2011-04-29"},"encrypted_key":"UGhIOguC7IuE"},)"
        R"({"header":{"alg":"A128KW","kid":"7"},"encrypted_key":"6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ"}],)"
        R"("iv":"AxY8DCtDaGlsbGljb3RoZQ","ciphertext":"KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY",)"
        R"("tag":"Mz-VPPyU4RlcuYv1IwIvzw"})");
    const Token token = decodeUnverified(general);
    QCOMPARE(token.kind, TokenKind::Jwe);
    QVERIFY2(token.errors.empty(), qPrintable(describeErrors(token)));
    const QList<SegmentRole> roles = {SegmentRole::Header, SegmentRole::EncryptedKey, SegmentRole::EncryptedKey,
                                      SegmentRole::Iv,     SegmentRole::Ciphertext,   SegmentRole::Tag};
    QCOMPARE(token.segments.size(), size_t(6));
    for (size_t k = 0; k < token.segments.size(); ++k) {
        QCOMPARE(token.segments[k].role, roles.at(static_cast<qsizetype>(k)));
        // Each segment's range is its string in the text, quotes excluded.
        QCOMPARE(token.text.mid(token.segments[k].range.begin, token.segments[k].range.size()),
                 token.segments[k].encoded);
    }
    QCOMPARE(memberNames(token.header()), QStringList({"enc"}));
    QCOMPARE(token.payload.role, SegmentRole::Ciphertext);
    QCOMPARE(token.claims(), nullptr);

    const Token flattened = decodeUnverified(QStringLiteral(
        R"({"protected":"eyJlbmMiOiJBMTI4R0NNIn0","header":{"alg":"A128KW"},"encrypted_key":"AAAA","iv":"AAAA",)"
        R"("ciphertext":"AAAA","tag":"AAAA"})"));
    QCOMPARE(flattened.kind, TokenKind::Jwe);
    QCOMPARE(flattened.segments.size(), size_t(5));

    // A base64url error is reported at its place inside the member's string.
    QString broken = general;
    broken.replace(QStringLiteral("AxY8DCtD"), QStringLiteral("AxY8*CtD"));
    const Token damaged = decodeUnverified(broken);
    QVERIFY(damaged.isMalformed());
    QCOMPARE(damaged.errors.front().code, ErrorCode::Base64);
    QCOMPARE(damaged.errors.front().range.begin, broken.indexOf(QLatin1Char('*')));
}

QTEST_GUILESS_MAIN(TestToken)
#include "TestToken.moc"
