#include "Cli.h"

#include "Commands.h"

namespace jwti {

bool isCliInvocation(const QStringList& args)
{
    if (args.isEmpty())
        return false;
    const QString& first = args.first();
    return findCliCommand(first) || first == QLatin1String("help") || first == QLatin1String("--help")
        || first == QLatin1String("-h") || first == QLatin1String("--version");
}

int runCli(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h")) {
        out << generalHelp();
        return ExitOk;
    }
    const QString& first = args.first();
    if (first == QLatin1String("--version")) {
        out << versionText();
        return ExitOk;
    }
    if (first == QLatin1String("help")) {
        if (args.size() == 1) {
            out << generalHelp();
            return ExitOk;
        }
        const CliCommand* command = findCliCommand(args.at(1));
        if (!command || args.size() > 2) {
            err << "jwt-inspector help: unknown command " << args.mid(1).join(QLatin1Char(' '))
                << " (see jwt-inspector --help)\n";
            return ExitUsage;
        }
        // The key store's command owns its help (and its sub-commands'): ask it.
        if (command->name == QLatin1String("keys"))
            return command->run({QStringLiteral("--help")}, in, out, err);
        out << command->help();
        return ExitOk;
    }
    const CliCommand* command = findCliCommand(first);
    if (!command) {
        err << "jwt-inspector: unknown command " << first << " (see jwt-inspector --help)\n";
        return ExitUsage;
    }
    return command->run(args.mid(1), in, out, err);
}

} // namespace jwti
