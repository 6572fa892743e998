// Every string a user sees can be translated: lupdate finds it under the context translate() looks it up in at run
// time. A tr() it cannot place (a class without Q_OBJECT, a free function) would be extracted under a context no
// translation is ever looked up in, and lupdate says so with a warning: this suite fails on any.

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void lupdateFindsEveryStringWithoutWarnings();
    void coreStringsHaveTheContextsTranslateUses();

private:
    QTemporaryDir m_dir;
    QString m_ts;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_dir.isValid());
    const QString lupdate = qEnvironmentVariable("JWTI_LUPDATE");
    const QString sources = qEnvironmentVariable("JWTI_LUPDATE_SOURCES");
    QVERIFY2(QFile::exists(lupdate), qPrintable(lupdate));
    QVERIFY2(QFile::exists(sources), qPrintable(sources));
    m_ts = m_dir.filePath(QStringLiteral("check_en.ts"));
    QProcess run;
    run.setProcessChannelMode(QProcess::MergedChannels);
    run.start(lupdate,
              {QStringLiteral("-locations"), QStringLiteral("none"), QStringLiteral("-no-obsolete"),
               QStringLiteral("-source-language"), QStringLiteral("en"), QStringLiteral("-target-language"),
               QStringLiteral("en"), QLatin1Char('@') + sources, QStringLiteral("-ts"), m_ts});
    QVERIFY(run.waitForFinished(120000));
    const QString output = QString::fromUtf8(run.readAll());
    QCOMPARE(run.exitCode(), 0);
    setProperty("lupdateOutput", output);
}

void TestTranslations::lupdateFindsEveryStringWithoutWarnings()
{
    const QString output = property("lupdateOutput").toString();
    QStringList warnings;
    for (const QString& line : output.split(QLatin1Char('\n'))) {
        if (line.contains(QLatin1String("warning"), Qt::CaseInsensitive)
            || line.contains(QLatin1String("lacks Q_OBJECT")) || line.contains(QLatin1String("Cannot invoke"))
            || line.contains(QLatin1String("unknown namespace/class")))
            warnings << line.trimmed();
    }
    QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
}

void TestTranslations::coreStringsHaveTheContextsTranslateUses()
{
    QFile file(m_ts);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString ts = QString::fromUtf8(file.readAll());
    QSet<QString> contexts;
    const QRegularExpression name(QStringLiteral("<context>\\s*<name>([^<]*)</name>"));
    for (auto match = name.globalMatch(ts); match.hasNext();)
        contexts.insert(match.next().captured(1));
    // The contexts the core's Q_DECLARE_TR_FUNCTIONS name; their strings reach the window and the command line.
    for (const char* expected :
         {"Claims", "Findings", "Token", "Json", "Base64Url", "TokenTrace", "SignatureWalkthrough", "SampleTokens"})
        QVERIFY2(contexts.contains(QLatin1String(expected)), expected);
    // A namespace alone is never a context translate() is called with.
    QVERIFY(!contexts.contains(QStringLiteral("jwti")));
    QVERIFY2(ts.count(QLatin1String("<message>")) > 1000, "fewer strings than the app shows");
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "TestTranslations.moc"
