// The sub-commands' argument parser and the dispatcher, in process (no binary needed).
#include "cli/ArgParser.h"
#include "cli/Cli.h"

#include <QBuffer>
#include <QTest>

using namespace jwti;

class TestArgParser : public QObject
{
    Q_OBJECT

private slots:
    void readsValuesFlagsAndPositionals();
    void acceptsNameEqualsValue();
    void dashIsAPositionalAndDoubleDashEndsOptions();
    void rejectsUnknownOptionInOneLine_data();
    void rejectsUnknownOptionInOneLine();
    void repeatableOptionsCollectValues();
    void helpIsAFlagOfEveryParser();
    void wipeForgetsTheValue();
    void dispatcherRecognisesCommands();
    void dispatcherPrintsHelpAndRefusesUnknownCommands();
};

namespace {

ArgParser verifyParser()
{
    ArgParser parser(QStringLiteral("verify"));
    parser.addValue(QStringLiteral("secret"));
    parser.addValue(QStringLiteral("aud"), true);
    parser.addFlag(QStringLiteral("batch"));
    return parser;
}

} // namespace

void TestArgParser::readsValuesFlagsAndPositionals()
{
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse(
        {QStringLiteral("--secret"), QStringLiteral("s"), QStringLiteral("--batch"), QStringLiteral("token")}, err));
    QCOMPARE(parser.value(QStringLiteral("secret")), QStringLiteral("s"));
    QVERIFY(parser.isSet(QStringLiteral("batch")));
    QVERIFY(!parser.isSet(QStringLiteral("aud")));
    QCOMPARE(parser.positionals(), QStringList{QStringLiteral("token")});
    QVERIFY(errors.isEmpty());
}

void TestArgParser::acceptsNameEqualsValue()
{
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse({QStringLiteral("--secret=a=b")}, err));
    QCOMPARE(parser.value(QStringLiteral("secret")), QStringLiteral("a=b"));
}

void TestArgParser::dashIsAPositionalAndDoubleDashEndsOptions()
{
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse({QStringLiteral("-"), QStringLiteral("--"), QStringLiteral("--batch")}, err));
    QCOMPARE(parser.positionals(), (QStringList{QStringLiteral("-"), QStringLiteral("--batch")}));
    QVERIFY(!parser.isSet(QStringLiteral("batch")));
}

void TestArgParser::rejectsUnknownOptionInOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown") << QStringList{QStringLiteral("--foo")}
                             << QStringLiteral("jwt-inspector verify: unknown option --foo (see jwt-inspector verify "
                                               "--help)\n");
    QTest::newRow("single dash") << QStringList{QStringLiteral("-x")}
                                 << QStringLiteral("jwt-inspector verify: unknown option -x (see jwt-inspector verify "
                                                   "--help)\n");
    QTest::newRow("missing value") << QStringList{QStringLiteral("--secret")}
                                   << QStringLiteral("jwt-inspector verify: --secret needs a value (see "
                                                     "jwt-inspector verify --help)\n");
    QTest::newRow("flag with value") << QStringList{QStringLiteral("--batch=yes")}
                                     << QStringLiteral("jwt-inspector verify: --batch takes no value (see "
                                                       "jwt-inspector verify --help)\n");
    QTest::newRow("given twice") << QStringList{QStringLiteral("--secret"), QStringLiteral("a"),
                                                QStringLiteral("--secret"), QStringLiteral("b")}
                                 << QStringLiteral("jwt-inspector verify: --secret given more than once (see "
                                                   "jwt-inspector verify --help)\n");
}

void TestArgParser::rejectsUnknownOptionInOneLine()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(!parser.parse(args, err));
    err.flush();
    QCOMPARE(errors, message);
}

void TestArgParser::repeatableOptionsCollectValues()
{
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse({QStringLiteral("--aud"), QStringLiteral("a"), QStringLiteral("--aud=b")}, err));
    QCOMPARE(parser.values(QStringLiteral("aud")), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestArgParser::helpIsAFlagOfEveryParser()
{
    ArgParser parser(QStringLiteral("decode"));
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse({QStringLiteral("--help")}, err));
    QVERIFY(parser.helpRequested());
}

void TestArgParser::wipeForgetsTheValue()
{
    ArgParser parser = verifyParser();
    QString errors;
    QTextStream err(&errors);
    QVERIFY(parser.parse({QStringLiteral("--secret"), QStringLiteral("hunter2-hunter2")}, err));
    parser.wipe(QStringLiteral("secret"));
    QVERIFY(parser.value(QStringLiteral("secret")).isEmpty());
}

void TestArgParser::dispatcherRecognisesCommands()
{
    QVERIFY(isCliInvocation({QStringLiteral("decode")}));
    QVERIFY(isCliInvocation({QStringLiteral("keys"), QStringLiteral("list")}));
    QVERIFY(isCliInvocation({QStringLiteral("--version")}));
    QVERIFY(isCliInvocation({QStringLiteral("help")}));
    QVERIFY(!isCliInvocation({}));
    QVERIFY(!isCliInvocation({QStringLiteral("eyJhbGciOiJIUzI1NiJ9.e30.c2ln")}));
    // An existing file opens in the window; a missing one is no file to open (TestCli has the rest of the rules).
    QVERIFY(!isCliInvocation({QCoreApplication::applicationFilePath()}));
    QVERIFY(isCliInvocation({QStringLiteral("no-such-token.txt")}));
}

void TestArgParser::dispatcherPrintsHelpAndRefusesUnknownCommands()
{
    QBuffer in;
    in.open(QIODevice::ReadOnly);
    QString output;
    QString errors;
    QTextStream out(&output);
    QTextStream err(&errors);
    QCOMPARE(runCli({QStringLiteral("help"), QStringLiteral("sign")}, in, out, err), int(ExitOk));
    out.flush();
    QVERIFY(output.startsWith(QLatin1String("Usage: jwt-inspector sign")));
    QCOMPARE(runCli({QStringLiteral("frobnicate")}, in, out, err), int(ExitUsage));
    err.flush();
    QCOMPARE(errors, QStringLiteral("jwt-inspector: unknown command 'frobnicate' (see jwt-inspector --help)\n"));
}

QTEST_GUILESS_MAIN(TestArgParser)
#include "TestArgParser.moc"
