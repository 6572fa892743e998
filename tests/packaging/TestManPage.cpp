// The man page (packaging/linux/jwt-inspector.1.in) against the command line it documents: every command and every
// option that the built binary's --help and each command's --help list must appear in it, and every option it
// documents must still exist. Help texts are the source of truth: they are what the code parses.
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <algorithm>

namespace {

QString binaryPath()
{
    return qEnvironmentVariable("JWTI_BINARY");
}

QString helpText(const QStringList& args)
{
    QProcess process;
    process.start(binaryPath(), args);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return {};
    return QString::fromUtf8(process.readAllStandardOutput());
}

// The man page as a reader sees it: font changes and quotes dropped, "\-" as "-", one macro name removed per line.
QString readableManPage(QStringList* paragraphTitles = nullptr)
{
    QFile file(qEnvironmentVariable("JWTI_SOURCE_DIR") + QStringLiteral("/packaging/linux/jwt-inspector.1.in"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    static const QRegularExpression fontChange(QStringLiteral("\\\\f[BIRP]"));
    static const QRegularExpression macro(QStringLiteral("^\\.[A-Z]{1,2}\\s*"));
    QString text;
    bool nextIsTitle = false;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    for (QString line : lines) {
        if (line.startsWith(QLatin1String(".\\\"")))
            continue;
        const bool isTitle = nextIsTitle;
        nextIsTitle = line.startsWith(QLatin1String(".TP"));
        line.remove(fontChange);
        line.replace(QLatin1String("\\-"), QLatin1String("-"));
        line.replace(QLatin1String("\\(dq"), QLatin1String("\""));
        line.replace(QLatin1String("\\(aq"), QLatin1String("'"));
        // .BR/.RB/.IR alternate fonts between space-separated words; the words themselves matter here.
        line.remove(macro);
        line.remove(QLatin1Char('"'));
        if (isTitle && paragraphTitles)
            paragraphTitles->append(line.simplified());
        text += line + QLatin1Char('\n');
    }
    return text;
}

QSet<QString> optionsIn(const QString& text)
{
    static const QRegularExpression option(QStringLiteral("(?<![\\w-])--[a-z][a-z0-9-]*"));
    QSet<QString> options;
    for (const QRegularExpressionMatch& match : option.globalMatch(text))
        options.insert(match.captured());
    return options;
}

// "Commands:" block of the general help: "  decode            show …".
QStringList commandsInGeneralHelp(const QString& help)
{
    static const QRegularExpression commandLine(QStringLiteral("^  ([a-z][a-z-]*)(?: \\[[A-Z]+\\])?\\s{2,}\\S"),
                                                QRegularExpression::MultilineOption);
    QStringList commands;
    for (const QRegularExpressionMatch& match : commandLine.globalMatch(help))
        commands << match.captured(1);
    return commands;
}

// "jwt-inspector keys SUB …" usage lines of the keys command's help.
QStringList keysSubcommands(const QString& keysHelp)
{
    static const QRegularExpression usage(QStringLiteral("jwt-inspector keys ([a-z]+)\\b"));
    QStringList subcommands;
    for (const QRegularExpressionMatch& match : usage.globalMatch(keysHelp)) {
        if (!subcommands.contains(match.captured(1)))
            subcommands << match.captured(1);
    }
    return subcommands;
}

// Every (where, option) pair the command line lists: the general help's, each command's, each keys sub-command's.
QList<QPair<QString, QString>> listedOptions()
{
    QList<QPair<QString, QString>> listed;
    const QString general = helpText({QStringLiteral("--help")});
    for (const QString& option : optionsIn(general))
        listed.append({QStringLiteral("jwt-inspector"), option});
    for (const QString& command : commandsInGeneralHelp(general)) {
        if (command == QLatin1String("help"))
            continue;
        const QString help = command == QLatin1String("keys") ? helpText({command, QStringLiteral("--help")})
                                                              : helpText({QStringLiteral("help"), command});
        for (const QString& option : optionsIn(help))
            listed.append({command, option});
    }
    return listed;
}

} // namespace

class TestManPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(!binaryPath().isEmpty(), "JWTI_BINARY is not set (run through ctest)");
        QVERIFY2(!helpText({QStringLiteral("--help")}).isEmpty(), "jwt-inspector --help printed nothing or failed");
        QVERIFY2(!readableManPage().isEmpty(), "packaging/linux/jwt-inspector.1.in is missing or empty");
    }

    void helpListsTheCommandsThisTestExpects()
    {
        // Guards the parsing below: if the help's layout changes, this fails instead of checking nothing.
        const QStringList commands = commandsInGeneralHelp(helpText({QStringLiteral("--help")}));
        QVERIFY2(commands.contains(QLatin1String("decode")) && commands.contains(QLatin1String("keys")),
                 qPrintable(commands.join(QLatin1Char(' '))));
        const QStringList keys = keysSubcommands(helpText({QStringLiteral("keys"), QStringLiteral("--help")}));
        QVERIFY2(keys.contains(QLatin1String("export")), qPrintable(keys.join(QLatin1Char(' '))));
        QVERIFY(listedOptions().size() > 30);
    }

    void describesEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        const QString general = helpText({QStringLiteral("--help")});
        for (const QString& command : commandsInGeneralHelp(general))
            QTest::newRow(qPrintable(command)) << command;
        for (const QString& sub : keysSubcommands(helpText({QStringLiteral("keys"), QStringLiteral("--help")})))
            QTest::newRow(qPrintable(QStringLiteral("keys ") + sub)) << QStringLiteral("keys ") + sub;
    }

    void describesEveryCommand()
    {
        QFETCH(QString, command);
        // Each command has its own tagged paragraph in COMMANDS, titled with its name.
        QStringList titles;
        readableManPage(&titles);
        const bool described = std::any_of(titles.cbegin(), titles.cend(), [&](const QString& title) {
            return title == command || title.startsWith(command + QLatin1Char(' '));
        });
        QVERIFY2(described, qPrintable(QStringLiteral("no .TP paragraph titled \"%1\" in the man page").arg(command)));
    }

    void listsEveryOption_data()
    {
        QTest::addColumn<QString>("option");
        for (const auto& [where, option] : listedOptions())
            QTest::newRow(qPrintable(where + QLatin1Char(' ') + option)) << option;
    }

    void listsEveryOption()
    {
        QFETCH(QString, option);
        QVERIFY2(optionsIn(readableManPage()).contains(option),
                 qPrintable(QStringLiteral("%1 is in the command line's help but not in the man page").arg(option)));
    }

    void documentsNoOptionTheCommandLineLacks()
    {
        QSet<QString> known;
        for (const auto& pair : listedOptions())
            known.insert(pair.second);
        QStringList stale;
        for (const QString& option : optionsIn(readableManPage())) {
            if (!known.contains(option))
                stale << option;
        }
        stale.sort();
        QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("in the man page but in no --help: ") + stale.join(u' ')));
    }
};

QTEST_GUILESS_MAIN(TestManPage)
#include "TestManPage.moc"
