#pragma once

#include "cli/ExitCodes.h"

#include <QIODevice>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTextStream>

namespace jwti {

// True when args (argv without the program name) are for the command line, which needs no display: a sub-command,
// help, --version, or a first word that is none of those and nothing the window opens (an existing file or
// token-shaped text) — a mistyped command such as "verfy", which runCli refuses with a suggestion. Options (Qt's own,
// such as -platform) stay with the window.
bool isCliInvocation(const QStringList& args);

// Text shaped like a token, so the window opens it even when it is damaged: after paste noise is stripped, a JWS or
// JWE in the JSON serialization, or text with the dots of a compact one.
bool looksLikeToken(const QString& text);

// The command a mistyped word most likely meant (edit distance, case ignored; else the only command the word begins),
// counting the commands still to come (decrypt, encrypt); empty when none is near enough or the word is a command.
QString nearestCommand(const QString& word);

// Whether the window can open at all (X11/Wayland systems): a DISPLAY or WAYLAND_DISPLAY, or a Qt platform that needs
// none (offscreen, minimal, eglfs, linuxfb, vnc, …) named by "-platform NAME" in args or by QT_QPA_PLATFORM. Without
// one, Qt would abort with "could not connect to display".
bool windowSystemAvailable(const QProcessEnvironment& environment, const QStringList& args);

// Runs one sub-command. in is standard input (for "-" and --batch); out and err are stdout and stderr.
int runCli(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);

} // namespace jwti
