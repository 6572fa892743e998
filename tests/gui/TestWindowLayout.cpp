// Every window a person meets fits a small laptop: the main window, the key manager, the key wizard, Settings and
// the signing editor can be made as small as 1024×600 with nothing forced off screen, and each opens fully on a
// 1024×600 screen. Minimum sizes are what the layouts allow (minimumSizeHint, or a minimum size that was set).

#include "KeychainTestFixture.h"
#include "keys/KeyManagerWindow.h"
#include "keys/KeyWizard.h"
#include "keystore/KeyStore.h"
#include "shell/MainWindow.h"
#include "shell/SettingsDialog.h"
#include "sign/SigningEditor.h"
#include "teach/GuidedTour.h"
#include "token/TokenEditor.h"
#include "verify/VerifyPanel.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace jwti;

namespace {

constexpr int kSmallWidth = 1024;
constexpr int kSmallHeight = 600;

// What a layout lets the window shrink to: the larger of its minimum size and its minimum size hint.
QSize smallestSize(const QWidget* widget)
{
    return widget->minimumSize().expandedTo(widget->minimumSizeHint());
}

} // namespace

class TestWindowLayout : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void windowsShrinkTo1024x600_data();
    void windowsShrinkTo1024x600();
    void signingEditorIsUsableInA1024x600Window();
    void tourOpensWithoutWideningTheWindow();
    void nothingScrollsSidewaysAt1024WithTheTourOpen();
    void windowsOpenWithinA1024x600Screen_data();
    void windowsOpenWithinA1024x600Screen();
    void cleanupTestCase();

private:
    QWidget* make(const QString& which);

    KeychainTestFixture m_keychain;
    KeyStore* m_store = nullptr;
    std::vector<QWidget*> m_made;
};

void TestWindowLayout::initTestCase()
{
    QVERIFY2(m_keychain.start(), qPrintable(m_keychain.problem()));
    m_store = new KeyStore(this);
}

void TestWindowLayout::cleanupTestCase()
{
    for (QWidget* widget : m_made)
        delete widget;
}

QWidget* TestWindowLayout::make(const QString& which)
{
    QWidget* widget = nullptr;
    if (which == QLatin1String("main"))
        widget = new MainWindow(MainWindow::Options::NoSettings);
    else if (which == QLatin1String("keys"))
        widget = new KeyManagerWindow(m_store);
    else if (which == QLatin1String("wizard"))
        widget = new KeyWizard(m_store);
    else if (which == QLatin1String("settings"))
        widget = new SettingsDialog(AppSettings());
    if (widget)
        m_made.push_back(widget);
    return widget;
}

void TestWindowLayout::windowsShrinkTo1024x600_data()
{
    QTest::addColumn<QString>("which");
    QTest::newRow("main window") << QStringLiteral("main");
    QTest::newRow("key manager") << QStringLiteral("keys");
    QTest::newRow("key wizard") << QStringLiteral("wizard");
    QTest::newRow("settings") << QStringLiteral("settings");
}

void TestWindowLayout::windowsShrinkTo1024x600()
{
    QFETCH(QString, which);
    QWidget* widget = make(which);
    QVERIFY(widget);
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget));
    const QSize smallest = smallestSize(widget);
    qInfo("%s: smallest %dx%d", qPrintable(which), smallest.width(), smallest.height());
    QVERIFY2(smallest.width() <= kSmallWidth,
             qPrintable(QStringLiteral("%1 cannot be narrower than %2 px").arg(which).arg(smallest.width())));
    QVERIFY2(smallest.height() <= kSmallHeight,
             qPrintable(QStringLiteral("%1 cannot be lower than %2 px").arg(which).arg(smallest.height())));
    widget->resize(kSmallWidth, kSmallHeight);
    QTRY_COMPARE(widget->size(), QSize(kSmallWidth, kSmallHeight));
    widget->hide();
}

void TestWindowLayout::signingEditorIsUsableInA1024x600Window()
{
    // The editor is a side panel: at 1024×600 it scrolls up and down, never sideways, and its JSON boxes show a
    // whole header and several payload lines rather than two clipped ones.
    auto* window = static_cast<MainWindow*>(make(QStringLiteral("main")));
    window->resize(kSmallWidth, kSmallHeight);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->showSigning();
    auto* scroll = window->findChild<QScrollArea*>(QStringLiteral("signScroll"));
    QVERIFY(scroll);
    QTRY_VERIFY(scroll->isVisible());
    QVERIFY2(window->signingEditor()->minimumSizeHint().width() <= scroll->viewport()->width(),
             qPrintable(QStringLiteral("the signing editor needs %1 px of %2")
                            .arg(window->signingEditor()->minimumSizeHint().width())
                            .arg(scroll->viewport()->width())));
    QTRY_VERIFY(!scroll->horizontalScrollBar()->isVisible());
    auto* header = window->signingEditor()->findChild<QPlainTextEdit*>(QStringLiteral("signHeaderEdit"));
    QVERIFY(header);
    const int line = header->fontMetrics().lineSpacing();
    QVERIFY2(
        header->height() >= 5 * line, // "{", alg, typ, kid, "}"
        qPrintable(
            QStringLiteral("the header box is %1 px, %2 lines").arg(header->height()).arg(header->height() / line)));
    window->hide();
}

void TestWindowLayout::tourOpensWithoutWideningTheWindow()
{
    auto* window = static_cast<MainWindow*>(make(QStringLiteral("main")));
    window->resize(kSmallWidth, kSmallHeight);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->showGuidedTour();
    QVERIFY(window->guidedTour());
    QTRY_VERIFY(window->guidedTour()->isVisible());
    // By the time its sample is made and shown, every layout request the dock posted has been handled.
    QTRY_VERIFY(window->guidedTour()->isSampleReady());
    QCOMPARE(window->size(), QSize(kSmallWidth, kSmallHeight));
    window->guidedTour()->leave();
    window->hide();
}

void TestWindowLayout::nothingScrollsSidewaysAt1024WithTheTourOpen()
{
    // The narrowest the panes get: a 1024-wide window with the tour docked beside them. The verify panel and the
    // claims table fit their width (wrapping or eliding, the tooltip has the rest), and the token box keeps 4 lines.
    auto* window = static_cast<MainWindow*>(make(QStringLiteral("main")));
    window->resize(kSmallWidth, kSmallHeight);
    window->show();
    QVERIFY(QTest::qWaitForWindowExposed(window));
    window->showGuidedTour();
    QTRY_VERIFY(window->guidedTour()->isVisible() && window->guidedTour()->isSampleReady());
    window->showDetailTab(MainWindow::DetailTab::Claims);
    window->showVerify();

    auto* verify = window->findChild<QScrollArea*>(QStringLiteral("verifyScroll"));
    QVERIFY(verify);
    QTRY_VERIFY(verify->isVisible());
    QVERIFY2(window->verifyPanel()->minimumSizeHint().width() <= verify->viewport()->width(),
             qPrintable(QStringLiteral("the verify panel needs %1 px of %2")
                            .arg(window->verifyPanel()->minimumSizeHint().width())
                            .arg(verify->viewport()->width())));
    QTRY_VERIFY(!verify->horizontalScrollBar()->isVisible());
    QVERIFY(window->verifyPanel()->width() <= verify->viewport()->width());

    auto* claims = window->findChild<QTableView*>(QStringLiteral("claimsTable"));
    QVERIFY(claims);
    QTRY_VERIFY(claims->isVisible() && claims->model()->rowCount() > 0);
    QTRY_COMPARE(claims->horizontalScrollBar()->maximum(), 0);
    QVERIFY(!claims->horizontalScrollBar()->isVisible());
    int columns = 0;
    for (int column = 0; column < claims->model()->columnCount(); ++column)
        columns += claims->columnWidth(column);
    QVERIFY2(
        columns <= claims->viewport()->width(),
        qPrintable(QStringLiteral("claims columns take %1 px of %2").arg(columns).arg(claims->viewport()->width())));

    const int line = window->tokenEditor()->fontMetrics().lineSpacing();
    QVERIFY2(
        window->tokenEditor()->viewport()->height() >= 4 * line,
        qPrintable(
            QStringLiteral("the token box shows %1 lines").arg(window->tokenEditor()->viewport()->height() / line)));
    window->guidedTour()->leave();
    window->hide();
}

void TestWindowLayout::windowsOpenWithinA1024x600Screen_data()
{
    QTest::addColumn<QString>("which");
    QTest::newRow("main window") << QStringLiteral("main");
    QTest::newRow("key manager") << QStringLiteral("keys");
    QTest::newRow("key wizard") << QStringLiteral("wizard");
    QTest::newRow("settings") << QStringLiteral("settings");
}

void TestWindowLayout::windowsOpenWithinA1024x600Screen()
{
    QFETCH(QString, which);
    QWidget* widget = make(which);
    QVERIFY(widget);
    // The test's screen is 1024×600 (main below): each window sizes itself for the screen it opens on.
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget));
    const QRect opened = widget->frameGeometry();
    const QRect screen = widget->screen()->availableGeometry();
    QCOMPARE(screen.size(), QSize(kSmallWidth, kSmallHeight));
    QVERIFY2(screen.contains(opened),
             qPrintable(QStringLiteral("%1 opens at %2x%3 at (%4, %5)")
                            .arg(which)
                            .arg(opened.width())
                            .arg(opened.height())
                            .arg(opened.x())
                            .arg(opened.y())));
    widget->hide();
}

// The offscreen platform's screen is 800×600 unless told otherwise: this test's screen is a small laptop's.
int main(int argc, char** argv)
{
    QTemporaryDir configDir;
    const QString config = configDir.filePath(QStringLiteral("screen.json"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return 1;
    file.write(QStringLiteral(R"({"screens": [{"name": "small", "x": 0, "y": 0, "width": %1, "height": %2,
                                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]})")
                   .arg(kSmallWidth)
                   .arg(kSmallHeight)
                   .toUtf8());
    file.close();
    qputenv("QT_QPA_PLATFORM", QByteArray("offscreen:configfile=") + QFile::encodeName(config));
    QApplication app(argc, argv);
    TestWindowLayout test;
    return QTest::qExec(&test, argc, argv);
}
#include "TestWindowLayout.moc"
