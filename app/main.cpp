// No sub-command: the window. A sub-command: the command line, with no QApplication and no display.
#include "cli/Cli.h"

#include <QCoreApplication>
#include <QFile>

#ifdef JWTI_HAVE_GUI
#include "shell/Gui.h"
#endif

#include <cstdio>

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 1; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

#ifdef JWTI_HAVE_GUI
    if (!jwti::isCliInvocation(args)) {
        // Over SSH or in a container Qt would abort ("could not connect to display", SIGABRT): say so and stop.
        if (jwti::windowSystemAvailable(QProcessEnvironment::systemEnvironment(), args))
            return jwti::runGui(argc, argv, args);
        std::fputs("jwt-inspector: no display: use a command, see --help\n", stderr);
        return jwti::ExitUsage;
    }
#else
    // Built without the window (JWTI_BUILD_GUI=OFF): what would open it is a usage error too. Options go on to the
    // command line, which names an unknown one.
    if (!jwti::isCliInvocation(args) && !args.value(0).startsWith(QLatin1Char('-'))) {
        std::fputs("jwt-inspector: this build has no window: use a command, see --help\n", stderr);
        return jwti::ExitUsage;
    }
#endif

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("jwt-inspector"));
    QCoreApplication::setApplicationVersion(QStringLiteral(JWTI_VERSION));
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return jwti::ExitIo;
    QTextStream out(stdout);
    QTextStream err(stderr);
    const int code = jwti::runCli(args, in, out, err);
    out.flush();
    err.flush();
    return code;
}
