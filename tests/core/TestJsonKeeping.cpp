// parseJsonKeeping, the verify path's JSON reader (issue 17): it must accept and refuse exactly what parseJson does,
// with the same error at the same offset, and give the kept members exactly as parseJson builds them.
#include "core/jose/Json.h"

#include <QTest>

using namespace jwti;

namespace {

const QLatin1String kClaims[]
    = {QLatin1String("exp"), QLatin1String("nbf"), QLatin1String("iat"), QLatin1String("aud"), QLatin1String("iss")};

// The members of root with a kept name, in order, as compact JSON: what a full parse says about them.
QByteArray keptOf(const JsonValue& root)
{
    QByteArray out;
    for (const JsonMember& member : root.members) {
        if (std::any_of(std::begin(kClaims), std::end(kClaims),
                        [&member](QLatin1String name) { return member.name == name; }))
            out += member.rawName + ':' + member.value.toCompactJson() + ';';
    }
    return out;
}

} // namespace

class TestJsonKeeping : public QObject
{
    Q_OBJECT

private slots:
    void acceptsAndRefusesAsParseJson_data();
    void acceptsAndRefusesAsParseJson();
    void keepsOnlyTheNamedRootMembersInFull();
    void reportsDuplicatesOfKeptNamesOnly();
    void leavesANonObjectRootWhole();
};

void TestJsonKeeping::acceptsAndRefusesAsParseJson_data()
{
    QTest::addColumn<QByteArray>("text");
    auto row = [](const char* tag, const QByteArray& text) { QTest::newRow(tag) << text; };
    row("claims", R"({"sub":"1234567890","name":"John Doe","iat":1516239022,"jti":"t0"})");
    row("every kept claim", R"({"iss":"me","aud":["a","b"],"exp":1e10,"nbf":-0,"iat":1.5e9,"x":{"y":[1,2]}})");
    row("escaped kept name", R"({"\u0065xp":1800000000,"n\u00e4me":"x"})");
    row("kept name with an escaped slash", R"({"ex\/p":1,"exp":2})");
    row("unicode in a skipped member", "{\"name\":\"J\xc3\xb6rg \xf0\x9f\x98\x80\",\"exp\":1}");
    row("nested objects skipped", R"({"a":{"b":{"c":[{"d":null},true,false]}},"exp":1})");
    row("empty containers skipped", R"({"a":{},"b":[],"exp":[]})");
    row("whitespace everywhere", " {\n\t\"exp\" : 1 ,\r\n \"a\" : [ 1 , 2 ] } ");
    row("bad escape in a skipped string", R"({"name":"a\qb","exp":1})");
    row("bad escape in a skipped name", R"({"n\qme":"a","exp":1})");
    row("lone surrogate in a skipped string", R"({"name":"\ud800x","exp":1})");
    row("short unicode escape skipped", R"({"name":"\u12","exp":1})");
    row("invalid UTF-8 in a skipped string", "{\"name\":\"a\xff\",\"exp\":1}");
    row("overlong UTF-8 in a skipped name", "{\"\xc0\xaf\":1}");
    row("truncated UTF-8 in a skipped string", "{\"name\":\"\xe2\x82\",\"exp\":1}");
    row("control character in a skipped string", "{\"name\":\"a\x01\",\"exp\":1}");
    row("leading zero in a skipped number", R"({"n":012,"exp":1})");
    row("bare minus in a skipped number", R"({"n":-,"exp":1})");
    row("dot without digits skipped", R"({"n":1.,"exp":1})");
    row("exponent without digits skipped", R"({"n":1e,"exp":1})");
    row("plus before a skipped number", R"({"n":+1})");
    row("bad literal skipped", R"({"n":tru,"exp":1})");
    row("trailing comma in a skipped array", R"({"n":[1,],"exp":1})");
    row("trailing comma in a skipped object", R"({"n":{"a":1,},"exp":1})");
    row("trailing comma at the root", R"({"exp":1,})");
    row("missing colon after a skipped name", R"({"n" 1})");
    row("missing comma after a skipped member", R"({"n":1 "exp":2})");
    row("unterminated skipped string", R"({"n":"abc)");
    row("unterminated skipped object", R"({"n":{"a":1)");
    row("unterminated root", R"({"exp":1)");
    row("trailing characters", R"({"exp":1} x)");
    row("byte order mark", "\xef\xbb\xbf{\"exp\":1}");
    row("empty", "");
    row("name not a string", R"({exp:1})");
    row("deep nesting skipped", "{\"n\":" + QByteArray(600, '[') + QByteArray(600, ']') + ",\"exp\":1}");
    row("deep nesting kept", "{\"aud\":" + QByteArray(600, '[') + QByteArray(600, ']') + "}");
    row("nesting at the limit skipped", "{\"n\":" + QByteArray(511, '[') + QByteArray(511, ']') + "}");
}

void TestJsonKeeping::acceptsAndRefusesAsParseJson()
{
    QFETCH(QByteArray, text);
    const JsonDocument full = parseJson(text);
    const JsonDocument kept = parseJsonKeeping(text, kClaims);
    QCOMPARE(kept.ok(), full.ok());
    QCOMPARE(kept.error.has_value(), full.error.has_value());
    if (full.error) {
        QCOMPARE(kept.error->offset, full.error->offset);
        QCOMPARE(kept.error->message, full.error->message);
        return;
    }
    QCOMPARE(keptOf(*kept.root), keptOf(*full.root));
    QCOMPARE(kept.root->span.begin, full.root->span.begin);
    QCOMPARE(kept.root->span.end, full.root->span.end);
}

void TestJsonKeeping::keepsOnlyTheNamedRootMembersInFull()
{
    const QByteArray text = R"({"sub":"x","aud":["a",{"exp":5}],"jti":"j","\u0065xp":18,"nbf":{"k":[1,2.50]}})";
    const JsonDocument full = parseJson(text);
    const JsonDocument kept = parseJsonKeeping(text, kClaims);
    QVERIFY(kept.ok());
    QStringList names;
    for (const JsonMember& member : kept.root->members)
        names << member.name;
    QCOMPARE(names, QStringList({"aud", "exp", "nbf"}));
    QVERIFY(!kept.root->member(u"sub"));
    QVERIFY(!kept.root->member(u"jti"));
    for (const QString& name : names) {
        const JsonValue* mine = kept.root->member(name);
        const JsonValue* theirs = full.root->member(name);
        QVERIFY(mine && theirs);
        QCOMPARE(mine->toCompactJson(), theirs->toCompactJson());
        QCOMPARE(mine->span.begin, theirs->span.begin);
        QCOMPARE(mine->span.end, theirs->span.end);
    }
    // Below a kept member everything is built, whatever its name.
    QCOMPARE(kept.root->member(u"aud")->items.at(1).member(u"exp")->toInteger(), 5);
    QCOMPARE(kept.root->member(u"exp")->toInteger(), 18);
}

void TestJsonKeeping::reportsDuplicatesOfKeptNamesOnly()
{
    const QByteArray text = R"({"exp":1,"sub":"a","sub":"b","exp":2})";
    const JsonDocument full = parseJson(text);
    const JsonDocument kept = parseJsonKeeping(text, kClaims);
    QVERIFY(kept.ok());
    QCOMPARE(full.duplicates.size(), std::size_t(2));
    QCOMPARE(kept.duplicates.size(), std::size_t(1));
    QCOMPARE(kept.duplicates.front().path, QStringLiteral("exp"));
    // As in the full tree, the last of repeated members is the one read.
    QCOMPARE(kept.root->member(u"exp")->toInteger(), full.root->member(u"exp")->toInteger());
    QCOMPARE(kept.root->member(u"exp")->toInteger(), 2);
}

void TestJsonKeeping::leavesANonObjectRootWhole()
{
    const QByteArray text = R"([{"sub":"a"},"exp",3])";
    const JsonDocument kept = parseJsonKeeping(text, kClaims);
    QVERIFY(kept.ok());
    QCOMPARE(kept.root->toCompactJson(), parseJson(text).root->toCompactJson());
}

QTEST_GUILESS_MAIN(TestJsonKeeping)
#include "TestJsonKeeping.moc"
