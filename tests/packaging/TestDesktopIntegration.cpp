// One application id names the desktop entry, its icon, the AppStream component, its launchable, the macOS bundle
// id (CMake's JWTI_APP_ID) and the window's desktop file name (ui/shell/Gui.cpp). A desktop matches a running window to
// its menu entry and icon by that id, so one that differs anywhere leaves the window without its name and icon.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

namespace {

QString sourcePath(const QString& relative)
{
    return qEnvironmentVariable("JWTI_SOURCE_DIR") + QLatin1Char('/') + relative;
}

QString readSource(const QString& relative)
{
    QFile file(sourcePath(relative));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

// The id is the desktop entry's file name (the Desktop Entry spec's "desktop file ID").
QString applicationId()
{
    const QStringList desktopFiles
        = QDir(sourcePath(QStringLiteral("packaging/linux"))).entryList({QStringLiteral("*.desktop")}, QDir::Files);
    if (desktopFiles.size() != 1)
        return {};
    return desktopFiles.first().chopped(int(qstrlen(".desktop")));
}

QString desktopEntryValue(const QString& key)
{
    const QString entry = readSource(QStringLiteral("packaging/linux/%1.desktop").arg(applicationId()));
    const QRegularExpression line(QStringLiteral("^%1=(.*)$").arg(key), QRegularExpression::MultilineOption);
    return line.match(entry).captured(1);
}

} // namespace

class TestDesktopIntegration : public QObject
{
    Q_OBJECT

private slots:
    void hasExactlyOneDesktopEntry()
    {
        QVERIFY2(!applicationId().isEmpty(), "packaging/linux must hold exactly one .desktop file");
    }

    void idIsReverseDns()
    {
        // AppStream and the Desktop Entry spec: at least three dot-separated parts, each starting with a letter or
        // underscore; no hyphens (D-Bus activation cannot use them).
        static const QRegularExpression reverseDns(QStringLiteral("^[a-z][a-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){2,}$"));
        QVERIFY2(reverseDns.match(applicationId()).hasMatch(), qPrintable(applicationId()));
    }

    void everyPlaceUsesTheSameId_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        const QString id = applicationId();
        const QString metainfo = QStringLiteral("packaging/linux/%1.metainfo.xml.in").arg(id);
        QTest::newRow("metainfo id") << metainfo << QStringLiteral("<id>%1</id>").arg(id);
        QTest::newRow("metainfo launchable")
            << metainfo << QStringLiteral("<launchable type=\"desktop-id\">%1.desktop</launchable>").arg(id);
        QTest::newRow("metainfo icon") << metainfo << QStringLiteral("<icon type=\"stock\">%1</icon>").arg(id);
        QTest::newRow("CMake JWTI_APP_ID")
            << QStringLiteral("CMakeLists.txt") << QStringLiteral("set(JWTI_APP_ID \"%1\")").arg(id);
        QTest::newRow("window desktop file name")
            << QStringLiteral("ui/shell/Gui.cpp")
            << QStringLiteral("setDesktopFileName(QStringLiteral(\"%1\"))").arg(id);
    }

    void everyPlaceUsesTheSameId()
    {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const QString text = readSource(file);
        QVERIFY2(!text.isEmpty(), qPrintable(file + QStringLiteral(" is missing")));
        QVERIFY2(text.contains(expected), qPrintable(QStringLiteral("%1 lacks %2").arg(file, expected)));
    }

    void metainfoScreenshotsAreTheRealPngsAtTheirRealSize()
    {
        // AppStream shows a screenshot at the size the metainfo declares: it must be the PNG's own, and the PNG must
        // exist in docs/screenshots (JWTI_SCREENSHOT_URL points there on the project's site).
        const QString metainfo = readSource(QStringLiteral("packaging/linux/%1.metainfo.xml.in").arg(applicationId()));
        static const QRegularExpression image(QStringLiteral(
            R"re(<image type="source" width="(\d+)" height="(\d+)">@JWTI_SCREENSHOT_URL@/([^<]+)</image>)re"));
        int count = 0;
        for (auto match = image.globalMatch(metainfo); match.hasNext(); ++count) {
            const QRegularExpressionMatch found = match.next();
            const QString path = QStringLiteral("docs/screenshots/") + found.captured(3);
            QFile png(sourcePath(path));
            QVERIFY2(png.open(QIODevice::ReadOnly), qPrintable(path + QStringLiteral(" is missing")));
            // PNG: an 8-byte signature, then the IHDR chunk (length, type) whose data starts with width and height,
            // big-endian (ISO/IEC 15948 §11.2.2).
            const QByteArray head = png.read(24);
            QVERIFY2(head.size() == 24 && head.startsWith("\x89PNG") && head.mid(12, 4) == "IHDR", qPrintable(path));
            auto bigEndian = [&head](int at) {
                return (quint32(quint8(head[at])) << 24) | (quint32(quint8(head[at + 1])) << 16)
                    | (quint32(quint8(head[at + 2])) << 8) | quint32(quint8(head[at + 3]));
            };
            QCOMPARE(QStringLiteral("%1x%2").arg(bigEndian(16)).arg(bigEndian(20)),
                     QStringLiteral("%1x%2").arg(found.captured(1), found.captured(2)));
        }
        QVERIFY2(count > 0, "the metainfo declares no screenshot");
        QCOMPARE(count, int(metainfo.count(QLatin1String("<image"))));
    }

    void desktopEntryNamesTheIconAndTheInstalledBinary()
    {
        QCOMPARE(desktopEntryValue(QStringLiteral("Icon")), applicationId());
        QCOMPARE(desktopEntryValue(QStringLiteral("TryExec")), QStringLiteral("jwt-inspector"));
        QVERIFY2(desktopEntryValue(QStringLiteral("Exec")).startsWith(QLatin1String("jwt-inspector ")),
                 qPrintable(desktopEntryValue(QStringLiteral("Exec"))));
    }
};

QTEST_GUILESS_MAIN(TestDesktopIntegration)
#include "TestDesktopIntegration.moc"
