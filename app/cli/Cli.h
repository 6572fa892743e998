#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// Exit codes (DESIGN.md): 0 valid/ok · 1 invalid · 2 usage or malformed input · 3 keychain or I/O failure.
enum CliExit { ExitOk = 0, ExitInvalid = 1, ExitUsage = 2, ExitIo = 3 };

// True when args (argv without the program name) name a sub-command or --help/--version, so no window is needed.
bool isCliInvocation(const QStringList& args);

// Runs one sub-command. in is standard input (for "-" and --batch); out and err are stdout and stderr.
int runCli(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
