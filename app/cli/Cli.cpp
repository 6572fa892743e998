#include "Cli.h"

namespace jwti {

bool isCliInvocation(const QStringList& args)
{
    static const QStringList commands = {
        QStringLiteral("decode"), QStringLiteral("verify"),    QStringLiteral("verify-signature"),
        QStringLiteral("sign"),   QStringLiteral("keygen"),    QStringLiteral("thumbprint"),
        QStringLiteral("keys"),   QStringLiteral("help"),      QStringLiteral("--help"),
        QStringLiteral("-h"),     QStringLiteral("--version"),
    };
    return !args.isEmpty() && commands.contains(args.first());
}

int runCli(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err)
{
    Q_UNUSED(in);
    Q_UNUSED(err);
    Q_UNUSED(args);
    out << "usage: jwt-inspector decode|verify|verify-signature|sign|keygen|thumbprint …\n";
    return ExitOk;
}

} // namespace jwti
