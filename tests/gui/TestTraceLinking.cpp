// Linked highlighting both ways: a member pointed at in a JSON view lights exactly the characters the model's
// trace names in the editor, and a character pointed at in the editor lights its member and bytes in the view.
#include "core/jose/Base64Url.h"
#include "core/jose/TokenTrace.h"
#include "core/model/TokenDocument.h"
#include "shell/MainWindow.h"
#include "teach/TraceLinker.h"
#include "token/JsonView.h"
#include "token/TokenEditor.h"

#include <QHelpEvent>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolTip>

using namespace jwti;

namespace {

const QByteArray kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
// Members at every byte offset modulo 3, a nested object, an array, a non-ASCII string.
const QByteArray kPayload = "{\"sub\":\"1234567890\",\"address\":{\"city\":\"Paris\",\"zip\":\"75001\"},"
                            "\"roles\":[\"admin\",\"editor\"],\"nom\":\"Zoë\",\"n\":1}";

QString makeToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature = "c2lnbmF0dXJl")
{
    return QString::fromLatin1(Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.' + signature);
}

const MemberTrace* findMember(const std::vector<MemberTrace>& members, const QString& path)
{
    for (const MemberTrace& member : members) {
        if (member.path == path)
            return &member;
    }
    return nullptr;
}

OffsetRange inputRange(const Token& token, OffsetRange chars)
{
    return {token.inputOffset(chars.begin), token.inputOffset(chars.end - 1) + 1};
}

// What TokenTrace says the editor must light for a member: its characters, the edge ones that also carry a
// neighbour's bits apart.
TokenEditor::TraceHighlight expectedHighlight(const Token& token, const MemberTrace& member)
{
    TokenEditor::TraceHighlight expected;
    OffsetRange owned = member.chars;
    if (member.startsMidGroup) {
        expected.shared.push_back(inputRange(token, {owned.begin, owned.begin + 1}));
        ++owned.begin;
    }
    if (member.endsMidGroup && owned.size() > 0) {
        expected.shared.push_back(inputRange(token, {owned.end - 1, owned.end}));
        --owned.end;
    }
    if (owned.size() > 0)
        expected.owned.push_back(inputRange(token, owned));
    return expected;
}

QString describe(const std::vector<OffsetRange>& ranges)
{
    QStringList parts;
    for (const OffsetRange& range : ranges)
        parts << QStringLiteral("[%1,%2)").arg(range.begin).arg(range.end);
    return parts.join(QLatin1Char(' '));
}

// Where a view's pretty text shows the first byte of a member (its name, or an item's value).
qsizetype viewPositionOf(const PrettyJson& pretty, const MemberTrace& member)
{
    for (const HighlightSpan& span : pretty.spans) {
        if (span.source.begin == member.bytes.begin)
            return span.text.begin;
    }
    return -1;
}

void putCursor(QPlainTextEdit* edit, qsizetype position)
{
    QTextCursor cursor(edit->document());
    cursor.setPosition(int(position));
    edit->setTextCursor(cursor);
}

struct Window
{
    MainWindow window{MainWindow::Options::NoSettings};
    TokenEditor* editor = window.tokenEditor();
    TraceLinker* linker = window.traceLinker();
    JsonView* headerView = window.findChild<JsonView*>(QStringLiteral("headerView"));
    JsonView* payloadView = window.findChild<JsonView*>(QStringLiteral("payloadView"));
    QPlainTextEdit* headerText = window.findChild<QPlainTextEdit*>(QStringLiteral("headerViewText"));
    QPlainTextEdit* payloadText = window.findChild<QPlainTextEdit*>(QStringLiteral("payloadViewText"));
};

} // namespace

class TestTraceLinking : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void pointingAtAMemberLightsTheCharactersTheTraceNames_data()
    {
        QTest::addColumn<QString>("path");
        QTest::newRow("header member") << QStringLiteral("header.alg");
        QTest::newRow("first payload member, starts mid-group") << QStringLiteral("payload.sub");
        QTest::newRow("object member") << QStringLiteral("payload.address");
        QTest::newRow("nested member") << QStringLiteral("payload.address.city");
        QTest::newRow("array item") << QStringLiteral("payload.roles[1]");
        QTest::newRow("non-ASCII string") << QStringLiteral("payload.nom");
        QTest::newRow("last member") << QStringLiteral("payload.n");
    }

    void pointingAtAMemberLightsTheCharactersTheTraceNames()
    {
        QFETCH(QString, path);
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(token);
        const MemberTrace* member = findMember(members, path);
        QVERIFY2(member, qPrintable(path));
        const bool inHeader = path.startsWith(QLatin1String("header"));
        const PrettyJson* pretty
            = inHeader ? w.window.document()->prettyHeader() : w.window.document()->prettyPayload();
        QVERIFY(pretty);
        const qsizetype position = viewPositionOf(*pretty, *member);
        QVERIFY(position >= 0);

        putCursor(inHeader ? w.headerText : w.payloadText, position + 1);

        QCOMPARE(w.linker->tracedPath(), path);
        const TokenEditor::TraceHighlight expected = expectedHighlight(token, *member);
        const TokenEditor::TraceHighlight& lit = w.editor->traceHighlight();
        QVERIFY2(lit.owned == expected.owned, qPrintable(describe(lit.owned) + " vs " + describe(expected.owned)));
        QVERIFY2(lit.shared == expected.shared, qPrintable(describe(lit.shared) + " vs " + describe(expected.shared)));
        QVERIFY(w.linker->description().startsWith(path + QLatin1Char(':')));
        // The view lights the member it was pointed at, and the other view nothing.
        JsonView* view = inHeader ? w.headerView : w.payloadView;
        JsonView* other = inHeader ? w.payloadView : w.headerView;
        QVERIFY(view->tracedMember().size() > 0);
        QCOMPARE(other->tracedMember().size(), 0);
    }

    void everyMemberLightsItsOwnCharacters()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(token);
        QVERIFY(members.size() > 10);
        bool sawStartMid = false;
        bool sawEndMid = false;
        for (const MemberTrace& member : members) {
            const bool inHeader = member.path.startsWith(QLatin1String("header"));
            const PrettyJson* pretty
                = inHeader ? w.window.document()->prettyHeader() : w.window.document()->prettyPayload();
            putCursor(inHeader ? w.headerText : w.payloadText, viewPositionOf(*pretty, member));
            QCOMPARE(w.linker->tracedPath(), member.path);
            const TokenEditor::TraceHighlight expected = expectedHighlight(token, member);
            QVERIFY2(w.editor->traceHighlight().owned == expected.owned, qPrintable(member.path));
            QVERIFY2(w.editor->traceHighlight().shared == expected.shared, qPrintable(member.path));
            sawStartMid |= member.startsMidGroup;
            sawEndMid |= member.endsMidGroup;
        }
        QVERIFY(sawStartMid && sawEndMid);
    }

    void movingTheEditorCursorSelectsTheMemberInTheView_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("memberText");
        QTest::newRow("header member") << QStringLiteral("header.typ") << QStringLiteral("\"typ\": \"JWT\"");
        QTest::newRow("payload member") << QStringLiteral("payload.sub") << QStringLiteral("\"sub\": \"1234567890\"");
        QTest::newRow("nested member") << QStringLiteral("payload.address.city")
                                       << QStringLiteral("\"city\": \"Paris\"");
        QTest::newRow("array item") << QStringLiteral("payload.roles[0]") << QStringLiteral("\"admin\"");
        QTest::newRow("non-ASCII value") << QStringLiteral("payload.nom") << QStringLiteral("\"nom\": \"Zoë\"");
    }

    void movingTheEditorCursorSelectsTheMemberInTheView()
    {
        QFETCH(QString, path);
        QFETCH(QString, memberText);
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(token);
        const MemberTrace* member = findMember(members, path);
        QVERIFY(member);
        // A character inside the member that carries no neighbour's bits.
        const qsizetype character = member->chars.begin + member->chars.size() / 2;
        QSignalSpy described(w.linker, &TraceLinker::descriptionChanged);

        putCursor(w.editor, token.inputOffset(character));

        QCOMPARE(w.linker->tracedPath(), path);
        const bool inHeader = path.startsWith(QLatin1String("header"));
        JsonView* view = inHeader ? w.headerView : w.payloadView;
        JsonView* other = inHeader ? w.payloadView : w.headerView;
        const OffsetRange lit = view->tracedMember();
        QCOMPARE(view->text().mid(lit.begin, lit.size()), memberText);
        QCOMPARE(other->tracedMember().size(), 0);
        QVERIFY(other->tracedExact().empty());

        // The exact bytes: the character's bytes as the view shows them, inside the member.
        const std::optional<CharacterTrace> trace = traceCharacter(token, character);
        QVERIFY(trace);
        QVERIFY(!view->tracedExact().empty());
        QString shownBytes;
        for (const OffsetRange& range : view->tracedExact()) {
            QVERIFY(range.begin >= lit.begin && range.end <= lit.end);
            shownBytes += view->text().mid(range.begin, range.size());
        }
        const Segment& segment = token.segments[size_t(trace->segment)];
        const QString carried = QString::fromUtf8(segment.decoded.bytes.mid(trace->bytes.begin, trace->bytes.size()));
        if (!carried.contains(QChar::ReplacementCharacter))
            QCOMPARE(shownBytes, carried);
        else // a character carrying part of a multi-byte UTF-8 sequence lights that character whole
            QVERIFY2(shownBytes.contains(QStringLiteral("ë")), qPrintable(shownBytes));

        QVERIFY(!described.isEmpty());
        const QString description = w.linker->description();
        QVERIFY2(description.startsWith(path + QStringLiteral(", byte ")), qPrintable(description));
        // Counted from 1, as the person reading it counts.
        QVERIFY2(description.contains(QStringLiteral("character %1 carries bits of").arg(trace->charOffset + 1)),
                 qPrintable(description));
        // The editor lights nothing itself: its cursor already marks the place.
        QVERIFY(w.editor->traceHighlight().isEmpty());
    }

    void everyCharacterOfAJsonSegmentLightsItsBytesInTheView()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        for (int segment = 0; segment < 2; ++segment) {
            const OffsetRange range = token.segments[size_t(segment)].range;
            JsonView* view = segment == 0 ? w.headerView : w.payloadView;
            for (qsizetype character = range.begin; character < range.end; ++character) {
                putCursor(w.editor, token.inputOffset(character));
                const std::optional<CharacterTrace> trace = traceCharacter(token, character);
                QVERIFY(trace);
                if (trace->bytes.size() == 0)
                    continue;
                // Compact JSON: every byte is shown somewhere in the pretty text.
                QVERIFY2(!view->tracedExact().empty(), qPrintable(QString::number(character)));
                for (const OffsetRange& exact : view->tracedExact())
                    QVERIFY(exact.end <= view->text().size());
                QVERIFY(!w.linker->description().isEmpty());
            }
        }
    }

    void aCharacterAtAMemberEdgeNamesBothMembers()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(token);
        const MemberTrace* sub = findMember(members, QStringLiteral("payload.sub"));
        QVERIFY(sub && sub->endsMidGroup);
        // The last character of "sub" carries its last byte and the ',' after it; the ',' belongs to the root,
        // which lights nothing, so the member is "sub" alone.
        putCursor(w.editor, token.inputOffset(sub->chars.end - 1));
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.sub"));
        QCOMPARE(w.payloadView->text().mid(w.payloadView->tracedMember().begin, w.payloadView->tracedMember().size()),
                 QStringLiteral("\"sub\": \"1234567890\""));
    }

    void thePlacesSurvivePasteNoise()
    {
        Window w;
        const QString token = makeToken(kHeader, kPayload);
        const qsizetype dot = token.indexOf(QLatin1Char('.'));
        // "Bearer ", a line break inside the payload: input offsets differ from Token::text offsets.
        const QString noisy
            = QStringLiteral("Bearer ") + token.left(dot + 20) + QStringLiteral("\n  ") + token.mid(dot + 20);
        w.window.loadToken(noisy);
        // The token box shows the token without its noise; Undo gives back the text as given, which it keeps.
        QCOMPARE(w.editor->toPlainText(), token);
        w.editor->undo();
        QCOMPARE(w.editor->toPlainText(), noisy);
        const Token& parsed = w.window.document()->token();
        QVERIFY(!parsed.noise.empty());
        const std::vector<MemberTrace> members = traceMembers(parsed);
        const MemberTrace* member = findMember(members, QStringLiteral("payload.address"));
        QVERIFY(member);
        putCursor(w.payloadText, viewPositionOf(*w.window.document()->prettyPayload(), *member));
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.address"));

        // The lit input characters, noise left out, are exactly the member's characters of the token.
        QString lit;
        std::vector<OffsetRange> ranges = w.editor->traceHighlight().owned;
        ranges.insert(ranges.end(), w.editor->traceHighlight().shared.begin(), w.editor->traceHighlight().shared.end());
        std::sort(ranges.begin(), ranges.end(), [](OffsetRange a, OffsetRange b) { return a.begin < b.begin; });
        for (const OffsetRange& range : ranges)
            lit += noisy.mid(range.begin, range.size());
        lit.remove(QLatin1Char('\n')).remove(QLatin1Char(' '));
        QCOMPARE(lit, QString::fromLatin1(parsed.text.mid(member->chars.begin, member->chars.size())));

        // And the other way: the editor character right after the line break still traces.
        putCursor(w.editor, noisy.indexOf(QLatin1Char('\n')) + 3);
        QVERIFY(!w.linker->tracedPath().isEmpty());
        // The noise itself traces nothing.
        w.linker->traceEditorOffset(noisy.indexOf(QLatin1Char('\n')));
        QVERIFY(w.linker->tracedPath().isEmpty());
        QVERIFY(w.payloadView->tracedExact().empty());
    }

    void aNonJsonPayloadTracesByte_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("hex");
        QTest::newRow("text") << QByteArray("hello, not JSON at all") << false;
        QTest::newRow("binary") << QByteArray("\x00\x01\xfe\xff\x80 binary", 13) << true;
    }

    void aNonJsonPayloadTracesByte()
    {
        QFETCH(QByteArray, payload);
        QFETCH(bool, hex);
        Window w;
        w.window.loadToken(makeToken(kHeader, payload));
        const Token& token = w.window.document()->token();
        QCOMPARE(w.payloadView->content(), hex ? JsonView::Content::Hex : JsonView::Content::Text);
        const OffsetRange range = token.segments[1].range;

        // Editor → view: the bytes a character carries light up where the view shows them.
        const qsizetype character = range.begin + 5;
        putCursor(w.editor, token.inputOffset(character));
        const std::optional<CharacterTrace> trace = traceCharacter(token, character);
        QVERIFY(trace && trace->path.isEmpty());
        QCOMPARE(w.linker->tracedPath(), QString());
        QVERIFY(w.linker->description().startsWith(QStringLiteral("payload, byte ")));
        std::vector<OffsetRange> wanted;
        if (hex) {
            // "00 01 fe": byte i at 3 i, two hex digits each.
            for (qsizetype byte = trace->bytes.begin; byte < trace->bytes.end; ++byte)
                wanted.push_back({3 * byte, 3 * byte + 2});
        } else {
            wanted.push_back(trace->bytes); // ASCII: one byte, one character
        }
        QVERIFY(w.payloadView->tracedExact() == wanted);

        // View → editor: a byte of the view lights the characters that carry it.
        const qsizetype byte = 7;
        putCursor(w.payloadText, hex ? 3 * byte + 1 : byte);
        const std::optional<MemberTrace> expected = traceBytes(token, 1, {byte, byte + 1});
        QVERIFY(expected);
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload"));
        const TokenEditor::TraceHighlight want = expectedHighlight(token, *expected);
        QVERIFY(w.editor->traceHighlight().owned == want.owned);
        QVERIFY(w.editor->traceHighlight().shared == want.shared);
    }

    void aMalformedTokenNeverCrashesAndLightsNothingItCannotTrace_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("not a token") << QStringLiteral("this is not a token at all");
        QTest::newRow("bad characters") << QStringLiteral("*&^%.$#@!.()");
        QTest::newRow("header not JSON") << QString::fromLatin1(Base64Url::encode("nope") + ".e30.sig");
        QTest::newRow("truncated") << makeToken(kHeader, kPayload).left(30);
        QTest::newRow("invalid JSON payload")
            << QString::fromLatin1(Base64Url::encode(kHeader) + '.' + Base64Url::encode("{\"a\":") + ".c2ln");
        QTest::newRow("dots only") << QStringLiteral("...");
    }

    void aMalformedTokenNeverCrashesAndLightsNothingItCannotTrace()
    {
        QFETCH(QString, token);
        Window w;
        w.window.loadToken(token);
        const Token& parsed = w.window.document()->token();
        for (qsizetype position = 0; position <= token.size(); ++position) {
            putCursor(w.editor, position);
            const TokenEditor::TraceHighlight& lit = w.editor->traceHighlight();
            QVERIFY(lit.isEmpty()); // the editor lights only what a view points at
            for (JsonView* view : {w.headerView, w.payloadView}) {
                for (const OffsetRange& range : view->tracedExact())
                    QVERIFY(range.begin >= 0 && range.end <= view->text().size());
            }
        }
        for (QPlainTextEdit* text : {w.headerText, w.payloadText}) {
            for (qsizetype position = 0; position <= text->toPlainText().size(); ++position) {
                putCursor(text, position);
                for (const auto* ranges : {&w.editor->traceHighlight().owned, &w.editor->traceHighlight().shared}) {
                    for (const OffsetRange& range : *ranges)
                        QVERIFY(range.begin >= 0 && range.end <= token.size());
                }
            }
        }
        // A token that is no JWT at all has no segment to trace.
        if (parsed.segments.empty()) {
            QVERIFY(w.linker->tracedPath().isEmpty());
            QVERIFY(w.editor->traceHighlight().isEmpty());
        }
    }

    void aSeparatorLightsNothing()
    {
        Window w;
        const QString token = makeToken(kHeader, kPayload);
        w.window.loadToken(token);
        putCursor(w.editor, 3);
        QVERIFY(!w.payloadView->tracedExact().empty() || !w.headerView->tracedExact().empty());
        // The cursor before the dot names the header's last character; a selection starting at the dot names
        // nothing.
        QTextCursor cursor(w.editor->document());
        cursor.setPosition(int(token.indexOf(QLatin1Char('.'))));
        cursor.setPosition(int(token.indexOf(QLatin1Char('.')) + 1), QTextCursor::KeepAnchor);
        w.editor->setTextCursor(cursor);
        QVERIFY(w.headerView->tracedExact().empty());
        QVERIFY(w.payloadView->tracedExact().empty());
        QVERIFY(w.linker->description().isEmpty());
    }

    void aNewTokenClearsTheOldHighlight()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const std::vector<MemberTrace> members = traceMembers(w.window.document()->token());
        putCursor(w.payloadText,
                  viewPositionOf(*w.window.document()->prettyPayload(),
                                 *findMember(members, QStringLiteral("payload.address.city"))));
        QVERIFY(!w.editor->traceHighlight().isEmpty());
        w.window.loadToken(makeToken(kHeader, "{\"x\":1}"));
        QVERIFY(w.editor->traceHighlight().isEmpty());
        QCOMPARE(w.payloadView->tracedMember().size(), 0);
        QVERIFY(w.linker->tracedPath().isEmpty() || w.linker->tracedPath().startsWith(QLatin1String("payload.x"))
                || w.linker->tracedPath().startsWith(QLatin1String("header")));
    }

    void hoveringTracesAndLeavingGivesTheCursorsTraceBack()
    {
        Window w;
        w.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w.window));
        const QString token = makeToken(kHeader, kPayload);
        w.window.loadToken(token);
        w.window.showDetailTab(MainWindow::DetailTab::Payload);
        const Token& parsed = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(parsed);
        const MemberTrace* sub = findMember(members, QStringLiteral("payload.sub"));
        putCursor(w.editor, parsed.inputOffset(sub->chars.begin + 2));
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.sub"));

        // The mouse over a character of "city" in the editor.
        const MemberTrace* city = findMember(members, QStringLiteral("payload.address.city"));
        QTextCursor at(w.editor->document());
        at.setPosition(int(parsed.inputOffset(city->chars.begin + 2)));
        const QRect rect = w.editor->cursorRect(at);
        const QPoint point(rect.left() + w.editor->fontMetrics().horizontalAdvance(QLatin1Char('M')) / 3,
                           rect.center().y());
        QCOMPARE(w.editor->characterAt(point), parsed.inputOffset(city->chars.begin + 2));
        QSignalSpy hovered(w.editor, &TokenEditor::hoveredOffsetChanged);
        QTest::mouseMove(w.editor->viewport(), point);
        QTRY_VERIFY(!hovered.isEmpty());
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.address.city"));

        // Leaving: the cursor's trace comes back.
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(w.editor->viewport(), &leave);
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.sub"));
    }

    void theEditorsTooltipExplainsTheCharacterUnderTheMouse()
    {
        Window w;
        w.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w.window));
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const std::vector<MemberTrace> members = traceMembers(token);
        const MemberTrace* zip = findMember(members, QStringLiteral("payload.address.zip"));
        QVERIFY(zip);
        const qsizetype offset = token.inputOffset(zip->chars.begin + 2);
        QTextCursor at(w.editor->document());
        at.setPosition(int(offset));
        const QRect rect = w.editor->cursorRect(at);
        const QPoint point(rect.left() + w.editor->fontMetrics().horizontalAdvance(QLatin1Char('M')) / 3,
                           rect.center().y());
        const QPoint inEditor = w.editor->viewport()->mapTo(w.editor, point);
        QHelpEvent help(QEvent::ToolTip, inEditor, w.editor->mapToGlobal(inEditor));
        QCoreApplication::sendEvent(w.editor, &help);
        const std::optional<TraceLinker::EditorTrace> trace = w.linker->traceForEditorOffset(offset);
        QVERIFY(trace);
        QVERIFY2(QToolTip::text().contains(trace->description), qPrintable(QToolTip::text()));
        QVERIFY(trace->description.startsWith(QStringLiteral("payload.address.zip, byte ")));
    }

    void aHugeTokenLightsOnlyWhatTheEditorShows()
    {
        QByteArray payload = "{\"first\":\"here\"";
        for (int i = 0; payload.size() < 120 * 1024; ++i)
            payload += ",\"claim" + QByteArray::number(i) + "\":" + QByteArray::number(i);
        payload += ",\"last\":true}";
        Window w;
        w.window.loadToken(makeToken(kHeader, payload));
        QTRY_VERIFY(!w.window.document()->isDecoding());
        QVERIFY(w.editor->isShowingPreview());
        const Token& token = w.window.document()->token();
        QCOMPARE(token.kind, TokenKind::Jws);
        const std::vector<MemberTrace> members = traceMembers(token);
        const qsizetype shown = w.editor->document()->characterCount() - 1;

        const MemberTrace* first = findMember(members, QStringLiteral("payload.first"));
        QVERIFY(first);
        putCursor(w.payloadText, viewPositionOf(*w.window.document()->prettyPayload(), *first));
        QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.first"));
        QVERIFY(!w.editor->traceHighlight().isEmpty());

        // A member far past the shown start: traced, but nothing beyond the shown text is drawn.
        const MemberTrace* late = findMember(members, QStringLiteral("payload.claim5000"));
        QVERIFY(late && late->chars.begin > shown);
        const qsizetype position = viewPositionOf(*w.window.document()->prettyPayload(), *late);
        if (position >= 0 && position < w.payloadText->document()->characterCount() - 1) {
            putCursor(w.payloadText, position);
            QCOMPARE(w.linker->tracedPath(), QStringLiteral("payload.claim5000"));
        }
        for (const QTextEdit::ExtraSelection& selection : w.editor->extraSelections())
            QVERIFY(selection.cursor.selectionEnd() <= shown);

        // Editor characters in the shown part still trace.
        putCursor(w.editor, token.segments[1].range.begin + 10);
        QVERIFY(!w.linker->tracedPath().isEmpty());
    }
};

QTEST_MAIN(TestTraceLinking)
#include "TestTraceLinking.moc"
