#include "cli/ArgParser.h"

#include "cli/ExitCodes.h"
#include "core/crypto/SecretBytes.h"

#include <optional>

namespace jwti {

ArgParser::ArgParser(QString command)
    : m_command(std::move(command))
{
}

void ArgParser::addFlag(const QString& name)
{
    m_options.push_back({name, false, false});
}

void ArgParser::addValue(const QString& name, bool repeatable)
{
    m_options.push_back({name, true, repeatable});
}

const ArgParser::Option* ArgParser::find(const QString& name) const
{
    for (const Option& option : m_options) {
        if (option.name == name)
            return &option;
    }
    return nullptr;
}

QString ArgParser::value(const QString& name) const
{
    const auto it = m_values.constFind(name);
    return it == m_values.constEnd() || it->isEmpty() ? QString() : it->last();
}

bool ArgParser::parse(const QStringList& args, QTextStream& err)
{
    bool optionsEnded = false;
    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString& word = args.at(i);
        if (optionsEnded || word == QLatin1String("-") || !word.startsWith(QLatin1Char('-'))) {
            m_positionals << word;
            continue;
        }
        if (word == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        if (word == QLatin1String("--help") || word == QLatin1String("-h")) {
            m_help = true;
            continue;
        }
        if (!word.startsWith(QLatin1String("--"))) {
            usageError(err, QStringLiteral("unknown option %1").arg(word));
            return false;
        }
        QString name = word.mid(2);
        std::optional<QString> inlineValue;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); eq >= 0) {
            inlineValue = name.mid(eq + 1);
            name.truncate(eq);
        }
        const Option* option = find(name);
        if (!option) {
            usageError(err, QStringLiteral("unknown option --%1").arg(name));
            return false;
        }
        if (!option->takesValue) {
            if (inlineValue) {
                usageError(err, QStringLiteral("--%1 takes no value").arg(name));
                return false;
            }
            m_values[name] << QString();
            continue;
        }
        QString value;
        if (inlineValue) {
            value = *inlineValue;
        } else {
            if (i + 1 >= args.size()) {
                usageError(err, QStringLiteral("--%1 needs a value").arg(name));
                return false;
            }
            value = args.at(++i);
        }
        if (!option->repeatable && m_values.contains(name)) {
            usageError(err, QStringLiteral("--%1 given more than once").arg(name));
            return false;
        }
        m_values[name] << value;
    }
    return true;
}

void ArgParser::wipe(const QString& name)
{
    auto it = m_values.find(name);
    if (it == m_values.end())
        return;
    for (QString& value : *it)
        wipeString(value);
    it->clear();
}

int ArgParser::usageError(QTextStream& err, const QString& message) const
{
    err << "jwt-inspector " << m_command << ": " << message << " (see jwt-inspector " << m_command << " --help)\n";
    err.flush();
    return ExitUsage;
}

int ArgParser::fail(QTextStream& err, const QString& message, int code) const
{
    err << "jwt-inspector " << m_command << ": " << message << '\n';
    err.flush();
    return code;
}

} // namespace jwti
