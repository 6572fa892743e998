// A 1 MiB token pasted must not freeze the window. Times are measured and logged (the bench judges them);
// this test checks only that the huge token is decoded (off the UI thread) and shown, and that typing into it stays
// debounced.
#include "core/jose/Base64Url.h"
#include "core/model/TokenDocument.h"
#include "shell/MainWindow.h"
#include "token/JsonView.h"
#include "token/TokenEditor.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace jwti;

namespace {

// Watches the event loop: the longest gap between two ticks of a 5 ms timer is the worst stall.
class StallMeter : public QObject
{
public:
    StallMeter()
    {
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 elapsed = m_clock.restart();
            m_worst = std::max(m_worst, elapsed);
            ++m_ticks;
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 worst() const { return m_worst; }
    int ticks() const { return m_ticks; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_worst = 0;
    int m_ticks = 0;
};

QString hugeToken(bool manyMembers)
{
    QByteArray payload = "{\"sub\":\"big\"";
    if (manyMembers) {
        for (int i = 0; payload.size() < 790 * 1024; ++i)
            payload += ",\"claim" + QByteArray::number(i) + "\":" + QByteArray::number(i);
    } else {
        payload += ",\"data\":\"" + QByteArray(790 * 1024, 'x') + '"';
    }
    payload += '}';
    return QString::fromLatin1(Base64Url::encode(R"({"alg":"HS256","typ":"JWT"})") + '.' + Base64Url::encode(payload)
                               + '.' + Base64Url::encode(QByteArray(32, '\x5a')));
}

} // namespace

class TestLargeToken : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void showsAOneMebibyteTokenPasted_data()
    {
        QTest::addColumn<bool>("manyMembers");
        QTest::newRow("one long string") << false;
        QTest::newRow("many members") << true;
    }

    void showsAOneMebibyteTokenPasted()
    {
        QFETCH(bool, manyMembers);
        MainWindow window(MainWindow::Options::NoSettings);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString token = hugeToken(manyMembers);
        QVERIFY(token.size() >= 1024 * 1024);

        QApplication::clipboard()->setText(token);
        StallMeter meter;
        QSignalSpy changed(window.document(), &TokenDocument::tokenChanged);
        QSignalSpy decoding(window.document(), &TokenDocument::decodingChanged);
        QElapsedTimer clock;
        clock.start();
        window.tokenEditor()->setFocus();
        window.tokenEditor()->paste();
        // A huge paste is decoded after the debounce, off the UI thread; wait for it, then for the first paint.
        QVERIFY(changed.count() > 0 || changed.wait(30000));
        const qint64 decoded = clock.elapsed();
        QApplication::processEvents();
        const qint64 shown = clock.elapsed();
        // The meter ticks a few times more, so a stall in the paints that follow the decode is measured too.
        const int ticksWhenShown = meter.ticks();
        QTRY_VERIFY(meter.ticks() >= ticksWhenShown + 5);
        qInfo("1 MiB token (%s, %lld chars): decoded after %lld ms, shown after %lld ms, worst event-loop stall "
              "%lld ms",
              manyMembers ? "many members" : "one long string", qlonglong(token.size()), decoded, shown, meter.worst());
        // The window said it was decoding, and is done.
        QVERIFY(decoding.count() >= 2);
        QVERIFY(!window.document()->isDecoding());

        QCOMPARE(window.document()->text().size(), token.size());
        QVERIFY(window.document()->token().errors.empty());
        QVERIFY(window.findChild<JsonView*>(QStringLiteral("payloadView"))->text().contains(QLatin1String("\"sub\"")));

        // The editor shows the start of it, read-only, and says so; the document has all of it.
        QVERIFY(window.tokenEditor()->isShowingPreview());
        QVERIFY(window.tokenEditor()->isReadOnly());
        QCOMPARE(window.tokenEditor()->tokenText(), token);
        QVERIFY(!window.findChild<QLabel*>(QStringLiteral("largeTokenBanner"))->isHidden());

        // Clearing it brings back an ordinary editor.
        window.loadToken(QString());
        QVERIFY(!window.tokenEditor()->isShowingPreview());
        QVERIFY(!window.tokenEditor()->isReadOnly());
    }

    void typingIntoALongTokenIsDebounced()
    {
        MainWindow window(MainWindow::Options::NoSettings);
        const QString token
            = QString::fromLatin1(Base64Url::encode(R"({"alg":"HS256"})") + '.'
                                  + Base64Url::encode("{\"d\":\"" + QByteArray(30 * 1024, 'y') + "\"}") + ".c2ln");
        QVERIFY(token.size() > TokenEditor::kDebounceThreshold && token.size() < TokenEditor::kPreviewThreshold);
        window.loadToken(token);
        QVERIFY(!window.tokenEditor()->isShowingPreview());
        QTextCursor cursor = window.tokenEditor()->textCursor();
        cursor.movePosition(QTextCursor::End);
        window.tokenEditor()->setTextCursor(cursor);
        StallMeter meter;
        QElapsedTimer clock;
        clock.start();
        QTest::keyClicks(window.tokenEditor(), QStringLiteral("AB"));
        const qint64 typed = clock.elapsed();
        QTRY_COMPARE(window.document()->text().size(), token.size() + 2);
        qInfo("40 KiB token: typing 2 characters took %lld ms, decoded after %lld ms, worst stall %lld ms", typed,
              clock.elapsed(), meter.worst());
    }
};

QTEST_MAIN(TestLargeToken)
#include "TestLargeToken.moc"
