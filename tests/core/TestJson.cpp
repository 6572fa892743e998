#include "core/jose/Json.h"

#include <QTest>

using namespace jwti;

namespace {

QByteArray slice(const QByteArray& source, JsonSpan span)
{
    return source.mid(span.begin, span.size());
}

} // namespace

class TestJson : public QObject
{
    Q_OBJECT

private slots:
    void keepsMembersInSourceOrder();
    void reportsDuplicateMembersWithTheirPaths();
    void pathsNameExactlyOneMemberWhateverItsName();
    void findsDuplicatesInLargeObjects();
    void memberReturnsTheLastOfDuplicates();
    void keepsNumbersAsWritten_data();
    void keepsNumbersAsWritten();
    void readsIntegersExactly_data();
    void readsIntegersExactly();
    void readsDoubles();
    void reportsErrorsAtTheirOffset_data();
    void reportsErrorsAtTheirOffset();
    void rejectsDeepNestingWithoutOverflow();
    void acceptsNestingUpToTheLimit();
    void rejectsInvalidUtf8_data();
    void rejectsInvalidUtf8();
    void acceptsWellFormedUtf8();
    void decodesEscapesAndSurrogatePairs_data();
    void decodesEscapesAndSurrogatePairs();
    void keepsSpansOfValuesAndNames();
    void prettyPrintsInSourceOrderWithExactSpans();
    void prettyPrintsEmptyContainersAndScalars();
    void compactsInSourceOrderWithRawLiterals();
    void compactFormReparsesToItself();
    void quotesStrings_data();
    void quotesStrings();
};

void TestJson::keepsMembersInSourceOrder()
{
    const auto document = parseJson(R"({"sub":"1","alg":"HS256","aud":["b","a"],"iat":1})");
    QVERIFY(document.ok());
    const JsonValue& root = *document.root;
    QVERIFY(root.isObject());
    QStringList names;
    for (const JsonMember& member : root.members)
        names << member.name;
    QCOMPARE(names, QStringList({"sub", "alg", "aud", "iat"}));
    QCOMPARE(root.member(u"aud")->items.at(0).string, QStringLiteral("b"));
    QVERIFY(document.duplicates.empty());
}

// Found by fuzzing: a duplicate empty name had an empty path. Names that would make a dotted path ambiguous
// (empty, with a dot, a bracket, a quote or a space; URIs as claim names) are written as ["…"].
void TestJson::pathsNameExactlyOneMemberWhateverItsName()
{
    const QByteArray source
        = "{\"\":1,\"\":2,\"o\":{\"a.b\":1,\"a.b\":2},"
          "\"https://example.com/roles\":[{\"x y\":1,\"x y\":2}],\"plain_name#1\":{\"q\":1,\"q\":2}}";
    const auto document = parseJson(source);
    QVERIFY(document.ok());
    QStringList paths;
    for (const JsonDuplicate& duplicate : document.duplicates)
        paths << duplicate.path;
    QCOMPARE(
        paths,
        QStringList({QStringLiteral("[\"\"]"), QStringLiteral("o[\"a.b\"]"),
                     QStringLiteral("[\"https://example.com/roles\"][0][\"x y\"]"), QStringLiteral("plain_name#1.q")}));
    QCOMPARE(jsonPathAppend(QString(), QStringLiteral("sub")), QStringLiteral("sub"));
    QCOMPARE(jsonPathAppend(QStringLiteral("payload"), QStringLiteral("a\"b")), QStringLiteral("payload[\"a\\\"b\"]"));
}

void TestJson::reportsDuplicateMembersWithTheirPaths()
{
    const QByteArray source = R"({"a":1,"x":{"s":1,"t":2,"s":3},"k":[{},{"id":1,"id":2}],"a":"again","a":null})";
    const auto document = parseJson(source);
    QVERIFY(document.ok());
    QCOMPARE(document.root->members.size(), size_t(5)); // duplicates are kept
    QCOMPARE(document.duplicates.size(), size_t(4));

    QCOMPARE(document.duplicates[0].path, QStringLiteral("x.s"));
    QCOMPARE(slice(source, document.duplicates[0].first), QByteArray(R"("s":1)"));
    QCOMPARE(slice(source, document.duplicates[0].second), QByteArray(R"("s":3)"));

    QCOMPARE(document.duplicates[1].path, QStringLiteral("k[1].id"));
    QCOMPARE(slice(source, document.duplicates[1].second), QByteArray(R"("id":2)"));

    QCOMPARE(document.duplicates[2].path, QStringLiteral("a"));
    QCOMPARE(slice(source, document.duplicates[2].first), QByteArray(R"("a":1)"));
    QCOMPARE(slice(source, document.duplicates[2].second), QByteArray(R"("a":"again")"));
    QCOMPARE(document.duplicates[3].path, QStringLiteral("a"));
    QCOMPARE(slice(source, document.duplicates[3].first), QByteArray(R"("a":1)"));
    QCOMPARE(slice(source, document.duplicates[3].second), QByteArray(R"("a":null)"));
}

void TestJson::findsDuplicatesInLargeObjects()
{
    QByteArray source = "{";
    for (int i = 0; i < 1000; ++i)
        source += "\"m" + QByteArray::number(i) + "\":" + QByteArray::number(i) + ",";
    source += "\"m500\":true,\"m999\":false}";
    const auto document = parseJson(source);
    QVERIFY(document.ok());
    QCOMPARE(document.root->members.size(), size_t(1002));
    QCOMPARE(document.duplicates.size(), size_t(2));
    QCOMPARE(document.duplicates[0].path, QStringLiteral("m500"));
    QCOMPARE(slice(source, document.duplicates[0].first), QByteArray("\"m500\":500"));
    QCOMPARE(document.duplicates[1].path, QStringLiteral("m999"));
}

void TestJson::memberReturnsTheLastOfDuplicates()
{
    const auto document = parseJson(R"({"alg":"none","alg":"HS256"})");
    QVERIFY(document.ok());
    QCOMPARE(document.root->member(u"alg")->string, QStringLiteral("HS256"));
    QCOMPARE(document.root->member(u"missing"), nullptr);
}

void TestJson::keepsNumbersAsWritten_data()
{
    QTest::addColumn<QByteArray>("number");
    QTest::newRow("30-digit integer") << QByteArray("123456789012345678901234567890");
    QTest::newRow("exponent") << QByteArray("1e3");
    QTest::newRow("negative zero") << QByteArray("-0");
    QTest::newRow("one point zero") << QByteArray("1.0");
    QTest::newRow("capital exponent with sign") << QByteArray("2.50E+10");
    QTest::newRow("tiny") << QByteArray("-0.000001e-7");
    QTest::newRow("numeric date") << QByteArray("1516239022");
}

void TestJson::keepsNumbersAsWritten()
{
    QFETCH(QByteArray, number);
    const QByteArray source = "{\"n\":" + number + ",\"a\":[" + number + "]}";
    const auto document = parseJson(source);
    QVERIFY2(document.ok(), qPrintable(document.error ? document.error->message : QString()));
    const JsonValue* n = document.root->member(u"n");
    QVERIFY(n->isNumber());
    QCOMPARE(n->raw, number);
    QCOMPARE(slice(source, n->span), number);
    QCOMPARE(document.root->member(u"a")->items.at(0).raw, number);
    QCOMPARE(document.root->toCompactJson(), source);
    QVERIFY(prettyPrint(*document.root).text.contains(QString::fromLatin1(number)));
}

void TestJson::readsIntegersExactly_data()
{
    QTest::addColumn<QByteArray>("number");
    QTest::addColumn<bool>("integral");
    QTest::addColumn<qint64>("value");
    QTest::newRow("2^53 + 1 (not exact as a double)")
        << QByteArray("9007199254740993") << true << qint64(9007199254740993LL);
    QTest::newRow("int64 max") << QByteArray("9223372036854775807") << true << std::numeric_limits<qint64>::max();
    QTest::newRow("int64 min") << QByteArray("-9223372036854775808") << true << std::numeric_limits<qint64>::min();
    QTest::newRow("int64 max + 1") << QByteArray("9223372036854775808") << false << qint64(0);
    QTest::newRow("30 digits") << QByteArray("123456789012345678901234567890") << false << qint64(0);
    QTest::newRow("1e3") << QByteArray("1e3") << true << qint64(1000);
    QTest::newRow("1.5e1") << QByteArray("1.5e1") << true << qint64(15);
    QTest::newRow("15e-1") << QByteArray("15e-1") << false << qint64(0);
    QTest::newRow("1500e-2") << QByteArray("1500e-2") << true << qint64(15);
    QTest::newRow("1.0") << QByteArray("1.0") << true << qint64(1);
    QTest::newRow("1.5") << QByteArray("1.5") << false << qint64(0);
    QTest::newRow("-0") << QByteArray("-0") << true << qint64(0);
    QTest::newRow("0e999999999999") << QByteArray("0e999999999999") << true << qint64(0);
    QTest::newRow("1e19") << QByteArray("1e19") << false << qint64(0);
    QTest::newRow("1e18") << QByteArray("1e18") << true << qint64(1000000000000000000LL);
    QTest::newRow("1e-999999999999") << QByteArray("1e-999999999999") << false << qint64(0);
    QTest::newRow("leading zero fraction") << QByteArray("0.25e2") << true << qint64(25);
}

void TestJson::readsIntegersExactly()
{
    QFETCH(QByteArray, number);
    QFETCH(bool, integral);
    QFETCH(qint64, value);
    const auto document = parseJson(number);
    QVERIFY(document.ok());
    const auto integer = document.root->toInteger();
    QCOMPARE(integer.has_value(), integral);
    if (integral)
        QCOMPARE(*integer, value);
}

void TestJson::readsDoubles()
{
    QCOMPARE(parseJson("1516239022.5").root->toDouble(), std::optional<double>(1516239022.5));
    QCOMPARE(parseJson("-2.5e-3").root->toDouble(), std::optional<double>(-0.0025));
    QVERIFY(!parseJson("1e400").root->toDouble().has_value());
    QVERIFY(!parseJson("\"1\"").root->toDouble().has_value());
    QVERIFY(!parseJson("\"1\"").root->toInteger().has_value());
}

void TestJson::reportsErrorsAtTheirOffset_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArray("") << 0 << "empty input";
    QTest::newRow("only whitespace") << QByteArray("  \n") << 3 << "unexpected end of input";
    QTest::newRow("missing colon") << QByteArray(R"({"a" 1})") << 5 << "expected ':' after member name";
    QTest::newRow("unterminated string") << QByteArray(R"({"abc)") << 1 << "unterminated string";
    QTest::newRow("trailing characters") << QByteArray("{} x") << 3 << "trailing characters after the JSON value";
    QTest::newRow("two values") << QByteArray("1 2") << 2 << "trailing characters after the JSON value";
    QTest::newRow("trailing comma in object") << QByteArray(R"({"a":1,})") << 6 << "trailing comma";
    QTest::newRow("trailing comma in array") << QByteArray("[1,]") << 2 << "trailing comma";
    QTest::newRow("missing comma") << QByteArray(R"({"a":1 "b":2})") << 7 << "expected ',' or '}'";
    QTest::newRow("array missing comma") << QByteArray("[1 2]") << 3 << "expected ',' or ']'";
    QTest::newRow("unquoted name") << QByteArray("{a:1}") << 1 << "expected a member name";
    QTest::newRow("single quotes") << QByteArray("['a']") << 1 << "expected a JSON value";
    QTest::newRow("leading plus") << QByteArray("+1") << 0 << "'+' is not allowed";
    QTest::newRow("leading zero") << QByteArray("[01]") << 1 << "leading zeros";
    QTest::newRow("leading dot") << QByteArray(".5") << 0 << "must start with a digit";
    QTest::newRow("dot without digits") << QByteArray("1.") << 2 << "expected a digit after '.'";
    QTest::newRow("minus alone") << QByteArray("-") << 1 << "expected a digit after '-'";
    QTest::newRow("exponent without digits") << QByteArray("1e+") << 3 << "expected a digit in the exponent";
    QTest::newRow("bad literal") << QByteArray("[tru]") << 1 << "invalid literal";
    QTest::newRow("NaN") << QByteArray("NaN") << 0 << "expected a JSON value";
    QTest::newRow("comment") << QByteArray("{} // c") << 3 << "trailing characters";
    QTest::newRow("raw newline in string") << QByteArray("\"a\nb\"") << 2 << "control character U+000A";
    QTest::newRow("raw tab in string") << QByteArray("\"\t\"") << 1 << "control character U+0009";
    QTest::newRow("bad escape") << QByteArray(R"(["\x"])") << 2 << "invalid escape '\\x'";
    QTest::newRow("short unicode escape") << QByteArray(R"("\u12")") << 1 << "expected 4 hex digits";
    QTest::newRow("lone high surrogate") << QByteArray(R"("a\ud83d")") << 2 << "lone surrogate";
    QTest::newRow("lone low surrogate") << QByteArray(R"("\ude00x")") << 1 << "lone surrogate";
    QTest::newRow("high then non-low") << QByteArray(R"("\ud83d\u0041")") << 1 << "lone surrogate";
    QTest::newRow("unclosed object") << QByteArray(R"({"a":1)") << 6 << "expected ',' or '}'";
    QTest::newRow("unclosed array") << QByteArray("[1") << 2 << "expected ',' or ']'";
    QTest::newRow("byte order mark") << QByteArray("\xEF\xBB\xBF{}") << 0 << "byte order mark";
    QTest::newRow("close without open") << QByteArray("]") << 0 << "unexpected ']'";
    QTest::newRow("non-whitespace control") << QByteArray("\f{}") << 0 << "expected a JSON value";
}

void TestJson::reportsErrorsAtTheirOffset()
{
    QFETCH(QByteArray, source);
    QFETCH(int, offset);
    QFETCH(QString, message);
    const auto document = parseJson(source);
    QVERIFY(!document.ok());
    QVERIFY(!document.root.has_value());
    QVERIFY(document.error.has_value());
    QVERIFY2(document.error->message.contains(message), qPrintable(document.error->message));
    QCOMPARE(document.error->offset, qsizetype(offset));
}

void TestJson::rejectsDeepNestingWithoutOverflow()
{
    const QByteArray open(10000, '[');
    auto document = parseJson(open);
    QVERIFY(!document.ok());
    QCOMPARE(document.error->offset, qsizetype(512));
    QVERIFY(document.error->message.contains(QStringLiteral("512")));

    document = parseJson(open + QByteArray(10000, ']'));
    QVERIFY(!document.ok());
    QCOMPARE(document.error->offset, qsizetype(512));

    QByteArray objects;
    for (int i = 0; i < 10000; ++i)
        objects += "{\"a\":";
    document = parseJson(objects, 100);
    QVERIFY(!document.ok());
    QCOMPARE(document.error->offset, qsizetype(100 * 5));

    // A caller cannot ask for unbounded depth: the tree would recurse when destroyed.
    document = parseJson(open + QByteArray(10000, ']'), 1000000);
    QVERIFY(!document.ok());
}

void TestJson::acceptsNestingUpToTheLimit()
{
    const auto document = parseJson(QByteArray(512, '[') + QByteArray(512, ']'));
    QVERIFY(document.ok());
    const auto deeper = parseJson(QByteArray(513, '[') + QByteArray(513, ']'));
    QVERIFY(!deeper.ok());
    QCOMPARE(deeper.error->offset, qsizetype(512));
}

void TestJson::rejectsInvalidUtf8_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<int>("offset");
    QTest::addColumn<QString>("why");
    QTest::newRow("overlong two bytes") << QByteArray("[\"ab\xC0\xAF\"]") << 4 << "overlong";
    QTest::newRow("overlong three bytes") << QByteArray("\"\xE0\x80\xAF\"") << 1 << "overlong";
    QTest::newRow("overlong four bytes") << QByteArray("\"\xF0\x80\x80\xAF\"") << 1 << "overlong";
    QTest::newRow("encoded surrogate") << QByteArray("\"\xED\xA0\x80\"") << 1 << "surrogate";
    QTest::newRow("above U+10FFFF") << QByteArray("\"\xF4\x90\x80\x80\"") << 1 << "above U+10FFFF";
    QTest::newRow("F5 lead byte") << QByteArray("\"\xF5\x80\x80\x80\"") << 1 << "above U+10FFFF";
    QTest::newRow("FF byte") << QByteArray("\"x\xFF\"") << 2 << "never appears";
    QTest::newRow("lone continuation") << QByteArray("{\"k\":\"\x80\"}") << 6 << "continuation";
    QTest::newRow("truncated at the quote") << QByteArray("\"\xE2\x82\"") << 1 << "truncated";
    QTest::newRow("truncated by ASCII") << QByteArray("\"\xE2\x82x\"") << 1 << "truncated";
    QTest::newRow("in a member name") << QByteArray("{\"\xC3\":1}") << 2 << "truncated";
    QTest::newRow("offset 17") << QByteArray("{\"name\":\"abcdefg\xC1\x81\"}") << 16 << "overlong";
}

void TestJson::rejectsInvalidUtf8()
{
    QFETCH(QByteArray, source);
    QFETCH(int, offset);
    QFETCH(QString, why);
    const auto document = parseJson(source);
    QVERIFY(!document.ok());
    QCOMPARE(document.error->offset, qsizetype(offset));
    QVERIFY2(document.error->message.startsWith(QStringLiteral("invalid UTF-8 at byte %1").arg(offset)),
             qPrintable(document.error->message));
    QVERIFY2(document.error->message.contains(why), qPrintable(document.error->message));
}

void TestJson::acceptsWellFormedUtf8()
{
    const QByteArray source = "{\"n\xC3\xA9\":\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF\"}";
    const auto document = parseJson(source);
    QVERIFY2(document.ok(), qPrintable(document.error ? document.error->message : QString()));
    const JsonMember& member = document.root->members.at(0);
    QCOMPARE(member.name, QStringLiteral("n\u00e9"));
    QCOMPARE(member.value.string, QString::fromUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
}

void TestJson::decodesEscapesAndSurrogatePairs_data()
{
    QTest::addColumn<QByteArray>("source");
    QTest::addColumn<QString>("decoded");
    QTest::newRow("simple escapes") << QByteArray(R"("\"\\\/\b\f\n\r\t")") << QStringLiteral("\"\\/\b\f\n\r\t");
    QTest::newRow("latin") << QByteArray(R"("caf\u00e9")") << QStringLiteral("caf\u00e9");
    QTest::newRow("upper-case hex") << QByteArray(R"("\u00C9")") << QStringLiteral("\u00c9");
    QTest::newRow("surrogate pair") << QByteArray(R"("\ud83d\ude00")") << QString::fromUtf8("\xF0\x9F\x98\x80");
    QTest::newRow("nul") << QByteArray(R"("a\u0000b")") << QStringView(u"a\0b", 3).toString();
    QTest::newRow("escape then raw UTF-8") << QByteArray("\"\\n\xC3\xA9\"") << QStringLiteral("\n\u00e9");
    QTest::newRow("plain") << QByteArray(R"("plain")") << QStringLiteral("plain");
}

void TestJson::decodesEscapesAndSurrogatePairs()
{
    QFETCH(QByteArray, source);
    QFETCH(QString, decoded);
    const auto document = parseJson(source);
    QVERIFY2(document.ok(), qPrintable(document.error ? document.error->message : QString()));
    QVERIFY(document.root->isString());
    QCOMPARE(document.root->string, decoded);
    QCOMPARE(document.root->raw, source);
}

void TestJson::keepsSpansOfValuesAndNames()
{
    const QByteArray source = " { \"a\" : [ 1 , true ] , \"b\" : { } } ";
    const auto document = parseJson(source);
    QVERIFY(document.ok());
    const JsonValue& root = *document.root;
    QCOMPARE(root.span, (JsonSpan{1, source.size() - 1}));
    const JsonMember& a = root.members.at(0);
    QCOMPARE(slice(source, a.nameSpan), QByteArray("\"a\""));
    QCOMPARE(a.rawName, QByteArray("\"a\""));
    QCOMPARE(slice(source, a.value.span), QByteArray("[ 1 , true ]"));
    QCOMPARE(slice(source, a.span()), QByteArray("\"a\" : [ 1 , true ]"));
    QCOMPARE(slice(source, a.value.items.at(1).span), QByteArray("true"));
    QCOMPARE(slice(source, root.members.at(1).value.span), QByteArray("{ }"));
}

void TestJson::prettyPrintsInSourceOrderWithExactSpans()
{
    const QByteArray source = R"({"z":1e3,"a":[true,null,"x\u00e9"],"n":{"k":-0}})";
    const auto document = parseJson(source);
    QVERIFY(document.ok());
    const PrettyJson pretty = prettyPrint(*document.root);
    const QString expected = QStringLiteral("{\n"
                                            "  \"z\": 1e3,\n"
                                            "  \"a\": [\n"
                                            "    true,\n"
                                            "    null,\n"
                                            "    \"x\\u00e9\"\n"
                                            "  ],\n"
                                            "  \"n\": {\n"
                                            "    \"k\": -0\n"
                                            "  }\n"
                                            "}");
    QCOMPARE(pretty.text, expected);

    qsizetype previousEnd = 0;
    int scalars = 0;
    int keys = 0;
    for (const HighlightSpan& span : pretty.spans) {
        QVERIFY(span.text.begin >= previousEnd); // in text order, not overlapping
        previousEnd = span.text.end;
        const QString shown = pretty.text.mid(span.text.begin, span.text.size());
        const QString source_slice = QString::fromUtf8(slice(source, span.source));
        switch (span.kind) {
        case HighlightSpan::Kind::Key:
            ++keys;
            QCOMPARE(shown, source_slice);
            QVERIFY(span.member.size() > 0);
            break;
        case HighlightSpan::Kind::String:
        case HighlightSpan::Kind::Number:
        case HighlightSpan::Kind::Literal:
            ++scalars;
            QCOMPARE(shown, source_slice);
            QVERIFY(span.member.size() > 0); // every scalar here sits inside a member
            break;
        case HighlightSpan::Kind::Punctuation:
            QVERIFY2(source_slice.contains(shown), qPrintable(shown + QLatin1String(" in ") + source_slice));
            break;
        }
    }
    QCOMPARE(keys, 4);
    QCOMPARE(scalars, 5);

    // The "true" inside "a" belongs to the member "a" (name through value).
    const auto isTrue = [&](const HighlightSpan& s) { return pretty.text.mid(s.text.begin, s.text.size()) == u"true"; };
    const auto trueSpan = std::find_if(pretty.spans.begin(), pretty.spans.end(), isTrue);
    QVERIFY(trueSpan != pretty.spans.end());
    QCOMPARE(slice(source, trueSpan->member), QByteArray(R"("a":[true,null,"x\u00e9"])"));
    // The outermost braces belong to no member.
    QCOMPARE(pretty.spans.front().member, JsonSpan());
    QCOMPARE(pretty.spans.back().member, JsonSpan());
}

void TestJson::prettyPrintsEmptyContainersAndScalars()
{
    QCOMPARE(prettyPrint(*parseJson("{}").root).text, QStringLiteral("{}"));
    QCOMPARE(prettyPrint(*parseJson(" [ ] ").root).text, QStringLiteral("[]"));
    QCOMPARE(prettyPrint(*parseJson(R"({"a":{},"b":[]})").root).text,
             QStringLiteral("{\n  \"a\": {},\n  \"b\": []\n}"));
    QCOMPARE(prettyPrint(*parseJson("12.50").root).text, QStringLiteral("12.50"));
    QCOMPARE(prettyPrint(*parseJson("[1,[2]]").root, 4).text, QStringLiteral("[\n    1,\n    [\n        2\n    ]\n]"));
    // Non-ASCII text: spans count UTF-16 units.
    const auto emoji = prettyPrint(*parseJson("[\"\xF0\x9F\x98\x80\",1]").root);
    QCOMPARE(emoji.spans.at(1).text.size(), qsizetype(4)); // quote, surrogate pair, quote
    QCOMPARE(emoji.spans.at(1).source.size(), qsizetype(6)); // quote, four bytes, quote
}

void TestJson::compactsInSourceOrderWithRawLiterals()
{
    const auto document = parseJson(" { \"b\" : 1E3 , \"a\" : [ 1 , \"\\u00e9\" , false , null , { } ] , \"b\" : 2 } ");
    QVERIFY(document.ok());
    QCOMPARE(document.root->toCompactJson(), QByteArray(R"({"b":1E3,"a":[1,"\u00e9",false,null,{}],"b":2})"));
    QCOMPARE(document.root->member(u"a")->toCompactJson(), QByteArray(R"([1,"\u00e9",false,null,{}])"));

    // Values built in code (no source) are written from their decoded form.
    JsonValue built;
    built.kind = JsonValue::Kind::Object;
    JsonMember member;
    member.name = QStringLiteral("t\"x");
    member.value.kind = JsonValue::Kind::String;
    member.value.string = QStringLiteral("line\n");
    built.members.push_back(member);
    QCOMPARE(built.toCompactJson(), QByteArray(R"({"t\"x":"line\n"})"));
}

void TestJson::compactFormReparsesToItself()
{
    const QByteArray source = "{\"a\":[1,2.5e-3,{\"\\u0041\":\"\xC3\xA9\\t\"}],\"b\":{\"c\":[[[]]]},\"d\":-0}";
    const auto first = parseJson(source);
    QVERIFY(first.ok());
    const QByteArray compact = first.root->toCompactJson();
    QCOMPARE(compact, source);
    const auto second = parseJson(compact);
    QVERIFY(second.ok());
    QCOMPARE(second.root->toCompactJson(), compact);
}

void TestJson::quotesStrings_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QByteArray>("quoted");
    QTest::newRow("plain") << QStringLiteral("abc") << QByteArray("\"abc\"");
    QTest::newRow("escapes") << QStringLiteral("a\"b\\c\nd\te") << QByteArray(R"("a\"b\\c\nd\te")");
    QTest::newRow("control") << QString(QChar(0x01)) << QByteArray(R"("\u0001")");
    QTest::newRow("non-ASCII as UTF-8") << QStringLiteral("\u00e9") << QByteArray("\"\xC3\xA9\"");
    QTest::newRow("surrogate pair") << QString::fromUtf8("\xF0\x9F\x98\x80") << QByteArray("\"\xF0\x9F\x98\x80\"");
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << QByteArray("\"\xEF\xBF\xBD\"");
    QTest::newRow("empty") << QString() << QByteArray("\"\"");
}

void TestJson::quotesStrings()
{
    QFETCH(QString, text);
    QFETCH(QByteArray, quoted);
    QCOMPARE(jsonQuote(text), quoted);
    const auto document = parseJson(quoted);
    QVERIFY(document.ok());
}

QTEST_GUILESS_MAIN(TestJson)
#include "TestJson.moc"
