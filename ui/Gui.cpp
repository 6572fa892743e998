#include "Gui.h"

#include "MainWindow.h"
#include "Palette.h"
#include "SampleTokens.h"
#include "SecretInput.h"
#include "SigningEditor.h"
#include "VerifyPanel.h"
#include "model/TokenDocument.h"

#include <QApplication>
#include <QEventLoop>
#include <QIcon>
#include <QTimer>
#include <cstdio>
#include <memory>
#include <vector>

namespace jwti {

namespace {

// Screenshots for the documentation (scripts/screenshots.sh). These options exist only here, not in the
// command-line dispatcher or its --help: they are for our own tooling.
struct ScreenshotRequest
{
    QString state;
    QString output;
    QString theme;
};

void waitForSample(MainWindow& window, const QString& name)
{
    QEventLoop loop;
    QObject::connect(&window, &MainWindow::sampleLoaded, &loop, &QEventLoop::quit);
    window.loadSample(name);
    if (window.isLoadingSample())
        loop.exec();
}

bool setUpState(MainWindow& window, const QString& state)
{
    if (state == QLatin1String("empty"))
        return true;
    if (state == QLatin1String("valid")) {
        waitForSample(window, QStringLiteral("HS256"));
        window.showDetailTab(MainWindow::DetailTab::Claims);
        return true;
    }
    if (state == QLatin1String("invalid")) {
        waitForSample(window, QStringLiteral("HS256"));
        window.verifyPanel()->secretInput()->setSecret(
            SampleTokens::sampleSecret(32).replace(0, 13, QStringLiteral("a-wrong-guess")), SecretEncoding::Text);
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    if (state == QLatin1String("error")) {
        waitForSample(window, QStringLiteral("malformed"));
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    if (state == QLatin1String("findings")) {
        waitForSample(window, QStringLiteral("none"));
        window.showDetailTab(MainWindow::DetailTab::Findings);
        return true;
    }
    if (state == QLatin1String("signing")) {
        window.showSigning();
        SigningEditor* editor = window.signingEditor();
        editor->setAlg(QStringLiteral("HS256"));
        editor->secretInput()->setSecret(SampleTokens::sampleSecret(32), SecretEncoding::Text);
        editor->setMember(false, QStringLiteral("exp"), QByteArray::number(window.document()->now() + 3600));
        editor->signNow();
        window.loadToken(editor->signedToken());
        window.showDetailTab(MainWindow::DetailTab::Payload);
        return true;
    }
    return false;
}

int takeScreenshot(MainWindow& window, const ScreenshotRequest& request)
{
    if (!setUpState(window, request.state)) {
        std::fprintf(stderr, "unknown screenshot state: %s\n", qPrintable(request.state));
        return 2;
    }
    window.show();
    // Let layouts settle and every pending paint happen before grabbing.
    QEventLoop settle;
    QTimer::singleShot(400, &settle, &QEventLoop::quit);
    settle.exec();
    const QPixmap pixmap = window.grab();
    if (!pixmap.save(request.output)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(request.output));
        return 3;
    }
    return 0;
}

} // namespace

int runGui(int& argc, char** argv, const QStringList& tokensOrFiles)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("jwt-inspector"));
    QApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QApplication::setApplicationDisplayName(QObject::tr("JWT Inspector"));
#ifdef JWTI_VERSION
    QApplication::setApplicationVersion(QStringLiteral(JWTI_VERSION));
#endif

    QApplication::setWindowIcon(QIcon(QStringLiteral(":/ui/jwt-inspector.svg")));

    QStringList inputs;
    ScreenshotRequest screenshot;
    for (qsizetype i = 0; i < tokensOrFiles.size(); ++i) {
        const QString& arg = tokensOrFiles[i];
        if (arg == QLatin1String("--screenshot-state") && i + 1 < tokensOrFiles.size())
            screenshot.state = tokensOrFiles[++i];
        else if (arg == QLatin1String("--screenshot-out") && i + 1 < tokensOrFiles.size())
            screenshot.output = tokensOrFiles[++i];
        else if (arg == QLatin1String("--screenshot-theme") && i + 1 < tokensOrFiles.size())
            screenshot.theme = tokensOrFiles[++i];
        else
            inputs << arg;
    }

    if (!screenshot.state.isEmpty() && !screenshot.output.isEmpty()) {
        if (screenshot.theme == QLatin1String("dark"))
            Palette::apply(app, Palette::Theme::Dark);
        else
            Palette::apply(app, Palette::Theme::Light);
        MainWindow window(MainWindow::Options::NoSettings);
        window.resize(1400, 860);
        return takeScreenshot(window, screenshot);
    }

    // One window per token or file given (a few at most: the rest would bury the screen).
    constexpr qsizetype kMaxWindows = 8;
    std::vector<std::unique_ptr<MainWindow>> windows;
    for (const QString& input : inputs) {
        if (qsizetype(windows.size()) == kMaxWindows)
            break;
        auto window = std::make_unique<MainWindow>();
        window->openTokenOrFile(input);
        window->show();
        windows.push_back(std::move(window));
    }
    if (windows.empty()) {
        windows.push_back(std::make_unique<MainWindow>());
        windows.back()->show();
    }
    return app.exec();
}

} // namespace jwti
