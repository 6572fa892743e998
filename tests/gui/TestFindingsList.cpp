// The findings list: most severe first, each with its reason and a link to where the rule comes from.
#include "core/jose/Base64Url.h"
#include "core/model/TokenDocument.h"
#include "token/FindingsList.h"

#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

using namespace jwti;

class TestFindingsList : public QObject
{
    Q_OBJECT

private slots:
    void listsFindingsMostSevereFirst()
    {
        TokenDocument document;
        FindingsList list(&document);
        // alg none, no exp, a jku header: at least one critical and one lesser finding.
        document.setText(QString::fromLatin1(Base64Url::encode("{\"alg\":\"none\",\"jku\":\"https://evil.example/k\"}")
                                             + '.' + Base64Url::encode(R"({"sub":"a"})") + '.'));
        QVERIFY(list.count() >= 2);
        auto* tree = list.findChild<QTreeWidget*>(QStringLiteral("findingsList"));
        QCOMPARE(tree->topLevelItem(0)->text(0), QStringLiteral("Critical"));
        QVERIFY(tree->topLevelItem(list.count() - 1)->text(0) != QStringLiteral("Critical") || list.count() == 0);
        auto* detail = list.findChild<QTextBrowser*>(QStringLiteral("findingDetail"));
        QVERIFY(!detail->toPlainText().isEmpty());
    }

    void linksReferencesToTheirRfcSection_data()
    {
        QTest::addColumn<QString>("reference");
        QTest::addColumn<QString>("url");
        QTest::newRow("section") << QStringLiteral("RFC 8725 §3.1")
                                 << QStringLiteral("https://www.rfc-editor.org/rfc/rfc8725#section-3.1");
        QTest::newRow("whole rfc") << QStringLiteral("RFC 7519")
                                   << QStringLiteral("https://www.rfc-editor.org/rfc/rfc7519");
        QTest::newRow("appendix") << QStringLiteral("RFC 7515 §F")
                                  << QStringLiteral("https://www.rfc-editor.org/rfc/rfc7515#appendix-F");
        QTest::newRow("url") << QStringLiteral("https://example.org/attack")
                             << QStringLiteral("https://example.org/attack");
        QTest::newRow("plain words") << QStringLiteral("common sense") << QString();
    }

    void linksReferencesToTheirRfcSection()
    {
        QFETCH(QString, reference);
        QFETCH(QString, url);
        QCOMPARE(FindingsList::referenceUrl(reference), url);
    }
};

QTEST_MAIN(TestFindingsList)
#include "TestFindingsList.moc"
