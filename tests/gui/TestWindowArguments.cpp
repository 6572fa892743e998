// The installed window's arguments: each one is a token or a file to open. The documentation's screenshot options
// live in tools/screenshots, so the window treats them as ordinary (not-a-token) text.
#include "core/model/TokenDocument.h"
#include "shell/Gui.h"
#include "shell/MainWindow.h"

#include <QStandardPaths>
#include <QTest>

using namespace jwti;

class TestWindowArguments : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void screenshotOptionsAreNotHidden()
    {
        const QStringList args = {QStringLiteral("--screenshot-state"), QStringLiteral("empty"),
                                  QStringLiteral("--screenshot-out"), QStringLiteral("shot.png")};
        const auto windows = openWindows(args, MainWindow::Options::NoSettings);
        QCOMPARE(windows.size(), std::size_t(4));
        for (std::size_t i = 0; i < windows.size(); ++i)
            QTRY_COMPARE(windows[i]->document()->text(), args[qsizetype(i)]);
    }

    void noArgumentsOpenOneEmptyWindow()
    {
        const auto windows = openWindows({}, MainWindow::Options::NoSettings);
        QCOMPARE(windows.size(), std::size_t(1));
        QVERIFY(windows.front()->document()->text().isEmpty());
    }

    void atMostEightWindows()
    {
        QStringList args;
        for (int i = 0; i < 12; ++i)
            args << QStringLiteral("not-a-token-%1").arg(i);
        QCOMPARE(openWindows(args, MainWindow::Options::NoSettings).size(), std::size_t(8));
    }
};

QTEST_MAIN(TestWindowArguments)
#include "TestWindowArguments.moc"
