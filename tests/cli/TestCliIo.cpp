// Helpers every command prints through: text from a token, a key file or the keychain never reaches a terminal raw.
#include "cli/CliIo.h"

#include <QTest>

using namespace jwti;

class TestCliIo : public QObject
{
    Q_OBJECT

private slots:
    void terminalSafeEscapesControlCharacters_data();
    void terminalSafeEscapesControlCharacters();
};

void TestCliIo::terminalSafeEscapesControlCharacters_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain kid") << QStringLiteral("key-2026 ü €") << QStringLiteral("key-2026 ü €");
    QTest::newRow("osc title and sgr colour")
        << QStringLiteral("\x1b]0;pwned\x07\x1b[31mRED") << QStringLiteral("\\x1b]0;pwned\\x07\\x1b[31mRED");
    QTest::newRow("line breaks and tab") << QStringLiteral("a\r\nb\tc") << QStringLiteral("a\\x0d\\x0ab\\x09c");
    QTest::newRow("delete and c1 csi") << QStringLiteral("x\x7fy") + QChar(0x9b) + QStringLiteral("2J")
                                       << QStringLiteral("x\\x7fy\\x9b2J");
    QTest::newRow("bidi override") << QStringLiteral("abc") + QChar(0x202E) + QStringLiteral("fdp.exe")
                                   << QStringLiteral("abc\\u{202e}fdp.exe");
}

void TestCliIo::terminalSafeEscapesControlCharacters()
{
    QFETCH(QString, text);
    QFETCH(QString, shown);
    QCOMPARE(terminalSafe(text), shown);
}

QTEST_GUILESS_MAIN(TestCliIo)
#include "TestCliIo.moc"
