#include "shell/Gui.h"

#include "shell/AppSettings.h"
#include "shell/DesktopColorScheme.h"
#include "shell/Palette.h"

#include <QApplication>
#include <QIcon>

namespace jwti {

int runGui(int& argc, char** argv, const QStringList& tokensOrFiles)
{
    QApplication app(argc, argv);
    describeApplication();
    // The theme chosen in Settings (by default the desktop's), before any window is made.
    Palette::rememberDesktop(app);
    Palette::apply(app, Palette::themeFromName(AppSettings::load().theme));
    DesktopColorScheme colorScheme;
    colorScheme.start();

    // Every argument is a token or a file to open: the installed window has no hidden options (the documentation's
    // screenshots are taken by tools/screenshots, a program of its own).
    std::vector<std::unique_ptr<MainWindow>> windows = openWindows(tokensOrFiles);
    for (const auto& window : windows)
        window->show();
    return app.exec();
}

void describeApplication()
{
    QApplication::setOrganizationName(QStringLiteral("jwt-inspector"));
    QApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QApplication::setApplicationDisplayName(QObject::tr("JWT Inspector"));
    // The installed desktop entry's id (packaging/linux): desktops match the window to its menu entry and icon.
    QApplication::setDesktopFileName(QStringLiteral("io.github.jwt_inspector.JwtInspector"));
#ifdef JWTI_VERSION
    QApplication::setApplicationVersion(QStringLiteral(JWTI_VERSION));
#endif
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/ui/jwt-inspector.svg")));
}

std::vector<std::unique_ptr<MainWindow>> openWindows(const QStringList& tokensOrFiles, MainWindow::Options options)
{
    // One window per token or file given (a few at most: the rest would bury the screen).
    constexpr qsizetype kMaxWindows = 8;
    std::vector<std::unique_ptr<MainWindow>> windows;
    for (const QString& input : tokensOrFiles) {
        if (qsizetype(windows.size()) == kMaxWindows)
            break;
        auto window = std::make_unique<MainWindow>(options);
        window->openTokenOrFile(input);
        windows.push_back(std::move(window));
    }
    if (windows.empty())
        windows.push_back(std::make_unique<MainWindow>(options));
    return windows;
}

} // namespace jwti
