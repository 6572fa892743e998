#pragma once

#include <QIODevice>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <vector>

namespace jwti {

// The command table: every sub-command with its one-line summary, its --help text and its entry point.
// args are the words after the command name.
struct CliCommand
{
    QString name;
    QString summary;
    QString (*help)();
    int (*run)(const QStringList& args, QIODevice& in, QTextStream& out, QTextStream& err);
};

const std::vector<CliCommand>& cliCommands();
const CliCommand* findCliCommand(const QString& name);

QString generalHelp();
QString versionText();

} // namespace jwti
