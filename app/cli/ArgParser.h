#pragma once

#include <QHash>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <vector>

namespace jwti {

// A small, predictable parser for one sub-command's words: "--name value", "--name=value", flags, positionals,
// "-" as a positional (standard input) and "--" ending the options. QCommandLineParser prints and exits on its own,
// and accepts single-dash spellings we do not want; this one only reports.
class ArgParser
{
public:
    struct Option
    {
        QString name; // without the leading "--"
        bool takesValue = false;
        bool repeatable = false;
    };

    explicit ArgParser(QString command);

    void addFlag(const QString& name);
    void addValue(const QString& name, bool repeatable = false);

    // False (and a one-line message on err) on an unknown option, a missing value, or a repeated single option.
    bool parse(const QStringList& args, QTextStream& err);

    bool isSet(const QString& name) const { return m_values.contains(name); }
    QString value(const QString& name) const;
    QStringList values(const QString& name) const { return m_values.value(name); }
    const QStringList& positionals() const { return m_positionals; }
    bool helpRequested() const { return m_help; }

    // Overwrites the stored copies of an option's values (a secret given on the command line).
    void wipe(const QString& name);

    // "jwt-inspector verify: MESSAGE (see jwt-inspector verify --help)" on err; returns ExitUsage.
    int usageError(QTextStream& err, const QString& message) const;
    // "jwt-inspector verify: MESSAGE" on err; returns code.
    int fail(QTextStream& err, const QString& message, int code) const;
    const QString& command() const { return m_command; }

private:
    const Option* find(const QString& name) const;

    QString m_command;
    std::vector<Option> m_options;
    QHash<QString, QStringList> m_values;
    QStringList m_positionals;
    bool m_help = false;
};

} // namespace jwti
