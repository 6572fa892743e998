#include "cli/Cli.h"

#include "cli/CliIo.h"
#include "cli/Commands.h"
#include "core/jose/Token.h"

#include <QFileInfo>
#include <algorithm>
#include <cstdlib>
#include <vector>

namespace jwti {
namespace {

bool isHelpOrVersion(const QString& word)
{
    return word == QLatin1String("help") || word == QLatin1String("--help") || word == QLatin1String("-h")
        || word == QLatin1String("--version");
}

// What the window takes as its first argument: nothing, an option (Qt's own, such as -platform), a file or a token.
bool opensInWindow(const QString& word)
{
    return word.isEmpty() || word.startsWith(QLatin1Char('-')) || QFileInfo::exists(word) || looksLikeToken(word);
}

// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours ("verfiy") each
// count one.
qsizetype editDistance(QStringView a, QStringView b)
{
    std::vector<std::vector<qsizetype>> d(static_cast<size_t>(a.size() + 1),
                                          std::vector<qsizetype>(static_cast<size_t>(b.size() + 1)));
    for (qsizetype i = 0; i <= a.size(); ++i)
        d[static_cast<size_t>(i)][0] = i;
    for (qsizetype j = 0; j <= b.size(); ++j)
        d[0][static_cast<size_t>(j)] = j;
    for (qsizetype i = 1; i <= a.size(); ++i) {
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const auto ui = static_cast<size_t>(i);
            const auto uj = static_cast<size_t>(j);
            const qsizetype cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[ui][uj] = std::min({d[ui - 1][uj] + 1, d[ui][uj - 1] + 1, d[ui - 1][uj - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[ui][uj] = std::min(d[ui][uj], d[ui - 2][uj - 2] + 1);
        }
    }
    return d[static_cast<size_t>(a.size())][static_cast<size_t>(b.size())];
}

// "jwt-inspector: unknown command 'verfy' (did you mean verify?)" and its kin, one line. The word comes from the
// command line, which may be pasted text: it is printed terminal-safe.
QString unknownCommandLine(const QString& prefix, const QString& word)
{
    const QString suggestion = nearestCommand(word);
    if (!suggestion.isEmpty())
        return QStringLiteral("%1: unknown command '%2' (did you mean %3?)\n")
            .arg(prefix, terminalSafe(word), suggestion);
    // "token.txt" was more likely meant as a file than as a command.
    const bool fileLike = word.contains(QLatin1Char('.')) || word.contains(QLatin1Char('/'));
    return QStringLiteral("%1: %2 '%3' (see jwt-inspector --help)\n")
        .arg(prefix, fileLike ? QStringLiteral("no such command or file") : QStringLiteral("unknown command"),
             terminalSafe(word));
}

} // namespace

bool isCliInvocation(const QStringList& args)
{
    if (args.isEmpty())
        return false;
    const QString& first = args.first();
    return findCliCommand(first) || isHelpOrVersion(first) || !opensInWindow(first);
}

bool looksLikeToken(const QString& text)
{
    // The window explains what is wrong with a damaged token, so the shape is enough; the core's own reader decides
    // what paste noise is.
    const Token token = decodeUnverified(text);
    if (token.kind == TokenKind::Empty)
        return false;
    return token.kind != TokenKind::Malformed || token.text.startsWith('{') || token.text.count('.') >= 2;
}

QString nearestCommand(const QString& word)
{
    QStringList candidates;
    for (const CliCommand& command : cliCommands())
        candidates << command.name;
    candidates << QStringLiteral("help");
    // The word itself: it is a command, and no other is what it meant.
    if (candidates.contains(word))
        return {};

    const QString folded = word.toLower();
    QString best;
    qsizetype bestDistance = 0;
    for (const QString& candidate : std::as_const(candidates)) {
        // Short names tolerate one slip, longer ones two; a word much longer or shorter is no typo of it (and the
        // length test keeps a pasted page of text from costing a large table).
        const qsizetype allowed = candidate.size() <= 4 ? 1 : 2;
        if (std::abs(folded.size() - candidate.size()) > allowed)
            continue;
        const qsizetype distance = editDistance(folded, candidate);
        if (distance <= allowed && (best.isEmpty() || distance < bestDistance)) {
            best = candidate;
            bestDistance = distance;
        }
    }
    if (!best.isEmpty() || folded.size() < 3)
        return best;
    // A shortened name ("verify-sig", "thumb") means the one command it begins, when only one does.
    QStringList begun;
    for (const QString& candidate : std::as_const(candidates)) {
        if (candidate.startsWith(folded))
            begun << candidate;
    }
    return begun.size() == 1 ? begun.first() : QString();
}

bool windowSystemAvailable(const QProcessEnvironment& environment, const QStringList& args)
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN) && !defined(Q_OS_ANDROID)
    if (!environment.value(QStringLiteral("DISPLAY")).isEmpty()
        || !environment.value(QStringLiteral("WAYLAND_DISPLAY")).isEmpty())
        return true;
    // Qt takes "-platform NAME" (or "--platform NAME") over QT_QPA_PLATFORM, a ';'-separated list of names it tries in
    // turn, each with optional ":options".
    QString platforms = environment.value(QStringLiteral("QT_QPA_PLATFORM"));
    for (qsizetype i = 0; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("-platform") || args[i] == QLatin1String("--platform"))
            platforms = args[i + 1];
    }
    static const QStringList kNeedNoDisplay
        = {QStringLiteral("offscreen"), QStringLiteral("minimal"),     QStringLiteral("minimalegl"),
           QStringLiteral("eglfs"),     QStringLiteral("linuxfb"),     QStringLiteral("vnc"),
           QStringLiteral("directfb"),  QStringLiteral("vkkhrdisplay")};
    const QStringList names = platforms.split(QLatin1Char(';'), Qt::SkipEmptyParts);
    return std::any_of(names.begin(), names.end(), [](const QString& name) {
        return kNeedNoDisplay.contains(name.section(QLatin1Char(':'), 0, 0));
    });
#else
    Q_UNUSED(environment)
    Q_UNUSED(args)
    return true;
#endif
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
            err << unknownCommandLine(QStringLiteral("jwt-inspector help"), args.mid(1).join(QLatin1Char(' ')));
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
        // A build without the window (JWTI_BUILD_GUI=OFF) gets here with what the window would have opened too.
        if (first.startsWith(QLatin1Char('-')))
            err << "jwt-inspector: unknown option " << terminalSafe(first) << " (see jwt-inspector --help)\n";
        else if (opensInWindow(first))
            err << "jwt-inspector: this build has no window: use a command, see --help\n";
        else
            err << unknownCommandLine(QStringLiteral("jwt-inspector"), first);
        return ExitUsage;
    }
    return command->run(args.mid(1), in, out, err);
}

} // namespace jwti
