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
