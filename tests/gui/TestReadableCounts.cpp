// What a person reads about a token that cannot be read: text that is no JWT is named so in one headline; every
// place is counted from 1 and the same in the headline, the problems list and the status bar; the status bar counts
// the characters the token box shows; the problems list never squeezes the token box.

#include "core/model/TokenDocument.h"
#include "core/model/Verdict.h"
#include "shell/MainWindow.h"
#include "token/TokenEditor.h"
#include "verify/VerifyPanel.h"

#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QRegularExpression>
#include <QSplitter>
#include <QStatusBar>
#include <QTest>

using namespace jwti;

namespace {

QStringList problemLines(MainWindow& window)
{
    QStringList lines;
    auto* problems = window.findChild<QListWidget*>(QStringLiteral("tokenProblems"));
    for (int i = 0; problems && i < problems->count(); ++i)
        lines << problems->item(i)->text();
    return lines;
}

// Every "character N" in a text.
QList<int> placesIn(const QString& text)
{
    QList<int> places;
    static const QRegularExpression place(QStringLiteral("character (\\d+)"),
                                          QRegularExpression::CaseInsensitiveOption);
    for (auto match = place.globalMatch(text); match.hasNext();)
        places << match.next().captured(1).toInt();
    return places;
}

} // namespace

class TestReadableCounts : public QObject
{
    Q_OBJECT

private slots:
    void textThatIsNoJwtIsNamedSoOnce();
    void placesCountFromOneEverywhere();
    void statusBarCountsTheCharactersShown();
    void problemsDoNotSqueezeTheTokenBox();
    void rangeSelectionDescribesCharactersAndBytes();
};

void TestReadableCounts::textThatIsNoJwtIsNamedSoOnce()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadToken(QStringLiteral("this is not a token at all, really!"));
    QTRY_COMPARE(window.document()->verdict().outcome, VerdictOutcome::Malformed);
    const QString headline = window.verifyPanel()->headline();
    QVERIFY2(headline.startsWith(QLatin1String("This is not a JWT")), qPrintable(headline));
    QVERIFY2(!headline.contains(QLatin1String("character 0")), qPrintable(headline));
    // The problems list says it once, in the headline's words: no "Character 1: character 0: …", no base64
    // complaints about a sentence.
    const QStringList problems = problemLines(window);
    QCOMPARE(problems, QStringList{headline});
    // The cursor in such text belongs to no header or payload: the status bar traces nothing.
    QTextCursor cursor = window.tokenEditor()->textCursor();
    cursor.setPosition(3);
    window.tokenEditor()->setTextCursor(cursor);
    QVERIFY2(!window.statusBar()->currentMessage().contains(QLatin1String("header")),
             qPrintable(window.statusBar()->currentMessage()));
}

void TestReadableCounts::placesCountFromOneEverywhere()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // A '*' inside the payload: the 60th character.
    const QString token = QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6Ik*vaG4ifQ.c2ln");
    const int place = int(token.indexOf(QLatin1Char('*'))) + 1;
    window.loadToken(token);
    QTRY_COMPARE(window.document()->verdict().outcome, VerdictOutcome::Malformed);
    const QString headline = window.verifyPanel()->headline();
    const QStringList problems = problemLines(window);
    QVERIFY(!problems.isEmpty());
    // The headline and the list name the same first place; the '*' is where a person counts it.
    QCOMPARE(placesIn(headline), placesIn(problems.first()));
    QVERIFY(!placesIn(headline).isEmpty());
    const auto star = std::find_if(problems.begin(), problems.end(),
                                   [](const QString& line) { return line.contains(QLatin1String("'*'")); });
    QVERIFY(star != problems.end());
    QCOMPARE(placesIn(*star), QList<int>{place});
}

void TestReadableCounts::statusBarCountsTheCharactersShown()
{
    MainWindow window(MainWindow::Options::NoSettings);
    const QString given = QStringLiteral("Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.");
    window.loadToken(given);
    auto* summary = window.findChild<QLabel*>(QStringLiteral("statusSummary"));
    QVERIFY(summary);
    // The token box shows the token without its "Bearer " prefix: the count is of what it shows …
    const QString shown = window.tokenEditor()->toPlainText();
    QCOMPARE(shown, given.mid(7));
    QTRY_VERIFY2(summary->text().contains(QStringLiteral("%1 characters").arg(shown.size())),
                 qPrintable(summary->text()));
    // … and of the text as given once Undo brings it back.
    window.tokenEditor()->undo();
    QTRY_VERIFY2(summary->text().contains(QStringLiteral("%1 characters").arg(given.size())),
                 qPrintable(summary->text()));
}

void TestReadableCounts::problemsDoNotSqueezeTheTokenBox()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.resize(1024, 600);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadToken(QStringLiteral("Bearer \"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln*\"\n"));
    QTRY_VERIFY(problemLines(window).size() >= 2);
    const int line = window.tokenEditor()->fontMetrics().lineSpacing();
    QTRY_VERIFY2(window.tokenEditor()->viewport()->height() >= 4 * line,
                 qPrintable(QStringLiteral("the token box shows %1 px, %2 lines")
                                .arg(window.tokenEditor()->viewport()->height())
                                .arg(window.tokenEditor()->viewport()->height() / line)));
}

void TestReadableCounts::rangeSelectionDescribesCharactersAndBytes()
{
    MainWindow window(MainWindow::Options::NoSettings);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.loadToken(QStringLiteral("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"));
    const int marksBefore = int(window.tokenEditor()->extraSelections().size());
    QVERIFY(marksBefore > 0);
    // The token's colours as drawn, without a blinking cursor (the editor does not have the focus).
    window.verifyPanel()->setFocus();
    const int placeBefore = window.tokenEditor()->textCursor().position();
    const QImage drawnBefore = window.tokenEditor()->viewport()->grab().toImage();
    // The first 8 payload characters: characters 22 to 29 of the token, 6 bytes of the decoded payload.
    QTextCursor cursor = window.tokenEditor()->textCursor();
    cursor.setPosition(21);
    cursor.setPosition(29, QTextCursor::KeepAnchor);
    window.tokenEditor()->setTextCursor(cursor);
    QTRY_VERIFY2(window.statusBar()->currentMessage().startsWith(QStringLiteral("Selected characters 22–29")),
                 qPrintable(window.statusBar()->currentMessage()));
    const QString message = window.statusBar()->currentMessage();
    QVERIFY2(message.contains(QStringLiteral("payload characters 1–8")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("bytes 1–6 of the decoded payload")), qPrintable(message));
    // The selection is drawn (so the comparison below can see a difference).
    QTRY_VERIFY(window.tokenEditor()->viewport()->grab().toImage() != drawnBefore);

    // Deselected: every segment's colour and underline is back.
    cursor.clearSelection();
    window.tokenEditor()->setTextCursor(cursor);
    QVERIFY(!window.statusBar()->currentMessage().startsWith(QLatin1String("Selected")));
    QCOMPARE(int(window.tokenEditor()->extraSelections().size()) >= marksBefore, true);
    // Drawn as before, pixel for pixel, once the cursor is back where it was (issue 14 saw them stay black).
    cursor.setPosition(placeBefore);
    window.tokenEditor()->setTextCursor(cursor);
    QVERIFY(window.tokenEditor()->viewport()->grab().toImage() != QImage());
    QTRY_VERIFY(window.tokenEditor()->viewport()->grab().toImage() == drawnBefore);
}

QTEST_MAIN(TestReadableCounts)
#include "TestReadableCounts.moc"
