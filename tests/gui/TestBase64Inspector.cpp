// The base64url inspector shows, for the editor's selection, exactly the groups the model's inspectBase64 reads,
// with lookups, bytes, spare bits and problems, capped for a long selection, and copyable.
#include "core/jose/Base64Url.h"
#include "core/jose/TokenTrace.h"
#include "core/model/TokenDocument.h"
#include "shell/MainWindow.h"
#include "teach/Base64Inspector.h"
#include "token/TokenEditor.h"

#include <QApplication>
#include <QClipboard>
#include <QLabel>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTextBrowser>

using namespace jwti;

namespace {

const QByteArray kHeader = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
const QByteArray kPayload = "{\"sub\":\"1234567890\",\"name\":\"Jane Doe\",\"iat\":1516239022}";

QString makeToken(const QByteArray& header, const QByteArray& payload, const QByteArray& signature = "c2lnbmF0dXJl")
{
    return QString::fromLatin1(Base64Url::encode(header) + '.' + Base64Url::encode(payload) + '.' + signature);
}

void select(TokenEditor* editor, qsizetype begin, qsizetype end)
{
    QTextCursor cursor(editor->document());
    cursor.setPosition(int(begin));
    cursor.setPosition(int(end), QTextCursor::KeepAnchor);
    editor->setTextCursor(cursor);
}

struct Window
{
    Window()
    {
        window.show();
        window.showDetailTab(MainWindow::DetailTab::Base64);
    }
    MainWindow window{MainWindow::Options::NoSettings};
    TokenEditor* editor = window.tokenEditor();
    Base64Inspector* inspector = window.base64Inspector();
};

} // namespace

class TestBase64Inspector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void isTheBase64urlTabAfterFindings()
    {
        Window w;
        auto* tabs = w.window.findChild<QTabWidget*>(QStringLiteral("detailTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->widget(int(MainWindow::DetailTab::Base64)), static_cast<QWidget*>(w.inspector));
        QCOMPARE(tabs->currentWidget(), static_cast<QWidget*>(w.inspector));
        QVERIFY(tabs->indexOf(w.inspector)
                > tabs->indexOf(w.window.findChild<QWidget*>(QStringLiteral("findingsList"))));
        auto* action
            = w.window.findChild<QAction*>(QStringLiteral("actionShowTab%1").arg(int(MainWindow::DetailTab::Base64)));
        QVERIFY(action);
        QCOMPARE(action->text(), QStringLiteral("Base64url"));
    }

    void showsTheGroupsTheModelReadsForASelection_data()
    {
        QTest::addColumn<int>("segment");
        QTest::addColumn<int>("from"); // in the segment
        QTest::addColumn<int>("to");
        QTest::newRow("aligned group") << 1 << 4 << 8;
        QTest::newRow("mid-group to mid-group") << 1 << 6 << 15;
        QTest::newRow("one character") << 0 << 9 << 10;
        QTest::newRow("short last group") << 1 << 60 << 75;
        QTest::newRow("signature") << 2 << 0 << 12;
    }

    void showsTheGroupsTheModelReadsForASelection()
    {
        QFETCH(int, segment);
        QFETCH(int, from);
        QFETCH(int, to);
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        const Token& token = w.window.document()->token();
        const Segment& inspected = token.segments[size_t(segment)];
        const qsizetype end = std::min<qsizetype>(to, inspected.encoded.size());
        select(w.editor, inspected.range.begin + from, inspected.range.begin + end);

        QCOMPARE(w.inspector->parts().size(), size_t(1));
        const Base64Inspector::Part& part = w.inspector->parts().front();
        QCOMPARE(part.segment, segment);
        QCOMPARE(part.selection, (OffsetRange{from, end}));
        const std::vector<Base64Group> expected = inspectBase64(inspected.encoded, {from, end});
        QCOMPARE(part.groups.size(), expected.size());
        QCOMPARE(qsizetype(part.groups.size()), part.totalGroups);
        const QString text = w.inspector->plainText();
        for (size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(part.groups[i].chars, expected[i].chars);
            QCOMPARE(part.groups[i].hex, expected[i].hex);
            // Every lookup and the bytes as hex are in what the user reads and copies.
            for (const Base64Character& character : expected[i].details)
                QVERIFY2(text.contains(character.lookup), qPrintable(character.lookup));
            if (!expected[i].hex.isEmpty())
                QVERIFY2(text.contains(QStringLiteral("hex: ") + expected[i].hex), qPrintable(text));
            const QString spare = explainSpareBits(expected[i]);
            if (!spare.isEmpty())
                QVERIFY(text.contains(spare));
        }
        QVERIFY(w.inspector->summary().contains(segmentRoleName(inspected.role)));
    }

    void showsTheAlphabetLookupAndTheBitsSplitIntoBytes()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        // "eyJh" is the first group of every header that starts with {"a: '{' '"' 'a'.
        select(w.editor, 0, 4);
        const QString text = w.inspector->plainText();
        QVERIFY2(text.contains(QStringLiteral("'e' → index 30 → 011110")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("'J' → index 9 → 001001")));
        QVERIFY(text.contains(QStringLiteral("6-bit groups: 011110 110010 001001 100001")));
        QVERIFY(text.contains(QStringLiteral("as bytes: 01111011 00100010 01100001")));
        QVERIFY(text.contains(QStringLiteral("hex: 7b 22 61 · text: {\"a")));
    }

    void theCharacterAtTheCursorWhenNothingIsSelected()
    {
        Window w;
        const QString token = makeToken(kHeader, kPayload);
        w.window.loadToken(token);
        const Token& parsed = w.window.document()->token();
        QTextCursor cursor(w.editor->document());
        cursor.setPosition(int(parsed.segments[1].range.begin + 9));
        w.editor->setTextCursor(cursor);
        QCOMPARE(w.inspector->parts().size(), size_t(1));
        QCOMPARE(w.inspector->parts().front().groups.size(), size_t(1));
        QCOMPARE(w.inspector->parts().front().groups.front().chars, (OffsetRange{8, 12}));
        // Only that character is selected; the rest completes its group.
        int selected = 0;
        for (const Base64Character& character : w.inspector->parts().front().groups.front().details)
            selected += character.selected;
        QCOMPARE(selected, 1);
        QVERIFY(w.inspector->plainText().contains(QStringLiteral("no, completes the group")));

        // At the very end of the token, the last character.
        cursor.movePosition(QTextCursor::End);
        w.editor->setTextCursor(cursor);
        QCOMPARE(w.inspector->parts().size(), size_t(1));
        QCOMPARE(w.inspector->parts().front().segment, 2);
    }

    void aSelectionAcrossSegmentsIsShownPerSegment()
    {
        Window w;
        const QString token = makeToken(kHeader, kPayload);
        w.window.loadToken(token);
        select(w.editor, 0, token.size());
        QCOMPARE(w.inspector->parts().size(), size_t(3));
        QCOMPARE(w.inspector->parts()[0].segment, 0);
        QCOMPARE(w.inspector->parts()[1].segment, 1);
        QCOMPARE(w.inspector->parts()[2].segment, 2);
        QVERIFY(!w.inspector->isCapped());
        // The separators are no base64url: a selection of a dot alone shows nothing.
        const qsizetype dot = token.indexOf(QLatin1Char('.'));
        select(w.editor, dot, dot + 1);
        QVERIFY(w.inspector->parts().empty());
        QVERIFY(w.inspector->summary().contains(QStringLiteral("no base64url characters")));
    }

    void nonCanonicalSpareBitsAreExplained()
    {
        Window w;
        // "e30" is {} with canonical spare bits; "e31" spells the same bytes with a spare bit set.
        const QString token = QString::fromLatin1(Base64Url::encode(kHeader)) + QStringLiteral(".e31.c2ln");
        w.window.loadToken(token);
        const qsizetype payload = token.indexOf(QLatin1Char('.')) + 1;
        select(w.editor, payload, payload + 3);
        QCOMPARE(w.inspector->parts().size(), size_t(1));
        const Base64Group& group = w.inspector->parts().front().groups.front();
        QCOMPARE(group.spareBits, 2);
        QVERIFY(!group.spareBitsZero);
        QVERIFY(w.inspector->plainText().contains(explainSpareBits(group)));
        QVERIFY(w.inspector->plainText().contains(QStringLiteral("[spare bits: 01]")));
        QVERIFY(explainSpareBits(group).contains(QStringLiteral("not canonical")));
    }

    void aCharacterOutsideTheAlphabetIsAProblem()
    {
        Window w;
        QString token = makeToken(kHeader, kPayload);
        const qsizetype bad = token.indexOf(QLatin1Char('.')) + 6;
        token[bad] = QLatin1Char('*');
        w.window.loadToken(token);
        select(w.editor, bad - 1, bad + 1);
        const std::vector<Base64Group>& groups = w.inspector->parts().front().groups;
        QVERIFY(!groups.empty());
        QVERIFY(!groups.front().problem.isEmpty());
        QVERIFY(w.inspector->plainText().contains(QStringLiteral("Problem: ") + groups.front().problem));
        QVERIFY(w.inspector->plainText().contains(QStringLiteral("'*' is not in the base64url alphabet")));
    }

    void aLongSelectionShowsOnlyTheFirstGroups()
    {
        Window w;
        QByteArray payload = "{\"data\":\"" + QByteArray(3000, 'x') + "\"}";
        const QString token = makeToken(kHeader, payload);
        w.window.loadToken(token);
        select(w.editor, 0, token.size());
        QCOMPARE(w.inspector->shownGroups(), Base64Inspector::kMaxGroups);
        QVERIFY(w.inspector->isCapped());
        QVERIFY(w.inspector->totalGroups() > 1000);
        QVERIFY2(w.inspector->summary().contains(QStringLiteral("first %1 of").arg(Base64Inspector::kMaxGroups)),
                 qPrintable(w.inspector->summary()));
        // The header's groups come first, then the payload's until the cap.
        QCOMPARE(w.inspector->parts()[1].groups.size() + w.inspector->parts()[0].groups.size(),
                 size_t(Base64Inspector::kMaxGroups));
        QVERIFY(w.inspector->parts()[2].groups.empty());
    }

    void anUnencodedPayloadIsNotReadAsBase64url()
    {
        Window w;
        const QByteArray header = "{\"alg\":\"HS256\",\"b64\":false,\"crit\":[\"b64\"]}";
        const QString token = QString::fromLatin1(Base64Url::encode(header)) + QStringLiteral(".$02H,.c2ln");
        w.window.loadToken(token);
        QVERIFY(w.window.document()->token().unencodedPayload);
        const Segment& payload = w.window.document()->token().payload;
        select(w.editor, payload.range.begin, payload.range.end);
        QCOMPARE(w.inspector->parts().size(), size_t(1));
        QVERIFY(w.inspector->parts().front().groups.empty());
        QVERIFY(w.inspector->parts().front().note.contains(QStringLiteral("RFC 7797")));
    }

    void copiesWhatItShows()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        select(w.editor, 2, 9);
        auto* copy = w.inspector->findChild<QPushButton*>(QStringLiteral("base64InspectorCopy"));
        QVERIFY(copy && copy->isEnabled());
        QApplication::clipboard()->clear();
        copy->click();
        QCOMPARE(QApplication::clipboard()->text(), w.inspector->plainText());
        auto* view = w.inspector->findChild<QTextBrowser*>(QStringLiteral("base64InspectorText"));
        QVERIFY(view);
        QVERIFY(view->textInteractionFlags() & Qt::TextSelectableByMouse);
        QVERIFY(view->toPlainText().contains(QStringLiteral("alphabet lookup")));
    }

    void waitsUntilShownToFollowTheSelection()
    {
        Window w;
        w.window.loadToken(makeToken(kHeader, kPayload));
        select(w.editor, 0, 4);
        QCOMPARE(w.inspector->parts().front().groups.front().chars, (OffsetRange{0, 4}));
        w.window.showDetailTab(MainWindow::DetailTab::Header);
        select(w.editor, 8, 12);
        // Hidden: the old selection is still what it shows…
        QCOMPARE(w.inspector->parts().front().groups.front().chars, (OffsetRange{0, 4}));
        // …until the tab is shown again.
        w.window.showDetailTab(MainWindow::DetailTab::Base64);
        QCOMPARE(w.inspector->parts().front().groups.front().chars, (OffsetRange{8, 12}));
    }

    void textThatIsNoTokenShowsOneMessageAndNoGroups_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("prose") << QStringLiteral("this is not a token at all, really!");
        QTest::newRow("certificate") << QStringLiteral("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n"
                                                       "-----END CERTIFICATE-----\n");
    }

    void textThatIsNoTokenShowsOneMessageAndNoGroups()
    {
        QFETCH(QString, text);
        Window w;
        w.window.loadToken(text);
        QVERIFY(w.window.document()->isNotAToken());
        select(w.editor, 2, 10);
        QVERIFY(w.inspector->parts().empty());
        QCOMPARE(w.inspector->shownGroups(), 0);
        QCOMPARE(w.inspector->summary(), QStringLiteral("This is not a JWT, so it has no base64url parts to show."));
        // The message alone, as on the Header, Claims and Findings tabs: no empty box, nothing to copy.
        QVERIFY(w.inspector->findChild<QTextBrowser*>(QStringLiteral("base64InspectorText"))->isHidden());
        QVERIFY(w.inspector->findChild<QPushButton*>(QStringLiteral("base64InspectorCopy"))->isHidden());
        // A token again brings the groups back.
        w.window.loadToken(makeToken(kHeader, kPayload));
        select(w.editor, 2, 10);
        QVERIFY(!w.inspector->parts().empty());
        QVERIFY(!w.inspector->findChild<QTextBrowser*>(QStringLiteral("base64InspectorText"))->isHidden());
    }

    void anEmptyOrMalformedTokenNeverCrashes_data()
    {
        QTest::addColumn<QString>("token");
        QTest::newRow("empty") << QString();
        QTest::newRow("not a token") << QStringLiteral("this is not a token");
        QTest::newRow("padding") << QStringLiteral("eyJhbGciOiJub25lIn0=.e30=.");
        QTest::newRow("lone character") << QStringLiteral("eyJhbGciOiJub25lIn0.e.x");
        QTest::newRow("noise") << QStringLiteral("Bearer \"eyJhbGciOiJub25lIn0\n.e30.\"");
    }

    void anEmptyOrMalformedTokenNeverCrashes()
    {
        QFETCH(QString, token);
        Window w;
        w.window.loadToken(token);
        for (qsizetype begin = 0; begin <= token.size(); ++begin) {
            select(w.editor, begin, std::min(begin + 5, token.size()));
            QVERIFY(w.inspector->shownGroups() <= Base64Inspector::kMaxGroups);
            QVERIFY(!w.inspector->summary().isEmpty());
        }
        if (token.isEmpty())
            QVERIFY(w.inspector->summary().contains(QStringLiteral("No token")));
    }
};

QTEST_MAIN(TestBase64Inspector)
#include "TestBase64Inspector.moc"
